// Functions with per-instruction source lines → DWARF units (dwarf.ts): one
// unit per source file that defines functions, each function's rows only
// where its file or line changes; and their sections, as every writer of
// debugging information (executables, ELF and Mach-O objects) makes them.

import { forEachInst, type Insts } from '../../obj/line-tables.js';
import type { ArchName } from '../../target.js';
import { DWARF_PRODUCER, cfiOf, writeDwarf, type DebugFrameRow, type DebugRow, type DebugUnit, type DwarfOutput } from './dwarf.js';

/**
 * The DWARF sections of `fns` for `arch`, and per unit the indexes in `fns`
 * of its functions (what each address fixup's unit and function are).
 * `absoluteNames`: file names made absolute with compDir, for an object,
 * whose line table must not depend on where it is linked.
 */
export function dwarfOfFunctions(fns: readonly DebugSource[], arch: ArchName, compDir: string | undefined, absoluteNames: boolean): DwarfOutput & { members: number[][] } {
  const { units, members } = debugUnitsOf(fns, absoluteNames ? compDir : undefined);
  const out = writeDwarf(units, {
    addressSize: arch === '386' ? 4 : 8,
    minInstLength: arch === 'arm64' ? 4 : 1,
    compDir,
    producer: DWARF_PRODUCER,
    cfi: cfiOf(arch),
  });
  return { ...out, members };
}

export interface DebugSource {
  name: string;
  /** The file that defines it (InstInfo.file, when absent, means this one). */
  file: string;
  address: number;
  size: number;
  external: boolean;
  /** The line of its TEXT directive, where the assembler's prologue is. */
  line: number;
  insts: Insts;
}

/**
 * The units of `fns` (in the order given, which is kept within each unit),
 * and for each unit the indexes in `fns` of its functions. `dir`, when
 * given, makes relative file names absolute.
 */
function debugUnitsOf(fns: readonly DebugSource[], dir?: string): { units: DebugUnit[]; members: number[][] } {
  const full = (f: string): string => (dir === undefined || f.startsWith('/') ? f : `${dir.replace(/\/+$/, '')}/${f}`);
  const byFile = new Map<string, { files: string[]; functions: DebugUnit['functions'][number][]; members: number[] }>();
  fns.forEach((fn, index) => {
    let unit = byFile.get(fn.file);
    const rows: DebugRow[] = [];
    // Where the frame changes, when every instruction says what its frame is.
    let frames: DebugFrameRow[] | undefined = [];
    let cur: DebugFrameRow = { offset: 0, sp: 0, saved: 0, onBp: false };
    forEachInst(fn.insts, (inst) => {
      // Named after the file of its first function's first instruction: an
      // object read back names every row's file, with its full name.
      if (!unit) byFile.set(fn.file, (unit = { files: [full(inst.file ?? fn.file)], functions: [], members: [] }));
      const files = unit.files;
      const name = inst.file === undefined ? files[0] : full(inst.file);
      let file = files.indexOf(name);
      if (file < 0) file = files.push(name) - 1;
      const last = rows[rows.length - 1];
      if (!last || last.file !== file || last.line !== inst.line) {
        // An instruction of no bytes shares its offset with the next: the later row describes it.
        if (last && last.offset === inst.offset) rows.pop();
        rows.push({ offset: inst.offset, file, line: inst.line });
      }
      if (frames === undefined) return;
      if (inst.sp === undefined) {
        frames = undefined;
        return;
      }
      const sp = inst.sp;
      const saved = inst.saved ?? 0;
      const onBp = inst.cfaOnBp === true;
      if (sp === cur.sp && saved === cur.saved && onBp === cur.onBp) return;
      const row: DebugFrameRow = { offset: inst.offset, sp, saved, onBp };
      const lastFrame = frames[frames.length - 1];
      if (lastFrame && lastFrame.offset === inst.offset) frames.pop();
      frames.push(row);
      cur = row;
    });
    if (!unit) byFile.set(fn.file, (unit = { files: [full(fn.file)], functions: [], members: [] }));
    // A prologue (rows at the TEXT line, before the body's): the body starts at the next row.
    if (rows.length > 1 && rows[0].line === fn.line && rows[0].file === 0) rows[1].prologueEnd = true;
    unit.functions.push({ name: fn.name, address: fn.address, size: fn.size, external: fn.external, rows, ...(frames !== undefined && rows.length > 0 ? { frames } : {}) });
    unit.members.push(index);
  });
  const units: DebugUnit[] = [];
  const members: number[][] = [];
  for (const u of byFile.values()) {
    units.push({ files: u.files, functions: u.functions });
    members.push(u.members);
  }
  return { units, members };
}
