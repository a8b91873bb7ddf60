// A library's variables that compiled code reaches in place: code that reads
// them, or that makes their address itself (an immediate in -fno-pic code,
// a LEAQ or ADRP + ADD, with an offset: `&tzname[1]`, g++'s store of a
// library class's vtable address plus 16), needs them in the executable. The
// linker gives it a copy the loader fills (R_*_COPY), as GNU ld does; before,
// an address as an immediate pointed at a PLT entry and an offset was
// refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { asmlink, run, tempDir, which, writeTemp } from '../helpers.js';
import { linuxPrefix, runWith, type LinuxArch } from '../e2e/threads-check.js';
import { asmCallingC, CMAIN_C, CMAIN_CXX } from './c-programs.js';

const dir = tempDir('asmlink-library-data-');

/** The compilers of -fno-pic C code for each target. */
const C_COMPILERS: Record<LinuxArch, string[]> = {
  amd64: ['gcc'],
  '386': ['gcc', '-m32'],
  arm64: ['clang', '--target=aarch64-linux-gnu'],
};

/**
 * C source `source` (whose cmain is the program) written as NAME.c, whose
 * path it returns, once the reference, cc's position-dependent -fno-pic
 * program of it, printed and exited with `want`.
 */
function ccReference(name: string, source: string, want: [string, number]): string {
  const c = writeTemp(dir, `${name}.c`, source);
  const ref = path.join(dir, `${name}-ref`);
  assert.equal(run('cc', ['-O0', '-fno-pic', '-no-pie', '-o', ref, c, writeTemp(dir, `${name}-cmain.c`, CMAIN_C)]).status, 0);
  const r = run(ref, []);
  assert.deepEqual([r.stdout, r.status], want);
  return c;
}

/** -fno-pic code of C file `c` for `arch`. */
function compileNoPic(arch: LinuxArch, c: string, name: string): string {
  const o = path.join(dir, `${name}-${arch}.o`);
  const cc = C_COMPILERS[arch];
  const r = run(cc[0]!, [...cc.slice(1), '-O0', '-fno-pic', '-c', '-o', o, c]);
  assert.equal(r.status, 0, r.stderr);
  return o;
}

// Addresses of the C library's variables, one with an offset; 15 when each is right.
const ADDRESSES_C = `#include <stdio.h>
#include <time.h>
extern char **environ;
int cmain(void) {
  FILE **p = &stdout; char ***e = &environ; char **z = &tzname[1];
  tzset();
  fputs("via pointer\\n", *p);
  fflush(*p);
  return (*e != 0) + 2 * (p == &stdout) + 4 * (z == tzname + 1) + 8 * (*z != 0);
}
`;
const ADDRESS_IMPORTS = ['fputs', 'fwrite', 'fflush', 'tzset', 'stdout', 'environ', 'tzname'];

test('linux: -fno-pic C code taking the address of the C library\'s variables (one plus an offset) links with copies of them, on amd64, 386 and arm64, with the imports declared or from -lc', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('gcc') || !which('clang')) return t.skip('needs gcc and clang (Debian packages gcc-multilib and clang)');
  const c = ccReference('addresses', ADDRESSES_C, ['via pointer\n', 15]);
  const copyType: Record<LinuxArch, string> = { amd64: 'R_X86_64_COPY', '386': 'R_386_COPY', arm64: 'R_AARCH64_COPY' };
  for (const arch of ['amd64', '386', 'arm64'] as const) {
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const copy = copyType[arch];
    const o = compileNoPic(arch, c, 'addresses');
    for (const [how, main, extra] of [
      ['declared', asmCallingC(arch, ADDRESS_IMPORTS), []],
      ['-lc', asmCallingC(arch, []), ['-lc']],
    ] as const) {
      const exe = path.join(dir, `addresses-${arch}-${how}`);
      const b = asmlink(['build', '--arch', arch, '-o', exe, writeTemp(dir, `addresses-main-${arch}-${how}.s`, main), o, ...extra]);
      assert.equal(b.status, 0, `${arch} ${how}: ${b.stderr}`);
      const r = runWith(prefix, exe, []);
      assert.deepEqual([r.stdout, r.status], ['via pointer\n', 15], `${arch} ${how}: ${r.stderr}`);
      const relocs = run('readelf', ['-rW', exe]).stdout;
      for (const v of ['stdout', 'tzname']) assert.match(relocs, new RegExp(`${copy}\\s.*\\b${v}\\b`), `${arch} ${how}: ${v}`);
    }
  }
});

