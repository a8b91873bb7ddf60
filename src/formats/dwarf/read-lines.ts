// Reads the line programs of a relocatable object's .debug_line back into
// per-function instruction lines, for a linker that writes the executable's
// debugging information itself. Each sequence must start with
// DW_LNE_set_address whose field a relocation ties to the function (as
// asmlink's object writer makes them, dwarf.ts); rows are offsets from that
// function. Versions 2 to 4 of the line program are read.

import type { InstInfo } from '../../obj/symbol.js';

/** The relocation at a field of .debug_line: the target's .symtab index and the addend (REL: the field's value, passed in). */
export type FieldRelocation = (offset: number, fieldValue: number) => { sym: number; addend: number } | undefined;

export class LineProgramError extends Error {}

/** Per .symtab index of a function: its rows as InstInfo (offset, line, file; size up to the next row). */
export function readLinePrograms(data: Uint8Array, addressSize: number, relocationAt: FieldRelocation): Map<number, InstInfo[]> {
  const out = new Map<number, InstInfo[]>();
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let p = 0;
  const fail = (msg: string): never => {
    throw new LineProgramError(`.debug_line+0x${p.toString(16)}: ${msg}`);
  };
  const need = (n: number, end: number): void => {
    if (p + n > end) fail('truncated');
  };
  const uleb = (end: number): number => {
    let v = 0;
    let scale = 1;
    for (;;) {
      need(1, end);
      const b = data[p++];
      v += (b & 0x7f) * scale;
      scale *= 128;
      if (!(b & 0x80)) return v;
      if (scale > 2 ** 56) fail('LEB128 number too large');
    }
  };
  const sleb = (end: number): number => {
    let v = 0;
    let scale = 1;
    for (;;) {
      need(1, end);
      const b = data[p++];
      v += (b & 0x7f) * scale;
      scale *= 128;
      if (!(b & 0x80)) return b & 0x40 ? v - scale : v;
      if (scale > 2 ** 56) fail('LEB128 number too large');
    }
  };
  const cstr = (end: number): string => {
    const z = data.indexOf(0, p);
    if (z < 0 || z >= end) fail('unterminated string');
    const s = new TextDecoder().decode(data.subarray(p, z));
    p = z + 1;
    return s;
  };
  while (p < data.length) {
    need(4, data.length);
    const length = dv.getUint32(p, true);
    if (length >= 0xfffffff0) fail('64-bit DWARF is not read');
    p += 4;
    const end = p + length;
    if (end > data.length) fail('unit longer than the section');
    need(6, end);
    const version = dv.getUint16(p, true);
    if (version < 2 || version > 4) fail(`line program version ${version} is not read`);
    const headerLength = dv.getUint32(p + 2, true);
    p += 6;
    const programStart = p + headerLength;
    if (programStart > end) fail('header longer than its unit');
    need(version >= 4 ? 5 : 4, end);
    const minInst = data[p++];
    if (version >= 4) p++; // maximum_operations_per_instruction
    p++; // default_is_stmt
    const lineBase = (data[p++] << 24) >> 24;
    need(2, end);
    const lineRange = data[p++];
    const opcodeBase = data[p++];
    if (lineRange === 0 || opcodeBase === 0) fail('bad line_range or opcode_base');
    need(opcodeBase - 1, end);
    const opLengths = data.subarray(p, p + opcodeBase - 1);
    p += opcodeBase - 1;
    const dirs: string[] = [''];
    while (data[p] !== 0) dirs.push(cstr(programStart));
    p++;
    const files: string[] = [''];
    while (data[p] !== 0) {
      const name = cstr(programStart);
      const dir = uleb(programStart);
      uleb(programStart);
      uleb(programStart);
      if (dir >= dirs.length) fail(`file ${name} in directory ${dir}, which is not there`);
      files.push(dir === 0 || name.startsWith('/') ? name : `${dirs[dir]}/${name}`);
    }
    p = programStart;
    // The state machine; rows go to the function the sequence's set_address names.
    let rows: InstInfo[] | null = null;
    // The address as an offset in the function the sequence's set_address names.
    let address = 0;
    let file = 1;
    let line = 1;
    const row = (): void => {
      if (rows === null) fail('a row before DW_LNE_set_address');
      if (file <= 0 || file >= files.length) fail(`file ${file} is not in the header`);
      const offset = address;
      const last = rows![rows!.length - 1];
      if (last) {
        if (offset < last.offset) fail('rows out of address order');
        last.size = offset - last.offset;
        if (last.size === 0) rows!.pop();
      }
      rows!.push({ offset, line, file: files[file], size: 0 });
    };
    while (p < end) {
      const op = data[p++];
      if (op >= opcodeBase) {
        const adj = op - opcodeBase;
        address += Math.floor(adj / lineRange) * minInst;
        line += lineBase + (adj % lineRange);
        row();
      } else if (op === 0) {
        const len = uleb(end);
        need(len, end);
        const next = p + len;
        const sub = len > 0 ? data[p++] : 0;
        if (sub === 1) {
          // end_sequence: the last row runs to here.
          const last = rows?.[rows.length - 1];
          if (last) last.size = Math.max(0, address - last.offset);
          rows = null;
          address = 0;
          file = 1;
          line = 1;
        } else if (sub === 2) {
          if (len !== 1 + addressSize) fail('DW_LNE_set_address of the wrong size');
          const value = addressSize === 8 ? Number(dv.getBigUint64(p, true)) : dv.getUint32(p, true);
          const r = relocationAt(p, value);
          if (r === undefined) fail('DW_LNE_set_address without a relocation');
          // Offsets count from the function's start: the addend is where the sequence starts in it.
          address = r!.addend;
          let list = out.get(r!.sym);
          if (!list) out.set(r!.sym, (list = []));
          rows = list;
        }
        p = next;
      } else if (op === 1) row();
      else if (op === 2) address += uleb(end) * minInst;
      else if (op === 3) line += sleb(end);
      else if (op === 4) file = uleb(end);
      else if (op === 9) {
        need(2, end);
        address += dv.getUint16(p, true);
        p += 2;
      } else if (op === 8) address += Math.floor((255 - opcodeBase) / lineRange) * minInst;
      else for (let i = 0; i < opLengths[op - 1]; i++) uleb(end); // operands of opcodes that do not move rows
    }
    if (rows !== null) fail('a sequence without DW_LNE_end_sequence');
  }
  return out;
}
