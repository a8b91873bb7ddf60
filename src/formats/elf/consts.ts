// ELF constants (System V gABI, the x86-64/i386/AArch64 psABIs, glibc elf.h).
// Only the ones asmlink writes or reads are listed.

export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const EV_CURRENT = 1;
export const ELFOSABI_SYSV = 0;
export const ELFOSABI_GNU = 3;

export const ET_REL = 1;
export const ET_EXEC = 2;
/** A shared object, and a position-independent executable (with DF_1_PIE). */
export const ET_DYN = 3;

export const EM_386 = 3;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_DYNAMIC = 6;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_DYNSYM = 11;
/** Arrays of constructor, destructor and pre-constructor pointers. */
export const SHT_INIT_ARRAY = 14;
export const SHT_FINI_ARRAY = 15;
export const SHT_PREINIT_ARRAY = 16;
/** A section group (COMDAT: one copy of its sections is kept across objects). */
export const SHT_GROUP = 17;
export const GRP_COMDAT = 1;
export const SHT_GNU_HASH = 0x6ffffff6;
/** GNU symbol versioning: one Elf_Half version index per .dynsym entry. */
export const SHT_GNU_VERSYM = 0x6fffffff;
/** GNU symbol versioning: the versions a library defines (Verdef/Verdaux). */
export const SHT_GNU_VERDEF = 0x6ffffffd;
/** A .gnu.version entry with this bit is a hidden (non-default) version: `name@V`, not `name@@V`. */
export const VERSYM_HIDDEN = 0x8000;
/** GNU symbol versioning: the versions needed from each library (Verneed/Vernaux). */
export const SHT_GNU_VERNEED = 0x6ffffffe;
/** Verneed and Vernaux records are 16 bytes in both classes. */
export const VERNEED_SIZE = 16;
export const VERNAUX_SIZE = 16;
/** Version indices 0 and 1: local and global (unversioned); needed versions start at 2. */
export const VER_NDX_LOCAL = 0;
export const VER_NDX_GLOBAL = 1;

export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHF_INFO_LINK = 0x40;
export const SHF_TLS = 0x400;

export const SHN_UNDEF = 0;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_LORESERVE = 0xff00;

export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
/** GCC's binding for a static variable of an inline function or template (one instance in the process); always in a COMDAT group. */
export const STB_GNU_UNIQUE = 10;

export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STT_TLS = 6;
export const STT_GNU_IFUNC = 10;

/** st_other's visibility. */
export const STV_DEFAULT = 0;
export const STV_INTERNAL = 1;
export const STV_HIDDEN = 2;

export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_NOTE = 4;
/** The note type of .note.gnu.build-id (name "GNU"). */
export const NT_GNU_BUILD_ID = 3;
export const PT_GNU_EH_FRAME = 0x6474e550;
export const PT_GNU_STACK = 0x6474e551;
export const PT_GNU_RELRO = 0x6474e552;

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const DT_NULL = 0;
export const DT_NEEDED = 1;
/** A shared library's own name, which programs linked against it need it by. */
export const DT_SONAME = 14;
/** Directories the loader searches for DT_NEEDED libraries (after LD_LIBRARY_PATH, as GNU ld's new-dtags write it). */
export const DT_RUNPATH = 29;
export const DT_PLTRELSZ = 2;
export const DT_PLTGOT = 3;
export const DT_STRTAB = 5;
export const DT_SYMTAB = 6;
export const DT_RELA = 7;
export const DT_RELASZ = 8;
export const DT_RELAENT = 9;
export const DT_STRSZ = 10;
export const DT_SYMENT = 11;
export const DT_REL = 17;
export const DT_RELSZ = 18;
export const DT_RELENT = 19;
export const DT_PLTREL = 20;
export const DT_DEBUG = 21;
export const DT_JMPREL = 23;
export const DT_BIND_NOW = 24;
export const DT_INIT_ARRAY = 25;
export const DT_FINI_ARRAY = 26;
export const DT_INIT_ARRAYSZ = 27;
export const DT_FINI_ARRAYSZ = 28;
export const DT_PREINIT_ARRAY = 32;
export const DT_PREINIT_ARRAYSZ = 33;
export const DT_FLAGS = 30;
export const DT_FLAGS_1 = 0x6ffffffb;
export const DT_GNU_HASH = 0x6ffffef5;
export const DT_VERSYM = 0x6ffffff0;
export const DT_VERNEED = 0x6ffffffe;
export const DT_VERNEEDNUM = 0x6fffffff;
export const DF_BIND_NOW = 0x8;
export const DF_1_NOW = 0x1;
export const DF_1_PIE = 0x08000000;

