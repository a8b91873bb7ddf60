// Internal linking for linux/386 (run natively with the i386 C library) and
// linux/arm64 (run under qemu-aarch64 with the arm64 C library), external
// objects for both read by the GNU tools.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { link } from '../../src/link/index.js';
import { checkSegments, have, run, tmp } from './helpers.js';
import { MSG, arm64Program, i386Program } from './programs.js';

function layoutOk(exe: string, t: { skip(m: string): void }, interp: string, reloc: RegExp[]): boolean {
  if (!have('readelf')) {
    t.skip('needs readelf (Debian package binutils)');
    return false;
  }
  const r = run('readelf', ['-aW', exe]);
  assert.equal(r.stderr, '', 'readelf warnings');
  assert.ok(r.stdout.includes(`[Requesting program interpreter: ${interp}]`));
  for (const re of reloc) assert.match(r.stdout, re);
  assert.deepEqual(checkSegments(r.stdout), []);
  return true;
}

test('linux/386: PLT call, TLS through %gs, data pointer to an import', (t) => {
  const r = link([i386Program()], { target: { os: 'linux', arch: '386' }, linkmode: 'internal', entry: '_rt0_386_linux' });
  const exe = tmp('prog386', r.bytes, true);
  if (!layoutOk(exe, t, '/lib/ld-linux.so.2', [/R_386_JUMP_SLOT\s+0+\s+write/, /R_386_32\s+0+\s+exit/])) return;
  if (!existsSync('/lib/ld-linux.so.2')) return t.skip('needs the i386 C library (Debian package libc6-i386)');
  // Kernels without IA-32 emulation refuse i386 executables (ENOEXEC); qemu-i386 runs them anywhere.
  const x = have('qemu-i386') ? run('qemu-i386', [exe]) : run(exe);
  if (x.error || x.status === 126) return t.skip('needs qemu-i386 (Debian package qemu-user) or a kernel that runs i386 executables');
  assert.equal(x.stdout, MSG);
  assert.equal(x.status, 42, x.stderr);
});

test('linux/arm64: PLT call, GOT loads, ADRP+ADD rewrite, TLS, data pointer to an import', (t) => {
  const r = link([arm64Program()], { target: { os: 'linux', arch: 'arm64' }, linkmode: 'internal', entry: '_rt0_arm64_linux' });
  const exe = tmp('proga64', r.bytes, true);
  if (!layoutOk(exe, t, '/lib/ld-linux-aarch64.so.1', [/R_AARCH64_JUMP_SLOT\s+0+ write/, /R_AARCH64_GLOB_DAT\s+0+ exit/, /R_AARCH64_ABS64\s+0+ exit/])) return;
  if (have('aarch64-linux-gnu-objdump')) {
    const od = run('aarch64-linux-gnu-objdump', ['-d', exe]);
    assert.equal(od.stderr, '');
    assert.match(od.stdout, /<_rt0_arm64_linux>/);
  }
  if (!have('qemu-aarch64') || !existsSync('/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1'))
    return t.skip('needs qemu-aarch64 and the arm64 C library (Debian packages qemu-user, libc6-arm64-cross)');
  const x = run('qemu-aarch64', ['-L', '/usr/aarch64-linux-gnu', exe]);
  assert.equal(x.stdout, MSG);
  assert.equal(x.status, 42, x.stderr);
});

test('external objects for 386 and arm64 link with GNU ld -r', (t) => {
  const a = link([i386Program()], { target: { os: 'linux', arch: '386' }, linkmode: 'external', entry: '_rt0_386_linux' });
  const b = link([arm64Program()], { target: { os: 'linux', arch: 'arm64' }, linkmode: 'external', entry: '_rt0_arm64_linux' });
  if (!have('ld')) return t.skip('needs ld (Debian package binutils)');
  const pa = tmp('ext386.o', a.bytes);
  const la = run('ld', ['-r', '-m', 'elf_i386', '-o', pa + '.r', pa]);
  assert.equal(la.stderr, '');
  assert.equal(la.status, 0);
  if (!have('aarch64-linux-gnu-ld')) return t.skip('needs aarch64-linux-gnu-ld (Debian package binutils-aarch64-linux-gnu)');
  const pb = tmp('exta64.o', b.bytes);
  const lb = run('aarch64-linux-gnu-ld', ['-r', '-o', pb + '.r', pb]);
  assert.equal(lb.stderr, '');
  assert.equal(lb.status, 0);
  const re = run('readelf', ['-rW', pb]);
  // ADRP+ADD of the import became a GOT load.
  assert.equal(re.stdout.match(/R_AARCH64_ADR_GOT_PAGE\s+0+ exit/g)?.length, 2);
});

test('external objects for 386 and arm64, linked by the GNU linkers, run', (t) => {
  const a = link([i386Program()], { target: { os: 'linux', arch: '386' }, linkmode: 'external', entry: '_rt0_386_linux' });
  const b = link([arm64Program()], { target: { os: 'linux', arch: 'arm64' }, linkmode: 'external', entry: '_rt0_arm64_linux' });
  if (!have('gcc') || !have('qemu-i386') || !existsSync('/lib/ld-linux.so.2')) return t.skip('needs gcc -m32, qemu-i386 and libc6-i386 (Debian packages gcc-multilib, qemu-user, libc6-i386)');
  const pa = tmp('run386.o', a.bytes);
  const la = run('gcc', ['-m32', '-no-pie', '-nostartfiles', '-Wl,-e,_rt0_386_linux', '-o', pa + '.exe', pa]);
  assert.equal(la.status, 0, la.stderr);
  const xa = run('qemu-i386', [pa + '.exe']);
  assert.equal(xa.stdout, MSG);
  assert.equal(xa.status, 42);
  if (!have('aarch64-linux-gnu-ld') || !have('qemu-aarch64') || !existsSync('/usr/aarch64-linux-gnu/lib/libc.so.6'))
    return t.skip('needs aarch64-linux-gnu-ld, qemu-aarch64 and libc6-arm64-cross');
  const pb = tmp('runa64.o', b.bytes);
  const lb = run('aarch64-linux-gnu-ld', ['-o', pb + '.exe', '-e', '_rt0_arm64_linux', '-dynamic-linker', '/lib/ld-linux-aarch64.so.1', pb, '-L/usr/aarch64-linux-gnu/lib', '-l:libc.so.6']);
  assert.equal(lb.status, 0, lb.stderr);
  const xb = run('qemu-aarch64', ['-L', '/usr/aarch64-linux-gnu', pb + '.exe']);
  assert.equal(xb.stdout, MSG);
  assert.equal(xb.status, 42);
});
