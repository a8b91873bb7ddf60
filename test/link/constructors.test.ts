// Static constructors and destructors in C objects (.preinit_array,
// .init_array and .fini_array, with and without priorities, from two
// objects): the linked
// program runs them as the same C code linked by cc runs them — priorities
// first, then link order; destructors the other way round — which the tests
// check against a cc-built C program on this host. glibc before 2.34 runs
// the program's constructors only through __libc_start_main's init argument
// (the runtime's initarray), glibc 2.34+ calls that too, and musl walks
// DT_INIT_ARRAY itself (and passes no arguments); each is run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { asmlink, run, tempDir, which, writeTemp } from '../helpers.js';
import { linuxPrefix, oldGlibcRunner, runWith, type LinuxArch } from '../e2e/threads-check.js';
import { asmCallingC } from './c-programs.js';

const dir = tempDir('asmlink-constructors-');

// glibc passes constructors argc, argv and envp (musl passes nothing: built with -DNO_ARGS).
const C_FIRST = `#include <stdio.h>
static int value = 1;
#ifdef NO_ARGS
__attribute__((constructor(101))) static void first(void) { printf("ctor 101\\n"); }
#else
__attribute__((constructor(101))) static void first(int argc, char **argv) { printf("ctor 101 argc=%d arg1=%s\\n", argc, argc > 1 ? argv[1] : "-"); }
#endif
__attribute__((constructor)) static void plain(void) { printf("ctor a\\n"); value *= 10; }
__attribute__((constructor(200))) static void second(void) { printf("ctor 200\\n"); value += 1; }
__attribute__((destructor)) static void bye(void) { printf("dtor a\\n"); fflush(stdout); }
__attribute__((destructor(150))) static void last(void) { printf("dtor 150\\n"); fflush(stdout); }
// The loader runs .preinit_array (with argc, argv, envp) before any library's constructors.
static int pre_argc = -1;
static void pre(int argc) { pre_argc = argc; }
__attribute__((section(".preinit_array"), used)) static void (*pre_entry)(int) = pre;
int cmain(void) { printf("cmain value=%d preinit=%d\\n", value, pre_argc); fflush(stdout); return value; }
`;
const C_SECOND = `#include <stdio.h>
__attribute__((constructor)) static void plain(void) { printf("ctor b\\n"); }
__attribute__((destructor)) static void bye(void) { printf("dtor b\\n"); fflush(stdout); }
`;
const WANT = 'ctor 101 argc=2 arg1=x\nctor 200\nctor a\nctor b\ncmain value=20 preinit=2\ndtor b\ndtor a\ndtor 150\n';
const IMPORTS = ['printf', 'puts', 'fflush', 'stdout'];

function compile(cc: string[], name: string, source: string, flags: string[]): string {
  const c = writeTemp(dir, `${name}.c`, source);
  const o = path.join(dir, `${name}-${flags.join('')}-${path.basename(cc[0]!)}.o`);
  const r = run(cc[0]!, [...cc.slice(1), ...flags, '-O2', '-c', '-o', o, c]);
  assert.equal(r.status, 0, r.stderr);
  return o;
}

/** Builds the assembly calling cmain with the two C objects; returns the executable. */
function build(arch: LinuxArch, objs: string[], extra: string[], name: string): string {
  const s = writeTemp(dir, `main-${arch}.s`, asmCallingC(arch, IMPORTS));
  const exe = path.join(dir, name);
  const b = asmlink(['build', '--arch', arch, ...extra, '-o', exe, s, ...objs]);
  assert.equal(b.status, 0, b.stderr);
  return exe;
}

test('linux/amd64: C constructors and destructors run as in the C program cc links (priorities, link order, arguments), internally, as a PIE, externally and statically', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  // The oracle: the same C code with a C main, linked by cc.
  const mainC = writeTemp(dir, 'cmain.c', 'int cmain(void);\nint main(void) { return cmain(); }\n');
  const ref = path.join(dir, 'reference');
  const cc = run('cc', ['-O2', '-o', ref, writeTemp(dir, 'first.c', C_FIRST), writeTemp(dir, 'second.c', C_SECOND), mainC]);
  assert.equal(cc.status, 0, cc.stderr);
  const want = run(ref, ['x']);
  assert.equal(want.stdout, WANT);
  assert.equal(want.status, 20);
  // cc's default (position-independent), -fno-pic (stdout through a copy) and -fPIC.
  for (const flags of [[], ['-fno-pic'], ['-fPIC']]) {
    const objs = [compile(['cc'], 'first', C_FIRST, flags), compile(['cc'], 'second', C_SECOND, flags)];
    const variants: [string, string[]][] = [['internal', []], ['external', ['--linkmode', 'external']]];
    if (flags[0] !== '-fno-pic') variants.push(['pie', ['--pie']]);
    else variants.push(['static', ['--static', '--linkmode', 'external']]);
    for (const [how, extra] of variants) {
      const exe = build('amd64', objs, extra, `ctors${flags.join('')}-${how}`);
      const r = run(exe, ['x']);
      assert.equal(r.stdout, want.stdout, `${flags.join(' ')} ${how}: ${r.stderr}`);
      assert.equal(r.status, 20, `${flags.join(' ')} ${how}`);
    }
  }
  // The other link order: the unprioritized constructors follow it.
  const objs = [compile(['cc'], 'second', C_SECOND, []), compile(['cc'], 'first', C_FIRST, [])];
  const swapped = run(build('amd64', objs, [], 'ctors-swapped'), ['x']);
  assert.equal(swapped.stdout, WANT.replace('ctor a\nctor b', 'ctor b\nctor a').replace('dtor b\ndtor a', 'dtor a\ndtor b'));
});

