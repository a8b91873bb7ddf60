// Real C libraries, compiled by GCC, linked with Go-style assembly: Debian's
// static libraries of SQLite, zlib and Lua 5.4 (tools/fetch-c-libraries.mjs
// unpacks them into .cache/c-libraries/), and the layouts of compiled code
// they showed the reader: a switch's jump table at the start of .rodata
// before a named array, and the assembler temporaries (.L…) that 386
// position-independent code keeps in .symtab for its jump tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, writeTemp } from '../helpers.js';
import { linuxPrefix, runWith, type LinuxArch } from '../e2e/threads-check.js';
import { asmCallingC, cTools, CMAIN_C } from './c-programs.js';

const dir = tempDir();
const TRIPLE: Record<LinuxArch, string> = { amd64: 'x86_64-linux-gnu', '386': 'i386-linux-gnu', arm64: 'aarch64-linux-gnu' };
/** Debian's names of the architectures (the directories of .cache/c-libraries). */
const DEBIAN_ARCH: Record<LinuxArch, string> = { amd64: 'amd64', '386': 'i386', arm64: 'arm64' };

// A switch dense enough for a jump table, which GCC puts at the start of
// .rodata, before the static array the cases read (amd64: the table's
// entries relocated, no symbol at offset 0; 386 -fPIC: the cases' labels
// kept in .symtab for @GOTOFF).
const SWITCH_C = `int printf(const char *, ...);
static const unsigned char weights[16] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3};
__attribute__((noinline)) int classify(int c, int i) {
  switch (c) {
  case 0: return weights[i & 15];
  case 1: return weights[(i + 1) & 15] * 2;
  case 2: return i * 3 + 1;
  case 3: return i ^ 0x55;
  case 4: return weights[(i * 7) & 15] + i;
  case 5: return -i;
  case 6: return i << 2;
  case 7: return 1000 - i;
  default: return 0;
  }
}
int cmain(void) {
  unsigned sum = 0;
  for (int i = 0; i < 40; i++) sum = sum * 31 + (unsigned)classify(i % 9, i);
  printf("sum %u\\n", sum);
  return 0;
}
`;

/** What SWITCH_C prints, computed here. */
function switchWant(): string {
  const w = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3];
  const classify = (c: number, i: number): number => [w[i & 15]!, w[(i + 1) & 15]! * 2, i * 3 + 1, i ^ 0x55, w[(i * 7) & 15]! + i, -i, i << 2, 1000 - i][c] ?? 0;
  let sum = 0;
  for (let i = 0; i < 40; i++) sum = (Math.imul(sum, 31) + classify(i % 9, i)) >>> 0;
  return `sum ${sum}\n`;
}

/** Size of a symbol in readelf -s output. */
function symbolSize(readelf: string, name: string): number {
  const m = new RegExp(`^ *\\d+: [0-9a-f]+ +(\\d+) .* ${name.replace(/\./g, '\\.')}$`, 'm').exec(readelf);
  assert.ok(m, `${name} in\n${readelf.slice(0, 2000)}`);
  return Number(m[1]);
}

