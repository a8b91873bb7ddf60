// Writes an ObjectFile as an ELF relocatable object (ET_REL): ELF64 RELA for
// x86-64 and AArch64, ELF32 REL for i386.
//
// Layout: one section per symbol kind (.text, .rodata, .data, .noptrdata, .bss,
// .noptrbss, .tdata or .tbss), each followed by its relocation section; then
// asmlink's two non-allocated sections, an empty .note.GNU-stack (without it
// GNU ld assumes the code needs an executable stack and warns), .symtab,
// .strtab, .shstrtab, and the section header table last.
//
// asmlink information that ELF has no place for travels in non-ALLOC
// PROGBITS sections that other linkers ignore:
//
//   .asmlink.dynimport   UTF-8 text, one line per `//go:cgo_import_dynamic`
//       directive (`_ _ "lib"` included), fields separated by TAB:
//       local  remote  library  file  line  [version]
//   .asmlink.syminfo     little-endian 32-bit words (binary, because a large
//       program has one word per relocation here and reading text is slow):
//       a version word (2), then one record per defined symbol, in the
//       order the object gives its symbols (the linker lays symbols out in
//       that order, and .symtab cannot keep it: locals come first there):
//         symindex  align  flags  frame  args  line  file  n  line[0..n)
//       symindex is the .symtab index; flags are bits in FLAG_BITS order
//       (dupok, local, nosplit, noframe, wrapper, topframe, rodata, noptr),
//       plus 0x100 when frame is set and 0x200 when args is set; file is the
//       .symtab index of the STT_FILE symbol naming its source file (0: the
//       object's own name; version 1 had a .strtab offset here, which tools
//       that rebuild .strtab, objcopy among them, invalidate, where they keep
//       symbol indexes); line[i] is the source line of the symbol's i-th
//       relocation entry (in .rela order, an arm64 pair counting once).
//   .asmlink.link        the linker's columns, what asmlink's reader derives
//       from .symtab, the relocation sections and .asmlink.syminfo, stored as
//       arrays that linking takes as views (link-index.ts). Written when every
//       name is ASCII, as the linker compares names as bytes.
//
// File-local `<>` symbols are STB_LOCAL, DUPOK ones STB_WEAK (GNU ld keeps the
// first of several weak definitions, which is DUPOK's meaning).

import type { ObjectFile, SymKind } from '../../obj/symbol.js';
import { DiagnosticSink } from '../../diag.js';
import * as C from './consts.js';
import { ByteWriter, StrTab, SYM_WORDS, alignUp, relocWordCount, relocWords, symWords, wordBytes, writeEhdr, writeShdr, type Shdr } from './bytes.js';
import { elfArch, relocScratch, type ElfArch, type ElfRelocOut } from './relocs.js';
import { SECTION_SPECS, type SectionSpec } from './sections.js';
import { getU64 } from '../../obj/bytes.js';
import { encodeLinkIndex, newLinkIndex, type LinkIndexArrays } from '../../obj/link-index.js';
import { RELOC_TYPES } from '../../obj/reloc-table.js';
import type { Reloc } from '../../obj/reloc.js';
import { DUPOK_BIT, HIDDEN_BIT, IFUNC_BIT, LOCAL_BIT, columnData, columnsFromSymbols, objectColumnsOf, type ObjectColumns } from '../../obj/object-columns.js';
import type { DwarfOutput, DwarfSectionName } from '../dwarf/dwarf.js';
import { dwarfOfFunctions, type DebugSource } from '../dwarf/units.js';

export const SYMINFO_HAS_FRAME = 0x100;
export const SYMINFO_HAS_ARGS = 0x200;
export const SYMINFO_VERSION = 2;
/** The version whose file field was a .strtab offset (still read). */
export const SYMINFO_VERSION_STRTAB_FILES = 1;

function clean(s: string): string {
  return s.replace(/[\t\n]/g, ' ');
}

// The writer runs once per process, mostly before V8 optimizes it, on up to
// ~10^5 symbols and relocations. So: per-symbol facts live in typed arrays
// indexed by definition (ObjectColumns), relocation entries and the tables are
// built as 32-bit words with one store per field, nothing is allocated per
// element, and each pass over the symbols is a method of its own (V8 compiles
// a hot loop by compiling its whole function: small functions compile fast and
// are not thrown away when the code after the loop first runs).

interface OutSec {
  spec: SectionSpec;
  size: number;
  align: number;
  /** Its symbols are order[first, first + count). */
  first: number;
  count: number;
  /** Relocations of its symbols, before lowering. */
  nrelocs: number;
  /** Its ELF relocation entries are [relFirst, relEnd). */
  relFirst: number;
  relEnd: number;
  /** Reported as past the 32-bit limit (once per section). */
  tooLarge: boolean;
}