test('linux/amd64: the arrays are ELF .preinit_array, .init_array and .fini_array in RELRO, named by their DT_ entries; the linker\'s bounds stay out of .symtab', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc') || !which('readelf')) return t.skip('needs cc and readelf (Debian packages gcc, binutils)');
  const objs = [compile(['cc'], 'first', C_FIRST, []), compile(['cc'], 'second', C_SECOND, [])];
  const exe = build('amd64', objs, [], 'ctors-layout');
  const sections = run('readelf', ['-SW', exe]).stdout;
  const sec = (name: string) => new RegExp(`\\] ${name.replace('.', '\\.')} +(\\w+) +([0-9a-f]+) [0-9a-f]+ ([0-9a-f]+) 08 +WA`).exec(sections);
  const preinit = sec('.preinit_array');
  const init = sec('.init_array');
  const fini = sec('.fini_array');
  assert.ok(preinit && init && fini, sections);
  assert.equal(preinit[1], 'PREINIT_ARRAY');
  assert.equal(init[1], 'INIT_ARRAY');
  assert.equal(fini[1], 'FINI_ARRAY');
  assert.equal(parseInt(preinit[3]!, 16), 8);
  // Four constructors (101, 200, a, b) and three destructors.
  assert.equal(parseInt(init[3]!, 16), 32);
  assert.equal(parseInt(fini[3]!, 16), 24);
  const dyn = run('readelf', ['-dW', exe]).stdout;
  assert.match(dyn, new RegExp(`\\(INIT_ARRAY\\) +0x${init[2]!.replace(/^0+/, '')}\\n.*\\(INIT_ARRAYSZ\\) +32 \\(bytes\\)`));
  assert.match(dyn, new RegExp(`\\(FINI_ARRAY\\) +0x${fini[2]!.replace(/^0+/, '')}\\n.*\\(FINI_ARRAYSZ\\) +24 \\(bytes\\)`));
  const relro = /GNU_RELRO +0x[0-9a-f]+ 0x([0-9a-f]+) 0x[0-9a-f]+ 0x[0-9a-f]+ 0x([0-9a-f]+)/.exec(run('readelf', ['-lW', exe]).stdout);
  assert.ok(relro);
  const [lo, size] = [parseInt(relro[1]!, 16), parseInt(relro[2]!, 16)];
  assert.match(dyn, new RegExp(`\\(PREINIT_ARRAY\\) +0x${preinit[2]!.replace(/^0+/, '')}\\n.*\\(PREINIT_ARRAYSZ\\) +8 \\(bytes\\)`));
  for (const s of [preinit, init, fini]) assert.ok(parseInt(s[2]!, 16) >= lo && parseInt(s[2]!, 16) + parseInt(s[3]!, 16) <= lo + size, `${s[0]} outside RELRO`);
  const syms = run('readelf', ['-sW', exe]).stdout;
  assert.match(syms, / runtime\.initarray\n/);
  assert.doesNotMatch(syms, /__init_array_start|__fini_array_end/);
});

for (const arch of ['amd64', '386', 'arm64'] as LinuxArch[]) {
  test(`linux/${arch}: C constructors run on glibc 2.31 (which runs only what __libc_start_main's init argument names) and on this host's glibc`, (t) => {
    const cc = arch === 'arm64' ? ['clang', '--target=aarch64-linux-gnu'] : arch === '386' ? ['gcc', '-m32'] : ['cc'];
    if (!which(cc[0]!)) return t.skip(`needs ${cc[0]} (Debian package ${cc[0] === 'clang' ? 'clang' : 'gcc'})`);
    const here = linuxPrefix(arch);
    if (typeof here === 'string') return t.skip(here);
    // clang's arm64 objects need -fPIC (no copy relocations for stdout there); gcc -m32 defaults to PIE code.
    const flags = arch === 'arm64' ? ['-fPIC'] : [];
    const objs = [compile(cc, 'first', C_FIRST, flags), compile(cc, 'second', C_SECOND, flags)];
    const exe = build(arch, objs, [], `ctors-${arch}`);
    const r = runWith(here, exe, ['x']);
    assert.equal(r.stdout, WANT, r.stderr);
    assert.equal(r.status, 20);
    const old = oldGlibcRunner(arch);
    if (typeof old === 'string') return t.skip(old);
    const o = runWith(old, exe, ['x']);
    assert.equal(o.stdout, WANT, o.stderr);
    assert.equal(o.status, 20);
  });
}

