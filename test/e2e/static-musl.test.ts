// `--static --libc musl`, internally: the runtime's imports, and the C
// objects' references, bind to musl's static C library (libc.a), whose
// members the program needs are linked in; the executable has no
// interpreter and no dynamic section, and runs where no musl is installed.
// amd64 takes the host's musl-dev (/lib/x86_64-linux-musl/libc.a); 386 and
// arm64 musl-dev's archives, and arm64 GCC's libgcc.a (long double), come
// from tools/fetch-c-libraries.mjs (.cache/c-libraries, which .ci/run fills).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which, writeTemp } from '../helpers.js';
import { checkStackTooSmall, checkThreadCounts, checkTidsAvoidPid, linuxPrefix, runWith, type LinuxArch } from './threads-check.js';
import { asmCallingC, cTools } from '../link/c-programs.js';

const dir = tempDir('asmlink-static-musl-');
const threads = path.join(repoRoot, 'examples', 'threads.s');
const hello = path.join(repoRoot, 'examples', 'hello.s');
const cache = path.join(repoRoot, '.cache', 'c-libraries');

/** The -L directories where musl's libc.a (and on arm64 libgcc.a) are, or why there are none. */
function muslArchives(arch: LinuxArch): string[] | string {
  if (arch === 'amd64') {
    const d = ['/lib/x86_64-linux-musl', '/usr/lib/x86_64-linux-musl'].find((p) => fs.existsSync(path.join(p, 'libc.a')));
    return d ? [d] : 'needs musl\'s libc.a for amd64 (Debian package musl-dev)';
  }
  const deb = arch === '386' ? 'i386' : 'arm64';
  const musl = path.join(cache, deb, 'usr', 'lib', arch === '386' ? 'i386-linux-musl' : 'aarch64-linux-musl');
  if (!fs.existsSync(path.join(musl, 'libc.a'))) return `needs musl's libc.a for ${arch}: run node tools/fetch-c-libraries.mjs (Debian package musl-dev:${deb}, unpacked)`;
  if (arch === '386') return [musl];
  const gcc = path.join(cache, 'arm64', 'usr', 'lib', 'gcc', 'aarch64-linux-gnu', '12');
  if (!fs.existsSync(path.join(gcc, 'libgcc.a'))) return 'needs GCC\'s libgcc.a for arm64: run node tools/fetch-c-libraries.mjs (Debian package libgcc-12-dev:arm64, unpacked)';
  return [musl, gcc];
}

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

// A C program that reaches musl by every route: functions, a variable of its (stdout), a constructor, a thread-local, long double.
const C_PROGRAM = `typedef unsigned long size_t;
typedef struct FILE FILE;
extern FILE *stdout;
int printf(const char *, ...);
void qsort(void *, size_t, size_t, int (*)(const void *, const void *));
int fflush(FILE *);
static int started;
int table[4] = {3, 1, 4, 1};
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
__attribute__((constructor)) static void init(void) { started = 100; }
__thread int per_thread = 7;
int cmain(void) {
  qsort(table, 4, sizeof table[0], cmp);
  printf("sorted: %d %d %d %d, started %d, per thread %d, %.3Lf\\n", table[0], table[1], table[2], table[3], started, per_thread, (long double)1.5);
  fflush(stdout);
  return 3;
}
`;
const C_WANT = 'sorted: 1 1 3 4, started 100, per thread 7, 1.500\n';

for (const arch of ['amd64', '386', 'arm64'] as LinuxArch[]) {
  test(`linux/${arch} --static --libc musl: the examples and a C program link with musl's libc.a internally, into executables with no interpreter that run`, (t) => {
    if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const dirs = muslArchives(arch);
    if (typeof dirs === 'string') return t.skip(dirs);
    const flags = ['--arch', arch, '--static', '--libc', 'musl', ...dirs.flatMap((d) => ['-L', d])];

    const exe = path.join(dir, `threads-${arch}`);
    const b = asmlink(['build', ...flags, '-o', exe, threads]);
    assert.equal(b.status, 0, b.stderr);
    assertStatic(exe);
    checkThreadCounts(prefix, exe, [0, 1, 8, 500]);
    checkTidsAvoidPid(prefix, exe, 4);
    checkStackTooSmall(prefix, exe);
    // The same bytes again.
    const again = path.join(dir, `threads-${arch}-again`);
    assert.equal(asmlink(['build', ...flags, '-o', again, threads]).status, 0);
    assert.ok(fs.readFileSync(exe).equals(fs.readFileSync(again)), 'deterministic');

    const h = path.join(dir, `hello-${arch}`);
    assert.equal(asmlink(['build', ...flags, '-o', h, hello]).status, 0);
    assert.equal(runWith(prefix, h, []).stdout, 'hello, world\n');

    const tools = cTools(arch);
    if (typeof tools === 'string') return t.diagnostic(`C program not built: ${tools}`);
    const o = path.join(dir, `c-${arch}.o`);
    const cc = tools.compile(['-O2'], writeTemp(dir, 'c.c', C_PROGRAM), o);
    assert.equal(cc.status, 0, cc.stderr);
    const main = writeTemp(dir, `c-main-${arch}.s`, asmCallingC(arch, ['printf', 'qsort', 'fflush', 'stdout']));
    const c = path.join(dir, `c-${arch}`);
    const l = asmlink(['build', ...flags, '-o', c, main, o]);
    assert.equal(l.status, 0, l.stderr);
    assertStatic(c);
    const r = runWith(prefix, c, []);
    assert.equal(r.stdout, C_WANT, r.stderr);
    assert.equal(r.status, 3);
  });
}

test('--static --libc musl: a name the static C library lacks is reported as its own; glibc statically, and with the raw runtime, are refused with the way out', (t) => {
  const dirs = muslArchives('amd64');
  if (typeof dirs === 'string') return t.skip(dirs);
  const src = writeTemp(dir, 'missing.s', '#include "textflag.h"\n//go:cgo_import_dynamic my_missing no_such_function "libc.so.6"\nTEXT ·main(SB),NOSPLIT,$0-0\n\tCALL\tmy_missing(SB)\n\tRET\n');
  const out = path.join(dir, 'missing');
  const r = asmlink(['build', '--arch', 'amd64', '--static', '--libc', 'musl', '-o', out, src]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^.*missing\.s:4:\d+: undefined: no_such_function \(referenced by main\.main\)\n/);
  assert.match(r.stderr, /it is imported \(\/\/go:cgo_import_dynamic\), and linked statically: no archive of the link/);
  assert.ok(!fs.existsSync(out), 'no output');
  const glibc = asmlink(['build', '--arch', 'amd64', '--static', '--libc', 'glibc', '-o', out, hello]);
  assert.equal(glibc.status, 1);
  assert.match(glibc.stderr, /--static: internally asmlink links musl's C library statically \(--libc musl\).*add --linkmode external/);
  const raw = asmlink(['build', '--arch', 'amd64', '--static', '--libc', 'musl', '--threads', 'raw', '-o', out, hello]);
  assert.equal(raw.status, 1);
  assert.match(raw.stderr, /--static links the C library, and the raw runtime runs without one/);
});
