// Mach-O objects: written from hand-encoded ObjectFiles, read back by
// llvm-objdump (no warnings), and compared entry by entry with what llvm-mc
// writes for the same assembly.

import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { writeMachOObject } from '../../../src/formats/macho/object.js';
import { DiagnosticError } from '../../../src/diag.js';
import { hex, imp, objFile, run, sym, writeTmp } from './tools.js';
import { dump, llvmMc, objdump, relocTables, sectionBytes } from './objdump.js';

const NEEDS_LLVM = 'needs llvm-objdump and llvm-mc (Debian package llvm)';

function assembleWithMc(triple: string, src: string, name: string): string {
  const mc = llvmMc()!;
  const s = writeTmp(`${name}.s`, src);
  const o = `${s}.o`;
  const r = run(mc, ['-triple', triple, '-filetype=obj', s, '-o', o]);
  assert.equal(r.status, 0, r.stderr);
  return o;
}

const require = createRequire(import.meta.url);

function readClean(file: string): string {
  // The second reader: the npm macho parser must accept it.
  const macho = require('macho') as { parse(b: Buffer): { filetype: string; cmds: { type: string }[] } };
  const parsed = macho.parse(readFileSync(file));
  assert.equal(parsed.filetype, 'object');
  assert.ok(parsed.cmds.some((c) => c.type === 'symtab'));
  const d = dump(['--macho', '-r', '-d', '-t', '--private-headers'], file);
  assert.equal(d.status, 0, d.err);
  assert.equal(d.err, '', `llvm-objdump warnings: ${d.err}`);
  return d.out;
}