test('linux/amd64: C++ globals are constructed and destroyed (__cxa_atexit with the linker\'s __dso_handle) as in the program g++ links, internally and externally', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('g++')) return t.skip('needs g++ (Debian package g++)');
  const cxx = writeTemp(
    dir,
    'globals.cc',
    `#include <cstdio>
struct Greeter {
  const char *name;
  Greeter(const char *n) : name(n) { std::printf("hello %s\\n", name); }
  ~Greeter() { std::printf("bye %s\\n", name); std::fflush(stdout); }
};
static Greeter a("a"), b("b");
extern "C" int cmain(void) { std::printf("cmain\\n"); std::fflush(stdout); return 5; }
`,
  );
  const ref = path.join(dir, 'reference-cxx');
  const gxx = run('g++', ['-O2', '-fno-exceptions', '-o', ref, cxx, writeTemp(dir, 'cxxmain.cc', 'extern "C" int cmain(void);\nint main() { return cmain(); }\n')]);
  assert.equal(gxx.status, 0, gxx.stderr);
  const want = run(ref, []);
  assert.equal(want.stdout, 'hello a\nhello b\ncmain\nbye b\nbye a\n');
  const o = path.join(dir, 'globals.o');
  assert.equal(run('g++', ['-O2', '-fno-exceptions', '-c', '-o', o, cxx]).status, 0);
  const s = writeTemp(dir, 'cxx-main.s', asmCallingC('amd64', [...IMPORTS, '__cxa_atexit']));
  for (const extra of [[], ['--linkmode', 'external']]) {
    const exe = path.join(dir, `cxx${extra.join('')}`);
    const b = asmlink(['build', ...extra, '-o', exe, s, o]);
    assert.equal(b.status, 0, b.stderr);
    const r = run(exe, []);
    assert.equal(r.stdout, want.stdout, r.stderr);
    assert.equal(r.status, 5);
  }
});

test('linux/amd64 with musl: its loader runs the constructors (without arguments) and destructors, as in the C program musl-gcc links', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('musl-gcc')) return t.skip('needs musl-gcc (Debian package musl-tools)');
  const first = writeTemp(dir, 'first.c', C_FIRST);
  const ref = path.join(dir, 'reference-musl');
  const cc = run('musl-gcc', ['-DNO_ARGS', '-O2', '-o', ref, first, writeTemp(dir, 'second.c', C_SECOND), writeTemp(dir, 'cmain.c', 'int cmain(void);\nint main(void) { return cmain(); }\n')]);
  assert.equal(cc.status, 0, cc.stderr);
  const want = run(ref, ['x']);
  // musl runs no .preinit_array in a dynamic program.
  assert.equal(want.stdout, WANT.replace(' argc=2 arg1=x', '').replace('preinit=2', 'preinit=-1'));
  const objs = [compile(['musl-gcc', '-DNO_ARGS'], 'first', C_FIRST, []), compile(['musl-gcc'], 'second', C_SECOND, [])];
  const exe = build('amd64', objs, ['--libc', 'musl'], 'ctors-musl');
  const r = run(exe, ['x']);
  assert.equal(r.stdout, want.stdout, r.stderr);
  assert.equal(r.status, 20);
});

test('constructors are refused where nothing would run them: a static program (no C library), and legacy .ctors sections', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc') || !which('as')) return t.skip('needs cc and as (Debian packages gcc, binutils)');
  // A constructor that calls nothing, in a program that imports nothing: the raw runtime's static executable.
  const pure = compile(['cc'], 'pure', 'int v;\n__attribute__((constructor)) static void init(void) { v = 7; }\nint cmain(void) { return v; }\n', ['-O0']);
  const s = writeTemp(dir, 'pure.s', asmCallingC('amd64', []));
  const raw = asmlink(['build', '--threads', 'raw', '-o', path.join(dir, 'pure-raw'), s, pure]);
  assert.equal(raw.status, 1);
  assert.equal(raw.stderr, `${pure}: static constructors and destructors (.init_array) are run by the C library, and this program imports nothing from it (a static executable): import a C library function, or call the initialisation from the program\n`);
  // With the libc runtime the same object runs.
  const exe = path.join(dir, 'pure-libc');
  assert.equal(asmlink(['build', '-o', exe, s, pure]).status, 0);
  assert.equal(run(exe, []).status, 7);
  // .ctors: what GCC before 4.7 wrote; crtbegin's walker, which runs it backwards, is not linked.
  const gas = writeTemp(dir, 'ctors.S', '\t.text\n\t.globl cmain\ncmain:\n\tmovl $3, %eax\n\tret\n\t.section .ctors,"aw"\n\t.quad cmain\n');
  const o = path.join(dir, 'ctors.o');
  assert.equal(run('as', ['-o', o, gas]).status, 0);
  const b = asmlink(['build', '-o', path.join(dir, 'ctors'), s, o]);
  assert.equal(b.status, 1);
  assert.equal(b.stderr, `${o}: .ctors: static constructors and destructors in .ctors/.dtors are not supported (a current C compiler writes .init_array and .fini_array, which are); call the initialisation from the program instead\n`);
});