// g++'s -fPIE code stores the address of a library class's vtable plus 16
// (std::ostringstream's, std::runtime_error's typeinfo) and reads std::cout
// in place: GNU ld copies them into the executable.
const STREAMS_CC = `#include <sstream>
#include <iostream>
#include <stdexcept>
extern "C" int cmain(void) {
  std::ostringstream os;
  os << "six " << 6 << ",";
  try { throw std::runtime_error("boom"); } catch (const std::exception &e) { os << " " << e.what(); }
  std::cout << os.str() << std::endl;
  return 0;
}
`;

test('linux/amd64: g++ code using the C++ library\'s streams and exceptions links with copies of its vtables and std::cout, as in the program g++ links; -fno-pic code too, whose exception tables hold 4-byte addresses', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('g++')) return t.skip('needs g++ (Debian package g++)');
  const o = path.join(dir, 'streams.o');
  const b0 = run('g++', ['-O2', '-c', '-o', o, writeTemp(dir, 'streams.cc', STREAMS_CC)]);
  assert.equal(b0.status, 0, b0.stderr);
  // The code makes the vtable's address plus an offset itself (R_X86_64_PC32 with an addend).
  assert.match(run('readelf', ['-rW', o]).stdout, /R_X86_64_PC32\s+0+\s+_ZTVNSt7__cxx1119basic_ostringstream\S* \+ [1-9a-f]/);
  const ref = path.join(dir, 'streams-ref');
  assert.equal(run('g++', ['-o', ref, o, writeTemp(dir, 'streams-cmain.cc', CMAIN_CXX)]).status, 0);
  const want = run(ref, []).stdout;
  assert.equal(want, 'six 6, boom\n');
  const main = writeTemp(dir, 'streams-main.s', asmCallingC('amd64', []));
  for (const extra of [[], ['--pie'], ['--linkmode', 'external']]) {
    const exe = path.join(dir, `streams${extra.join('')}`);
    const b = asmlink(['build', ...extra, '-o', exe, main, o, '-lstdc++', '-lgcc_s', '-lc']);
    assert.equal(b.status, 0, `${extra.join(' ')}: ${b.stderr}`);
    const r = run(exe, []);
    assert.deepEqual([r.stdout, r.status], [want, 0], `${extra.join(' ')}: ${r.stderr}`);
    const relocs = run('readelf', ['-rW', exe]).stdout;
    // std::cout's address without an offset comes from a GOT slot in the object for the system linker, which then makes no copy.
    const copied = extra[0] === '--linkmode' ? ['_ZTVNSt7__cxx1119basic_ostringstream'] : ['_ZTVNSt7__cxx1119basic_ostringstream', '_ZSt4cout'];
    for (const v of copied) assert.match(relocs, new RegExp(`R_X86_64_COPY\\s.*${v}`), `${extra.join(' ')}: ${v}`);
  }
  // -fno-pic: the personality routine (a function: its PLT entry) and
  // typeinfo (data: a copy) as 4-byte absolute addresses in .eh_frame and
  // .gcc_except_table; a position-dependent executable only.
  const np = path.join(dir, 'streams-nopic.o');
  assert.equal(run('g++', ['-O2', '-fno-pic', '-c', '-o', np, path.join(dir, 'streams.cc')]).status, 0);
  assert.match(run('readelf', ['-rW', np]).stdout, /R_X86_64_32\s+0+\s+__gxx_personality_v0/);
  for (const extra of [[], ['--linkmode', 'external']]) {
    const exe = path.join(dir, `streams-nopic${extra.join('')}`);
    const b = asmlink(['build', ...extra, '-o', exe, main, np, '-lstdc++', '-lgcc_s', '-lc']);
    assert.equal(b.status, 0, `-fno-pic ${extra.join(' ')}: ${b.stderr}`);
    const r = run(exe, []);
    assert.deepEqual([r.stdout, r.status], [want, 0], `-fno-pic ${extra.join(' ')}: ${r.stderr}`);
  }
  // Without the library, asmlink cannot tell the routine is a function: it says what would link it.
  const thrower = path.join(dir, 'thrower-nopic.o');
  assert.equal(run('g++', ['-O2', '-fno-pic', '-c', '-o', thrower, writeTemp(dir, 'thrower.cc', 'extern "C" int cmain(void) { try { throw 3; } catch (int v) { return v; } }\n')]).status, 0);
  const cxxabi = ['__cxa_allocate_exception', '__cxa_begin_catch', '__cxa_end_catch', '__cxa_throw', '__gxx_personality_v0', '_ZTIi'];
  const imports = [...cxxabi.map((n) => `//go:cgo_import_dynamic ${n} ${n} "libstdc++.so.6"`), '//go:cgo_import_dynamic _Unwind_Resume _Unwind_Resume "libgcc_s.so.1"'].join('\n');
  const nolib = asmlink(['build', '-o', path.join(dir, 'thrower-nolib'), writeTemp(dir, 'thrower-main.s', `${imports}\n${asmCallingC('amd64', [])}`), thrower]);
  assert.equal(nolib.status, 1);
  assert.match(nolib.stderr, /4-byte absolute address of imported __gxx_personality_v0 in data, where a library's address does not fit \(C and C\+\+ compiled with -fno-pic write them\): give the link the library \(-l\)/);
});

