// LC_FUNCTION_STARTS: the start of every function as ULEB128 deltas, the
// first from the start of __TEXT (the Mach-O header), ended by a zero and
// padded to pointer alignment. Debuggers and the unwinder use it.

import { ByteWriter } from './bytes.js';

/** `starts` are offsets from the start of __TEXT, in any order; repeats are written once. */
export function encodeFunctionStarts(starts: ArrayLike<number>, ptrSize: number): Uint8Array {
  const w = new ByteWriter();
  // A typed array sorts numerically without a comparator call per pair; it
  // is filled with set(), which, unlike from(), makes no iterator result per element.
  const sorted = new Float64Array(starts.length);
  sorted.set(starts);
  sorted.sort();
  let prev = 0;
  for (const s of sorted) {
    // Offset 0 is the Mach-O header, never a function; a zero delta would end the list.
    if (s <= prev) continue;
    w.uleb(s - prev);
    prev = s;
  }
  w.u8(0);
  w.align(ptrSize);
  return w.finish();
}

/** Decodes a function-starts blob back to offsets (for tests and checks). */
export function decodeFunctionStarts(b: Uint8Array): number[] {
  const out: number[] = [];
  let at = 0;
  let cur = 0;
  while (at < b.length) {
    let v = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = b[at++]!;
      v += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    if (v === 0) break;
    cur += v;
    out.push(cur);
  }
  return out;
}
