// The format-neutral object model: what the assembler produces, what object
// readers give back, and what the linker consumes. Mach-O, ELF and every
// architecture plug in beside it without changing it.

import type { Reloc } from './reloc.js';
import type { Target } from '../target.js';

export type SymKind =
  | 'text'
  | 'rodata'
  | 'data'
  | 'noptrdata'
  | 'bss'
  | 'noptrbss'
  | 'tls'
  /**
   * Pointers to functions the C library's start-up runs before main
   * (preinit_array, init_array) or at exit (fini_array): ELF's static
   * constructors and destructors, from other compilers' objects.
   */
  | 'preinit_array'
  | 'init_array'
  | 'fini_array'
  /**
   * Call-frame information of compiled code (ELF .eh_frame): how to unwind
   * its frames, which C++ exceptions, backtrace() and debuggers read.
   */
  | 'eh_frame'
  /**
   * Mach-O thread-local variable descriptors (__thread_vars): per variable
   * a thunk dyld sets, a key, and the offset of its initial value in the
   * thread-local template (the 'tls' symbols); C code calls the thunk to
   * find this thread's copy.
   */
  | 'tlv'
  /**
   * Mach-O compact unwind records (__LD,__compact_unwind, from a compiler's
   * 64-bit objects): per function its address, length, compact encoding,
   * personality and LSDA. The linker reads them into the executable's
   * __TEXT,__unwind_info, which the unwinder (C++ exceptions, backtraces)
   * searches; they are not loaded themselves.
   */
  | 'unwind'
  /** A function or variable that the dynamic loader finds in a shared library. */
  | 'dynimport'
  /** Referenced here, defined elsewhere. */
  | 'undef';

export interface InstInfo {
  /** Line in the named input file (after #include mapping, the line of the file that holds it). */
  line: number;
  /** File holding the instruction when it is not the symbol's own file (an #include). */
  file?: string;
  offset: number;
  size: number;
  /**
   * The frame when the instruction starts, for debugging information's
   * call-frame table: how far SP is below its value at the call (on x86 the
   * return address not counted), and what the frame has saved: on x86 1
   * when the caller's BP is just below the return address; on arm64 n when
   * LR is at CFA-n and the caller's FP at CFA-n-8; 0 when nothing.
   */
  sp?: number;
  saved?: number;
  /** The frame's base is BP (after MOVQ SP, BP): CFA = BP + sp + the return address's size. */
  cfaOnBp?: boolean;
}

export interface SymFlags {
  dupok?: boolean;
  /** File-local (`name<>`): not visible to other objects. */
  local?: boolean;
  nosplit?: boolean;
  noframe?: boolean;
  wrapper?: boolean;
  topframe?: boolean;
  /** Read-only data (GLOBL with RODATA). */
  rodata?: boolean;
  noptr?: boolean;
  /**
   * An indirect function (ELF STT_GNU_IFUNC, from C's
   * `__attribute__((ifunc))` or target_clones): the symbol's code is its
   * resolver, which the loader calls to find the function (R_*_IRELATIVE).
   */
  ifunc?: boolean;
  /**
   * Hidden (ELF STV_HIDDEN or STV_INTERNAL, from C's
   * `__attribute__((visibility("hidden")))` or -fvisibility=hidden): the
   * name is the program's own, which an executable does not export to
   * libraries (--export-dynamic) and the external object keeps hidden.
   */
  hidden?: boolean;
  /**
   * The link's stand-in for a name only weak references name and nothing
   * defines (link/weak-undefined.ts): at address 0, in no symbol table, never
   * slid.
   */
  undefinedWeak?: boolean;
  /** One of the linker's symbols whose address the layout gives (link/image-symbols.ts: __ehdr_start, _end, ...). */
  imageAddress?: boolean;
}

export interface Symbol {
  name: string;
  kind: SymKind;
  /** Size in bytes; for bss it may exceed data.length (the rest is zero). */
  size: number;
  align: number;
  data: Uint8Array;
  relocs: Reloc[];
  flags: SymFlags;
  /** Where it was defined, for diagnostics. */
  file: string;
  line: number;
  /** For text symbols: one entry per instruction, for listings and diagnostics. */
  insts?: InstInfo[];
  /** For text: frame size and argument size from the TEXT directive. */
  frameSize?: number;
  argsSize?: number;
}

/**
 * `//go:cgo_import_dynamic local remote[#version] "library"`. `local` and
 * `remote` are `_` for a library-only request.
 */
export interface DynImport {
  local: string;
  /** The symbol's name in the library, without any `#version`. */
  remote: string;
  /** ELF symbol version (`remote#GLIBC_2.1`); absent: unversioned. Mach-O has none and ignores it. */
  version?: string;
  library: string;
  file: string;
  line: number;
  /** Only weak references name it (a library given to the link exports it): where the library at run time lacks it, it is 0 (ELF STB_WEAK). */
  weak?: boolean;
}

