// Reads the line programs of a relocatable object's .debug_line back into
// per-function instruction lines, for a linker that writes the executable's
// debugging information itself. Each sequence must start with
// DW_LNE_set_address whose field a relocation ties to the function (as
// asmlink's object writer makes them, dwarf.ts); rows are offsets from that
// function. Versions 2 to 4 of the line program are read.

import type { InstInfo } from '../../obj/symbol.js';
import type { VisitedInsts } from '../../obj/line-tables.js';
import { DwarfCursor } from './cursor.js';
import type { DebugFrameRow } from './dwarf.js';
import { DW_LNE_end_sequence, DW_LNE_set_address, DW_LNS_advance_line, DW_LNS_advance_pc, DW_LNS_const_add_pc, DW_LNS_copy, DW_LNS_fixed_advance_pc, DW_LNS_set_file } from './line-program.js';

/** The relocation at a field of .debug_line: the target's .symtab index and the addend (REL: the field's value, passed in). */
export type FieldRelocation = (offset: number, fieldValue: number) => { sym: number; addend: number } | undefined;

/**
 * A function's rows as read back, four numbers each (offset, size up to the
 * next row, line, index in `files`), and where its frame changes (null:
 * no call-frame information). Its instructions are visited (VisitedInsts),
 * with the frame changes laid over the lines: a row starts wherever either
 * changes, and each carries the frame then in effect (at the start: SP at
 * the call, nothing saved).
 */
export class ReadBackLines implements VisitedInsts {
  readonly rows: number[] = [];
  frames: readonly DebugFrameRow[] | null = null;

  /** `files` is shared by the functions of one object. */
  constructor(readonly files: readonly string[]) {}

  get length(): number {
    return this.rows.length / 4;
  }

  visit(each: (inst: Readonly<InstInfo>) => void): void {
    const { rows, files, frames } = this;
    if (frames === null) {
      const inst: InstInfo = { line: 0, file: '', offset: 0, size: 0 };
      for (let r = 0; r < rows.length; r += 4) {
        inst.offset = rows[r];
        inst.size = rows[r + 1];
        inst.line = rows[r + 2];
        inst.file = files[rows[r + 3]];
        each(inst);
      }
      return;
    }
    // One object for every row, of one shape.
    const inst: Required<InstInfo> = { line: 0, file: '', offset: 0, size: 0, sp: 0, saved: 0, cfaOnBp: false };
    let fi = -1;
    let f: Pick<DebugFrameRow, 'sp' | 'saved' | 'onBp'> = { sp: 0, saved: 0, onBp: false };
    for (let r = 0; r < rows.length; r += 4) {
      const end = rows[r] + rows[r + 1];
      // The row's own start, then each frame change inside it.
      let o = rows[r];
      while (fi + 1 < frames.length && frames[fi + 1].offset <= o) f = frames[++fi];
      for (;;) {
        const next = fi + 1 < frames.length && frames[fi + 1].offset < end ? frames[fi + 1].offset : end;
        inst.line = rows[r + 2];
        inst.file = files[rows[r + 3]];
        inst.offset = o;
        inst.size = Math.max(0, next - o);
        inst.sp = f.sp;
        inst.saved = f.saved;
        inst.cfaOnBp = f.onBp;
        each(inst);
        if (next >= end) break;
        o = next;
        f = frames[++fi];
      }
    }
  }
}

