// x86_64 object relocations. Every pc-relative x86_64 relocation is relative
// to the end of its 4-byte field, and the field holds the addend — the same
// convention as asmlink's (Go's) Reloc.add, so the field simply holds `add`:
// a plain call to `_write` holds 0 (the seed's rule for X86_64_RELOC_BRANCH).
// SIGNED_1/2/4 tell a linker how many immediate bytes follow the field, which
// only matters to one that wants the true target, not to the fixup itself.

import * as C from './consts.js';
import type { Lowered, RelocSite } from './object-reloc.js';
import { fits, unsigned64 } from './object-reloc.js';

function putField32(s: RelocSite, v: number): void {
  new DataView(s.data.buffer, s.data.byteOffset).setInt32(s.secOff, v, true);
}

function pcrel(s: RelocSite, type: number): Lowered {
  if (!fits(s.reloc.add, 32)) return { error: `addend ${s.reloc.add} does not fit in 32 bits` };
  putField32(s, s.reloc.add);
  return { entries: [{ address: s.secOff, symbolnum: s.symIndex, pcrel: true, length: 2, extern: true, type }] };
}

/** True when the 4-byte field at off is the displacement of `movq disp(%rip), reg`. */
export function isMovqRipLoad(d: Uint8Array, off: number): boolean {
  return off >= 3 && d[off - 2] === 0x8b && ((d[off - 3] ?? 0) & 0xf8) === 0x48 && ((d[off - 1] ?? 0) & 0xc7) === 0x05;
}

/** True when the field is the displacement of `leaq disp(%rip), reg`. */
export function isLeaqRip(d: Uint8Array, off: number): boolean {
  return off >= 3 && d[off - 2] === 0x8d && ((d[off - 3] ?? 0) & 0xf8) === 0x48 && ((d[off - 1] ?? 0) & 0xc7) === 0x05;
}

export function lowerX86_64(s: RelocSite): Lowered {
  const r = s.reloc;
  switch (r.type) {
    case 'R_CALL':
      if (r.size !== 4) break;
      return pcrel(s, C.X86_64_RELOC_BRANCH);
    case 'R_PCREL': {
      if (r.size !== 4) break;
      if (s.isImport) {
        // The address of a library symbol is only known through the GOT: turn
        // `leaq sym(%rip)` into `movq sym@GOTPCREL(%rip)`, as Go's linker does.
        if (!isLeaqRip(s.data, s.secOff)) {
          return { error: `pc-relative reference to imported symbol ${r.sym} must be a LEAQ of its address` };
        }
        if (r.add !== 0) return { error: `pc-relative reference to imported symbol ${r.sym} cannot have an offset (${r.add})` };
        s.data[s.secOff - 2] = 0x8b;
        return pcrel(s, C.X86_64_RELOC_GOT_LOAD);
      }
      // llvm-mc's choice: SIGNED_n exactly when the field holds -n (the
      // instruction has n immediate bytes after the field and the target has
      // no offset). Any other value is a plain SIGNED; the fixup is the same.
      const type = r.add === -1 ? C.X86_64_RELOC_SIGNED_1 : r.add === -2 ? C.X86_64_RELOC_SIGNED_2 : r.add === -4 ? C.X86_64_RELOC_SIGNED_4 : C.X86_64_RELOC_SIGNED;
      return pcrel(s, type);
    }
    case 'R_GOTPCREL': {
      if (r.size !== 4) break;
      // A load of the slot holds no offset; a slot's distance in data may
      // (clang's LSDA type tables: `_ZTI1E@GOTPCREL+4`, the slot less the field's own address).
      const load = isMovqRipLoad(s.data, s.secOff);
      if (r.add !== 0 && (load || s.tlv)) return { error: `GOT reference to ${r.sym} cannot have an offset (${r.add})` };
      if (s.tlv) {
        if (!load) return { error: `reference to thread-local ${r.sym}'s descriptor must be a MOVQ from it (as clang's _v@TLVP(%rip))` };
        return pcrel(s, C.X86_64_RELOC_TLV);
      }
      return pcrel(s, load ? C.X86_64_RELOC_GOT_LOAD : C.X86_64_RELOC_GOT);
    }
    case 'R_ADDR':
      if (r.size === 4) {
        return {
          error: `32-bit absolute address of ${r.sym} cannot be expressed in an x86_64 Mach-O object (macOS programs are position-independent; use a pc-relative reference)`,
        };
      }
      if (r.size !== 8) break;
      return unsigned64(s, C.X86_64_RELOC_UNSIGNED);
    case 'R_CALLIND':
      return { entries: [] };
    case 'R_TLS_LE':
      // A descriptor's offset into the thread-local template: the linker computes it from the address.
      if (r.size === 8) return unsigned64(s, C.X86_64_RELOC_UNSIGNED);
      return { error: `thread-local reference to ${r.sym} cannot be expressed in Mach-O (darwin keeps g in a TSD slot: 0x30(GS))` };
    default:
      return { error: `relocation ${r.type} is not an amd64 relocation` };
  }
  return { error: `relocation ${r.type} of size ${r.size} cannot be expressed in an x86_64 Mach-O object` };
}
