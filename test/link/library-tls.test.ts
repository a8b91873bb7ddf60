// Thread-local variables of shared libraries: a C library's `__thread`
// variable, and libstdc++'s (std::call_once keeps its callable in one), which
// compiled code reaches in initial exec, general dynamic or through a TLS
// descriptor. The reader makes every such access local exec (tls-relax.ts);
// for a library's variable the linker turns it into initial exec, a GOT slot
// the loader fills with the variable's offset (R_X86_64_TPOFF64), as GNU ld
// does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, run, tempDir, which, writeTemp } from '../helpers.js';
import { linuxPrefix, runWith, type LinuxArch } from '../e2e/threads-check.js';
import { asmCallingC, cTools, CMAIN_C } from './c-programs.js';

const dir = tempDir();

const LIB_C = `__thread int lib_counter = 40;
__thread long lib_array[4] = {1, 2, 3, 4};
int lib_get(void) { return lib_counter; }
`;

// Reads and writes the library's variables, takes one's address, and does so
// on two more threads, each of which has its own copies.
const USE_C = `#include <stdio.h>
#include <pthread.h>
extern __thread int lib_counter;
extern __thread long lib_array[4];
int lib_get(void);
__attribute__((noinline)) int *counter_addr(void) { return &lib_counter; }
static void *worker(void *arg) {
  lib_counter = 100 + (int)(long)arg;
  *counter_addr() += 1;
  printf("thread %ld: %d %d %ld\\n", (long)arg, lib_counter, lib_get(), lib_array[1]);
  return 0;
}
int cmain(void) {
  lib_counter += 2;
  lib_array[2] = 7;
  *counter_addr() += 1;
  printf("main: %d %d %ld %ld\\n", lib_counter, lib_get(), lib_array[2], lib_array[3]);
  fflush(stdout);
  for (long i = 1; i <= 2; i++) { pthread_t t; pthread_create(&t, 0, worker, (void *)i); pthread_join(t, 0); fflush(stdout); }
  printf("main again: %d\\n", lib_get());
  fflush(stdout);
  return 0;
}
`;

const WANT = 'main: 43 43 7 4\nthread 1: 102 102 2\nthread 2: 103 103 2\nmain again: 43\n';

// The access sequences each compiler writes for another module's variable:
// cc's default (-fPIE: initial exec), -fPIC (general dynamic, or clang's
// arm64 descriptors), descriptors, position-dependent code, -O0.
const VARIANTS: Record<LinuxArch, [string[], RegExp][]> = {
  amd64: [
    [['-O2'], /R_X86_64_GOTTPOFF/],
    [['-O2', '-fPIC'], /R_X86_64_TLSGD/],
    [['-O2', '-fPIC', '-mtls-dialect=gnu2'], /R_X86_64_GOTPC32_TLSDESC/],
    [['-O0'], /R_X86_64_GOTTPOFF/],
  ],
  '386': [
    [['-O2'], /R_386_TLS_GOTIE/],
    [['-O2', '-fno-pic'], /R_386_TLS_IE/],
    [['-O2', '-fPIC'], /R_386_TLS_GD/],
    [['-O2', '-fPIC', '-mtls-dialect=gnu2'], /R_386_TLS_GOTDESC/],
  ],
  arm64: [
    [['-O2', '-fPIC'], /R_AARCH64_TLSDESC_ADR_PAGE21/],
    [['-O2', '-fno-pic'], /R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21/],
    [['-O0', '-fPIC', '-ftls-model=initial-exec'], /R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC/],
  ],
};

const TPOFF: Record<LinuxArch, string> = { amd64: 'R_X86_64_TPOFF64', '386': 'R_386_TLS_TPOFF', arm64: 'R_AARCH64_TLS_TPREL' };

