// Relocation types are format-neutral, named after Go's objabi ones. Each
// architecture and object format lowers them to its own numbers (ELF
// R_X86_64_PLT32, Mach-O X86_64_RELOC_BRANCH, ...) when writing, and raises them
// back when reading.

export type RelocType =
  /** Direct call or jump: pc-relative, to a PLT entry or stub when the target is imported. */
  | 'R_CALL'
  /** Indirect call through a register; only marks the call site, nothing to patch. */
  | 'R_CALLIND'
  /** pc-relative data address; to an import it becomes a GOT load. */
  | 'R_PCREL'
  /** Absolute address of size 4 or 8. */
  | 'R_ADDR'
  /** pc-relative address of the GOT slot holding the symbol's address. */
  | 'R_GOTPCREL'
  /** Thread-local, local-exec: the offset of a TLS symbol from the thread pointer. */
  | 'R_TLS_LE'
  /** arm64: ADRP+ADD (or ADRP+LDR/STR) pair addressing a symbol; size 8 covers both instructions. */
  | 'R_ADDRARM64'
  /** arm64: ADRP+LDR pair loading the symbol's address from its GOT slot. */
  | 'R_ARM64_GOTPCREL'
  /** arm64: 26-bit branch (B/BL) displacement. */
  | 'R_CALLARM64'
  /**
   * arm64, the halves of an address pair apart (C compilers schedule them
   * so; asmlink's assembler writes pairs): an ADRP to the symbol's page, size 4…
   */
  | 'R_ARM64_PAGE'
  /** …and the ADD or LDR/STR supplying the low 12 bits (scaled by a load's size). */
  | 'R_ARM64_PAGEOFF'
  /** arm64: an ADRP to the page of the symbol's GOT slot, size 4… */
  | 'R_ARM64_GOTPAGE'
  /** …and the 64-bit LDR of the slot. */
  | 'R_ARM64_GOTPAGEOFF'
  /**
   * arm64 -fpic: the 64-bit LDR of the symbol's GOT slot from a register
   * holding the page of the GOT (an ADRP to _GLOBAL_OFFSET_TABLE_): the
   * slot's offset from that page, at most 32 KiB, size 4.
   */
  | 'R_ARM64_GOTPAGE_LO15'
  /**
   * 386 position-independent code, which keeps the GOT's address (the
   * linker's _GLOBAL_OFFSET_TABLE_) in a register: the pc-relative distance
   * to the GOT (after a call to a pc thunk; its target is its own symbol)…
   */
  | 'R_GOTPC'
  /** …a symbol's offset from the GOT… */
  | 'R_GOTOFF'
  /** …and the offset of the symbol's GOT slot from the GOT. */
  | 'R_GOT'
  /**
   * A pc-relative word in data, of size 4 or 8: S + A - P, P the field's own
   * address (unwind tables' pointers to code, ELF's R_AARCH64_PREL32/64 and
   * R_X86_64_PC64; x86's 4-byte R_PCREL serves in data as well).
   */
  | 'R_DATA_PCREL'
  /**
   * Thread-local, initial exec: the pc-relative address of the GOT slot that
   * holds a library variable's offset from the thread pointer, which the
   * loader fills (what the linker makes of an R_TLS_LE to an import).
   */
  | 'R_TLS_IE';

export interface Reloc {
  /** Offset of the patched field within the symbol's contents. */
  off: number;
  /** Size of the patched field in bytes (4 or 8; 8 for instruction pairs on arm64). */
  size: number;
  type: RelocType;
  /** Name of the target symbol (after package qualification). */
  sym: string;
  /**
   * Addend, in Go's convention. For pc-relative x86 types (R_CALL, R_PCREL,
   * R_GOTPCREL) the value written is S + A - (P + size), P the address of the
   * field: relative to the END of the field, so a plain `CALL f` has A = 0 and an
   * instruction with an immediate after its displacement has A = -(bytes after
   * the field). ELF writers lower this to the psABI's S + A' - P with
   * A' = A - size. For arm64 pair relocations the value is relative to the
   * instruction's own address (page of it for ADRP). Absolute types: S + A.
   */
  add: number;
  /** Source line of the instruction that made it, for diagnostics (0 if unknown). */
  line?: number;
}
