// The byte sink the DWARF writers fill: little-endian integers, LEB128
// numbers and strings, growing as needed.

const utf8 = new TextEncoder();

/** A little-endian byte sink with the LEB128 encodings. */
export class Bytes {
  private buf = new Uint8Array(256);
  len = 0;

  private room(n: number): number {
    if (this.len + n > this.buf.length) {
      const nb = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
      nb.set(this.buf.subarray(0, this.len));
      this.buf = nb;
    }
    const at = this.len;
    this.len += n;
    return at;
  }
  u8(v: number): void {
    const at = this.room(1); // before this.buf is read: room() may replace it
    this.buf[at] = v;
  }
  /** An unsigned little-endian integer of `size` bytes (up to 8; exact below 2^53). */
  uint(v: number, size: number): void {
    const at = this.room(size);
    for (let i = 0; i < size; i++) {
      this.buf[at + i] = v % 256;
      v = Math.floor(v / 256);
    }
  }
  /** Overwrites `size` bytes at `at` (a length known only later). */
  patch(at: number, v: number, size: number): void {
    for (let i = 0; i < size; i++) {
      this.buf[at + i] = v % 256;
      v = Math.floor(v / 256);
    }
  }
  uleb(v: number): void {
    // A fraction or a negative number here is a writer's bug that would make a wrong table silently.
    if (!(Number.isInteger(v) && v >= 0)) throw new Error(`internal: ULEB128 of ${v}`);
    do {
      const b = v % 128;
      v = Math.floor(v / 128);
      this.u8(v > 0 ? b | 0x80 : b);
    } while (v > 0);
  }
  sleb(v: number): void {
    if (!Number.isInteger(v)) throw new Error(`internal: SLEB128 of ${v}`);
    for (;;) {
      const b = ((v % 128) + 128) % 128;
      v = Math.floor(v / 128);
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.u8(done ? b : b | 0x80);
      if (done) return;
    }
  }
  /** A NUL-terminated UTF-8 string. */
  str(s: string): void {
    const b = utf8.encode(s);
    const at = this.room(b.length); // before this.buf is read: room() may replace it
    this.buf.set(b, at);
    this.u8(0);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Whether v is an integer in [0, limit). */
export function isIndex(v: number, limit: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < limit;
}
