// Unit tests of the executable's LINKEDIT pieces: each is decoded here by an
// independent reading of the format (written from the specification, not from
// the encoder), or checked against node:crypto.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { sha256 } from '../../../src/formats/sha256.js';
import { ByteWriter } from '../../../src/formats/macho/bytes.js';
import { encodeExportTrie, decodeExportTrie } from '../../../src/formats/macho/trie.js';
import { encodeRebases, encodeBinds } from '../../../src/formats/macho/dyld-info.js';
import { encodeFunctionStarts, decodeFunctionStarts } from '../../../src/formats/macho/function-starts.js';
import { buildChainedFixups } from '../../../src/formats/macho/chained.js';
import { writeCodeSignature, codeSignatureSize } from '../../../src/formats/macho/codesign.js';
import { contentUuid } from '../../../src/formats/macho/uuid.js';
import { parseMacosVersion, formatMacosVersion } from '../../../src/formats/macho/version.js';

function uleb(b: Uint8Array, at: { p: number }): number {
  let v = 0;
  let s = 0;
  for (;;) {
    const x = b[at.p++]!;
    v += (x & 0x7f) * 2 ** s;
    s += 7;
    if (!(x & 0x80)) return v;
  }
}
function sleb(b: Uint8Array, at: { p: number }): number {
  let v = 0n;
  let s = 0n;
  let x: number;
  do {
    x = b[at.p++]!;
    v |= BigInt(x & 0x7f) << s;
    s += 7n;
  } while (x & 0x80);
  if (x & 0x40) v -= 1n << s;
  return Number(v);
}

test('sha256 agrees with node:crypto', () => {
  for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 4096, 100000]) {
    const d = new Uint8Array(randomBytes(n));
    assert.equal(Buffer.from(sha256(d)).toString('hex'), createHash('sha256').update(d).digest('hex'), `length ${n}`);
  }
});

test('export trie: known bytes for one symbol, round trip for many', () => {
  // One export: root with one edge "_main" to a terminal node (flags 0, address 0x3f50).
  const one = encodeExportTrie([{ name: '_main', address: 0x3f50, flags: 0 }]);
  const expect = [0x00, 0x01, ...Buffer.from('_main\0'), 0x09, 0x03, 0x00, 0xd0, 0x7e, 0x00];
  assert.deepEqual([...one.subarray(0, expect.length)], expect);
  assert.equal(one.length % 8, 0);
  const names = ['__mh_execute_header', '_main', '_main.main', '_main.f', '_runtime.mstart', '_runtime.m', '_a', '_ab', '_abc'];
  const ex = names.map((name, i) => ({ name, address: 0x1000 * i + 0x4321 * (i % 3), flags: 0 }));
  const back = decodeExportTrie(encodeExportTrie(ex));
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);
  assert.deepEqual([...back].sort(byName), [...ex].sort(byName));
  assert.deepEqual(decodeExportTrie(encodeExportTrie([])), []);
});

/** An independent rebase interpreter (loader.h semantics). */
function runRebases(b: Uint8Array, ptr: number): string[] {
  const out: string[] = [];
  const at = { p: 0 };
  let seg = 0;
  let off = 0;
  while (at.p < b.length) {
    const x = b[at.p++]!;
    const op = x & 0xf0;
    const imm = x & 0x0f;
    if (op === 0x00) break;
    else if (op === 0x10) assert.equal(imm, 1);
    else if (op === 0x20) {
      seg = imm;
      off = uleb(b, at);
    } else if (op === 0x30) off += uleb(b, at);
    else if (op === 0x40) off += imm * ptr;
    else if (op === 0x50) for (let i = 0; i < imm; i++, off += ptr) out.push(`${seg}:${off}`);
    else if (op === 0x60) for (let i = 0, n = uleb(b, at); i < n; i++, off += ptr) out.push(`${seg}:${off}`);
    else if (op === 0x70) {
      out.push(`${seg}:${off}`);
      off += ptr + uleb(b, at);
    } else assert.fail(`unexpected rebase opcode ${x}`);
  }
  return out;
}

