// A growable byte buffer for building Mach-O structures. Mach-O itself is
// little-endian on every architecture asmlink targets; the code signature is
// big-endian, so the writer takes the byte order at construction.

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;

  constructor(
    readonly littleEndian = true,
    capacity = 256,
  ) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.len;
  }

  private reserve(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
    this.view = new DataView(nb.buffer);
  }

  u8(v: number): this {
    this.reserve(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.reserve(2);
    this.view.setUint16(this.len, v, this.littleEndian);
    this.len += 2;
    return this;
  }
  u32(v: number): this {
    this.reserve(4);
    this.view.setUint32(this.len, v >>> 0, this.littleEndian);
    this.len += 4;
    return this;
  }
  i32(v: number): this {
    this.reserve(4);
    this.view.setInt32(this.len, v, this.littleEndian);
    this.len += 4;
    return this;
  }
  u64(v: number | bigint): this {
    this.reserve(8);
    this.view.setBigUint64(this.len, BigInt.asUintN(64, BigInt(v)), this.littleEndian);
    this.len += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  /** A fixed-size, NUL-padded name field (segment and section names: 16 bytes). */
  fixedString(s: string, size: number): this {
    const b = new TextEncoder().encode(s);
    if (b.length > size) throw new Error(`name ${s} longer than ${size} bytes`);
    this.reserve(size);
    this.buf.fill(0, this.len, this.len + size);
    this.buf.set(b, this.len);
    this.len += size;
    return this;
  }
  cstring(s: string): this {
    // Names are nearly always ASCII: those are written unit by unit, without an encoder call each.
    this.reserve(s.length + 1);
    let i = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      this.buf[this.len + i] = c;
    }
    if (i < s.length) return this.bytes(new TextEncoder().encode(s)).u8(0);
    this.len += s.length;
    return this.u8(0);
  }
  /** The NUL-terminated bytes at `off` of `keys`, NUL included (a name as an input file holds it). */
  cstringBytes(keys: Uint8Array, off: number): this {
    const end = keys.indexOf(0, off);
    if (end < 0) throw new Error('name without its terminating NUL');
    return this.bytes(keys.subarray(off, end + 1));
  }
  zeros(n: number): this {
    this.reserve(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
    return this;
  }
  /** Pads with zeros up to a multiple of `a`. */
  align(a: number): this {
    const r = this.len % a;
    if (r !== 0) this.zeros(a - r);
    return this;
  }
  uleb(v: number | bigint): this {
    if (typeof v === 'number' && v >= 0 && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v)) {
      // Numbers, the usual case (offsets, counts): no BigInt each.
      while (v >= 0x80) {
        this.u8((v % 128) | 0x80);
        v = Math.floor(v / 128);
      }
      return this.u8(v);
    }
    let x = BigInt(v);
    if (x < 0n) throw new Error('uleb of a negative value');
    do {
      let byte = Number(x & 0x7fn);
      x >>= 7n;
      if (x !== 0n) byte |= 0x80;
      this.u8(byte);
    } while (x !== 0n);
    return this;
  }
  sleb(v: number | bigint): this {
    let x = BigInt(v);
    for (;;) {
      const byte = Number(x & 0x7fn);
      x >>= 7n;
      const done = (x === 0n && (byte & 0x40) === 0) || (x === -1n && (byte & 0x40) !== 0);
      this.u8(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }
  /** Overwrites a 32-bit value already written. */
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0, this.littleEndian);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export function ulebSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

export function alignUp(v: number, a: number): number {
  return Math.ceil(v / a) * a;
}