/** Per .symtab index of a function: its rows (offset, line, file; size up to the next row). */
export function readLinePrograms(data: Uint8Array, addressSize: number, relocationAt: FieldRelocation): Map<number, ReadBackLines> {
  const out = new Map<number, ReadBackLines>();
  // The object's file names, each once, for all its units.
  const fileNames: string[] = [];
  const fileIds = new Map<string, number>();
  const c = new DwarfCursor(data, '.debug_line');
  while (c.p < data.length) {
    const end = c.unit();
    const version = c.fixed(2, end);
    if (version < 2 || version > 4) c.fail(`line program version ${version} is not read`);
    const headerLength = c.fixed(4, end);
    const programStart = c.p + headerLength;
    if (programStart > end) c.fail('header longer than its unit');
    const minInst = c.fixed(1, programStart);
    if (version >= 4) c.fixed(1, programStart); // maximum_operations_per_instruction
    c.fixed(1, programStart); // default_is_stmt
    const lineBase = (c.fixed(1, programStart) << 24) >> 24;
    const lineRange = c.fixed(1, programStart);
    const opcodeBase = c.fixed(1, programStart);
    if (lineRange === 0 || opcodeBase === 0) c.fail('bad line_range or opcode_base');
    const opLengths: number[] = [];
    for (let i = 1; i < opcodeBase; i++) opLengths.push(c.fixed(1, programStart));
    const dirs: string[] = [''];
    while (c.p < programStart && data[c.p] !== 0) dirs.push(c.cstr(programStart));
    c.fixed(1, programStart);
    // The unit's files by number, as ids in fileNames (0 is no file).
    const files: number[] = [-1];
    while (c.p < programStart && data[c.p] !== 0) {
      const name = c.cstr(programStart);
      const dir = c.uleb(programStart);
      c.uleb(programStart); // modification time
      c.uleb(programStart); // length
      if (dir >= dirs.length) c.fail(`file ${name} in directory ${dir}, which is not there`);
      const full = dir === 0 || name.startsWith('/') ? name : `${dirs[dir]}/${name}`;
      let id = fileIds.get(full);
      if (id === undefined) fileIds.set(full, (id = fileNames.push(full) - 1));
      files.push(id);
    }
    c.p = programStart;
    // The state machine; rows go to the function the sequence's set_address
    // names, and the address is an offset in that function.
    let rows: number[] | null = null;
    let address = 0;
    let file = 1;
    let line = 1;
    const row = (): void => {
      if (rows === null) return c.fail('a row before DW_LNE_set_address');
      if (file <= 0 || file >= files.length) c.fail(`file ${file} is not in the header`);
      const last = rows.length - 4;
      if (last >= 0) {
        if (address < rows[last]) c.fail('rows out of address order');
        rows[last + 1] = address - rows[last];
        if (rows[last + 1] === 0) rows.length = last;
      }
      rows.push(address, 0, line, files[file]);
    };
    while (c.p < end) {
      const op = c.fixed(1, end);
      if (op >= opcodeBase) {
        const adj = op - opcodeBase;
        address += Math.floor(adj / lineRange) * minInst;
        line += lineBase + (adj % lineRange);
        row();
      } else if (op === 0) {
        const len = c.uleb(end);
        const next = c.p + len;
        if (next > end) c.fail('truncated');
        const sub = len > 0 ? c.fixed(1, next) : 0;
        if (sub === DW_LNE_end_sequence) {
          // The last row runs to here.
          if (rows !== null && rows.length >= 4) rows[rows.length - 3] = Math.max(0, address - rows[rows.length - 4]);
          rows = null;
          address = 0;
          file = 1;
          line = 1;
        } else if (sub === DW_LNE_set_address) {
          if (len !== 1 + addressSize) c.fail('DW_LNE_set_address of the wrong size');
          const at = c.p;
          const r = relocationAt(at, c.fixed(addressSize, next));
          if (r === undefined) return c.fail('DW_LNE_set_address without a relocation');
          // Offsets count from the function's start: the addend is where the sequence starts in it.
          address = r.addend;
          let list = out.get(r.sym);
          if (!list) out.set(r.sym, (list = new ReadBackLines(fileNames)));
          rows = list.rows;
        }
        c.p = next;
      } else if (op === DW_LNS_copy) row();
      else if (op === DW_LNS_advance_pc) address += c.uleb(end) * minInst;
      else if (op === DW_LNS_advance_line) line += c.sleb(end);
      else if (op === DW_LNS_set_file) file = c.uleb(end);
      else if (op === DW_LNS_fixed_advance_pc) address += c.fixed(2, end);
      else if (op === DW_LNS_const_add_pc) address += Math.floor((255 - opcodeBase) / lineRange) * minInst;
      else for (let i = 0; i < opLengths[op - 1]; i++) c.uleb(end); // operands of opcodes that do not move rows
    }
    if (rows !== null) c.fail('a sequence without DW_LNE_end_sequence');
  }
  return out;
}
