// COMDAT groups (C++ inline functions, templates, typeinfo; GNU as's
// `.section ...,comdat`): the first copy of each signature is linked and the
// others are left out, sections, frame descriptions and LSDAs alike, as GNU
// ld links them. A copy that defines a name no other copy does, or whose
// local symbol other code reaches, is kept whole instead (GNU ld refuses
// both).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which, writeTemp } from '../helpers.js';
import { asmCallingC, CMAIN_C, CMAIN_CXX, LINK_MODES } from './c-programs.js';

const dir = tempDir('asmlink-comdat-');

/** A COMDAT group `foo` whose function returns `value`, with frame information, and `extra` more lines in its section. */
function group(value: number, extra = ''): string {
  return `\t.section .text.foo,"axG",@progbits,foo,comdat
\t.weak foo
\t.type foo, @function
foo:
\t.cfi_startproc
\tmovl $${value}, %eax
\tret
\t.cfi_endproc
\t.size foo, .-foo
${extra}`;
}

// cmain returns foo() + 10 * other(); other is the second object's.
const FIRST = `${group(1)}\t.text
\t.globl cmain
\t.type cmain, @function
cmain:
\t.cfi_startproc
\tpushq %rbx
\t.cfi_def_cfa_offset 16
\tcall foo
\tmovl %eax, %ebx
\tcall other
\timull $10, %eax
\taddl %ebx, %eax
\tpopq %rbx
\t.cfi_def_cfa_offset 8
\tret
\t.cfi_endproc
`;

const other = (body: string) => `\t.text\n\t.globl other\n\t.type other, @function\nother:\n${body}\n`;

/**
 * The second object's variants: what cmain returns with it linked after the
 * first, and before it; how many copies of foo are linked with it after
 * (before it, its copy wins and the first's is left out).
 */
const SECONDS: { name: string; source: string; after: number; before: number; copies: number }[] = [
  { name: 'plain', source: group(2) + other('\tmovl $3, %eax\n\tret'), after: 31, before: 32, copies: 1 },
  // The copy defines foo_extra, which no other does: it stays.
  { name: 'extra', source: group(2, '\t.globl foo_extra\nfoo_extra:\n\tmovl $4, %eax\n\tret\n') + other('\tjmp foo_extra'), after: 41, before: 42, copies: 2 },
  // Code outside the group jumps to a local symbol inside it: it stays.
  { name: 'local', source: group(2, 'inside:\n\tmovl $5, %eax\n\tret\n') + other('\tjmp inside'), after: 51, before: 52, copies: 2 },
];

/** How many definitions of `name` the executable's symbol table has (a copy that lost is file-local there, renamed `name.N` in an external link). */
function copies(exe: string, name: string): number {
  const esc = name.replace(/[.$]/g, '\\$&');
  return [...run('nm', [exe]).stdout.matchAll(new RegExp(`^[0-9a-f]+ [A-Za-z] ${esc}(\\.\\d+)?$`, 'gm'))].length;
}

test('linux/amd64: of GNU as objects\' COMDAT groups the first copy is linked, as GNU ld links it; a copy another object needs stays', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('as')) return t.skip('needs GNU as (Debian package binutils)');
  const assemble = (name: string, source: string): string => {
    const o = path.join(dir, `${name}.o`);
    const r = run('as', ['-o', o, writeTemp(dir, `${name}.s`, source)]);
    assert.equal(r.status, 0, r.stderr);
    return o;
  };
  const main = writeTemp(dir, 'main.s', asmCallingC('amd64', []));
  const first = assemble('first', FIRST);
  for (const second of SECONDS) {
    const obj = assemble(`second-${second.name}`, second.source);
    for (const [order, want] of [[[first, obj], second.after], [[obj, first], second.before]] as const) {
      const tag = `${second.name}-${order[0] === first ? 'after' : 'before'}`;
      if (second.name === 'plain') {
        // What GNU ld makes of the same objects in the same order.
        const ref = path.join(dir, `ref-${tag}`);
        const l = run('cc', ['-no-pie', '-o', ref, ...order, writeTemp(dir, 'cmain.c', CMAIN_C)]);
        assert.equal(l.status, 0, l.stderr);
        assert.equal(run(ref, []).status, want);
      }
      for (const [mode, extra] of LINK_MODES) {
        const exe = path.join(dir, `${tag}-${mode}`);
        const b = asmlink(['build', ...extra, '-o', exe, main, ...order]);
        assert.equal(b.status, 0, `${tag} ${mode}: ${b.stderr}`);
        assert.equal(run(exe, []).status, want, `${tag} ${mode}`);
        assert.equal(copies(exe, 'foo'), order[0] === first ? second.copies : 1, `${tag} ${mode}: copies of foo`);
        // The copy left out has no frame description in the table; a kept one's describes the winner's code, zero bytes of it.
        const frames = run('readelf', ['-wf', exe]);
        assert.equal(frames.stderr, '', `${tag} ${mode}`);
      }
    }
  }
});

