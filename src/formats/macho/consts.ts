// Numbers from Apple's mach-o/loader.h, mach-o/nlist.h, mach-o/reloc.h,
// mach-o/x86_64/reloc.h, mach-o/arm64/reloc.h and mach-o/fixup-chains.h.
// Only the ones asmlink writes or checks are listed.

export const MH_MAGIC = 0xfeedface;
export const MH_MAGIC_64 = 0xfeedfacf;

export const CPU_ARCH_ABI64 = 0x01000000;
export const CPU_TYPE_X86 = 7;
export const CPU_TYPE_X86_64 = CPU_TYPE_X86 | CPU_ARCH_ABI64;
export const CPU_TYPE_ARM64 = 12 | CPU_ARCH_ABI64;
export const CPU_SUBTYPE_X86_ALL = 3;
export const CPU_SUBTYPE_ARM64_ALL = 0;

export const MH_OBJECT = 0x1;
/** mach_header flag: every symbol starts a piece of its section that the linker may move or leave out on its own (clang sets it). */
export const MH_SUBSECTIONS_VIA_SYMBOLS = 0x2000;
export const MH_EXECUTE = 0x2;
export const MH_DYLIB = 0x6;
/** A universal file's header (big-endian), before its per-architecture slices. */
export const FAT_MAGIC = 0xcafebabe;

export const MH_NOUNDEFS = 0x1;
export const MH_DYLDLINK = 0x4;
export const MH_TWOLEVEL = 0x80;
/** The image exports weak definitions, which dyld coalesces with other images' (with MH_BINDS_TO_WEAK, as ld64 sets them together). */
export const MH_WEAK_DEFINES = 0x8000;
export const MH_BINDS_TO_WEAK = 0x10000;
export const MH_PIE = 0x200000;
/** The image has thread-local variable descriptors: dyld sets them up before any code runs. */
export const MH_HAS_TLV_DESCRIPTORS = 0x800000;

export const LC_REQ_DYLD = 0x80000000;
export const LC_SEGMENT = 0x1;
export const LC_SYMTAB = 0x2;
export const LC_DYSYMTAB = 0xb;
export const LC_LOAD_DYLIB = 0xc;
/** A library's own install name, which programs linked against it load it by. */
export const LC_ID_DYLIB = 0xd;
export const LC_LOAD_DYLINKER = 0xe;
/** A directory dyld searches for @rpath/ libraries (LC_REQ_DYLD | 0x1c). */
export const LC_RPATH = 0x8000001c;
export const LC_SEGMENT_64 = 0x19;
export const LC_UUID = 0x1b;
export const LC_CODE_SIGNATURE = 0x1d;
export const LC_DYLD_INFO = 0x22;
export const LC_DYLD_INFO_ONLY = 0x22 | LC_REQ_DYLD;
export const LC_FUNCTION_STARTS = 0x26;
export const LC_MAIN = 0x28 | LC_REQ_DYLD;
export const LC_DATA_IN_CODE = 0x29;
export const LC_SOURCE_VERSION = 0x2a;
export const LC_BUILD_VERSION = 0x32;
export const LC_DYLD_EXPORTS_TRIE = 0x33 | LC_REQ_DYLD;
export const LC_DYLD_CHAINED_FIXUPS = 0x34 | LC_REQ_DYLD;

export const PLATFORM_MACOS = 1;
export const TOOL_LD = 3;

export const VM_PROT_NONE = 0;
export const VM_PROT_READ = 1;
export const VM_PROT_WRITE = 2;
export const VM_PROT_EXECUTE = 4;

/** Segment flag: dyld makes the segment read-only once fixups are applied. */
export const SG_READ_ONLY = 0x10;

// Section types (low byte of flags) and attributes.
export const S_REGULAR = 0x0;
export const S_ZEROFILL = 0x1;
export const S_CSTRING_LITERALS = 0x2;
export const S_NON_LAZY_SYMBOL_POINTERS = 0x6;
export const S_SYMBOL_STUBS = 0x8;
/** Constructor and destructor pointers (__mod_init_func, __mod_term_func) and constructor offsets (__init_offsets). */
export const S_MOD_INIT_FUNC_POINTERS = 0x9;
export const S_MOD_TERM_FUNC_POINTERS = 0xa;
export const S_INIT_FUNC_OFFSETS = 0x16;
export const S_THREAD_LOCAL_REGULAR = 0x11;
export const S_THREAD_LOCAL_ZEROFILL = 0x12;
/** Thread-local variable descriptors (__thread_vars): {thunk, key, offset into the template}, which dyld sets up. */
export const S_THREAD_LOCAL_VARIABLES = 0x13;
/** Pointers to descriptors (__thread_ptrs): a linker's output for a library's thread-local, never an object's. */
export const S_THREAD_LOCAL_VARIABLE_POINTERS = 0x14;
export const S_ATTR_PURE_INSTRUCTIONS = 0x80000000;
export const S_ATTR_SOME_INSTRUCTIONS = 0x00000400;
/** Debugging information (a __DWARF section): not loaded, kept for debuggers. */
export const S_ATTR_DEBUG = 0x02000000;

