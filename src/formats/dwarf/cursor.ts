// A bounds-checked reader of a DWARF section's little-endian fields, shared
// by the line-program and call-frame readers. Every read names the end of
// the entry it belongs to; running past it throws DwarfReadError with the
// section and offset, which the object reader turns into a diagnostic.

import { getU64 } from '../../obj/bytes.js';

export class DwarfReadError extends Error {}

const utf8 = new TextDecoder();

export class DwarfCursor {
  p = 0;
  private readonly dv: DataView;

  constructor(
    readonly data: Uint8Array,
    private readonly section: string,
  ) {
    this.dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  fail(msg: string): never {
    throw new DwarfReadError(`${this.section}+0x${this.p.toString(16)}: ${msg}`);
  }

  /** An unsigned field of 1, 2, 4 or 8 bytes (8: exact below 2^53). */
  fixed(size: number, end: number): number {
    if (this.p + size > end) this.fail('truncated');
    const p = this.p;
    const v = size === 1 ? this.data[p] : size === 2 ? this.dv.getUint16(p, true) : size === 4 ? this.dv.getUint32(p, true) : getU64(this.dv, p);
    this.p += size;
    return v;
  }

  uleb(end: number): number {
    return this.leb(end, false);
  }

  sleb(end: number): number {
    return this.leb(end, true);
  }

  private leb(end: number, signed: boolean): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.fixed(1, end);
      v += (b & 0x7f) * scale;
      scale *= 128;
      if (!(b & 0x80)) return signed && b & 0x40 ? v - scale : v;
      if (scale > 2 ** 56) this.fail('LEB128 number too large');
    }
  }

  /** A NUL-terminated UTF-8 string. */
  cstr(end: number): string {
    const z = this.data.indexOf(0, this.p);
    if (z < 0 || z >= end) this.fail('unterminated string');
    const s = utf8.decode(this.data.subarray(this.p, z));
    this.p = z + 1;
    return s;
  }

  /** The 32-bit DWARF unit or entry length at the cursor; returns where the unit ends. */
  unit(): number {
    const length = this.fixed(4, this.data.length);
    if (length >= 0xfffffff0) this.fail('64-bit DWARF is not read');
    const end = this.p + length;
    if (end > this.data.length) this.fail('longer than the section');
    return end;
  }
}
