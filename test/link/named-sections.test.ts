// C sections named as identifiers (`__attribute__((section("hooks")))`),
// gathered from every object between __start_NAME and __stop_NAME as GNU ld
// gathers them: a registry C code walks as an array prints what the program
// cc links prints, on amd64 (internal, PIE, external, both link orders, a
// static library whose member nothing else pulls in), 386 and arm64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { asmlink, run, tempDir, which, writeTemp } from '../helpers.js';
import { linuxPrefix, runWith, type LinuxArch } from '../e2e/threads-check.js';
import { asmCallingC } from './c-programs.js';

const dir = tempDir('asmlink-named-sections-');

// Without headers, so that it compiles for any target.
const HOOK = 'struct hook { const char *name; int (*fn)(int); };\n';
const FIRST = `${HOOK}static int twice(int x) { return 2 * x; }
static int add1(int x) { return x + 1; }
__attribute__((used, section("hooks"))) static const struct hook h1 = {"twice", twice};
__attribute__((used, section("hooks"))) static const struct hook h2 = {"add1", add1};
__attribute__((used, section("counters"))) int counter_a = 5;
`;
const SECOND = `${HOOK}typedef struct FILE FILE;
extern FILE *stdout;
int printf(const char *, ...);
int fflush(FILE *);
static int square(int x) { return x * x; }
__attribute__((used, section("hooks"))) static const struct hook h3 = {"square", square};
__attribute__((used, section("counters"))) int counter_b = 7;
extern const struct hook __start_hooks[], __stop_hooks[];
extern int __start_counters[], __stop_counters[];
int cmain(void) {
  int v = 0;
  for (const struct hook *h = __start_hooks; h < __stop_hooks; h++) { int r = h->fn(3); v += r; printf("%s(3) = %d\\n", h->name, r); }
  int sum = 0;
  for (int *c = __start_counters; c < __stop_counters; c++) sum += *c;
  printf("hooks=%d counters=%d sum=%d\\n", (int)(__stop_hooks - __start_hooks), (int)(__stop_counters - __start_counters), sum);
  fflush(stdout);
  return v;
}
`;
const IMPORTS = ['printf', 'fflush', 'stdout'];
// Each compiler orders a file's entries its own way (gcc the last defined first), so other compilers' output is compared line by line, sorted.
const WANT = 'add1(3) = 4\ntwice(3) = 6\nsquare(3) = 9\nhooks=3 counters=2 sum=12\n';
const sorted = (text: string) => text.split('\n').sort().join('\n');

function compile(cc: string[], tag: string): [string, string] {
  const [a, b] = [
    ['first', FIRST],
    ['second', SECOND],
  ].map(([name, source]) => {
    const o = path.join(dir, `${name}-${tag}.o`);
    const r = run(cc[0]!, [...cc.slice(1), '-O2', '-c', '-o', o, writeTemp(dir, `${name}.c`, source!)]);
    assert.equal(r.status, 0, r.stderr);
    return o;
  });
  return [a!, b!];
}

/** Builds and runs each link of `sets`; returns what the first printed. */
function linkAndRun(arch: LinuxArch, prefix: string[], sets: [string, string[], string[]][]): { stdout: string; status: number | null } {
  const main = writeTemp(dir, `main-${arch}.s`, asmCallingC(arch, IMPORTS));
  let first: { stdout: string; status: number | null } | undefined;
  for (const [what, inputs, extra] of sets) {
    const exe = path.join(dir, `${arch}-${what}`);
    const b = asmlink(['build', '--arch', arch, ...extra, '-o', exe, main, ...inputs]);
    assert.equal(b.status, 0, `${what}: ${b.stderr}`);
    const r = runWith(prefix, exe, []);
    first ??= { stdout: r.stdout, status: r.status };
    assert.equal(r.stdout, first.stdout, what);
    assert.equal(r.status, first.status, what);
  }
  return first!;
}

