// link/eh-frame.ts on hand-made records: a CIE with the 'zR' augmentation
// and FDEs with pc-relative sdata4 addresses, as GCC writes them; the search
// table they give, entry by entry; and records the unwinder could not read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EhFrameError, ehFrameHdr, frameDescriptions } from '../../src/link/eh-frame.js';

const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];

// CIE: length 16, id 0, version 1, "zR", code align 1, data align -8, RA 16, aug length 1, R = pcrel|sdata4, 3 padding nops.
const CIE = [...u32(16), ...u32(0), 1, 0x7a, 0x52, 0, 1, 0x78, 16, 1, 0x1b, 0, 0, 0];
const BASE = 0x1000;
/** An FDE at `at` (in records at BASE) whose first address is `start` (pc-relative to its field) and length `len`. */
function fde(at: number, start: number, len: number): number[] {
  const field = BASE + at + 8;
  return [...u32(16), ...u32(at + 4), ...u32((start - field) >>> 0), ...u32(len), 0, 0, 0, 0];
}

test('frame descriptions are read with their first addresses, and the table lists them sorted, relative to itself', () => {
  const base = BASE;
  const bytes = Uint8Array.from([...CIE, ...fde(20, 0x5000, 0x40), ...fde(40, 0x4000, 0x10), ...u32(0)]);
  const fdes = frameDescriptions(bytes, 0, bytes.length, 8, (off) => base + off);
  assert.deepEqual(
    fdes.map((f) => [f.off, f.start, f.startAt, f.rangeAt]),
    [
      [20, 0x5000, 28, 32],
      [40, 0x4000, 48, 52],
    ],
  );
  const hdrAddr = 0x800;
  const hdr = ehFrameHdr(fdes, base, hdrAddr);
  const dv = new DataView(hdr.buffer);
  assert.deepEqual([...hdr.subarray(0, 4)], [1, 0x1b, 0x03, 0x3b]);
  assert.equal(dv.getInt32(4, true), base - (hdrAddr + 4));
  assert.equal(dv.getUint32(8, true), 2);
  // Sorted by first address: the second FDE first.
  assert.deepEqual([dv.getInt32(12, true), dv.getInt32(16, true), dv.getInt32(20, true), dv.getInt32(24, true)], [0x4000 - hdrAddr, base + 40 - hdrAddr, 0x5000 - hdrAddr, base + 20 - hdrAddr]);
});

test('records the unwinder could not read are errors at their offsets', () => {
  const read = (bytes: number[]) => () => frameDescriptions(Uint8Array.from(bytes), 0, bytes.length, 8, () => 0);
  const at = (n: number, m: RegExp) => (e: unknown) => e instanceof EhFrameError && e.at === n && m.test(e.message);
  assert.throws(read([...u32(0xffffffff), ...u32(0)]), at(0, /64-bit/));
  assert.throws(read([...u32(40), ...u32(0)]), at(0, /runs past the end/));
  // An FDE pointing back at no CIE.
  assert.throws(read([...u32(8), ...u32(4), ...u32(0)]), at(0, /CIE is not before it/));
  // CIE version 2 and an augmentation without 'z'.
  assert.throws(read([...u32(8), ...u32(0), 2, 0, 1, 0x78]), at(8, /CIE version 2/));
  assert.throws(read([...u32(12), ...u32(0), 1, 0x52, 0, 1, 0x78, 16, 0, 0]), /augmentation "R" without its data length/);
  // A pointer encoding that is neither absolute nor pc-relative (datarel).
  const cie = [...CIE];
  cie[16] = 0x3b;
  assert.throws(read([...cie, ...fde(20, 0, 0)]), /not absolute or pc-relative/);
});
