// Reads an ELF relocatable object back into an ObjectFile: asmlink's own
// objects exactly (with the .asmlink.* sections), and simple foreign ones
// (assembled by GNU as or llvm-mc) as far as the object model allows:
// relocations against section symbols are turned back into references to the
// symbol at that offset, local symbols get asmlink's `name<>` spelling. The
// model links symbol by symbol, so a foreign object whose code reaches a
// local label without a relocation (GNU as resolves a call to a non-global
// function in the same section itself) is not supported: the linker may drop
// or move that function.
//
// Input is untrusted: every offset and count is checked against the file
// before use, nothing is allocated from an unchecked size, and malformed input
// becomes a DiagnosticError naming the file.
//
// Each phase is its own method so that V8 optimizes each hot loop on its own
// (one large function with several hot loops is recompiled and deoptimized
// over and over). Relocations go into one RelocTable per object (columns, no
// object per relocation); symbols are TableSymbols over it.

import type { DynImport, ObjectFile, Symbol, SymKind } from '../../obj/symbol.js';
import { RELOC_TYPE_INDEX, RelocTable, TableSymbol } from '../../obj/reloc-table.js';
import { DiagnosticError } from '../../diag.js';
import * as C from './consts.js';
import { getI64, getU64 } from './bytes.js';
import { elfArchByMachine, raiseReloc, type ElfArch, type Raised } from './relocs.js';
import { kindOfSection } from './sections.js';
import { SYMINFO_HAS_ARGS, SYMINFO_HAS_FRAME, SYMINFO_VERSION, bitsToFlags } from './write-object.js';

interface Sec {
  name: string;
  type: number;
  flags: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  align: number;
  entsize: number;
  /** For a string table: its contents decoded once when all ASCII (null if not), undefined until first use. */
  text: string | null | undefined;
}

/** The .symtab in columns. */
interface SymCols {
  count: number;
  names: string[];
  values: Float64Array;
  sizes: Float64Array;
  info: Uint8Array;
  shndx: Uint16Array;
}

interface Placed {
  sym: TableSymbol;
  value: number;
  /** Byte offset of its relocation-line count in .asmlink.syminfo, or -1. */
  lines: number;
  /** Its index in .symtab. */
  index: number;
  /** Its run of entries in the object's RelocTable. */
  start: number;
  count: number;
}

const EMPTY = new Uint8Array(0);

class Reader {
  readonly dv: DataView;
  readonly n: number;
  readonly dec = new TextDecoder('utf-8', { fatal: false });
  is64 = true;
  arch!: ElfArch;
  secs: Sec[] = [];
  lastFileOff = -1;
  lastFile = '';

  constructor(
    readonly bytes: Uint8Array,
    readonly name: string,
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.n = bytes.length;
  }

  fail(msg: string): never {
    throw new DiagnosticError([{ file: this.name, line: 0, col: 0, message: `malformed ELF object: ${msg}` }]);
  }
  u16(o: number): number {
    return this.dv.getUint16(o, true);
  }
  u32(o: number): number {
    return this.dv.getUint32(o, true);
  }
  word(o: number): number {
    return this.is64 ? getU64(this.dv, o) : this.dv.getUint32(o, true);
  }

  strAt(sec: Sec, off: number): string {
    if (sec.type !== C.SHT_STRTAB) this.fail('string table index names a non-string section');
    if (off >= sec.size) this.fail(`string offset ${off} outside its table`);
    let text = sec.text;
    if (text === undefined) text = sec.text = this.asciiTable(sec);
    if (text !== null) {
      // One decoded string per table; names are slices of it (no per-character work).
      const end = text.indexOf('\0', off);
      if (end < 0) this.fail('unterminated string');
      return text.slice(off, end);
    }
    const bytes = this.bytes;
    const start = sec.offset + off;
    const limit = sec.offset + sec.size;
    // Names are nearly always ASCII: build those directly, without a decoder call each.
    let ascii = '';
    for (let i = start; i < limit; i++) {
      const c = bytes[i];
      if (c === 0) return ascii;
      if (c >= 0x80) break;
      ascii += String.fromCharCode(c);
    }
    const end = bytes.indexOf(0, start);
    if (end < 0 || end >= limit) this.fail('unterminated string');
    return this.dec.decode(bytes.subarray(start, end));
  }

