// arm64 object relocations. Unlike x86_64, arm64 Mach-O keeps addends out of
// the instructions: a nonzero addend travels in an ARM64_RELOC_ADDEND entry
// placed just before the relocation it modifies, and the instruction's
// immediate fields are left zero (what ld64 and lld expect, and what llvm-mc
// writes). An ADRP+ADD/LDR pair (R_ADDRARM64) becomes PAGE21 + PAGEOFF12.

import * as C from './consts.js';
import type { Lowered, RelocEntry, RelocSite } from './object-reloc.js';
import { fits, unsigned64 } from './object-reloc.js';

const ADRP_IMM_MASK = (3 << 29) | (0x7ffff << 5);
const IMM12_MASK = 0xfff << 10;
const IMM26_MASK = 0x3ffffff;

function word(s: RelocSite, at: number): number {
  return new DataView(s.data.buffer, s.data.byteOffset).getUint32(at, true);
}
function setWord(s: RelocSite, at: number, v: number): void {
  new DataView(s.data.buffer, s.data.byteOffset).setUint32(at, v >>> 0, true);
}

export function isAdrp(w: number): boolean {
  return ((w & 0x9f000000) >>> 0) === 0x90000000;
}
/** ADD (immediate), 64-bit, unshifted: `add xd, xn, #imm`. */
export function isAddImm64(w: number): boolean {
  return ((w & 0xffc00000) >>> 0) === 0x91000000;
}
/** A load or store with an unsigned scaled 12-bit offset (any size, GPR or SIMD). */
export function isLoadStoreUimm(w: number): boolean {
  return ((w & 0x3b000000) >>> 0) === 0x39000000;
}

function entry(address: number, symbolnum: number, pcrel: boolean, type: number): RelocEntry {
  return { address, symbolnum, pcrel, length: 2, extern: true, type };
}
function addendEntry(address: number, add: number): RelocEntry {
  return { address, symbolnum: add & 0xffffff, pcrel: false, length: 2, extern: false, type: C.ARM64_RELOC_ADDEND };
}

/** An entry preceded by an ADDEND entry when the addend is not zero. */
function withAddend(e: RelocEntry, add: number): RelocEntry[] {
  return add === 0 ? [e] : [addendEntry(e.address, add), e];
}

