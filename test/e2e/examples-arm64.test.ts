// The examples on linux/arm64, built by asmlink and run under qemu-aarch64
// with the Debian arm64 C library (libc6-arm64-cross, /usr/aarch64-linux-gnu).
// External link uses the default external linker for a foreign linux target:
// aarch64-linux-gnu-gcc when installed, else the cross binutils' ld (Debian
// cannot install the cross gcc beside gcc-multilib).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which } from '../helpers.js';
import { arm64Sysroot, checkThreads, checkTidsAvoidPid, linuxPrefix, runWith } from './threads-check.js';

const dir = tempDir('asmlink-arm64-');
const hello = path.join(repoRoot, 'examples', 'hello.s');
const threads = path.join(repoRoot, 'examples', 'threads.s');

// internal and external link with the libc runtime; raw: the static clone/futex runtime (--threads raw).
type Mode = 'internal' | 'external' | 'raw';

// Each (example, mode) is built once; the tests share the executable.
const built = new Set<string>();
function build(src: string, mode: Mode): string {
  const out = path.join(dir, `${path.basename(src, '.s')}-${mode}`);
  if (built.has(out)) return out;
  const extra = mode === 'external' ? ['--linkmode', 'external'] : mode === 'raw' ? ['--threads', 'raw'] : [];
  const r = asmlink(['build', '--os', 'linux', '--arch', 'arm64', ...extra, '-o', out, src]);
  assert.equal(r.status, 0, `build failed: ${r.stderr}`);
  built.add(out);
  return out;
}

function skipWhy(mode: Mode): string | undefined {
  if (mode === 'external' && !which('aarch64-linux-gnu-gcc') && !which('aarch64-linux-gnu-ld')) return 'needs aarch64-linux-gnu-ld (Debian package binutils-aarch64-linux-gnu)';
  const p = linuxPrefix('arm64');
  return typeof p === 'string' ? p : undefined;
}

for (const mode of ['internal', 'external', 'raw'] as const) {
  const how = mode === 'raw' ? '--threads raw' : `${mode} link`;
  test(`linux/arm64 hello (${how})`, (t) => {
    const why = skipWhy(mode);
    if (why) return t.skip(why);
    const r = runWith(linuxPrefix('arm64') as string[], build(hello, mode), []);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'hello, world\n');
  });

  test(`linux/arm64 threads with N = 0, 1, 8, 500 and the default (${how})`, (t) => {
    const why = skipWhy(mode);
    if (why) return t.skip(why);
    const p = linuxPrefix('arm64') as string[];
    const exe = build(threads, mode);
    // 500 threads take about 8-11 s under qemu-aarch64 here: still run them all.
    for (const n of [0, 1, 8, 500]) {
      const r = runWith(p, exe, [String(n)]);
      assert.equal(r.status, 0, r.stderr);
      checkThreads(r.stdout, n);
    }
    const def = runWith(p, exe, []);
    assert.equal(def.status, 0, def.stderr);
    checkThreads(def.stdout, 8);
  });

  // The raw runtime has no C library minimum (clone accepts any stack): no error path to test.
  if (mode !== 'raw') test(`linux/arm64 threads: a stack below the C library minimum runs the error path (${how})`, (t) => {
    const why = skipWhy(mode);
    if (why) return t.skip(why);
    const p = linuxPrefix('arm64') as string[];
    const exe = build(threads, mode);
    // glibc's arm64 minimum is 128 KiB, so amd64's default of 64 KiB is already too small.
    for (const stack of ['1000', '65536']) {
      const r = runWith(p, exe, ['2', stack]);
      assert.equal(r.status, 1, `STACK=${stack}`);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'runtime: failed to create new OS thread (errno 22)\n');
    }
  });
}

// External link mode with LLVM's ld.lld as the system linker, which links
// aarch64 ELF on any host: a cc-style front script hands asmlink's object to
// ld.lld with the arm64 libc.so.6. There are no arm64 crt files here, so the
// entry is the runtime's own _rt0_arm64_linux (--entry), as in internal mode.
test('linux/arm64 examples, external link through ld.lld', (t) => {
  const why = skipWhy('internal');
  if (why) return t.skip(why);
  const lld = which('ld.lld') ?? which('ld.lld-14');
  if (!lld) return t.skip('needs ld.lld (Debian package lld)');
  const libc = path.join(arm64Sysroot, 'lib', 'libc.so.6');
  const front = path.join(dir, 'lld-front.sh');
  fs.writeFileSync(
    front,
    `#!/bin/sh
out=; objs=
while [ $# -gt 0 ]; do case "$1" in -o) out=$2; shift;; *.o) objs="$objs $1";; esac; shift; done
exec ${lld} -m aarch64linux --dynamic-linker /lib/ld-linux-aarch64.so.1 -e _rt0_arm64_linux -o "$out" $objs ${libc}
`,
    { mode: 0o755 },
  );
  const p = linuxPrefix('arm64') as string[];
  const exe = (ex: string): string => {
    const out = path.join(dir, `${ex}-lld`);
    const b = asmlink(['build', '--os', 'linux', '--arch', 'arm64', '--linkmode', 'external', '--extld', front, '--entry', '_rt0_arm64_linux', '-o', out, path.join(repoRoot, 'examples', `${ex}.s`)]);
    assert.equal(b.status, 0, b.stderr);
    return out;
  };
  const h = runWith(p, exe('hello'), []);
  assert.equal(h.status, 0, h.stderr);
  assert.equal(h.stdout, 'hello, world\n');
  const th = exe('threads');
  for (const n of [1, 8]) {
    const r = runWith(p, th, [String(n)]);
    assert.equal(r.status, 0, r.stderr);
    checkThreads(r.stdout, n);
  }
  const bad = runWith(p, th, ['2', '1000']);
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, 'runtime: failed to create new OS thread (errno 22)\n');
});