test('rebase opcodes: every location once, in order', () => {
  const locs = [
    { seg: 2, off: 0 }, { seg: 2, off: 8 }, { seg: 2, off: 16 }, { seg: 2, off: 40 }, { seg: 2, off: 0x5000 },
    { seg: 3, off: 8 }, ...Array.from({ length: 40 }, (_, i) => ({ seg: 3, off: 0x100 + 8 * i })),
  ];
  const enc = encodeRebases([...locs].reverse(), 8);
  assert.deepEqual(runRebases(enc, 8), locs.map((l) => `${l.seg}:${l.off}`));
  assert.equal(enc.length % 8, 0);
  assert.equal(encodeRebases([], 8).length, 0);
});

function runBinds(b: Uint8Array, ptr: number): string[] {
  const out: string[] = [];
  const at = { p: 0 };
  let seg = 0, off = 0, ord = 0, sym = '', add = 0;
  while (at.p < b.length) {
    const x = b[at.p++]!;
    const op = x & 0xf0;
    const imm = x & 0x0f;
    if (op === 0x00) break;
    else if (op === 0x10) ord = imm;
    else if (op === 0x20) ord = uleb(b, at);
    else if (op === 0x30) ord = imm ? imm | 0xfffffff0 : 0;
    else if (op === 0x40) {
      let e = at.p;
      while (b[e] !== 0) e++;
      sym = Buffer.from(b.subarray(at.p, e)).toString();
      at.p = e + 1;
    } else if (op === 0x50) assert.equal(imm, 1);
    else if (op === 0x60) add = sleb(b, at);
    else if (op === 0x70) {
      seg = imm;
      off = uleb(b, at);
    } else if (op === 0x80) off += uleb(b, at);
    else if (op === 0x90) {
      out.push(`${seg}:${off} ${ord} ${sym}+${add}`);
      off += ptr;
    } else assert.fail(`unexpected bind opcode ${x}`);
  }
  return out;
}

test('bind opcodes: every (location, ordinal, symbol, addend)', () => {
  const binds = [
    { seg: 2, off: 0, ordinal: 1, symbol: '_write', addend: 0 },
    { seg: 2, off: 8, ordinal: 1, symbol: '_pthread_create', addend: 0 },
    { seg: 3, off: 16, ordinal: 1, symbol: '_write', addend: 16 },
    { seg: 3, off: 24, ordinal: 2, symbol: '_other', addend: -8 },
    { seg: 3, off: 0x9000, ordinal: 17, symbol: '_far', addend: 0 },
  ];
  const got = runBinds(encodeBinds(binds, 8), 8).sort();
  assert.deepEqual(got, binds.map((b) => `${b.seg}:${b.off} ${b.ordinal} ${b.symbol}+${b.addend}`).sort());
});

test('function starts: ULEB deltas from __TEXT, zero-terminated', () => {
  const enc = encodeFunctionStarts([0x4f50, 0x4f00, 0x5000, 0x4f00], 8);
  assert.deepEqual([...enc], [0x80, 0x9e, 0x01, 0x50, 0xb0, 0x01, 0x00, 0x00]);
  assert.deepEqual(decodeFunctionStarts(enc), [0x4f00, 0x4f50, 0x5000]);
});

