// `-l NAME` / `-L DIR`: a link imports what its objects leave undefined from
// the libraries named, as cc -lNAME links them: C objects then link without
// a //go:cgo_import_dynamic line per C library function. The libraries are
// the system's (glibc's libc.so, a linker script naming libc.so.6 and
// libc_nonshared.a; libm), read for their exports and default versions
// (formats/elf/read-shared.ts), which readelf checks independently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, run, tempDir, which, writeTemp } from '../helpers.js';
import { linuxPrefix, runWith, type LinuxArch } from '../e2e/threads-check.js';
import { asmCallingC } from './c-programs.js';
import { mutatedCopies } from './mutations.js';
import { readSharedLibrary } from '../../src/formats/elf/read-shared.js';
import { scriptFiles } from '../../src/host/shared-libraries.js';

const dir = tempDir('asmlink-libraries-');

// The C library in breadth: stdio through stdout (a copy in the executable),
// qsort calling back, a thread, atexit (in libc_nonshared.a, not libc.so.6),
// getenv, and libm.
const PROGRAM_C = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <pthread.h>
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
static void *worker(void *p) { return (void *)(long)(strlen((char *)p) * 2); }
static void bye(void) { printf("bye\\n"); fflush(stdout); }
int cmain(void) {
  int v[5] = {5, 3, 9, 1, 7};
  volatile double x = 27.0, y = 4.0;
  char buf[64];
  pthread_t t;
  void *r;
  qsort(v, 5, sizeof v[0], cmp);
  snprintf(buf, sizeof buf, "%d-%d-%d cbrt=%.2f hypot=%.2f", v[0], v[2], v[4], cbrt(x), hypot(x, y));
  if (pthread_create(&t, 0, worker, buf) || pthread_join(t, &r)) return 99;
  atexit(bye);
  fprintf(stdout, "%s thread=%ld env=%s\\n", buf, (long)r, getenv("ASMLINK_NOT_SET") ? "set" : "unset");
  fflush(stdout);
  return 7;
}
`;

test('linux/amd64: -lc -lm import what C objects leave undefined (stdio, qsort, threads, atexit from libc_nonshared.a, libm), internally, as a PIE and externally, as cc links them', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const c = writeTemp(dir, 'program.c', PROGRAM_C);
  const o = path.join(dir, 'program.o');
  assert.equal(run('cc', ['-O2', '-c', '-o', o, c]).status, 0);
  // The oracle: cc's program.
  const ref = path.join(dir, 'program-ref');
  assert.equal(run('cc', ['-o', ref, o, writeTemp(dir, 'cmain.c', 'int cmain(void);\nint main(void) { return cmain(); }\n'), '-lm', '-lpthread']).status, 0);
  const want = run(ref, []);
  assert.equal(want.status, 7);
  const main = writeTemp(dir, 'main.s', asmCallingC('amd64', []));
  // Without -l, the names are undefined, and the note says what to do.
  const none = asmlink(['build', '-o', path.join(dir, 'none'), main, o]);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /undefined: qsort \(referenced by cmain\)\n(\t.*\n)*\tgive the link the object or static library \(\.a\) that defines it, or the shared library with -l \(-lc for the C library\); or import it: \/\/go:cgo_import_dynamic qsort qsort "LIBRARY"\n/);
  // libm's functions point at libm; a compiler's object has no line to give.
  assert.match(none.stderr, /undefined: cbrt \(referenced by cmain\)\n(\t.*\n)*\tgive the link the object or static library \(\.a\) that defines it, or the shared library with -l \(-l :libm\.so\.6\); or import it: \/\/go:cgo_import_dynamic cbrt cbrt "libm\.so\.6"\n/);
  assert.match(none.stderr, /^\t\S*program\.o: referenced by cmain\+0x[0-9a-f]+$/m);
  for (const [mode, extra] of [['internal', []], ['pie', ['--pie']], ['external', ['--linkmode', 'external']], ['-l-glued', []]] as [string, string[]][]) {
    const exe = path.join(dir, `program-${mode}`);
    const libs = mode === '-l-glued' ? ['-lc', '-lm'] : ['-l', 'c', '-l', 'm'];
    const b = asmlink(['build', ...extra, ...libs, '-o', exe, main, o]);
    assert.equal(b.status, 0, `${mode}: ${b.stderr}`);
    const r = run(exe, []);
    assert.deepEqual([r.stdout, r.status], [want.stdout, 7], `${mode}: ${r.stderr}`);
    if (mode === 'external') continue;
    const dyn = run('readelf', ['-dW', '--dyn-syms', exe]).stdout;
    assert.match(dyn, /\(NEEDED\)\s+Shared library: \[libc\.so\.6\]/, mode);
    assert.match(dyn, /\(NEEDED\)\s+Shared library: \[libm\.so\.6\]/, mode);
    // Each import at the version cc's program binds it to.
    const refDyn = run('readelf', ['--dyn-syms', '-W', ref]).stdout;
    for (const name of ['qsort', 'snprintf', 'cbrt', 'hypot', 'pthread_create']) {
      const version = (text: string) => new RegExp(` ${name}@(\\w+)`).exec(text)?.[1];
      assert.equal(version(dyn), version(refDyn), `${mode}: ${name}'s version`);
    }
  }
});

