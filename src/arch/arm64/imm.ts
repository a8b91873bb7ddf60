// Immediate encodings of A64 and the constant classes Go's assembler uses to
// pick an instruction sequence. All 64-bit values are handled as unsigned
// bigints (BigInt.asUintN(64, v)).

const M64 = (1n << 64n) - 1n;

export function u64(v: bigint): bigint {
  return BigInt.asUintN(64, v);
}
export function s64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/**
 * The N:immr:imms field (bits 10..22) of a logical (bitmask) immediate, or -1
 * when the value is not a replicated rotated run of ones. For 32-bit
 * instructions only the low 32 bits count. 0 and all-ones never encode.
 */
export function logicalImm(value: bigint, width: 32 | 64): number {
  let v = u64(value);
  if (width === 32) {
    v &= 0xffffffffn;
    v |= v << 32n;
  }
  if (v === 0n || v === M64) return -1;
  // The smallest period the pattern repeats with.
  let e = 64;
  while (e > 2) {
    const half = BigInt(e / 2);
    const mask = (1n << half) - 1n;
    const lo = v & mask;
    let rep = lo;
    for (let k = half; k < 64n; k += half) rep |= lo << k;
    if (rep !== v) break;
    e /= 2;
  }
  const eb = BigInt(e);
  const emask = e === 64 ? M64 : (1n << eb) - 1n;
  const elem = v & emask;
  let ones = 0;
  for (let t = elem; t !== 0n; t >>= 1n) if (t & 1n) ones++;
  const run = (1n << BigInt(ones)) - 1n;
  // Find r with ROL(elem, r) == run; then elem == ROR(run, r) and immr = r.
  let immr = -1;
  for (let r = 0; r < e; r++) {
    const rb = BigInt(r);
    const rot = r === 0 ? elem : ((elem << rb) | (elem >> (eb - rb))) & emask;
    if (rot === run) {
      immr = r;
      break;
    }
  }
  if (immr < 0) return -1;
  const n = e === 64 ? 1 : 0;
  const imms = (63 & ~(2 * e - 1)) | (ones - 1);
  return (n << 12) | (immr << 6) | imms;
}

/** Go's isbitcon: encodable as a 64-bit logical immediate. */
export function isBitcon(v: bigint): boolean {
  return logicalImm(v, 64) >= 0;
}

/** Index (0..3) of the only non-zero 16-bit field, or -1 (Go's movcon). 0 gives 0. */
export function movcon(v: bigint): number {
  const x = u64(v);
  for (let s = 0; s < 4; s++) {
    if ((x & ~(0xffffn << BigInt(16 * s)) & M64) === 0n) return s;
  }
  return -1;
}

/** Go's isaddcon: a 12-bit unsigned value, optionally shifted left by 12. */
export function isAddcon(v: bigint): boolean {
  if (v < 0n) return false;
  if ((v & 0xfffn) === 0n) v >>= 12n;
  return v <= 0xfffn;
}

/**
 * Constant classes, as in Go's assembler (a subset that decides encodings).
 * ADDCON0: 12-bit; ADDCON: 12-bit or 12-bit<<12; BITCON: logical immediate;
 * MOVCON: one MOVZ/MOVN; ADDCON2: 24-bit (two ADDs); LCON: 32-bit; VCON: 64-bit.
 */
export const enum CC {
  ZCON,
  ABCON0,
  ADDCON0,
  ABCON,
  AMCON,
  ADDCON,
  MBCON,
  MOVCON,
  BITCON,
  ADDCON2,
  LCON,
  MOVCON2,
  MOVCON3,
  VCON,
}