/** The object's sections, .symtab numbering and relocation entries, built by place(), number() and lower() in turn. */
class Layout {
  readonly secs: OutSec[] = [];
  /** Per symbol: index in secs. */
  readonly secOf: Int8Array;
  /** Per symbol: offset in its section. */
  readonly offOf: Float64Array;
  /** The defined symbols grouped by section, each section's in object order. */
  order = new Int32Array(0);
  nlocal = 0;
  /**
   * .symtab: null, the object's file (its base name, as C compilers name it),
   * the other source files its symbols come from (full names, as
   * diagnostics give them), locals, globals (each in section order), then
   * undefined symbols in order of first reference.
   */
  files: string[] = [];
  /** Section indexes of the STT_SECTION symbols that follow the files (debugging information refers to its sections through them). */
  sectionShndx: number[] = [];
  firstDef = 2;
  firstGlobal = 0;
  firstUndef = 0;
  /** Per symbol: its .symtab index; atIndex[k - firstDef] is the symbol at .symtab index k. */
  readonly indexOf: Int32Array;
  atIndex = new Int32Array(0);
  /** .symtab index by name id: the relocations' targets (-1: none yet). */
  readonly indexOfName: Int32Array;
  /** Name ids of the undefined symbols, in .symtab order. */
  readonly undefNames: number[] = [];
  /** Per entry of undefNames: 1 for a thread-local variable (a library's, reached through R_TLS_IE), which .symtab types STT_TLS as the system linker requires. */
  readonly undefTls: number[] = [];
  /** ELF relocation entries, as words (relW per entry). */
  relWords = new Uint32Array(0);
  readonly relW: number;
  /** REL: each entry's field offset and addend, written into the contents. */
  fieldOff = new Float64Array(0);
  fieldAdd = new Float64Array(0);
  /** Per symbol: the source lines of its relocations, lines[firstLine, firstLine + nlines). */
  lines = new Uint32Array(0);
  /** The same relocations as the linker reads them back (see link-index.ts), indexed like lines. */
  rOff = new Int32Array(0);
  rSize = new Uint8Array(0);
  rType = new Uint8Array(0);
  rSym = new Int32Array(0);
  rAdd = new Float64Array(0);
  readonly firstLine: Int32Array;
  readonly nlines: Int32Array;
  /** Number of relocations lowered (entries of lines). */
  nrel = 0;
  /** Per symbol: the .symtab index of its file's STT_FILE symbol. */
  readonly fileSym: Int32Array;

  constructor(
    readonly cols: ObjectColumns,
    readonly arch: ElfArch,
  ) {
    const n = cols.count;
    this.secOf = new Int8Array(n);
    this.offOf = new Float64Array(n);
    this.indexOf = new Int32Array(n);
    this.firstLine = new Int32Array(n);
    this.nlines = new Int32Array(n);
    this.fileSym = new Int32Array(n);
    this.indexOfName = new Int32Array(cols.names.length).fill(-1);
    this.relW = relocWordCount(arch.cls, arch.rela);
  }

  /** A symbol's extent: its size, or more when it has more bytes. */
  extent(i: number): number {
    return Math.max(this.cols.size[i], this.cols.dataLen[i]);
  }

  /** Assigns the symbols to sections and offsets; a 32-bit object's sections must fit 32-bit sizes. */
  place(diag: DiagnosticSink): void {
    const { cols, secs, secOf, offOf } = this;
    const limit = this.arch.cls === 32 ? 0xffffffff : Infinity;
    const n = cols.count;
    // Sections in SECTION_SPECS order; TLS symbols go to .tdata when any has bytes, else to .tbss.
    let tlsHasData = false;
    for (let i = 0; i < n && !tlsHasData; i++) if (cols.kind[i] === 'tls' && this.hasBytes(i)) tlsHasData = true;
    const secByKind = new Map<SymKind, number>();
    for (const spec of SECTION_SPECS) {
      if (spec.kind === 'tls' && (spec.name === '.tdata') !== tlsHasData) continue;
      secByKind.set(spec.kind, secs.length);
      secs.push({ spec, size: 0, align: 1, first: 0, count: 0, nrelocs: 0, relFirst: 0, relEnd: 0, tooLarge: false });
    }
    for (let i = 0; i < n; i++) {
      const k = secByKind.get(cols.kind[i])!;
      const o = secs[k];
      let a = 1;
      while (a < cols.align[i] && a < 0x10000) a *= 2;
      o.size = alignUp(o.size, a);
      offOf[i] = o.size;
      o.size += this.extent(i);
      if (o.size > limit && !o.tooLarge) {
        o.tooLarge = true;
        diag.error({ file: cols.file[i], line: cols.line[i], col: 0 }, `${this.name(i)} ends past 4 GiB into ${o.spec.name} (which would be ${o.size} bytes): more than a 32-bit ELF object can hold`);
      }
      if (a > o.align) o.align = a;
      o.count++;
      o.nrelocs += cols.relocCount[i];
      secOf[i] = k;
      if (cols.flagBits[i] & LOCAL_BIT) this.nlocal++;
    }
    let ndef = 0;
    for (const o of secs) {
      o.first = ndef;
      ndef += o.count;
    }
    const order = new Int32Array(ndef);
    const placed = new Int32Array(secs.length);
    for (let i = 0; i < n; i++) {
      const k = secOf[i];
      order[secs[k].first + placed[k]++] = i;
    }
    this.order = order;
  }

