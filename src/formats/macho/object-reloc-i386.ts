// i386 object relocations: everything is GENERIC_RELOC_VANILLA. For a
// pc-relative extern relocation the linker adds the target's address to what
// the field holds as if the target sat at address 0 of the object, so the
// field holds the addend minus the object address of the end of the field —
// the seed's rule ("relative to the start of the section": minus the
// relocation's offset in its symbol and the symbol's offset in its section,
// __text being at address 0). llvm-mc writes `e8 f6 ff ff ff` for a call whose
// field ends at 0xa.

import * as C from './consts.js';
import type { Lowered, RelocSite } from './object-reloc.js';

export function lowerI386(s: RelocSite): Lowered {
  const r = s.reloc;
  const dv = new DataView(s.data.buffer, s.data.byteOffset);
  switch (r.type) {
    case 'R_CALL':
    case 'R_PCREL':
      if (r.size !== 4) break;
      dv.setInt32(s.secOff, r.add - (s.addr + 4), true);
      return {
        entries: [{ address: s.secOff, symbolnum: s.symIndex, pcrel: true, length: 2, extern: true, type: C.GENERIC_RELOC_VANILLA }],
      };
    case 'R_ADDR':
      if (r.size !== 4) break;
      dv.setInt32(s.secOff, r.add, true);
      return {
        entries: [{ address: s.secOff, symbolnum: s.symIndex, pcrel: false, length: 2, extern: true, type: C.GENERIC_RELOC_VANILLA }],
      };
    case 'R_CALLIND':
      return { entries: [] };
    case 'R_GOTPCREL':
      return { error: `GOT reference to ${r.sym} cannot be expressed in an i386 Mach-O object (i386 has no pc-relative data addressing)` };
    case 'R_TLS_LE':
      return { error: `thread-local reference to ${r.sym} cannot be expressed in Mach-O` };
    default:
      return { error: `relocation ${r.type} is not a 386 relocation` };
  }
  return { error: `relocation ${r.type} of size ${r.size} cannot be expressed in an i386 Mach-O object` };
}
