// Internal linking, end to end: link hand-built objects, run the executables,
// and check their layout with readelf/objdump/ldd (independent tools).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link } from '../../src/link/index.js';
import { checkSegments, have, imp, run, tmp } from './helpers.js';
import { MSG, libcProgram, staticProgram, tdataProgram } from './programs.js';

const target = { os: 'linux', arch: 'amd64' } as const;
const native = process.platform === 'linux' && process.arch === 'x64';

function linkExe(objs: Parameters<typeof link>[0], name: string): string {
  const r = link(objs, { target, linkmode: 'internal', entry: '_rt0_amd64_linux' });
  assert.equal(r.kind, 'executable');
  return tmp(name, r.bytes, true);
}

test('a program calling libc through imports runs (PLT, GOT, LEAQ rewrite, data reloc, TLS)', (t) => {
  if (!native) return t.skip('needs linux/amd64');
  const exe = linkExe([libcProgram()], 'libc-prog');
  const r = run(exe);
  assert.equal(r.stdout, MSG);
  assert.equal(r.status, 42, r.stderr);
});

test('a program without imports is static and runs', (t) => {
  if (!native) return t.skip('needs linux/amd64');
  const exe = linkExe([staticProgram()], 'static-prog');
  const r = run(exe);
  assert.equal(r.stdout, MSG);
  assert.equal(r.status, 3);
  if (!have('readelf')) return t.skip('needs readelf (Debian package binutils)');
  const l = run('readelf', ['-aW', exe]);
  assert.equal(l.stderr, '', 'readelf -a warnings');
  assert.doesNotMatch(l.stdout, /INTERP|DYNAMIC/);
  assert.match(l.stdout, /There is no dynamic section/);
  // Dead data (an unreferenced bss symbol) is not emitted.
  assert.doesNotMatch(l.stdout, /\.bss|zeros/);
});