  private hasBytes(i: number): boolean {
    const { cols } = this;
    const data = cols.chunks[cols.chunk[i]];
    for (let p = cols.dataOff[i], end = p + cols.dataLen[i]; p < end; p++) if (data[p] !== 0) return true;
    return false;
  }

  /** Numbers the .symtab entries: the source files' (`objFile` is the object's, at index 1), then the symbols'. */
  number(objFile: string, sectionSyms: number): void {
    const { cols, order, indexOf, indexOfName, fileSym, files } = this;
    // Consecutive symbols mostly share their file: one map lookup per run.
    const fileIndex = new Map<string, number>([[objFile, 1]]);
    let last = '';
    let lastIndex = 0;
    for (let i = 0; i < cols.count; i++) {
      if (i === 0 || cols.file[i] !== last) {
        last = cols.file[i];
        lastIndex = fileIndex.get(last) ?? 0;
        if (lastIndex === 0) {
          lastIndex = 2 + files.length;
          fileIndex.set(last, lastIndex);
          files.push(last);
        }
      }
      fileSym[i] = lastIndex;
    }
    const ndef = order.length;
    const firstDef = (this.firstDef = 2 + files.length + sectionSyms);
    this.firstGlobal = firstDef + this.nlocal;
    this.firstUndef = firstDef + ndef;
    const atIndex = new Int32Array(ndef);
    let nextLocal = firstDef;
    let nextGlobal = this.firstGlobal;
    for (let j = 0; j < ndef; j++) {
      const i = order[j];
      const k = cols.flagBits[i] & LOCAL_BIT ? nextLocal++ : nextGlobal++;
      indexOf[i] = k;
      atIndex[k - firstDef] = i;
    }
    // Set in .symtab order: of several defined symbols with one name, the last is the target.
    for (let j = 0; j < ndef; j++) indexOfName[cols.nameId[atIndex[j]]] = firstDef + j;
    this.atIndex = atIndex;
  }

  /** Lowers the relocations to ELF entries, section by section; reports what cannot be written. */
  lower(diag: DiagnosticSink): void {
    const { secs, arch } = this;
    // Sized for the most entries lower() can make: scratch.length per relocation.
    const scratch = relocScratch();
    let nrelocs = 0;
    for (const o of secs) if (o.spec.type !== C.SHT_NOBITS) nrelocs += o.nrelocs;
    const max = nrelocs * scratch.length;
    this.relWords = new Uint32Array(max * this.relW);
    if (!arch.rela) {
      this.fieldOff = new Float64Array(max);
      this.fieldAdd = new Float64Array(max);
    }
    // One line and one index entry per relocation, however many ELF entries it makes.
    this.lines = new Uint32Array(nrelocs);
    this.rOff = new Int32Array(nrelocs);
    this.rSize = new Uint8Array(nrelocs);
    this.rType = new Uint8Array(nrelocs);
    this.rSym = new Int32Array(nrelocs);
    this.rAdd = new Float64Array(nrelocs);
    // One Reloc object, refilled for each entry, for the arch's lowering.
    const r: Reloc = { off: 0, size: 0, type: 'R_CALL', sym: '', add: 0, line: 0 };
    let nent = 0;
    let nline = 0;
    for (const o of secs) {
      o.relFirst = nent;
      for (let j = o.first; j < o.first + o.count; j++) {
        const i = this.order[j];
        if (o.spec.type === C.SHT_NOBITS) {
          if (this.cols.relocCount[i]) diag.error({ file: this.cols.file[i], line: this.cols.line[i], col: 0 }, `${this.name(i)}: relocations in a zero-filled symbol`);
          continue;
        }
        this.firstLine[i] = nline;
        nent = this.lowerSymbol(i, nent, r, scratch, diag);
        nline += this.nlines[i];
      }
      o.relEnd = nent;
    }
    this.nrel = nline;
  }

  name(i: number): string {
    return this.cols.names[this.cols.nameId[i]];
  }

  /** The entries of symbol i's relocations in order of offset (mostly they are already). */
  private relocOrder(i: number): Int32Array | null {
    const t = this.cols.relocs;
    const start = this.cols.relocStart[i];
    const end = start + this.cols.relocCount[i];
    for (let q = start + 1; q < end; q++)
      if (t.off[q] < t.off[q - 1]) {
        const ord = new Int32Array(end - start);
        for (let k = 0; k < ord.length; k++) ord[k] = start + k;
        // A stable sort by offset, as Array.prototype.sort is.
        return Int32Array.from(Array.from(ord).sort((a, b) => t.off[a] - t.off[b]));
      }
    return null;
  }

