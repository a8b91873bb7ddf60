// Reads the line programs of a relocatable object's .debug_line back into
// per-function instruction lines, for a linker that writes the executable's
// debugging information itself. Each sequence must start with
// DW_LNE_set_address whose field a relocation ties to the function (as
// asmlink's object writer makes them, dwarf.ts); rows are offsets from that
// function. Versions 2 to 4 of the line program are read.

import type { InstInfo } from '../../obj/symbol.js';
import { DwarfCursor } from './cursor.js';
import { DW_LNE_end_sequence, DW_LNE_set_address, DW_LNS_advance_line, DW_LNS_advance_pc, DW_LNS_const_add_pc, DW_LNS_copy, DW_LNS_fixed_advance_pc, DW_LNS_set_file } from './line-program.js';

/** The relocation at a field of .debug_line: the target's .symtab index and the addend (REL: the field's value, passed in). */
export type FieldRelocation = (offset: number, fieldValue: number) => { sym: number; addend: number } | undefined;

/** Per .symtab index of a function: its rows as InstInfo (offset, line, file; size up to the next row). */
export function readLinePrograms(data: Uint8Array, addressSize: number, relocationAt: FieldRelocation): Map<number, InstInfo[]> {
  const out = new Map<number, InstInfo[]>();
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
    const files: string[] = [''];
    while (c.p < programStart && data[c.p] !== 0) {
      const name = c.cstr(programStart);
      const dir = c.uleb(programStart);
      c.uleb(programStart); // modification time
      c.uleb(programStart); // length
      if (dir >= dirs.length) c.fail(`file ${name} in directory ${dir}, which is not there`);
      files.push(dir === 0 || name.startsWith('/') ? name : `${dirs[dir]}/${name}`);
    }
    c.p = programStart;
    // The state machine; rows go to the function the sequence's set_address
    // names, and the address is an offset in that function.
    let rows: InstInfo[] | null = null;
    let address = 0;
    let file = 1;
    let line = 1;
    const row = (): void => {
      if (rows === null) return c.fail('a row before DW_LNE_set_address');
      if (file <= 0 || file >= files.length) c.fail(`file ${file} is not in the header`);
      const last = rows[rows.length - 1];
      if (last) {
        if (address < last.offset) c.fail('rows out of address order');
        last.size = address - last.offset;
        if (last.size === 0) rows.pop();
      }
      rows.push({ offset: address, line, file: files[file], size: 0 });
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
          const last = rows?.[rows.length - 1];
          if (last) last.size = Math.max(0, address - last.offset);
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
          if (!list) out.set(r.sym, (list = []));
          rows = list;
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
