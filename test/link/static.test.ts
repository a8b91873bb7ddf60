// --static (external mode): the system linker links the C library into the
// executable, which then has no program interpreter. Static archives define
// no symbol versions, so the runtime's `#GLIBC_2.3.2` imports are linked by
// their plain names. glibc on amd64 and 386, musl through musl-gcc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which } from '../helpers.js';
import { checkStackTooSmall, checkThreadCounts, linuxPrefix } from '../e2e/threads-check.js';

const dir = tempDir();
const threads = path.join(repoRoot, 'examples', 'threads.s');
const hello = path.join(repoRoot, 'examples', 'hello.s');

function programHeaders(exe: string): string[] {
  const r = run('readelf', ['-lW', exe]);
  assert.equal(r.status, 0, r.stderr);
  return [...r.stdout.matchAll(/^\s+([A-Z_]+)\s+0x/gm)].map((m) => m[1]!);
}

const cases = [
  { name: 'linux/amd64, glibc', arch: 'amd64', flags: [], needs: 'gcc' },
  { name: 'linux/386, glibc', arch: '386', flags: [], needs: 'gcc' },
  { name: 'linux/amd64, musl', arch: 'amd64', flags: ['--libc', 'musl'], needs: 'musl-gcc' },
] as const;

for (const c of cases) {
  test(`--static, ${c.name}: no interpreter, and the threads run`, (t) => {
    if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
    if (!which(c.needs)) return t.skip(`needs ${c.needs} (Debian package ${c.needs === 'gcc' ? 'gcc' : 'musl-tools'})`);
    const prefix = linuxPrefix(c.arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const exe = path.join(dir, `static-${c.arch}-${c.flags.join('')}`);
    const b = asmlink(['build', '--arch', c.arch, ...c.flags, '--linkmode', 'external', '--static', '-o', exe, threads]);
    if (b.status !== 0 && /cannot find -lc\b/.test(b.stderr)) return t.skip(`needs the static C library for ${c.arch} (Debian package ${c.arch === '386' ? 'gcc-multilib' : 'libc6-dev'})`);
    assert.equal(b.status, 0, b.stderr);
    const phdrs = programHeaders(exe);
    assert.ok(!phdrs.includes('INTERP') && !phdrs.includes('DYNAMIC'), phdrs.join(' '));
    checkThreadCounts(prefix, exe, [1, 8]);
    checkStackTooSmall(prefix, exe);
  });
}

test('--static: what cannot be static is refused, saying why', () => {
  const x = path.join(dir, 'x');
  const darwin = asmlink(['build', '--os', 'darwin', '--linkmode', 'external', '--static', '-o', x, hello]);
  assert.equal(darwin.status, 1);
  assert.match(darwin.stderr, /--static: darwin has no static C library to link/);
  // A static PIE is linked (static-pie.test.ts), but not by musl-gcc, which makes a dynamic one of it.
  if (which('musl-gcc')) {
    const pie = asmlink(['build', '--libc', 'musl', '--linkmode', 'external', '--static', '--pie', '-o', x, hello]);
    assert.equal(pie.status, 1);
    assert.match(pie.stderr, /--static --pie --libc musl: musl-gcc links no static PIE/);
    assert.ok(!fs.existsSync(x), 'no output');
  }
});