export interface ObjectFile {
  target: Target;
  /** Name of the source or object file, for diagnostics. */
  name: string;
  symbols: Symbol[];
  dynimports: DynImport[];
  /**
   * Object writers add DWARF debugging information (source lines and
   * functions, from the functions' `insts`); compDir makes relative source
   * names absolute.
   */
  debug?: { compDir?: string };
  /**
   * Written by another assembler or a compiler: the link keeps all of its
   * symbols, in their order and at their distances, since GNU as resolves a
   * call to a local function in the same section without a relocation, and
   * LLVM's Mach-O objects give one address several symbols (a section's
   * `ltmpN` and its first string's `l_.str`), of which a relocation may name
   * the one the split left empty. asmlink's own objects relocate every
   * reference to the symbol it reaches, so their symbols can be dropped and
   * placed one by one. (A COMDAT copy that lost is left out all the same:
   * `comdat`.)
   */
  indivisible?: boolean;
  /**
   * A member of a static library (the archive's file name): linked only if
   * it defines a symbol the rest of the program refers to and nothing else
   * defines (link/archives.ts).
   */
  archive?: string;
  /**
   * A static library's member that has not been read: the global names the
   * archive's symbol index says it defines, and how to read it. Until then
   * it has no symbols and no imports; the link reads the members it takes
   * (link/archives.ts) and no others, as system linkers use the index.
   */
  unread?: { defines: readonly string[]; read(): ObjectFile };
  /**
   * ELF objects of other tools: their sections named as C identifiers
   * (`__attribute__((section("hooks")))`), each with the kind its symbols
   * have, its alignment and its definitions (by number, in `symbols`
   * order). GNU ld gathers the sections of one name and defines
   * `__start_NAME` and `__stop_NAME` around them (link/named-sections.ts).
   */
  cSections?: CSection[];
  /**
   * Objects of other tools: their ELF COMDAT groups (C++ inline functions,
   * templates, vtables, GCC's i386 pc thunks), each with its signature and
   * the definitions in its sections (by number, in `symbols` order); in a
   * Mach-O object whose symbols each start a piece (clang's), each weak
   * definition, signed by its name. Every object that uses one has a copy;
   * the link keeps the first copy of each signature and leaves the others
   * out, as GNU ld and ld64 do (link/comdat.ts).
   */
  comdat?: ComdatGroup[];
  /**
   * Names the object refers to only weakly (ELF: undefined STB_WEAK
   * symbols, C's `extern void hook(void) __attribute__((weak))`): where
   * nothing defines one, it is 0 (link/weak-undefined.ts). The external
   * object lists them likewise, for the system linker.
   */
  weakRefs?: readonly string[];
  /** Those of weakRefs that name thread-local variables (STT_TLS). */
  weakTls?: readonly string[];
}

/** A COMDAT group of one object (ObjectFile.comdat). */
export interface ComdatGroup {
  signature: string;
  defs: number[];
}

/** A section named as a C identifier, in one object (ObjectFile.cSections). */
export interface CSection {
  name: string;
  kind: SymKind;
  align: number;
  defs: number[];
}

/**
 * Makes obj.symbols a property that calls `make` when first read, or is
 * replaced when first written; either way `settled` runs then. From then on
 * the Symbol objects are the truth: readers and the assembler that keep an
 * object's definitions in columns drop the columns in `settled`.
 */
export function symbolsWhenAsked(obj: ObjectFile, make: () => Symbol[], settled: () => void): void {
  const settle = (symbols: Symbol[]) => {
    settled();
    Object.defineProperty(obj, 'symbols', { value: symbols, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(obj, 'symbols', {
    enumerable: true,
    configurable: true,
    get() {
      const symbols = make();
      settle(symbols);
      return symbols;
    },
    set(v: Symbol[]) {
      settle(v);
    },
  });
}

/** The default alignment a data symbol of this size gets, as Go's linker chooses it. */
export function naturalAlign(size: number, ptrSize: number): number {
  let a = 1;
  while (a < ptrSize && a < size) a <<= 1;
  return a;
}

/**
 * What a shared library given to a link (`-l`) exports: an ELF .so, a
 * Mach-O .dylib or an SDK's .tbd stub, read by the format's reader. The
 * link imports the names its objects leave undefined from it.
 */
export interface SharedLibrary {
  /** The name programs load it by: ELF DT_SONAME (`libc.so.6`; the file's name where it has none), Mach-O's install name. */
  soname: string;
  /** By C name (Mach-O's leading underscore taken off). */
  exports: Map<string, SharedExport>;
}

export interface SharedExport {
  /** ELF: the default version (`GLIBC_2.2.5`), or undefined for an unversioned symbol. */
  version?: string;
  /** ELF: STT_FUNC, STT_OBJECT, STT_TLS, ...; 0 where the format does not say. */
  type: number;
  size: number;
  /** Its address in the library: names at one address are one variable. */
  value: number;
}