  /** Lowers one symbol's relocations into entries from nent on; returns the next free entry. */
  private lowerSymbol(i: number, nent: number, r: Reloc, scratch: ElfRelocOut[], diag: DiagnosticSink): number {
    const { arch, relWords, relW, lines, indexOfName, undefNames, cols } = this;
    const { cls, rela } = arch;
    const t = cols.relocs;
    const base = this.offOf[i];
    const start = cols.relocStart[i];
    const count = cols.relocCount[i];
    if (count === 0) {
      this.nlines[i] = 0;
      return nent;
    }
    const data = columnData(cols, i);
    const inText = cols.kind[i] === 'text';
    const ord = this.relocOrder(i);
    const symSize = this.extent(i);
    let nline = this.firstLine[i];
    for (let q = 0; q < count; q++) {
      const e = ord ? ord[q] : start + q;
      r.off = t.off[e];
      r.size = t.size[e];
      r.type = RELOC_TYPES[t.type[e]];
      r.add = t.add[e];
      const low = r.off < 0 || r.off + r.size > symSize ? 'relocation outside the symbol' : arch.lower(r, data, inText, scratch);
      if (typeof low === 'string') {
        diag.error({ file: cols.file[i], line: t.line[e] || cols.line[i], col: 0 }, `${this.name(i)}+0x${r.off.toString(16)}: cannot write relocation to ${t.name(t.sym[e])}: ${low}`);
        continue;
      }
      if (low === 0) continue;
      const id = t.sym[e];
      let sym = indexOfName[id];
      if (sym < 0) {
        sym = this.firstUndef + undefNames.length;
        undefNames.push(id);
        this.undefTls.push(0);
        indexOfName[id] = sym;
      }
      if ((r.type === 'R_TLS_IE' || r.type === 'R_TLS_LE') && sym >= this.firstUndef) this.undefTls[sym - this.firstUndef] = 1;
      this.rOff[nline] = r.off;
      this.rSize[nline] = r.size;
      this.rType[nline] = t.type[e];
      this.rSym[nline] = sym;
      this.rAdd[nline] = r.add;
      lines[nline++] = t.line[e];
      for (let k = 0; k < low; k++) {
        const x = scratch[k];
        const off = base + r.off + x.delta;
        relocWords(relWords, nent * relW, cls, rela, off, sym, x.type, x.addend);
        if (!rela) {
          this.fieldOff[nent] = off;
          this.fieldAdd[nent] = x.addend;
        }
        nent++;
      }
    }
    this.nlines[i] = nline - this.firstLine[i];
    return nent;
  }

  /** The .symtab entries of the null symbol, the files and the defined symbols (the undefined ones are added by undefSymtab). */
  symtab(symstr: StrTab, objFile: string, shndxOf: Int32Array): Uint32Array {
    const { cols, atIndex, offOf, secOf, firstGlobal, firstDef, files } = this;
    const cls = this.arch.cls;
    const sw = SYM_WORDS[cls];
    const w = new Uint32Array((this.firstUndef + this.undefNames.length) * sw);
    for (let k = 1; k < 2 + files.length; k++) symWords(w, k * sw, cls, symstr.add(k === 1 ? objFile : files[k - 2]), 0, 0, (C.STB_LOCAL << 4) | C.STT_FILE, 0, C.SHN_ABS);
    for (let k = 2 + files.length; k < firstDef; k++) symWords(w, k * sw, cls, 0, 0, 0, (C.STB_LOCAL << 4) | C.STT_SECTION, 0, this.sectionShndx[k - 2 - files.length]);
    for (let j = 0; j < atIndex.length; j++) {
      const k = firstDef + j;
      const i = atIndex[j];
      const kind = cols.kind[i];
      const type = kind === 'text' ? (cols.flagBits[i] & IFUNC_BIT ? C.STT_GNU_IFUNC : C.STT_FUNC) : kind === 'tls' ? C.STT_TLS : C.STT_OBJECT;
      const bind = k < firstGlobal ? C.STB_LOCAL : cols.flagBits[i] & DUPOK_BIT ? C.STB_WEAK : C.STB_GLOBAL;
      const other = cols.flagBits[i] & HIDDEN_BIT ? C.STV_HIDDEN : C.STV_DEFAULT;
      symWords(w, k * sw, cls, symstr.addUnique(this.name(i)), offOf[i], this.extent(i), (bind << 4) | type, other, shndxOf[secOf[i]]);
    }
    return w;
  }

