// Mach-O objects read back: what writeMachOObject wrote comes back as the
// same symbols, contents and relocations (in Go's addend convention), the
// imports included; and a read-back object links and runs like the original.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeMachOObject } from '../../../src/formats/macho/object.js';
import { readMachOObject } from '../../../src/formats/macho/read-object.js';
import { link } from '../../../src/link/link.js';
import { DiagnosticError } from '../../../src/diag.js';
import type { ObjectFile } from '../../../src/obj/symbol.js';
import { HELLO, fixupsAmd64, fixupsArm64, helloAmd64, helloArm64, helloI386 } from './programs.js';
import { MACHO_RUN, runAsync, unicornPython, writeTmp } from './tools.js';

function summary(o: ObjectFile) {
  return o.symbols
    .filter((s) => s.kind !== 'undef' && s.kind !== 'dynimport')
    .map((s) => ({
      name: s.name,
      kind: s.kind === 'rodata' || s.flags.rodata ? 'rodata' : s.kind === 'noptrdata' ? 'data' : s.kind === 'noptrbss' ? 'bss' : s.kind,
      local: !!s.flags.local,
      data: Buffer.from(s.data).toString('hex'),
      relocs: s.relocs.filter((r) => r.type !== 'R_CALLIND').map((r) => `${r.off} ${r.size} ${r.type} ${r.sym} ${r.add}`),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

for (const [name, mk] of [['amd64', helloAmd64], ['arm64', helloArm64], ['386', helloI386]] as const) {
  test(`read back (${name}): symbols, contents, relocations and imports round-trip`, () => {
    const orig = mk();
    const back = readMachOObject(writeMachOObject(orig), 'x.o');
    assert.deepEqual(back.target, orig.target);
    assert.deepEqual(back.dynimports.map((d) => [d.local, d.remote, d.library]), orig.dynimports.map((d) => [d.local, d.remote, d.library]));
    const a = summary(orig);
    const b = summary(back);
    // Symbol sizes may grow by the padding to the next symbol; contents are compared up to the original length.
    for (const x of b) {
      const o = a.find((y) => y.name === x.name)!;
      assert.ok(o, `symbol ${x.name}`);
      assert.equal(x.kind, o.kind, x.name);
      assert.equal(x.local, o.local, x.name);
      assert.equal(x.data.slice(0, o.data.length), o.data, x.name);
      assert.deepEqual(x.relocs, o.relocs, x.name);
    }
    assert.equal(a.length, b.length);
  });
}

for (const [name, mk] of [['amd64', fixupsAmd64], ['arm64', fixupsArm64]] as const) {
  test(`read back (${name}): the object links internally and runs under macho-run`, async (t) => {
    const back = readMachOObject(writeMachOObject(mk()), 'fixups.o');
    const r = link([back], { target: back.target, linkmode: 'internal', entry: 'main', format: { fixups: 'chained' } });
    const exe = writeTmp(`readback-${name}`, r.bytes);
    const py = unicornPython();
    if (!py || !existsSync(MACHO_RUN)) return t.skip('needs python3-unicorn and tools/macho-run');
    const run = await runAsync(py, [MACHO_RUN, exe]);
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, HELLO);
    assert.equal(run.status, 0);
  });
}

test('malformed Mach-O objects are diagnostics', () => {
  const good = writeMachOObject(helloAmd64());
  for (const bad of [good.slice(0, 40), good.slice(0, good.length - 30), new Uint8Array([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0])]) {
    assert.throws(() => readMachOObject(bad, 'bad.o'), (e: unknown) => e instanceof DiagnosticError && /^bad\.o: malformed Mach-O object|not a relocatable object/.test(e.message));
  }
  // Every truncation is a diagnostic, never a crash.
  for (let n = 0; n < good.length; n += 7) {
    try {
      readMachOObject(good.slice(0, n), 't.o');
    } catch (e) {
      assert.ok(e instanceof DiagnosticError, `truncated at ${n}: ${String(e)}`);
    }
  }
});

test('an object asmlink wrote gives back what the symbol table cannot say: order, flags, size, file and lines', async () => {
  const { assemble } = await import('../../../src/asm/assemble.js');
  const src = '#include "textflag.h"\nTEXT ·a(SB),NOSPLIT,$8-16\n\tCALL\thelper<>(SB)\n\tRET\nTEXT helper<>(SB),NOSPLIT|NOFRAME,$0\n\tCALL\t·missing(SB)\n\tRET\nDATA ·d+0(SB)/4, $1\nGLOBL ·d(SB), RODATA, $12\n';
  for (const arch of ['amd64', 'arm64', '386'] as const) {
    const obj = assemble(src, { target: { os: 'darwin', arch }, file: 'src/x.s' });
    const back = readMachOObject(writeMachOObject(obj), 'x.o');
    const strip = (o: ObjectFile) =>
      o.symbols
        .filter((s) => s.kind !== 'undef' && s.kind !== 'dynimport')
        .map((s) => ({ name: s.name, kind: s.kind, size: s.size, align: s.align, flags: s.flags, file: s.file, line: s.line, frame: s.frameSize, args: s.argsSize, lines: s.relocs.map((r) => [r.sym, r.line]) }));
    assert.deepEqual(strip(back), strip(obj), arch);
  }
});