// x86-64 relocation types.
export const R_X86_64_NONE = 0;
export const R_X86_64_64 = 1;
/** The load address plus the addend: an absolute address in a position-independent executable. */
export const R_X86_64_RELATIVE = 8;
/** The loader calls the function at load address + addend and stores what it returns (an indirect function's resolver). */
export const R_X86_64_IRELATIVE = 37;
export const R_X86_64_PC32 = 2;
export const R_X86_64_GOT32 = 3;
export const R_X86_64_PLT32 = 4;
export const R_X86_64_COPY = 5;
export const R_X86_64_GLOB_DAT = 6;
export const R_X86_64_JUMP_SLOT = 7;
export const R_X86_64_GOTPCREL = 9;
export const R_X86_64_32 = 10;
export const R_X86_64_32S = 11;
// Thread-local access (tls-relax.ts rewrites the dynamic models to local exec).
export const R_X86_64_TLSGD = 19;
export const R_X86_64_TLSLD = 20;
export const R_X86_64_DTPOFF32 = 21;
export const R_X86_64_GOTTPOFF = 22;
export const R_X86_64_TPOFF64 = 18;
export const R_X86_64_TPOFF32 = 23;
export const R_X86_64_GOTPC32_TLSDESC = 34;
export const R_X86_64_TLSDESC_CALL = 35;
export const R_X86_64_PC64 = 24;
export const R_X86_64_GOTPCRELX = 41;
export const R_X86_64_REX_GOTPCRELX = 42;

// i386 relocation types.
export const R_386_NONE = 0;
export const R_386_32 = 1;
export const R_386_PC32 = 2;
export const R_386_GOT32 = 3;
export const R_386_PLT32 = 4;
export const R_386_COPY = 5;
export const R_386_GLOB_DAT = 6;
export const R_386_JMP_SLOT = 7;
export const R_386_TLS_IE = 15;
export const R_386_TLS_TPOFF = 14;
export const R_386_TLS_GOTIE = 16;
export const R_386_TLS_LE = 17;
export const R_386_TLS_GD = 18;
export const R_386_TLS_LDM = 19;
export const R_386_TLS_LDO_32 = 32;
export const R_386_TLS_GOTDESC = 39;
export const R_386_TLS_DESC_CALL = 40;
export const R_386_GOT32X = 43;
export const R_386_IRELATIVE = 42;
export const R_386_GOTOFF = 9;
export const R_386_GOTPC = 10;

// AArch64 relocation types.
export const R_AARCH64_NONE = 0;
export const R_AARCH64_ABS64 = 257;
export const R_AARCH64_RELATIVE = 1027;
export const R_AARCH64_IRELATIVE = 1032;
export const R_AARCH64_ABS32 = 258;
export const R_AARCH64_PREL64 = 260;
export const R_AARCH64_PREL32 = 261;
export const R_AARCH64_ADR_PREL_PG_HI21 = 275;
export const R_AARCH64_ADD_ABS_LO12_NC = 277;
export const R_AARCH64_LDST8_ABS_LO12_NC = 278;
export const R_AARCH64_JUMP26 = 282;
export const R_AARCH64_CALL26 = 283;
export const R_AARCH64_LDST16_ABS_LO12_NC = 284;
export const R_AARCH64_LDST32_ABS_LO12_NC = 285;
export const R_AARCH64_LDST64_ABS_LO12_NC = 286;
export const R_AARCH64_LDST128_ABS_LO12_NC = 299;
export const R_AARCH64_ADR_GOT_PAGE = 311;
export const R_AARCH64_LD64_GOT_LO12_NC = 312;
/** -fpic's 64-bit LDR of a GOT slot, from a register holding the page of _GLOBAL_OFFSET_TABLE_. */
export const R_AARCH64_LD64_GOTPAGE_LO15 = 313;
export const R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21 = 541;
export const R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC = 542;
export const R_AARCH64_TLS_TPREL64 = 1030;
// Local exec: the offset from the thread pointer in a MOVZ/MOVK (G1, G0), an ADD (HI12, LO12) or a load's offset (LDST*).
export const R_AARCH64_TLSLE_MOVW_TPREL_G1 = 545;
export const R_AARCH64_TLSLE_MOVW_TPREL_G1_NC = 546;
export const R_AARCH64_TLSLE_MOVW_TPREL_G0 = 547;
export const R_AARCH64_TLSLE_MOVW_TPREL_G0_NC = 548;
export const R_AARCH64_TLSLE_ADD_TPREL_HI12 = 549;
export const R_AARCH64_TLSLE_ADD_TPREL_LO12 = 550;
export const R_AARCH64_TLSLE_ADD_TPREL_LO12_NC = 551;
export const R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC = 553;
export const R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC = 555;
export const R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC = 557;
export const R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC = 559;
export const R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC = 571;
export const R_AARCH64_TLSDESC_ADR_PAGE21 = 562;
export const R_AARCH64_TLSDESC_LD64_LO12 = 563;
export const R_AARCH64_TLSDESC_ADD_LO12 = 564;
export const R_AARCH64_TLSDESC_CALL = 569;
export const R_AARCH64_COPY = 1024;
export const R_AARCH64_GLOB_DAT = 1025;
export const R_AARCH64_JUMP_SLOT = 1026;

/** Sizes of the structures, by class. */
export const EHDR_SIZE = { 32: 52, 64: 64 } as const;
export const PHDR_SIZE = { 32: 32, 64: 56 } as const;
export const SHDR_SIZE = { 32: 40, 64: 64 } as const;
export const SYM_SIZE = { 32: 16, 64: 24 } as const;
export const RELA_SIZE = { 32: 12, 64: 24 } as const;
export const REL_SIZE = { 32: 8, 64: 16 } as const;
export const DYN_SIZE = { 32: 8, 64: 16 } as const;

/** Names of the sections that carry asmlink's own information in relocatable objects. */
export const DYNIMPORT_SECTION = '.asmlink.dynimport';
export const SYMINFO_SECTION = '.asmlink.syminfo';
export const LINK_INDEX_SECTION = '.asmlink.link';
