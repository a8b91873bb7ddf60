// Reads an ELF relocatable object back into an ObjectFile: asmlink's own
// objects exactly (with the .asmlink.* sections), and simple foreign ones
// (assembled by GNU as or llvm-mc) as far as the object model allows.
//
// Input is untrusted: every offset and count is checked against the file
// before use, nothing is allocated from an unchecked size, and malformed input
// becomes a DiagnosticError naming the file.

import type { DynImport, ObjectFile, Symbol, SymKind } from '../../obj/symbol.js';
import type { Reloc } from '../../obj/reloc.js';
import { DiagnosticError } from '../../diag.js';
import * as C from './consts.js';
import { getI64, getU64 } from './bytes.js';
import { elfArchByMachine, raiseReloc, type Raised } from './relocs.js';
import { kindOfSection } from './sections.js';
import { lettersToFlags } from './write-object.js';

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
}

interface RawSym {
  name: string;
  value: number;
  size: number;
  bind: number;
  type: number;
  shndx: number;
}

export function readElfObject(bytes: Uint8Array, name: string): ObjectFile {
  const fail = (msg: string): never => {
    throw new DiagnosticError([{ file: name, line: 0, col: 0, message: `malformed ELF object: ${msg}` }]);
  };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  if (n < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) fail('not an ELF file');
  const cls = bytes[4];
  if (cls !== C.ELFCLASS32 && cls !== C.ELFCLASS64) fail(`bad class ${cls}`);
  if (bytes[5] !== C.ELFDATA2LSB) fail('not little-endian');
  const is64 = cls === C.ELFCLASS64;
  if (is64 && n < 64) fail('truncated header');
  const u16 = (o: number) => dv.getUint16(o, true);
  const u32 = (o: number) => dv.getUint32(o, true);
  const word = (o: number) => (is64 ? getU64(dv, o) : u32(o));
  const etype = u16(16);
  if (etype !== C.ET_REL) fail(`not a relocatable object (e_type ${etype})`);
  const machine = u16(18);
  const arch = elfArchByMachine(machine);
  if (!arch) return fail(`unsupported machine ${machine}`);
  if ((arch.cls === 64) !== is64) fail('class does not match the machine');
  const shoff = word(is64 ? 40 : 32);
  const shentsize = u16(is64 ? 58 : 46);
  const shnum = u16(is64 ? 60 : 48);
  const shstrndx = u16(is64 ? 62 : 50);
  const shdrSize = C.SHDR_SIZE[arch.cls];
  if (shnum === 0) fail('no section headers');
  if (shentsize !== shdrSize) fail(`bad e_shentsize ${shentsize}`);
  if (shoff > n || shoff + shnum * shdrSize > n) fail('section headers past the end of the file');
  if (shstrndx >= shnum) fail('bad e_shstrndx');

  const secs: Sec[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shdrSize;
    const s: Sec = is64
      ? { name: '', type: u32(o + 4), flags: getU64(dv, o + 8), offset: getU64(dv, o + 24), size: getU64(dv, o + 32), link: u32(o + 40), info: u32(o + 44), align: getU64(dv, o + 48), entsize: getU64(dv, o + 56) }
      : { name: '', type: u32(o + 4), flags: u32(o + 8), offset: u32(o + 16), size: u32(o + 20), link: u32(o + 24), info: u32(o + 28), align: u32(o + 32), entsize: u32(o + 36) };
    if (s.type !== C.SHT_NOBITS && s.type !== C.SHT_NULL && (s.offset > n || s.size > n - s.offset)) fail(`section ${i} extends past the end of the file`);
    secs.push(s);
  }
  const dec = new TextDecoder('utf-8', { fatal: false });
  const strAt = (sec: Sec, off: number): string => {
    if (sec.type !== C.SHT_STRTAB) fail('string table index names a non-string section');
    if (off >= sec.size) fail(`string offset ${off} outside its table`);
    const start = sec.offset + off;
    const end = bytes.indexOf(0, start);
    if (end < 0 || end >= sec.offset + sec.size) fail('unterminated string');
    return dec.decode(bytes.subarray(start, end));
  };
  const shstr = secs[shstrndx];
  for (let i = 1; i < shnum; i++) secs[i].name = strAt(shstr, u32(shoff + i * shdrSize));
  const secData = (s: Sec) => bytes.subarray(s.offset, s.offset + s.size);

  // Symbol table.
  const symtabIdx = secs.findIndex((s) => s.type === C.SHT_SYMTAB);
  const raw: RawSym[] = [];
  if (symtabIdx >= 0) {
    const st = secs[symtabIdx];
    const esz = C.SYM_SIZE[arch.cls];
    if (st.entsize !== esz) fail('bad .symtab entry size');
    if (st.link >= shnum) fail('bad .symtab link');
    const strs = secs[st.link];
    const count = Math.floor(st.size / esz);
    for (let i = 0; i < count; i++) {
      const o = st.offset + i * esz;
      const nameOff = u32(o);
      const info = is64 ? bytes[o + 4] : bytes[o + 12];
      raw.push({
        name: nameOff ? strAt(strs, nameOff) : '',
        value: is64 ? getU64(dv, o + 8) : u32(o + 4),
        size: is64 ? getU64(dv, o + 16) : u32(o + 8),
        bind: info >> 4,
        type: info & 0xf,
        shndx: is64 ? u16(o + 6) : u16(o + 14),
      });
    }
  }

  // asmlink's own sections.
  const dynimports: DynImport[] = [];
  const info = new Map<number, string[]>();
  for (const s of secs) {
    if (s.type !== C.SHT_PROGBITS) continue;
    if (s.name === C.DYNIMPORT_SECTION) {
      for (const line of dec.decode(secData(s)).split('\n')) {
        if (!line) continue;
        const f = line.split('\t');
        if (f.length < 5) fail(`bad ${C.DYNIMPORT_SECTION} record`);
        dynimports.push({ local: f[0], remote: f[1], library: f[2], file: f[3], line: Number(f[4]) || 0 });
      }
    } else if (s.name === C.SYMINFO_SECTION) {
      for (const line of dec.decode(secData(s)).split('\n')) {
        if (!line) continue;
        const f = line.split('\t');
        if (f.length < 8) fail(`bad ${C.SYMINFO_SECTION} record`);
        info.set(Number(f[0]), f);
      }
    }
  }

  // Defined symbols, per section, sorted by address so relocations can find their symbol.
  const kinds = new Map<number, SymKind>();
  for (let i = 1; i < shnum; i++) {
    const k = kindOfSection(secs[i].name, secs[i].type, secs[i].flags);
    if (k) kinds.set(i, k);
  }
  const symbols: Symbol[] = [];
  const bySec = new Map<number, { sym: Symbol; value: number }[]>();
  const relocLines = new Map<Symbol, number[]>();
  for (let i = 1; i < raw.length; i++) {
    const r = raw[i];
    if (r.type === C.STT_SECTION || r.type === C.STT_FILE) continue;
    if (r.shndx === C.SHN_UNDEF || r.shndx >= C.SHN_LORESERVE) continue;
    if (r.shndx >= shnum) fail(`symbol ${r.name} in bad section ${r.shndx}`);
    const kind = kinds.get(r.shndx);
    if (!kind) continue;
    const sec = secs[r.shndx];
    if (r.value > sec.size) fail(`symbol ${r.name} outside its section`);
    const f = info.get(i);
    const flags = f ? lettersToFlags(f[2]) : {};
    if (r.bind === C.STB_LOCAL) flags.local = true;
    if (r.bind === C.STB_WEAK) flags.dupok = true;
    const sym: Symbol = {
      name: r.name,
      kind,
      size: r.size,
      align: f ? Number(f[1]) || 1 : lowestAlign(r.value, sec.align),
      data: new Uint8Array(0),
      relocs: [],
      flags,
      file: f && f[6] ? f[6] : name,
      line: f ? Number(f[5]) || 0 : 0,
    };
    if (f && f[3] !== '-') sym.frameSize = Number(f[3]);
    if (f && f[4] !== '-') sym.argsSize = Number(f[4]);
    if (f && f[7]) relocLines.set(sym, f[7].split(',').map(Number));
    symbols.push(sym);
    let list = bySec.get(r.shndx);
    if (!list) bySec.set(r.shndx, (list = []));
    list.push({ sym, value: r.value });
  }
  for (const [si, list] of bySec) {
    const sec = secs[si];
    list.sort((a, b) => a.value - b.value);
    for (let j = 0; j < list.length; j++) {
      const { sym, value } = list[j];
      // A symbol without a size (hand-written assembly) runs to the next one.
      if (sym.size === 0) sym.size = (j + 1 < list.length ? list[j + 1].value : sec.size) - value;
      if (value + sym.size > sec.size) fail(`symbol ${sym.name} extends past its section`);
      if (sec.type !== C.SHT_NOBITS) sym.data = bytes.subarray(sec.offset + value, sec.offset + value + sym.size);
    }
  }

  // Relocations.
  for (let ri = 1; ri < shnum; ri++) {
    const rs = secs[ri];
    if (rs.type !== C.SHT_RELA && rs.type !== C.SHT_REL) continue;
    const rela = rs.type === C.SHT_RELA;
    if (rela !== arch.rela) fail(`${rs.name}: ${rela ? 'RELA' : 'REL'} relocations for this machine`);
    if (rs.info === 0 || rs.info >= shnum) fail(`${rs.name}: bad target section`);
    if (rs.link !== symtabIdx) fail(`${rs.name}: does not use the symbol table`);
    const target = secs[rs.info];
    const list = bySec.get(rs.info) ?? [];
    const esz = rela ? C.RELA_SIZE[arch.cls] : C.REL_SIZE[arch.cls];
    if (rs.entsize !== esz) fail(`${rs.name}: bad entry size`);
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
      if (is64) {
        offs[i] = getU64(dv, o);
        types[i] = u32(o + 8);
        syms[i] = u32(o + 12);
        if (rela) adds[i] = getI64(dv, o + 16);
      } else {
        const inf = u32(o + 4);
        offs[i] = u32(o);
        types[i] = inf & 0xff;
        syms[i] = inf >>> 8;
        if (rela) adds[i] = dv.getInt32(o + 8, true);
      }
      if (i > 0 && offs[i] < offs[i - 1]) sorted = false;
    }
    const order = new Uint32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    if (!sorted) order.sort((a, b) => offs[a] - offs[b]);
    let cursor = 0;
    let holder = list.length ? list[0] : undefined;
    let lines = holder ? relocLines.get(holder.sym) : undefined;
    const next = { type: 0, off: 0 };
    const raised: Raised = { type: 'R_CALL', size: 0, add: 0, consumed: 1 };
    for (let k = 0; k < count; ) {
      const i = order[k];
      const off = offs[i];
      const si = syms[i];
      if (si >= raw.length || si === 0) fail(`${rs.name}: bad symbol index ${si}`);
      if (target.type === C.SHT_NOBITS || off + 4 > target.size) fail(`${rs.name}: relocation outside its section`);
      const add = rela ? adds[i] : dv.getInt32(target.offset + off, true);
      let nx: { type: number; off: number } | undefined;
      if (k + 1 < count) {
        next.type = types[order[k + 1]];
        next.off = offs[order[k + 1]];
        nx = next;
      }
      const up = raiseReloc(arch.arch, types[i], add, nx, off, raised);
      if (typeof up === 'string') return fail(`${rs.name}+0x${off.toString(16)}: ${up}`);
      // Find the symbol holding the offset (entries are sorted, so a cursor suffices).
      if (cursor + 1 < list.length && list[cursor + 1].value <= off) {
        while (cursor + 1 < list.length && list[cursor + 1].value <= off) cursor++;
        holder = list[cursor];
        lines = relocLines.get(holder.sym);
      }
      if (!holder || off < holder.value || off + up.size > holder.value + holder.sym.size) fail(`${rs.name}+0x${off.toString(16)}: relocation not inside a symbol`);
      const rsym = raw[si];
      if (rsym.type === C.STT_SECTION) fail(`${rs.name}+0x${off.toString(16)}: relocation against a section symbol is not supported`);
      const s = holder!.sym;
      // Lines are listed in the order the writer emitted the symbol's relocations.
      const li = s.relocs.length;
      const line = lines && li < lines.length ? lines[li] || 0 : 0;
      s.relocs.push({ off: off - holder!.value, size: up.size, type: up.type, sym: rsym.name, add: up.add, line });
      k += up.consumed;
    }
  }

  return { target: { os: 'linux', arch: arch.arch }, name, symbols, dynimports };
}

function lowestAlign(value: number, secAlign: number): number {
  let a = Math.max(1, secAlign);
  while (a > 1 && value % a !== 0) a >>= 1;
  return a;
}
