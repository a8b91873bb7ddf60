// Reads a relocatable object's .debug_frame back into per-function frame
// changes (call-frames.ts writes them from the assemblers' records), and puts
// them on the instruction lines read from .debug_line, for a linker that
// writes the executable's call-frame table itself. Only what asmlink writes
// is read: version 1 CIEs, and in FDEs the advance, def_cfa,
// def_cfa_offset, offset and restore instructions for the conventions'
// registers.

import type { InstInfo } from '../../obj/symbol.js';
import {
  DW_CFA_advance_loc,
  DW_CFA_advance_loc1,
  DW_CFA_advance_loc2,
  DW_CFA_advance_loc4,
  DW_CFA_def_cfa,
  DW_CFA_def_cfa_offset,
  DW_CFA_nop,
  DW_CFA_offset,
  DW_CFA_restore,
  type CallFrameConventions,
} from './call-frames.js';
import type { DebugFrameRow } from './dwarf.js';
import type { FieldRelocation } from './read-lines.js';
import { DwarfCursor } from './cursor.js';

/** Per .symtab index of a function: where its frame changes, in offset order. */
export function readFrameTables(data: Uint8Array, addressSize: number, conv: CallFrameConventions, relocationAt: FieldRelocation): Map<number, DebugFrameRow[]> {
  const out = new Map<number, DebugFrameRow[]>();
  const c = new DwarfCursor(data, '.debug_frame');
  while (c.p < data.length) {
    const end = c.unit();
    const id = c.fixed(4, end);
    if (id === 0xffffffff) {
      // A CIE: asmlink writes one, with the conventions' factors.
      c.p = end;
      continue;
    }
    const locAt = c.p;
    const r = relocationAt(locAt, c.fixed(addressSize, end));
    if (r === undefined) return c.fail('FDE without a relocation of its initial location');
    c.fixed(addressSize, end); // address_range
    const rows: DebugFrameRow[] = [];
    let row: DebugFrameRow = { offset: r.addend, sp: 0, saved: 0, onBp: false };
    const advance = (step: number): void => {
      row = { ...row, offset: row.offset + step * conv.codeAlign };
    };
    const change = (f: (x: DebugFrameRow) => void): void => {
      const next = { ...row };
      f(next);
      const last = rows[rows.length - 1];
      if (last && last.offset === next.offset) rows.pop();
      rows.push(next);
      row = next;
    };
    while (c.p < end) {
      const op = c.fixed(1, end);
      const lo = op & 0x3f;
      switch (op & 0xc0) {
        case DW_CFA_advance_loc:
          advance(lo);
          continue;
        case DW_CFA_offset: {
          // A saved register: the conventions say what the frame saved.
          const off = c.uleb(end) * -conv.dataAlign;
          const saved = conv.savedFrom(lo, off);
          if (saved === undefined) c.fail(`a rule for register ${lo} at CFA-${off}`);
          if (saved! > 0) change((x) => (x.saved = saved!));
          continue;
        }
        case DW_CFA_restore:
          if (!conv.savedAt(1).some(([reg]) => reg === lo)) c.fail(`a restore of register ${lo}`);
          change((x) => (x.saved = 0));
          continue;
      }
      if (op === DW_CFA_nop) continue;
      else if (op === DW_CFA_advance_loc1) advance(c.fixed(1, end));
      else if (op === DW_CFA_advance_loc2) advance(c.fixed(2, end));
      else if (op === DW_CFA_advance_loc4) advance(c.fixed(4, end));
      else if (op === DW_CFA_def_cfa) {
        const reg = c.uleb(end);
        const off = c.uleb(end);
        if (reg !== conv.spReg && reg !== conv.bpReg) c.fail(`a CFA on register ${reg}`);
        change((x) => {
          x.onBp = reg === conv.bpReg;
          x.sp = off - conv.entryCfa;
        });
      } else if (op === DW_CFA_def_cfa_offset) {
        const off = c.uleb(end);
        change((x) => (x.sp = off - conv.entryCfa));
      } else c.fail(`call-frame instruction 0x${op.toString(16)} is not read`);
    }
    let list = out.get(r.sym);
    if (!list) out.set(r.sym, (list = []));
    list.push(...rows);
  }
  return out;
}


/**
 * The instruction lines of a function with its frame changes laid over
 * them: a row starts wherever either changes, and each carries the frame
 * then in effect (at the start: SP at the call, nothing saved).
 */
export function withFrames(lines: readonly InstInfo[], frames: readonly DebugFrameRow[]): InstInfo[] {
  const at = [...new Set([...lines.map((l) => l.offset), ...frames.map((f) => f.offset)])].sort((a, b) => a - b);
  const out: InstInfo[] = [];
  let li = -1;
  let fi = -1;
  for (let k = 0; k < at.length; k++) {
    const o = at[k];
    while (li + 1 < lines.length && lines[li + 1].offset <= o) li++;
    while (fi + 1 < frames.length && frames[fi + 1].offset <= o) fi++;
    if (li < 0) continue; // before the first line: no instruction is described there
    const line = lines[li];
    const f = fi >= 0 ? frames[fi] : { sp: 0, saved: 0, onBp: false };
    const end = k + 1 < at.length ? at[k + 1] : line.offset + line.size;
    const inst: InstInfo = { line: line.line, offset: o, size: Math.max(0, end - o), sp: f.sp, saved: f.saved };
    if (line.file !== undefined) inst.file = line.file;
    if (f.onBp) inst.cfaOnBp = true;
    out.push(inst);
  }
  return out;
}
