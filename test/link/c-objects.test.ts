// Objects from a C compiler, linked with Go-style assembly by the internal
// linker: another assembler's objects are linked whole (the calls between
// its functions carry no relocations), their string sections are reached by
// section + offset, their unwind tables (.eh_frame) are left out, and a
// library's data is reached through the GOT when the C code is compiled
// with -fPIC. The program calls C's cmain with the C convention: libc calls,
// a static function called through a pointer, qsort with a static
// comparator, strings and pointer tables, counters in .bss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { interpreter } from '../../src/target.js';
import { asmlink, repoRoot, run, tempDir, which, writeTemp } from '../helpers.js';
import { linuxPrefix, oldGlibcRunner, runWith, type LinuxArch } from '../e2e/threads-check.js';
import { asmCallingC } from './c-programs.js';

const dir = tempDir();

const C_SOURCE = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int counter;
int table[4] = {3, 1, 4, 1};
static const char *names[] = {"alpha", "beta", "gamma"};
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
static void (*hook)(const char *);
static void say(const char *s) { printf("say: %s (%zu)\\n", s, strlen(s)); counter++; }
int cmain(void) {
  hook = say;
  for (int i = 0; i < 3; i++) hook(names[i]);
  qsort(table, 4, sizeof table[0], cmp);
  printf("sorted: %d %d %d %d, calls %d\\n", table[0], table[1], table[2], table[3], counter);
  fflush(stdout);
  return counter;
}
`;

// Calls C's cmain on a 16-byte aligned stack, and exits with what it returns.
const ASM_SOURCE = asmCallingC('amd64', ['printf', 'strlen', 'qsort', 'fflush', 'stdout']);

const WANT = 'say: alpha (5)\nsay: beta (4)\nsay: gamma (5)\nsorted: 1 1 3 4, calls 3\n';

test('linux/amd64: C objects compiled with -fPIC link with assembly and run, at every optimisation and section layout', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const c = writeTemp(dir, 'cx.c', C_SOURCE);
  const s = writeTemp(dir, 'main.s', ASM_SOURCE);
  const asmObj = path.join(dir, 'main.o');
  assert.equal(asmlink(['asm', '-o', asmObj, s]).status, 0);
  for (const flags of [['-O0'], ['-O2'], ['-O3'], ['-O2', '-ffunction-sections', '-fdata-sections']]) {
    const o = path.join(dir, 'cx.o');
    const cc = run('cc', ['-fPIC', ...flags, '-c', '-o', o, c]);
    assert.equal(cc.status, 0, cc.stderr);
    const exe = path.join(dir, `prog${flags.join('')}`);
    const l = asmlink(['link', '-o', exe, asmObj, o]);
    assert.equal(l.status, 0, `${flags.join(' ')}: ${l.stderr}`);
    const r = run(exe, []);
    assert.equal(r.stdout, WANT, flags.join(' '));
    assert.equal(r.status, 3, flags.join(' '));
  }
  // build and run take the object beside the source.
  const o2 = path.join(dir, 'cx.o');
  assert.equal(run('cc', ['-fPIC', '-O2', '-c', '-o', o2, c]).status, 0);
  const viaRun = asmlink(['run', s, o2]);
  assert.equal(viaRun.stdout, WANT);
  assert.equal(viaRun.status, 3);
  const built = path.join(dir, 'built');
  assert.equal(asmlink(['build', '-o', built, s, o2]).status, 0);
  assert.equal(run(built, []).stdout, WANT);
  // Without -fPIC (cc's default -fPIE, or -fno-pic) the C code loads
  // stdout's value pc-relatively: the executable holds a copy of libc's
  // stdout, which the loader fills (R_X86_64_COPY), also in a PIE.
  for (const [flags, extra] of [[[], []], [['-fno-pic'], []], [[], ['--pie']]] as const) {
    const o = path.join(dir, 'nopic.o');
    assert.equal(run('cc', [...flags, '-O2', '-c', '-o', o, c]).status, 0);
    const exe = path.join(dir, `nopic${flags.join('')}${extra.join('')}`);
    const l = asmlink(['link', ...extra, '-o', exe, asmObj, o]);
    assert.equal(l.status, 0, l.stderr);
    const r = run(exe, []);
    assert.equal(r.stdout, WANT, `${flags.join(' ')} ${extra.join(' ')}`);
    assert.equal(r.status, 3);
    assert.match(run('readelf', ['-rW', exe]).stdout, /R_X86_64_COPY +[0-9a-f]+ stdout \+ 0/);
  }
});

test('linux/amd64: copies of libc\'s variables (stdout, stderr, optind, optarg, environ) stay the ones libc uses (getopt, stdio, start-up), internally, in a PIE, for musl and on glibc 2.31; others are refused with the reason', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc') || !which('readelf')) return t.skip('needs cc and readelf (Debian packages gcc, binutils)');
  const c = writeTemp(dir, 'getopt.c', `#include <stdio.h>