  /** Adds the undefined symbols' entries to symtab()'s words; those named in `weak` (ObjectFile.weakRefs) are STB_WEAK. */
  undefSymtab(w: Uint32Array, symstr: StrTab, weak: ReadonlySet<string>): void {
    const cls = this.arch.cls;
    const sw = SYM_WORDS[cls];
    for (let u = 0; u < this.undefNames.length; u++) {
      const name = this.cols.names[this.undefNames[u]];
      const bind = weak.has(name) ? C.STB_WEAK : C.STB_GLOBAL;
      symWords(w, (this.firstUndef + u) * sw, cls, symstr.add(name), 0, 0, (bind << 4) | (this.undefTls[u] ? C.STT_TLS : C.STT_NOTYPE), 0, C.SHN_UNDEF);
    }
  }

  /** .asmlink.syminfo: a record per defined symbol, in object order. */
  syminfo(): Uint32Array {
    const { cols, indexOf, firstLine, nlines, lines, fileSym } = this;
    const n = cols.count;
    let len = 1;
    for (let i = 0; i < n; i++) len += 8 + nlines[i];
    const w = new Uint32Array(len);
    w[0] = SYMINFO_VERSION;
    let k = 1;
    for (let i = 0; i < n; i++) {
      const frame = cols.frameSize[i];
      const args = cols.argsSize[i];
      w[k] = indexOf[i];
      w[k + 1] = cols.align[i];
      w[k + 2] = cols.flagBits[i] | (frame === frame ? SYMINFO_HAS_FRAME : 0) | (args === args ? SYMINFO_HAS_ARGS : 0);
      w[k + 3] = frame === frame ? frame : 0;
      w[k + 4] = args === args ? args : 0;
      w[k + 5] = cols.line[i];
      // Always a file: the object is read back under its own name (x.o), and diagnostics must name the source (x.s).
      w[k + 6] = fileSym[i];
      w[k + 7] = nlines[i];
      k += 8;
      for (let q = firstLine[i], end = q + nlines[i]; q < end; q++) w[k++] = lines[q];
    }
    return w;
  }

  /**
   * .asmlink.link (link-index.ts) without its tie to the tables, or null when
   * the reader could not take the object's names as bytes: it needs every
   * name ASCII and every local one spelled `name<>`, as asmlink spells them.
   */
  linkIndex(symWords: Uint32Array, strtab: Uint8Array, shndxOf: Int32Array): LinkIndexArrays | null {
    const { cols, secOf, offOf, indexOf, firstLine, nlines, lines, firstGlobal, nrel, fileSym } = this;
    for (let i = 0; i < strtab.length; i++) if (strtab[i] >= 0x80) return null;
    const sw = SYM_WORDS[this.arch.cls];
    const m = symWords.length / sw;
    const n = cols.count;
    const a = newLinkIndex(n, m, nrel);
    for (let j = 0; j < m; j++) a.nameoff[j] = symWords[j * sw];
    for (let i = 0; i < n; i++) {
      const bits = cols.flagBits[i];
      if (bits & LOCAL_BIT && !this.name(i).endsWith('>')) return null;
      const bind = indexOf[i] < firstGlobal ? C.STB_LOCAL : bits & DUPOK_BIT ? C.STB_WEAK : C.STB_GLOBAL;
      a.size[i] = this.extent(i);
      a.name[i] = indexOf[i];
      a.align[i] = cols.align[i] || 1; // as the syminfo reader takes it
      a.flags[i] = bits * 16 + bind;
      a.file[i] = a.nameoff[fileSym[i]]; // its STT_FILE symbol's name
      a.line[i] = cols.line[i];
      a.shndx[i] = shndxOf[secOf[i]];
      a.value[i] = offOf[i];
      a.rstart[i] = firstLine[i];
      a.rcount[i] = nlines[i];
    }
    a.roff.set(this.rOff.subarray(0, nrel));
    a.rsize.set(this.rSize.subarray(0, nrel));
    a.rtype.set(this.rType.subarray(0, nrel));
    a.rsym.set(this.rSym.subarray(0, nrel));
    a.add.set(this.rAdd.subarray(0, nrel));
    a.rline.set(lines.subarray(0, nrel));
    return a;
  }

  /** Writes a section's symbols, at `at` (its file offset), with zeros between them; REL addends go into the fields. */
  contents(out: PieceWriter, o: OutSec, at: number): void {
    const { cols, order, offOf, fieldOff, fieldAdd } = this;
    const rel = !this.arch.rela;
    // A symbol's REL entries follow the previous symbol's, each inside its symbol (lower() made them so).
    let e = o.relFirst;
    for (let j = o.first; j < o.first + o.count; j++) {
      const i = order[j];
      const base = offOf[i];
      const len = this.extent(i);
      const data = cols.chunks[cols.chunk[i]];
      const from = cols.dataOff[i];
      const to = from + cols.dataLen[i];
      out.zerosTo(at + base);
      if (!rel || e >= o.relEnd || fieldOff[e] >= base + len) {
        out.bytes(data, from, to);
        continue;
      }
      let last = e;
      while (last < o.relEnd && fieldOff[last] < base + len) last++;
      out.patched(data, from, to, len, fieldOff, fieldAdd, e, last, base);
      e = last;
    }
  }
}

