// Reads a relocatable object's .debug_frame back into per-function frame
// changes (dwarf.ts writes them from the x86 assembler's records), and puts
// them on the instruction lines read from .debug_line, for a linker that
// writes the executable's call-frame table itself. Only what asmlink writes
// is read: version 1 CIEs, and in FDEs the advance, def_cfa,
// def_cfa_offset, offset and restore instructions for the conventions'
// registers.

import type { InstInfo } from '../../obj/symbol.js';
import type { CallFrameConventions, DebugFrameRow } from './dwarf.js';
import { LineProgramError, type FieldRelocation } from './read-lines.js';

/** Per .symtab index of a function: where its frame changes, in offset order. */
export function readFrameTables(data: Uint8Array, addressSize: number, c: CallFrameConventions, relocationAt: FieldRelocation): Map<number, DebugFrameRow[]> {
  const out = new Map<number, DebugFrameRow[]>();
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let p = 0;
  const fail = (msg: string): never => {
    throw new LineProgramError(`.debug_frame+0x${p.toString(16)}: ${msg}`);
  };
  const u8 = (end: number): number => {
    if (p >= end) fail('truncated');
    return data[p++];
  };
  const uleb = (end: number): number => {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = u8(end);
      v += (b & 0x7f) * scale;
      scale *= 128;
      if (!(b & 0x80)) return v;
      if (scale > 2 ** 56) fail('LEB128 number too large');
    }
  };
  const fixed = (size: number, end: number): number => {
    if (p + size > end) fail('truncated');
    const v = size === 1 ? data[p] : size === 2 ? dv.getUint16(p, true) : size === 4 ? dv.getUint32(p, true) : Number(dv.getBigUint64(p, true));
    p += size;
    return v;
  };
  while (p < data.length) {
    const length = fixed(4, data.length);
    if (length >= 0xfffffff0) fail('64-bit DWARF is not read');
    const end = p + length;
    if (end > data.length) fail('entry longer than the section');
    const id = fixed(4, end);
    if (id === 0xffffffff) {
      // A CIE: asmlink writes one, with the conventions' factors.
      p = end;
      continue;
    }
    const locAt = p;
    const loc = fixed(addressSize, end);
    const r = relocationAt(locAt, loc);
    if (r === undefined) fail('FDE without a relocation of its initial location');
    fixed(addressSize, end); // address_range
    const rows: DebugFrameRow[] = [];
    let row: DebugFrameRow = { offset: r!.addend, sp: 0, saved: 0, onBp: false };
    const change = (f: (x: DebugFrameRow) => void): void => {
      const next = { ...row };
      f(next);
      const last = rows[rows.length - 1];
      if (last && last.offset === next.offset) rows.pop();
      rows.push(next);
      row = next;
    };
    while (p < end) {
      const op = u8(end);
      const hi = op & 0xc0;
      const lo = op & 0x3f;
      if (hi === 0x40) row = { ...row, offset: row.offset + lo * c.codeAlign };
      else if (hi === 0x80) {
        // A saved register: the first of the conventions' set says what the frame saved.
        const off = uleb(end) * -c.dataAlign;
        const saved = c.savedFrom(lo, off);
        if (saved === undefined) fail(`a rule for register ${lo} at CFA-${off}`);
        if (saved! > 0) change((x) => (x.saved = saved!));
      } else if (hi === 0xc0) {
        if (!c.savedAt(1).some(([reg]) => reg === lo)) fail(`a restore of register ${lo}`);
        change((x) => (x.saved = 0));
      } else if (op === 0) continue;
      else if (op === 0x02 || op === 0x03 || op === 0x04) {
        const step = fixed(op === 0x02 ? 1 : op === 0x03 ? 2 : 4, end);
        row = { ...row, offset: row.offset + step * c.codeAlign };
      } else if (op === 0x0c) {
        const reg = uleb(end);
        const off = uleb(end);
        if (reg !== c.spReg && reg !== c.bpReg) fail(`a CFA on register ${reg}`);
        change((x) => {
          x.onBp = reg === c.bpReg;
          x.sp = off - c.entryCfa;
        });
      } else if (op === 0x0e) {
        const off = uleb(end);
        change((x) => (x.sp = off - c.entryCfa));
      } else fail(`call-frame instruction 0x${op.toString(16)} is not read`);
    }
    let list = out.get(r!.sym);
    if (!list) out.set(r!.sym, (list = []));
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