const INLINE = `extern "C" int printf(const char *, ...);
struct Guard { int *p; ~Guard() { ++*p; } };
__attribute__((noinline)) inline int safe(int x, int *cleanups) {
  Guard g{cleanups};
  try { if (x > 5) throw x; return x * 2; }
  catch (int v) { if (__builtin_expect(v > 100, 0)) printf("big %d\\n", v); return -v; }
}
`;
const CALLER = `${INLINE}extern "C" int b(int);
extern "C" int cmain(void) { int c = 0; int r = safe(3, &c) + safe(7, &c) + safe(200, &c) + b(9); printf("r=%d cleanups=%d\\n", r, c); return 0; }
`;
const CALLEE = `${INLINE}extern "C" int b(int x) { int c = 0; return safe(x, &c) + c; }\n`;
const CXX_IMPORTS = ['__cxa_allocate_exception', '__cxa_begin_catch', '__cxa_end_catch', '__cxa_throw', '__gxx_personality_v0', '_ZTIi'];

test('linux/amd64: g++\'s inline function with its LSDA is linked once; exceptions caught in it run as in the program g++ links', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('g++')) return t.skip('needs g++ (Debian package g++)');
  const objs = [
    ['caller', CALLER],
    ['callee', CALLEE],
  ].map(([name, source]) => {
    const o = path.join(dir, `${name}.o`);
    const r = run('g++', ['-O2', '-c', '-o', o, writeTemp(dir, `${name}.cc`, source!)]);
    assert.equal(r.status, 0, r.stderr);
    return o;
  });
  // Both objects hold the function and its LSDA in one group.
  for (const o of objs) assert.match(run('readelf', ['-gW', o]).stdout, /\[_Z4safeiPi\] contains \d+ sections:[\s\S]*\.gcc_except_table\._Z4safeiPi/);
  const ref = path.join(dir, 'cxx-ref');
  const l = run('g++', ['-o', ref, ...objs, writeTemp(dir, 'cxxmain.cc', CMAIN_CXX)]);
  assert.equal(l.status, 0, l.stderr);
  const want = run(ref, []).stdout;
  assert.equal(want, 'big 200\nr=-209 cleanups=3\n');
  const imports = CXX_IMPORTS.map((n) => `//go:cgo_import_dynamic ${n} ${n} "libstdc++.so.6"`).join('\n');
  const main = writeTemp(dir, 'cxx-main.s', asmCallingC('amd64', ['printf']).replace('#include "textflag.h"\n', `#include "textflag.h"\n${imports}\n//go:cgo_import_dynamic _Unwind_Resume _Unwind_Resume "libgcc_s.so.1"\n`));
  for (const [mode, extra] of LINK_MODES) {
    const exe = path.join(dir, `cxx-${mode}`);
    const b = asmlink(['build', ...extra, '-o', exe, main, ...objs]);
    assert.equal(b.status, 0, `${mode}: ${b.stderr}`);
    const r = run(exe, []);
    assert.equal(r.stdout, want, `${mode}: ${r.stderr}`);
    assert.equal(copies(exe, '_Z4safeiPi'), 1, mode);
    // The LSDA (a section without symbols: asmlink names it after the section) and the typeinfo reference.
    if (mode !== 'external') assert.equal(copies(exe, '.gcc_except_table._Z4safeiPi'), 1, mode);
    assert.equal(copies(exe, 'DW.ref._ZTIi'), 1, mode);
    // Frame descriptions: the copy left out has none with code; every table entry is one readelf lists.
    const fdes = [...run('readelf', ['-wf', exe]).stdout.matchAll(/FDE cie=[0-9a-f]+ pc=([0-9a-f]+)\.\.([0-9a-f]+)$/gm)].filter((m) => m[1] !== m[2]);
    const starts = fdes.map((m) => m[1]);
    assert.equal(new Set(starts).size, starts.length, `${mode}: two frame descriptions of one function`);
  }
});