test('linux/amd64: the address of a library variable asmlink knows no size of, plus an offset, is an error that says what would link it; so is a copy\'s address in the code of a PIE', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  const o = path.join(dir, 'table.o');
  const b0 = run('cc', ['-O2', '-c', '-o', o, writeTemp(dir, 'table.c', 'extern int some_table[4];\nint *cmain(void) { return &some_table[2]; }\n')]);
  assert.equal(b0.status, 0, b0.stderr);
  const exe = path.join(dir, 'table');
  const b = asmlink(['build', '-o', exe, writeTemp(dir, 'table-main.s', asmCallingC('amd64', ['some_table'])), o]);
  assert.equal(b.status, 1);
  assert.match(b.stderr, /^\S+table\.o: cmain\+0x3: the address of imported some_table plus 8 needs a copy of its data in the executable: asmlink makes one in linux executables for the variables of the libraries given with -l/m);
  // -fno-pic code's immediate address of stdout: a copy in a position-dependent executable, which a PIE cannot slide in code.
  const p = path.join(dir, 'immediate.o');
  assert.equal(run('cc', ['-O0', '-fno-pic', '-c', '-o', p, writeTemp(dir, 'immediate.c', '#include <stdio.h>\nint cmain(void) { FILE **p = &stdout; return p == &stdout; }\n')]).status, 0);
  const main = writeTemp(dir, 'immediate-main.s', asmCallingC('amd64', ['stdout']));
  const ok = asmlink(['build', '-o', path.join(dir, 'immediate'), main, p]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(run(path.join(dir, 'immediate'), []).status, 1);
  const pie = asmlink(['build', '--pie', '-o', path.join(dir, 'immediate-pie'), main, p]);
  assert.equal(pie.status, 1);
  assert.match(pie.stderr, /immediate\.o: cmain\+0x8: absolute address of stdout in code, which a position-independent executable cannot relocate/);
});

// -fno-pic code takes a library function's address as an immediate: its PLT
// entry's, which then is the function's address everywhere (the executable
// exports it, hashed), so the library's pointers to the function equal the
// program's, as in the program GNU ld links.
const CANONICAL_C = `#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
int cmain(void) {
  void *mine = (void *)&puts, *lib = dlsym(RTLD_DEFAULT, "puts");
  printf("%d\\n", mine == lib);
  fflush(stdout);
  return mine == lib;
}
`;

test('linux: a library function whose address -fno-pic code takes is the same address in the program and the library, on amd64, 386 and arm64', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('gcc') || !which('clang')) return t.skip('needs gcc and clang (Debian packages gcc-multilib and clang)');
  const c = ccReference('canonical', CANONICAL_C, ['1\n', 1]);
  for (const arch of ['amd64', '386', 'arm64'] as const) {
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const o = compileNoPic(arch, c, 'canonical');
    const exe = path.join(dir, `canonical-${arch}`);
    const b = asmlink(['build', '--arch', arch, '-o', exe, writeTemp(dir, `canonical-main-${arch}.s`, asmCallingC(arch, [])), o, '-lc']);
    assert.equal(b.status, 0, `${arch}: ${b.stderr}`);
    const r = runWith(prefix, exe, []);
    assert.deepEqual([r.stdout, r.status], ['1\n', 1], `${arch}: ${r.stderr}`);
    if (arch === 'arm64') continue; // its code takes the address from the GOT: nothing to export
    // puts is defined (hashed) at its PLT entry: a value, no section.
    assert.match(run('readelf', ['--dyn-syms', '-W', exe]).stdout, /: 0*[1-9a-f][0-9a-f]*\s+0 FUNC\s+GLOBAL DEFAULT\s+UND puts@GLIBC/, arch);
  }
});
