// Reads the line programs of a relocatable object's .debug_line back into
// per-function instruction lines, for a linker that writes the executable's
// debugging information itself. Each sequence must start with
// DW_LNE_set_address whose field a relocation ties to the function (as
// asmlink's object writer makes them, dwarf.ts); rows are offsets from that
// function (or, in a C compiler's object, the section: the object reader
// then shares the rows out among the section's functions). Versions 2 to 5
// of the line program are read: version 5 (gcc's and clang's default) names
// its directories and files by entry formats, their strings in .debug_line_str.

import type { InstInfo } from '../../obj/symbol.js';
import type { VisitedInsts } from '../../obj/line-tables.js';
import { DwarfCursor } from './cursor.js';
import type { DebugFrameRow } from './dwarf.js';
import { DW_LNE_end_sequence, DW_LNE_set_address, DW_LNS_advance_line, DW_LNS_advance_pc, DW_LNS_const_add_pc, DW_LNS_copy, DW_LNS_fixed_advance_pc, DW_LNS_set_file } from './line-program.js';

/** The relocation at a field of .debug_line: the target's .symtab index and the addend (REL: the field's value, passed in). */
export type FieldRelocation = (offset: number, fieldValue: number) => { sym: number; addend: number } | undefined;

/**
 * A string a version 5 header gives by offset (DW_FORM_line_strp into
 * .debug_line_str, DW_FORM_strp into .debug_str), from the field at
 * `offset` of .debug_line holding `value` (relocated in an object).
 */
export type OffsetString = (form: number, offset: number, value: number) => string;

const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;
const DW_FORM_block = 0x09;
const DW_FORM_data1 = 0x0b;
const DW_FORM_data2 = 0x05;
const DW_FORM_data4 = 0x06;
const DW_FORM_data8 = 0x07;
const DW_FORM_data16 = 0x1e;
const DW_FORM_string = 0x08;
const DW_FORM_strp = 0x0e;
const DW_FORM_line_strp = 0x1f;
const DW_FORM_udata = 0x0f;

/** Reads one version 5 entry (a directory or a file): its path and directory index. */
function v5Entry(c: DwarfCursor, formats: readonly number[], end: number, str: OffsetString | undefined): { path: string; dir: number } {
  let path = '';
  let dir = 0;
  for (let i = 0; i < formats.length; i += 2) {
    const kind = formats[i];
    const form = formats[i + 1];
    let value = 0;
    let text: string | undefined;
    if (form === DW_FORM_string) text = c.cstr(end);
    else if (form === DW_FORM_line_strp || form === DW_FORM_strp) {
      const at = c.p;
      const v = c.fixed(4, end);
      if (kind === DW_LNCT_path) text = str ? str(form, at, v) : c.fail('a string in another section, which is not given');
    } else if (form === DW_FORM_udata) value = c.uleb(end);
    else if (form === DW_FORM_data1 || form === DW_FORM_data2 || form === DW_FORM_data4 || form === DW_FORM_data8) value = c.fixed(form === DW_FORM_data1 ? 1 : form === DW_FORM_data2 ? 2 : form === DW_FORM_data4 ? 4 : 8, end);
    else if (form === DW_FORM_data16) c.p += 16;
    else if (form === DW_FORM_block) c.p += c.uleb(end);
    else c.fail(`entry format with form 0x${form.toString(16)}`);
    if (c.p > end) c.fail('truncated');
    if (kind === DW_LNCT_path) path = text ?? c.fail('a path that is not a string');
    else if (kind === DW_LNCT_directory_index) dir = value;
  }
  return { path, dir };
}

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
export function readLinePrograms(data: Uint8Array, addressSize: number, relocationAt: FieldRelocation, str?: OffsetString): Map<number, ReadBackLines> {
  const out = new Map<number, ReadBackLines>();
  // The object's file names, each once, for all its units.
  const fileNames: string[] = [];
  const fileIds = new Map<string, number>();
  const c = new DwarfCursor(data, '.debug_line');
  while (c.p < data.length) {
    const end = c.unit();
    const version = c.fixed(2, end);
    if (version < 2 || version > 5) c.fail(`line program version ${version} is not read`);
    if (version >= 5) {
      if (c.fixed(1, end) !== addressSize) c.fail('address size differs from the object\'s');
      if (c.fixed(1, end) !== 0) c.fail('segment selectors are not read');
    }
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
    // The unit's files by number, as ids in fileNames (-1: no file by that
    // number; before version 5 numbering starts at 1 and directory 0 is the
    // compilation's, unnamed here; from 5 on both are listed from 0).
    const files: number[] = [];
    const addFile = (name: string, dir: number, dirs: readonly string[]): void => {
      if (dir >= dirs.length) c.fail(`file ${name} in directory ${dir}, which is not there`);
      const full = dirs[dir] === '' || name.startsWith('/') ? name : `${dirs[dir]}/${name}`;
      let id = fileIds.get(full);
      if (id === undefined) fileIds.set(full, (id = fileNames.push(full) - 1));
      files.push(id);
    };
    if (version >= 5) {
      const formats = (): number[] => {
        const n = c.fixed(1, programStart);
        const f: number[] = [];
        for (let i = 0; i < 2 * n; i++) f.push(c.uleb(programStart));
        return f;
      };
      const dirFormats = formats();
      const dirs: string[] = [];
      for (let n = c.uleb(programStart); n > 0; n--) dirs.push(v5Entry(c, dirFormats, programStart, str).path);
      const fileFormats = formats();
      for (let n = c.uleb(programStart); n > 0; n--) {
        const e = v5Entry(c, fileFormats, programStart, str);
        addFile(e.path, e.dir, dirs);
      }
    } else {
      const dirs: string[] = [''];
      while (c.p < programStart && data[c.p] !== 0) dirs.push(c.cstr(programStart));
      c.fixed(1, programStart);
      files.push(-1);
      while (c.p < programStart && data[c.p] !== 0) {
        const name = c.cstr(programStart);
        const dir = c.uleb(programStart);
        c.uleb(programStart); // modification time
        c.uleb(programStart); // length
        addFile(name, dir, dirs);
      }
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
      if (!(file >= 0 && file < files.length && files[file] >= 0)) c.fail(`file ${file} is not in the header`);
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
