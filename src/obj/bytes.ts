// What every object format's reader and writer needs of raw bytes: the
// host's byte order (typed-array views use it; the files here are
// little-endian), and 64-bit little-endian fields as numbers, from and to
// their 32-bit halves, without a BigInt for each (a large object has one
// per symbol, relocation or address). Exact below 2^53; a larger value is
// rounded once, as Number(BigInt) rounds it.

export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function getU64(dv: DataView, off: number): number {
  return dv.getUint32(off, true) + dv.getUint32(off + 4, true) * 4294967296;
}

export function getI64(dv: DataView, off: number): number {
  return dv.getUint32(off, true) + dv.getInt32(off + 4, true) * 4294967296;
}

/** A safe integer into 8 bytes (a negative one as two's complement). */
export function setU64(dv: DataView, off: number, v: number): void {
  dv.setUint32(off, v >>> 0, true);
  dv.setInt32(off + 4, Math.floor(v / 4294967296) | 0, true);
}