for (const arch of ['amd64', '386', 'arm64'] as const) {
  test(`linux/${arch}: a switch's jump table before a named array in .rodata links; assembler temporaries (.L…) neither cut the function they are in nor reach .symtab`, (t) => {
    const cc = cTools(arch);
    if (typeof cc === 'string') return t.skip(cc);
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const c = writeTemp(dir, `switch-${arch}.c`, SWITCH_C);
    const main = writeTemp(dir, `switch-main-${arch}.s`, asmCallingC(arch, ['printf']));
    for (const flags of [['-O2'], ['-O2', '-fPIC'], ['-O0', '-fPIC']]) {
      const label = `${arch} ${flags.join(' ')}`;
      const o = path.join(dir, `switch-${arch}${flags.join('')}.o`);
      const made = cc.compile(flags, c, o);
      if (made.status !== 0 && arch === '386') return t.skip('needs gcc -m32 (Debian package gcc-multilib)');
      assert.equal(made.status, 0, made.stderr);
      const objSyms = run('readelf', ['-sW', o]).stdout;
      if (arch === '386' && flags.includes('-fPIC') && flags.includes('-O2')) assert.match(objSyms, / NOTYPE +LOCAL +DEFAULT +\d+ \.L\d+$/m, 'GCC keeps the cases\' labels');
      for (const mode of arch === '386' ? ['internal', 'external'] : ['internal', '--pie', 'external']) {
        const exe = path.join(dir, `switch-${arch}${flags.join('')}${mode}`);
        const l = asmlink(['build', '--arch', arch, ...(mode === '--pie' ? ['--pie'] : ['--linkmode', mode]), '-o', exe, main, o]);
        assert.equal(l.status, 0, `${label} ${mode}: ${l.stderr}`);
        const r = runWith(prefix, exe, []);
        assert.equal(r.stdout, switchWant(), `${label} ${mode}`);
        assert.equal(r.status, 0, `${label} ${mode}`);
        if (mode === 'external') continue;
        const exeSyms = run('readelf', ['-sW', exe]).stdout;
        assert.doesNotMatch(exeSyms, / \.L[^ ]*$/m, `${label} ${mode}: no assembler temporary in .symtab`);
        assert.equal(symbolSize(exeSyms, 'classify'), symbolSize(objSyms, 'classify'), `${label} ${mode}: classify whole, its size the object's`);
      }
    }
  });
}

test('linux/arm64: long double arithmetic in C calls libgcc\'s software floating point: the undefined names say where they are, and with libgcc_s the program links and runs', (t) => {
  const cc = cTools('arm64');
  if (typeof cc === 'string') return t.skip(cc);
  const prefix = linuxPrefix('arm64');
  if (typeof prefix === 'string') return t.skip(prefix);
  const c = writeTemp(dir, 'quad.c', 'int printf(const char *, ...);\nint cmain(void) { volatile long double a = 1.5L, b = 3.25L; volatile double d = (double)(a * b + 1); printf("%.4f\\n", d); return (int)(a * b); }\n');
  const o = path.join(dir, 'quad.o');
  assert.equal(cc.compile(['-O2'], c, o).status, 0);
  const main = writeTemp(dir, 'quad-main.s', asmCallingC('arm64', ['printf']));
  const exe = path.join(dir, 'quad');
  const b = asmlink(['build', '--arch', 'arm64', '-o', exe, main, o]);
  assert.equal(b.status, 1);
  assert.match(b.stderr, /undefined: __multf3 \(referenced by cmain\)\n(\t.*\n)*\tit is in the C compiler's runtime library, libgcc \(64-bit division on 386, long double arithmetic and outline atomics on arm64, target_clones' CPU checks\): give the link the archive \$\(cc -print-libgcc-file-name\) \(a --static link takes libgcc\.a itself where the C compiler for the target has one, or from -L DIR\), or -lgcc_s for its shared library\n/);
  // Debian's arm64 cross packages have the shared library only as libgcc_s.so.1.
  const ok = asmlink(['build', '--arch', 'arm64', '-o', exe, main, o, '-l', ':libgcc_s.so.1', '-lc']);
  assert.equal(ok.status, 0, ok.stderr);
  const r = runWith(prefix, exe, []);
  assert.equal(r.stdout, '5.8750\n');
  assert.equal(r.status, 4);
});