  /** The whole string table as one string when it is ASCII (offsets are then string indexes), else null. */
  asciiTable(sec: Sec): string | null {
    const bytes = this.bytes;
    const end = sec.offset + sec.size;
    for (let i = sec.offset; i < end; i++) if (bytes[i] >= 0x80) return null;
    return this.dec.decode(bytes.subarray(sec.offset, end));
  }

  header(): { shoff: number; shnum: number; shstrndx: number } {
    const b = this.bytes;
    if (this.n < 52 || b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) this.fail('not an ELF file');
    const cls = b[4];
    if (cls !== C.ELFCLASS32 && cls !== C.ELFCLASS64) this.fail(`bad class ${cls}`);
    if (b[5] !== C.ELFDATA2LSB) this.fail('not little-endian');
    this.is64 = cls === C.ELFCLASS64;
    if (this.is64 && this.n < 64) this.fail('truncated header');
    const etype = this.u16(16);
    if (etype !== C.ET_REL) this.fail(`not a relocatable object (e_type ${etype})`);
    const machine = this.u16(18);
    const arch = elfArchByMachine(machine);
    if (!arch) return this.fail(`unsupported machine ${machine}`);
    if ((arch.cls === 64) !== this.is64) this.fail('class does not match the machine');
    this.arch = arch;
    const is64 = this.is64;
    const shoff = this.word(is64 ? 40 : 32);
    const shentsize = this.u16(is64 ? 58 : 46);
    const shnum = this.u16(is64 ? 60 : 48);
    const shstrndx = this.u16(is64 ? 62 : 50);
    const shdrSize = C.SHDR_SIZE[arch.cls];
    if (shnum === 0) this.fail('no section headers');
    if (shentsize !== shdrSize) this.fail(`bad e_shentsize ${shentsize}`);
    if (shoff > this.n || shoff + shnum * shdrSize > this.n) this.fail('section headers past the end of the file');
    if (shstrndx >= shnum) this.fail('bad e_shstrndx');
    return { shoff, shnum, shstrndx };
  }

  sections(shoff: number, shnum: number, shstrndx: number): void {
    const shdrSize = C.SHDR_SIZE[this.arch.cls];
    const dv = this.dv;
    for (let i = 0; i < shnum; i++) {
      const o = shoff + i * shdrSize;
      const s: Sec = this.is64
        ? { name: '', type: this.u32(o + 4), flags: getU64(dv, o + 8), offset: getU64(dv, o + 24), size: getU64(dv, o + 32), link: this.u32(o + 40), info: this.u32(o + 44), align: getU64(dv, o + 48), entsize: getU64(dv, o + 56), text: undefined }
        : { name: '', type: this.u32(o + 4), flags: this.u32(o + 8), offset: this.u32(o + 16), size: this.u32(o + 20), link: this.u32(o + 24), info: this.u32(o + 28), align: this.u32(o + 32), entsize: this.u32(o + 36), text: undefined };
      if (s.type !== C.SHT_NOBITS && s.type !== C.SHT_NULL && (s.offset > this.n || s.size > this.n - s.offset)) this.fail(`section ${i} extends past the end of the file`);
      this.secs.push(s);
    }
    const shstr = this.secs[shstrndx];
    for (let i = 1; i < shnum; i++) this.secs[i].name = this.strAt(shstr, this.u32(shoff + i * shdrSize));
  }