function classify(v: bigint, bitconValue: bigint, inv: bigint): CC {
  // v is the (signed, for 64-bit) value; bitconValue the pattern to test;
  // inv the complement in the instruction's width.
  if (v === 0n) return CC.ZCON;
  if (isAddcon(v)) {
    if (v <= 0xfffn) return isBitcon(bitconValue) ? CC.ABCON0 : CC.ADDCON0;
    if (isBitcon(bitconValue)) return CC.ABCON;
    if (movcon(v) >= 0 || movcon(inv) >= 0) return CC.AMCON;
    return CC.ADDCON;
  }
  if (movcon(v) >= 0 || movcon(inv) >= 0) return isBitcon(bitconValue) ? CC.MBCON : CC.MOVCON;
  if (isBitcon(bitconValue)) return CC.BITCON;
  if (v >= 0n && v <= 0xffffffn) return CC.ADDCON2;
  return CC.LCON;
}

/** Class of a constant used by a 64-bit instruction (Go's aclass + con64class). */
export function conClass64(value: bigint): CC {
  const v = s64(value);
  const c = classify(v, u64(v), ~v);
  if (c !== CC.LCON) return c;
  return con64(v);
}

/** Go's con64class: how many MOVZ/MOVN/MOVK a 64-bit constant takes. */
export function con64(v: bigint): CC {
  let zero = 0;
  let neg = 0;
  const x = u64(v);
  for (let i = 0n; i < 4n; i++) {
    const h = (x >> (16n * i)) & 0xffffn;
    if (h === 0n) zero++;
    else if (h === 0xffffn) neg++;
  }
  if (zero >= 3 || neg >= 3) return CC.MOVCON;
  if (zero === 2 || neg === 2) return CC.MOVCON2;
  if (zero === 1 || neg === 1) return CC.MOVCON3;
  return CC.VCON;
}

/**
 * Go's plain aclass for a 64-bit constant, without the MOVCON2/3 refinement
 * (the refinement applies only to MOVD and the ADD/AND families).
 */
export function conClassPlain(value: bigint): CC {
  const v = s64(value);
  const c = classify(v, u64(v), ~v);
  if (c !== CC.LCON) return c;
  if (v === BigInt.asIntN(32, v) || u64(v) === BigInt.asUintN(32, v)) return CC.LCON;
  return CC.VCON;
}

/** Class of a constant used by a 32-bit instruction (Go's con32class). */
export function conClass32(value: bigint): CC {
  const v = BigInt.asUintN(32, value);
  return classify(v, v | (v << 32n), BigInt.asUintN(32, ~v));
}

export function isAddClass(c: CC): boolean {
  return c === CC.ZCON || c === CC.ABCON0 || c === CC.ADDCON0 || c === CC.ABCON || c === CC.AMCON || c === CC.ADDCON;
}
export function isBitClass(c: CC): boolean {
  return c === CC.ABCON0 || c === CC.ABCON || c === CC.MBCON || c === CC.BITCON;
}
export function isMovClass(c: CC): boolean {
  return c === CC.MBCON || c === CC.ZCON || c === CC.ADDCON0 || c === CC.ABCON0 || c === CC.AMCON || c === CC.MOVCON;
}

/**
 * The 8-bit FMOV immediate for a float, or -1 (Go's chipfloat7): values
 * ±n/16 × 2^r with n in 16..31 and r in -3..4.
 */
export function fmovImm8(f: number): number {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, f);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  if (lo !== 0 || (hi & 0xffff) !== 0) return -1;
  const h = hi;
  const exp = (h >>> 20) & 0x7ff; // biased exponent
  // Representable exponents: 0x3fc..0x403 (2^-3..2^4).
  const e = exp - 0x3ff;
  if (e < -3 || e > 4) return -1;
  if ((h & 0xf0000) !== (h & 0xfffff)) return -1;
  const frac = (h >>> 16) & 0xf;
  const sign = h >>> 31;
  // imm8 = a:NOT(b):c:d:efgh where exponent = NOT(b):bb..(b repeated):cd
  const b = e <= 0 ? 1 : 0; // exponent bit pattern: e in 1..4 -> b=0, e in -3..0 -> b=1
  const cd = (e - 1) & 3;
  return (sign << 7) | (b << 6) | (cd << 4) | frac;
}