// nlist n_type bits.
export const N_UNDF = 0x0;
export const N_EXT = 0x1;
/** Private external (C's hidden visibility): global within the link, not exported; an executable keeps it as a local with this bit. */
export const N_PEXT = 0x10;
export const N_SECT = 0xe;
/** The n_type bits that say what kind of entry it is (N_UNDF, N_SECT, ...). */
export const N_TYPE = 0xe;
// n_desc bits.
export const N_WEAK_DEF = 0x0080;
/** An undefined symbol's weak reference (C's weak_import): bound weakly, 0 where the library at run time lacks it. */
export const N_WEAK_REF = 0x0040;
export const REFERENCED_DYNAMICALLY = 0x0010;
/** Two-level namespace: library ordinal in the high byte of n_desc. */
export function setLibraryOrdinal(desc: number, ordinal: number): number {
  return (desc & 0x00ff) | ((ordinal & 0xff) << 8);
}

export const INDIRECT_SYMBOL_LOCAL = 0x80000000;
export const INDIRECT_SYMBOL_ABS = 0x40000000;

// Relocation types.
export const GENERIC_RELOC_VANILLA = 0;

export const X86_64_RELOC_UNSIGNED = 0;
export const X86_64_RELOC_SIGNED = 1;
export const X86_64_RELOC_BRANCH = 2;
export const X86_64_RELOC_GOT_LOAD = 3;
export const X86_64_RELOC_GOT = 4;
export const X86_64_RELOC_SUBTRACTOR = 5;
export const X86_64_RELOC_SIGNED_1 = 6;
export const X86_64_RELOC_SIGNED_2 = 7;
export const X86_64_RELOC_SIGNED_4 = 8;
export const X86_64_RELOC_TLV = 9;

export const ARM64_RELOC_UNSIGNED = 0;
export const ARM64_RELOC_SUBTRACTOR = 1;
export const ARM64_RELOC_BRANCH26 = 2;
export const ARM64_RELOC_PAGE21 = 3;
export const ARM64_RELOC_PAGEOFF12 = 4;
export const ARM64_RELOC_GOT_LOAD_PAGE21 = 5;
export const ARM64_RELOC_GOT_LOAD_PAGEOFF12 = 6;
export const ARM64_RELOC_POINTER_TO_GOT = 7;
export const ARM64_RELOC_TLVP_LOAD_PAGE21 = 8;
export const ARM64_RELOC_TLVP_LOAD_PAGEOFF12 = 9;
export const ARM64_RELOC_ADDEND = 10;

// Dyld info opcodes (LC_DYLD_INFO_ONLY).
export const REBASE_TYPE_POINTER = 1;
export const REBASE_OPCODE_DONE = 0x00;
export const REBASE_OPCODE_SET_TYPE_IMM = 0x10;
export const REBASE_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB = 0x20;
export const REBASE_OPCODE_ADD_ADDR_ULEB = 0x30;
export const REBASE_OPCODE_ADD_ADDR_IMM_SCALED = 0x40;
export const REBASE_OPCODE_DO_REBASE_IMM_TIMES = 0x50;
export const REBASE_OPCODE_DO_REBASE_ULEB_TIMES = 0x60;
export const REBASE_OPCODE_DO_REBASE_ADD_ADDR_ULEB = 0x70;
export const REBASE_OPCODE_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB = 0x80;

export const BIND_TYPE_POINTER = 1;
export const BIND_SPECIAL_DYLIB_SELF = 0;
export const BIND_SYMBOL_FLAGS_WEAK_IMPORT = 0x1;
export const BIND_OPCODE_DONE = 0x00;
export const BIND_OPCODE_SET_DYLIB_ORDINAL_IMM = 0x10;
export const BIND_OPCODE_SET_DYLIB_ORDINAL_ULEB = 0x20;
export const BIND_OPCODE_SET_DYLIB_SPECIAL_IMM = 0x30;
export const BIND_OPCODE_SET_SYMBOL_TRAILING_FLAGS_IMM = 0x40;
export const BIND_OPCODE_SET_TYPE_IMM = 0x50;
export const BIND_OPCODE_SET_ADDEND_SLEB = 0x60;
export const BIND_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB = 0x70;
export const BIND_OPCODE_ADD_ADDR_ULEB = 0x80;
export const BIND_OPCODE_DO_BIND = 0x90;
export const BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB = 0xa0;
export const BIND_OPCODE_DO_BIND_ADD_ADDR_IMM_SCALED = 0xb0;
export const BIND_OPCODE_DO_BIND_ULEB_TIMES_SKIPPING_ULEB = 0xc0;

export const EXPORT_SYMBOL_FLAGS_KIND_REGULAR = 0x00;
export const EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL = 0x01;
export const EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION = 0x04;

// Chained fixups (mach-o/fixup-chains.h).
export const DYLD_CHAINED_PTR_64 = 2;
export const DYLD_CHAINED_PTR_64_OFFSET = 6;
export const DYLD_CHAINED_PTR_START_NONE = 0xffff;
export const DYLD_CHAINED_IMPORT = 1;
export const DYLD_CHAINED_IMPORT_ADDEND = 2;
export const DYLD_CHAINED_IMPORT_ADDEND64 = 3;

// Code signing (cs_blobs.h), all big-endian.
export const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
export const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
export const CSMAGIC_REQUIREMENTS = 0xfade0c01;
export const CSSLOT_CODEDIRECTORY = 0;
export const CSSLOT_REQUIREMENTS = 2;
export const CS_ADHOC = 0x2;
export const CS_LINKER_SIGNED = 0x20000;
export const CS_HASHTYPE_SHA256 = 2;
export const CS_SHA256_LEN = 32;
export const CS_EXECSEG_MAIN_BINARY = 0x1;
export const CS_CODEDIRECTORY_VERSION = 0x20400;
