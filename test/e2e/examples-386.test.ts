// The examples on linux/386, built and run for real: internal link, and
// external link through the host `cc -m32`. The programs run natively when the
// kernel runs 32-bit programs, else under qemu-i386 (a kernel without IA-32
// emulation refuses them with ENOEXEC, as this machine's does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which } from '../helpers.js';
import { checkThreads, checkTidsAvoidPid, linuxPrefix, runWith } from './threads-check.js';

const dir = tempDir('asmlink-386-');
const hello = path.join(repoRoot, 'examples', 'hello.s');
const threads = path.join(repoRoot, 'examples', 'threads.s');

// internal and external link with the libc runtime; raw: the static clone/futex runtime (--threads raw).
type Mode = 'internal' | 'external' | 'raw';

// Each (example, mode) is built once; the tests share the executable.
const built = new Set<string>();
function build(src: string, mode: Mode): string {
  const out = path.join(dir, `${path.basename(src, '.s')}-${mode}`);
  if (built.has(out)) return out;
  const flags = mode === 'raw' ? ['--threads', 'raw'] : ['--linkmode', mode];
  const r = asmlink(['build', '--os', 'linux', '--arch', '386', ...flags, '-o', out, src]);
  assert.equal(r.status, 0, `build failed: ${r.stderr}`);
  built.add(out);
  return out;
}

/** `cc -m32` links only with the 32-bit C library development files (gcc-multilib). */
let cc32Memo: boolean | undefined;
function cc32(): boolean {
  if (cc32Memo !== undefined) return cc32Memo;
  cc32Memo = false;
  if (which('cc')) {
    const src = path.join(dir, 'probe.c');
    fs.writeFileSync(src, 'int main(void) { return 0; }\n');
    cc32Memo = run('cc', ['-m32', '-o', path.join(dir, 'probe'), src]).status === 0;
  }
  return cc32Memo;
}

for (const mode of ['internal', 'external', 'raw'] as const) {
  const how = mode === 'raw' ? '--threads raw' : `${mode} link`;
  test(`linux/386 hello (${how})`, (t) => {
    if (mode === 'external' && !cc32()) return t.skip('needs cc -m32 (Debian package gcc-multilib)');
    const p = linuxPrefix('386');
    if (typeof p === 'string') return t.skip(p);
    const r = runWith(p, build(hello, mode), []);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'hello, world\n');
  });

  test(`linux/386 threads with N = 0, 1, 8, 500 and the default (${how})`, (t) => {
    if (mode === 'external' && !cc32()) return t.skip('needs cc -m32 (Debian package gcc-multilib)');
    const p = linuxPrefix('386');
    if (typeof p === 'string') return t.skip(p);
    const exe = build(threads, mode);
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
  if (mode !== 'raw') test(`linux/386 threads: a stack below the C library minimum runs the error path (${how})`, (t) => {
    if (mode === 'external' && !cc32()) return t.skip('needs cc -m32 (Debian package gcc-multilib)');
    const p = linuxPrefix('386');
    if (typeof p === 'string') return t.skip(p);
    const r = runWith(p, build(threads, mode), ['2', '1000']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'runtime: failed to create new OS thread (errno 22)\n');
  });
}

test('linux/386 threads: a bad argument prints usage and exits 2', (t) => {
  const p = linuxPrefix('386');
  if (typeof p === 'string') return t.skip(p);
  const r = runWith(p, build(threads, 'internal'), ['x']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'usage: threads [N [STACK]]\n');
});

test('linux/386 worker thread ids differ from the process id', (t) => {
  const p = linuxPrefix('386');
  if (typeof p === 'string') return t.skip(p);
  checkTidsAvoidPid(p, build(threads, 'internal'), 4);
});

test('linux/386 --threads raw: a static executable with no interpreter', (t) => {
  if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
  const h = run('readelf', ['-ld', '-W', build(threads, 'raw')]);
  assert.equal(h.status, 0, h.stderr);
  assert.doesNotMatch(h.stdout, /INTERP|NEEDED/);
  assert.match(h.stdout, /^\s+TLS\s/m);
});

test('linux/386 executables: ELF32 i386, /lib/ld-linux.so.2, libc.so.6', (t) => {
  if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
  const exe = build(threads, 'internal');
  const h = run('readelf', ['-hld', '-W', exe]);
  assert.equal(h.status, 0, h.stderr);
  assert.match(h.stdout, /Class:\s+ELF32/);
  assert.match(h.stdout, /Machine:\s+Intel 80386/);
  assert.match(h.stdout, /\[Requesting program interpreter: \/lib\/ld-linux\.so\.2\]/);
  assert.match(h.stdout, /\(NEEDED\)\s+Shared library: \[libc\.so\.6\]/);
  assert.match(h.stdout, /^\s+TLS\s/m);
});

// darwin/386: macOS runs no 32-bit programs since 10.15 and ld64.lld cannot
// link i386 Mach-O, so the runtime and the examples are checked as objects:
// they assemble for darwin/386 and llvm-objdump reads them, with g in the TSD
// slot 0x18(GS) and libSystem calls as GENERIC_RELOC_VANILLA relocations.
test('darwin/386 runtime and examples assemble to Mach-O i386 objects that llvm-objdump reads', (t) => {
  if (!which('llvm-objdump')) return t.skip('needs llvm-objdump (Debian package llvm)');
  const runtimeDir = path.join(repoRoot, 'runtime');
  const files = [
    ...['runtime_386.s'].map((f) => path.join(runtimeDir, 'common', f)),
    ...fs.readdirSync(path.join(runtimeDir, 'libc')).filter((f) => /^(?:[a-z]+_386|[a-z]+_darwin_386)\.s$/.test(f)).map((f) => path.join(runtimeDir, 'libc', f)),
    hello,
    threads,
  ];
  assert.ok(files.some((f) => f.endsWith('zlibc_darwin_386.s')), 'the darwin/386 libc trampolines exist');
  let disasm = '';
  for (const f of files) {
    const out = path.join(dir, `darwin-${path.basename(f, '.s')}.o`);
    const a = asmlink(['asm', '--os', 'darwin', '--arch', '386', '-I', path.join(runtimeDir, 'include'), '-o', out, f]);
    assert.equal(a.status, 0, `${f}: ${a.stderr}`);
    const d = run('llvm-objdump', ['-d', '-r', out]);
    assert.equal(d.status, 0, d.stderr);
    assert.match(d.stdout, /file format mach-o 32-bit i386/);
    assert.doesNotMatch(d.stderr, /warning|error/i);
    disasm += d.stdout;
  }
  assert.match(disasm, /<_runtime\.mstart_stub>:/);
  assert.match(disasm, /movl\s+%eax, %gs:24/);
  assert.match(disasm, /GENERIC_RELOC_VANILLA\s+_pthread_create\b/);
});
