// The DWARF line and function information of an executable (or of the object
// an external link hands the system linker), from the live functions whose
// objects recorded each instruction's source line: one compilation unit per
// input object, its functions in address order.

import { writeDwarf, type DebugFunction, type DebugRow, type DebugUnit, type DwarfOutput } from '../formats/dwarf/dwarf.js';
import type { LSym, Program } from './program.js';

export const PRODUCER = 'asmlink';

/** The units of the live functions that have line information, and for each unit the LSym of each of its functions. */
export function debugUnits(prog: Program, address: (s: LSym) => number): { units: DebugUnit[]; syms: LSym[][] } {
  const byObject = new Map<number, { files: string[]; fns: { sym: LSym; fn: DebugFunction }[] }>();
  for (const s of prog.syms) {
    if (s.kind !== 'text' || !s.section) continue;
    const insts = s.insts;
    if (!insts || insts.length === 0) continue;
    let unit = byObject.get(s.obj);
    if (!unit) byObject.set(s.obj, (unit = { files: [s.file], fns: [] }));
    const files = unit.files;
    const rows: DebugRow[] = [];
    for (const inst of insts) {
      const name = inst.file ?? s.file;
      let file = files.indexOf(name);
      if (file < 0) file = files.push(name) - 1;
      const last = rows[rows.length - 1];
      if (last && last.file === file && last.line === inst.line) continue;
      // An instruction of no bytes shares its offset with the next: the later row describes it.
      if (last && last.offset === inst.offset) rows.pop();
      rows.push({ offset: inst.offset, file, line: inst.line });
    }
    unit.fns.push({ sym: s, fn: { name: s.name, address: address(s), size: Math.max(s.size, s.dataLen), external: !s.local, rows } });
  }
  const units: DebugUnit[] = [];
  const syms: LSym[][] = [];
  for (const obj of [...byObject.keys()].sort((a, b) => a - b)) {
    const u = byObject.get(obj)!;
    u.fns.sort((a, b) => a.sym.addr - b.sym.addr);
    units.push({ files: u.files, functions: u.fns.map((f) => f.fn) });
    syms.push(u.fns.map((f) => f.sym));
  }
  return { units, syms };
}

/** An executable's DWARF sections (addresses absolute), or null when no live function has line information. */
export function executableDebugInfo(prog: Program, bias: number): DwarfOutput | null {
  const { units } = debugUnits(prog, (s) => s.addr + bias);
  if (units.length === 0) return null;
  const ptr = prog.target.arch === '386' ? 4 : 8;
  return writeDwarf(units, {
    addressSize: ptr,
    minInstLength: prog.target.arch === 'arm64' ? 4 : 1,
    compDir: prog.opts.debug?.compDir,
    producer: PRODUCER,
  });
}