// darwin: clang's objects have no groups, but with MH_SUBSECTIONS_VIA_SYMBOLS
// every symbol starts a piece of its own, and a weak definition (C's
// __attribute__((weak)), a C++ inline function, template or typeinfo) that
// lost to another object's is left out as a group is, the first linked as
// ld64 links it. Run under macho-run.
const machoRun = path.join(repoRoot, '..', 'shared', 'tools', 'macho-run', 'macho-run');
const triple = { amd64: 'x86_64-apple-macos11', arm64: 'arm64-apple-macos11' };
const WEAK_FIRST = '__attribute__((weak)) int w(void) { return 1; }\n__attribute__((weak)) int wd[2] = {5, 6};\nint other(void);\nint cmain(void) { return w() + 10 * other() + wd[1]; }\n';
const WEAK_SECOND = '__attribute__((weak)) int w(void) { return 2; }\n__attribute__((weak)) int wd[2] = {7, 8};\nint other(void) { return w() + wd[0]; }\n';

for (const arch of ['amd64', 'arm64'] as const) {
  test(`darwin/${arch}: of two clang objects' weak definitions the first is linked and the other left out, as ld64.lld links them`, (t) => {
    const clang = which('clang');
    if (!clang) return t.skip('needs clang (Debian package clang) to compile C for darwin');
    if (!fs.existsSync(machoRun) || !which('python3')) return t.skip('needs macho-run (../shared/tools/macho-run) and python3-unicorn');
    if (!which('llvm-nm')) return t.skip('needs llvm-nm (Debian package llvm)');
    const objs = [
      ['weak-first', WEAK_FIRST],
      ['weak-second', WEAK_SECOND],
    ].map(([name, source]) => {
      const o = path.join(dir, `${name}-${arch}.o`);
      const r = run(clang, [`--target=${triple[arch]}`, '-O2', '-c', '-o', o, writeTemp(dir, `${name}.c`, source!)]);
      assert.equal(r.status, 0, r.stderr);
      return o;
    });
    const main = writeTemp(dir, `weak-main-${arch}.s`, asmCallingC(arch, []));
    const ld64 = which('ld64.lld') || which('ld64.lld-14');
    // w() + 10 * (w() + wd[0]) + wd[1] with the first object's copies, then the second's.
    for (const [order, want] of [[objs, 67], [[...objs].reverse(), 100]] as const) {
      for (const mode of ld64 ? ['internal', 'external'] : ['internal']) {
        const exe = path.join(dir, `weak-${arch}-${want}-${mode}`);
        const b = asmlink(['build', '--os', 'darwin', '--arch', arch, '--linkmode', mode, '-o', exe, main, ...order]);
        assert.equal(b.status, 0, `${mode}: ${b.stderr}`);
        const r = run('python3', [machoRun, exe]);
        assert.equal(r.status, want, `${want} ${mode}: ${r.stderr}`);
        const nm = run('llvm-nm', ['--defined-only', exe]).stdout;
        for (const name of ['_w', '_wd']) assert.equal(nm.match(new RegExp(`^[0-9a-f]+ [A-Za-z] ${name}(\\.\\d+)?$`, 'gm'))?.length, 1, `${want} ${mode}: copies of ${name}\n${nm}`);
      }
    }
  });
}

/**
 * A copy of an arm64 object whose code reaches `to` (a symbol) through
 * `via` (another, before it in its section) plus their distance, as an
 * assembler may name a place: LLVM's names the piece itself.
 */