  symtab(symtabIdx: number): SymCols {
    const cols: SymCols = { count: 0, names: [], values: new Float64Array(0), sizes: new Float64Array(0), info: EMPTY, shndx: new Uint16Array(0) };
    if (symtabIdx < 0) return cols;
    const st = this.secs[symtabIdx];
    const esz = C.SYM_SIZE[this.arch.cls];
    if (st.entsize !== esz) this.fail('bad .symtab entry size');
    if (st.link >= this.secs.length) this.fail('bad .symtab link');
    const strs = this.secs[st.link];
    // The section was bounds-checked, so count is bounded by the file size.
    const count = Math.floor(st.size / esz);
    const is64 = this.is64;
    const dv = this.dv;
    const bytes = this.bytes;
    cols.count = count;
    // Sized once: growing an array of this size costs more than filling it.
    cols.names = new Array<string>(count);
    cols.values = new Float64Array(count);
    cols.sizes = new Float64Array(count);
    cols.info = new Uint8Array(count);
    cols.shndx = new Uint16Array(count);
    for (let i = 0; i < count; i++) {
      const o = st.offset + i * esz;
      const nameOff = dv.getUint32(o, true);
      cols.names[i] = nameOff ? this.strAt(strs, nameOff) : '';
      cols.info[i] = is64 ? bytes[o + 4] : bytes[o + 12];
      cols.values[i] = is64 ? getU64(dv, o + 8) : dv.getUint32(o + 4, true);
      cols.sizes[i] = is64 ? getU64(dv, o + 16) : dv.getUint32(o + 8, true);
      cols.shndx[i] = dv.getUint16(is64 ? o + 6 : o + 14, true);
    }
    return cols;
  }

  dynimports(s: Sec, out: DynImport[]): void {
    for (const line of this.dec.decode(this.bytes.subarray(s.offset, s.offset + s.size)).split('\n')) {
      if (!line) continue;
      const f = line.split('\t');
      if (f.length < 5) this.fail(`bad ${C.DYNIMPORT_SECTION} record`);
      const d: DynImport = { local: f[0], remote: f[1], library: f[2], file: f[3], line: Number(f[4]) || 0 };
      if (f[5]) d.version = f[5];
      out.push(d);
    }
  }

  /**
   * Indexes .asmlink.syminfo: per .symtab index, the byte offset of its record
   * or -1; and the records' .symtab indexes in their order, which is the
   * object's symbol order.
   */
  syminfo(s: Sec, nsyms: number): { infoAt: Int32Array; order: number[] } {
    const infoAt = new Int32Array(nsyms).fill(-1);
    const order: number[] = [];
    const end = s.offset + s.size;
    if (s.size < 4 || this.u32(s.offset) !== SYMINFO_VERSION) this.fail(`unknown ${C.SYMINFO_SECTION} version`);
    for (let o = s.offset + 4; o < end; ) {
      if (o + 32 > end) this.fail(`truncated ${C.SYMINFO_SECTION} record`);
      const idx = this.u32(o);
      const nl = this.u32(o + 28);
      if (idx >= nsyms) this.fail(`${C.SYMINFO_SECTION}: bad symbol index ${idx}`);
      if (nl > (end - o - 32) / 4) this.fail(`truncated ${C.SYMINFO_SECTION} record`);
      infoAt[idx] = o;
      order.push(idx);
      o += 32 + 4 * nl;
    }
    return { infoAt, order };
  }