test('linux/arm64 threads: a bad argument prints usage and exits 2', (t) => {
  const why = skipWhy('internal');
  if (why) return t.skip(why);
  const r = runWith(linuxPrefix('arm64') as string[], build(threads, 'internal'), ['x']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'usage: threads [N [STACK]]\n');
});

test('linux/arm64 worker thread ids differ from the process id', (t) => {
  const why = skipWhy('internal');
  if (why) return t.skip(why);
  checkTidsAvoidPid(linuxPrefix('arm64') as string[], build(threads, 'internal'), 4);
});

test('asmlink run runs a linux/arm64 program under qemu and passes the status through', (t) => {
  const why = skipWhy('internal');
  if (why) return t.skip(why);
  const r = asmlink(['run', '--os', 'linux', '--arch', 'arm64', threads, '3']);
  assert.equal(r.status, 0, r.stderr);
  checkThreads(r.stdout, 3);
  assert.equal(asmlink(['run', '--os', 'linux', '--arch', 'arm64', threads, 'nope']).status, 2);
});

test('linux/arm64 executables: ELF64 AArch64, /lib/ld-linux-aarch64.so.1, libc.so.6', (t) => {
  if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
  const exe = build(threads, 'internal');
  const h = run('readelf', ['-hld', '-W', exe]);
  assert.equal(h.status, 0, h.stderr);
  assert.match(h.stdout, /Class:\s+ELF64/);
  assert.match(h.stdout, /Machine:\s+AArch64/);
  assert.match(h.stdout, /\[Requesting program interpreter: \/lib\/ld-linux-aarch64\.so\.1\]/);
  assert.match(h.stdout, /\(NEEDED\)\s+Shared library: \[libc\.so\.6\]/);
  assert.match(h.stdout, /^\s+TLS\s/m);
});

// darwin/arm64: built by asmlink (internal link with dyld info or chained
// fixups, always signed; external through ld64.lld) and run under macho-run,
// the workplace's emulated dyld + libSystem (users do not have it).
const machoRun = path.join(repoRoot, '..', 'shared', 'tools', 'macho-run', 'macho-run');
const python = ['python3', '/usr/bin/python3'].find((p) => run(p, ['-c', 'import unicorn']).status === 0);

function machoMissing(needsLd: boolean): string | undefined {
  if (!fs.existsSync(machoRun)) return 'needs macho-run (../shared/tools/macho-run)';
  if (!python) return 'needs python3-unicorn (Debian package python3-unicorn)';
  if (needsLd && !which('ld64.lld') && !which('ld64.lld-14')) return 'needs ld64.lld (Debian package lld)';
  return undefined;
}

const darwinModes: { name: string; flags: string[]; ld?: boolean }[] = [
  { name: 'internal, dyld info', flags: [] },
  { name: 'internal, chained fixups', flags: ['--fixups', 'chained'] },
  { name: 'external (ld64.lld)', flags: ['--linkmode', 'external'], ld: true },
];

for (const m of darwinModes) {
  test(`darwin/arm64 examples run under macho-run (${m.name})`, (t) => {
    const why = machoMissing(m.ld === true);
    if (why) return t.skip(why);
    const build = (ex: string): string => {
      const out = path.join(dir, `darwin-${ex}-${m.flags.join('')}`);
      const b = asmlink(['build', '--os', 'darwin', '--arch', 'arm64', ...m.flags, '-o', out, path.join(repoRoot, 'examples', `${ex}.s`)]);
      assert.equal(b.status, 0, b.stderr);
      return out;
    };
    const h = run(python!, [machoRun, build('hello')]);
    assert.equal(h.status, 0, h.stderr);
    assert.equal(h.stdout, 'hello, world\n');
    const exe = build('threads');
    for (const n of [1, 5]) {
      const r = run(python!, [machoRun, exe, String(n)]);
      assert.equal(r.status, 0, r.stderr);
      checkThreads(r.stdout, n);
    }
    const bad = run(python!, [machoRun, exe, '2', '1000']);
    assert.equal(bad.status, 1);
    assert.equal(bad.stderr, 'runtime: failed to create new OS thread (errno 22)\n');
  });
}
