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
// over and over). A link reads each file once, so the loops mostly run before
// V8 has optimized them: they read the tables as 32-bit words (array reads,
// not a DataView call per field), keep per-symbol facts in typed-array
// columns indexed by .symtab index rather than in objects, and make no string
// for the name of an undefined symbol until someone asks for it (most are
// looked up once, by the linker). Relocations go into one RelocTable per
// object (columns, no object per relocation); symbols are TableSymbols over it.

import { symbolsWhenAsked, type ComdatGroup, type CSection, type DynImport, type ObjectFile, type SymFlags, type SymKind, type Symbol } from '../../obj/symbol.js';
import { setLineTables, type Insts } from '../../obj/line-tables.js';
import { ReadBackLines, readLinePrograms, type FieldRelocation } from '../dwarf/read-lines.js';
import { DwarfReadError } from '../dwarf/cursor.js';
import { readFrameTables } from '../dwarf/read-frames.js';
import { cfiOf } from '../dwarf/dwarf.js';
import { setColumns } from '../../obj/columns.js';
import { RELOC_TYPES, RELOC_TYPE_INDEX, RelocTable, TableSymbol, small } from '../../obj/reloc-table.js';
import { DiagnosticError } from '../../diag.js';
import * as C from './consts.js';
import { bytesAsWords } from './bytes.js';
import { getI64, getU64 } from '../../obj/bytes.js';
import { elfArchByMachine, raiseReloc, setRaised, type ElfArch, type Raised } from './relocs.js';
import { isTlsRewrite, rewriteTls, type NextEntry, type TlsRewrite } from './tls-relax.js';
import { kindOfSection } from './sections.js';
import { constructorsRefused } from '../constructors.js';
import { SYMINFO_HAS_ARGS, SYMINFO_HAS_FRAME, SYMINFO_VERSION, SYMINFO_VERSION_STRTAB_FILES } from './write-object.js';
import { DUPOK_BIT, HIDDEN_BIT, IFUNC_BIT, LOCAL_BIT, sharedFlags } from '../../obj/object-columns.js';
import { firstAtOrAbove, firstBadAddend, firstBadTarget, firstRelocOutside, indexColumns, viewLinkIndex, type LinkIndexArrays } from '../../obj/link-index.js';
import { lastAtOrBefore } from '../../obj/search.js';

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
  /** For a string table: its contents decoded once when all ASCII (null if not), undefined until then. */
  text: string | null | undefined;
  /** Strings read from it one at a time so far (see strAt). */
  singles: number;
}

/** The .symtab in columns. */
interface SymCols {
  /** Entries: those of .symtab (`inFile`), then any the reader added for sections without one (Reader.addSectionSymbols). */
  count: number;
  inFile: number;
  /**
   * Names of the defined symbols (and of every symbol when the string table
   * is not well formed); undefined for the others, made on demand by
   * Reader.symbolName: most of them are never asked for.
   */
  names: (string | undefined)[];
  /** Per entry: its name's offset in the string table (checked to be inside it), and whether it is a local respelled `name<>`. */
  nameOff: Uint32Array;
  respelled: Uint8Array;
  /** Names are made on demand (the string table ends in NUL): every name in it is terminated. */
  lazy: boolean;
  /** Entries with a section index (at most this many are placed). */
  ndef: number;
  /** Names given here rather than by the string table: a section symbol standing for its section (Reader.symbols). */
  synth: Map<number, string>;
  /** File offsets of the .symtab entries and of the string table. */
  offset: number;
  strs: Sec | null;
  values: Float64Array;
  sizes: Float64Array;
  info: Uint8Array;
  /** Per entry: st_other's visibility (STV_*). */
  visibility: Uint8Array;
  shndx: Uint16Array;
}

/**
 * .asmlink.syminfo, indexed: one record per symbol, in the object's symbol
 * order, each of words: .symtab index, alignment, flag bits, frame size, args
 * size, line, file (.symtab index of an STT_FILE symbol; a .strtab offset in
 * version 1), number of relocation lines, then those lines.
 */
interface SymInfo {
  /** The section as words. */
  w: Uint32Array;
  /** Whether file fields are .strtab offsets (version 1) rather than .symtab indexes. */
  strtabFiles: boolean;
  /** Per .symtab index: the word index of its record, or -1 (empty: no section). */
  at: Int32Array;
  /** The records' .symtab indexes in their order, which is the object's symbol order. */
  order: number[];
}

/** Word offsets within a syminfo record. */
const SI_ALIGN = 1;
const SI_FLAGS = 2;
const SI_FRAME = 3;
const SI_ARGS = 4;
const SI_LINE = 5;
const SI_FILE = 6;
const SI_NLINES = 7;
const SI_LINES = 8;

/**
 * Where the defined symbols are, in columns indexed by .symtab index (no
 * object per symbol): what relocations are matched against.
 */
interface Placement {
  /** Per section index: the .symtab indexes of its symbols in address order (null: none). */
  bySec: (Int32Array | null)[];
  /** Another assembler's object (ObjectFile.indivisible). */
  foreign: boolean;
  /** Per .symtab index, in another assembler's object: 1 for a symbol that is not placed (Reader.unnamedSymbols). */
  unnamed: Uint8Array | null;
  /** Every placed symbol's .symtab index, in .symtab order. */
  placed: Int32Array;
  /**
   * Per .symtab index: the symbol's offset in its section, its extent (the
   * piece of the section it stands for: another assembler's symbols run to
   * the next one) and the size its Symbol says (the object's, where smaller).
   */
  values: Float64Array;
  sizes: Float64Array;
  declared: Float64Array;
  /** Per .symtab index: its run of entries in the object's RelocTable. */
  start: Int32Array;
  count: Int32Array;
  /** Per section index: the kind of its symbols. */
  kinds: (SymKind | undefined)[];
  /** Per .symtab index: 1 + its slot if placed, else 0. A slot is the symbol's position in `placed`. */
  slotOf: Int32Array;
  /**
   * Per slot (columns only as long as the defined symbols, not the whole
   * .symtab, most of which are undefined in a large program): the rest of
   * what its Symbol says, flags and file as indexes into Reader.flagList and fileList.
   */
  align: Int32Array;
  flagId: Uint16Array;
  fileId: Int32Array;
  line: Int32Array;
  /** Its syminfo record (word index), or -1. */
  info: Int32Array;
  /** Its contents' file offset, or -1 (zero-filled). */
  dataOff: Int32Array;
}

const EMPTY = new Uint8Array(0);

/** A section name GNU ld makes __start_ and __stop_ symbols for. */
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const NON_ASCII = /[^\x00-\x7f]/;

class Reader {
  dv: DataView;
  readonly n: number;
  readonly dec = new TextDecoder('utf-8', { fatal: false });
  is64 = true;
  arch!: ElfArch;
  secs: Sec[] = [];
  /** The file last looked up (lastFile), by .strtab offset or by STT_FILE symbol (-1: not that way). */
  lastFileOff = -1;
  lastFileSym = -1;
  /** Flag objects by syminfo bits and binding: symbols with the same flags share one (see flagsFor). */
  readonly flagCache = new Map<number, number>();
  readonly flagList: SymFlags[] = [];
  readonly fileIds = new Map<string, number>();
  readonly fileList: string[] = [];
  lastFile = 0;

  /** The section placeCommons added for the object's common symbols, or -1. */
  commonSection = -1;

  /** Whether `bytes` is the reader's own copy, which rewriting a TLS access sequence needs (see writableBytes). */
  ownsBytes = false;

  constructor(
    public bytes: Uint8Array,
    readonly name: string,
    /** Renames the source files the object names (not `name`): see readElfObject. */
    readonly mapFile?: (file: string) => string,
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.n = bytes.length;
  }

