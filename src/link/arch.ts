// The small struct of hooks each architecture gives the linker, after Go's
// adddynrel/archreloc/elfsetupplt: how a relocation to an import is reached,
// how a relocation is applied with its overflow check, and the ELF executable
// facts (PLT code, dynamic relocation numbers, TLS variant).

import type { RelocFields } from './reloc-cols.js';
import type { ArchName } from '../target.js';
import type { Import, LinkMode, LSym } from './program.js';
import { amd64Hooks } from './arch-amd64.js';
import { i386Hooks } from './arch-386.js';
import { arm64Hooks } from './arch-arm64.js';

export interface ElfExecArch {
  machine: number;
  cls: 32 | 64;
  rela: boolean;
  /** Lowest address of the executable (ET_EXEC; a PIE's is 0). */
  base: number;
  pltHeaderSize: number;
  pltEntrySize: number;
  /** Writes PLT0 (if the PLT has one) at `at` in buf; `plt` and `gotplt` are the section addresses. */
  writePltHeader(buf: Uint8Array, at: number, plt: number, gotplt: number): void;
  /** Writes PLT entry i; `slot` is the address of its .got.plt slot. */
  writePltEntry(buf: Uint8Array, at: number, entry: number, slot: number, i: number, plt: number): void;
  /**
   * The .got.plt value of an entry in the file: where the call goes if the
   * loader binds lazily despite BIND_NOW (LD_PROFILE, LD_AUDIT PLT hooks),
   * the code that hands the entry to PLT0 and the resolver.
   */
  initialSlotValue(entry: number, plt: number): number;
  rJumpSlot: number;
  rGlobDat: number;
  /** What fills the GOT slot of a library's thread-local variable (Import.tls): its offset from the thread pointer; absent where none is linked. */
  rTpoff?: number;
  rAbs: number;
  /** R_*_COPY: the loader copies an import's data into the executable. */
  rCopy: number;
  /**
   * The load address plus the addend: what a position-independent executable
   * stores its absolute addresses with. Absent where code cannot be
   * position-independent without text relocations (386 reaches data by
   * absolute address), and so there are no PIEs.
   */
  rRelative?: number;
  /** Calls the resolver at the load address plus the addend (REL: the field) and stores what it returns: an indirect function's slot. */
  rIrelative: number;
  /** Thread-pointer offset of a TLS variable at `off` in a block of `size` bytes aligned to `align`. */
  tlsOffset(off: number, size: number, align: number): number;
  /** Bytes that pad text between functions. */
  textFill: number;
}

/** How code reaches an import's bytes in place (ArchHooks.inPlace). */
export type InPlace = 'reads' | 'address' | null;

export interface ArchHooks {
  arch: ArchName;
  ptrSize: 4 | 8;
  /**
   * Decides how relocation `r` of `s`, whose target is an import, reaches it
   * (HOW_PLT, HOW_GOT, HOW_DYN, HOW_DIRECT), possibly rewriting the
   * instruction (through ownData). Returns a message if it cannot be linked.
   */
  planImport(s: LSym, r: RelocFields, imp: Import, mode: LinkMode): number | string;
  /**
   * How relocation `r` of `s` reaches an import in place: 'reads' when the
   * instruction reads or writes at its address (position-dependent C code
   * reading stdout), 'address' when the code makes the address itself (a
   * LEAQ, an ADRP and ADD, an immediate: g++'s code storing a library
   * class's vtable address plus 16); else null (a call, a GOT load, a
   * pointer in data). Data so reached needs a copy in the executable
   * (Import.copy), which every such reference then reaches (planImport
   * answers HOW_COPY for those).
   */
  inPlace(s: LSym, r: RelocFields): InPlace;
  /**
   * Rewrites a load of a defined symbol's address from its GOT slot (the
   * relocation `r` of `s`, a GOT reference) into one that makes the address
   * itself, through ownData, as the ELF psABIs let a linker do for a symbol
   * the executable defines (x86-64 GOTPCRELX: mov → lea, call/jmp through
   * the slot → direct; 386 GOT32X: mov → lea from the GOT; AArch64: the
   * slot's LDR → ADD). Returns whether it did: the reference then goes to
   * the symbol directly (HOW_DIRECT) and needs no slot.
   */
  relaxGotLoad(s: LSym, r: RelocFields): boolean;
  /**
   * Writes the relocated field at `at` in `buf`. `S` is the target's address
   * (its PLT entry or GOT slot when reached through one; the TP offset for
   * R_TLS_LE), `P` the address of the relocation (symbol address + r.off),
   * `G` the GOT's own address (Layout.gotBase; NaN where the format has
   * none), from which 386 position-independent code counts.
   * Returns an error message ("out of range: distance N") or null.
   */
  apply(buf: Uint8Array, dv: DataView, at: number, r: RelocFields, S: number, P: number, G: number): string | null;
  elf: ElfExecArch | null;
  /** Set when the architecture cannot link yet: the message of the diagnostic. */
  unsupported?: string;
}

const hooks: Record<ArchName, ArchHooks> = { amd64: amd64Hooks, '386': i386Hooks, arm64: arm64Hooks };

export function archHooks(arch: ArchName): ArchHooks {
  return hooks[arch];
}

/**
 * Why a thread-local access to an import is not linked: asmlink makes an
 * executable's thread-locals local exec (formats/elf/tls-relax.ts), with
 * offsets fixed at link time, which a shared library's variables do not
 * have; the compilers' sequences become initial exec instead (each
 * architecture's initialExec), but not an access of another form.
 */
export function tlsImportRefused(imp: { local: string }): string {
  return `${imp.local} is a thread-local variable of a shared library: asmlink links the thread-locals its own objects define, and a library's reached as compilers reach them (initial exec, general dynamic, TLS descriptors)`;
}

/** R_DATA_PCREL, the same on every architecture: S + A - P in a 4- or 8-byte word. */
export function applyDataPcrel(dv: DataView, at: number, size: number, v: number): string | null {
  if (size === 8) {
    dv.setBigInt64(at, BigInt(v), true);
    return null;
  }
  if (size !== 4) return `bad size ${size}`;
  if (!fitsSigned(v, 32)) return `out of range: distance ${v}`;
  dv.setInt32(at, v, true);
  return null;
}

/** Checks that v fits a signed field of `bits` bits. */
export function fitsSigned(v: number, bits: number): boolean {
  const lim = 2 ** (bits - 1);
  return v >= -lim && v < lim;
}
