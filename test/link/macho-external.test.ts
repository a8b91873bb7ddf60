// External linking for darwin: asmlink's MH_OBJECT plus its .tbd, linked by
// ld64.lld, loaded and run by macho-run (an emulated dyld + libSystem).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { writeMachOObject } from '../../src/formats/macho/object.js';
import { darwinExternalLink, darwinExternalLinkArgs } from '../../src/link/macho-external.js';
import { writeTbd } from '../../src/formats/macho/tbd.js';
import { machoUndefinedSymbols } from '../../src/formats/macho/read-object.js';
import { DiagnosticError } from '../../src/diag.js';
import { MACHO_RUN, run, unicornPython } from '../formats/macho/tools.js';
import { ld64, ld64Link, linkExternally } from './macho-helpers.js';
import { link } from '../../src/link/link.js';
import { fixupsAmd64, fixupsArm64 } from '../formats/macho/programs.js';
import { HELLO, helloAmd64, helloArm64 } from '../formats/macho/programs.js';

test('tbd lists exactly the imports plus dyld_stub_binder', () => {
  const t = writeTbd({ arch: 'amd64', installName: '/usr/lib/libSystem.B.dylib', symbols: ['_write', '_pthread_create'] });
  assert.match(t, /^--- !tapi-tbd\ntbd-version: +4\n/);
  assert.match(t, /targets: +\[ x86_64-macos \]/);
  assert.match(t, /install-name: +'\/usr\/lib\/libSystem\.B\.dylib'/);
  assert.match(t, /symbols: +\[ _pthread_create, _write, dyld_stub_binder \]/);
  assert.match(t, /\.\.\.\n$/);
});

test('the undefined symbols of our object are the imports', () => {
  assert.deepEqual(machoUndefinedSymbols(writeMachOObject(helloAmd64())), ['_write']);
  assert.deepEqual(machoUndefinedSymbols(writeMachOObject(helloArm64())), ['_write']);
});

test('ld64.lld argv', () => {
  const args = darwinExternalLinkArgs({ target: { os: 'darwin', arch: 'amd64' }, object: 'a.o', output: 'a', tbdPath: 'l.tbd', entry: 'main' });
  assert.deepEqual(args, ['-arch', 'x86_64', '-platform_version', 'macos', '11.0', '11.0', '-e', '_main', '-o', 'a', 'a.o', 'l.tbd']);
  const a2 = darwinExternalLinkArgs({ target: { os: 'darwin', arch: 'arm64' }, object: 'a.o', output: 'a', tbdPath: 'l.tbd', entry: 'main', macosMin: '13.1' });
  assert.deepEqual(a2.slice(0, 6), ['-arch', 'arm64', '-platform_version', 'macos', '13.1', '13.1']);
  assert.throws(() => darwinExternalLinkArgs({ target: { os: 'darwin', arch: 'amd64' }, object: 'a.o', output: 'a', tbdPath: 'l.tbd', entry: 'main', macosMin: '99' }), DiagnosticError);
  assert.throws(() => darwinExternalLinkArgs({ target: { os: 'darwin', arch: '386' }, object: 'a.o', output: 'a', tbdPath: 'l.tbd', entry: 'main' }), /cannot link i386/);
  assert.throws(
    () => darwinExternalLink({ target: { os: 'darwin', arch: 'amd64' }, object: 'a.o', output: 'a', tbdPath: 'l.tbd', entry: 'main', libraries: ['/usr/lib/libz.dylib'] }),
    /can only stub \/usr\/lib\/libSystem\.B\.dylib/,
  );
});

for (const [arch, mk] of [['amd64', helloAmd64], ['arm64', helloArm64]] as const) {
  test(`external link (${arch}): ld64.lld links our object; macho-run runs it`, (t) => {
    if (!ld64()) return t.skip('needs ld64.lld (Debian package lld)');
    // The object as `asmlink asm` writes it, notes and link index included: debug sections, which ld64.lld leaves out.
    assert.ok(Buffer.from(writeMachOObject(mk())).includes('__asmlink_link'));
    const exe = linkExternally(mk(), `ext-hello-${arch}`);
    assert.ok(existsSync(exe));
    assert.equal(readFileSync(exe).readUInt32LE(0), 0xfeedfacf);
    assert.ok(!readFileSync(exe).includes('__asmlink_'), 'no note or index in the executable');
    const py = unicornPython();
    if (!py || !existsSync(MACHO_RUN)) return t.skip('needs python3-unicorn and tools/macho-run to run the output');
    const r = run(py, [MACHO_RUN, exe]);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, HELLO);
    assert.equal(r.status, 0);
  });
}

for (const [arch, mk] of [['amd64', fixupsAmd64], ['arm64', fixupsArm64]] as const) {
  test(`external link mode through the core linker (${arch}): one MH_OBJECT, ld64.lld, macho-run`, (t) => {
    if (!ld64()) return t.skip('needs ld64.lld (Debian package lld)');
    const obj = mk();
    const res = link([obj], { target: obj.target, linkmode: 'external', entry: 'main' });
    assert.equal(res.kind, 'object');
    if (res.kind !== 'object') return;
    assert.deepEqual(machoUndefinedSymbols(res.bytes), ['_write']);
    const exe = ld64Link(obj.target, res.bytes, `core-ext-${arch}`, res.libraries);
    const py = unicornPython();
    if (!py || !existsSync(MACHO_RUN)) return t.skip('needs python3-unicorn and tools/macho-run to run the output');
    const r = run(py, [MACHO_RUN, exe]);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, HELLO);
    assert.equal(r.status, 0);
  });
}