// x86_64: every relocation kind asmlink lowers, with Go's addend convention.
const X86_64_TEXT = hex(`
  e8 00000000            # call libc_write            R_CALL add 0
  48 8b 05 00000000      # movq foo@GOTPCREL(%rip),%rax R_GOTPCREL
  ff 35 00000000         # pushq foo@GOTPCREL(%rip)   R_GOTPCREL (not a movq: GOT)
  48 8d 05 00000000      # leaq bar(%rip),%rax        R_PCREL add 0
  48 8d 05 00000000      # leaq bar+8(%rip),%rax      R_PCREL add 8
  c7 05 00000000 01000000 # movl $1, bar(%rip)        R_PCREL add -4
  c6 05 00000000 01      # movb $1, bar(%rip)         R_PCREL add -1
  66 c7 05 00000000 0100 # movw $1, bar(%rip)         R_PCREL add -2
  c7 05 00000000 01000000 # movl $1, bar+8(%rip)      R_PCREL add 4
  c3`.replace(/#.*$/gm, ''));

function x86_64Object() {
  const insts = [5, 7, 6, 7, 7, 10, 7, 9, 10, 1];
  let o = 0;
  const info = insts.map((size) => {
    const i = { line: 1, offset: o, size };
    o += size;
    return i;
  });
  const text = sym('main', 'text', X86_64_TEXT, [
    { off: 1, size: 4, type: 'R_CALL', sym: 'libc_write', add: 0 },
    { off: 8, size: 4, type: 'R_GOTPCREL', sym: 'foo', add: 0 },
    { off: 0xe, size: 4, type: 'R_GOTPCREL', sym: 'foo', add: 0 },
    { off: 0x15, size: 4, type: 'R_PCREL', sym: 'bar', add: 0 },
    { off: 0x1c, size: 4, type: 'R_PCREL', sym: 'bar', add: 8 },
    { off: 0x22, size: 4, type: 'R_PCREL', sym: 'bar', add: -4 },
    { off: 0x2c, size: 4, type: 'R_PCREL', sym: 'bar', add: -1 },
    { off: 0x34, size: 4, type: 'R_PCREL', sym: 'bar', add: -2 },
    { off: 0x3c, size: 4, type: 'R_PCREL', sym: 'bar', add: 4 },
  ], { insts: info, align: 1 });
  const data = sym('bar', 'data', new Uint8Array(20), [
    { off: 0, size: 8, type: 'R_ADDR', sym: 'main', add: 0 },
    { off: 8, size: 8, type: 'R_ADDR', sym: 'libc_write', add: 16 },
  ], { align: 1, flags: { local: true } });
  return objFile('amd64', [text, data], [imp('libc_write', 'write')]);
}

const X86_64_MC = `
	.text
	.globl _main
_main:
	call _write
	movq _foo@GOTPCREL(%rip), %rax
	pushq _foo@GOTPCREL(%rip)
	leaq _bar(%rip), %rax
	leaq _bar+8(%rip), %rax
	movl $1, _bar(%rip)
	movb $1, _bar(%rip)
	movw $1, _bar(%rip)
	movl $1, _bar+8(%rip)
	ret
	.data
_bar:
	.quad _main
	.quad _write+16
	.long 0
`;

test('x86_64 object matches llvm-mc: relocations, section bytes, symbols', (t) => {
  if (!objdump() || !llvmMc()) return t.skip(NEEDS_LLVM);
  const ours = writeTmp('x64.o', writeMachOObject(x86_64Object()));
  const theirs = assembleWithMc('x86_64-apple-macos11', X86_64_MC, 'x64mc');
  const a = readClean(ours);
  const b = readClean(theirs);
  assert.deepEqual(relocTables(a), relocTables(b));
  assert.deepEqual(sectionBytes(ours, '__TEXT', '__text'), sectionBytes(theirs, '__TEXT', '__text'));
  assert.deepEqual(sectionBytes(ours, '__DATA', '__data'), sectionBytes(theirs, '__DATA', '__data'));
  // The call to the import disassembles as a call to _write, the C name.
  assert.match(a, /callq\s+_write/);
  assert.match(a, /\*UND\* _write/);
  assert.match(a, /\*UND\* _foo/);
  assert.match(a, /g\s+F __TEXT,__text _main/);
  assert.match(a, /l\s+O __DATA,__data _bar/);
  assert.match(a, /platform macos/);
  assert.match(a, /minos 11\.0/);
});

test('x86_64 object: Go names keep their dots behind the underscore', (t) => {
  if (!objdump()) return t.skip(NEEDS_LLVM);
  const text = sym('main.main', 'text', hex('e8 00000000 c3'), [{ off: 1, size: 4, type: 'R_CALL', sym: 'runtime.f', add: 0 }]);
  const f = sym('runtime.f', 'text', hex('c3'));
  const o = writeTmp('names.o', writeMachOObject(objFile('amd64', [text, f])));
  const out = readClean(o);
  assert.match(out, /g\s+F __TEXT,__text _main\.main/);
  assert.match(out, /callq\s+_runtime\.f/);
  assert.deepEqual(relocTables(out).get('__TEXT,__text'), ['00000001 True long True BRANCH False _runtime.f']);
});

// arm64: BRANCH26, PAGE21/PAGEOFF12 with ADDEND, GOT_LOAD pairs, UNSIGNED.
const ARM64_MC = `
	.text
	.globl _main
_main:
	bl _write
	adrp x0, _bar@PAGE
	add x0, x0, _bar@PAGEOFF
	adrp x0, _bar@PAGE+8
	ldr x1, [x0, _bar@PAGEOFF+8]
	adrp x0, _foo@GOTPAGE
	ldr x0, [x0, _foo@GOTPAGEOFF]
	adrp x2, _write@GOTPAGE
	ldr x2, [x2, _write@GOTPAGEOFF]
	ret
	.data
	.p2align 3
_bar:
	.quad _main
	.quad _write+16
`;

function arm64Object() {
  const text = sym('main', 'text', hex(`
    00000094  # bl write
    00000090  # adrp x0, bar
    00000091  # add x0, x0, :lo12:bar
    00000090  # adrp x0, bar+8
    01 00 40 f9  # ldr x1, [x0, :lo12:bar+8]
    00000090  # adrp x0, foo@GOT
    00 00 40 f9  # ldr x0, [x0, foo@GOT]
    02000090  # adrp x2, write  (address of an import: becomes a GOT load)
    42 00 00 91  # add x2, x2, :lo12:write
    c0 03 5f d6  # ret
  `.replace(/#.*$/gm, '')), [
    { off: 0, size: 4, type: 'R_CALLARM64', sym: 'libc_write', add: 0 },
    { off: 4, size: 8, type: 'R_ADDRARM64', sym: 'bar', add: 0 },
    { off: 12, size: 8, type: 'R_ADDRARM64', sym: 'bar', add: 8 },
    { off: 20, size: 8, type: 'R_ARM64_GOTPCREL', sym: 'foo', add: 0 },
    { off: 28, size: 8, type: 'R_ADDRARM64', sym: 'libc_write', add: 0 },
  ], { align: 4 });
  const data = sym('bar', 'data', new Uint8Array(16), [
    { off: 0, size: 8, type: 'R_ADDR', sym: 'main', add: 0 },
    { off: 8, size: 8, type: 'R_ADDR', sym: 'libc_write', add: 16 },
  ], { align: 8, flags: { local: true } });
  return objFile('arm64', [text, data], [imp('libc_write', 'write')]);
}

test('arm64 object matches llvm-mc: relocations (with ADDEND), section bytes', (t) => {
  if (!objdump() || !llvmMc()) return t.skip(NEEDS_LLVM);
  const ours = writeTmp('a64.o', writeMachOObject(arm64Object()));
  const theirs = assembleWithMc('arm64-apple-macos11', ARM64_MC, 'a64mc');
  const a = readClean(ours);
  const b = readClean(theirs);
  assert.deepEqual(relocTables(a), relocTables(b));
  assert.deepEqual(sectionBytes(ours, '__TEXT', '__text'), sectionBytes(theirs, '__TEXT', '__text'));
  assert.deepEqual(sectionBytes(ours, '__DATA', '__data'), sectionBytes(theirs, '__DATA', '__data'));
  assert.match(a, /bl\s+_write/);
  assert.match(a, /ARM64/);
});

// i386: the seed's rule for calls into libSystem.
test('i386 object: call to an import holds minus the section offset of the field end (as llvm-mc)', (t) => {
  if (!objdump() || !llvmMc()) return t.skip(NEEDS_LLVM);
  const text = sym('main', 'text', hex('90 90 90 90 90 e8 00000000 c3'), [
    { off: 6, size: 4, type: 'R_CALL', sym: 'libc_write', add: 0 },
  ], { align: 1 });
  const ours = writeTmp('x86.o', writeMachOObject(objFile('386', [text], [imp('libc_write', 'write')])));
  const theirs = assembleWithMc('i386-apple-macos10.14', '.text\n.globl _main\n_main:\nnop\nnop\nnop\nnop\nnop\ncall _write\nret\n', 'x86mc');
  const a = readClean(ours);
  const b = readClean(theirs);
  assert.deepEqual(relocTables(a), relocTables(b));
  assert.deepEqual(sectionBytes(ours, '__TEXT', '__text'), hex('90 90 90 90 90 e8 f6 ff ff ff c3'));
  assert.deepEqual(sectionBytes(ours, '__TEXT', '__text'), sectionBytes(theirs, '__TEXT', '__text'));
  assert.match(a, /calll\s+_write/);
  assert.match(a, /MH_MAGIC\s+I386/);
});

test('i386 object: the rule uses the symbol\'s offset in its section; data pointers are VANILLA', (t) => {
  if (!objdump()) return t.skip(NEEDS_LLVM);
  const f = sym('f', 'text', hex('c3'), [], { align: 1 });
  const g = sym('g', 'text', hex('90 e8 00000000 c3'), [{ off: 2, size: 4, type: 'R_CALL', sym: 'libc_write', add: 0 }], { align: 1 });
  const d = sym('tab', 'data', new Uint8Array(8), [
    { off: 0, size: 4, type: 'R_ADDR', sym: 'g', add: 0 },
    { off: 4, size: 4, type: 'R_ADDR', sym: 'libc_write', add: 0 },
  ], { align: 4 });
  const o = writeTmp('x86b.o', writeMachOObject(objFile('386', [f, g, d], [imp('libc_write', 'write')])));
  const out = readClean(o);
  // g starts at 1; the field is at 3..7 in the section: the call holds -7.
  assert.deepEqual(sectionBytes(o, '__TEXT', '__text'), hex('c3 90 e8 f9 ff ff ff c3'));
  const rel = relocTables(out);
  assert.deepEqual(rel.get('__TEXT,__text'), ['00000003 True long True VANILLA False _write']);
  assert.deepEqual(rel.get('__DATA,__data'), ['00000000 False long True VANILLA False _g', '00000004 False long True VANILLA False _write']);
  assert.match(out, /calll\s+_write/);
});

test('objects: bss is zero-fill, rodata goes to __TEXT,__const, dupok is a weak definition', (t) => {
  if (!objdump()) return t.skip(NEEDS_LLVM);
  const o = writeTmp('kinds.o', writeMachOObject(objFile('amd64', [
    sym('f', 'text', hex('c3'), [], { flags: { dupok: true } }),
    sym('msg', 'rodata', new TextEncoder().encode('hi\n')),
    sym('buf', 'bss', new Uint8Array(0), [], { size: 4096, align: 16 }),
    sym('x', 'noptrdata', hex('01020304')),
  ])));
  const out = readClean(o);
  assert.match(out, /sectname __bss\s+segname __DATA[\s\S]*?type S_ZEROFILL/);
  assert.match(out, /sectname __const\s+segname __TEXT/);
  assert.match(out, /__DATA,__bss _buf/);
  assert.match(out, /__TEXT,__const _msg/);
  const nm = run(objdump()!.replace('objdump', 'nm'), ['-m', o]);
  if (nm.status === 0) assert.match(nm.stdout, /weak external _f/);
});

function diagOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof DiagnosticError, `expected a DiagnosticError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected a diagnostic');
}

test('objects: relocations the format cannot express are diagnostics, not output', () => {
  // 32-bit absolute address in x86_64.
  let m = diagOf(() =>
    writeMachOObject(objFile('amd64', [sym('f', 'text', hex('b8 00000000 c3'), [{ off: 1, size: 4, type: 'R_ADDR', sym: 'g', add: 0, line: 7 }])])),
  );
  assert.match(m, /^test\.s:7:1: f: 32-bit absolute address of g cannot be expressed/);
  // TLS in Mach-O.
  m = diagOf(() => writeMachOObject(objFile('amd64', [sym('tlsg', 'tls', new Uint8Array(8))])));
  assert.match(m, /thread-local symbol tlsg cannot be placed in a Mach-O object/);
  // A load through an imported symbol (not LEAQ of its address).
  m = diagOf(() =>
    writeMachOObject(objFile('amd64', [sym('f', 'text', hex('8b 05 00000000 c3'), [{ off: 2, size: 4, type: 'R_PCREL', sym: 'libc_x', add: 0 }])], [imp('libc_x', 'x')])),
  );
  assert.match(m, /must be a LEAQ/);
  // GOT on i386.
  m = diagOf(() => writeMachOObject(objFile('386', [sym('f', 'text', hex('8b 05 00000000'), [{ off: 2, size: 4, type: 'R_GOTPCREL', sym: 'y', add: 0 }])])));
  assert.match(m, /cannot be expressed in an i386 Mach-O object/);
  // arm64: GOT load with an offset.
  m = diagOf(() =>
    writeMachOObject(objFile('arm64', [sym('f', 'text', hex('00000090 000040f9'), [{ off: 0, size: 8, type: 'R_ARM64_GOTPCREL', sym: 'y', add: 8 }])])),
  );
  assert.match(m, /GOT reference to y cannot have an offset/);
  // Bad deployment targets.
  m = diagOf(() => writeMachOObject(objFile('amd64', []), { macosMin: '9.1' }));
  assert.match(m, /unknown macOS version "9\.1"/);
  m = diagOf(() => writeMachOObject(objFile('arm64', []), { macosMin: '10.15' }));
  assert.match(m, /does not run on arm64/);
  m = diagOf(() => writeMachOObject(objFile('amd64', []), { macosMin: 'eleven' }));
  assert.match(m, /not of the form/);
});

test('objects: a lea of an import becomes a GOT_LOAD movq (the address comes from the GOT)', (t) => {
  if (!objdump()) return t.skip(NEEDS_LLVM);
  const o = writeTmp('leaimp.o', writeMachOObject(objFile('amd64', [
    sym('f', 'text', hex('48 8d 05 00000000 c3'), [{ off: 3, size: 4, type: 'R_PCREL', sym: 'libc_x', add: 0 }]),
  ], [imp('libc_x', 'x')])));
  const out = readClean(o);
  assert.match(out, /movq\s+_x\(%rip\), %rax/);
  assert.deepEqual(relocTables(out).get('__TEXT,__text'), ['00000003 True long True GOT_LD False _x']);
});

test('objects are deterministic', () => {
  const a = writeMachOObject(x86_64Object());
  const b = writeMachOObject(x86_64Object());
  assert.deepEqual(a, b);
});
