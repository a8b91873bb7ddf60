// `--static`, internally: the runtime's imports, and the C objects'
// references, bind to the C library's static archive (libc.a), whose
// members the program needs are linked in; the executable has no
// interpreter and no dynamic section, and runs where no C library is
// installed. glibc's (with crt1.o as the entry, libgcc.a and libgcc_eh.a,
// and its indirect functions' R_*_IRELATIVE relocations in a table its
// start-up applies) and musl's (--libc musl), on amd64, 386 and arm64.
// The host's archives serve amd64 and 386 (libc6-dev, gcc-multilib, musl-dev)
// and arm64's glibc (libc6-dev-arm64-cross); musl's for 386 and arm64, and
// arm64 GCC's libgcc.a and libgcc_eh.a, come from
// tools/fetch-c-libraries.mjs (.cache/c-libraries, which .ci/run fills).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which, writeTemp } from '../helpers.js';
import { checkStackTooSmall, checkThreadCounts, checkTidsAvoidPid, linuxPrefix, runWith, type LinuxArch } from './threads-check.js';
import { asmCallingC } from '../link/c-programs.js';
import { buildCProgram, C_PROGRAM, C_WANT, staticArchives } from './static-inputs.js';

const dir = tempDir('asmlink-static-libc-');
const threads = path.join(repoRoot, 'examples', 'threads.s');
const hello = path.join(repoRoot, 'examples', 'hello.s');
/** Program headers and dynamic section as readelf sees them. */
function assertStatic(exe: string): void {
  const l = run('readelf', ['-lW', exe]);
  assert.equal(l.status, 0, l.stderr);
  assert.equal(l.stderr, '', 'readelf prints no warnings');
  assert.match(l.stdout, /Elf file type is EXEC/);
  assert.doesNotMatch(l.stdout, /INTERP|DYNAMIC/, 'no interpreter, no dynamic section');
  assert.match(l.stdout, /^ +TLS /m, 'the runtime\'s g and the C library\'s thread-locals');
  assert.match(l.stdout, /^ +GNU_STACK .* RW  /m, 'a stack that is not executable');
}

for (const libc of ['glibc', 'musl'] as const)
for (const arch of ['amd64', '386', 'arm64'] as LinuxArch[]) {
  test(`linux/${arch} --static --libc ${libc}: the examples and a C program link with the C library's libc.a internally, into executables with no interpreter that run`, (t) => {
    if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const dirs = staticArchives(arch, libc);
    if (typeof dirs === 'string') return t.skip(dirs);
    const flags = ['--arch', arch, '--static', '--libc', libc, ...dirs.flatMap((d) => ['-L', d])];
    const name = `${libc}-${arch}`;

    const exe = path.join(dir, `threads-${name}`);
    const b = asmlink(['build', ...flags, '-o', exe, threads]);
    assert.equal(b.status, 0, b.stderr);
    assertStatic(exe);
    checkThreadCounts(prefix, exe, [0, 1, 8, 500]);
    checkTidsAvoidPid(prefix, exe, 4);
    checkStackTooSmall(prefix, exe);
    // The same bytes again.
    const again = path.join(dir, `threads-${name}-again`);
    assert.equal(asmlink(['build', ...flags, '-o', again, threads]).status, 0);
    assert.ok(fs.readFileSync(exe).equals(fs.readFileSync(again)), 'deterministic');

    const h = path.join(dir, `hello-${name}`);
    assert.equal(asmlink(['build', ...flags, '-o', h, hello]).status, 0);
    assert.equal(runWith(prefix, h, []).stdout, 'hello, world\n');

    const c = buildCProgram(dir, arch, name, [], flags);
    if (typeof c !== 'string') return t.diagnostic(`C program not built: ${c.skip}`);
    assertStatic(c);
    const r = runWith(prefix, c, []);
    assert.equal(r.stdout, C_WANT, r.stderr);
    assert.equal(r.status, 3);
  });
}