#include <unistd.h>
static char *args[] = {"prog", "-a", "-b", "xyz", "rest", 0};
extern char **environ;
int cmain(void) {
  int ch, n = 0;
  /* glibc sets environ at start-up as __environ: the copy must be that too. */
  if (environ == 0 || environ[0] == 0) return 100;
  while ((ch = getopt(5, args, "ab:")) != -1) {
    if (ch == 'b') fprintf(stdout, "b=%s\\n", optarg);
    else fprintf(stdout, "opt %c\\n", ch);
    n++;
  }
  fprintf(stderr, "optind=%d\\n", optind);
  fflush(stdout);
  return n;
}
`);
  const s = writeTemp(dir, 'getopt-main.s', asmCallingC('amd64', ['fprintf', 'fflush', 'getopt', 'stdout', 'stderr', 'optind', 'optarg', 'environ']));
  const o = path.join(dir, 'getopt.o');
  assert.equal(run('cc', ['-O2', '-c', '-o', o, c]).status, 0);
  const variants: [string[], string][] = [[[], 'glibc'], [['--pie'], 'glibc PIE'], [['--linkmode', 'external'], 'external']];
  if (fs.existsSync(interpreter({ os: 'linux', arch: 'amd64' }, 'musl'))) variants.push([['--libc', 'musl'], 'musl']);
  for (const [flags, what] of variants) {
    const exe = path.join(dir, `getopt-${what.replace(/ /g, '-')}`);
    const b = asmlink(['build', ...flags, '-o', exe, s, o]);
    assert.equal(b.status, 0, `${what}: ${b.stderr}`);
    const r = run(exe, []);
    assert.equal(r.stdout, 'opt a\nb=xyz\n', what);
    assert.equal(r.stderr, 'optind=4\n', what);
    assert.equal(r.status, 2, what);
    if (what === 'glibc') {
      // The copies are defined, hashed dynamic symbols (environ with the library's other names for it): readelf and the loader find them.
      const d = run('readelf', ['--dyn-syms', '-W', exe]);
      for (const v of ['stdout', 'stderr', 'optind', 'optarg', 'environ', '__environ']) assert.match(d.stdout, new RegExp(`OBJECT +GLOBAL +DEFAULT +\\d+ ${v}$`, 'm'), v);
      assert.equal(run('readelf', ['-aW', exe]).stderr, '', 'readelf -a warnings');
      const old = path.join(repoRoot, '.cache', 'glibc-2.31', 'amd64', 'lib', 'x86_64-linux-gnu');
      if (fs.existsSync(path.join(old, 'ld-2.31.so'))) {
        const o2 = run(path.join(old, 'ld-2.31.so'), ['--library-path', old, exe]);
        assert.equal(o2.stdout + o2.stderr, 'opt a\nb=xyz\noptind=4\n', 'glibc 2.31');
      }
    }
  }
  // A variable whose size (and other names) asmlink does not know is refused, naming those it copies.
  const e = writeTemp(dir, 'signgam.c', 'extern int signgam;\nint cmain(void) { return signgam != 0; }\n');
  const eo = path.join(dir, 'signgam.o');
  assert.equal(run('cc', ['-O2', '-c', '-o', eo, e]).status, 0);
  const ts = writeTemp(dir, 'signgam-main.s', asmCallingC('amd64', ['signgam'], 'libm.so.6'));
  const b = asmlink(['build', '-o', path.join(dir, 'signgam'), ts, eo]);
  assert.equal(b.status, 1);
  assert.match(b.stderr, /cmain\+0x[0-9a-f]+: an instruction reads or writes imported signgam's data in place, which needs a copy of it in the executable: asmlink makes one .*\(stdin, stdout, stderr, optarg, optind, opterr, optopt, environ, tzname, timezone, daylight, program_invocation_name, program_invocation_short_name, __progname, __progname_full, getdate_err, __stack_chk_guard\); reach others through the GOT/);
});

for (const arch of ['amd64', '386'] as const) {
  test(`linux/${arch}: copies of the variables tzset() and the C library's start-up set (tzname, timezone, daylight, the program's names) read what a cc-built program reads; two names of one variable share one copy`, (t) => {
    if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
    if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const m32 = arch === '386' ? ['-m32'] : [];
    // __progname and program_invocation_short_name are one variable: one copy, both names exported at it.
    const c = writeTemp(dir, 'tz.c', `#include <stdio.h>