  /**
   * The file's bytes, copied on the first call: thread-local accesses are
   * rewritten in place (tls-relax.ts), and the caller's buffer is not the
   * reader's to change. Symbols take their contents from `bytes` afterwards.
   */
  writableBytes(): Uint8Array {
    if (!this.ownsBytes) {
      this.bytes = this.bytes.slice();
      this.dv = new DataView(this.bytes.buffer);
      this.ownsBytes = true;
    }
    return this.bytes;
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
    // A few names are read one by one (an indexed object is asked for its
    // file names and little else); many, through one decoded copy of the table.
    if (text === undefined && sec.singles++ >= 256) text = sec.text = this.asciiTable(sec);
    if (text) {
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
    const text = this.dec.decode(this.bytes.subarray(sec.offset, sec.offset + sec.size));
    // Any byte from 0x80 up decodes to a character from 0x80 up (itself
    // decoded, or U+FFFD): one native scan instead of a loop over the bytes.
    return NON_ASCII.test(text) ? null : text;
  }

  /** Per section index: the kind of symbol its symbols are (undefined: none can be in it). */
  sectionKinds(): (SymKind | undefined)[] {
    return this.secs.map((s, i) => (i === 0 ? undefined : kindOfSection(s.name, s.type, s.flags)));
  }

  /** The indexes of the link index section and of .symtab, when both are there and .symtab names a string table section. */
  linkIndexSections(): { index: number; symtab: number } | null {
    const index = this.secs.findIndex((s) => s.name === C.LINK_INDEX_SECTION && s.type === C.SHT_PROGBITS);
    const symtab = this.secs.findIndex((s) => s.type === C.SHT_SYMTAB);
    return index < 0 || symtab < 0 || this.secs[symtab].link >= this.secs.length ? null : { index, symtab };
  }

  /** Reads the header and the section headers. */
  init(): this {
    const { shoff, shnum, shstrndx } = this.header();
    this.sections(shoff, shnum, shstrndx);
    return this;
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
    const notObject = (what: string) => {
      throw new DiagnosticError([{ file: this.name, line: 0, col: 0, message: `not a relocatable object but ${what}` }]);
    };
    if (etype === C.ET_EXEC) notObject('an executable: link the objects it was made from');
    if (etype === C.ET_DYN) notObject('a shared library (or a PIE): to call it, import its functions with //go:cgo_import_dynamic local remote "library"');
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

  /** Where section i's contents are in the file (before sections() checks them): [offset, size], or null for none. */
  shdrRange(shoff: number, i: number): [number, number] | null {
    const o = shoff + i * C.SHDR_SIZE[this.arch.cls];
    const type = this.u32(o + 4);
    if (type === C.SHT_NOBITS || type === C.SHT_NULL) return null;
    return this.is64 ? [getU64(this.dv, o + 24), getU64(this.dv, o + 32)] : [this.u32(o + 16), this.u32(o + 20)];
  }

  sections(shoff: number, shnum: number, shstrndx: number): void {
    const shdrSize = C.SHDR_SIZE[this.arch.cls];
    const dv = this.dv;
    for (let i = 0; i < shnum; i++) {
      const o = shoff + i * shdrSize;
      const s: Sec = this.is64
        ? { name: '', type: this.u32(o + 4), flags: getU64(dv, o + 8), offset: getU64(dv, o + 24), size: getU64(dv, o + 32), link: this.u32(o + 40), info: this.u32(o + 44), align: getU64(dv, o + 48), entsize: getU64(dv, o + 56), text: undefined, singles: 0 }
        : { name: '', type: this.u32(o + 4), flags: this.u32(o + 8), offset: this.u32(o + 16), size: this.u32(o + 20), link: this.u32(o + 24), info: this.u32(o + 28), align: this.u32(o + 32), entsize: this.u32(o + 36), text: undefined, singles: 0 };
      if (s.type !== C.SHT_NOBITS && s.type !== C.SHT_NULL && (s.offset > this.n || s.size > this.n - s.offset)) this.fail(`section ${i} extends past the end of the file`);
      this.secs.push(s);
    }
    const shstr = this.secs[shstrndx];
    for (let i = 1; i < shnum; i++) this.secs[i].name = this.strAt(shstr, this.u32(shoff + i * shdrSize));
  }

  symtab(symtabIdx: number): SymCols {
    const cols: SymCols = { count: 0, inFile: 0, names: [], nameOff: new Uint32Array(0), respelled: EMPTY, lazy: false, ndef: 0, synth: new Map(), offset: 0, strs: null, values: new Float64Array(0), sizes: new Float64Array(0), info: EMPTY, visibility: EMPTY, shndx: new Uint16Array(0) };
    if (symtabIdx < 0) return cols;
    const st = this.secs[symtabIdx];
    const esz = C.SYM_SIZE[this.arch.cls];
    if (st.entsize !== esz) this.fail('bad .symtab entry size');
    if (st.link >= this.secs.length) this.fail('bad .symtab link');
    const strs = this.secs[st.link];
    // The section was bounds-checked, so count is bounded by the file size.
    const count = Math.floor(st.size / esz);
    const is64 = this.is64;
    const bytes = this.bytes;
    cols.count = count;
    cols.inFile = count;
    cols.offset = st.offset;
    cols.strs = strs;
    // An undefined symbol's name is made when asked for if asking cannot
    // fail: a string table ending in NUL terminates every string in it.
    const lazy = strs.type === C.SHT_STRTAB && strs.size > 0 && bytes[strs.offset + strs.size - 1] === 0;
    cols.lazy = lazy;
    cols.nameOff = new Uint32Array(count);
    cols.respelled = new Uint8Array(count);
    // Filled in order when names are made here (below).
    cols.names = [];
    cols.values = new Float64Array(count);
    cols.sizes = new Float64Array(count);
    cols.info = new Uint8Array(count);
    cols.visibility = new Uint8Array(count);
    cols.shndx = new Uint16Array(count);
    // Entries as words (ELF64: name, info|other|shndx, value lo/hi, size lo/hi;
    // ELF32: name, value, size, info|other|shndx): array reads, no call per field.
    const w = this.words(st);
    const stride = esz / 4;
    const nameW = 0;
    const infoW = is64 ? 1 : 3;
    const valueW = is64 ? 2 : 1;
    const sizeW = is64 ? 4 : 2;
    for (let i = 0, k = 0; i < count; i++, k += stride) {
      const nameOff = w[k + nameW];
      const infoWord = w[k + infoW];
      const shndx = infoWord >>> 16;
      // With a terminated table no name is made here (most are never needed
      // as strings: the linker compares names as bytes); else each is made
      // now, so that a bad one fails at once as it always did.
      if (lazy) {
        if (nameOff >= strs.size) this.fail(`string offset ${nameOff} outside its table`);
      } else cols.names[i] = nameOff ? this.strAt(strs, nameOff) : '';
      cols.nameOff[i] = nameOff;
      cols.info[i] = infoWord & 0xff;
      cols.visibility[i] = (infoWord >>> 8) & 3;
      cols.shndx[i] = shndx;
      // Most entries of a large object are undefined: their value and size are never read.
      if (shndx === C.SHN_UNDEF) continue;
      cols.ndef++;
      cols.values[i] = is64 ? w[k + valueW] + w[k + valueW + 1] * 4294967296 : w[k + valueW];
      cols.sizes[i] = is64 ? w[k + sizeW] + w[k + sizeW + 1] * 4294967296 : w[k + sizeW];
    }
    return cols;
  }

  /** A section's contents as little-endian 32-bit words (asmlink aligns its tables, so usually a view of the file). */
  words(sec: Sec): Uint32Array {
    return bytesAsWords(this.bytes, sec.offset, sec.size);
  }

  /**
   * Records, for a linker that writes debugging information, where the
   * object's .debug_line says each definition's instructions come from
   * (decoded when first asked for, after `complete` has read the whole
   * file). `symIndex[k]` is definition k's .symtab index.
   */
  lineTables(obj: ObjectFile, symIndex: Int32Array, complete: () => void = () => {}, placed?: { cols: SymCols; P: Placement }): void {
    const li = this.secs.findIndex((s) => s.name === '.debug_line' && s.type === C.SHT_PROGBITS);
    if (li < 0) return;
    let bySym: Map<number, Insts> | null = null;
    setLineTables(obj, (k) => {
      if (bySym === null) {
        // An object read in parts has not read its unloaded sections yet.
        complete();
        bySym = this.linePrograms(li, placed);
      }
      return k < symIndex.length ? bySym.get(symIndex[k]) : undefined;
    });
  }

  /** `placed`: another assembler's object, whose sequences count from a section (shareOutSectionRows). */
  private linePrograms(li: number, placed?: { cols: SymCols; P: Placement }): Map<number, Insts> {
    try {
      const rel = this.fieldRelocations(li);
      // Version 5 headers name files by offsets into .debug_line_str or .debug_str (relocated against its section symbol in an object).
      const str = (form: number, at: number, value: number): string => {
        const name = form === 0x1f ? '.debug_line_str' : '.debug_str';
        const sec = this.secs.find((s) => s.name === name && s.type === C.SHT_PROGBITS);
        if (!sec) this.fail(`.debug_line names a string in ${name}, which is not there`);
        const off = rel(at, value)?.addend ?? value;
        const data = this.debugSection(sec!);
        const z = data.indexOf(0, off);
        if (off < 0 || z < 0) this.fail(`.debug_line names a string outside ${name}`);
        return new TextDecoder().decode(data.subarray(off, z));
      };
      const lines = readLinePrograms(this.debugSection(this.secs[li]), this.arch.cls / 8, rel, str);
      if (placed) this.shareOutSectionRows(lines, placed.cols, placed.P);
      // The call-frame table, where there is one, goes onto the lines.
      const fi = this.secs.findIndex((s) => s.name === '.debug_frame' && s.type === C.SHT_PROGBITS);
      const cfi = cfiOf(this.arch.arch);
      if (fi < 0 || !cfi) return lines;
      const frames = readFrameTables(this.debugSection(this.secs[fi]), this.arch.cls / 8, cfi, this.fieldRelocations(fi));
      for (const [sym, rows] of lines) rows.frames = frames.get(sym) ?? null;
      return lines;
    } catch (e) {
      if (e instanceof DwarfReadError) this.fail(e.message);
      throw e;
    }
  }

  private debugSection(sec: Sec): Uint8Array {
    if (sec.offset + sec.size > this.n) this.fail(`${sec.name} outside the file`);
    return this.bytes.subarray(sec.offset, sec.offset + sec.size);
  }

  /** The relocations of section `target`'s fields, by field offset: the target symbol and addend (REL: the field's value). */
  private fieldRelocations(target: number): FieldRelocation {
    // Field offset → entry; each entry's target and addend in arrays (a -g object has one per function and table).
    const at = new Map<number, number>();
    const rs = this.secs.find((s) => (s.type === C.SHT_RELA || s.type === C.SHT_REL) && s.info === target);
    const esz = rs?.type === C.SHT_RELA ? C.RELA_SIZE[this.arch.cls] : C.REL_SIZE[this.arch.cls];
    const count = rs ? Math.floor(rs.size / esz) : 0;
    const syms = new Int32Array(count);
    const addends = new Float64Array(count);
    if (rs) {
      const rela = rs.type === C.SHT_RELA;
      if (rs.offset + rs.size > this.n) this.fail(`${rs.name} outside the file`);
      for (let i = 0, e = rs.offset; i < count; i++, e += esz) {
        syms[i] = this.is64 ? this.u32(e + 12) : this.u32(e + 4) >>> 8;
        // REL: the field holds the addend (NaN here).
        addends[i] = !rela ? NaN : this.is64 ? getI64(this.dv, e + 16) : this.dv.getInt32(e + 8, true);
        at.set(this.word(e), i);
      }
    }
    return (off, value) => {
      const i = at.get(off);
      return i === undefined ? undefined : { sym: syms[i], addend: Number.isNaN(addends[i]) ? value : addends[i] };
    };
  }

  /**
   * The syminfo words of an object that `objcopy --strip-debug` (or
   * `strip -g`) rewrote, with its records' .symtab indexes moved to where
   * the symbols are now; else `w` as it is. Such a tool removes the STT_FILE
   * symbols (and the debugging sections' STT_SECTION symbols, which come
   * right after them) and renumbers the rest without knowing that syminfo
   * names symbols by index. Recognized by .symtab having no STT_FILE symbol
   * left while syminfo names one (asmlink writes at least the object's own):
   * the records' indexes then all moved down by the same count, the
   * distance from the first of them to the first symbol that is neither
   * FILE nor SECTION. The files they came from are gone: they are named
   * after the object. The move is checked: each record must land on a
   * defined symbol, and every defined one must get a record.
   */
  private afterStripDebug(w: Uint32Array, size: number, cols: SymCols): Uint32Array {
    const n = cols.count;
    for (let i = 1; i < n; i++) if ((cols.info[i] & 0xf) === C.STT_FILE) return w;
    let first = Infinity;
    let records = 0;
    let namesFile = false;
    for (let k = 1; 4 * k + 32 <= size; k += 8 + w[k + 7]) {
      first = Math.min(first, w[k]);
      if (w[k + 6] !== 0) namesFile = true;
      records++;
    }
    if (!namesFile || records === 0) return w;
    let firstNow = 1;
    while (firstNow < n && ((cols.info[firstNow] & 0xf) === C.STT_SECTION || (cols.info[firstNow] & 0xf) === C.STT_FILE)) firstNow++;
    const shift = first - firstNow;
    if (shift <= 0) return w;
    let defined = 0;
    for (let i = firstNow; i < n; i++) if (cols.shndx[i] !== C.SHN_UNDEF) defined++;
    if (defined !== records) return w;
    const moved = w.slice();
    for (let k = 1; 4 * k + 32 <= size; k += 8 + moved[k + 7]) {
      moved[k] -= shift;
      if (moved[k] >= n || cols.shndx[moved[k]] === C.SHN_UNDEF) return w;
      moved[k + 6] = 0;
    }
    return moved;
  }

  /**
   * Another assembler's loaded section whose start no .symtab entry names,
   * not even its STT_SECTION symbol (GNU as leaves that out when no
   * relocation uses it: a C constructor's .init_array.00101), gets one here,
   * after the file's entries, so that its bytes are linked like any
   * section's.
   */
  addSectionSymbols(cols: SymCols, startsNamed: Uint8Array): void {
    const named = startsNamed.slice();
    for (let i = 1; i < cols.count; i++) if ((cols.info[i] & 0xf) === C.STT_SECTION && cols.shndx[i] < named.length) named[cols.shndx[i]] = 1;
    const kinds = this.sectionKinds();
    const add: number[] = [];
    for (let si = 1; si < this.secs.length; si++) if (!named[si] && kinds[si] && this.secs[si].size > 0) add.push(si);
    if (add.length === 0) return;
    const n = Math.max(1, cols.count) + add.length;
    const grow = <T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(a: T, make: new (n: number) => T): T => {
      const b = new make(n);
      b.set(a);
      return b;
    };
    cols.nameOff = grow(cols.nameOff, Uint32Array);
    cols.respelled = grow(cols.respelled, Uint8Array);
    cols.values = grow(cols.values, Float64Array);
    cols.sizes = grow(cols.sizes, Float64Array);
    cols.info = grow(cols.info, Uint8Array);
    cols.visibility = grow(cols.visibility, Uint8Array);
    cols.shndx = grow(cols.shndx, Uint16Array);
    // Entry 0 is the null symbol even in an object without .symtab.
    let i = Math.max(1, cols.count);
    for (const si of add) {
      cols.info[i] = (C.STB_LOCAL << 4) | C.STT_SECTION;
      cols.shndx[i] = si;
      if (!cols.lazy) cols.names[i] = '';
      cols.ndef++;
      i++;
    }
    cols.count = n;
  }

  /** Which sections a symbol that names a piece (not a section, file or unnamed symbol) starts at offset 0 of. */
  startsNamed(cols: SymCols, unnamed: Uint8Array): Uint8Array {
    const named = new Uint8Array(this.secs.length);
    for (let i = 1; i < cols.count; i++) {
      const type = cols.info[i] & 0xf;
      if (type !== C.STT_SECTION && type !== C.STT_FILE && cols.values[i] === 0 && cols.shndx[i] < named.length && !unnamed[i]) named[cols.shndx[i]] = 1;
    }
    return named;
  }

  /** The name of .symtab entry i (see SymCols.names). */
  symbolName(cols: SymCols, i: number): string {
    if (!cols.lazy) return cols.names[i]!;
    const nameOff = cols.nameOff[i];
    const name = cols.synth.get(i) ?? (nameOff ? this.strAt(cols.strs!, nameOff) : '');
    return cols.respelled[i] ? `${name}<>` : name;
  }

  /** The names of the undefined STB_WEAK entries (ObjectFile.weakRefs), and of those the thread-local ones (weakTls). */
  weakUndefined(cols: SymCols): { names: string[]; tls: string[] } {
    const names: string[] = [];
    const tls: string[] = [];
    for (let i = 1; i < cols.inFile; i++) {
      if (cols.shndx[i] !== C.SHN_UNDEF || cols.info[i] >> 4 !== C.STB_WEAK) continue;
      const name = this.symbolName(cols, i);
      names.push(name);
      if ((cols.info[i] & 0xf) === C.STT_TLS) tls.push(name);
    }
    return { names, tls };
  }

  /** Whether the name of .symtab entry i, as stored (not respelled), ends with `>`. */
  endsWithGt(cols: SymCols, i: number): boolean {
    if (!cols.lazy) return cols.names[i]!.endsWith('>');
    const synth = cols.synth.get(i);
    if (synth !== undefined) return synth.endsWith('>');
    const start = cols.strs!.offset + cols.nameOff[i];
    const end = this.bytes.indexOf(0, start);
    return end > start && this.bytes[end - 1] === 0x3e;
  }

  dynimports(s: Sec, out: DynImport[]): void {
    for (const line of this.dec.decode(this.bytes.subarray(s.offset, s.offset + s.size)).split('\n')) {
      if (!line) continue;
      const f = line.split('\t');
      if (f.length < 5) this.fail(`bad ${C.DYNIMPORT_SECTION} record`);
      const d: DynImport = { local: f[0], remote: f[1], library: f[2], file: this.namedFile(f[3]), line: Number(f[4]) || 0 };
      if (f[5]) d.version = f[5];
      out.push(d);
    }
  }

  /** Indexes .asmlink.syminfo (see SymInfo). */
  syminfo(s: Sec, cols: SymCols): SymInfo {
    const nsyms = cols.count;
    let w = this.words(s);
    const at = new Int32Array(nsyms).fill(-1);
    const order: number[] = [];
    if (s.size < 4 || (w[0] !== SYMINFO_VERSION && w[0] !== SYMINFO_VERSION_STRTAB_FILES)) this.fail(`unknown ${C.SYMINFO_SECTION} version`);
    if (w[0] === SYMINFO_VERSION) w = this.afterStripDebug(w, s.size, cols);
    for (let k = 1; 4 * k < s.size; ) {
      if (4 * k + 32 > s.size) this.fail(`truncated ${C.SYMINFO_SECTION} record`);
      const idx = w[k];
      const nl = w[k + 7];
      if (idx >= nsyms) this.fail(`${C.SYMINFO_SECTION}: bad symbol index ${idx}`);
      if (nl > (s.size - 4 * k - 32) / 4) this.fail(`truncated ${C.SYMINFO_SECTION} record`);
      at[idx] = k;
      order.push(idx);
      k += 8 + nl;
    }
    return { w, at, order, strtabFiles: w[0] === SYMINFO_VERSION_STRTAB_FILES };
  }

  /**
   * Which sections belong to a COMDAT group (gcc's 386 pc thunks
   * __x86.get_pc_thunk.*, C++ inline functions): every object has its copy,
   * so their global symbols are DUPOK, as their group makes them.
   */
  comdatSections(): Uint8Array {
    const out = new Uint8Array(this.secs.length);
    // Common symbols are merged as a group's are: one copy is kept.
    if (this.commonSection >= 0) out[this.commonSection] = 1;
    for (const g of this.secs) {
      if (g.type !== C.SHT_GROUP || g.size < 4) continue;
      if (g.offset + g.size > this.n) this.fail(`${g.name} outside the file`);
      if ((this.u32(g.offset) & C.GRP_COMDAT) === 0) continue;
      for (let o = 4; o + 4 <= g.size; o += 4) {
        const member = this.u32(g.offset + o);
        if (member < out.length) out[member] = 1;
      }
    }
    return out;
  }

  /**
   * A compiler's line programs count from the section (its STT_SECTION
   * symbol): each row moves to the function placed where it is, counted
   * from the function and cut at its end.
   */
  shareOutSectionRows(lines: Map<number, ReadBackLines>, cols: SymCols, P: Placement): void {
    for (const [key, section] of [...lines]) {
      if ((cols.info[key] & 0xf) !== C.STT_SECTION) continue;
      lines.delete(key);
      const list = P.bySec[cols.shndx[key]] ?? null;
      const rows = section.rows;
      for (let r = 0; r < rows.length; r += 4) {
        const at = rows[r];
        const fn = this.symbolAt(list, P, at);
        if (fn < 0) continue;
        const start = P.values[fn];
        let to = lines.get(fn);
        if (!to) lines.set(fn, (to = new ReadBackLines(section.files)));
        to.rows.push(at - start, Math.min(rows[r + 1], start + P.sizes[fn] - at), rows[r + 2], rows[r + 3]);
      }
    }
  }

  /**
   * Which of another assembler's local, untyped symbols name no piece of
   * the program: AArch64 mapping symbols ($x before code, $d before data,
   * optionally followed by `.` and anything), which mark what bytes are,
   * and assembler temporaries (`.L…`: a switch table's cases, string
   * literals), which GNU as keeps in .symtab when a relocation names them
   * (386 code reaches its jump tables through them). Neither is placed, so
   * a temporary inside a function does not cut it in two; a relocation
   * naming one is moved to the symbol that holds its place, as a section
   * symbol's is.
   */
  unnamedSymbols(cols: SymCols): Uint8Array {
    const out = new Uint8Array(cols.count);
    const mappings = this.arch.arch === 'arm64';
    // A name's first bytes, read in place where names are made on demand (no string per local of a large object).
    const strs = cols.lazy ? cols.strs!.offset : 0;
    const byteOf = (i: number, k: number): number => (cols.lazy ? this.bytes[strs + cols.nameOff[i] + k] : cols.names[i]!.charCodeAt(k));
    for (let i = 1; i < cols.count; i++) {
      if (cols.info[i] !== ((C.STB_LOCAL << 4) | C.STT_NOTYPE) || cols.shndx[i] === C.SHN_UNDEF) continue;
      const first = byteOf(i, 0);
      if (first === 0x2e /* . */ ? byteOf(i, 1) === 0x4c /* L */ : first === 0x24 /* $ */ && mappings && /^\$[xd](\..*)?$/.test(this.symbolName(cols, i))) out[i] = 1;
    }
    return out;
  }

  /**
   * C tentative definitions compiled with -fcommon (SHN_COMMON, their value
   * their alignment, as GCC before 10 wrote them by default) are laid out in
   * a zero-filled section of their own, added after the file's, as -fno-common
   * would have put them in .bss. Like a COMDAT group's symbols they are
   * DUPOK: the link keeps one, and a definition that is not DUPOK (an
   * initialized one) takes their place, as GNU ld merges commons. (It keeps
   * the first, where GNU ld keeps the largest; C code declares one
   * variable the same way everywhere.)
   */
  placeCommons(cols: SymCols): void {
    let size = 0;
    let align = 1;
    let found = false;
    const at = this.secs.length;
    for (let i = 1; i < cols.inFile; i++) {
      if (cols.shndx[i] !== C.SHN_COMMON) continue;
      found = true;
      const a = cols.values[i];
      if (!(a >= 1 && a <= 0x10000 && (a & (a - 1)) === 0)) this.fail(`common symbol ${this.symbolName(cols, i)} has alignment ${a}`);
      size = Math.ceil(size / a) * a;
      cols.values[i] = size;
      cols.shndx[i] = at;
      size += cols.sizes[i];
      align = Math.max(align, a);
    }
    if (!found) return;
    this.commonSection = at;
    this.secs.push({ name: '.bss', type: C.SHT_NOBITS, flags: C.SHF_ALLOC | C.SHF_WRITE, offset: 0, size, link: 0, info: 0, align, entsize: 0, text: undefined, singles: 0 });
  }

  /**
   * Defined symbols, placed per section in address order so relocations can
   * find their symbol; what each Symbol will say is kept in columns by
   * .symtab index (no object per symbol). `foreign`, for another
   * assembler's object: the symbols that are skipped (unnamedSymbols) and
   * the sections whose start a symbol names (startsNamed).
   */
  symbols(cols: SymCols, info: SymInfo, strtab: Sec | null, foreignNames: { unnamed: Uint8Array; startsNamed: Uint8Array } | null): Placement {
    const foreign = foreignNames !== null;
    const unnamed = foreignNames?.unnamed ?? null;
    const iw = info.w;
    const secs = this.secs;
    const kinds = this.sectionKinds();
    const n = cols.count;
    // Values and sizes by .symtab index are the columns read (sizes completed below for symbols without one).
    const values = cols.values;
    const sizes = cols.sizes;
    const placed = new Int32Array(n);
    // Typed columns (a JS array this large made with `new Array(n)` is a slow dictionary).
    const slotOf = new Int32Array(n);
    const nd = cols.ndef;
    const align = new Int32Array(nd);
    const flagId = new Uint16Array(nd);
    const fileId = new Int32Array(nd);
    const line = new Int32Array(nd);
    const infoAt = new Int32Array(nd);
    const dataOff = new Int32Array(nd);
    const perSec = new Int32Array(secs.length);
    const declared = new Float64Array(n);
    // Another assembler's loaded sections may hold no symbol (a C
    // compiler's string literals in .rodata.str1.1, constants in
    // .rodata.cst8), or none at their start (GCC's switch tables before a
    // static array in .rodata), reached by section + offset: there the
    // section's STT_SECTION symbol stands for what comes before the first
    // symbol (the whole section if there is none), as a file-local symbol
    // named after it.
    const hasSymbol = foreignNames?.startsNamed ?? new Uint8Array(secs.length);
    const comdat = foreign ? this.comdatSections() : null;
    let nplaced = 0;
    for (let i = 1; i < n; i++) {
      const type = cols.info[i] & 0xf;
      const bind = cols.info[i] >> 4;
      const shndx = cols.shndx[i];
      if (type === C.STT_FILE || unnamed?.[i]) continue;
      if (shndx === C.SHN_UNDEF || shndx >= C.SHN_LORESERVE) continue;
      if (type === C.STT_SECTION) {
        if (!foreign || shndx >= secs.length || hasSymbol[shndx] || !kinds[shndx] || secs[shndx].size === 0) continue;
        hasSymbol[shndx] = 1;
        if (cols.lazy) cols.synth.set(i, secs[shndx].name);
        else cols.names[i] = secs[shndx].name;
        values[i] = 0;
        sizes[i] = secs[shndx].size;
      }
      // asmlink spells file-local names `name<>`; a foreign object's local
      // symbols get that spelling so they resolve the same way (relocations
      // name symbols by index, so they follow).
      if (bind === C.STB_LOCAL && !this.endsWithGt(cols, i)) {
        if (cols.lazy) cols.respelled[i] = 1;
        else cols.names[i] = `${cols.names[i]}<>`;
      }
      if (shndx >= secs.length) this.fail(`symbol ${this.symbolName(cols, i)} in bad section ${shndx}`);
      const k = kinds[shndx];
      if (!k) continue;
      const sec = secs[shndx];
      const value = values[i];
      if (value > sec.size) this.fail(`symbol ${this.symbolName(cols, i)} outside its section`);
      const io = info.at.length ? info.at[i] : -1;
      const fb = io >= 0 ? iw[io + SI_FLAGS] : 0;
      const slot = nplaced++;
      // An indirect function's symbol names its resolver, which the loader calls to find the function (SymFlags.ifunc).
      const ifunc = (type === C.STT_GNU_IFUNC ? IFUNC_BIT : 0) | (cols.visibility[i] === C.STV_HIDDEN || cols.visibility[i] === C.STV_INTERNAL ? HIDDEN_BIT : 0);
      // GCC's GNU-unique symbols link as globals; a COMDAT group's globals are DUPOK.
      const global = bind === C.STB_GNU_UNIQUE ? C.STB_GLOBAL : bind;
      flagId[slot] = this.flagsFor(io >= 0 ? fb | ifunc : ifunc || -1, comdat?.[shndx] && global === C.STB_GLOBAL ? C.STB_WEAK : global);
      const fileAt = io >= 0 ? iw[io + SI_FILE] : 0;
      align[slot] = io >= 0 ? iw[io + SI_ALIGN] || 1 : lowestAlign(value, sec.align);
      fileId[slot] = fileAt === 0 ? this.fileId(this.name) : info.strtabFiles ? (strtab ? this.fileName(strtab, fileAt) : this.fileId(this.name)) : this.fileSymbol(cols, fileAt);
      line[slot] = io >= 0 ? iw[io + SI_LINE] : 0;
      infoAt[slot] = io;
      slotOf[i] = slot + 1;
      placed[slot] = i;
      perSec[shndx]++;
    }
    const bySec: (Int32Array | null)[] = new Array<Int32Array | null>(secs.length).fill(null);
    for (let si = 1; si < secs.length; si++) if (perSec[si]) bySec[si] = new Int32Array(perSec[si]);
    perSec.fill(0);
    for (let k = 0; k < nplaced; k++) {
      const i = placed[k];
      const si = cols.shndx[i];
      bySec[si]![perSec[si]++] = i;
    }
    for (let si = 1; si < secs.length; si++) {
      const list = bySec[si];
      if (list === null) continue;
      const sec = secs[si];
      // asmlink writes symbols in address order: sort only what is not (ties
      // keep .symtab order, but an indirect function comes before its
      // resolver's own symbol at the same address, so that the resolver
      // holds the code: a section-relative reference, such as a frame
      // description's, means the code, not the function the loader finds).
      const tie = (i: number): number => ((cols.info[i] & 0xf) === C.STT_GNU_IFUNC ? 0 : 1);
      let sorted = true;
      for (let j = 1; j < list.length && sorted; j++) {
        const a = list[j - 1], b = list[j];
        if (values[b] < values[a] || (values[b] === values[a] && tie(b) < tie(a))) sorted = false;
      }
      if (!sorted) list.sort((a, b) => values[a] - values[b] || tie(a) - tie(b) || a - b);
      for (let j = 0; j < list.length; j++) {
        const i = list[j];
        const value = values[i];
        // A symbol without a size (hand-written assembly) runs to the next one;
        // so does every symbol of another assembler's object, whose padding
        // must stay for the distances between its symbols to stay.
        const given = sizes[i];
        if (given === 0 || foreign) sizes[i] = (j + 1 < list.length ? values[list[j + 1]] : sec.size) - value;
        if (value + sizes[i] > sec.size) this.fail(`symbol ${this.symbolName(cols, i)} extends past its section`);
        // The symbol tables keep the size the compiler gave a symbol that has contents (the padding after it stays in the piece).
        declared[i] = given > 0 && given < sizes[i] && sec.type !== C.SHT_NOBITS ? given : sizes[i];
        dataOff[slotOf[i] - 1] = sec.type !== C.SHT_NOBITS ? sec.offset + value : -1;
      }
    }
    return {
      bySec,
      foreign,
      unnamed,
      placed: placed.subarray(0, nplaced),
      values,
      sizes,
      declared,
      start: new Int32Array(n),
      count: new Int32Array(n),
      kinds,
      slotOf,
      align,
      flagId,
      fileId,
      line,
      info: infoAt,
      dataOff,
    };
  }

  /**
   * The flags of a symbol with syminfo flag bits `bits` (-1: no record) and
   * ELF binding `bind`. Symbols with the same flags share one frozen object:
   * one per combination rather than one per symbol for the garbage collector
   * to copy. (Read symbols are not edited in place; copy one to change it.)
   */
  flagsFor(bits: number, bind: number): number {
    const key = bits * 16 + bind;
    let f = this.flagCache.get(key);
    if (f === undefined) {
      const fromBind = bind === C.STB_LOCAL ? LOCAL_BIT : bind === C.STB_WEAK ? DUPOK_BIT : 0;
      this.flagCache.set(key, (f = this.flagList.length));
      this.flagList.push(sharedFlags((bits >= 0 ? bits : 0) | fromBind));
    }
    return f;
  }

  /** A symbol's file name, as an index into fileList: consecutive symbols nearly always share it, so the last one is kept. */
  fileName(strtab: Sec, off: number): number {
    if (off !== this.lastFileOff) {
      this.lastFile = this.fileId(this.namedFile(this.strAt(strtab, off)));
      this.lastFileOff = off;
      this.lastFileSym = -1;
    }
    return this.lastFile;
  }

  /** The file an STT_FILE symbol names, as an index into fileList (the last one is kept, as in fileName). */
  fileSymbol(cols: SymCols, i: number): number {
    if (i !== this.lastFileSym) {
      if (i >= cols.count || (cols.info[i] & 0xf) !== C.STT_FILE) this.fail(`${C.SYMINFO_SECTION}: file ${i} is not a file symbol`);
      this.lastFile = this.fileId(this.namedFile(this.symbolName(cols, i)));
      this.lastFileSym = i;
      this.lastFileOff = -1;
    }
    return this.lastFile;
  }

  /** A source file name the object holds, renamed as asked. */
  namedFile(file: string): string {
    return this.mapFile === undefined ? file : this.mapFile(file);
  }

  /** The index of a file name in fileList. */
  fileId(name: string): number {
    let id = this.fileIds.get(name);
    if (id === undefined) {
      this.fileIds.set(name, (id = this.fileList.length));
      this.fileList.push(name);
    }
    return id;
  }

  /** The .symtab index of the symbol whose extent holds a section offset (binary search over the sorted list), or -1. */
  symbolAt(list: Int32Array | null, P: Placement, off: number): number {
    if (list === null || list.length === 0) return -1;
    const i = list[lastAtOrBefore(list.length, (k) => P.values[list[k]], off)];
    return P.values[i] <= off && off < P.values[i] + Math.max(1, P.sizes[i]) ? i : -1;
  }

  relocations(ri: number, symtabIdx: number, cols: SymCols, info: SymInfo, P: Placement, table: RelocTable): void {
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
    // Entries read in place as words (no object or column per entry), in
    // offset order: asmlink writes them so, others are sorted into a copy.
    const stride = esz / 4;
    const is64 = this.is64;
    const w = byOffset(this.words(rs), count, stride, is64);
    // The symbols of the target section, in address order, by .symtab index.
    const list = P.bySec[rs.info] ?? new Int32Array(0);
    const iw = info.w;
    const { values, sizes, start, count: counts } = P;
    let cursor = 0;
    const next = { type: 0, off: 0, sym: 0, add: 0 };
    const raised: Raised = { type: 'R_CALL', size: 0, add: 0, consumed: 1 };
    for (let k = 0; k < count; ) {
      const e = k * stride;
      const off = entryOffset(w, e, is64);
      const si = is64 ? w[e + 3] : w[e + 1] >>> 8;
      if (si >= cols.inFile || si === 0) this.fail(`${rs.name}: bad symbol index ${si}`);
      // SHT_NULL sections' places were not checked against the file (sections()): they hold nothing to relocate.
      if (target.type === C.SHT_NOBITS || target.type === C.SHT_NULL || off + 4 > target.size) this.fail(`${rs.name}: relocation outside its section`);
      // RELA: the addend is in the entry; REL: in the field.
      const add = !rela ? dv.getInt32(target.offset + off, true) : is64 ? w[e + 4] + (w[e + 5] | 0) * 4294967296 : w[e + 2] | 0;
      let nx: typeof next | undefined;
      if (k + 1 < count) {
        const e2 = e + stride;
        next.type = entryType(w, e2, is64);
        next.off = entryOffset(w, e2, is64);
        next.sym = is64 ? w[e2 + 3] : w[e2 + 1] >>> 8;
        // Pairs are arm64's, whose relocations are RELA: the addend is in the entry.
        next.add = rela ? (is64 ? w[e2 + 4] + (w[e2 + 5] | 0) * 4294967296 : w[e2 + 2] | 0) : 0;
        nx = next;
      }
      const type = entryType(w, e, is64);
      // The field relocated: the entry's, unless a TLS sequence was rewritten around it.
      let field = off;
      let up: Raised | string;
      if (P.foreign && isTlsRewrite(arch.arch, type)) {
        const rw = this.rewriteTls(target, type, off, add, nx, cols, si);
        if (typeof rw !== 'string' && rw.at < 0) {
          k += rw.consumed;
          continue;
        }
        if (typeof rw === 'string') up = rw;
        else {
          field = rw.at;
          // What is left of a rewritten thread-local access: the offset from the thread pointer, on its field.
          up = setRaised(raised, 'R_TLS_LE', 4, rw.add, rw.consumed);
        }
      } else up = raiseReloc(arch.arch, type, add, nx, off, raised, si);
      // A type asmlink does not link is not a malformed object.
      if (typeof up === 'string') throw new DiagnosticError([{ file: this.name, line: 0, col: 0, message: `${rs.name}+0x${off.toString(16)}: ${up}` }]);
      // The symbol holding the field (entries are sorted, so a cursor suffices).
      while (cursor + 1 < list.length && values[list[cursor + 1]] <= field) cursor++;
      const h = list.length ? list[cursor] : -1;
      if (h < 0 || field < values[h] || field + up.size > values[h] + sizes[h]) this.fail(`${rs.name}+0x${off.toString(16)}: relocation not inside a symbol`);
      let symIdx = si;
      let add2 = up.add;
      // R_GOTPC's target is the GOT, whose address the linker knows (the
      // entry names _GLOBAL_OFFSET_TABLE_, which no object defines): it names
      // its own symbol instead, so that resolution has nothing to look up.
      if (up.type === 'R_GOTPC') symIdx = h;
      else if ((cols.info[si] & 0xf) === C.STT_SECTION || P.unnamed?.[si]) {
        // GNU as refers to local labels as section + offset (or as a
        // temporary's offset + addend): find the symbol there.
        const inSection = P.bySec[cols.shndx[si]] ?? null;
        const place = values[si] + up.add;
        let at = this.symbolAt(inSection, P, place);
        // Another assembler's sections are linked whole, at their distances
        // (ObjectFile.indivisible), so any offset is some symbol's: a
        // pc-relative field before an immediate operand has an addend a few
        // bytes before its target.
        if (at < 0 && P.foreign && inSection !== null && inSection.length > 0) at = inSection[0];
        if (at < 0) return this.fail(`${rs.name}+0x${off.toString(16)}: relocation to offset 0x${place.toString(16)} of a section, where no symbol is`);
        symIdx = at;
        add2 = place - values[at];
      }
      // A symbol's entries are one run (its section's, in offset order); a
      // second relocation section for the same section would split it.
      if (counts[h] === 0) start[h] = table.count;
      else if (start[h] + counts[h] !== table.count) this.fail(`${rs.name}: a second relocation section for the section of ${this.symbolName(cols, h)}`);
      // Lines are listed in the order the writer emitted the symbol's relocations.
      const li = counts[h]++;
      const io = info.at.length ? info.at[h] : -1;
      const line = io >= 0 && li < iw[io + SI_NLINES] ? iw[io + SI_LINES + li] : 0;
      table.push(field - values[h], up.size, RELOC_TYPE_INDEX[up.type], symIdx, add2, line);
      k += up.consumed;
    }
  }

  /** The object's sections named as C identifiers (ObjectFile.cSections), with their definitions among the `order`ed ones. */
  cSections(order: Int32Array, cols: SymCols): CSection[] {
    const kinds = this.sectionKinds();
    // The sections so named, by index (most objects have none: then nothing is looked at per symbol).
    const named = this.secs.map((sec, si): CSection | null => (kinds[si] && C_IDENTIFIER.test(sec.name) ? { name: sec.name, kind: kinds[si]!, align: Math.max(1, sec.align), defs: [] } : null));
    if (!named.some((c) => c !== null)) return [];
    for (let k = 0; k < order.length; k++) named[cols.shndx[order[k]]]?.defs.push(k);
    return named.filter((c): c is CSection => c !== null && c.defs.length > 0);
  }

  /** The object's COMDAT groups (ObjectFile.comdat), with their definitions among the `order`ed ones. */
  comdatGroups(order: Int32Array, cols: SymCols): ComdatGroup[] {
    const groupOf = new Int32Array(this.secs.length).fill(-1);
    const groups: ComdatGroup[] = [];
    for (const g of this.secs) {
      if (g.type !== C.SHT_GROUP || g.size < 4 || (this.u32(g.offset) & C.GRP_COMDAT) === 0) continue;
      if (g.info === 0 || g.info >= cols.inFile) this.fail(`${g.name}: bad signature symbol ${g.info}`);
      // The signature is the name as the file spells it (a local one was respelled `name<>`).
      const name = this.symbolName(cols, g.info);
      const respelled = (cols.info[g.info] >> 4) === C.STB_LOCAL && !this.endsWithGt(cols, g.info);
      const at = groups.push({ signature: respelled ? name.slice(0, -2) : name, defs: [] }) - 1;
      for (let o = 4; o + 4 <= g.size; o += 4) {
        const member = this.u32(g.offset + o);
        if (member < groupOf.length) groupOf[member] = at;
      }
    }
    if (groups.length === 0) return groups;
    for (let k = 0; k < order.length; k++) {
      const shndx = cols.shndx[order[k]];
      if (shndx < groupOf.length && groupOf[shndx] >= 0) groups[groupOf[shndx]].defs.push(k);
    }
    return groups.filter((g) => g.defs.length > 0);
  }

  /** Rewrites a thread-local access of another tool's object to local exec (tls-relax.ts), in the reader's copy of the file. */
  rewriteTls(target: Sec, type: number, off: number, add: number, next: NextEntry | undefined, cols: SymCols, si: number): TlsRewrite | string {
    // Compilers name the variable itself (an STT_TLS symbol), never its section plus an offset.
    if ((cols.info[si] & 0xf) === C.STT_SECTION) return 'a thread-local access through a section symbol is not supported';
    const sec = { buf: this.writableBytes(), start: target.offset, size: target.size, code: (target.flags & C.SHF_EXECINSTR) !== 0 };
    return rewriteTls(this.arch.arch, type, sec, off, add, next, (i) => (i > 0 && i < cols.inFile ? this.symbolName(cols, i) : ''));
  }
}


/** Refuses an object with legacy .ctors/.dtors sections (formats/constructors.ts); .init_array and kin are linked. */
function refuseConstructors(secs: readonly Sec[], file: string): void {
  const s = secs.find((x) => x.size > 0 && /^\.(ctors|dtors)(\.|$)/.test(x.name));
  if (s) throw constructorsRefused(file, s.name, 'static constructors and destructors in .ctors/.dtors are not supported (a current C compiler writes .init_array and .fini_array, which are)');
}

/**
 * Reads an ELF object. `mapFile` renames the source files it names, as they
 * are read (each name once): the prebuilt runtime names its files under the
 * directory it was assembled in, which an installed package is not.
 */
export function readElfObject(bytes: Uint8Array, name: string, mapFile?: (file: string) => string): ObjectFile {
  const R = new Reader(bytes, name, mapFile).init();
  return fromLinkIndex(R) ?? decodeTables(R);
}

/** The object from its ELF tables (.symtab, the relocation sections, .asmlink.syminfo). */
function decodeTables(R: Reader): ObjectFile {
  const name = R.name;
  const shnum = R.secs.length;
  const secs = R.secs;
  const symtabIdx = secs.findIndex((s) => s.type === C.SHT_SYMTAB);
  refuseConstructors(secs, name);
  const cols = R.symtab(symtabIdx);

  const dynimports: DynImport[] = [];
  let info: SymInfo = { w: new Uint32Array(0), at: new Int32Array(0), order: [], strtabFiles: false };
  // An object without asmlink's symbol records is another assembler's (see ObjectFile.indivisible).
  let foreign = true;
  for (const s of secs) {
    if (s.type !== C.SHT_PROGBITS) continue;
    if (s.name === C.DYNIMPORT_SECTION) R.dynimports(s, dynimports);
    else if (s.name === C.SYMINFO_SECTION) {
      info = R.syminfo(s, cols);
      foreign = false;
    }
  }
  const strtab = symtabIdx >= 0 ? secs[secs[symtabIdx].link] : null;
  // Mapping symbols and assembler temporaries are not linked (entries added
  // after the file's, past the array's end, are none of them).
  let foreignNames: { unnamed: Uint8Array; startsNamed: Uint8Array } | null = null;
  if (foreign) {
    const unnamed = R.unnamedSymbols(cols);
    R.placeCommons(cols);
    // The sections' STT_SECTION symbols added here start no named piece, so this stays true after.
    const startsNamed = R.startsNamed(cols, unnamed);
    R.addSectionSymbols(cols, startsNamed);
    foreignNames = { unnamed, startsNamed };
  }
  const P = R.symbols(cols, info, strtab, foreignNames);
  // Entries name their targets by .symtab index; local names were respelled above.
  let capacity = 0;
  for (const s of secs) if (s.type === C.SHT_RELA || s.type === C.SHT_REL) capacity += Math.floor(s.size / Math.max(1, s.entsize));
  const table = new RelocTable(capacity, cols.count, (i) => R.symbolName(cols, i));
  for (let ri = 1; ri < shnum; ri++) {
    const t = secs[ri].type;
    // Relocations of sections that are not loaded (debugging information) are not the program's.
    if ((t === C.SHT_RELA || t === C.SHT_REL) && !isUnloadedTarget(secs, secs[ri].info)) R.relocations(ri, symtabIdx, cols, info, P, table);
  }
  // The file's bytes as the symbols see them: the reader's copy if a thread-local access was rewritten.
  const bytes = R.bytes;
  // The symbols in the order the assembler gave them, which decides the layout
  // when linking: asmlink's own objects list it in their syminfo records
  // (.symtab has locals first, grouped by section); others in .symtab order.
  const order = new Int32Array(P.placed.length);
  const taken = new Uint8Array(cols.count);
  let n = 0;
  for (const i of info.order) {
    if (taken[i] || !P.slotOf[i]) continue;
    taken[i] = 1;
    order[n++] = i;
  }
  if (foreign) {
    // Section by section, in address order: the layout keeps their distances.
    for (const list of P.bySec) if (list) for (const i of list) order[n++] = i;
  } else {
    for (let k = 0; k < P.placed.length; k++) {
      const i = P.placed[k];
      if (!taken[i]) order[n++] = i;
    }
  }

  const obj = { target: { os: 'linux', arch: R.arch.arch }, name, symbols: [] as Symbol[], dynimports, ...(foreign ? { indivisible: true } : {}) } as ObjectFile;
  if (foreign) {
    const cs = R.cSections(order.subarray(0, n), cols);
    if (cs.length) obj.cSections = cs;
    const groups = R.comdatGroups(order.subarray(0, n), cols);
    if (groups.length) obj.comdat = groups;
  }
  const weak = R.weakUndefined(cols);
  if (weak.names.length) obj.weakRefs = weak.names;
  if (weak.tls.length) obj.weakTls = weak.tls;
  // Symbol objects are made when first asked for (the linker takes the
  // columns instead); from then on they are the truth and the columns go.
  const made = (): TableSymbol[] => {
    const iw = info.w;
    const symbols: TableSymbol[] = [];
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const j = P.slotOf[i] - 1;
      const sym = new TableSymbol(R.symbolName(cols, i), P.kinds[cols.shndx[i]]!, small(P.declared[i]), P.align[j], P.dataOff[j] >= 0 ? bytes.subarray(P.dataOff[j], P.dataOff[j] + P.sizes[i]) : EMPTY, R.flagList[P.flagId[j]], R.fileList[P.fileId[j]], P.line[j]);
      const io = P.info[j];
      const fb = io >= 0 ? iw[io + SI_FLAGS] : 0;
      if (fb & SYMINFO_HAS_FRAME) sym.frameSize = iw[io + SI_FRAME] | 0;
      if (fb & SYMINFO_HAS_ARGS) sym.argsSize = iw[io + SI_ARGS] | 0;
      sym.relocTable = table;
      sym.relocStart = P.start[i];
      sym.relocCount = P.count[i];
      symbols.push(sym);
    }
    return symbols;
  };
  symbolsWhenAsked(obj, made, () => setColumns(obj, null));
  // Columns for the linker when every name can be compared as bytes: the
  // string table is terminated and ASCII (so equal bytes are equal strings).
  const strs = cols.strs;
  if (cols.lazy && strs && (strs.text === undefined ? (strs.text = R.asciiTable(strs)) : strs.text) !== null) {
    const nameId = new Int32Array(n);
    const size = new Float64Array(n);
    const align = new Int32Array(n);
    const line = new Int32Array(n);
    const dataOff = new Int32Array(n);
    const dataLen = new Int32Array(n);
    const relocStart = new Int32Array(n);
    const relocCount = new Int32Array(n);
    // Appended in order (k is their length): a large `new Array(n)` is a slow dictionary.
    const kind: SymKind[] = [];
    const flags = [] as SymFlags[];
    const file: string[] = [];
    for (let k = 0; k < n; k++) {
      const i = order[k];
      nameId[k] = i;
      const j = P.slotOf[i] - 1;
      kind[k] = P.kinds[cols.shndx[i]]!;
      size[k] = P.declared[i];
      align[k] = P.align[j];
      flags[k] = R.flagList[P.flagId[j]];
      file[k] = R.fileList[P.fileId[j]];
      line[k] = P.line[j];
      dataOff[k] = P.dataOff[j];
      dataLen[k] = P.dataOff[j] >= 0 ? P.sizes[i] : 0;
      relocStart[k] = P.start[i];
      relocCount[k] = P.count[i];
    }
    setColumns(obj, {
      count: n,
      nameId,
      kind,
      size,
      align,
      flags,
      file,
      line,
      dataOff,
      dataLen,
      bytes,
      names: bytes.subarray(strs.offset, strs.offset + strs.size),
      relocs: table,
      relocStart,
      relocCount,
      nameCount: cols.count,
      nameOff: cols.nameOff,
      respelled: cols.respelled,
      name: (id) => R.symbolName(cols, id),
    });
  }
  R.lineTables(obj, order.subarray(0, n), undefined, foreign ? { cols, P } : undefined);
  return obj;
}

/**
 * The object from its .asmlink.link section (link-index.ts), or null when it
 * has none this reader can take: then its tables are decoded instead. The
 * columns are views of the file; what they hold is checked here as the
 * table decoder checks it. Symbol objects are made, by decoding the tables,
 * only if someone asks for `symbols`.
 */
function fromLinkIndex(R: Reader, complete: () => void = () => {}): ObjectFile | null {
  const { secs, bytes, name } = R;
  const found = R.linkIndexSections();
  if (found === null) return null;
  const { index: at, symtab: symtabIdx } = found;
  const st = secs[symtabIdx];
  if (st.entsize !== C.SYM_SIZE[R.arch.cls]) return null;
  const strs = secs[st.link];
  // Names are read up to their NUL without a check each: the table must end in one.
  if (strs.type !== C.SHT_STRTAB || strs.size === 0 || bytes[strs.offset + strs.size - 1] !== 0) return null;
  const sec = secs[at];
  const a = viewLinkIndex(bytes, sec.offset, sec.size, { table: symtabIdx, strings: strs.size, sections: secs.length });
  if (a === null || a.nameoff.length !== Math.floor(st.size / st.entsize)) return null;
  const bad = (what: string): never => R.fail(`${C.LINK_INDEX_SECTION}: ${what}`);

  const n = a.name.length;
  const m = a.nameoff.length;
  const nrel = a.roff.length;
  if (firstAtOrAbove(a.nameoff, strs.size) >= 0) bad('name outside the string table');
  const kinds = R.sectionKinds();
  const kind: SymKind[] = [];
  const flags: SymFlags[] = [];
  const file: string[] = [];
  const dataOff = new Int32Array(n);
  const dataLen = new Int32Array(n);
  let size = a.size;
  for (let k = 0; k < n; k++) {
    const shndx = a.shndx[k];
    const sk = shndx < secs.length ? kinds[shndx] : undefined;
    if (sk === undefined) bad(`symbol ${k} in no section symbols can be in`);
    if (a.name[k] <= 0 || a.name[k] >= m) bad(`symbol ${k} has no name`);
    const s = secs[shndx];
    const v = a.size[k];
    if (!(v >= 0 && Math.trunc(v) === v && a.value[k] + v <= s.size)) bad(`symbol ${k} extends past its section`);
    if (v === 0 && size === a.size) size = a.size.slice();
    kind.push(sk!);
    const key = a.flags[k];
    flags.push(R.flagList[R.flagsFor(key >>> 4, key & 15)]);
    file.push(R.fileList[a.file[k] ? R.fileName(strs, a.file[k]) : R.fileId(name)]);
    if (a.rstart[k] < 0 || a.rcount[k] < 0 || a.rstart[k] + a.rcount[k] > nrel) bad(`symbol ${k} has relocations that are not there`);
    dataOff[k] = s.type !== C.SHT_NOBITS ? s.offset + a.value[k] : -1;
  }
  // A symbol without a size runs to the next one in its section, as the table decoder makes it.
  if (size !== a.size) completeSizes(a, size, secs);
  for (let k = 0; k < n; k++) dataLen[k] = dataOff[k] >= 0 ? size[k] : 0;
  const outside = firstRelocOutside(a.rstart, a.rcount, a.roff, a.rsize, size, dataOff);
  if (outside >= 0) bad(`relocation ${outside} outside its symbol`);
  const badTarget = firstBadTarget(a.rsym, 1, m);
  if (badTarget >= 0) bad(`relocation ${badTarget} has a bad target`);
  const badType = firstAtOrAbove(a.rtype, RELOC_TYPES.length);
  if (badType >= 0) bad(`relocation ${badType} has a bad type`);
  const badAdd = firstBadAddend(a.add);
  if (badAdd >= 0) bad(`relocation ${badAdd} has a bad addend`);

  const symName = (id: number): string => (a.nameoff[id] ? R.strAt(strs, a.nameoff[id]) : '');
  const dynimports: DynImport[] = [];
  for (const s of secs) if (s.type === C.SHT_PROGBITS && s.name === C.DYNIMPORT_SECTION) R.dynimports(s, dynimports);
  const obj = { target: { os: 'linux', arch: R.arch.arch }, name, symbols: [] as Symbol[], dynimports } as ObjectFile;
  symbolsWhenAsked(
    obj,
    () => {
      complete();
      return decodeTables(new Reader(bytes, name, R.mapFile).init()).symbols;
    },
    () => setColumns(obj, null),
  );
  setColumns(obj, indexColumns(a, { kind, size, flags, file, dataOff, dataLen, bytes, names: bytes.subarray(strs.offset, strs.offset + strs.size), name: symName }));
  R.lineTables(obj, a.name, complete);
  return obj;
}

/** Whether section `target` exists and is not loaded (SHF_ALLOC clear): a relocation section for it is not the program's. */
function isUnloadedTarget(secs: readonly Sec[], target: number): boolean {
  if (target <= 0 || target >= secs.length || secs[target].type === C.SHT_NULL) return false;
  return (secs[target].flags & C.SHF_ALLOC) === 0;
}

/**
 * Sizes for the symbols whose size is 0 (`size` is a copy of the index's):
 * up to the next symbol of the section in address order, ties in .symtab
 * order, or to the section's end — what Reader.symbols does.
 */
function completeSizes(a: LinkIndexArrays, size: Float64Array, secs: readonly Sec[]): void {
  const bySec = new Map<number, number[]>();
  for (let k = 0; k < a.name.length; k++) if (a.size[k] === 0 && !bySec.has(a.shndx[k])) bySec.set(a.shndx[k], []);
  for (let k = 0; k < a.name.length; k++) bySec.get(a.shndx[k])?.push(k);
  for (const [shndx, list] of bySec) {
    list.sort((x, y) => a.value[x] - a.value[y] || a.name[x] - a.name[y]);
    for (let j = 0; j < list.length; j++) {
      const k = list[j];
      if (a.size[k] === 0) size[k] = (j + 1 < list.length ? a.value[list[j + 1]] : secs[shndx].size) - a.value[k];
    }
  }
}

// Relocation entries as words: ELF64 offset lo, offset hi, type, symbol[,
// addend lo, addend hi]; ELF32 offset, symbol<<8 | type[, addend].

function entryOffset(w: Uint32Array, e: number, is64: boolean): number {
  return is64 ? w[e] + w[e + 1] * 4294967296 : w[e];
}

function entryType(w: Uint32Array, e: number, is64: boolean): number {
  return is64 ? w[e + 2] : w[e + 1] & 0xff;
}

/** The first `count` entries of `stride` words in offset order: `w` itself when they are (asmlink's are), else a sorted copy. */
function byOffset(w: Uint32Array, count: number, stride: number, is64: boolean): Uint32Array {
  let sorted = true;
  let prev = 0;
  for (let e = 0; e < count * stride; e += stride) {
    const off = entryOffset(w, e, is64);
    if (off < prev) {
      sorted = false;
      break;
    }
    prev = off;
  }
  if (sorted) return w;
  const order = new Uint32Array(count);
  for (let k = 0; k < count; k++) order[k] = k;
  // Equal offsets keep their order in the file.
  order.sort((a, b) => entryOffset(w, a * stride, is64) - entryOffset(w, b * stride, is64) || a - b);
  const out = new Uint32Array(count * stride);
  for (let k = 0; k < count; k++) out.set(w.subarray(order[k] * stride, order[k] * stride + stride), k * stride);
  return out;
}

function lowestAlign(value: number, secAlign: number): number {
  let a = Math.max(1, secAlign);
  while (a > 1 && value % a !== 0) a >>= 1;
  return a;
}

/**
 * Reads an object for linking from a file the caller reads for it:
 * `readAt(dst, pos)` fills dst with the file's bytes from pos. With a link
 * index, only what linking uses is read — headers, the index, .strtab,
 * .asmlink.dynimport and the loaded sections' contents, not .symtab, the
 * relocation sections or .asmlink.syminfo, nearly half of a large object —
 * into `image`, zero-filled memory of the file's size (the caller may give
 * it, 8-aligned, as a view of a larger buffer), whose other bytes stay zero
 * (and untouched, so the memory is never faulted in). Anything that asks for
 * the Symbol objects gets the rest of the file read first. Without a usable
 * index the whole file is read.
 */
export function readElfObjectAt(size: number, readAt: (dst: Uint8Array, pos: number) => void, name: string, image = new Uint8Array(size)): ObjectFile {
  if (image.length !== size || image.byteOffset % 8 !== 0) throw new Error(`internal: an image for ${name} must be ${size} bytes, 8-aligned`);
  const loaded: [number, number][] = [];
  const load = (range: [number, number] | null) => {
    if (range === null) return;
    const from = Math.min(range[0], size);
    const to = Math.min(range[0] + range[1], size);
    if (to > from) {
      readAt(image.subarray(from, to), from);
      loaded.push([from, to]);
    }
  };
  load([0, 64]);
  const R = new Reader(image, name);
  const { shoff, shnum, shstrndx } = R.header();
  load([shoff, shnum * C.SHDR_SIZE[R.arch.cls]]);
  load(R.shdrRange(shoff, shstrndx));
  R.sections(shoff, shnum, shstrndx);
  const complete = () => {
    // Everything not read yet, in the gaps between the ranges that were.
    loaded.sort((x, y) => x[0] - y[0]);
    let at = 0;
    const gaps: [number, number][] = [];
    for (const [from, to] of loaded) {
      if (from > at) gaps.push([at, from - at]);
      at = Math.max(at, to);
    }
    if (at < size) gaps.push([at, size - at]);
    for (const g of gaps) load(g);
  };
  const found = R.linkIndexSections();
  if (found !== null) {
    const strtab = R.secs[R.secs[found.symtab].link];
    for (const s of R.secs) {
      const wanted = s === R.secs[found.index] || s === strtab || s.name === C.DYNIMPORT_SECTION || (s.flags & C.SHF_ALLOC) !== 0;
      if (wanted && s.type !== C.SHT_NOBITS && s.type !== C.SHT_NULL) load([s.offset, s.size]);
    }
    const obj = fromLinkIndex(R, complete);
    if (obj !== null) return obj;
  }
  complete();
  return decodeTables(R);
}

/** The object decoded from its ELF tables even when it has a link index (for tests that compare the two). */
export function readElfObjectTables(bytes: Uint8Array, name: string): ObjectFile {
  return decodeTables(new Reader(bytes, name).init());
}