/**
 * Hands the file's bytes, in order, to a sink through a buffer of its own,
 * so that the object is never one buffer in memory. A sink must be done
 * with the bytes when it returns: the buffer is reused.
 */
class PieceWriter {
  private readonly buf = new Uint8Array(1 << 16);
  private readonly dv = new DataView(this.buf.buffer);
  private n = 0;
  /** Bytes handed to the sink so far. */
  private flushed = 0;

  constructor(private readonly sink: (bytes: Uint8Array) => void) {}

  get offset(): number {
    return this.flushed + this.n;
  }

  /** The bytes b[from, to). */
  bytes(b: Uint8Array, from = 0, to = b.length): void {
    const len = to - from;
    if (len >= this.buf.length) {
      // A large table goes to the sink as it is, without a copy.
      this.flush();
      this.sink(from === 0 && to === b.length ? b : b.subarray(from, to));
      this.flushed += len;
      return;
    }
    if (this.n + len > this.buf.length) this.flush();
    if (len > 32) this.buf.set(b.subarray(from, to), this.n);
    else for (let p = from, q = this.n; p < to; p++, q++) this.buf[q] = b[p];
    this.n += len;
  }

  /**
   * len bytes, b[from, to)'s then zeros, with the 32-bit values vals[first,
   * last) written little-endian at offs[first, last) - base within them (REL
   * addends): patched in the buffer, without a copy of b per symbol.
   */
  patched(b: Uint8Array, from: number, to: number, len: number, offs: Float64Array, vals: Float64Array, first: number, last: number, base: number): void {
    if (len > this.buf.length) {
      const copy = new Uint8Array(len);
      copy.set(b.subarray(from, to));
      const dv = new DataView(copy.buffer);
      for (let e = first; e < last; e++) dv.setInt32(offs[e] - base, vals[e], true);
      this.bytes(copy);
      return;
    }
    if (this.n + len > this.buf.length) this.flush();
    const at = this.n;
    this.bytes(b, from, to);
    this.buf.fill(0, this.n, at + len);
    for (let e = first; e < last; e++) this.dv.setInt32(at + offs[e] - base, vals[e], true);
    this.n = at + len;
  }

  /** Zeros up to an absolute file offset. */
  zerosTo(off: number): void {
    if (off < this.offset) throw new Error(`internal: zerosTo ${off} < ${this.offset}`);
    while (this.offset < off) {
      if (this.n === this.buf.length) this.flush();
      const k = Math.min(off - this.offset, this.buf.length - this.n);
      this.buf.fill(0, this.n, this.n + k);
      this.n += k;
    }
  }

  flush(): void {
    if (this.n === 0) return;
    this.sink(this.buf.subarray(0, this.n));
    this.flushed += this.n;
    this.n = 0;
  }
}

/** An object laid out and checked, ready to be written: its size and a function that writes its bytes in order to a sink. */
export interface ObjectImage {
  size: number;
  write(sink: (bytes: Uint8Array) => void): void;
}

export function writeElfObject(obj: ObjectFile): Uint8Array {
  const image = elfObjectImage(obj);
  const out = new Uint8Array(image.size);
  let at = 0;
  image.write((b) => {
    out.set(b, at);
    at += b.length;
  });
  return out;
}

/**
 * Lays out obj as an ELF object, throwing DiagnosticError for what cannot be
 * written, and returns the image that writes it: the CLI streams it to the
 * output file piece by piece instead of building one buffer of the whole object.
 */