#include <time.h>
extern char *program_invocation_name, *program_invocation_short_name, *__progname;
int cmain(void) {
  tzset();
  printf("tz %s %s %ld %d\\n", tzname[0], tzname[1], timezone, daylight);
  printf("prog %s %s %d\\n", program_invocation_short_name, __progname, program_invocation_name != 0);
  fflush(stdout);
  return daylight;
}
`);
    const env = { TZ: 'EST5EDT' };
    const ref = path.join(dir, `tz-ref-${arch}`, 'tzprog');
    fs.mkdirSync(path.dirname(ref), { recursive: true });
    assert.equal(run('cc', [...m32, '-O2', '-o', ref, c, writeTemp(dir, 'tz-cmain.c', 'int cmain(void);\nint main(void) { return cmain(); }\n')]).status, 0);
    const want = runWith(prefix, ref, [], env);
    assert.equal(want.stdout, `tz EST EDT ${5 * 3600} 1\nprog tzprog tzprog 1\n`);
    const o = path.join(dir, `tz-${arch}.o`);
    // cc's default (-fPIE) reads the variables pc-relatively on amd64, and a PIE can hold copies too; -fno-pic at absolute addresses on 386.
    assert.equal(run('cc', [...m32, ...(arch === '386' ? ['-fno-pic'] : []), '-O2', '-c', '-o', o, c]).status, 0);
    const s = writeTemp(dir, `tz-main-${arch}.s`, asmCallingC(arch, ['printf', 'fflush', 'tzset', 'stdout', 'tzname', 'timezone', 'daylight', 'program_invocation_name', 'program_invocation_short_name', '__progname']));
    const variants: [string, string[]][] = [['glibc', []]];
    if (arch === 'amd64') variants.push(['pie', ['--pie']]);
    if (fs.existsSync(interpreter({ os: 'linux', arch }, 'musl')) && which('musl-gcc') && arch === 'amd64') variants.push(['musl', ['--libc', 'musl']]);
    for (const [how, extra] of variants) {
      const exe = path.join(dir, `tz-${arch}-${how}`, 'tzprog');
      fs.mkdirSync(path.dirname(exe), { recursive: true });
      const b = asmlink(['build', '--arch', arch, ...extra, '-o', exe, s, o]);
      assert.equal(b.status, 0, `${how}: ${b.stderr}`);
      const r = runWith(prefix, exe, [], env);
      assert.equal(r.stdout, want.stdout, `${how}: ${r.stderr}`);
      assert.equal(r.status, 1, how);
      if (how !== 'glibc') continue;
      // One R_*_COPY per variable: __progname's names share one.
      const relocs = run('readelf', ['-rW', exe]).stdout;
      assert.equal(relocs.match(/_COPY /g)?.length, 6, relocs);
      const old = oldGlibcRunner(arch);
      if (typeof old === 'string') continue;
      assert.equal(runWith(old, exe, [], env).stdout, want.stdout, 'glibc 2.31');
    }
  });
}

test('linux/386: C objects link with assembly and run: position-dependent (-fno-pic) and position-independent (gcc -m32\'s default PIE, -fPIC), internally and externally', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host (with gcc -m32)');
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const prefix = linuxPrefix('386');
  if (typeof prefix === 'string') return t.skip(prefix);
  // Position-independent 386 code keeps the GOT's address in %ebx, got from a
  // pc thunk that every object has a copy of (a COMDAT group): two objects
  // here, each with __x86.get_pc_thunk.bx. stdout comes through the GOT.
  const a = writeTemp(dir, 'c386.c', `#include <stdio.h>