function throughEarlierSymbol(obj: Uint8Array, to: string, via: string): Uint8Array {
  const b = new Uint8Array(obj);
  const dv = new DataView(b.buffer);
  let at = 32;
  const sections: { name: string; addr: number; reloff: number; nreloc: number }[] = [];
  let symtab: { symoff: number; nsyms: number; stroff: number } | undefined;
  for (let i = 0; i < dv.getUint32(16, true); i++) {
    const cmd = dv.getUint32(at, true);
    if (cmd === 0x19) {
      for (let s = 0; s < dv.getUint32(at + 64, true); s++) {
        const e = at + 72 + 80 * s;
        const name = new TextDecoder().decode(b.subarray(e, e + 16)).replace(/\0.*$/s, '');
        sections.push({ name, addr: Number(dv.getBigUint64(e + 32, true)), reloff: dv.getUint32(e + 56, true), nreloc: dv.getUint32(e + 60, true) });
      }
    } else if (cmd === 0x2) symtab = { symoff: dv.getUint32(at + 8, true), nsyms: dv.getUint32(at + 12, true), stroff: dv.getUint32(at + 16, true) };
    at += dv.getUint32(at + 4, true);
  }
  assert.ok(symtab);
  const syms = Array.from({ length: symtab.nsyms }, (_, i) => {
    const e = symtab!.symoff + 16 * i;
    const s0 = symtab!.stroff + dv.getUint32(e, true);
    return { name: new TextDecoder().decode(b.subarray(s0, b.indexOf(0, s0))), value: Number(dv.getBigUint64(e + 8, true)) };
  });
  const toAt = syms.findIndex((s) => s.name === to);
  const viaAt = syms.findIndex((s) => s.name === via);
  assert.ok(toAt >= 0 && viaAt >= 0 && syms[viaAt]!.value < syms[toAt]!.value);
  const text = sections.find((s) => s.name === '__text')!;
  let patched = 0;
  for (let i = 0; i < text.nreloc; i++) {
    const e = text.reloff + 8 * i;
    const word = dv.getUint32(e + 4, true);
    const type = word >>> 28;
    // ARM64_RELOC_ADDEND (its symbol field the addend) before each PAGE21 / PAGEOFF12 of `to`.
    if (type === 10) dv.setUint32(e + 4, (word & 0xff000000) | (((word << 8) >> 8) + syms[toAt]!.value - syms[viaAt]!.value), true);
    else if ((type === 3 || type === 4) && (word & 0xffffff) === toAt) {
      dv.setUint32(e + 4, (word & 0xff000000) | viaAt, true);
      patched++;
    }
  }
  assert.equal(patched, 2);
  return b;
}

// The data the code reads (Ldata, in _g's piece) comes after a weak
// definition that another object's takes the place of; the code names it
// from the section's first label (ltmp1) plus the distance. The reader
// points the reference at the piece the place lies in, so leaving the weak
// copy out moves it with its piece.
const LTMP_CODE = `\t.section __TEXT,__text,regular,pure_instructions
\t.globl _cmain
\t.p2align 2
_cmain:
\tadrp x8, Ldata@PAGE
\tadd x8, x8, Ldata@PAGEOFF
\tldr x0, [x8]
\tret
\t.section __TEXT,__const
\t.p2align 3
\t.globl _w2
\t.weak_definition _w2
_w2:
\t.quad 7
\t.globl _g
_g:
\t.quad 1
Ldata:
\t.quad 42
\t.subsections_via_symbols
`;
const LTMP_WINNER = '\t.section __TEXT,__const\n\t.p2align 3\n\t.globl _w2\n\t.weak_definition _w2\n_w2:\n\t.quad 8\n\t.subsections_via_symbols\n';