  /**
   * Defined symbols, grouped per section and sorted by address so relocations
   * can find their symbol; `symAt` gets each one at its .symtab index.
   */
  symbols(cols: SymCols, infoAt: Int32Array, strtab: Sec | null, symAt: (TableSymbol | undefined)[]): Map<number, Placed[]> {
    const secs = this.secs;
    const kinds: (SymKind | undefined)[] = secs.map((s, i) => (i === 0 ? undefined : kindOfSection(s.name, s.type, s.flags)));
    const bySec = new Map<number, Placed[]>();
    for (let i = 1; i < cols.count; i++) {
      const type = cols.info[i] & 0xf;
      const bind = cols.info[i] >> 4;
      const shndx = cols.shndx[i];
      if (type === C.STT_SECTION || type === C.STT_FILE) continue;
      if (shndx === C.SHN_UNDEF || shndx >= C.SHN_LORESERVE) continue;
      let name = cols.names[i];
      // asmlink spells file-local names `name<>`; a foreign object's local
      // symbols get that spelling so they resolve the same way (relocations
      // name symbols by index, so they follow).
      if (bind === C.STB_LOCAL && !name.endsWith('>')) cols.names[i] = name = `${name}<>`;
      if (shndx >= secs.length) this.fail(`symbol ${name} in bad section ${shndx}`);
      const kind = kinds[shndx];
      if (!kind) continue;
      const sec = secs[shndx];
      const value = small(cols.values[i]);
      if (value > sec.size) this.fail(`symbol ${name} outside its section`);
      const io = infoAt.length ? infoAt[i] : -1;
      const fb = io >= 0 ? this.u32(io + 8) : 0;
      const flags = io >= 0 ? bitsToFlags(fb) : {};
      if (bind === C.STB_LOCAL) flags.local = true;
      if (bind === C.STB_WEAK) flags.dupok = true;
      const fileOff = io >= 0 ? this.u32(io + 24) : 0;
      const sym = new TableSymbol(
        name,
        kind,
        small(cols.sizes[i]),
        io >= 0 ? this.u32(io + 4) || 1 : lowestAlign(value, sec.align),
        EMPTY,
        flags,
        fileOff && strtab ? this.fileName(strtab, fileOff) : this.name,
        io >= 0 ? this.u32(io + 20) : 0,
      );
      if (fb & SYMINFO_HAS_FRAME) sym.frameSize = this.dv.getInt32(io + 12, true);
      if (fb & SYMINFO_HAS_ARGS) sym.argsSize = this.dv.getInt32(io + 16, true);
      symAt[i] = sym;
      let list = bySec.get(shndx);
      if (!list) bySec.set(shndx, (list = []));
      list.push({ sym, value, lines: io >= 0 ? io + 28 : -1, index: i, start: 0, count: 0 });
    }
    for (const [si, list] of bySec) {
      const sec = secs[si];
      // asmlink writes symbols in address order: sort only what is not.
      let sorted = true;
      for (let j = 1; j < list.length && sorted; j++) if (list[j].value < list[j - 1].value) sorted = false;
      if (!sorted) list.sort((a, b) => a.value - b.value);
      for (let j = 0; j < list.length; j++) {
        const { sym, value } = list[j];
        // A symbol without a size (hand-written assembly) runs to the next one.
        if (sym.size === 0) sym.size = (j + 1 < list.length ? list[j + 1].value : sec.size) - value;
        if (value + sym.size > sec.size) this.fail(`symbol ${sym.name} extends past its section`);
        if (sec.type !== C.SHT_NOBITS) sym.data = this.bytes.subarray(sec.offset + value, sec.offset + value + sym.size);
      }
    }
    return bySec;
  }

  /** A symbol's file name: consecutive symbols nearly always share it, so the last one is kept. */
  fileName(strtab: Sec, off: number): string {
    if (off !== this.lastFileOff) {
      this.lastFile = this.strAt(strtab, off);
      this.lastFileOff = off;
    }
    return this.lastFile;
  }

