// The .debug_line writer: a version 4 line program per unit, one sequence
// per function (set_address … end_sequence), rows only where the line or
// file changes, each as one special opcode where one fits.

import { Bytes, isIndex } from './bytes.js';
import type { DebugUnit, DwarfOptions } from './dwarf.js';

// The line program's parameters (those GNU as uses): special opcodes cover
// line steps of -5..8 with an address step in the same byte.
const LINE_BASE = -5;
const LINE_RANGE = 14;
const OPCODE_BASE = 13;
const STANDARD_OPCODE_LENGTHS = [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1];
export const DW_LNS_copy = 1;
export const DW_LNS_advance_pc = 2;
export const DW_LNS_advance_line = 3;
export const DW_LNS_set_file = 4;
export const DW_LNS_const_add_pc = 8;
export const DW_LNS_set_prologue_end = 10;
export const DW_LNS_fixed_advance_pc = 9;
export const DW_LNE_end_sequence = 1;
export const DW_LNE_set_address = 2;

/** One unit's line program: its header, then a sequence per function. */
export function writeLineProgram(b: Bytes, unit: DebugUnit, opts: DwarfOptions, address: (b: Bytes, fn: number, value: number) => void): void {
  const start = b.len;
  b.uint(0, 4); // unit_length, patched below
  b.uint(4, 2); // version
  const headerLengthAt = b.len;
  b.uint(0, 4); // header_length, patched below
  b.u8(opts.minInstLength);
  b.u8(1); // maximum_operations_per_instruction
  b.u8(1); // default_is_stmt
  b.u8(LINE_BASE & 0xff);
  b.u8(LINE_RANGE);
  b.u8(OPCODE_BASE);
  for (const n of STANDARD_OPCODE_LENGTHS) b.u8(n);
  b.u8(0); // no include_directories: file names are as the assembler was given them
  for (const f of unit.files) {
    b.str(f);
    b.uleb(0); // directory: the compilation directory
    b.uleb(0); // modification time: unknown
    b.uleb(0); // length: unknown
  }
  b.u8(0);
  b.patch(headerLengthAt, b.len - headerLengthAt - 4, 4);
  const step = opts.minInstLength;
  unit.functions.forEach((f, i) => {
    b.u8(0);
    b.uleb(1 + opts.addressSize);
    b.u8(DW_LNE_set_address);
    address(b, i, f.address);
    // The state machine starts each sequence at file 1, line 1.
    let file = 0;
    let line = 1;
    let offset = 0;
    for (const r of f.rows) {
      // Rows the encoding cannot say (out of order or outside the function,
      // between instructions, no line or file) are left out: whatever made
      // them, the program stays well formed.
      const fits = isIndex(r.offset, f.size) && r.offset >= offset && r.offset % step === 0 && isIndex(r.line, 2 ** 31) && isIndex(r.file, unit.files.length);
      if (!fits) continue;
      if (r.file !== file) {
        b.u8(DW_LNS_set_file);
        b.uleb(r.file + 1);
        file = r.file;
      }
      if (r.prologueEnd) b.u8(DW_LNS_set_prologue_end);
      emitRow(b, (r.offset - offset) / step, r.line - line);
      offset = r.offset;
      line = r.line;
    }
    const end = Number.isFinite(f.size) ? Math.floor(f.size / step) * step : offset;
    if (end > offset) {
      b.u8(DW_LNS_advance_pc);
      b.uleb((end - offset) / step);
    }
    b.u8(0);
    b.uleb(1);
    b.u8(DW_LNE_end_sequence);
  });
  b.patch(start, b.len - start - 4, 4);
}

/** Appends a row `addrStep` instructions and `lineStep` lines on: one special opcode where one fits. */
function emitRow(b: Bytes, addrStep: number, lineStep: number): void {
  if (lineStep < LINE_BASE || lineStep >= LINE_BASE + LINE_RANGE) {
    b.u8(DW_LNS_advance_line);
    b.sleb(lineStep);
    lineStep = 0;
  }
  const special = lineStep - LINE_BASE + LINE_RANGE * addrStep + OPCODE_BASE;
  if (special <= 255) {
    b.u8(special);
    return;
  }
  b.u8(DW_LNS_advance_pc);
  b.uleb(addrStep);
  if (lineStep === 0) {
    b.u8(DW_LNS_copy);
    return;
  }
  b.u8(lineStep - LINE_BASE + OPCODE_BASE);
}