test('--static: a name the static C library lacks is reported as its own, with no output; the raw runtime is refused with the way out', (t) => {
  const dirs = staticArchives('amd64', 'musl');
  if (typeof dirs === 'string') return t.skip(dirs);
  const src = writeTemp(dir, 'missing.s', '#include "textflag.h"\n//go:cgo_import_dynamic my_missing no_such_function "libc.so.6"\nTEXT ·main(SB),NOSPLIT,$0-0\n\tCALL\tmy_missing(SB)\n\tRET\n');
  const out = path.join(dir, 'missing');
  for (const libc of ['glibc', 'musl']) {
    const r = asmlink(['build', '--arch', 'amd64', '--static', '--libc', libc, '-o', out, src]);
    assert.equal(r.status, 1, libc);
    assert.match(r.stderr, /^.*missing\.s:4:\d+: undefined: no_such_function \(referenced by main\.main\)\n/, libc);
    assert.match(r.stderr, /it is imported \(\/\/go:cgo_import_dynamic\), and linked statically: no archive of the link/, libc);
    assert.ok(!fs.existsSync(out), 'no output');
  }
  const raw = asmlink(['build', '--arch', 'amd64', '--static', '--libc', 'musl', '--threads', 'raw', '-o', out, hello]);
  assert.equal(raw.status, 1);
  assert.match(raw.stderr, /--static links the C library, and the raw runtime runs without one/);
});

test('linux/amd64 --static: glibc\'s program runs as GNU ld\'s static link of the same objects does', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('gcc')) return t.skip('needs gcc (Debian package gcc)');
  if (typeof staticArchives('amd64', 'glibc') === 'string') return t.skip(staticArchives('amd64', 'glibc') as string);
  const o = path.join(dir, 'ref.o');
  assert.equal(run('gcc', ['-O2', '-c', '-o', o, writeTemp(dir, 'ref.c', C_PROGRAM)]).status, 0);
  const ref = path.join(dir, 'ref-gnu');
  assert.equal(run('gcc', ['-static', '-o', ref, writeTemp(dir, 'ref-main.c', 'int cmain(void);\nint main(void) { return cmain(); }\n'), o, '-lm']).status, 0);
  const want = run(ref, []);
  const exe = path.join(dir, 'ref-asmlink');
  const l = asmlink(['build', '--static', '-o', exe, writeTemp(dir, 'ref-main.s', asmCallingC('amd64', ['printf', 'qsort', 'fflush', 'stdout'])), o, '-l', 'm']);
  assert.equal(l.status, 0, l.stderr);
  const got = run(exe, []);
  assert.equal(got.stdout, want.stdout);
  assert.equal(got.status, want.status);
  // Both have the indirect functions' table, between the symbols glibc's start-up walks.
  for (const f of [ref, exe]) assert.match(run('readelf', ['-SW', f]).stdout, /\.rela\.plt +RELA /, f);
  if (which('eu-elflint')) assert.equal(run('eu-elflint', ['--gnu-ld', exe]).stdout, 'No errors\n');
});

test('linux/arm64 --static without GCC\'s libgcc.a: the outline atomics glibc\'s libc.a calls are named as libgcc\'s, with the way to give it', (t) => {
  if (!fs.existsSync('/usr/aarch64-linux-gnu/lib/libc.a')) return t.skip('needs glibc\'s libc.a for arm64 (Debian package libc6-dev-arm64-cross)');
  const out = path.join(dir, 'no-libgcc');
  const r = asmlink(['build', '--arch', 'arm64', '--static', '-o', out, threads]);
  // A cross GCC for arm64 gives its libgcc.a: then nothing is missing.
  if (which('aarch64-linux-gnu-gcc')) {
    assert.equal(r.status, 0, r.stderr);
    return t.diagnostic('aarch64-linux-gnu-gcc gave libgcc.a: the link had what it needs');
  }
  assert.equal(r.status, 1);
  assert.match(r.stderr, /undefined: __aarch64_(cas|swp|ldadd|ldclr|ldeor|ldset)\d+_(relax|acq|rel|acq_rel) \(referenced by [^)]+\)\n(\t.*\n)*\tit is in the C compiler's runtime library, libgcc .*outline atomics on arm64/);
  assert.ok(!fs.existsSync(out), 'no output');
});
