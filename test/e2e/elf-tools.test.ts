// elfutils' eu-elflint, a third checker of ELF files beside readelf and
// objdump (and the stricter one: it checks section sizes against their entry
// sizes, segment contents, symbol bindings, ...), on what asmlink writes for
// linux: objects from `asm` (with and without -g), executables of the
// internal link for every architecture (libc and raw runtimes, with and
// without -g), and the object external mode hands to the system linker.
// Then binutils' strip and objcopy rewrite executables, which must still
// run and still pass; and external mode's object, linked by GNU ld, gold and
// lld, must run. (mold 1.10 mislinks its versioned references, as it does
// GNU as's: see the README.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which } from '../helpers.js';

const threads = path.join(repoRoot, 'examples', 'threads.s');
const hello = path.join(repoRoot, 'examples', 'hello.s');

/**
 * eu-elflint's complaint about a writable PT_LOAD that holds only .bss
 * (file size 0): it counts no NOBITS section as inside such a segment. GNU
 * ld's output for a program whose only writable data is .bss gets the same
 * (and one more), so it is not asmlink's to fix; only the raw runtime,
 * which has no .dynamic or GOT, makes such a segment.
 */
const BSS_ONLY_SEGMENT = /^loadable segment \[\d+\] is writable but contains no writable sections$/;

function lint(file: string, allowed: RegExp[] = []): void {
  const r = run('eu-elflint', ['--gnu-ld', file]);
  const complaints = `${r.stdout}${r.stderr}`
    .split('\n')
    .filter((l) => l !== '' && l !== 'No errors' && !allowed.some((a) => a.test(l)));
  assert.deepEqual(complaints, [], `eu-elflint --gnu-ld ${path.basename(file)}`);
  assert.ok(r.status === 0 || allowed.length > 0, `eu-elflint exited ${r.status}`);
}

for (const arch of ['amd64', '386', 'arm64'] as const) {
  test(`eu-elflint finds nothing wrong in linux/${arch} objects and executables`, (t) => {
    if (!which('eu-elflint')) return t.skip('needs eu-elflint (Debian package elfutils)');
    const dir = tempDir();
    const target = ['--os', 'linux', '--arch', arch];
    const build = (name: string, args: string[]): string => {
      const out = path.join(dir, name);
      const r = asmlink([...args, '-o', out]);
      assert.equal(r.status, 0, r.stderr);
      return out;
    };
    lint(build('threads.o', ['asm', ...target, threads]));
    lint(build('threads-g.o', ['asm', ...target, '-g', threads]));
    lint(build('threads', ['build', ...target, threads]));
    lint(build('threads-g', ['build', ...target, '-g', threads]));
    lint(build('hello', ['build', ...target, hello]));
    lint(build('threads-musl-rpath', ['build', ...target, '--libc', 'musl', '--rpath', '$ORIGIN/lib', threads]));
    if (arch !== '386') lint(build('threads-pie', ['build', ...target, '--pie', threads]));
    lint(build('threads-raw', ['build', ...target, '--threads', 'raw', threads]), [BSS_ONLY_SEGMENT]);
    // External mode's object, kept, and what the system linker made of it.
    const kept = path.join(dir, 'external.o');
    lint(build('external', ['build', ...target, '--linkmode', 'external', '--keep-object', kept, threads]));
    lint(kept);
  });
}

test('strip and objcopy --strip-debug leave linux/amd64 executables that run as before and that eu-elflint still passes', (t) => {
  if (!which('strip') || !which('objcopy')) return t.skip('needs strip and objcopy (Debian package binutils)');
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('runs linux/amd64 executables: needs a linux/amd64 host');
  const dir = tempDir();
  const target = ['--os', 'linux', '--arch', 'amd64'];
  for (const [name, args, allowed] of [
    ['libc', [], []],
    ['debug', ['-g'], []],
    ['raw', ['--threads', 'raw'], [BSS_ONLY_SEGMENT]],
  ] as const) {
    const exe = path.join(dir, name);
    const b = asmlink(['build', ...target, ...args, '-o', exe, threads]);
    assert.equal(b.status, 0, b.stderr);
    const want = run(exe, ['3']);
    assert.equal(want.status, 0, want.stderr);
    assert.match(want.stdout, /^total=\d+$/m);
    for (const [tool, toolArgs] of [
      ['strip', []],
      ['objcopy', ['--strip-debug']],
    ] as const) {
      const out = `${exe}-${tool}`;
      const s = run(tool, tool === 'strip' ? [...toolArgs, exe, '-o', out] : [...toolArgs, exe, out]);
      assert.equal(s.status, 0, `${tool} ${name}: ${s.stderr}`);
      assert.equal(s.stderr, '', `${tool} ${name} warnings`);
      const got = run(out, ['3']);
      assert.equal(got.status, 0, `${tool} ${name}: ${got.stderr}`);
      // The thread ids differ from run to run; the sums and the total do not.
      const sums = (s: string) => s.replace(/ tid=\d+/g, '');
      assert.equal(sums(got.stdout), sums(want.stdout), `${tool} ${name}`);
      if (which('eu-elflint')) lint(out, [...allowed]);
    }
  }
});

for (const linker of ['bfd', 'gold', 'lld'] as const) {
  test(`external mode's linux/amd64 object linked by cc -fuse-ld=${linker} runs the threads example`, (t) => {
    if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('runs linux/amd64 executables: needs a linux/amd64 host');
    const tool = { bfd: 'ld.bfd', gold: 'ld.gold', lld: 'ld.lld' }[linker];
    if (!which('cc') || !which(tool)) return t.skip(`needs cc and ${tool} (Debian packages gcc, binutils, lld)`);
    const dir = tempDir();
    const exe = path.join(dir, 'threads');
    // The system linker runs through --extld, a script that adds -fuse-ld.
    const extld = path.join(dir, 'cc-with');
    fs.writeFileSync(extld, `#!/bin/sh\nexec cc -fuse-ld=${linker} "$@"\n`, { mode: 0o755 });
    const b = asmlink(['build', '--os', 'linux', '--arch', 'amd64', '--linkmode', 'external', '--extld', extld, '-o', exe, threads]);
    assert.equal(b.status, 0, b.stderr);
    const r = run(exe, ['4']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^thread 3: sum=3499999500000 tid=\d+\ntotal=7999998000000\n$/m);
  });
}