  /** The symbol whose extent holds a section offset (binary search over the sorted list). */
  symbolAt(list: Placed[] | undefined, off: number): Placed | undefined {
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid].value <= off) lo = mid;
      else hi = mid - 1;
    }
    const p = list[lo];
    return p && p.value <= off && off < p.value + Math.max(1, p.sym.size) ? p : undefined;
  }

  relocations(ri: number, symtabIdx: number, cols: SymCols, list: Placed[], bySec: Map<number, Placed[]>, table: RelocTable): void {
    const rs = this.secs[ri];
    const rela = rs.type === C.SHT_RELA;
    const arch = this.arch;
    const dv = this.dv;
    if (rela !== arch.rela) this.fail(`${rs.name}: ${rela ? 'RELA' : 'REL'} relocations for this machine`);
    if (rs.info === 0 || rs.info >= this.secs.length) this.fail(`${rs.name}: bad target section`);
    if (rs.link !== symtabIdx) this.fail(`${rs.name}: does not use the symbol table`);
    const target = this.secs[rs.info];
    const esz = rela ? C.RELA_SIZE[arch.cls] : C.REL_SIZE[arch.cls];
    if (rs.entsize !== esz) this.fail(`${rs.name}: bad entry size`);
    const count = Math.floor(rs.size / esz);
    // Entries in columns (no object per entry); visited in offset order
    // through `order`, which is the identity when the file is sorted (ours are).
    const offs = new Float64Array(count);
    const types = new Uint32Array(count);
    const syms = new Uint32Array(count);
    const adds = new Float64Array(count);
    let sorted = true;
    for (let i = 0; i < count; i++) {
      const o = rs.offset + i * esz;
      if (this.is64) {
        offs[i] = getU64(dv, o);
        types[i] = dv.getUint32(o + 8, true);
        syms[i] = dv.getUint32(o + 12, true);
        if (rela) adds[i] = getI64(dv, o + 16);
      } else {
        const inf = dv.getUint32(o + 4, true);
        offs[i] = dv.getUint32(o, true);
        types[i] = inf & 0xff;
        syms[i] = inf >>> 8;
        if (rela) adds[i] = dv.getInt32(o + 8, true);
      }
      if (i > 0 && offs[i] < offs[i - 1]) sorted = false;
    }
    let order: Uint32Array | null = null;
    if (!sorted) {
      order = new Uint32Array(count);
      for (let i = 0; i < count; i++) order[i] = i;
      order.sort((a, b) => offs[a] - offs[b]);
    }
    let cursor = 0;
    let holder: Placed | undefined = list[0];
    const next = { type: 0, off: 0 };
    const raised: Raised = { type: 'R_CALL', size: 0, add: 0, consumed: 1 };
    for (let k = 0; k < count; ) {
      const i = order === null ? k : order[k];
      const off = offs[i];
      const si = syms[i];
      if (si >= cols.count || si === 0) this.fail(`${rs.name}: bad symbol index ${si}`);
      if (target.type === C.SHT_NOBITS || off + 4 > target.size) this.fail(`${rs.name}: relocation outside its section`);
      const add = rela ? adds[i] : dv.getInt32(target.offset + off, true);
      let nx: { type: number; off: number } | undefined;
      if (k + 1 < count) {
        const j = order === null ? k + 1 : order[k + 1];
        next.type = types[j];
        next.off = offs[j];
        nx = next;
      }
      const up = raiseReloc(arch.arch, types[i], add, nx, off, raised);
      if (typeof up === 'string') return this.fail(`${rs.name}+0x${off.toString(16)}: ${up}`);
      // The symbol holding the offset (entries are sorted, so a cursor suffices).
      while (cursor + 1 < list.length && list[cursor + 1].value <= off) cursor++;
      holder = list[cursor];
      if (!holder || off < holder.value || off + up.size > holder.value + holder.sym.size) this.fail(`${rs.name}+0x${off.toString(16)}: relocation not inside a symbol`);
      let symIdx = si;
      let add2 = up.add;
      if ((cols.info[si] & 0xf) === C.STT_SECTION) {
        // GNU as refers to local labels as section + offset: find the symbol there.
        const at = this.symbolAt(bySec.get(cols.shndx[si]), up.add);
        if (!at) return this.fail(`${rs.name}+0x${off.toString(16)}: relocation to offset 0x${up.add.toString(16)} of a section, where no symbol is`);
        symIdx = at.index;
        add2 = up.add - at.value;
      }
      const h = holder!;
      // A symbol's entries are one run (its section's, in offset order); a
      // second relocation section for the same section would split it.
      if (h.count === 0) h.start = table.count;
      else if (h.start + h.count !== table.count) this.fail(`${rs.name}: a second relocation section for the section of ${h.sym.name}`);
      // Lines are listed in the order the writer emitted the symbol's relocations.
      const li = h.count++;
      const lo = h.lines;
      const line = lo >= 0 && li < dv.getUint32(lo, true) ? dv.getUint32(lo + 4 + 4 * li, true) : 0;
      table.push(off - h.value, up.size, RELOC_TYPE_INDEX[up.type], symIdx, add2, line);
      k += up.consumed;
    }
  }
}

