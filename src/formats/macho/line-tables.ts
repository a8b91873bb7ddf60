// Reads an asmlink Mach-O object's DWARF back into each function's
// instruction lines and frames, for a linker that writes the executable's
// debugging information itself (link -g). In a Mach-O object the DWARF holds
// the object's own addresses (with section relocations, for other tools):
// an address names the __text function that contains it.

import type { Insts } from '../../obj/line-tables.js';
import { cfiOf } from '../dwarf/dwarf.js';
import { DwarfReadError } from '../dwarf/cursor.js';
import { readLinePrograms } from '../dwarf/read-lines.js';
import { readFrameTables } from '../dwarf/read-frames.js';
import * as C from './consts.js';
import { getU64 } from '../../obj/bytes.js';
import { fail, sectionNamed, type ObjectLayout } from './object-layout.js';

const utf8 = new TextDecoder();

/**
 * Function name → its instruction lines (with frames where __debug_frame has
 * them); null when the object has no __debug_line. `sizeOf` gives a
 * function's size: an empty function shares its address with the next one,
 * which the address then names.
 */
export function machoLineTables(b: Uint8Array, L: ObjectLayout, sizeOf: (name: string) => number): Map<string, Insts> | null {
  const line = sectionNamed(L.sects, { segname: '__DWARF', sectname: '__debug_line' });
  if (!line) return null;
  const frame = sectionNamed(L.sects, { segname: '__DWARF', sectname: '__debug_frame' });
  const fns = textFunctions(b, L);
  // At one address, the empty functions first: a lookup takes the last.
  const size = new Map(fns.map((f) => [f.name, sizeOf(f.name)]));
  fns.sort((x, y) => x.value - y.value || Number(size.get(x.name)! > 0) - Number(size.get(y.name)! > 0));
  // The function holding an address, and the address's offset in it.
  const at = (_off: number, value: number): { sym: number; addend: number } | undefined => {
    let lo = 0;
    let hi = fns.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (fns[mid]!.value <= value) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? undefined : { sym: found, addend: value - fns[found]!.value };
  };
  const data = (s: { offset: number; size: number; sectname: string }): Uint8Array => {
    if (s.offset + s.size > b.length) fail(`${s.sectname} outside the file`);
    return b.subarray(s.offset, s.offset + s.size);
  };
  const addressSize = L.is64 ? 8 : 4;
  try {
    const lines = readLinePrograms(data(line), addressSize, at);
    const cfi = cfiOf(L.arch);
    const frames = frame && cfi ? readFrameTables(data(frame), addressSize, cfi, at) : null;
    const out = new Map<string, Insts>();
    for (const [k, rows] of lines) {
      const f = frames?.get(k);
      rows.frames = f ?? null;
      out.set(fns[k]!.name, rows);
    }
    return out;
  } catch (e) {
    if (e instanceof DwarfReadError) fail(e.message);
    throw e;
  }
}

/** The symbols defined in __text: their addresses and asmlink names (without the leading _). */
function textFunctions(b: Uint8Array, L: ObjectLayout): { value: number; name: string }[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const text = L.sects.findIndex((s) => s.segname === '__TEXT' && s.sectname === '__text') + 1;
  const nl = L.is64 ? 16 : 12;
  const out: { value: number; name: string }[] = [];
  for (let i = 0; i < L.nsyms; i++) {
    const e = L.symoff + i * nl;
    const type = b[e + 4]!;
    if ((type & 0xe0) !== 0 || (type & 0x0e) !== C.N_SECT || b[e + 5] !== text) continue;
    const strx = dv.getUint32(e, true);
    if (strx >= L.strsize) fail('symbol name outside the string table');
    const start = L.stroff + strx;
    let end = start;
    while (end < L.stroff + L.strsize && b[end] !== 0) end++;
    const name = utf8.decode(b.subarray(start, end));
    const value = L.is64 ? getU64(dv, e + 8) : dv.getUint32(e + 8, true);
    out.push({ value, name: name.startsWith('_') ? name.slice(1) : name });
  }
  return out;
}
