// Immediate encodings of A64 and the constant classes Go's assembler uses to
// pick an instruction sequence.
//
// 64-bit values are handled as two unsigned 32-bit halves (hi, lo) in plain
// numbers: bigint arithmetic allocates, and constants are classified for
// almost every instruction that has one.

/** A 64-bit value as unsigned 32-bit halves. */
export interface U64 {
  hi: number;
  lo: number;
}

const TWO32 = 4294967296;
const SAFE = 9007199254740991n;

/** Splits a bigint (any sign) into its low 64 bits. */
export function split(v: bigint, out: U64): U64 {
  if (v >= -SAFE && v <= SAFE) {
    const n = Number(v);
    out.lo = n >>> 0;
    out.hi = Math.floor(n / TWO32) >>> 0;
  } else {
    out.lo = Number(BigInt.asUintN(32, v));
    out.hi = Number(BigInt.asUintN(32, v >> 32n));
  }
  return out;
}

export function toBig(hi: number, lo: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** True when x (uint32) is 2^n - 1 for some n (including 0). */
function isMask32(x: number): boolean {
  return ((x & (x + 1)) | 0) === 0;
}

// Result slots of run64 (no allocation).
let runS = 0;
let runN = 0;

/** Whether the 64-bit value is one contiguous run of ones; sets runS (start) and runN (length). */
function run64(hi: number, lo: number): boolean {
  if (lo === 0) {
    if (hi === 0) return false;
    const t = ctz32(hi);
    const y = hi >>> t;
    if (!isMask32(y)) return false;
    runS = 32 + t;
    runN = popcount32(y);
    return true;
  }
  const t = ctz32(lo);
  const l = t === 0 ? lo : ((lo >>> t) | (hi << (32 - t))) >>> 0;
  const h = hi >>> t;
  if (h === 0) {
    if (!isMask32(l)) return false;
    runS = t;
    runN = popcount32(l);
    return true;
  }
  if (l !== 0xffffffff || !isMask32(h)) return false;
  runS = t;
  runN = 32 + popcount32(h);
  return true;
}

/**
 * The N:immr:imms field (bits 10..22) of a logical (bitmask) immediate, or -1
 * when the value is not a replicated rotated run of ones. For 32-bit
 * instructions only the low 32 bits count. 0 and all-ones never encode.
 */
export function logicalImmHL(hi: number, lo: number, width: 32 | 64): number {
  if (width === 32) hi = lo;
  if ((hi === 0 && lo === 0) || (hi === 0xffffffff && lo === 0xffffffff)) return -1;
  if (hi !== lo) {
    // Period 64: the value or its complement is a single run.
    if (run64(hi, lo)) {
      const immr = (64 - runS) & 63;
      return (1 << 12) | (immr << 6) | (runN - 1);
    }
    if (run64(~hi >>> 0, ~lo >>> 0)) {
      const s = runS + runN;
      const n = 64 - runN;
      const immr = (64 - s) & 63;
      return (1 << 12) | (immr << 6) | (n - 1);
    }
    return -1;
  }
  // Period 32 or less: find the smallest period e of the 32-bit pattern.
  const x = lo;
  let e = 32;
  while (e > 2) {
    const h = e >>> 1;
    const rot = ((x >>> h) | (x << (32 - h))) >>> 0;
    if (rot !== x) break;
    e = h;
  }
  const mask = e === 32 ? 0xffffffff : (1 << e) - 1;
  const elem = (x & mask) >>> 0;
  const ones = popcount32(elem);
  const run = 2 ** ones - 1;
  for (let r = 0; r < e; r++) {
    const rot = r === 0 ? elem : (((elem << r) | (elem >>> (e - r))) & mask) >>> 0;
    if (rot === run) return (r << 6) | ((63 & ~(2 * e - 1)) | (ones - 1));
  }
  return -1;
}

const scratch: U64 = { hi: 0, lo: 0 };

/** logicalImm on a bigint value (tests and tools). */
export function logicalImm(value: bigint, width: 32 | 64): number {
  split(value, scratch);
  return logicalImmHL(scratch.hi, scratch.lo, width);
}

/** Index (0..3) of the only non-zero 16-bit field, or -1 (Go's movcon). 0 gives 0. */
export function movconHL(hi: number, lo: number): number {
  if (hi === 0) {
    if ((lo & 0xffff0000) === 0) return 0;
    if ((lo & 0xffff) === 0) return 1;
    return -1;
  }
  if (lo !== 0) return -1;
  if ((hi & 0xffff0000) === 0) return 2;
  if ((hi & 0xffff) === 0) return 3;
  return -1;
}

/**
 * Constant classes, as in Go's assembler (the subset that decides encodings).
 * ADDCON0: 12-bit; ADDCON: 12-bit or 12-bit<<12; BITCON: logical immediate;
 * MOVCON: one MOVZ/MOVN; ADDCON2: 24-bit (two ADDs); LCON: 32-bit; VCON: 64-bit;
 * MOVCON2/MOVCON3: two or three MOVZ/MOVN/MOVK.
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

/** Go's isaddcon on a non-negative value below 2^32 (callers check the sign). */
function isAddconLo(lo: number): boolean {
  return lo <= 0xfff || ((lo & 0xfff) === 0 && lo <= 0xfff000);
}

/**
 * Go's classification. (hi, lo) is the value (for 32-bit instructions hi = 0
 * and lo the 32-bit value); (bhi, blo) the pattern tested as a logical
 * immediate; (ihi, ilo) the complement in the instruction's width.
 */
function classify(hi: number, lo: number, bhi: number, blo: number, ihi: number, ilo: number): CC {
  if (hi === 0 && lo === 0) return CC.ZCON;
  const bit = logicalImmHL(bhi, blo, 64) >= 0;
  const mov = movconHL(hi, lo) >= 0 || movconHL(ihi, ilo) >= 0;
  if (hi === 0 && isAddconLo(lo)) {
    if (lo <= 0xfff) return bit ? CC.ABCON0 : CC.ADDCON0;
    if (bit) return CC.ABCON;
    if (mov) return CC.AMCON;
    return CC.ADDCON;
  }
  if (mov) return bit ? CC.MBCON : CC.MOVCON;
  if (bit) return CC.BITCON;
  if (hi === 0 && lo <= 0xffffff) return CC.ADDCON2;
  return CC.LCON;
}

/** Class of a 64-bit constant without Go's MOVCON2/3 refinement (aclass). */
export function conClassPlainHL(hi: number, lo: number): CC {
  const c = classify(hi, lo, hi, lo, ~hi >>> 0, ~lo >>> 0);
  if (c !== CC.LCON) return c;
  // Fits 32 bits signed or unsigned?
  if (hi === 0 || (hi === 0xffffffff && lo >= 0x80000000)) return CC.LCON;
  return CC.VCON;
}

/** Class of a constant used by a 32-bit instruction (Go's con32class). */
export function conClass32HL(lo: number): CC {
  return classify(0, lo, lo, lo, 0, ~lo >>> 0);
}

/** The i-th 16-bit field (0 = lowest) of a 64-bit value. */
export function halfword(hi: number, lo: number, i: number): number {
  const w = i < 2 ? lo : hi;
  return (i & 1) === 0 ? w & 0xffff : w >>> 16;
}

/** Go's con64class: how many MOVZ/MOVN/MOVK a 64-bit constant takes. */
export function con64HL(hi: number, lo: number): CC {
  let zero = 0;
  let neg = 0;
  for (let i = 0; i < 4; i++) {
    const q = halfword(hi, lo, i);
    if (q === 0) zero++;
    else if (q === 0xffff) neg++;
  }
  if (zero >= 3 || neg >= 3) return CC.MOVCON;
  if (zero === 2 || neg === 2) return CC.MOVCON2;
  if (zero === 1 || neg === 1) return CC.MOVCON3;
  return CC.VCON;
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
const fbuf = new DataView(new ArrayBuffer(8));
export function fmovImm8(f: number): number {
  fbuf.setFloat64(0, f);
  const h = fbuf.getUint32(0);
  const lo = fbuf.getUint32(4);
  if (lo !== 0 || (h & 0xffff) !== 0) return -1;
  const e = ((h >>> 20) & 0x7ff) - 0x3ff;
  if (e < -3 || e > 4) return -1;
  const frac = (h >>> 16) & 0xf;
  const sign = h >>> 31;
  // imm8 = a:NOT(b):c:d:efgh; the exponent is NOT(b):b×8:c:d.
  const b = e <= 0 ? 1 : 0;
  const cd = (e - 1) & 3;
  return (sign << 7) | (b << 6) | (cd << 4) | frac;
}
