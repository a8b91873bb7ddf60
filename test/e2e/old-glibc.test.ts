// Programs asmlink links run on a glibc from before 2.34 (Debian 11, Ubuntu
// 20.04, RHEL 8), where pthread_create and its kin were in libpthread.so.0 and
// libc.so.6 had no pthread_create (and no gettid before 2.30). Debian 11's C
// library (glibc 2.31), fetched by tools/fetch-old-glibc.mjs into
// .cache/glibc-2.31, runs each program through its own loader
// (`ld-2.31.so --library-path DIR PROGRAM`), so the program's symbols and
// versions are resolved against 2.31's libraries exactly as on such a system.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which } from '../helpers.js';
import { checkStackTooSmall, checkThreadCounts, oldGlibcRunner, runWith, type LinuxArch } from './threads-check.js';

const dir = tempDir('asmlink-old-glibc-');
const threads = path.join(repoRoot, 'examples', 'threads.s');
const hello = path.join(repoRoot, 'examples', 'hello.s');
for (const arch of ['amd64', '386', 'arm64'] as LinuxArch[]) {
  test(`linux/${arch}: the threads example and hello run on glibc 2.31 (pthread in libpthread.so.0)`, (t) => {
    const prefix = oldGlibcRunner(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const exe = path.join(dir, `threads-${arch}`);
    const b = asmlink(['build', '--arch', arch, '-o', exe, threads]);
    assert.equal(b.status, 0, b.stderr);
    checkThreadCounts(prefix, exe, [0, 1, 8, 100]);
    checkStackTooSmall(prefix, exe);
    const h = path.join(dir, `hello-${arch}`);
    assert.equal(asmlink(['build', '--arch', arch, '-o', h, hello]).status, 0);
    assert.equal(runWith(prefix, h, []).stdout, 'hello, world\n');
  });
}

test('linux/amd64: libpthread.so.0 comes before libc.so.6, so 2.31 binds pthread_create there, as a cc -pthread program does; PIE runs too', (t) => {
  if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
  const prefix = oldGlibcRunner('amd64');
  if (typeof prefix === 'string') return t.skip(prefix);
  const exe = path.join(dir, 'threads-bindings');
  assert.equal(asmlink(['build', '-o', exe, threads]).status, 0);
  const d = run('readelf', ['-dW', exe]);
  assert.deepEqual([...d.stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]), ['libpthread.so.0', 'libc.so.6']);
  // The prefix is 2.31's loader, run natively: it reads LD_DEBUG itself.
  const r = run(prefix[0]!, [...prefix.slice(1), exe, '1'], { env: { ...process.env, LD_DEBUG: 'bindings' } });
  assert.equal(r.status, 0, r.stderr);
  const boundIn = (sym: string) => new RegExp(`binding file ${exe.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\[0\\] to (\\S+) \\[0\\]: normal symbol \`${sym}'`).exec(r.stderr)?.[1];
  assert.equal(path.basename(boundIn('pthread_create') ?? ''), 'libpthread.so.0', r.stderr.slice(0, 2000));
  assert.equal(path.basename(boundIn('syscall') ?? ''), 'libc.so.6');
  const pie = path.join(dir, 'threads-pie');
  assert.equal(asmlink(['build', '--pie', '-o', pie, threads]).status, 0);
  checkThreadCounts(prefix, pie, [8]);
});
