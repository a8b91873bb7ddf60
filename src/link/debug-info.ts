// The DWARF line, function and call-frame information of an executable, from
// the live functions whose objects recorded each instruction's source line.
// It is made once, before layout, with every address relative to its
// function: the sections' sizes do not depend on addresses, so the format
// writers lay them out (ELF after .strtab, Mach-O in a __DWARF segment);
// after relocation `place` adds each function's address into its fields.

import { dwarfOfFunctions, type DebugSource } from '../formats/dwarf/units.js';
import { shownName, type LSym, type Program } from './program.js';
import { getU64, setU64 } from '../obj/bytes.js';

export interface ExecutableDebugInfo {
  sections: { name: string; data: Uint8Array }[];
  /** Adds each function's address (plus `bias`, see Layout.bias) into the address fields. */
  place(bias: number): void;
}

/** The executable's DWARF, or null when no live function has line information. */
export function planDebugInfo(prog: Program): ExecutableDebugInfo | null {
  const fns: DebugSource[] = [];
  const syms: LSym[] = [];
  // Live symbols are in output order, so each unit's functions are in address order.
  for (const s of prog.syms) {
    if (s.kind !== 'text' || !s.section) continue;
    const insts = s.insts;
    if (!insts || insts.length === 0) continue;
    fns.push({ name: shownName(prog, s), file: s.file, address: 0, size: Math.max(s.size, s.dataLen), external: !s.local, line: s.line, insts });
    syms.push(s);
  }
  if (fns.length === 0) return null;
  const out = dwarfOfFunctions(fns, prog.target.arch, prog.opts.debug?.compDir, false);
  const views = new Map(out.sections.map((d) => [d.name, new DataView(d.data.buffer, d.data.byteOffset, d.data.byteLength)]));
  return {
    sections: out.sections,
    place(bias) {
      for (const f of out.fixups) {
        if (f.kind !== 'address') continue;
        const dv = views.get(f.section)!;
        const addr = syms[out.members[f.unit][f.fn]].addr + bias;
        if (f.size === 8) setU64(dv, f.offset, getU64(dv, f.offset) + addr);
        else dv.setUint32(f.offset, dv.getUint32(f.offset, true) + addr, true);
      }
    },
  };
}