// SQLite (an in-memory database: a recursive query, aggregates, JSON), zlib
// (compress, uncompress, crc32) and Lua (tables, sort with a Lua comparator,
// string functions, pcall, coroutines, os.time), all in one program.
const LIBRARIES_C = `#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include <zlib.h>
#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>

static int row(void *u, int n, char **v, char **c) {
  (void)u;
  for (int i = 0; i < n; i++) printf("%s=%s%s", c[i], v[i] ? v[i] : "NULL", i + 1 < n ? " " : "\\n");
  return 0;
}

int cmain(void) {
  sqlite3 *db;
  char *err = 0;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) { printf("open failed\\n"); return 1; }
  const char *sql =
    "create table t(a integer primary key, b text, c real);"
    "insert into t(b,c) values('x', 1.5), ('y', 2.25), ('z', -3.0);"
    "with recursive r(i) as (select 1 union all select i+1 from r where i<1000) insert into t(b,c) select 'n'||i, i*0.5 from r;"
    "select count(*), sum(c), max(b), printf('%.3f', avg(c)) from t;"
    "select b, c from t where a in (1,2,3) order by c desc;"
    "select sqlite_version() is not null as v, json_object('k', 1) as j;";
  if (sqlite3_exec(db, sql, row, 0, &err) != SQLITE_OK) { printf("exec: %s\\n", err); return 1; }
  sqlite3_close(db);

  static char src[4096], comp[8192], back[4096];
  for (int i = 0; i < (int)sizeof src; i++) src[i] = "the quick brown fox "[i % 20];
  uLongf cl = sizeof comp, bl = sizeof back;
  if (compress2((Bytef *)comp, &cl, (Bytef *)src, sizeof src, 9) != Z_OK) return 2;
  if (uncompress((Bytef *)back, &bl, (Bytef *)comp, cl) != Z_OK) return 3;
  printf("zlib %s: %lu -> %lu -> %lu same=%d crc=%08lx\\n", zlibVersion(), (unsigned long)sizeof src, (unsigned long)cl, (unsigned long)bl, memcmp(src, back, bl) == 0, (unsigned long)crc32(0, (Bytef *)src, sizeof src));

  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  if (luaL_dostring(L, "local t = {} for i = 1, 100 do t[#t+1] = i * i end table.sort(t, function(a, b) return a > b end) "
                       "print(#t, t[1], t[100], string.format('%5.2f', math.sqrt(2)), ('abc'):rep(3), select('#', 1, 2, 3)) "
                       "local ok, e = pcall(error, 'boom') print(ok, e) "
                       "local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end) print(co(1), co(10)) "
                       "print((string.gsub('hello world', 'o', '0')), os.time{year=2020, month=1, day=1, hour=0} ~= nil)") != 0) {
    printf("lua: %s\\n", lua_tostring(L, -1));
    return 4;
  }
  lua_close(L);
  fflush(stdout);
  return 0;
}
`;

