// What an object-file relocation lowering needs and gives back, shared by the
// per-architecture files (object-reloc-x86_64.ts, -arm64.ts, -i386.ts).

import type { Reloc } from '../../obj/reloc.js';
import { setPointer64 } from '../../obj/bytes.js';

/** One relocation_info entry (scattered relocations are never written). */
export interface RelocEntry {
  /** Offset of the field from the start of its section. */
  address: number;
  /** Symbol table index when extern, else section ordinal; for ARM64_RELOC_ADDEND the addend. */
  symbolnum: number;
  pcrel: boolean;
  /** log2 of the field size. */
  length: 0 | 1 | 2 | 3;
  extern: boolean;
  type: number;
}

export interface RelocSite {
  reloc: Reloc;
  /** The section's contents; lowering may patch the field (and, for GOT rewrites, the opcode). */
  data: Uint8Array;
  /** Offset of the field within the section. */
  secOff: number;
  /** Object-file address of the field (section address + secOff). */
  addr: number;
  /** Symbol table index of the target. */
  symIndex: number;
  /** The target is a dynamic import (a library symbol, reached through the GOT or a stub). */
  isImport: boolean;
  /** The target is a thread-local variable's descriptor: a GOT-like reference to it is a TLV one. */
  tlv: boolean;
}

/** Either the entries to write, or why the format cannot express this relocation. */
export type Lowered = { entries: RelocEntry[] } | { error: string };

export type RelocLowering = (site: RelocSite) => Lowered;

export function encodeRelocInfo(e: RelocEntry): [number, number] {
  const word =
    (e.symbolnum & 0xffffff) |
    ((e.pcrel ? 1 : 0) << 24) |
    (e.length << 25) |
    ((e.extern ? 1 : 0) << 27) |
    ((e.type & 0xf) << 28);
  return [e.address, word >>> 0];
}

/**
 * An 8-byte absolute field, a pointer or a thread-local descriptor's
 * offset: the addend in the field (UNSIGNED, type 0 on every architecture,
 * is the one that keeps it there), the symbol's address added by the linker.
 */
export function unsigned64(s: RelocSite, type: number): Lowered {
  // A tagged pointer's tag (pointerTag) is in the field: it goes back on the addend.
  setPointer64(new DataView(s.data.buffer, s.data.byteOffset), s.secOff, s.reloc.add);
  return { entries: [{ address: s.secOff, symbolnum: s.symIndex, pcrel: false, length: 3, extern: true, type }] };
}

export function fits(v: number, bits: number): boolean {
  const lim = 2 ** (bits - 1);
  return v >= -lim && v < lim;
}
