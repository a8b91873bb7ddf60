// Deterministic sweeps of the object reader: every truncation of real
// objects, every section header and symbol given a huge size or offset, and a
// 200-byte file claiming a 2 GiB section. Each must be a diagnostic (or, for a
// harmless field, an accepted object), never an exception or an allocation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outcome } from './harness.js';
import { ALL_TARGETS, corpus, LINUX_TARGETS } from './obj-gen.js';
import { readAny, readElf, readFor } from './targets.js';

interface Hdr {
  is64: boolean;
  shoff: number;
  shnum: number;
}

function header(b: Uint8Array): Hdr {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const is64 = b[4] === 2;
  return { is64, shoff: is64 ? Number(dv.getBigUint64(40, true)) : dv.getUint32(32, true), shnum: dv.getUint16(is64 ? 60 : 48, true) };
}

for (const target of ALL_TARGETS) {
  test(`object reader: every truncation of ${target.os}/${target.arch} objects`, () => {
    const c = corpus(target);
    const read = readFor(target.os);
    // hello.o and the largest runtime object.
    const picks = [c.bytes[0]!, [...c.bytes].sort((a, b) => b.bytes.length - a.bytes.length)[0]!];
    for (const o of picks) {
      assert.ok(outcome(() => read(o.bytes)).ok, `${o.name} whole must read`);
      for (let len = 0; len < o.bytes.length; len++) {
        const r = outcome(() => read(o.bytes.subarray(0, len)), `${o.name} truncated to ${len}`);
        // ELF section headers and the Mach-O string table are at the end, so no truncation leaves a complete object.
        if (target.os === 'linux') assert.equal(r.ok, false, `${o.name} truncated to ${len} bytes was accepted`);
      }
    }
  });
}

for (const target of LINUX_TARGETS) {
  test(`object reader: huge sizes and offsets in every section header, linux/${target.arch}`, () => {
    const o = corpus(target).bytes[0]!;
    const h = header(o.bytes);
    const shsize = h.is64 ? 64 : 40;
    // sh_offset and sh_size fields, and the symbol table's entries' st_size.
    const fields = h.is64 ? [{ at: 24, w: 8 }, { at: 32, w: 8 }, { at: 48, w: 8 }, { at: 56, w: 8 }] : [{ at: 16, w: 4 }, { at: 20, w: 4 }, { at: 32, w: 4 }, { at: 36, w: 4 }];
    const values = [0x80000000n, 0xffffffffn, 0x7fffffffffffffffn, 0xffffffffffffffffn, 0x100000000n];
    for (let i = 0; i < h.shnum; i++) {
      for (const f of fields) {
        for (const v of values) {
          if (f.w === 4 && v > 0xffffffffn) continue;
          const b = o.bytes.slice();
          const dv = new DataView(b.buffer);
          const at = h.shoff + i * shsize + f.at;
          if (f.w === 8) dv.setBigUint64(at, v, true);
          else dv.setUint32(at, Number(v), true);
          outcome(() => readElf(b), `section ${i} field +${f.at} = 0x${v.toString(16)}`);
        }
      }
    }
  });
}

test('object reader: a 200-byte file that claims a 2 GiB section is a diagnostic', () => {
  for (const is64 of [true, false]) {
    const b = new Uint8Array(200);
    const dv = new DataView(b.buffer);
    b.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, 1, 1]);
    dv.setUint16(16, 1, true); // ET_REL
    dv.setUint16(18, is64 ? 62 : 3, true);
    const shoff = is64 ? 64 : 52;
    const shsize = is64 ? 64 : 40;
    if (is64) {
      dv.setBigUint64(40, BigInt(shoff), true);
      dv.setUint16(58, shsize, true);
      dv.setUint16(60, 2, true);
      dv.setUint16(62, 1, true);
      // Section 1: a string table at offset 0 claiming 2 GiB.
      dv.setUint32(shoff + shsize + 4, 3, true);
      dv.setBigUint64(shoff + shsize + 32, 0x80000000n, true);
    } else {
      dv.setUint32(32, shoff, true);
      dv.setUint16(46, shsize, true);
      dv.setUint16(48, 2, true);
      dv.setUint16(50, 1, true);
      dv.setUint32(shoff + shsize + 4, 3, true);
      dv.setUint32(shoff + shsize + 20, 0x80000000, true);
    }
    const r = outcome(() => readElf(b), `${is64 ? 64 : 32}-bit 2 GiB section`);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error.message, /past the end of the file/);
    // A NOBITS section may be that large: it has no file contents, and reading allocates nothing for it.
    new DataView(b.buffer).setUint32(shoff + shsize + 4, 8, true);
    outcome(() => readElf(b), 'NOBITS 2 GiB');
  }
});

test('object reader: readObject recognises ELF and Mach-O; other files are diagnostics', () => {
  for (const t of ALL_TARGETS) {
    const o = corpus(t).bytes[0]!;
    const r = outcome(() => readAny(o.bytes));
    assert.ok(r.ok, `${t.os}/${t.arch} ${o.name}: ${r.ok ? '' : r.error.message}`);
    if (r.ok) assert.deepEqual(r.value.target, t);
  }
  for (const junk of [new Uint8Array(0), new Uint8Array([0x7f]), new TextEncoder().encode('TEXT ·main(SB),$0\n'), new Uint8Array(100).fill(0xff)]) {
    assert.equal(outcome(() => readAny(junk)).ok, false);
  }
});
