// One test per link error message, through the CLI, asserting its text:
// undefined symbol (every referencing function and line up to a limit, the
// count of the rest, a near-name hint), duplicate symbol (both definitions),
// relocation out of range (symbol, site, distance), an object of the wrong
// architecture or format, and a library not found in external mode.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { asmlink, tempDir, which, writeTemp } from '../helpers.js';

const T = ['--os', 'linux', '--arch', 'amd64'];

function fails(args: string[], cwd: string): string {
  const r = asmlink(args, { cwd });
  assert.equal(r.status, 1, `asmlink ${args.join(' ')}: status ${r.status}\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
  return r.stderr;
}

test('undefined symbol: every referencing function with its line, up to 10, the count of the rest, and a hint', () => {
  const dir = tempDir();
  const lines = ['#include "textflag.h"', 'TEXT ·println(SB),NOSPLIT,$0-0', '\tRET', 'TEXT ·main(SB),NOSPLIT,$0-0'];
  for (let i = 0; i < 13; i++) lines.push(`\tCALL\t·f${i}(SB)`);
  lines.push('\tCALL\t·prnitln(SB)', '\tRET'); // line 18
  for (let i = 0; i < 13; i++) lines.push(`TEXT ·f${i}(SB),NOSPLIT,$0-0`, '\tNOP', '\tCALL\t·prnitln(SB)', '\tRET'); // calls on lines 22, 26, ...
  writeTemp(dir, 'undef.s', lines.join('\n') + '\n');
  const err = fails(['build', ...T, '-o', 'prog', 'undef.s'], dir);
  assert.match(err, /^undef\.s:18:\d+: undefined: main\.prnitln \(referenced by main\.main\)$/m);
  assert.match(err, /^\tundef\.s:18: referenced by main\.main\+0x[0-9a-f]+$/m);
  for (let i = 0; i < 9; i++) assert.match(err, new RegExp(`^\\tundef\\.s:${22 + 4 * i}: referenced by main\\.f${i}\\+0x1$`, 'm'));
  assert.doesNotMatch(err, /referenced by main\.f9\+/, 'at most 10 references are listed');
  assert.match(err, /^\tand 4 more references$/m);
  assert.match(err, /^\tdid you mean main\.println\?$/m);
});

test('"did you mean" weighs a typo by the name without its package: libc.sqrt is not libc.exit', () => {
  const dir = tempDir();
  writeTemp(dir, 'pkg.s', '#include "textflag.h"\nTEXT ·main(SB),NOSPLIT,$0-0\n\tCALL\tlibc·sqrt(SB)\n\tCALL\tlibc·wirte(SB)\n\tRET\n');
  const err = fails(['build', ...T, '-o', 'prog', 'pkg.s'], dir);
  assert.match(err, /^pkg\.s:3:\d+: undefined: libc\.sqrt \(referenced by main\.main\)$/m);
  assert.doesNotMatch(err, /did you mean libc\.exit/);
  assert.match(err, /^\tdid you mean libc\.write\?$/m, 'the runtime\'s libc.write is 2 edits from libc.wirte');
});

test('undefined symbol from an object: the source line survives asm + link', () => {
  const dir = tempDir();
  writeTemp(dir, 'u.s', '#include "textflag.h"\nTEXT ·main(SB),NOSPLIT,$0-0\n\tNOP\n\tCALL\t·missing(SB)\n\tRET\n');
  assert.equal(asmlink(['asm', ...T, '-o', 'u.o', 'u.s'], { cwd: dir }).status, 0);
  const err = fails(['link', ...T, '-o', 'prog', 'u.o'], dir);
  assert.match(err, /^u\.s:4:\d+: undefined: main\.missing \(referenced by main\.main\)$/m);
  assert.match(err, /^\tu\.s:4: referenced by main\.main\+0x[0-9a-f]+$/m);
});

test('duplicate symbol: both definitions', () => {
  const dir = tempDir();
  writeTemp(dir, 'one.s', '#include "textflag.h"\nTEXT ·main(SB),NOSPLIT,$0-0\n\tCALL\t·helper(SB)\n\tRET\n\nTEXT ·helper(SB),NOSPLIT,$0-0\n\tRET\n');
  writeTemp(dir, 'two.s', '#include "textflag.h"\n// the other one\n\nTEXT ·helper(SB),NOSPLIT,$0-0\n\tRET\n');
  const err = fails(['build', ...T, '-o', 'prog', 'one.s', 'two.s'], dir);
  assert.match(err, /^two\.s:4:\d+: duplicate definition of main\.helper$/m);
  assert.match(err, /^\tone\.s:6: previous definition of main\.helper$/m);
});

test('TEXT main(SB) instead of ·main: the duplicate of the runtime\'s C entry point says what to write', () => {
  const dir = tempDir();
  writeTemp(dir, 'nodot.s', '#include "textflag.h"\nTEXT main(SB),NOSPLIT,$0-0\n\tRET\n');
  const err = fails(['build', ...T, '-o', 'prog', 'nodot.s'], dir);
  assert.match(err, /duplicate definition of main$/m);
  assert.match(err, /^\tnodot\.s:2: previous definition of main$/m);
  assert.match(err, /^\tmain is the C entry point the runtime defines; the program's main function is ·main \(main\.main\)$/m);
});

test('no main function, and a C function called without an import: the notes say what to do', () => {
  const dir = tempDir();
  writeTemp(dir, 'nomain.s', '#include "textflag.h"\nTEXT ·helper(SB),NOSPLIT,$0-0\n\tRET\n');
  const none = fails(['build', ...T, '-o', 'prog', 'nomain.s'], dir);
  assert.match(none, /undefined: main\.main \(referenced by main\)$/m);
  assert.match(none, /^\tthe program has no main function: define TEXT ·main\(SB\) in a source of package main$/m);
  assert.doesNotMatch(none, /did you mean/);
  writeTemp(dir, 'cfunc.s', '#include "textflag.h"\nTEXT ·main(SB),NOSPLIT,$0-0\n\tCALL\tprintf(SB)\n\tRET\n');
  const c = fails(['build', ...T, '-o', 'prog', 'cfunc.s'], dir);
  assert.match(c, /^cfunc\.s:3:\d+: undefined: printf \(referenced by main\.main\)$/m);
  assert.match(c, /^\tto call a C function, import it \(\/\/go:cgo_import_dynamic\) and call it through a trampoline .*asmlink gen writes both$/m);
});

test('--no-runtime without an entry of its own says why the entry is missing', () => {
  const dir = tempDir();
  writeTemp(dir, 'bare.s', '#include "textflag.h"\nTEXT ·main(SB),NOSPLIT,$0-0\n\tRET\n');
  const err = fails(['build', ...T, '--no-runtime', '-o', 'prog', 'bare.s'], dir);
  assert.match(err, /entry symbol _rt0_amd64_linux is not defined \(--no-runtime links no start-up code: define it, or name another entry with --entry\)/);
  const named = fails(['build', ...T, '--no-runtime', '--entry', 'nosuch', '-o', 'prog', 'bare.s'], dir);
  assert.match(named, /entry symbol nosuch is not defined$/m);
});

test('relocation out of range: the symbol, the site and the distance', () => {
  const dir = tempDir();
  // Two bss symbols of almost 2 GiB put `far` more than 2 GiB from the code: a 32-bit pc-relative LEAQ cannot reach it.
  writeTemp(
    dir,
    'far.s',
    '#include "textflag.h"\nGLOBL big1<>(SB), NOPTR, $0x7ff00000\nGLOBL big2<>(SB), NOPTR, $0x7ff00000\nGLOBL far<>(SB), NOPTR, $8\nTEXT ·main(SB),NOSPLIT,$0-0\n\tLEAQ\tbig1<>(SB), AX\n\tLEAQ\tbig2<>(SB), AX\n\tLEAQ\tfar<>(SB), AX\n\tRET\n',
  );
  const err = fails(['build', ...T, '-o', 'prog', 'far.s'], dir);
  const m = /^far\.s:8:\d+: relocation R_PCREL to far<> out of range at main\.main\+0x([0-9a-f]+): distance (\d+)$/m.exec(err);
  assert.ok(m, err);
  assert.ok(Number(m[2]) > 2 ** 31, `distance ${m[2]} should exceed 2 GiB`);
});

test('an object of the wrong architecture or format: the file and what was expected', () => {
  const dir = tempDir();
  writeTemp(dir, 'x.s', '#include "textflag.h"\nTEXT ·main(SB),NOSPLIT,$0-0\n\tRET\n');
  assert.equal(asmlink(['asm', '--os', 'linux', '--arch', 'arm64', '-o', 'arm.o', 'x.s'], { cwd: dir }).status, 0);
  assert.equal(asmlink(['asm', '--os', 'linux', '--arch', '386', '-o', 'i386.o', 'x.s'], { cwd: dir }).status, 0);
  assert.equal(asmlink(['asm', ...T, '-o', 'amd64.o', 'x.s'], { cwd: dir }).status, 0);
  assert.equal(asmlink(['asm', '--os', 'darwin', '--arch', 'amd64', '-o', 'mac.o', 'x.s'], { cwd: dir }).status, 0);
  writeTemp(dir, 'text.o', 'not an object\n');
  writeTemp(dir, 'go.o', 'go object linux amd64 go1.19.8 X:none\n');
  writeTemp(dir, 'lib.a', '!<arch>\nlib.o/ 0');

  assert.match(fails(['link', ...T, '-o', 'prog', 'arm.o'], dir), /arm\.o\b.*object is for linux\/arm64, linking for linux\/amd64/);
  // Without --os/--arch the first object sets the target; a second of another architecture is named.
  assert.match(fails(['link', '-o', 'prog', 'amd64.o', 'i386.o'], dir), /i386\.o\b.*object is for linux\/386, linking for linux\/amd64/);
  assert.match(fails(['link', ...T, '-o', 'prog', 'text.o'], dir), /^text\.o: not an object file asmlink can read \(expected ELF or Mach-O\)$/m);
  // What users pass by mistake is named: an object from Go's assembler; a damaged archive says where.
  assert.match(fails(['link', ...T, '-o', 'prog', 'go.o'], dir), /^go\.o: not an object file asmlink can read \(expected ELF or Mach-O\): it is in Go's own object format .*assemble the source with asmlink asm$/m);
  assert.match(fails(['link', ...T, '-o', 'prog', 'lib.a'], dir), /^lib\.a: malformed archive: a member header runs past the end of the file \(at byte 8\)$/m);
  assert.match(fails(['link', ...T, '-o', 'prog', 'x.s'], dir), /^x\.s: .*: it looks like assembly source; asmlink build makes an executable of it/m);
  assert.equal(asmlink(['build', ...T, '-o', 'exe', 'x.s'], { cwd: dir }).status, 0);
  assert.match(fails(['link', ...T, '-o', 'prog', 'exe'], dir), /^exe: not a relocatable object but an executable: link the objects it was made from$/m);
  // A binary file named as a source: one line saying what it is, not a screenful of "unexpected character".
  const asBinary = fails(['build', ...T, '-o', 'prog2', 'exe'], dir);
  assert.equal(asBinary.trim(), 'exe:1:1: not assembly source: an ELF file (an executable or an object)');
  // A Mach-O object for a linux link: named, and either refused as a format or as the wrong target.
  assert.match(fails(['link', ...T, '-o', 'prog', 'mac.o'], dir), /mac\.o\b.*(Mach-O|object is for darwin\/amd64, linking for linux\/amd64)/);
});

test('external mode: an import from a library that is not found names the library', (t) => {
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const dir = tempDir();
  writeTemp(dir, 'lib.s', '#include "textflag.h"\n//go:cgo_import_dynamic libnosuch_f f "libnosuch.so.1"\nTEXT ·main(SB),NOSPLIT,$0-0\n\tCALL\tlibnosuch_f(SB)\n\tRET\n');
  const err = fails(['build', ...T, '--linkmode', 'external', '-o', 'prog', 'lib.s'], dir);
  // The import that names the library is the place to fix: file:line of the directive.
  assert.match(err, /^lib\.s:2:1: library libnosuch\.so\.1 not found by the external linker \(imported for f\)/m);
  assert.match(err, /cannot find -l:libnosuch\.so\.1/);
  assert.deepEqual(fs.readdirSync(dir), ['lib.s'], 'no temporary object or output left behind');
  // Statically the driver is asked for the library's archive (-lnosuch), and the import is named all the same.
  const st = fails(['build', ...T, '--linkmode', 'external', '--static', '-o', 'prog', 'lib.s'], dir);
  assert.match(st, /^lib\.s:2:1: library libnosuch\.so\.1 not found by the external linker \(imported for f\)/m);
  assert.match(st, /cannot find -lnosuch/);
});

test('"did you mean" never names the symbol that makes the reference (C++\'s DW.ref.X refers to X); a name only data refers to is to be imported', () => {
  const dir = tempDir();
  // A Go-style name whose last part is the missing name, as C++'s DW.ref.__gxx_personality_v0 is.
  writeTemp(dir, 'ref.s', '#include "textflag.h"\nDATA ref·personality+0(SB)/8, $personality(SB)\nGLOBL ref·personality(SB), NOPTR, $8\nTEXT ·main(SB),NOSPLIT,$0-0\n\tMOVQ\tref·personality(SB), AX\n\tRET\n');
  const err = fails(['build', ...T, '-o', 'prog', 'ref.s'], dir);
  assert.match(err, /undefined: personality \(referenced by ref\.personality\)$/m);
  assert.doesNotMatch(err, /did you mean/);
  // Only data refers to it: the import is the cure, not a trampoline.
  assert.match(err, /^\tgive the link the object or static library \(\.a\) that defines it, or the shared library with -l \(-lc for the C library\); or import it: \/\/go:cgo_import_dynamic personality personality "LIBRARY"$/m);
  assert.doesNotMatch(err, /trampoline/);
});