for (const arch of ['amd64', '386', 'arm64'] as const) {
  test(`linux/${arch}: C code reaches a shared library's thread-local variables in every sequence the compiler writes, internally${arch === '386' ? '' : ', as a PIE'} and externally, on every thread, as in the program GNU ld links`, (t) => {
    const tools = cTools(arch);
    if (typeof tools === 'string') return t.skip(tools);
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const libObj = path.join(dir, `libtl-${arch}.o`);
    const lib = path.join(dir, arch, 'libtl.so');
    fs.mkdirSync(path.dirname(lib), { recursive: true });
    if (tools.compile(['-O2', '-fPIC'], writeTemp(dir, 'lib.c', LIB_C), libObj).status !== 0) return t.skip(`needs a C compiler for ${arch} (gcc-multilib for 386)`);
    assert.equal(tools.shared([libObj], lib).status, 0);
    const use = writeTemp(dir, 'use.c', USE_C);
    const main = writeTemp(dir, `tls-main-${arch}.s`, asmCallingC(arch, []));
    for (const [flags, access] of VARIANTS[arch]) {
      const o = path.join(dir, `use-${arch}${flags.join('')}.o`);
      assert.equal(tools.compile(flags, use, o).status, 0, flags.join(' '));
      assert.match(run('readelf', ['-rW', o]).stdout, access, flags.join(' '));
      if (arch === 'amd64') {
        const ref = path.join(dir, `tls-ref${flags.join('')}`);
        const refLink = run('gcc', ['-o', ref, o, writeTemp(dir, 'tls-cmain.c', CMAIN_C), `-L${path.dirname(lib)}`, '-ltl', `-Wl,-rpath,${path.dirname(lib)}`]);
        assert.equal(refLink.status, 0, refLink.stderr);
        assert.equal(run(ref, []).stdout, WANT, `GNU ld's program, ${flags.join(' ')}`);
      }
      for (const mode of arch === '386' ? [[], ['--linkmode', 'external']] : [[], ['--pie'], ['--linkmode', 'external']]) {
        const label = `${arch} ${flags.join(' ')} ${mode.join(' ') || 'internal'}`;
        const exe = path.join(dir, `tls-${arch}${flags.join('')}${mode.join('')}`);
        const l = asmlink(['build', '--arch', arch, ...mode, '-o', exe, main, o, '-L', path.dirname(lib), '-l', 'tl', '-lc', '--rpath', path.dirname(lib)]);
        assert.equal(l.status, 0, `${label}: ${l.stderr}`);
        const r = runWith(prefix, exe, []);
        assert.equal(r.stdout, WANT, `${label}: ${r.stderr}`);
        assert.equal(r.status, 0, `${label}: ${r.stderr}`);
        if (mode[0] === '--linkmode') continue;
        // The loader fills a GOT slot per variable; their dynamic symbols are thread-local.
        assert.match(run('readelf', ['-rW', exe]).stdout, new RegExp(`${TPOFF[arch]}\\S* +0+ +lib_counter`), label);
        assert.match(run('readelf', ['--dyn-syms', '-W', exe]).stdout, / TLS +GLOBAL +DEFAULT +UND lib_array$/m, label);
      }
    }
  });
}

test('linux/amd64: C++ std::call_once, which keeps its callable in libstdc++\'s thread-locals, links and runs, internally and externally', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('g++')) return t.skip('needs g++ (Debian package g++)');
  const src = writeTemp(dir, 'once.cpp', `#include <mutex>
#include <thread>
#include <cstdio>
static std::once_flag flag;
static int calls;
static void init(int by) { calls++; std::printf("init by %d\\n", by); }
extern "C" int cmain() {
  std::thread a([] { std::call_once(flag, init, 1); });
  a.join();
  std::call_once(flag, init, 2);
  std::printf("calls %d\\n", calls);
  std::fflush(stdout);
  return calls;
}
`);
  const o = path.join(dir, 'once.o');
  const made = run('g++', ['-O2', '-c', '-o', o, src]);
  assert.equal(made.status, 0, made.stderr);
  assert.match(run('readelf', ['-rW', o]).stdout, /_ZSt15__once_callable/);
  const main = writeTemp(dir, 'once-main.s', asmCallingC('amd64', []));
  for (const mode of [[], ['--pie'], ['--linkmode', 'external']]) {
    const exe = path.join(dir, `once${mode.join('')}`);
    const l = asmlink(['build', ...mode, '-o', exe, main, o, '-lstdc++', '-lgcc_s', '-lc']);
    assert.equal(l.status, 0, `${mode.join(' ')}: ${l.stderr}`);
    const r = run(exe, []);
    assert.equal(r.stdout, 'init by 1\ncalls 1\n', mode.join(' '));
    assert.equal(r.status, 1);
  }
});