#include <stdlib.h>
static int counter;
int table[4] = {3, 1, 4, 1};
static const char *names[] = {"alpha", "beta", "gamma"};
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
static void say(const char *s) { printf("say: %s\\n", s); counter++; }
int helper(int x);
int one(void) { return 1; }
int cmain(void) {
  for (int i = 0; i < 3; i++) say(names[i]);
  qsort(table, 4, sizeof table[0], cmp);
  printf("sorted: %d %d %d %d, calls %d\\n", table[0], table[1], table[2], table[3], counter);
  fflush(stdout);
  return counter + helper(-101);
}
`);
  const b = writeTemp(dir, 'c386b.c', 'static int base = 100;\nint one(void);\nvoid setbase(int b) { base = b; }\nint helper(int x) { return base + x + one(); }\n');
  const s = writeTemp(dir, 'm386.s', asmCallingC('386', ['printf', 'qsort', 'fflush', 'stdout']));
  const want = 'say: alpha\nsay: beta\nsay: gamma\nsorted: 1 1 3 4, calls 3\n';
  const variants: [string[], string][] = [
    [[], 'internal'],
    [['-fPIC'], 'internal'],
    [['-O0'], 'internal'],
    [[], 'external'],
  ];
  for (const [flags, mode] of variants) {
    const objs = [a, b].map((c, k) => {
      const o = path.join(dir, `c386-${k}.o`);
      const cc = run('cc', ['-m32', '-O2', ...flags, '-c', '-o', o, c]);
      if (cc.status !== 0) return undefined;
      return o;
    });
    if (objs.includes(undefined)) return t.skip('needs cc -m32 (Debian package gcc-multilib)');
    if (flags.length === 0) assert.match(run('readelf', ['-sW', objs[1]!]).stdout, /GLOBAL HIDDEN +\d+ __x86\.get_pc_thunk\.bx/, 'both objects carry the thunk');
    const exe = path.join(dir, `c386${flags.join('')}-${mode}`);
    const l = asmlink(['build', '--arch', '386', '--linkmode', mode, '-o', exe, s, ...(objs as string[])]);
    assert.equal(l.status, 0, `${flags.join(' ')} ${mode}: ${l.stderr}`);
    const r = runWith(prefix, exe, []);
    assert.equal(r.stdout, want, `${flags.join(' ')} ${mode}`);
    assert.equal(r.status, 3, `${flags.join(' ')} ${mode}`);
  }
  // -fno-pic code reads stdout at its absolute address: the executable holds a copy (R_386_COPY); it got the PLT entry's address before.
  const nopic = path.join(dir, 'c386-nopic.o');
  assert.equal(run('cc', ['-m32', '-O2', '-fno-pic', '-c', '-o', nopic, a]).status, 0);
  const ne = path.join(dir, 'c386-nopic');
  const l = asmlink(['build', '--arch', '386', '-o', ne, s, nopic, path.join(dir, 'c386-1.o')]);
  assert.equal(l.status, 0, l.stderr);
  assert.equal(runWith(prefix, ne, []).stdout, want);
  assert.match(run('readelf', ['-rW', ne]).stdout, /R_386_COPY +[0-9a-f]+ +stdout/);
});

test('linux/386: 64-bit division in C calls libgcc\'s helpers: the undefined names say where they are, and with libgcc.a the program links and runs', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('gcc')) return t.skip('needs gcc (Debian package gcc-multilib)');
  const prefix = linuxPrefix('386');
  if (typeof prefix === 'string') return t.skip(prefix);
  const o = path.join(dir, 'div32.o');
  const c = writeTemp(dir, 'div.c', 'unsigned long long q(unsigned long long a, unsigned long long b) { return a / b + a % b; }\nint cmain(void) { volatile unsigned long long a = 100000000000ULL, b = 7; return (int)(q(a, b) % 251); }\n');
  assert.equal(run('gcc', ['-m32', '-O2', '-c', '-o', o, c]).status, 0);
  const main = writeTemp(dir, 'div-main.s', asmCallingC('386', []));
  const exe = path.join(dir, 'div32');
  const b = asmlink(['build', '--arch', '386', '-o', exe, main, o]);
  assert.equal(b.status, 1);
  assert.match(b.stderr, /undefined: __u(divmod|mod)di[34] \(referenced by q\)\n(\t.*\n)*\tit is in the C compiler's runtime library, libgcc \(64-bit division on 386, long double arithmetic and outline atomics on arm64, target_clones' CPU checks\): give the link the archive \$\(cc -print-libgcc-file-name\) \(a --static link takes libgcc\.a itself where the C compiler for the target has one, or from -L DIR\), or -lgcc_s for its shared library\n/);
  const libgcc = run('gcc', ['-m32', '-print-libgcc-file-name']).stdout.trim();
  const ok = asmlink(['build', '--arch', '386', '-o', exe, main, o, libgcc]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(runWith(prefix, exe, []).status, 94);
});

test('linux/amd64: with -g, the line tables of C objects (DWARF 5 and 4) reach the executable: llvm-symbolizer and gdb find the C source lines', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const symbolizer = which('llvm-symbolizer') ?? which('llvm-symbolizer-14');
  if (!symbolizer || !which('llvm-dwarfdump')) return t.skip('needs llvm-symbolizer and llvm-dwarfdump (Debian package llvm)');
  const c = writeTemp(dir, 'lines.c', '#include <stdio.h>\nstatic int twice(int x) {\n  return 2 * x;\n}\nint cmain(void) {\n  printf("%d\\n", twice(21));\n  fflush(stdout);\n  return 7;\n}\n');
  const s = writeTemp(dir, 'lines-main.s', ASM_SOURCE);
  for (const dwarf of ['-gdwarf-5', '-gdwarf-4']) {
    const o = path.join(dir, `lines${dwarf}.o`);
    const cc = run('cc', ['-fPIC', '-O0', dwarf, '-c', '-o', o, c]);
    assert.equal(cc.status, 0, cc.stderr);
    const exe = path.join(dir, `lines${dwarf}`);
    const b = asmlink(['build', '-g', '-o', exe, s, o]);
    assert.equal(b.status, 0, `${dwarf}: ${b.stderr}`);
    const r = run(exe, []);
    assert.equal(r.stdout, '42\n');
    assert.equal(r.status, 7);
    assert.equal(run('llvm-dwarfdump', ['--verify', exe]).status, 0, `${dwarf}: llvm-dwarfdump --verify`);
    // Each function's first row is its opening line; the asm caller keeps its own.
    // The static function is named as C named it (resolved as twice<>, file-local).
    const nm = run('nm', [exe]).stdout;
    const addr = (name: string) => '0x' + new RegExp(`^([0-9a-f]+) [tT] ${name}$`, 'm').exec(nm)![1];
    const where: string[] = run(symbolizer, [`--obj=${exe}`, addr('cmain'), addr('twice'), addr('main.main')]).stdout.split('\n\n').map((x) => x.split('\n')[1]);
    assert.deepEqual(where.slice(0, 3), [`${c}:5:0`, `${c}:2:0`, `${s}:${ASM_SOURCE.split('\n').findIndex((l) => l.startsWith('TEXT')) + 1}:0`], dwarf);
    if (!which('gdb')) continue;
    // The C code's own types and variables (.debug_info) are not carried over: lines and names are.
    const g = run('gdb', ['-batch', '-ex', `break ${path.basename(c)}:3`, '-ex', 'run', '-ex', 'bt', exe]);
    assert.match(g.stdout, /#0 +twice \(\) at .*lines\.c:3/, g.stdout);
    assert.match(g.stdout, /#1 +0x[0-9a-f]+ in cmain \(\) at .*lines\.c:6/);
    assert.match(g.stdout, /in main\.main \(\) at .*lines-main\.s:\d+/);
  }
});

test('linux/amd64: C common symbols (-fcommon, GCC before 10\'s default) are merged as cc merges them, one copy, or the initialized definition where there is one', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const sources = [
    'int counter;\nint table[4];\nint bump(void) { counter += 3; table[1] = counter; return counter; }\n',
    'int counter;\nextern int table[4];\nint bump(void);\nint cmain(void) { bump(); counter += 1; return counter * 10 + table[1]; }\n',
    'int counter = 100;\n',
  ];
  const objs = sources.map((c, i) => {
    const o = path.join(dir, `common${i}.o`);
    assert.equal(run('cc', ['-O2', '-fcommon', '-c', '-o', o, writeTemp(dir, `common${i}.c`, c)]).status, 0);
    return o;
  });
  assert.match(run('readelf', ['-sW', objs[0]!]).stdout, /OBJECT\s+GLOBAL\s+DEFAULT\s+COM counter/);
  const cmainC = writeTemp(dir, 'common-main.c', 'int cmain(void);\nint main(void) { return cmain(); }\n');
  const s = writeTemp(dir, 'common-main.s', asmCallingC('amd64', []));
  for (const set of [objs.slice(0, 2), objs, [objs[2]!, objs[0]!, objs[1]!]]) {
    const ref = path.join(dir, 'common-ref');
    assert.equal(run('cc', ['-o', ref, ...set, cmainC]).status, 0);
    const want = run(ref, []).status;
    for (const mode of ['internal', 'external']) {
      const exe = path.join(dir, `common-${mode}`);
      const b = asmlink(['build', '--linkmode', mode, '-o', exe, s, ...set]);
      assert.equal(b.status, 0, b.stderr);
      assert.equal(run(exe, []).status, want, `${mode}: ${set.map((o) => path.basename(o)).join(' ')}`);
    }
  }
});

test('linux/amd64: a strong definition takes the place of weak ones (a C library\'s default hook), in either link order, as cc links them', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const weak = writeTemp(dir, 'weak.c', '__attribute__((weak)) int hook(void) { return 1; }\n__attribute__((weak)) int level = 10;\nint cmain(void) { return hook() + level; }\n');
  const strong = writeTemp(dir, 'strong.c', 'int hook(void) { return 2; }\nint level = 20;\n');
  const objs = [weak, strong].map((c) => {
    const o = c.replace(/\.c$/, '.o');
    assert.equal(run('cc', ['-O2', '-c', '-o', o, c]).status, 0);
    return o;
  });
  const ref = path.join(dir, 'weak-ref');
  assert.equal(run('cc', ['-o', ref, ...objs, writeTemp(dir, 'weak-main.c', 'int cmain(void);\nint main(void) { return cmain(); }\n')]).status, 0);
  assert.equal(run(ref, []).status, 22);
  const s = writeTemp(dir, 'weak-main.s', asmCallingC('amd64', []));
  for (const order of [objs, [...objs].reverse()])
    for (const mode of ['internal', 'external']) {
      const exe = path.join(dir, `weak-${mode}`);
      const b = asmlink(['build', '--linkmode', mode, '-o', exe, s, ...order]);
      assert.equal(b.status, 0, b.stderr);
      assert.equal(run(exe, []).status, 22, `${mode}, ${order.map((o) => path.basename(o)).join(' ')}`);
      // One global `hook`, the strong one; the weak one's bytes stay (its
      // object is linked whole), named file-local. Both have the size the
      // compiler gave them (not the padding after them).
      if (mode === 'internal') {
        const hooks = [...run('readelf', ['-sW', exe]).stdout.matchAll(/^\s*\d+: [0-9a-f]+\s+(\d+) FUNC\s+(\w+)\s+\w+\s+\d+ hook$/gm)].map((m) => `${m[2]} ${m[1]}`).sort();
        assert.deepEqual(hooks, ['GLOBAL 6', 'LOCAL 6']);
      }
    }
  // Only weak definitions: the first is kept.
  const exe = path.join(dir, 'weak-only');
  assert.equal(asmlink(['build', '-o', exe, s, objs[0]!]).status, 0);
  assert.equal(run(exe, []).status, 11);
});

// Indirect functions (STT_GNU_IFUNC): the loader calls each resolver and
// fills the function's slots with what it returns (R_*_IRELATIVE): the PLT
// entry's (calls), a GOT slot (an address taken in code) and a pointer in
// data, which stay one address (C's function pointers compare equal).
const IFUNC_C = `int printf(const char *, ...);
static int pick = 1;
static int plus_one(int x) { return x + 1; }
static int times_two(int x) { return x * 2; }
static int (*resolve_twice(void))(int) { return pick ? times_two : plus_one; }
int twice(int) __attribute__((ifunc("resolve_twice")));
int (*twicep)(int) = twice;
int cmain(void) {
  int (*volatile taken)(int) = twice;
  printf("%d %d %d %d\\n", twice(20), twicep(21), taken(22), taken == twicep);
  return twice(3);
}
`;
const IFUNC_WANT = '40 42 44 1\n';

test('linux: indirect functions (__attribute__((ifunc)), gcc target_clones) link: the loader calls the resolvers (R_*_IRELATIVE) for calls, addresses taken in code and pointers in data, on amd64, 386 and arm64, internally, as a PIE and externally', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc') || !which('clang')) return t.skip('needs cc and clang (Debian packages gcc-multilib and clang)');
  const sets: [LinuxArch, string[], string, string[]][] = [
    ['amd64', ['cc'], 'R_X86_64_IRELATIVE', ['internal', 'pie', 'external']],
    ['386', ['gcc', '-m32'], 'R_386_IRELATIVE', ['internal', 'external']],
    ['arm64', ['clang', '--target=aarch64-linux-gnu'], 'R_AARCH64_IRELATIVE', ['internal', 'pie', 'external']],
  ];
  const c = writeTemp(dir, 'ifunc.c', IFUNC_C);
  // The oracle: cc's program (-no-pie: GNU ld makes a PIE's addresses of an indirect function unequal).
  const ref = path.join(dir, 'ifunc-ref');
  assert.equal(run('cc', ['-O2', '-no-pie', '-o', ref, c, writeTemp(dir, 'ifunc-cmain.c', 'int cmain(void);\nint main(void) { return cmain(); }\n')]).status, 0);
  const want = run(ref, []);
  assert.deepEqual([want.stdout, want.status], [IFUNC_WANT, 6]);
  for (const [arch, cc, irelative, modes] of sets) {
    const prefix = arch === 'amd64' ? [] : linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const o = path.join(dir, `ifunc-${arch}.o`);
    const b0 = run(cc[0]!, [...cc.slice(1), '-O2', '-c', '-o', o, c]);
    assert.equal(b0.status, 0, b0.stderr);
    // clang leaves EI_OSABI 0, and readelf then names the type by number (10).
    assert.match(run('readelf', ['-sW', o]).stdout, /(IFUNC|<OS specific>: 10)\s+GLOBAL\s+DEFAULT\s+\d+ twice$/m, arch);
    const main = writeTemp(dir, `ifunc-main-${arch}.s`, asmCallingC(arch, ['printf']));
    for (const mode of modes) {
      const exe = path.join(dir, `ifunc-${arch}-${mode}`);
      const b = asmlink(['build', '--arch', arch, ...(mode === 'pie' ? ['--pie'] : mode === 'external' ? ['--linkmode', 'external'] : []), '-o', exe, main, o]);
      assert.equal(b.status, 0, `${arch} ${mode}: ${b.stderr}`);
      const r = runWith(prefix, exe, []);
      assert.deepEqual([r.stdout, r.status], [IFUNC_WANT, 6], `${arch} ${mode}: ${r.stderr}`);
      if (mode === 'external') continue;
      const relocs = run('readelf', ['-rW', exe]).stdout;
      assert.match(relocs, new RegExp(irelative), `${arch} ${mode}`);
      assert.doesNotMatch(relocs, /twice/, `${arch} ${mode}: no dynamic symbol for it`);
      assert.match(run('readelf', ['-sW', exe]).stdout, /IFUNC\s+GLOBAL\s+DEFAULT\s+\d+ twice$/m, `${arch} ${mode}`);
      assert.equal(run('readelf', ['-a', exe]).stderr, '', `${arch} ${mode}: readelf warns`);
    }
  }
  // gcc's function multiversioning: the resolver reads the CPU's features through libgcc's __cpu_indicator_init.
  const tc = path.join(dir, 'clones.o');
  assert.equal(run('cc', ['-O2', '-c', '-o', tc, writeTemp(dir, 'clones.c', '__attribute__((target_clones("avx2", "default"))) int work(int x) { return x * 3; }\nint cmain(void) { return work(5); }\n')]).status, 0);
  const libgcc = run('cc', ['-print-libgcc-file-name']).stdout.trim();
  for (const extra of [[], ['--pie'], ['--linkmode', 'external']]) {
    const exe = path.join(dir, `clones${extra.join('')}`);
    const b = asmlink(['build', ...extra, '-o', exe, writeTemp(dir, 'clones-main.s', asmCallingC('amd64', ['printf'])), tc, libgcc]);
    assert.equal(b.status, 0, b.stderr);
    assert.equal(run(exe, []).status, 15, extra.join(' '));
  }
  // A static executable has no loader to call the resolvers.
  const so = path.join(dir, 'ifunc-static.o');
  assert.equal(run('cc', ['-O2', '-c', '-o', so, writeTemp(dir, 'ifunc-static.c', 'static int one(void) { return 1; }\nstatic int (*pick_one(void))(void) { return one; }\nint f(void) __attribute__((ifunc("pick_one")));\nint cmain(void) { return f(); }\n')]).status, 0);
  const exe = path.join(dir, 'ifunc-static');
  const s = asmlink(['build', '--threads', 'raw', '-o', exe, writeTemp(dir, 'ifunc-static.s', asmCallingC('amd64', [])), so]);
  assert.equal(s.status, 1);
  assert.match(s.stderr, /^\S+ifunc-static\.o: f is an indirect function, whose resolver the dynamic loader calls, and this program imports nothing from a library \(a static executable, which no loader relocates\): import a C library function, or link glibc statically \(--static\)\n$/);
  assert.ok(!fs.existsSync(exe));
  // Linked with glibc statically, the C library's start-up calls the resolver (R_X86_64_IRELATIVE between __rela_iplt_start and __rela_iplt_end).
  if (fs.existsSync('/usr/lib/x86_64-linux-gnu/libc.a')) {
    const st = asmlink(['build', '--static', '-o', exe, writeTemp(dir, 'ifunc-glibc-static.s', asmCallingC('amd64', [])), so]);
    assert.equal(st.status, 0, st.stderr);
    assert.equal(run(exe, []).status, 1);
    fs.rmSync(exe);
  }
  // musl's loader applies no R_*_IRELATIVE.
  const m = asmlink(['build', '--libc', 'musl', '-o', exe, writeTemp(dir, 'ifunc-musl.s', asmCallingC('amd64', [])), so]);
  assert.equal(m.status, 1);
  assert.match(m.stderr, /^\S+ifunc-static\.o: f is an indirect function, which musl's loader does not call resolvers for \(R_\*_IRELATIVE\): link for glibc\n$/);
  assert.ok(!fs.existsSync(exe));
});
