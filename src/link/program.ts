// The linker's data model: what resolve/deadcode/dynimport/layout/relocate
// pass along, and the seam where an executable format plugs in (see link.ts).

import type { ObjectFile, SharedLibrary, SymFlags, SymKind, Symbol } from '../obj/symbol.js';
import type { Insts } from '../obj/line-tables.js';
import type { Reloc } from '../obj/reloc.js';
import type { RelocTable } from '../obj/reloc-table.js';
import type { Libc, Target } from '../target.js';
import type { ArchHooks } from './arch.js';
import type { LinkObj } from './objects.js';

export type LinkMode = 'internal' | 'external';

export interface LinkOptions {
  target: Target;
  linkmode: LinkMode;
  /** Name of the entry symbol (`_rt0_amd64_linux` for the runtime; `main` for a C-style entry in external mode). */
  entry: string;
  /** What to add when the entry symbol is not defined: why it might not be, and what to do. */
  entryHint?: string;
  /** Further symbols kept even when the entry does not reach them (e.g. `main` for a host crt1). */
  keep?: readonly string[];
  /**
   * External mode: the system linker links the C library statically, and
   * static archives (libc.a) define no symbol versions: imports' `#VERSION`s
   * are dropped, as for musl.
   */
  staticLibc?: boolean;
  /**
   * Shared libraries given to the link (`-l`), in order: a name the objects
   * leave undefined that one exports becomes an import from the first that
   * does, at its default version (ELF; host/shared-libraries.ts reads them).
   */
  sharedLibraries?: readonly SharedLibrary[];
  /**
   * No symbol table and no debugging information, as strip(1) leaves an
   * executable (Go's -s): only what the loader needs of the symbols stays.
   */
  strip?: boolean;
  /**
   * The program runs without the C library (the raw runtime): an object
   * that imports anything is refused, static library members the link
   * takes included (runtime/select.ts refuseImportsWithoutLibc).
   */
  withoutLibc?: boolean;
  /**
   * linux: the C library the program is for, glibc (default) or musl. musl
   * has no symbol versions (imports' `#VERSION`s are dropped) and its own
   * loader (the default interpreter).
   */
  libc?: Libc;
  /**
   * Options for the executable writer of the target's format, passed through
   * unread: rpath (directories, `:`-separated, where the loader looks for
   * libraries: ELF DT_RUNPATH, Mach-O LC_RPATH) for both; ELF interp (the
   * program interpreter), pie (a position-independent executable),
   * buildId (a .note.gnu.build-id) and exportDynamic (the program's global
   * symbols in .dynsym);
   * Mach-O codesign, fixups, identifier, macosMin.
   */
  format?: Readonly<Record<string, string | number | boolean>>;
  /** Upper bound on reported diagnostics (default 50). */
  maxErrors?: number;
  /**
   * Write DWARF debugging information (source lines, functions and call
   * frames) for the functions whose objects recorded their instructions'
   * lines (darwin: not in external mode). compDir: the directory relative
   * source names are relative to.
   */
  debug?: { compDir?: string };
  /** Called as each stage of the link ends (for profiling: the host prints the time each one took). */
  onPhase?: (name: string) => void;
}

export type LinkResult =
  | { kind: 'executable'; bytes: Uint8Array }
  /** External mode: one relocatable object for the whole program, and the libraries its imports name (for the host linker). */
  | { kind: 'object'; bytes: Uint8Array; libraries: string[] };

/** How a relocation reaches its target after dynamic-import planning. */
export const HOW_DIRECT = 0;
/** Through the PLT entry (ELF) or stub (Mach-O) of an import. */
export const HOW_PLT = 1;
/** Through a GOT slot (pc-relative load of the slot's address, or the slot itself). */
export const HOW_GOT = 2;
/** Left to the dynamic loader: a dynamic relocation against an import in writable data. */
export const HOW_DYN = 3;
/** Nothing to patch (R_CALLIND). */
export const HOW_SKIP = 4;
/** To the executable's copy of an import's data (R_*_COPY; see copy-data.ts). */
export const HOW_COPY = 5;

/** The executable's copy of an import's data: its size, and the library's other names for it, which the executable exports at the copy too. */
export interface CopyEntry {
  imp: Import;
  size: number;
  aliases: readonly string[];
}