test('darwin/arm64: a reference through a label before a weak copy left out reaches what it named', (t) => {
  const clang = which('clang');
  if (!clang) return t.skip('needs clang (Debian package clang) to assemble for darwin');
  if (!fs.existsSync(machoRun) || !which('python3')) return t.skip('needs macho-run (../shared/tools/macho-run) and python3-unicorn');
  const assemble = (name: string, source: string): string => {
    const o = path.join(dir, `${name}.o`);
    const r = run(clang, [`--target=${triple.arm64}`, '-c', '-o', o, writeTemp(dir, `${name}.s`, source)]);
    assert.equal(r.status, 0, r.stderr);
    return o;
  };
  const code = assemble('ltmp-code', LTMP_CODE);
  // LLVM names the place _g + 8; rewritten to ltmp1 (the section's start, where _w2 is) + 24.
  const named = path.join(dir, 'ltmp-code-via.o');
  fs.writeFileSync(named, throughEarlierSymbol(fs.readFileSync(code), '_g', 'ltmp1'));
  const winner = assemble('ltmp-winner', LTMP_WINNER);
  const main = writeTemp(dir, 'ltmp-main.s', asmCallingC('arm64', []));
  for (const obj of [code, named]) {
    const exe = path.join(dir, `ltmp-${path.basename(obj, '.o')}`);
    const b = asmlink(['build', '--os', 'darwin', '--arch', 'arm64', '-o', exe, main, winner, obj]);
    assert.equal(b.status, 0, b.stderr);
    const r = run('python3', [machoRun, exe]);
    assert.equal(r.status, 42, `${obj}: ${r.stderr}`);
    assert.equal(run('llvm-nm', ['--defined-only', exe]).stdout.match(/ _w2$/gm)?.length, 1);
  }
});

// The C++ library's templates, instantiated in two objects: their functions,
// and their static variables, which GCC binds STB_GNU_UNIQUE (one instance
// in the process), each in a group.
const STD_USER = (i: number) => `#include <vector>
#include <string>
#include <algorithm>
#include <map>
extern "C" int f${i}(int n) {
  std::vector<int> v; std::map<std::string, int> m;
  for (int k = 0; k < n; k++) { v.push_back((k * 7919 + ${i}) % 1000); m[std::to_string(k % 17)] += k; }
  std::sort(v.begin(), v.end());
  return v[n / 2] + (int)m.size() + ${i};
}
`;

/** Names the executable defines more than once (file-local copies, such as GCC's .isra clones of one template in each object). */
function definedTwice(exe: string): string[] {
  const names = run('nm', ['--defined-only', exe]).stdout.split('\n').map((l) => l.split(' ')[2]).filter((n): n is string => !!n);
  return [...new Set(names.filter((n, i) => names.indexOf(n) !== i))].sort();
}

test('linux/amd64: g++ objects instantiating the C++ library\'s templates (GNU-unique statics among them) link with -lstdc++, each copy once, and run as g++\'s program', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('g++')) return t.skip('needs g++ (Debian package g++)');
  const sources: [string, string][] = [
    ['std1', STD_USER(1)],
    ['std2', STD_USER(2)],
    ['stdmain', 'extern "C" { int f1(int); int f2(int); }\nextern "C" int cmain(void) { return (f1(100) + f2(300)) & 0xff; }\n'],
  ];
  const objs = sources.map(([name, source]) => {
    const o = path.join(dir, `${name}.o`);
    const r = run('g++', ['-O2', '-c', '-o', o, writeTemp(dir, `${name}.cc`, source)]);
    assert.equal(r.status, 0, r.stderr);
    return o;
  });
  assert.match(run('readelf', ['-sW', objs[0]!]).stdout, / UNIQUE /);
  const ref = path.join(dir, 'std-ref');
  const l = run('g++', ['-o', ref, ...objs, writeTemp(dir, 'std-cmain.cc', CMAIN_CXX)]);
  assert.equal(l.status, 0, l.stderr);
  const want = run(ref, []).status;
  const main = writeTemp(dir, 'std-main.s', asmCallingC('amd64', []));
  for (const [mode, extra] of LINK_MODES) {
    const exe = path.join(dir, `std-${mode}`);
    const b = asmlink(['build', ...extra, '-o', exe, main, ...objs, '-lstdc++', '-lgcc_s', '-lc']);
    assert.equal(b.status, 0, `${mode}: ${b.stderr}`);
    assert.equal(run(exe, []).status, want, mode);
    // Beside what g++'s program also has twice, only the objects' unnamed
    // pieces (asmlink names them after their sections: .LC0,
    // .gcc_except_table). The external object renames file-local names that
    // repeat (`name.N`), so there the count says nothing.
    if (mode !== 'external') assert.deepEqual(definedTwice(exe).filter((n) => !n.startsWith('.')), definedTwice(ref), mode);
  }
});
