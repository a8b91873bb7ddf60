// Compiled code's call frames (.eh_frame) reach the executable with the
// search table the unwinder looks in (.eh_frame_hdr, PT_GNU_EH_FRAME): C++
// exceptions thrown and caught across two objects, through a template both
// objects define (COMDAT: one copy is linked, the other's frame description
// is dropped), print what the program g++ links prints, on amd64, 386 and
// arm64, linked internally, as a PIE and externally. The table is checked
// against the frame descriptions readelf lists, and gdb unwinds through the
// C++ frames by it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, run, tempDir, which, writeTemp } from '../helpers.js';
import { linuxPrefix, runWith, type LinuxArch } from '../e2e/threads-check.js';
import { asmCallingC, LINK_MODES } from './c-programs.js';

const dir = tempDir('asmlink-eh-frame-');

// Without headers, so that it compiles for any target. `pick` is a template
// both files instantiate out of line; `seven` keeps the compiler from
// knowing which way it goes.
const PICK = 'struct Boom { int code; };\ntemplate <typename T> __attribute__((noipa)) T pick(T a, T b, int which) { if (which > 2) throw Boom{which}; return which ? a : b; }\n';
const FIRST = `extern "C" int printf(const char *, ...);
${PICK}static __attribute__((noinline)) int depth(int n) { if (n == 0) throw 42; return depth(n - 1) + 1; }
extern "C" int twice(int);
extern "C" int cmain(void) {
  int got = 0;
  volatile int seven = 7;
  try { depth(5); } catch (int v) { printf("caught int %d\\n", v); got += v; }
  try { pick(1, 2, (int)seven); } catch (const Boom &b) { printf("caught Boom %d\\n", b.code); got += b.code; }
  try { twice(-1); } catch (long v) { printf("caught long %ld\\n", v); got += (int)v; }
  printf("twice(3)=%d\\n", twice(3));
  return got;
}
`;
const SECOND = `${PICK}extern "C" int twice(int x) { if (x < 0) throw 100L; return pick(2 * x, 0, 1); }\n`;
const WANT = 'caught int 42\ncaught Boom 7\ncaught long 100\ntwice(3)=6\n';
const STDCXX = ['__cxa_allocate_exception', '__cxa_begin_catch', '__cxa_end_catch', '__cxa_throw', '__gxx_personality_v0', '_ZTIi', '_ZTIl', '_ZTVN10__cxxabiv117__class_type_infoE'];

function mainSource(arch: LinuxArch): string {
  const lines = [
    ...STDCXX.map((n) => `//go:cgo_import_dynamic ${n} ${n} "libstdc++.so.6"`),
    '//go:cgo_import_dynamic _Unwind_Resume _Unwind_Resume "libgcc_s.so.1"',
  ];
  return asmCallingC(arch, ['printf']).replace('#include "textflag.h"\n', `#include "textflag.h"\n${lines.join('\n')}\n`);
}

function compile(cxx: string[], flags: string[], tag: string): string[] {
  return [
    ['first', FIRST],
    ['second', SECOND],
  ].map(([name, source]) => {
    const o = path.join(dir, `${name}-${tag}.o`);
    const r = run(cxx[0]!, [...cxx.slice(1), '-O2', ...flags, '-c', '-o', o, writeTemp(dir, `${name}.cc`, source!)]);
    assert.equal(r.status, 0, r.stderr);
    return o;
  });
}

/** The .eh_frame_hdr's table against the frame descriptions readelf lists (those with code). */
function checkTable(exe: string): void {
  const sections = run('readelf', ['-SW', exe]).stdout;
  const sec = (name: string) => {
    const m = new RegExp(`\\s${name.replace('.', '\\.')}\\s+PROGBITS\\s+([0-9a-f]+)\\s+([0-9a-f]+)\\s+([0-9a-f]+)`).exec(sections);
    assert.ok(m, `${exe} has no ${name}`);
    return { addr: parseInt(m[1]!, 16), offset: parseInt(m[2]!, 16), size: parseInt(m[3]!, 16) };
  };
  const hdr = sec('.eh_frame_hdr');
  const eh = sec('.eh_frame');
  const phdrs = run('readelf', ['-lW', exe]).stdout;
  assert.match(phdrs, new RegExp(`GNU_EH_FRAME\\s+0x0*${hdr.offset.toString(16)}\\s`));
  const frames = run('readelf', ['-wf', exe]);
  assert.equal(frames.stderr, '');
  const fdes = [...frames.stdout.matchAll(/^([0-9a-f]+) [0-9a-f]+ [0-9a-f]+ FDE cie=[0-9a-f]+ pc=([0-9a-f]+)\.\.([0-9a-f]+)$/gm)]
    .filter((m) => m[2] !== m[3])
    .map((m) => [parseInt(m[2]!, 16), eh.addr + parseInt(m[1]!, 16)] as const)
    .sort((a, b) => a[0] - b[0]);
  const b = fs.readFileSync(exe).subarray(hdr.offset, hdr.offset + hdr.size);
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  assert.deepEqual([...b.subarray(0, 4)], [1, 0x1b, 0x03, 0x3b]);
  assert.equal(hdr.addr + 4 + dv.getInt32(4, true), eh.addr);
  const n = dv.getUint32(8, true);
  const table = Array.from({ length: n }, (_, i) => [hdr.addr + dv.getInt32(12 + 8 * i, true), hdr.addr + dv.getInt32(16 + 8 * i, true)] as const);
  assert.deepEqual(table, fdes);
}