test('chained fixups: header, starts, imports and chain entries decode per fixup-chains.h', () => {
  const segments = [
    { vmOffset: 0, vmSize: 0x100000000 }, // __PAGEZERO (offset is from the header; unused)
    { vmOffset: 0, vmSize: 0x4000 }, // __TEXT
    { vmOffset: 0x4000, vmSize: 0x4000 }, // __DATA_CONST
    { vmOffset: 0x8000, vmSize: 0x8000 }, // __DATA (two pages)
    { vmOffset: 0x10000, vmSize: 0x4000 }, // __LINKEDIT
  ];
  for (const format of [2, 6] as const) {
    const out = buildChainedFixups({
      format, segments, pageSize: 0x4000, imageBase: 0x100000000,
      fixups: [
        { kind: 'bind', seg: 2, off: 0, ordinal: 1, symbol: '_write', addend: 0 },
        { kind: 'bind', seg: 2, off: 8, ordinal: 1, symbol: '_exit', addend: 0 },
        { kind: 'rebase', seg: 3, off: 16, target: 0x100003f50 },
        { kind: 'bind', seg: 3, off: 24, ordinal: 1, symbol: '_write', addend: 16 },
        { kind: 'rebase', seg: 3, off: 0x4008, target: 0x100008000 },
      ],
    });
    const d = Buffer.from(out.data);
    assert.equal(d.readUInt32LE(0), 0);
    const startsOff = d.readUInt32LE(4), importsOff = d.readUInt32LE(8), symsOff = d.readUInt32LE(12);
    const nImports = d.readUInt32LE(16);
    assert.equal(d.readUInt32LE(20), 1); // DYLD_CHAINED_IMPORT
    assert.equal(nImports, 2);
    const names: string[] = [];
    for (let i = 0; i < nImports; i++) {
      const v = d.readUInt32LE(importsOff + 4 * i);
      assert.equal(v & 0xff, 1);
      const no = v >>> 9;
      names.push(d.toString('latin1', symsOff + no, d.indexOf(0, symsOff + no)));
    }
    assert.deepEqual(names, ['_write', '_exit']);
    assert.equal(d.readUInt32LE(startsOff), 5);
    const segInfo = [0, 1, 2, 3, 4].map((s) => d.readUInt32LE(startsOff + 4 + 4 * s));
    assert.deepEqual(segInfo.map((x) => x !== 0), [false, false, true, true, false]);
    // Walk the chains the way dyld does, from the page starts through `next`.
    const mem = new Map(out.entries.map((e) => [`${e.seg}:${e.off}`, e.value]));
    const seen: string[] = [];
    for (const s of [2, 3]) {
      const at = startsOff + segInfo[s]!;
      assert.equal(d.readUInt16LE(at + 4), 0x4000);
      assert.equal(d.readUInt16LE(at + 6), format);
      assert.equal(Number(d.readBigUInt64LE(at + 8)), segments[s]!.vmOffset);
      const pageCount = d.readUInt16LE(at + 20);
      assert.equal(d.readUInt32LE(at), 22 + 2 * pageCount);
      for (let p = 0; p < pageCount; p++) {
        const start = d.readUInt16LE(at + 22 + 2 * p);
        if (start === 0xffff) continue;
        let off = p * 0x4000 + start;
        for (;;) {
          const v = mem.get(`${s}:${off}`)!;
          assert.notEqual(v, undefined, `chain reaches ${s}:${off}`);
          const next = Number((v >> 51n) & 0xfffn);
          if (v >> 63n) {
            seen.push(`${s}:${off} bind ${names[Number(v & 0xffffffn)]}+${Number((v >> 24n) & 0xffn)}`);
          } else {
            const target = Number(v & ((1n << 36n) - 1n)) + (format === 6 ? 0x100000000 : 0);
            seen.push(`${s}:${off} rebase 0x${target.toString(16)}`);
          }
          if (!next) break;
          off += next * 4;
        }
      }
    }
    assert.deepEqual(seen, ['2:0 bind _write+0', '2:8 bind _exit+0', '3:16 rebase 0x100003f50', '3:24 bind _write+16', '3:16392 rebase 0x100008000']);
  }
});

test('chained fixups: addends beyond 8 bits move into DYLD_CHAINED_IMPORT_ADDEND', () => {
  const out = buildChainedFixups({
    format: 2, segments: [{ vmOffset: 0, vmSize: 0x1000 }], pageSize: 0x1000, imageBase: 0x100000000,
    fixups: [{ kind: 'bind', seg: 0, off: 0, ordinal: 1, symbol: '_x', addend: -8 }],
  });
  const d = Buffer.from(out.data);
  assert.equal(d.readUInt32LE(20), 2);
  assert.equal(d.readInt32LE(d.readUInt32LE(8) + 4), -8);
});