test('each library is needed once, in order of first mention with the C library last (as cc orders -lc); library-only imports count', (t) => {
  if (!native) return t.skip('needs linux/amd64');
  const o = libcProgram();
  o.dynimports.push(imp('libm_cos', 'cos', 'libm.so.6'), imp('_', '_', 'libdl.so.2'), imp('libm_sin', 'sin', 'libm.so.6'));
  const exe = linkExe([o], 'libs-prog');
  const r = run(exe);
  assert.equal(r.status, 42, r.stderr);
  if (!have('readelf')) return t.skip('needs readelf (Debian package binutils)');
  const d = run('readelf', ['-dW', exe]);
  assert.deepEqual([...d.stdout.matchAll(/Shared library: \[(.*?)\]/g)].map((m) => m[1]), ['libm.so.6', 'libdl.so.2', 'libc.so.6']);
  // Unused imports get no dynamic symbol.
  const s = run('readelf', ['--dyn-syms', '-W', exe]);
  assert.doesNotMatch(s.stdout, /\bcos\b|\bsin\b/);
  if (have('ldd')) {
    const l = run('ldd', [exe]);
    assert.doesNotMatch(l.stdout, /not found/);
    assert.match(l.stdout, /libm\.so\.6 => \//);
  }
});

test('output is deterministic', () => {
  const a = link([libcProgram()], { target, linkmode: 'internal', entry: '_rt0_amd64_linux' });
  const b = link([libcProgram()], { target, linkmode: 'internal', entry: '_rt0_amd64_linux' });
  assert.deepEqual(a.bytes, b.bytes);
});

test('readelf and objdump accept the executable and see the expected layout', (t) => {
  if (!have('readelf') || !have('objdump')) return t.skip('needs readelf and objdump (Debian package binutils)');
  const exe = linkExe([libcProgram()], 'libc-layout');
  const ra = run('readelf', ['-aW', exe]);
  assert.equal(ra.status, 0);
  assert.equal(ra.stderr, '', 'readelf -a warnings');
  const out = ra.stdout;
  assert.match(out, /Requesting program interpreter: \/lib64\/ld-linux-x86-64\.so\.2/);
  assert.match(out, /\(NEEDED\)\s+Shared library: \[libc\.so\.6\]/);
  assert.equal(out.match(/\(NEEDED\)/g)?.length, 1, 'one DT_NEEDED per library');
  // The PLT is not lazy, so the loader must bind every slot first.
  assert.match(out, /\(FLAGS\)\s+BIND_NOW/);
  assert.match(out, /\(FLAGS_1\)\s+Flags: NOW/);
  assert.match(out, /R_X86_64_JUMP_SLO/);
  assert.match(out, /R_X86_64_GLOB_DAT/);
  assert.match(out, /R_X86_64_64\s/);
  assert.match(out, /GNU_RELRO/);
  assert.match(out, /\bTLS\b/);
  // No segment both writable and executable; the stack is not executable; RELRO is mapped.
  assert.deepEqual(checkSegments(out), []);
  assert.match(out, /GNU_STACK/);
  // Dead code is not emitted.
  assert.doesNotMatch(out, /\bunused\b/);
  assert.match(out, /_rt0_amd64_linux/);
  const od = run('objdump', ['-d', exe]);
  assert.equal(od.status, 0);
  assert.equal(od.stderr, '', 'objdump -d warnings');
  // objdump recognises the 8-byte non-lazy PLT entries and names them.
  assert.match(od.stdout, /<write@plt>:\n\s+[0-9a-f]+:\s+ff 25 /);
  assert.match(od.stdout, /call\s+[0-9a-f]+ <write@plt>/);
  if (have('ldd') && native) {
    const l = run('ldd', [exe]);
    assert.equal(l.status, 0);
    assert.doesNotMatch(l.stdout, /not found/);
    assert.match(l.stdout, /libc\.so\.6 => \//);
  }
});

test('LinkOptions.keep roots symbols the entry does not reach', (t) => {
  const o = libcProgram();
  // `unused` calls an undefined function: keeping it makes that an error...
  assert.throws(() => link([o], { target, linkmode: 'internal', entry: '_rt0_amd64_linux', keep: ['unused'] }), /undefined: nowhere/);
  // ...and keeping a symbol with no references just emits it.
  o.symbols.push({ ...o.symbols[4], name: 'kept', relocs: [], data: new Uint8Array([0xc3]), size: 1 });
  const r = link([o], { target, linkmode: 'internal', entry: '_rt0_amd64_linux', keep: ['kept'] });
  if (!have('readelf')) return t.skip('needs readelf (Debian package binutils)');
  const s = run('readelf', ['-sW', tmp('kept', r.bytes)]);
  assert.match(s.stdout, /FUNC\s+GLOBAL\s+DEFAULT\s+\d+ kept/);
  assert.doesNotMatch(s.stdout, /\bunused\b/);
});

test('gdb sees the function names', (t) => {
  if (!have('gdb')) return t.skip('needs gdb (Debian package gdb)');
  const exe = linkExe([libcProgram()], 'gdb-prog');
  const r = run('gdb', ['-batch', '-nx', '-ex', 'info functions _rt0', '-ex', 'info variables exitptr', exe]);
  assert.match(r.stdout, /0x[0-9a-f]+\s+_rt0_amd64_linux/);
  assert.match(r.stdout, /0x[0-9a-f]+\s+exitptr/);
});

test('initialized TLS (.tdata) with alignment, and a GOT slot for a defined symbol', (t) => {
  // Keep `a` (unreferenced) so that `b` sits at offset 16 of a 24-byte block.
  const r0 = link([tdataProgram()], { target, linkmode: 'internal', entry: '_rt0_amd64_linux', keep: ['a'] });
  const exe = tmp('tdata-prog', r0.bytes, true);
  if (have('readelf')) {
    const r = run('readelf', ['-aW', exe]);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /\.tdata\s+PROGBITS/);
    assert.match(r.stdout, /TLS\s+0x[0-9a-f]+ 0x[0-9a-f]+ 0x[0-9a-f]+ 0x000018 0x000018 R\s+0x10/);
    // The GOT slot of a defined symbol needs no dynamic relocation.
    assert.doesNotMatch(r.stdout, /GLOB_DAT/);
  }
  if (!native) return t.skip('needs linux/amd64');
  const x = run(exe);
  assert.equal(x.status, 45, x.stderr);
});