test('linux: a program on the static libraries of SQLite, zlib and Lua (Debian\'s, compiled by GCC) links with assembly on amd64, 386 and arm64, internally, as a PIE, with -g, with the C library linked statically and externally, and prints what the program GNU ld links prints', (t) => {
  const cache = path.join(repoRoot, '.cache', 'c-libraries');
  if (!fs.existsSync(path.join(cache, 'amd64', 'done'))) return t.skip('needs the C libraries: node tools/fetch-c-libraries.mjs (.ci/run runs it; needs apt-get and dpkg-deb)');
  const amd64 = cTools('amd64');
  if (typeof amd64 === 'string') return t.skip(amd64);
  const c = writeTemp(dir, 'libraries.c', LIBRARIES_C);
  const libs = (arch: LinuxArch): string[] => ['libsqlite3.a', 'libz.a', 'liblua5.4.a'].map((f) => path.join(cache, DEBIAN_ARCH[arch], 'usr', 'lib', TRIPLE[arch], f));
  const includes = (arch: LinuxArch): string[] => ['-I', path.join(cache, DEBIAN_ARCH[arch], 'usr', 'include'), '-I', path.join(cache, DEBIAN_ARCH[arch], 'usr', 'include', TRIPLE[arch])];
  // The reference: GNU ld (through cc) links the same object and libraries.
  const refObj = path.join(dir, 'libraries-ref.o');
  const made = run('gcc', ['-O2', ...includes('amd64'), '-c', '-o', refObj, c]);
  assert.equal(made.status, 0, made.stderr);
  const ref = path.join(dir, 'libraries-ref');
  const refLink = run('gcc', ['-o', ref, refObj, writeTemp(dir, 'libraries-main.c', CMAIN_C), ...libs('amd64'), '-lm']);
  assert.equal(refLink.status, 0, refLink.stderr);
  const want = run(ref, []);
  assert.equal(want.status, 0, want.stderr);
  assert.match(want.stdout, /^count\(\*\)=1003 sum\(c\)=250250\.75 max\(b\)=z /);
  assert.match(want.stdout, /\nfalse\tboom\n2\t20\nhell0 w0rld\ttrue\n$/);
  for (const arch of ['amd64', '386', 'arm64'] as const) {
    if (!fs.existsSync(path.join(cache, DEBIAN_ARCH[arch], 'done'))) {
      t.diagnostic(`${arch}: skipped, no C libraries for it in .cache/c-libraries (node tools/fetch-c-libraries.mjs)`);
      continue;
    }
    const cc = cTools(arch);
    const prefix = linuxPrefix(arch);
    if (typeof cc === 'string' || typeof prefix === 'string') {
      t.diagnostic(`${arch}: skipped, ${typeof cc === 'string' ? cc : prefix}`);
      continue;
    }
    const o = path.join(dir, `libraries-${arch}.o`);
    const compiled = cc.compile(['-O2', ...includes(arch)], c, o);
    assert.equal(compiled.status, 0, compiled.stderr);
    const main = writeTemp(dir, `libraries-main-${arch}.s`, asmCallingC(arch, []));
    // 64-bit division on 386 and long double arithmetic on arm64 are libgcc's.
    const runtime = arch === '386' ? [run('gcc', ['-m32', '-print-libgcc-file-name']).stdout.trim()] : arch === 'arm64' ? ['-l', ':libgcc_s.so.1'] : [];
    // Statically, the C library's libc.a and libgcc.a (arm64's unpacked beside the libraries).
    const staticRuntime = arch === 'arm64' ? ['-L', path.join(cache, 'arm64', 'usr', 'lib', 'gcc', TRIPLE.arm64, '12')] : [];
    for (const mode of arch === '386' ? [[], ['-g'], ['--static'], ['--linkmode', 'external']] : [[], ['--pie'], ['-g'], ['--static'], ['--linkmode', 'external']]) {
      const label = `${arch} ${mode.join(' ') || 'internal'}`;
      const exe = path.join(dir, `libraries-${arch}${mode.join('')}`);
      const l = asmlink(['build', '--arch', arch, ...mode, '-o', exe, main, o, ...libs(arch), ...(mode[0] === '--static' ? staticRuntime : runtime), '-lm', '-lc']);
      assert.equal(l.status, 0, `${label}: ${l.stderr}`);
      const r = runWith(prefix, exe, []);
      assert.equal(r.stdout, want.stdout, label);
      assert.equal(r.status, 0, label);
    }
  }
});

// An embedded Python: the interpreter from its static library, its
// extension modules (json's, hashlib's, _decimal, zlib) loaded from the
// host's standard library with dlopen, binding to the interpreter the
// program exports (--export-dynamic); threads; exceptions.
const PYTHON_C = `#include <Python.h>
int cmain(void) {
  Py_Initialize();
  int r = PyRun_SimpleString(
    "import sys, json, math, re, collections, itertools, functools, hashlib, threading, decimal, fractions, datetime, struct, zlib\\n"
    "print(sys.version_info[:2], math.factorial(30), json.dumps({'a': [1, 2, {'b': None}]}, sort_keys=True))\\n"
    "print(re.sub(r'(\\\\w+) (\\\\w+)', r'\\\\2 \\\\1', 'hello world'), collections.Counter('mississippi').most_common(2))\\n"
    "print(list(itertools.permutations('abc', 2))[:4], functools.reduce(lambda a, b: a * b, range(1, 10)))\\n"
    "print(hashlib.sha256(b'abc').hexdigest()[:16], decimal.Decimal(1) / decimal.Decimal(7), fractions.Fraction(3, 12))\\n"
    "out = []\\n"
    "def work(i): out.append(sum(range(i * 1000)))\\n"
    "ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]\\n"
    "[t.start() for t in ts]; [t.join() for t in ts]\\n"
    "print(sorted(out)[-1], len(out), struct.pack('<IH', 1, 2).hex(), zlib.crc32(b'hello'))\\n"
    "try:\\n  1/0\\nexcept ZeroDivisionError as e:\\n  print('caught', e)\\n"
    "print(datetime.date(2020, 2, 29) + datetime.timedelta(days=365))\\n");
  Py_Finalize();
  fflush(stdout);
  return r;
}
`;