export function lowerArm64(s: RelocSite): Lowered {
  const r = s.reloc;
  const at = s.secOff;
  switch (r.type) {
    case 'R_CALLARM64': {
      if (r.size !== 4) break;
      if (!fits(r.add, 24)) return { error: `branch addend ${r.add} does not fit in 24 bits` };
      setWord(s, at, word(s, at) & ~IMM26_MASK);
      return { entries: withAddend(entry(at, s.symIndex, true, C.ARM64_RELOC_BRANCH26), r.add) };
    }
    case 'R_ADDRARM64': {
      if (r.size !== 8) break;
      const w0 = word(s, at);
      const w1 = word(s, at + 4);
      if (!isAdrp(w0)) return { error: `relocation R_ADDRARM64 against ${r.sym} is not on an ADRP instruction` };
      if (s.isImport) {
        // A library symbol's address comes from its GOT slot: rewrite
        // `add xd, xn, #lo12` to `ldr xd, [xn, #lo12]`.
        if (!isAddImm64(w1)) {
          return { error: `reference to imported symbol ${r.sym} must take its address (ADRP+ADD), not load or store through it` };
        }
        if (r.add !== 0) return { error: `reference to imported symbol ${r.sym} cannot have an offset (${r.add})` };
        setWord(s, at, w0 & ~ADRP_IMM_MASK);
        setWord(s, at + 4, 0xf9400000 | (w1 & 0x3ff));
        return {
          entries: [
            entry(at, s.symIndex, true, C.ARM64_RELOC_GOT_LOAD_PAGE21),
            entry(at + 4, s.symIndex, false, C.ARM64_RELOC_GOT_LOAD_PAGEOFF12),
          ],
        };
      }
      if (!isAddImm64(w1) && !isLoadStoreUimm(w1)) {
        return { error: `relocation R_ADDRARM64 against ${r.sym}: second instruction is neither ADD nor a load/store with an immediate offset` };
      }
      if (!fits(r.add, 24)) return { error: `addend ${r.add} does not fit in 24 bits` };
      setWord(s, at, w0 & ~ADRP_IMM_MASK);
      setWord(s, at + 4, w1 & ~IMM12_MASK);
      return {
        entries: [
          ...withAddend(entry(at, s.symIndex, true, C.ARM64_RELOC_PAGE21), r.add),
          ...withAddend(entry(at + 4, s.symIndex, false, C.ARM64_RELOC_PAGEOFF12), r.add),
        ],
      };
    }
    case 'R_GOTPCREL':
      // A word in data: the distance to the symbol's GOT slot.
      if (r.size !== 4) break;
      if (r.add !== 0) return { error: `GOT reference to ${r.sym} cannot have an offset (${r.add})` };
      // As LLVM's assembler writes it: the field's offset in its section, negated (read-object.ts).
      setWord(s, at, -at);
      return { entries: [entry(at, s.symIndex, true, C.ARM64_RELOC_POINTER_TO_GOT)] };
    case 'R_ARM64_GOTPCREL': {
      if (r.size !== 8) break;
      if (r.add !== 0) return { error: `GOT reference to ${r.sym} cannot have an offset (${r.add})` };
      const w0 = word(s, at);
      const w1 = word(s, at + 4);
      if (!isAdrp(w0) || ((w1 & 0xffc00000) >>> 0) !== 0xf9400000) {
        return { error: `GOT reference to ${r.sym} must be an ADRP + LDR (64-bit) pair` };
      }
      setWord(s, at, w0 & ~ADRP_IMM_MASK);
      setWord(s, at + 4, w1 & ~IMM12_MASK);
      return {
        entries: [
          entry(at, s.symIndex, true, s.tlv ? C.ARM64_RELOC_TLVP_LOAD_PAGE21 : C.ARM64_RELOC_GOT_LOAD_PAGE21),
          entry(at + 4, s.symIndex, false, s.tlv ? C.ARM64_RELOC_TLVP_LOAD_PAGEOFF12 : C.ARM64_RELOC_GOT_LOAD_PAGEOFF12),
        ],
      };
    }
    // Halves of a pair apart (another compiler's code, passed on to the system linker).
    case 'R_ARM64_PAGE':
    case 'R_ARM64_PAGEOFF':
    case 'R_ARM64_GOTPAGE':
    case 'R_ARM64_GOTPAGEOFF': {
      if (r.size !== 4) break;
      const w = word(s, at);
      const page = r.type === 'R_ARM64_PAGE' || r.type === 'R_ARM64_GOTPAGE';
      const got = r.type === 'R_ARM64_GOTPAGE' || r.type === 'R_ARM64_GOTPAGEOFF';
      if (page && !isAdrp(w)) return { error: `relocation ${r.type} against ${r.sym} is not on an ADRP instruction` };
      if (!page && !(got ? ((w & 0xffc00000) >>> 0) === 0xf9400000 : isAddImm64(w) || isLoadStoreUimm(w)))
        return { error: `relocation ${r.type} against ${r.sym} is not on ${got ? 'a 64-bit LDR' : 'an ADD or a load/store with an immediate offset'}` };
      if (s.isImport && !got) return { error: `reference to imported symbol ${r.sym} must go through its GOT slot` };
      if (got && r.add !== 0) return { error: `GOT reference to ${r.sym} cannot have an offset (${r.add})` };
      if (!fits(r.add, 24)) return { error: `addend ${r.add} does not fit in 24 bits` };
      setWord(s, at, w & ~(page ? ADRP_IMM_MASK : IMM12_MASK));
      // A GOT-like reference to a thread-local variable's descriptor is a TLV one.
      const gotPage = s.tlv ? C.ARM64_RELOC_TLVP_LOAD_PAGE21 : C.ARM64_RELOC_GOT_LOAD_PAGE21;
      const gotPageOff = s.tlv ? C.ARM64_RELOC_TLVP_LOAD_PAGEOFF12 : C.ARM64_RELOC_GOT_LOAD_PAGEOFF12;
      const type = page ? (got ? gotPage : C.ARM64_RELOC_PAGE21) : got ? gotPageOff : C.ARM64_RELOC_PAGEOFF12;
      return { entries: withAddend(entry(at, s.symIndex, page, type), r.add) };
    }
    case 'R_ADDR':
      if (r.size === 4) {
        return { error: `32-bit absolute address of ${r.sym} cannot be expressed in an arm64 Mach-O object (use an 8-byte pointer)` };
      }
      if (r.size !== 8) break;
      return unsigned64(s, C.ARM64_RELOC_UNSIGNED);
    case 'R_CALLIND':
      return { entries: [] };
    case 'R_TLS_LE':
      // A descriptor's offset into the thread-local template: the linker computes it from the address.
      if (r.size === 8) return unsigned64(s, C.ARM64_RELOC_UNSIGNED);
      return { error: `thread-local reference to ${r.sym} cannot be expressed in Mach-O (darwin reaches g through TPIDRRO_EL0)` };
    default:
      return { error: `relocation ${r.type} is not an arm64 relocation` };
  }
  return { error: `relocation ${r.type} of size ${r.size} cannot be expressed in an arm64 Mach-O object` };
}
