// The classic dyld information (LC_DYLD_INFO_ONLY): rebase and bind opcode
// streams. A rebase adds the slide to a pointer the linker wrote as an
// unslid address; a bind stores a library symbol's address. Locations are
// (segment index, offset in segment). The encoders below are plain and
// correct rather than minimal: sorted locations, runs of adjacent pointers
// folded into one "do N times" opcode.

import * as C from './consts.js';
import { ByteWriter } from './bytes.js';

export interface Rebase {
  seg: number;
  off: number;
}

export interface Bind {
  seg: number;
  off: number;
  /** Library ordinal (1-based, in LC_LOAD_DYLIB order). */
  ordinal: number;
  /** Mach-O name, `_write`. */
  symbol: string;
  addend: number;
  weak?: boolean;
}

export function encodeRebases(list: readonly Rebase[], ptrSize: number): Uint8Array {
  const sorted = [...list].sort((a, b) => a.seg - b.seg || a.off - b.off);
  return encodeSortedRebases(
    sorted.map((r) => r.seg),
    sorted.map((r) => r.off),
    ptrSize,
  );
}

/**
 * Rebases already sorted by segment, then offset, as two parallel arrays
 * (a large program has one per function pointer in its data: no object each).
 */
export function encodeSortedRebases(segs: ArrayLike<number>, offs: ArrayLike<number>, ptrSize: number): Uint8Array {
  const w = new ByteWriter();
  const count = segs.length;
  if (count === 0) return w.finish();
  w.u8(C.REBASE_OPCODE_SET_TYPE_IMM | C.REBASE_TYPE_POINTER);
  let seg = -1;
  let cur = 0;
  let i = 0;
  while (i < count) {
    const rseg = segs[i]!;
    const roff = offs[i]!;
    if (rseg !== seg || roff < cur) {
      w.u8(C.REBASE_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB | rseg).uleb(roff);
      seg = rseg;
    } else if (roff !== cur) {
      const d = roff - cur;
      if (d % ptrSize === 0 && d / ptrSize < 16) w.u8(C.REBASE_OPCODE_ADD_ADDR_IMM_SCALED | (d / ptrSize));
      else w.u8(C.REBASE_OPCODE_ADD_ADDR_ULEB).uleb(d);
    }
    // A run of adjacent pointers.
    let n = 1;
    while (i + n < count && segs[i + n] === rseg && offs[i + n] === roff + n * ptrSize) n++;
    if (n < 16) w.u8(C.REBASE_OPCODE_DO_REBASE_IMM_TIMES | n);
    else w.u8(C.REBASE_OPCODE_DO_REBASE_ULEB_TIMES).uleb(n);
    cur = roff + n * ptrSize;
    i += n;
  }
  w.u8(C.REBASE_OPCODE_DONE);
  w.align(ptrSize);
  return w.finish();
}

export function encodeBinds(list: readonly Bind[], ptrSize: number): Uint8Array {
  const w = new ByteWriter();
  if (list.length === 0) return w.finish();
  const sorted = [...list].sort(
    (a, b) => a.ordinal - b.ordinal || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0) || a.addend - b.addend || a.seg - b.seg || a.off - b.off,
  );
  w.u8(C.BIND_OPCODE_SET_TYPE_IMM | C.BIND_TYPE_POINTER);
  let ordinal = -1;
  let symbol: string | undefined;
  let addend = 0;
  let seg = -1;
  let cur = 0;
  for (const b of sorted) {
    if (b.ordinal !== ordinal) {
      if (b.ordinal <= 0) w.u8(C.BIND_OPCODE_SET_DYLIB_SPECIAL_IMM | (b.ordinal & 0xf));
      else if (b.ordinal < 16) w.u8(C.BIND_OPCODE_SET_DYLIB_ORDINAL_IMM | b.ordinal);
      else w.u8(C.BIND_OPCODE_SET_DYLIB_ORDINAL_ULEB).uleb(b.ordinal);
      ordinal = b.ordinal;
    }
    if (b.symbol !== symbol) {
      w.u8(C.BIND_OPCODE_SET_SYMBOL_TRAILING_FLAGS_IMM | (b.weak ? C.BIND_SYMBOL_FLAGS_WEAK_IMPORT : 0)).cstring(b.symbol);
      symbol = b.symbol;
    }
    if (b.addend !== addend) {
      w.u8(C.BIND_OPCODE_SET_ADDEND_SLEB).sleb(b.addend);
      addend = b.addend;
    }
    if (b.seg !== seg || b.off < cur) {
      w.u8(C.BIND_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB | b.seg).uleb(b.off);
      seg = b.seg;
    } else if (b.off !== cur) {
      w.u8(C.BIND_OPCODE_ADD_ADDR_ULEB).uleb(b.off - cur);
    }
    w.u8(C.BIND_OPCODE_DO_BIND);
    cur = b.off + ptrSize;
  }
  w.u8(C.BIND_OPCODE_DONE);
  w.align(ptrSize);
  return w.finish();
}