test('code signature: SuperBlob + CodeDirectory, page hashes recomputed with node:crypto', () => {
  const file = new Uint8Array(randomBytes(3 * 4096 + 100));
  const sig = writeCodeSignature(file, file.length, { identifier: 'hello', execSegBase: 0, execSegLimit: 0x4000, mainBinary: true });
  assert.equal(sig.length, codeSignatureSize(file.length, 'hello'));
  const d = Buffer.from(sig);
  assert.equal(d.readUInt32BE(0), 0xfade0cc0);
  assert.equal(d.readUInt32BE(4), sig.length);
  assert.equal(d.readUInt32BE(8), 1);
  assert.equal(d.readUInt32BE(12), 0); // CSSLOT_CODEDIRECTORY
  const cd = d.readUInt32BE(16);
  assert.equal(d.readUInt32BE(cd), 0xfade0c02);
  assert.equal(d.readUInt32BE(cd + 8), 0x20400);
  assert.equal(d.readUInt32BE(cd + 12), 0x20002);
  const hashOffset = d.readUInt32BE(cd + 16);
  const identOffset = d.readUInt32BE(cd + 20);
  assert.equal(d.toString('latin1', cd + identOffset, d.indexOf(0, cd + identOffset)), 'hello');
  assert.equal(d.readUInt32BE(cd + 24), 0);
  const slots = d.readUInt32BE(cd + 28);
  assert.equal(slots, 4);
  assert.equal(d.readUInt32BE(cd + 32), file.length);
  assert.equal(d[cd + 36], 32);
  assert.equal(d[cd + 37], 2);
  assert.equal(d[cd + 39], 12);
  assert.equal(d.readBigUInt64BE(cd + 64), 0n);
  assert.equal(d.readBigUInt64BE(cd + 72), 0x4000n);
  assert.equal(d.readBigUInt64BE(cd + 80), 1n);
  for (let i = 0; i < slots; i++) {
    const page = file.subarray(i * 4096, Math.min((i + 1) * 4096, file.length));
    const h = createHash('sha256').update(page).digest('hex');
    assert.equal(d.toString('hex', cd + hashOffset + 32 * i, cd + hashOffset + 32 * (i + 1)), h, `page ${i}`);
  }
});

test('uuid is deterministic, content-derived, RFC 4122 shaped', () => {
  const a = contentUuid(new Uint8Array([1, 2, 3]));
  assert.deepEqual(a, contentUuid(new Uint8Array([1, 2, 3])));
  assert.notDeepEqual(a, contentUuid(new Uint8Array([1, 2, 4])));
  assert.equal(a[6]! >> 4, 3);
  assert.equal(a[8]! >> 6, 2);
});

test('macOS versions', () => {
  assert.deepEqual(parseMacosVersion('11.0', 'amd64'), { value: 0x0b0000 });
  assert.deepEqual(parseMacosVersion('13.4.1', 'arm64'), { value: 0x0d0401 });
  assert.equal(formatMacosVersion(0x0a0e00), '10.14');
  assert.ok('error' in parseMacosVersion('10.15', 'arm64'));
  assert.ok('error' in parseMacosVersion('11.9', 'amd64'));
  assert.ok('error' in parseMacosVersion('12', '386'));
  assert.ok('error' in parseMacosVersion('', 'amd64'));
});

test('ULEB128 and names: the number fast paths write what the general ones do', () => {
  const values = [0, 1, 127, 128, 300, 16383, 16384, 2 ** 31 - 1, 2 ** 32, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER];
  for (const v of values) {
    const fast = new ByteWriter().uleb(v).finish();
    const general = new ByteWriter().uleb(BigInt(v)).finish();
    assert.deepEqual([...fast], [...general], `uleb ${v}`);
  }
  // ASCII names unit by unit, others through the encoder; both NUL-terminated.
  for (const s of ['_main', '', '_é·x', '_a\u{1F600}']) {
    assert.deepEqual([...new ByteWriter().cstring(s).finish()], [...new TextEncoder().encode(s), 0], `cstring ${s}`);
  }
});