test('linux/amd64: a library\'s thread-local variable reached by an instruction other than the compilers\' sequences is refused with the reason', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('gcc') || !which('as')) return t.skip('needs gcc and as (Debian packages gcc, binutils)');
  const lib = path.join(dir, 'libtl2.so');
  assert.equal(run('gcc', ['-shared', '-fPIC', '-O2', '-o', lib, writeTemp(dir, 'lib2.c', LIB_C)]).status, 0);
  // A local-exec access names the variable's offset directly: only the executable's own variables have one.
  const o = path.join(dir, 'le.o');
  assert.equal(run('as', ['-o', o, writeTemp(dir, 'le.s', '\t.text\n\t.globl cmain\ncmain:\n\tmovl %fs:lib_counter@tpoff, %eax\n\tret\n')]).status, 0);
  const l = asmlink(['build', '-o', path.join(dir, 'le'), writeTemp(dir, 'le-main.s', asmCallingC('amd64', [])), o, '-L', dir, '-l', 'tl2', '-lc']);
  assert.equal(l.status, 1);
  assert.match(l.stderr, /lib_counter is a thread-local variable of a shared library: asmlink links the thread-locals its own objects define, and a library's reached as compilers reach them \(initial exec, general dynamic, TLS descriptors\)/);
});

test('API: objects whose access to a library\'s thread-local became initial exec link again alike, internally and externally (the objects are not changed by a link)', async (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('gcc') || !which('readelf')) return t.skip('needs gcc and readelf (Debian packages gcc, binutils)');
  const { assemble, link, readObject, runtimeObjectsFor } = await import('../../src/index.js');
  const lib = path.join(dir, 'libtlapi.so');
  assert.equal(run('gcc', ['-shared', '-fPIC', '-O2', '-o', lib, writeTemp(dir, 'libapi.c', LIB_C)]).status, 0);
  const o = path.join(dir, 'api-use.o');
  assert.equal(run('gcc', ['-O2', '-c', '-o', o, writeTemp(dir, 'api-use.c', 'extern __thread int lib_counter;\nint cmain(void) { lib_counter += 2; return lib_counter; }\n')]).status, 0);
  assert.match(run('readelf', ['-rW', o]).stdout, /R_X86_64_GOTTPOFF/, 'initial exec, as cc writes it');
  const target = { os: 'linux', arch: 'amd64' } as const;
  const main = assemble(asmCallingC('amd64', ['lib_counter'], 'libtlapi.so'), { file: 'main.s', target });
  const objs = [main, readObject(new Uint8Array(fs.readFileSync(o)), 'api-use.o'), ...runtimeObjectsFor(target, 'libc')];
  const internal = [0, 1].map(() => link(objs, { target, linkmode: 'internal', entry: '_rt0_amd64_linux' }));
  assert.ok(internal.every((r) => r.kind === 'executable'));
  assert.ok(Buffer.from(internal[0]!.bytes).equals(Buffer.from(internal[1]!.bytes)), 'the second link makes the same bytes');
  const exe = path.join(dir, 'api-tls');
  fs.writeFileSync(exe, internal[1]!.bytes, { mode: 0o755 });
  assert.equal(run(exe, [], { env: { ...process.env, LD_LIBRARY_PATH: dir } }).status, 42, 'lib_counter 40 + 2, through the GOT slot the loader filled');
  const external = link(objs, { target, linkmode: 'external', entry: 'main' });
  assert.equal(external.kind, 'object');
  const eo = path.join(dir, 'api-tls-external.o');
  fs.writeFileSync(eo, external.bytes);
  assert.match(run('readelf', ['-rW', eo]).stdout, /R_X86_64_GOTTPOFF\s+0+ lib_counter/, 'the external object asks the system linker for initial exec');
});
