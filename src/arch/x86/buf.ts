// A growable little-endian byte buffer: the encoders write every byte here, so
// no per-instruction arrays are allocated.

export class ByteBuf {
  buf: Uint8Array;
  len = 0;
  constructor(cap = 256) {
    this.buf = new Uint8Array(cap);
  }
  private grow(need: number): void {
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const n = new Uint8Array(cap);
    n.set(this.buf.subarray(0, this.len));
    this.buf = n;
  }
  byte(b: number): void {
    if (this.len >= this.buf.length) this.grow(this.len + 1);
    this.buf[this.len++] = b & 0xff;
  }
  u16(v: number): void {
    this.byte(v);
    this.byte(v >>> 8);
  }
  u32(v: number): void {
    if (this.len + 4 > this.buf.length) this.grow(this.len + 4);
    const b = this.buf;
    const i = this.len;
    b[i] = v & 0xff;
    b[i + 1] = (v >>> 8) & 0xff;
    b[i + 2] = (v >>> 16) & 0xff;
    b[i + 3] = (v >>> 24) & 0xff;
    this.len = i + 4;
  }
  u64(v: bigint): void {
    const lo = Number(BigInt.asUintN(32, v));
    const hi = Number(BigInt.asUintN(32, v >> 32n));
    this.u32(lo);
    this.u32(hi);
  }
  bytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.len + n > this.buf.length) this.grow(this.len + n);
    // A plain loop: instruction-sized copies are cheaper than creating a subarray view.
    const b = this.buf;
    let j = this.len;
    for (let i = start; i < end; i++) b[j++] = src[i];
    this.len = j;
  }
  patch32(at: number, v: number): void {
    const b = this.buf;
    b[at] = v & 0xff;
    b[at + 1] = (v >>> 8) & 0xff;
    b[at + 2] = (v >>> 16) & 0xff;
    b[at + 3] = (v >>> 24) & 0xff;
  }
  take(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