test('linux: -lm on 386 and arm64 finds the target\'s libraries (multiarch and cross directories), internally and externally', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  const c = writeTemp(dir, 'm.c', 'int printf(const char *, ...);\ndouble cbrt(double);\ndouble hypot(double, double);\nint cmain(void) { volatile double x = 27.0, y = 4.0; printf("%.2f %.2f\\n", cbrt(x), hypot(x, y)); return (int)cbrt(x); }\n');
  const sets: [LinuxArch, string[]][] = [
    ['386', ['gcc', '-m32']],
    ['arm64', ['clang', '--target=aarch64-linux-gnu']],
  ];
  for (const [arch, cc] of sets) {
    if (!which(cc[0]!)) return t.skip(`needs ${cc[0]} (Debian package ${cc[0] === 'gcc' ? 'gcc-multilib' : 'clang'})`);
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const o = path.join(dir, `m-${arch}.o`);
    assert.equal(run(cc[0]!, [...cc.slice(1), '-O2', '-c', '-o', o, c]).status, 0);
    const main = writeTemp(dir, `m-main-${arch}.s`, asmCallingC(arch, []));
    for (const mode of ['internal', 'external']) {
      const exe = path.join(dir, `m-${arch}-${mode}`);
      const b = asmlink(['build', '--arch', arch, '--linkmode', mode, '-lc', '-lm', '-o', exe, main, o]);
      assert.equal(b.status, 0, `${arch} ${mode}: ${b.stderr}`);
      const r = runWith(prefix, exe, []);
      assert.deepEqual([r.stdout, r.status], ['3.00 27.29\n', 3], `${arch} ${mode}: ${r.stderr}`);
    }
  }
});

test('linux/amd64: for musl (--libc musl), -lc is musl\'s C library, beside its loader', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  if (!fs.existsSync('/lib/ld-musl-x86_64.so.1')) return t.skip('needs musl (Debian package musl)');
  const o = path.join(dir, 'musl.o');
  assert.equal(run('cc', ['-O2', '-c', '-o', o, writeTemp(dir, 'musl.c', 'int printf(const char *, ...);\nunsigned long strlen(const char *);\nint cmain(void) { printf("musl %lu\\n", strlen("abc")); return 4; }\n')]).status, 0);
  const exe = path.join(dir, 'musl');
  const b = asmlink(['build', '--libc', 'musl', '-lc', '-o', exe, writeTemp(dir, 'musl-main.s', asmCallingC('amd64', [])), o]);
  assert.equal(b.status, 0, b.stderr);
  assert.deepEqual([run(exe, []).stdout, run(exe, []).status], ['musl 3\n', 4]);
  // musl's libc.so names itself libc.so (no symbol versions).
  const dyn = run('readelf', ['-dW', '-V', exe]).stdout;
  assert.match(dyn, /\(NEEDED\)\s+Shared library: \[libc\.so\]/);
  assert.doesNotMatch(dyn, /GLIBC_/);
});

