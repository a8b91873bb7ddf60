// The DWARF line and function information of an executable, from the live
// functions whose objects recorded each instruction's source line.

import { DWARF_PRODUCER, cfiOf, writeDwarf, type DwarfOutput } from '../formats/dwarf/dwarf.js';
import { debugUnitsOf, type DebugSource } from '../formats/dwarf/units.js';
import type { Program } from './program.js';

/** An executable's DWARF sections (addresses absolute), or null when no live function has line information. */
export function executableDebugInfo(prog: Program, bias: number): DwarfOutput | null {
  const fns: DebugSource[] = [];
  // Live symbols are in output order, so each unit's functions are in address order.
  for (const s of prog.syms) {
    if (s.kind !== 'text' || !s.section) continue;
    const insts = s.insts;
    if (insts && insts.length > 0) fns.push({ name: s.name, file: s.file, address: s.addr + bias, size: Math.max(s.size, s.dataLen), external: !s.local, line: s.line, insts });
  }
  if (fns.length === 0) return null;
  return writeDwarf(debugUnitsOf(fns).units, {
    addressSize: prog.target.arch === '386' ? 4 : 8,
    minInstLength: prog.target.arch === 'arm64' ? 4 : 1,
    compDir: prog.opts.debug?.compDir,
    producer: DWARF_PRODUCER,
    cfi: cfiOf(prog.target.arch),
  });
}