/** A dynamically imported symbol: `//go:cgo_import_dynamic local remote "library"`. */
export interface Import {
  /** Discriminates imports from defined symbols (LSym.dyn is false). */
  dyn: true;
  local: string;
  remote: string;
  /** ELF symbol version required of the library (`remote#version`); formats without versions ignore it. */
  version?: string;
  library: string;
  file: string;
  line: number;
  /** Weak (DynImport.weak): its dynamic symbol is STB_WEAK, which the loader leaves 0 where no library defines it. */
  weak?: boolean;
  /** Index of its PLT entry / stub, or -1. */
  plt: number;
  /** Index of its GOT slot, or -1. */
  got: number;
  /** Index of the executable's copy of its data (a variable that code reads in place), or -1. */
  copy: number;
  /**
   * A library function (so the library given with -l says) whose address
   * the code or data makes itself: where that address is 4 bytes in data,
   * as -fno-pic code's .eh_frame holds its personality routine, its PLT
   * entry stands for it in a position-dependent executable (dynimport.ts).
   */
  pltAddress?: boolean;
  /**
   * The executable takes the library function's address as its PLT
   * entry's (an absolute address in position-dependent code): the entry
   * becomes the function's canonical address, which the executable
   * exports (its dynamic symbol's value) so that the libraries' pointers
   * to the function equal the program's, as GNU ld makes it.
   */
  canonicalPlt?: boolean;
  /**
   * A library's thread-local variable, reached in initial exec (R_TLS_IE):
   * its GOT slot holds its offset from the thread pointer, which the loader
   * fills (R_*_TPOFF64), and its dynamic symbol is STT_TLS.
   */
  tls?: boolean;
  /** Reached by any live relocation. */
  used: boolean;
  /** Index in the format's dynamic symbol table, set by the writer. */
  dynIndex: number;
  /**
   * An indirect function of the program (SymFlags.ifunc), not a library's:
   * the gid of its definition, the resolver, whose address the loader's
   * R_*_IRELATIVE relocations carry (formats/elf/write-exec.ts).
   */
  ifunc?: number;
}

/**
 * A defined symbol as the linker sees it. The linker makes one only for a
 * symbol it emits (a live one) or names in a diagnostic: the others stay
 * rows of their object's columns (objects.ts), and so do the fields below
 * that are read through getters (kept small: a large link holds tens of
 * thousands of these). Its contents are a view of the input made when first
 * asked for (`data`); the section builder copies them without one (copyData).
 */
export class LSym {
  // Fields are declared, not initialized in the class body: class-field
  // initializers run as defineProperty calls, which cost microseconds per
  // object before V8 optimizes them; plain assignments in the constructor do not.
  // A large link holds one per live symbol, so what its object's columns
  // already say (kind, size, relocations, ...) is read through getters, and
  // the fields are what linking sets, plus `local`. `dyn` is on the
  // prototype (see below the class).
  declare readonly dyn: false;
  /** Index of its object in the link. */
  declare obj: number;
  /** True once its contents are a private copy the linker may rewrite (see ownData). */
  declare ownData: boolean;
  /** A file-local symbol (kept as a field: flag objects come in many shapes, slow to read in a loop). */
  declare readonly local: boolean;
  /** Index of its first relocation in the program's RelocCols: relocation i is entry r0 + i. */
  declare r0: number;
  declare section: OutSection | null;
  /** Offset within its output section, then its address once the writer laid sections out. */
  declare off: number;
  declare addr: number;
  /** Index of its GOT slot (R_GOTPCREL to a defined symbol), or -1. */
  declare got: number;
  declare private contents: Uint8Array | null;
  declare private nameString: string | undefined;
  declare private readonly src: LinkObj;
  declare private readonly k: number;

  /** Definition k of object `src` (the link's object number `obj`). */
  constructor(obj: number, src: LinkObj, k: number) {
    this.nameString = undefined;
    this.obj = obj;
    this.local = !!src.flags[k].local;
    this.ownData = false;
    this.r0 = 0;
    this.section = null;
    this.off = 0;
    this.addr = 0;
    this.got = -1;
    this.contents = null;
    this.src = src;
    this.k = k;
  }

  /** Its number among its object's definitions (`symbols` order). */
  get index(): number {
    return this.k;
  }

  /**
   * Name in the output. File-local symbols keep theirs (and may repeat across
   * objects). Made when first asked for: an ELF executable's symbol table
   * takes the bytes instead (nameKeys), so a large link makes few.
   */
  get name(): string {
    return (this.nameString ??= this.src.name(this.src.nameId[this.k]));
  }

  /**
   * The bytes holding its name, NUL-terminated at nameKeyOffset, when its
   * object keeps names so (read from a file, ASCII, spelled as they are
   * stored); else null and only `name` has it.
   */
  get nameKeys(): Uint8Array | null {
    const o = this.src;
    return o.keyLen === null && o.keys instanceof Uint8Array && (o.suffixed === null || !o.suffixed[o.nameId[this.k]]) ? o.keys : null;
  }
  get nameKeyOffset(): number {
    return this.src.keyOff[this.src.nameId[this.k]];
  }

  /** The table holding its relocations (its object's, or the one the linker made, see objects.ts). */
  get rt(): RelocTable {
    return this.src.relocs;
  }
  /** Its first entry there. */
  get ri(): number {
    return this.src.relocStart[this.k];
  }
  /** Its number of relocations. */
  get rn(): number {
    return this.src.relocCount[this.k];
  }