test('linux: -L directories come first, -l :FILE names a file, a linker script\'s GROUP is followed; a library not found is refused saying why (for darwin, where its .tbd stubs would be)', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const o = path.join(dir, 'puts.o');
  assert.equal(run('cc', ['-O2', '-c', '-o', o, writeTemp(dir, 'puts.c', 'int puts(const char *);\nint cmain(void) { puts("from a script"); return 5; }\n')]).status, 0);
  const main = writeTemp(dir, 'puts-main.s', asmCallingC('amd64', []));
  // A directory of one's own, with a script naming the C library by its file.
  const libdir = path.join(dir, 'mylibs');
  fs.mkdirSync(libdir, { recursive: true });
  fs.writeFileSync(path.join(libdir, 'libmine.so'), '/* a GNU ld script */\nOUTPUT_FORMAT(elf64-x86-64)\nGROUP ( libc.so.6 AS_NEEDED ( libm.so.6 ) )\n');
  const libc6 = ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu'].find((d) => fs.existsSync(path.join(d, 'libc.so.6')));
  if (!libc6) return t.skip('needs libc.so.6 in /lib/x86_64-linux-gnu');
  fs.copyFileSync(path.join(libc6, 'libm.so.6'), path.join(libdir, 'libm.so.6'));
  for (const libs of [['-L', libdir, '-l', 'mine'], [`-L${libdir}`, '-lmine'], ['-l', ':libc.so.6']]) {
    const exe = path.join(dir, 'puts');
    const b = asmlink(['build', ...libs, '-o', exe, main, o]);
    assert.equal(b.status, 0, `${libs.join(' ')}: ${b.stderr}`);
    const r = run(exe, []);
    assert.deepEqual([r.stdout, r.status], ['from a script\n', 5], libs.join(' '));
    // Only the libraries something is imported from are needed: not libm.
    assert.doesNotMatch(run('readelf', ['-dW', exe]).stdout, /libm\.so/, libs.join(' '));
  }
  const exe = path.join(dir, 'nothing');
  const missing = asmlink(['build', '-l', 'nosuchlib', '-o', exe, main, o]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^-l nosuchlib: no libnosuchlib\.so or libnosuchlib\.a in \/lib\/x86_64-linux-gnu, .*\(add a directory with -L\)\n$/);
  // A script naming a file that is not there.
  fs.writeFileSync(path.join(libdir, 'libgone.so'), 'GROUP ( /nonexistent/libgone.so.1 )\n');
  const gone = asmlink(['build', '-L', libdir, '-lgone', '-o', exe, main, o]);
  assert.equal(gone.status, 1);
  assert.equal(gone.stderr, `${path.join(libdir, 'libgone.so')}: names /nonexistent/libgone.so.1, which cannot be read (ENOENT)\n`);
  const darwin = asmlink(['build', '--os', 'darwin', '-lc', '-o', exe, main]);
  assert.equal(darwin.status, 1);
  assert.match(darwin.stderr, /^-l c: no libc\.tbd or libc\.dylib or libc\.a in any directory \(the C library's is the SDK's \.tbd stub/);
  assert.ok(!fs.existsSync(exe));
});

test('shared libraries: the exports and default versions read from libc.so.6 are the ones readelf lists (name@@VERSION), hidden old versions left out', (t) => {
  const libc = ['/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib/x86_64-linux-gnu/libc.so.6', '/lib64/libc.so.6'].find((f) => fs.existsSync(f));
  if (!libc || !which('readelf')) return t.skip('needs a glibc libc.so.6 and readelf (Debian package binutils)');
  const lib = readSharedLibrary(new Uint8Array(fs.readFileSync(libc)), libc);
  assert.equal(lib.soname, 'libc.so.6');
  const text = run('readelf', ['--dyn-syms', '-W', libc]).stdout;
  const defaults = new Map<string, string>();
  let count = 0;
  for (const m of text.matchAll(/^\s*\d+: [0-9a-f]+\s+\d+ \w+\s+(?:GLOBAL|WEAK)\s+\w+\s+\d+ ([^@\s]+)@@(\S+)$/gm)) {
    defaults.set(m[1]!, m[2]!);
    count++;
  }
  assert.ok(count > 1000, `readelf listed ${count} default versions`);
  for (const [name, version] of defaults) assert.equal(lib.exports.get(name)?.version, version, name);
  // pthread_cond_wait has an old hidden version (GLIBC_2.2.5) beside the default one.
  assert.match(text, / pthread_cond_wait@GLIBC_2\.2\.5\b/);
  assert.equal(lib.exports.get('pthread_cond_wait')?.version, 'GLIBC_2.3.2');
});