test('linux/amd64: an embedded Python 3.11 (Debian\'s static libpython) links with assembly and runs, its extension modules loaded with dlopen binding to what the program exports (--export-dynamic), internally and externally, as the program GNU ld links does', (t) => {
  const cache = path.join(repoRoot, '.cache', 'c-libraries', 'amd64');
  const lib = path.join(cache, 'usr', 'lib', 'x86_64-linux-gnu', 'libpython3.11.a');
  if (!fs.existsSync(lib)) return t.skip('needs Python\'s static library: node tools/fetch-c-libraries.mjs (.ci/run runs it)');
  if (!fs.existsSync('/usr/lib/python3.11/lib-dynload')) return t.skip('needs the Python 3.11 standard library (Debian package python3.11)');
  const cc = cTools('amd64');
  if (typeof cc === 'string') return t.skip(cc);
  const c = writeTemp(dir, 'python.c', PYTHON_C);
  const o = path.join(dir, 'python.o');
  const made = run('gcc', ['-O2', '-I', path.join(cache, 'usr', 'include', 'python3.11'), '-I', path.join(cache, 'usr', 'include', 'x86_64-linux-gnu', 'python3.11'), '-c', '-o', o, c]);
  assert.equal(made.status, 0, made.stderr);
  // The C library's compression and XML parsers, as the installed shared libraries (no -dev package needed).
  const libgcc = run('gcc', ['-print-libgcc-file-name']).stdout.trim();
  const shared = ['-l', ':libz.so.1', '-l', ':libexpat.so.1', '-lm', '-ldl'];
  const ref = path.join(dir, 'python-ref');
  // Debian's libpython3.11.a is not position-independent.
  const refLink = run('gcc', ['-no-pie', '-rdynamic', '-o', ref, o, writeTemp(dir, 'python-main.c', CMAIN_C), lib, '-l:libz.so.1', '-l:libexpat.so.1', '-lm', '-ldl']);
  assert.equal(refLink.status, 0, refLink.stderr);
  const want = run(ref, []);
  assert.equal(want.status, 0, want.stderr);
  assert.match(want.stdout, /^\(3, 11\) 265252859812191058636308480000000 /);
  assert.match(want.stdout, /\ncaught division by zero\n2021-02-28\n$/);
  const main = writeTemp(dir, 'python-main.s', asmCallingC('amd64', []));
  for (const mode of [[], ['--linkmode', 'external']]) {
    const label = mode.join(' ') || 'internal';
    const exe = path.join(dir, `python${mode.join('')}`);
    const l = asmlink(['build', '--export-dynamic', ...mode, '-o', exe, main, o, lib, libgcc, ...shared, '-lc']);
    assert.equal(l.status, 0, `${label}: ${l.stderr}`);
    const r = run(exe, []);
    assert.equal(r.stdout, want.stdout, `${label}: ${r.stderr}`);
    assert.equal(r.status, 0, label);
  }
  // Without the exports, the extension modules cannot bind to the interpreter.
  const plain = path.join(dir, 'python-plain');
  assert.equal(asmlink(['build', '-o', plain, main, o, lib, libgcc, ...shared, '-lc']).status, 0);
  assert.match(run(plain, []).stderr, /ImportError: .*\.so: undefined symbol: Py/);
});
