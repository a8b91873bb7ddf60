// COMDAT groups (C++ inline functions, templates, typeinfo; GNU as's
// `.section ...,comdat`): the first copy of each signature is linked and the
// others are left out, sections, frame descriptions and LSDAs alike, as GNU
// ld links them. A copy that defines a name no other copy does, or whose
// local symbol other code reaches, is kept whole instead (GNU ld refuses
// both).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { asmlink, run, tempDir, which, writeTemp } from '../helpers.js';
import { asmCallingC, LINK_MODES } from './c-programs.js';

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
        const l = run('cc', ['-no-pie', '-o', ref, ...order, writeTemp(dir, 'cmain.c', 'int cmain(void);\nint main(void) { return cmain(); }\n')]);
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
  const l = run('g++', ['-o', ref, ...objs, writeTemp(dir, 'cxxmain.cc', 'extern "C" int cmain(void);\nint main() { return cmain(); }\n')]);
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