  get kind(): SymKind {
    return this.src.kind[this.k];
  }
  /** Declared size; for bss it may exceed the contents (the rest is zero). */
  get size(): number {
    return this.src.size[this.k];
  }
  get align(): number {
    return this.src.align[this.k];
  }
  get flags(): SymFlags {
    return this.src.flags[this.k];
  }
  /** Where it was defined, for diagnostics. */
  get file(): string {
    return this.src.file[this.k];
  }
  get line(): number {
    return this.src.line[this.k];
  }
  /** Its instructions with their source lines, when its object has them (for debugging information). */
  get insts(): Insts | undefined {
    return this.src.insts?.(this.k);
  }
  /** Length of its contents. */
  get dataLen(): number {
    return this.contents !== null ? this.contents.length : this.src.dataLen[this.k];
  }

  /** Contents; a private copy once the linker rewrote an instruction (see ownData). */
  get data(): Uint8Array {
    let d = this.contents;
    if (d === null) {
      const o = this.src;
      const k = this.k;
      d = this.contents = o.datas !== null ? o.datas[k] : o.bytes === null || o.dataLen[k] === 0 ? EMPTY : o.bytes.subarray(o.dataOff[k], o.dataOff[k] + o.dataLen[k]);
    }
    return d;
  }

  set data(v: Uint8Array) {
    this.contents = v;
  }

  /** Copies the contents into `dst` at `at` (without keeping a view of the input for each symbol). */
  copyData(dst: Uint8Array, at: number): void {
    const o = this.src;
    const k = this.k;
    if (this.contents !== null) dst.set(this.contents, at);
    else if (o.datas !== null) dst.set(o.datas[k], at);
    else if (o.bytes !== null && o.dataLen[k] > 0) {
      const src = o.bytes;
      const n = o.dataLen[k];
      const from = o.dataOff[k];
      // Most symbols are small functions: a loop costs less than making a view for set().
      if (n <= 256) for (let i = 0; i < n; i++) dst[at + i] = src[from + i];
      else dst.set(src.subarray(from, from + n), at);
    }
  }

  /** The Symbol it was made from (for writers that need more than the fields above, and the API). */
  get sym(): Symbol {
    const o = this.src;
    return o.syms !== null ? o.syms[this.k] : o.obj.symbols[o.symIndex[this.k]];
  }
}

// What tells an LSym from an Import, shared by every LSym rather than stored in each.
Object.defineProperty(LSym.prototype, 'dyn', { value: false });

const EMPTY = new Uint8Array(0);

export type SectionKind = 'text' | 'rodata' | 'data' | 'bss' | 'tls' | 'preinit_array' | 'init_array' | 'fini_array' | 'eh_frame' | 'tlv' | 'unwind';

/** A format-neutral output section: the live symbols of one kind, laid end to end. */
export interface OutSection {
  kind: SectionKind;
  syms: LSym[];
  size: number;
  align: number;
  /** Whether it has file contents: text, rodata and data do; bss does not; tls when some TLS symbol has a non-zero byte or a relocation. */
  filled: boolean;
  /**
   * The bytes from its start that have contents: its size when filled (0
   * when not), less for tls, whose symbols without contents (zero, with no
   * relocation) are placed last so that they take no file space.
   */
  fileSize: number;
  /** The contents when filled, from after layout on (sections.ts). Relocated in place. */
  data: Uint8Array | null;
  /** Virtual address, set by the writer's layout. */
  addr: number;
}

/**
 * What linking decided for every relocation of every live symbol, in columns
 * for the whole program (no object or array per symbol): its resolved target
 * (null: undefined, or dropped by planning) and how it is reached (HOW_*).
 * Indexed by LSym.r0 + the relocation's index within its symbol. Targets are
 * kept as numbers (see resolve.ts), not as a large array of references to
 * young objects, which every garbage collection would have to scan.
 */
export interface RelocCols {
  target(k: number): LSym | Import | null;
  /**
   * The same, for loops that decode it themselves (no call per relocation
   * before V8 optimizes them): ref[k] >= 0 is defs[ref[k]], -1 is null, and
   * below that imports[-2 - ref[k]].
   */
  ref: Int32Array;
  defs: readonly (LSym | undefined)[];
  imports: readonly Import[];
  /** Drops the target of relocation k (it is then skipped, as an undefined one). */
  clear(k: number): void;
  how: Uint8Array;
}

/** A relocation the dynamic loader applies (an import's address stored in data). */
export interface DynReloc {
  sym: LSym;
  off: number;
  size: number;
  imp: Import;
  add: number;
}