export function readElfObject(bytes: Uint8Array, name: string): ObjectFile {
  const R = new Reader(bytes, name);
  const { shoff, shnum, shstrndx } = R.header();
  R.sections(shoff, shnum, shstrndx);
  const secs = R.secs;
  const symtabIdx = secs.findIndex((s) => s.type === C.SHT_SYMTAB);
  const cols = R.symtab(symtabIdx);

  const dynimports: DynImport[] = [];
  let info: { infoAt: Int32Array; order: number[] } = { infoAt: new Int32Array(0), order: [] };
  for (const s of secs) {
    if (s.type !== C.SHT_PROGBITS) continue;
    if (s.name === C.DYNIMPORT_SECTION) R.dynimports(s, dynimports);
    else if (s.name === C.SYMINFO_SECTION) info = R.syminfo(s, cols.count);
  }
  const strtab = symtabIdx >= 0 ? secs[secs[symtabIdx].link] : null;
  const symAt: (TableSymbol | undefined)[] = new Array(cols.count);
  const bySec = R.symbols(cols, info.infoAt, strtab, symAt);
  // The symbols in the order the assembler gave them, which decides the layout
  // when linking: asmlink's own objects list it in their syminfo records
  // (.symtab has locals first, grouped by section); others in .symtab order.
  const symbols: TableSymbol[] = [];
  const take = (i: number) => {
    const sym = symAt[i];
    if (sym) symbols.push(sym);
    symAt[i] = undefined;
  };
  for (const i of info.order) take(i);
  for (let i = 0; i < symAt.length; i++) take(i);
  // Entries name their targets by .symtab index; local names were respelled above.
  let capacity = 0;
  for (const s of secs) if (s.type === C.SHT_RELA || s.type === C.SHT_REL) capacity += Math.floor(s.size / Math.max(1, s.entsize));
  const table = new RelocTable(capacity, cols.names);
  for (let ri = 1; ri < shnum; ri++) {
    const t = secs[ri].type;
    if (t === C.SHT_RELA || t === C.SHT_REL) R.relocations(ri, symtabIdx, cols, bySec.get(secs[ri].info) ?? [], bySec, table);
  }
  // Every symbol, even without relocations: then none is made into objects until asked for.
  for (const list of bySec.values())
    for (const p of list) {
      p.sym.relocTable = table;
      p.sym.relocStart = p.start;
      p.sym.relocCount = p.count;
    }
  return { target: { os: 'linux', arch: R.arch.arch }, name, symbols, dynimports };
}

/**
 * The same number, as a small integer when it is one. Values read from the
 * Float64Array columns are doubles to V8; stored as such into object fields,
 * each becomes a heap-allocated number.
 */
function small(v: number): number {
  const i = v | 0;
  return i === v ? i : v;
}

function lowestAlign(value: number, secAlign: number): number {
  let a = Math.max(1, secAlign);
  while (a > 1 && value % a !== 0) a >>= 1;
  return a;
}