test('linker scripts: the files of GROUP and INPUT, AS_NEEDED ones included, comments and other commands skipped', () => {
  assert.deepEqual(
    scriptFiles('/* GNU ld script\n   Use the shared library. */\nOUTPUT_FORMAT(elf64-x86-64)\nGROUP ( /lib/x86_64-linux-gnu/libc.so.6 /usr/lib/x86_64-linux-gnu/libc_nonshared.a  AS_NEEDED ( /lib64/ld-linux-x86-64.so.2 ) )\n', 'libc.so'),
    ['/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib/x86_64-linux-gnu/libc_nonshared.a', '/lib64/ld-linux-x86-64.so.2'],
  );
  assert.deepEqual(scriptFiles('INPUT(libfoo.so.1 -lbar)', 'x'), ['libfoo.so.1', '-lbar']);
  assert.throws(() => scriptFiles('SEARCH_DIR(/x)', 'odd.so'), /odd\.so: neither a shared library nor a linker script naming one/);
});

test('linux/amd64: C++ with the standard library links with -lstdc++ -lgcc_s -lc, or the libraries by file (strings, vectors, an exception caught)', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('g++')) return t.skip('needs g++ (Debian package g++)');
  const o = path.join(dir, 'cxx.o');
  const src = writeTemp(dir, 'cxx.cc', '#include <string>\n#include <vector>\n#include <stdexcept>\n#include <cstdio>\nextern "C" int cmain() {\n  std::vector<std::string> v{"a", "bb", "ccc"};\n  std::string s;\n  for (auto &x : v) s += x;\n  try { v.at(7); } catch (const std::out_of_range &) { std::printf("caught %zu %s\\n", s.size(), s.c_str()); }\n  std::fflush(stdout);\n  return (int)s.size();\n}\n');
  assert.equal(run('g++', ['-O2', '-c', '-o', o, src]).status, 0);
  const main = writeTemp(dir, 'cxx-main.s', asmCallingC('amd64', []));
  // By file, and as g++ names them: libstdc++.so and libgcc_s.so (a script adding libgcc.a) are in gcc's own directory, which cc names.
  for (const libs of [['-l', ':libstdc++.so.6', '-l', ':libgcc_s.so.1', '-lc'], ['-lstdc++', '-lgcc_s', '-lc']]) {
    const exe = path.join(dir, 'cxx');
    const b = asmlink(['build', ...libs, '-o', exe, main, o]);
    assert.equal(b.status, 0, b.stderr);
    const r = run(exe, []);
    assert.deepEqual([r.stdout, r.status], ['caught 6 abbccc\n', 6], r.stderr);
    assert.match(run('readelf', ['-dW', exe]).stdout, /\[libstdc\+\+\.so\.6\][\s\S]*\[libgcc_s\.so\.1\]/, libs.join(' '));
  }
});

test('shared libraries: a damaged one is an Error naming the file, never a RangeError or a hang (500 mutations, fixed seed)', (t) => {
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const so = path.join(dir, 'libsmall.so');
  assert.equal(run('cc', ['-shared', '-fPIC', '-Wl,-soname,libsmall.so.1', '-o', so, writeTemp(dir, 'small.c', 'int f(int x) { return x + 1; }\nint g;\n')]).status, 0);
  const base = new Uint8Array(fs.readFileSync(so));
  const lib = readSharedLibrary(base, so);
  assert.equal(lib.soname, 'libsmall.so.1');
  assert.deepEqual([lib.exports.get('f')?.type, lib.exports.get('g')?.type], [2, 1]);
  let i = 0;
  for (const b of mutatedCopies(base, 2204, 500, 64)) {
    i++;
    try {
      readSharedLibrary(b, 'x.so');
    } catch (e) {
      assert.ok(e instanceof Error && e.constructor === Error && e.message.startsWith('x.so: malformed shared library: '), `case ${i}: ${String(e)}`);
    }
  }
});