function linkAndRun(arch: LinuxArch, prefix: string[], cxx: string[], flagSets: string[][], modes: [string, string[]][]): void {
  const main = writeTemp(dir, `main-${arch}.s`, mainSource(arch));
  for (const flags of flagSets) {
    const objs = compile(cxx, flags, `${arch}${flags.join('')}`);
    for (const [mode, extra] of modes) {
      const exe = path.join(dir, `${arch}${flags.join('')}-${mode}`);
      const b = asmlink(['build', '--arch', arch, ...extra, '-o', exe, main, ...objs]);
      assert.equal(b.status, 0, `${flags.join(' ')} ${mode}: ${b.stderr}`);
      const r = runWith(prefix, exe, []);
      assert.equal(r.stdout, WANT, `${flags.join(' ')} ${mode}: ${r.stderr}`);
      assert.equal(r.status, 149, `${flags.join(' ')} ${mode}`);
      if (mode !== 'external') checkTable(exe);
    }
  }
}


test('linux/amd64: C++ exceptions unwind through the frames of g++\'s objects (COMDAT copies dropped), as in the program g++ links; gdb unwinds by them', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('g++')) return t.skip('needs g++ (Debian package g++)');
  const ref = path.join(dir, 'reference');
  const objs = compile(['g++'], [], 'ref');
  assert.match(run('nm', objs).stdout, /W _Z4pickIiET_S0_S0_i[\s\S]*W _Z4pickIiET_S0_S0_i/);
  const l = run('g++', ['-o', ref, ...objs, writeTemp(dir, 'cmain.cc', 'extern "C" int cmain(void);\nint main() { return cmain(); }\n')]);
  assert.equal(l.status, 0, l.stderr);
  assert.equal(run(ref, []).stdout, WANT);
  linkAndRun('amd64', [], ['g++'], [[], ['-fPIC']], LINK_MODES);
  // The second object's frame description of `pick` describes the first's code: its length is zeroed.
  const internal = path.join(dir, 'amd64-fPIC-internal');
  assert.match(run('readelf', ['-wf', internal]).stdout, / FDE cie=[0-9a-f]+ pc=([0-9a-f]+)\.\.\1$/m);
  if (which('gdb')) {
    const bt = run('gdb', ['-batch', '-nx', '-ex', 'break twice', '-ex', 'run', '-ex', 'bt', internal]);
    assert.match(bt.stdout, /#0 [^\n]*twice[^\n]*\n#1 [^\n]*cmain[^\n]*\n#2 [^\n]*main\.main/, bt.stdout + bt.stderr);
  }
});

test('linux/386: C++ exceptions unwind through g++ -m32\'s frames (each object\'s pc thunk, one linked), internally and externally', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('g++')) return t.skip('needs g++ (Debian package g++)');
  const prefix = linuxPrefix('386');
  if (typeof prefix === 'string') return t.skip(prefix);
  if (!fs.existsSync('/usr/lib32/libstdc++.so.6')) return t.skip('needs the 386 C++ library (Debian package lib32stdc++6)');
  linkAndRun('386', prefix, ['g++', '-m32'], [[], ['-fPIC']], LINK_MODES.filter(([m]) => m !== 'pie'));
});

test('linux/arm64: C++ exceptions unwind through clang++\'s frames (pointers to code in PREL32/PREL64), internally, as a PIE and externally', (t) => {
  const clang = which('clang++');
  if (!clang) return t.skip('needs clang++ (Debian package clang)');
  const prefix = linuxPrefix('arm64');
  if (typeof prefix === 'string') return t.skip(prefix);
  if (!fs.existsSync('/usr/aarch64-linux-gnu/lib/libstdc++.so.6')) return t.skip('needs the arm64 C++ library (Debian package libstdc++6-arm64-cross)');
  linkAndRun('arm64', prefix, [clang, '--target=aarch64-linux-gnu'], [['-fPIC'], ['-fno-pic']], LINK_MODES);
});