/** A GOT slot: for an import (filled by the loader) or a defined symbol (filled at link time). */
export type GotEntry = { imp: Import } | { sym: LSym };

export interface Program {
  target: Target;
  opts: LinkOptions;
  hooks: ArchHooks;
  objects: ObjectFile[];
  /** Sections in canonical order: text, rodata, data, bss, tls (possibly empty). */
  sections: Record<SectionKind, OutSection>;
  /** Live symbols in output order. */
  syms: LSym[];
  /**
   * Live definitions another of the same name took the place of (a weak C
   * function beside a strong one, a COMDAT copy another object's won): still
   * in the output, as other tools' objects are linked whole, but not the
   * name's definition. A symbol table lists them as file-local.
   */
  shadowed?: ReadonlySet<LSym>;
  /** The relocations with their targets and routes (see LSym.r0). */
  relocs: RelocCols;
  /** Every import declared (used or not), in declaration order. */
  imports: Import[];
  plt: Import[];
  got: GotEntry[];
  /** Imports whose data the executable holds a copy of. */
  copies: CopyEntry[];
  dynRelocs: DynReloc[];
  /** Libraries named by the imports, each once, in order of first mention. */
  libraries: string[];
  entry: LSym;
  /** Non-loaded sections the executable writer lays out and adds (DWARF, see debug-info.ts; their bytes are final only after relocation). */
  extraSections: { name: string; data: Uint8Array }[];
}

/**
 * Addresses only the format knows. The writer sets every OutSection.addr in
 * layout(); the core derives symbol addresses from them and asks these for the rest.
 */
export interface Layout {
  /**
   * Where the format wants a filled section's contents: a view of the file it
   * will write (so they are copied once), or null for a buffer of their own.
   */
  sectionBuffer?(kind: SectionKind): Uint8Array | null;
  /**
   * What the format subtracts from virtual addresses before the core sees
   * them: OutSection.addr, LSym.addr, pltAddr and gotAddr are addresses
   * less this, and the core adds it back to the values of absolute
   * relocations (R_ADDR). A multiple of the page size, so that page-relative
   * arithmetic (arm64 ADRP) is unchanged. ELF: 0. Mach-O: the header's
   * address (4 GiB on 64-bit): addresses above 2^30 are doubles to V8, which
   * allocates a heap number for each in code it has not optimized yet, and
   * the first one stored in an LSym changes the shape of every LSym.
   */
  readonly bias: number;
  pltAddr(index: number): number;
  gotAddr(index: number): number;
  /** The address of one of the linker's image symbols (image-symbols.ts) by name; formats without them leave it out. */
  imageSymbol?(name: string): number | undefined;
  /** Address of the executable's copy of an import's data (Import.copy); formats without copies leave it out. */
  copyAddr?(index: number): number;
  /**
   * The GOT's own address, from which 386 position-independent code reaches
   * its data (R_GOTPC, R_GOTOFF, R_GOT): ELF's _GLOBAL_OFFSET_TABLE_, the
   * start of .got.plt. Formats without such code leave it out.
   */
  gotBase?: number;
  /** The value R_TLS_LE stores for a TLS symbol (before the addend): its offset from the thread pointer. */
  tlsOffset(sym: LSym): number;
}

/**
 * An executable format. layout() runs after dynamic-import planning (so the
 * PLT/GOT sizes are known) and before relocation; write() runs after the core
 * relocated every section's contents in place.
 */
export interface ExecWriter {
  layout(prog: Program): Layout;
  write(prog: Program, layout: Layout): Uint8Array;
}

/** The writers of one target's format: executables (internal mode) and relocatable objects (external mode); null where there is none yet. */
export interface FormatWriters {
  exec: ExecWriter | null;
  object: ((obj: ObjectFile) => Uint8Array) | null;
}

/** Makes a symbol's contents private before an instruction is rewritten. */
export function ownData(s: LSym): Uint8Array {
  if (!s.ownData) {
    s.data = s.data.slice();
    s.ownData = true;
  }
  return s.data;
}

/**
 * The name a symbol table and a debugger show for a symbol: as its source
 * spelled it. A file-local symbol of another assembler's or a compiler's
 * object (ObjectFile.indivisible) is resolved as `name<>`, asmlink's
 * spelling of file-local names, but its C name is `name` (gdb's `break twice`).
 */
export function shownName(prog: Program, s: LSym): string {
  return s.local && prog.objects[s.obj]?.indivisible && s.name.endsWith('<>') ? s.name.slice(0, -2) : s.name;
}

export function isImport(t: LSym | Import | null): t is Import {
  return t !== null && t.dyn;
}

/** The place to report a relocation at: the instruction's line, else the function's. */
export function relocPos(s: LSym, r: Pick<Reloc, 'line'>): { file: string; line: number; col: number } {
  return { file: s.file, line: r.line || s.line, col: 0 };
}