test('linux/amd64: a shared library of one\'s own (-L, -l, --rpath): its functions, and its variables read in place, copied into the executable at the size the library gives, with every name the library has for them', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const libdir = path.join(dir, 'share');
  fs.mkdirSync(libdir, { recursive: true });
  // The library changes counter through another of its names.
  const so = path.join(libdir, 'libshare.so');
  assert.equal(run('cc', ['-shared', '-fPIC', '-O2', '-o', so, writeTemp(libdir, 'share.c', 'int counter = 10;\nextern int counter_alias __attribute__((alias("counter")));\nint table[3] = {1, 2, 3};\nint bump(void) { return ++counter_alias; }\n')]).status, 0);
  // cc's default (-fPIE) code reads extern variables in place: copies.
  const o = path.join(dir, 'use.o');
  assert.equal(run('cc', ['-O2', '-c', '-o', o, writeTemp(dir, 'use.c', 'extern int counter;\nextern int table[3];\nint bump(void);\nint printf(const char *, ...);\nint cmain(void) { bump(); bump(); table[0] = 7; printf("%d %d %d\\n", counter, table[2], table[0]); return counter; }\n')]).status, 0);
  assert.match(run('readelf', ['-rW', o]).stdout, /R_X86_64_PC32\s+0+ counter - 4/);
  const main = writeTemp(dir, 'use-main.s', asmCallingC('amd64', []));
  for (const [mode, extra] of [['internal', []], ['pie', ['--pie']]] as [string, string[]][]) {
    const exe = path.join(dir, `use-${mode}`);
    const b = asmlink(['build', ...extra, '-L', libdir, '-lshare', '-lc', '--rpath', libdir, '-o', exe, main, o]);
    assert.equal(b.status, 0, `${mode}: ${b.stderr}`);
    // C's answer: counter and counter_alias are one variable, bumped twice.
    // (GNU ld exports only counter at its copy, so cc's program prints 10.)
    const r = run(exe, []);
    assert.deepEqual([r.stdout, r.status], ['12 3 7\n', 12], `${mode}: ${r.stderr}`);
    const relocs = run('readelf', ['-rW', '--dyn-syms', exe]).stdout;
    assert.match(relocs, /R_X86_64_COPY\s+[0-9a-f]+ counter \+ 0/, mode);
    assert.match(relocs, /R_X86_64_COPY\s+[0-9a-f]+ table \+ 0/, mode);
    // The copy's size is the library's (12 bytes for table), and the alias is exported at the copy.
    assert.match(relocs, /\s12 OBJECT\s+GLOBAL\s+DEFAULT\s+\d+ table$/m, mode);
    const at = (name: string) => new RegExp(`^\\s*\\d+: ([0-9a-f]+)\\s+4 OBJECT\\s+GLOBAL\\s+DEFAULT\\s+\\d+ ${name}$`, 'm').exec(relocs)?.[1];
    assert.ok(at('counter') !== undefined && at('counter') === at('counter_alias'), `${mode}: counter_alias at counter's copy`);
  }
  // Imported one by one, a variable of another library has no known size: refused saying how to give it.
  const one = asmlink(['build', '-o', path.join(dir, 'use-one'), writeTemp(dir, 'use-one.s', asmCallingC('amd64', ['counter', 'table', 'bump', 'printf'], 'libshare.so')), o]);
  assert.equal(one.status, 1);
  assert.match(one.stderr, /imported counter's data in place, which needs a copy of it in the executable: asmlink makes one in linux executables for the variables of the libraries given with -l/);
});