test('linux: a malformed .eh_frame record is the object\'s error, and g++ -fno-pic\'s absolute pointers to the C++ library are refused saying where', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const s = writeTemp(dir, 'bad.s', '\t.text\n\t.globl cmain\ncmain:\n\tret\n\t.section .eh_frame,"a",@progbits\n\t.long 10\n\t.long 0\n\t.byte 9\n\t.byte 0\n\t.byte 1, 0x78, 16\n\t.byte 0\n');
  const o = path.join(dir, 'bad.o');
  assert.equal(run('cc', ['-c', '-o', o, s]).status, 0);
  const b = asmlink(['build', '-o', path.join(dir, 'bad'), writeTemp(dir, 'bad-main.s', asmCallingC('amd64', [])), o]);
  assert.equal(b.status, 1);
  assert.equal(b.stderr, `${o}: .eh_frame+0x8: CIE version 9\n`);
  if (!which('g++')) return;
  const objs = compile(['g++'], ['-fno-pic'], 'nopic');
  const r = asmlink(['build', '-o', path.join(dir, 'nopic'), writeTemp(dir, 'nopic-main.s', mainSource('amd64')), ...objs]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\.eh_frame<>\+0x[0-9a-f]+: 4-byte absolute address of imported __gxx_personality_v0 in data/);
});

test('linux/amd64: a C++ program with the standard library (strings, vectors, a static initializer, std::out_of_range) runs as g++ links it, internally, as a PIE, externally and statically', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('g++')) return t.skip('needs g++ (Debian package g++)');
  const src = writeTemp(dir, 'stdlib.cc', '#include <string>\n#include <vector>\n#include <stdexcept>\n#include <cstdio>\nstatic std::vector<std::string> names = {"alpha", "beta"};\nextern "C" int cmain(void) {\n  names.push_back("gamma");\n  std::string all;\n  for (auto &n : names) all += n + ",";\n  try { names.at(10); } catch (const std::out_of_range &e) { all += "caught"; }\n  std::printf("%s %zu\\n", all.c_str(), names.size());\n  return (int)all.size();\n}\n');
  const o = path.join(dir, 'stdlib.o');
  assert.equal(run('g++', ['-O2', '-c', '-o', o, src]).status, 0);
  const ref = path.join(dir, 'stdlib-ref');
  assert.equal(run('g++', ['-o', ref, o, writeTemp(dir, 'stdlib-main.cc', 'extern "C" int cmain(void);\nint main() { return cmain(); }\n')]).status, 0);
  const want = run(ref, []);
  assert.equal(want.stdout, 'alpha,beta,gamma,caught 3\n');
  // Each undefined name imported from the library that has it (the C library's, the unwinder's, else the C++ library's).
  const LIBC = new Set(['printf', 'puts', 'memcpy', 'memmove', 'memcmp', 'strlen', '__stack_chk_fail', '__cxa_atexit']);
  const undefs = run('nm', ['-u', o]).stdout.split('\n').map((l) => l.trim().split(/\s+/)[1]).filter((n): n is string => !!n && n !== '__dso_handle');
  const lib = (n: string) => (LIBC.has(n) ? 'libc.so.6' : n === '_Unwind_Resume' ? 'libgcc_s.so.1' : 'libstdc++.so.6');
  const imports = undefs.map((n) => `//go:cgo_import_dynamic ${n} ${n} "${lib(n)}"`).join('\n');
  // Without the imports, each undefined name's note names the library that has it.
  const bare = asmlink(['build', '-o', path.join(dir, 'stdlib-bare'), writeTemp(dir, 'stdlib-bare.s', asmCallingC('amd64', [])), o]);
  assert.equal(bare.status, 1);
  assert.match(bare.stderr, /import it: \/\/go:cgo_import_dynamic __cxa_begin_catch __cxa_begin_catch "libstdc\+\+\.so\.6"/);
  assert.match(bare.stderr, /import it: \/\/go:cgo_import_dynamic (_ZNSt7__cxx1112basic_string\w+) \1 "libstdc\+\+\.so\.6"/);
  assert.match(bare.stderr, /import it: \/\/go:cgo_import_dynamic _Unwind_Resume _Unwind_Resume "libgcc_s\.so\.1"/);
  assert.match(bare.stderr, /import it: \/\/go:cgo_import_dynamic __cxa_atexit __cxa_atexit "libc\.so\.6"/);
  const main = writeTemp(dir, 'stdlib-main.s', asmCallingC('amd64', []).replace('#include "textflag.h"\n', `#include "textflag.h"\n${imports}\n`));
  // Statically: each library's archive (libstdc++.a, and libgcc_eh.a for the unwinder).
  for (const [mode, extra] of [...LINK_MODES, ['static', ['--static', '--linkmode', 'external']] as [string, string[]]]) {
    const exe = path.join(dir, `stdlib-${mode}`);
    const b = asmlink(['build', ...extra, '-o', exe, main, o]);
    assert.equal(b.status, 0, `${mode}: ${b.stderr}`);
    const r = run(exe, []);
    assert.equal(r.stdout, want.stdout, `${mode}: ${r.stderr}`);
    assert.equal(r.status, want.status, mode);
  }
});
