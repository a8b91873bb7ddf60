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

/**
 * The tag a 64-bit pointer's top byte carries, or 0: a top byte that is
 * neither 0 nor a sign extension (0xff) is not part of the number. clang's
 * arm64 RTTI marks a type_info whose name may not be unique with bit 63 of
 * its name pointer (`__ZTS1E + 0x8000000000000000`), which libc++abi masks
 * off before comparing names; a JS number cannot hold such an addend
 * exactly, so the Mach-O readers leave the tag in the field and the addend
 * below 2^56.
 */
export function pointerTag(top: number): number {
  return top === 0 || top === 0xff ? 0 : top;
}

/** An 8-byte field's addend: its number, or where the top byte is a tag (pointerTag), the signed number the low 56 bits hold. */
export function getAddend64(dv: DataView, off: number): number {
  if (pointerTag(dv.getUint8(off + 7)) === 0) return getI64(dv, off);
  const low56 = dv.getUint32(off, true) + (dv.getUint32(off + 4, true) & 0xffffff) * 4294967296;
  return low56 >= 2 ** 55 ? low56 - 2 ** 56 : low56;
}

/** An address into an 8-byte pointer field, keeping the tag the field's top byte holds (pointerTag); addresses are below 2^56. */
export function setPointer64(dv: DataView, off: number, v: number): void {
  const tag = pointerTag(dv.getUint8(off + 7));
  setU64(dv, off, v);
  if (tag !== 0 && v >= 0 && v < 2 ** 56) dv.setUint8(off + 7, tag);
}
