// The bitmask-immediate encoder checked exhaustively against a decoder written
// from the Arm ARM's DecodeBitMasks: every valid (N, immr, imms) decodes to a
// value that logicalImm encodes back to a field decoding to the same value,
// and values that are not bitmask immediates are rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logicalImm, fmovImm8 } from '../../../src/arch/arm64/imm.js';

const M64 = (1n << 64n) - 1n;

/** DecodeBitMasks(N, imms, immr) for a 64-bit register, or undefined if reserved. */
function decode(n: number, immr: number, imms: number): bigint | undefined {
  const combined = (n << 6) | (~imms & 0x3f);
  if (combined === 0) return undefined;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return undefined;
  const esize = 1 << len;
  const levels = esize - 1;
  const s = imms & levels;
  const r = immr & levels;
  if (s === levels) return undefined;
  const welem = (1n << BigInt(s + 1)) - 1n;
  const emask = esize === 64 ? M64 : (1n << BigInt(esize)) - 1n;
  const rb = BigInt(r);
  const elem = r === 0 ? welem : ((welem >> rb) | (welem << BigInt(esize - r))) & emask;
  let v = 0n;
  for (let i = 0; i < 64; i += esize) v |= elem << BigInt(i);
  return v;
}

test('logicalImm round-trips every bitmask immediate', () => {
  let count = 0;
  const seen = new Set<bigint>();
  for (let n = 0; n < 2; n++)
    for (let immr = 0; immr < 64; immr++)
      for (let imms = 0; imms < 64; imms++) {
        const v = decode(n, immr, imms);
        if (v === undefined || seen.has(v)) continue;
        seen.add(v);
        count++;
        const f = logicalImm(v, 64);
        assert.ok(f >= 0, `0x${v.toString(16)} should encode`);
        assert.equal(decode(f >> 12, (f >> 6) & 63, f & 63), v, `0x${v.toString(16)} re-decodes`);
        // 32-bit: patterns whose halves are equal encode with N=0.
        if ((v >> 32n) === (v & 0xffffffffn)) {
          const w = logicalImm(v & 0xffffffffn, 32);
          assert.ok(w >= 0 && w >> 12 === 0);
          assert.equal(decode(0, (w >> 6) & 63, w & 63), v);
        }
      }
  assert.equal(count, 5334);
});

test('logicalImm rejects non-bitmask values', () => {
  for (const v of [0n, M64, 0x123n, 0x5n, 0x1234567890abcdefn, 0xff00ff00ff00ff01n, 0x8000000000000005n]) assert.equal(logicalImm(v, 64), -1, v.toString(16));
  assert.equal(logicalImm(0xffffffffn, 32), -1);
  assert.equal(logicalImm(0n, 32), -1);
  let seed = 12345;
  const rnd = (): bigint => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return BigInt(seed);
  };
  for (let i = 0; i < 20000; i++) {
    const v = (rnd() << 48n) ^ (rnd() << 32n) ^ (rnd() << 16n) ^ rnd();
    const f = logicalImm(v & M64, 64);
    if (f >= 0) assert.equal(decode(f >> 12, (f >> 6) & 63, f & 63), v & M64);
  }
});

test('fmovImm8 encodes exactly the FMOV immediates', () => {
  let n = 0;
  for (let imm8 = 0; imm8 < 256; imm8++) {
    // VFPExpandImm for 64-bit.
    const sign = imm8 >> 7;
    const b6 = (imm8 >> 6) & 1;
    const exp = ((b6 ^ 1) << 10) | ((b6 ? 0xff : 0) << 2) | ((imm8 >> 4) & 3);
    const frac = imm8 & 15;
    const bits = (BigInt(sign) << 63n) | (BigInt(exp) << 52n) | (BigInt(frac) << 48n);
    const dv = new DataView(new ArrayBuffer(8));
    dv.setBigUint64(0, bits);
    assert.equal(fmovImm8(dv.getFloat64(0)), imm8);
    n++;
  }
  assert.equal(n, 256);
  for (const f of [0, 0.1, 1e10, 33, -0.0625 / 2, NaN, Infinity]) assert.equal(fmovImm8(f), -1, String(f));
});