test('linux/amd64: __start_NAME and __stop_NAME bound each C section named as an identifier, gathered from every object as cc links them', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const [a, b] = compile(['cc'], 'amd64');
  const cmainC = writeTemp(dir, 'cmain.c', 'int cmain(void);\nint main(void) { return cmain(); }\n');
  const ref = path.join(dir, 'reference');
  assert.equal(run('cc', ['-o', ref, a, b, cmainC]).status, 0);
  const want = run(ref, []);
  assert.equal(want.stdout, WANT);
  assert.equal(want.status, 19);
  const got = linkAndRun('amd64', [], [
    ['internal', [a, b], []],
    ['pie', [a, b], ['--pie']],
    ['external', [a, b], ['--linkmode', 'external']],
  ]);
  assert.deepEqual(got, { stdout: want.stdout, status: want.status });
  // The other link order puts the second object's entries first, as cc does.
  const ref2 = path.join(dir, 'reference2');
  assert.equal(run('cc', ['-o', ref2, b, a, cmainC]).status, 0);
  const want2 = run(ref2, []);
  assert.deepEqual(linkAndRun('amd64', [], [['reversed', [b, a], []]]), { stdout: want2.stdout, status: want2.status });
  // A static library's member that only adds entries is not pulled in (nothing refers to what it defines), as with cc.
  const lib = path.join(dir, 'libfirst.a');
  assert.equal(run('ar', ['rcs', lib, a]).status, 0);
  const ref3 = path.join(dir, 'reference3');
  assert.equal(run('cc', ['-o', ref3, b, lib, cmainC]).status, 0);
  const want3 = run(ref3, []);
  assert.equal(want3.stdout, 'square(3) = 9\nhooks=1 counters=1 sum=7\n');
  assert.deepEqual(linkAndRun('amd64', [], [['archive', [b, lib], []]]), { stdout: want3.stdout, status: want3.status });
  // One name for code in one object and data in another cannot be one range.
  const odd = path.join(dir, 'odd.o');
  assert.equal(run('cc', ['-O2', '-c', '-o', odd, writeTemp(dir, 'odd.c', '__attribute__((section("hooks"))) int odd(void) { return 1; }\n')]).status, 0);
  const r = asmlink(['build', '-o', path.join(dir, 'odd'), writeTemp(dir, 'odd-main.s', asmCallingC('amd64', IMPORTS)), a, b, odd]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /odd\.o: section hooks holds text here and data in \S+first-amd64\.o: its sections must be all code, all read-only data or all writable data/);
});

test('linux/386: __start_NAME and __stop_NAME bound the named sections of gcc -m32\'s objects, internally and externally', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('gcc')) return t.skip('needs gcc (Debian package gcc-multilib)');
  const prefix = linuxPrefix('386');
  if (typeof prefix === 'string') return t.skip(prefix);
  const [a, b] = compile(['gcc', '-m32'], '386');
  const r = linkAndRun('386', prefix, [['internal', [a, b], []], ['external', [a, b], ['--linkmode', 'external']]]);
  assert.equal(sorted(r.stdout), sorted(WANT));
  assert.equal(r.status, 19);
});

test('linux/arm64: __start_NAME and __stop_NAME bound the named sections of clang\'s objects, internally and externally', (t) => {
  const clang = which('clang');
  if (!clang) return t.skip('needs clang (Debian package clang) to compile C for arm64');
  const prefix = linuxPrefix('arm64');
  if (typeof prefix === 'string') return t.skip(prefix);
  const [a, b] = compile([clang, '--target=aarch64-linux-gnu', '-fPIC'], 'arm64');
  const r = linkAndRun('arm64', prefix, [['internal', [a, b], []], ['external', [a, b], ['--linkmode', 'external']]]);
  assert.equal(sorted(r.stdout), sorted(WANT));
  assert.equal(r.status, 19);
});