export function elfObjectImage(obj: ObjectFile): ObjectImage {
  if (obj.target.os !== 'linux') throw new Error(`internal: ELF object for ${obj.target.os}`);
  const arch = elfArch(obj.target.arch);
  const { cls, rela } = arch;
  // The assembler's columns when nobody has asked for its symbols, else columns made from them.
  const L = new Layout(objectColumnsOf(obj) ?? columnsFromSymbols(obj.symbols), arch);
  // The object's file symbol is its source's base name, as C compilers write it.
  const objFile = obj.name.replace(/^.*\//, '');
  const diag = new DiagnosticSink();
  L.place(diag);
  diag.check();
  const debug = obj.debug ? objectDwarf(L, obj.debug.compDir) : null;
  L.number(objFile, debug ? debug.sectionSymbols.length : 0);
  L.lower(diag);
  diag.check();

  // Section headers: each non-empty content section (empty ones are left
  // out, so tools see only what is there), then its relocation section if
  // any. A section's bytes are its data, or (`sec`) its symbols' contents.
  const shstr = new StrTab();
  const shdrs: (Shdr & { data: Uint8Array | null; sec: OutSec | null })[] = [];
  const nullShdr = { name: 0, type: 0, flags: 0, addr: 0, offset: 0, size: 0, link: 0, info: 0, addralign: 0, entsize: 0, data: null, sec: null };
  shdrs.push(nullShdr);
  const shndxOf = new Int32Array(L.secs.length);
  const relShdrs: number[] = [];
  for (let k = 0; k < L.secs.length; k++) {
    const o = L.secs[k];
    if (o.count === 0) continue;
    shndxOf[k] = shdrs.length;
    shdrs.push({ ...nullShdr, name: shstr.add(o.spec.name), type: o.spec.type, flags: o.spec.flags, size: o.size, addralign: o.align, sec: o });
    if (o.relEnd > o.relFirst) {
      relShdrs.push(shdrs.length);
      const data = wordBytes(L.relWords.subarray(o.relFirst * L.relW, o.relEnd * L.relW));
      shdrs.push({
        ...nullShdr,
        name: shstr.add((rela ? '.rela' : '.rel') + o.spec.name),
        type: rela ? C.SHT_RELA : C.SHT_REL,
        flags: C.SHF_INFO_LINK,
        size: data.length,
        info: shndxOf[k],
        addralign: cls === 64 ? 8 : 4,
        entsize: rela ? C.RELA_SIZE[cls] : C.REL_SIZE[cls],
        data,
      });
    }
  }

  if (debug) {
    const at = new Map<string, number>();
    for (const d of debug.sections) {
      at.set(d.name, shdrs.length);
      shdrs.push({ ...nullShdr, name: shstr.add(d.name), type: C.SHT_PROGBITS, size: d.data.length, addralign: 1, data: d.data });
    }
    L.sectionShndx = debug.sectionSymbols.map((n) => at.get(n)!);
    for (const d of debug.sections) {
      const data = dwarfRelocations(L, debug, d.name, d.data);
      if (data.length === 0) continue;
      relShdrs.push(shdrs.length);
      shdrs.push({
        ...nullShdr,
        name: shstr.add((rela ? '.rela' : '.rel') + d.name),
        type: rela ? C.SHT_RELA : C.SHT_REL,
        flags: C.SHF_INFO_LINK,
        size: data.length,
        info: at.get(d.name)!,
        addralign: cls === 64 ? 8 : 4,
        entsize: rela ? C.RELA_SIZE[cls] : C.REL_SIZE[cls],
        data,
      });
    }
  }

  // .strtab holds the file names, the defined symbols' names, then the
  // undefined symbols' names: this order of adds fixes its bytes.
  const symstr = new StrTab();
  const symWordsAll = L.symtab(symstr, objFile, shndxOf);
  const info = L.syminfo();
  L.undefSymtab(symWordsAll, symstr, new Set(obj.weakRefs ?? []));
  const strData = symstr.finish();
  // The index has no place for weak references: an object with some is read from its tables.
  const index = L.order.length > 0 && !obj.weakRefs?.length ? L.linkIndex(symWordsAll, strData, shndxOf) : null;

  const addNote = (name: string, data: Uint8Array, addralign: number) => {
    shdrs.push({ ...nullShdr, name: shstr.add(name), type: C.SHT_PROGBITS, size: data.length, addralign, data });
  };
  if (obj.dynimports.length)
    addNote(
      C.DYNIMPORT_SECTION,
      // The version is a sixth field, only when there is one: older readers take the first five.
      new TextEncoder().encode(obj.dynimports.map((d) => [d.local, d.remote, clean(d.library), clean(d.file), d.line, ...(d.version === undefined ? [] : [d.version])].join('\t') + '\n').join('')),
      1,
    );
  if (L.order.length > 0) addNote(C.SYMINFO_SECTION, wordBytes(info), 4);
  // Filled in below, once the section numbers it is tied to are known.
  const indexAt = shdrs.length;
  if (index) addNote(C.LINK_INDEX_SECTION, new Uint8Array(0), 8);
  addNote('.note.GNU-stack', new Uint8Array(0), 1);

  const symtabIdx = shdrs.length;
  const symData = wordBytes(symWordsAll);
  shdrs.push({ ...nullShdr, name: shstr.add('.symtab'), type: C.SHT_SYMTAB, size: symData.length, link: symtabIdx + 1, info: L.firstGlobal, addralign: cls === 64 ? 8 : 4, entsize: C.SYM_SIZE[cls], data: symData });
  shdrs.push({ ...nullShdr, name: shstr.add('.strtab'), type: C.SHT_STRTAB, size: strData.length, addralign: 1, data: strData });
  for (const ri of relShdrs) shdrs[ri].link = symtabIdx;
  const shstrIdx = shdrs.length;
  const shstrName = shstr.add('.shstrtab');
  const shstrData = shstr.finish();
  shdrs.push({ ...nullShdr, name: shstrName, type: C.SHT_STRTAB, size: shstrData.length, addralign: 1, data: shstrData });
  if (index) {
    const data = encodeLinkIndex(index, { table: symtabIdx, strings: strData.length, sections: shdrs.length });
    shdrs[indexAt].data = data;
    shdrs[indexAt].size = data.length;
  }

  // Reserve, then write.
  let off: number = C.EHDR_SIZE[cls];
  for (let i = 1; i < shdrs.length; i++) {
    const h = shdrs[i];
    off = alignUp(off, Math.max(1, h.addralign));
    h.offset = off;
    if (h.type !== C.SHT_NOBITS) off += h.size;
  }
  const shoff = alignUp(off, 8);
  const ehdr = new ByteWriter(C.EHDR_SIZE[cls]);
  const osabi = L.cols.flagBits.some((b) => (b & IFUNC_BIT) !== 0) ? C.ELFOSABI_GNU : C.ELFOSABI_SYSV;
  writeEhdr(ehdr, cls, { type: C.ET_REL, machine: arch.machine, entry: 0, phoff: 0, shoff, flags: 0, phnum: 0, shnum: shdrs.length, shstrndx: shstrIdx, osabi });
  const shdrTable = new ByteWriter(shdrs.length * C.SHDR_SIZE[cls]);
  for (const h of shdrs) writeShdr(shdrTable, cls, h);
  return {
    size: shoff + shdrs.length * C.SHDR_SIZE[cls],
    write(sink) {
      const out = new PieceWriter(sink);
      out.bytes(ehdr.finish());
      for (let i = 1; i < shdrs.length; i++) {
        const h = shdrs[i];
        if (h.type === C.SHT_NOBITS) continue;
        out.zerosTo(h.offset);
        if (h.data) out.bytes(h.data);
        else if (h.sec) L.contents(out, h.sec, h.offset);
      }
      out.zerosTo(shoff);
      out.bytes(shdrTable.finish());
      out.flush();
    },
  };
}

/** The debugging sections other sections refer to (through a section symbol each, in this order after the file symbols, those the object has). */
const DWARF_SECTION_SYMBOLS: readonly DwarfSectionName[] = ['.debug_abbrev', '.debug_line', '.debug_ranges', '.debug_frame'];

interface ObjectDwarf extends DwarfOutput {
  /** Per unit, per function: its definition (index in the columns). */
  members: number[][];
  /** The sections with a section symbol, in .symtab order. */
  sectionSymbols: DwarfSectionName[];
}

/** The object's DWARF, its addresses relative to each function (dwarfRelocations makes them relocations). */
function objectDwarf(L: Layout, compDir: string | undefined): ObjectDwarf {
  const { cols } = L;
  const fns: DebugSource[] = [];
  const defs: number[] = [];
  for (let i = 0; i < cols.count; i++) {
    const insts = cols.kind[i] === 'text' ? cols.insts?.[i]?.() : undefined;
    if (!insts || insts.length === 0) continue;
    fns.push({ name: L.name(i), file: cols.file[i], address: 0, size: L.extent(i), external: !(cols.flagBits[i] & LOCAL_BIT), line: cols.line[i], insts });
    defs.push(i);
  }
  const out = dwarfOfFunctions(fns, L.arch.arch, compDir, true);
  const sectionSymbols = DWARF_SECTION_SYMBOLS.filter((n) => out.sections.some((d) => d.name === n));
  return { ...out, members: out.members.map((m) => m.map((f) => defs[f])), sectionSymbols };
}

/**
 * The relocation entries of one DWARF section, as bytes: each address
 * against its function's symbol, each offset into another debugging section
 * against that section's symbol; the addend is the value the field holds
 * (RELA: the field is then cleared).
 */
function dwarfRelocations(L: Layout, debug: ObjectDwarf, section: DwarfSectionName, data: Uint8Array): Uint8Array {
  const { cls, rela } = L.arch;
  const fixups = debug.fixups.filter((f) => f.section === section);
  const words = new Uint32Array(fixups.length * L.relW);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  fixups.forEach((f, n) => {
    const value = f.size === 8 ? getU64(dv, f.offset) : dv.getUint32(f.offset, true);
    const sym = f.kind === 'address' ? L.indexOf[debug.members[f.unit][f.fn]] : L.firstDef - debug.sectionSymbols.length + debug.sectionSymbols.indexOf(f.target);
    const type = f.size === 8 ? L.arch.absPointer : L.arch.abs32;
    if (rela) data.fill(0, f.offset, f.offset + f.size);
    relocWords(words, n * L.relW, cls, rela, f.offset, sym, type, rela ? value : 0);
  });
  return wordBytes(words);
}

export type { ElfArch };
