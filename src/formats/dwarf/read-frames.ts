// Reads a relocatable object's .debug_frame back into per-function frame
// changes (call-frames.ts writes them from the assemblers' records), which
// read-lines.ts lays over the instruction lines read from .debug_line, for a
// linker that writes the executable's call-frame table itself. Only what asmlink writes
// is read: version 1 CIEs, and in FDEs the advance, def_cfa,
// def_cfa_offset, offset and restore instructions for the conventions'
// registers.

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
    // The state machine's row (a new object only where the frame changes).
    let offset = r.addend;
    let sp = 0;
    let saved = 0;
    let onBp = false;
    const advance = (step: number): void => {
      offset += step * conv.codeAlign;
    };
    const change = (): void => {
      const last = rows[rows.length - 1];
      if (last && last.offset === offset) rows.pop();
      rows.push({ offset, sp, saved, onBp });
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
          const what = conv.savedFrom(lo, off);
          if (what === undefined) return c.fail(`a rule for register ${lo} at CFA-${off}`);
          if (what > 0) {
            saved = what;
            change();
          }
          continue;
        }
        case DW_CFA_restore:
          if (!conv.savedAt(1).some(([reg]) => reg === lo)) c.fail(`a restore of register ${lo}`);
          saved = 0;
          change();
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
        onBp = reg === conv.bpReg;
        sp = off - conv.entryCfa;
        change();
      } else if (op === DW_CFA_def_cfa_offset) {
        sp = c.uleb(end) - conv.entryCfa;
        change();
      } else c.fail(`call-frame instruction 0x${op.toString(16)} is not read`);
    }
    let list = out.get(r.sym);
    if (!list) out.set(r.sym, (list = []));
    list.push(...rows);
  }
  return out;
}
