// arm64 objects from other tools, linked with Go-style assembly: GNU as's
// and C compilers' code schedules an ADRP apart from the ADD or LDR/STR that
// completes it (and puts other ADRPs between them), where asmlink's own
// assembler writes the two as one pair. Each half is relocated on its own
// (R_ARM64_PAGE/PAGEOFF, GOTPAGE/GOTPAGEOFF); an ADRP and the instruction
// after it form a pair only when both name the same symbol and addend.
// Checked by running the programs under qemu-aarch64, linked internally and
// externally. (Mach-O objects from clang: macho-c-objects.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { asmlink, run, tempDir, which, writeTemp } from '../helpers.js';
import { asmCallingC, cMain, cSource, C_WANT } from './c-programs.js';
import { linuxPrefix, runWith } from '../e2e/threads-check.js';

const dir = tempDir('asmlink-arm64-objects-');

// GNU as: the ADRP of `table` sits right before the ADD of `greeting`'s low
// bits, both against the .rodata section symbol with different addends (a
// pair joined by section alone would print table's bytes); loads and a store
// in .data and .rodata complete ADRPs several instructions back; libc's
// stdout comes through a split GOT pair; mapping symbols ($x, $d) mark code
// and data.
const GAS_SOURCE = `	.text
	.globl	cmain
	.type	cmain, %function
cmain:
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	adrp	x0, greeting
	adrp	x1, counter
	adrp	x2, table
	add	x0, x0, :lo12:greeting
	bl	puts
	adrp	x1, counter
	adrp	x2, table
	ldr	w3, [x1, :lo12:counter]
	ldr	w4, [x2, :lo12:table+8]
	add	w3, w3, w4
	str	w3, [x1, :lo12:counter]
	adrp	x5, :got:stdout
	nop
	ldr	x5, [x5, :got_lo12:stdout]
	ldr	x0, [x5]
	bl	fflush
	adrp	x1, counter
	ldr	w0, [x1, :lo12:counter]
	ldp	x29, x30, [sp], #32
	ret
	.size	cmain, .-cmain
	.word	0x12345678
	.section .rodata
	.p2align 3
table:	.word 1, 2, 40, 3
greeting: .asciz "hello from GNU as"
	.data
	.p2align 2
counter: .word 2
`;

const GAS_MAIN = asmCallingC('arm64', ['puts', 'fflush', 'stdout']);

test('linux/arm64: GNU as objects with ADRPs apart from their ADD/LDR/STR link and run, internally and externally', (t) => {
  const as = which('aarch64-linux-gnu-as');
  if (!as) return t.skip('needs aarch64-linux-gnu-as (Debian package binutils-aarch64-linux-gnu)');
  const prefix = linuxPrefix('arm64');
  if (typeof prefix === 'string') return t.skip(prefix);
  const o = path.join(dir, 'gas.o');
  const a = run(as, ['-o', o, writeTemp(dir, 'gas.S', GAS_SOURCE)]);
  assert.equal(a.status, 0, a.stderr);
  const main = writeTemp(dir, 'gas-main.s', GAS_MAIN);
  for (const mode of ['internal', 'external']) {
    const exe = path.join(dir, `gas-${mode}`);
    const b = asmlink(['build', '--arch', 'arm64', '--linkmode', mode, '-o', exe, main, o]);
    assert.equal(b.status, 0, `${mode}: ${b.stderr}`);
    const r = runWith(prefix, exe, []);
    assert.equal(r.stdout, 'hello from GNU as\n', mode);
    assert.equal(r.status, 42, mode);
  }
});


test('linux/arm64: C objects compiled with -fPIC (clang) link with assembly and run, at every optimisation and section layout; without -fPIC through copies (stdout, the stack protector\'s canary)', (t) => {
  const clang = which('clang');
  if (!clang) return t.skip('needs clang (Debian package clang) to compile C for arm64');
  const prefix = linuxPrefix('arm64');
  if (typeof prefix === 'string') return t.skip(prefix);
  const c = writeTemp(dir, 'c.c', cSource('stdout', true));
  const main = writeTemp(dir, 'c-main.s', cMain('libc.so.6', 'stdout'));
  const variants: [string[], string][] = [
    [['-O0'], 'internal'],
    [['-O2'], 'internal'],
    [['-O3'], 'internal'],
    [['-O2', '-ffunction-sections', '-fdata-sections'], 'internal'],
    [['-O2'], 'external'],
  ];
  for (const [flags, mode] of variants) {
    const o = path.join(dir, 'c.o');
    const cc = run(clang, ['--target=aarch64-linux-gnu', '-fPIC', ...flags, '-c', '-o', o, c]);
    assert.equal(cc.status, 0, cc.stderr);
    const exe = path.join(dir, `c${flags.join('')}-${mode}`);
    const b = asmlink(['build', '--arch', 'arm64', '--linkmode', mode, '-o', exe, main, o]);
    assert.equal(b.status, 0, `${flags.join(' ')} ${mode}: ${b.stderr}`);
    const r = runWith(prefix, exe, []);
    assert.equal(r.stdout, C_WANT, `${flags.join(' ')} ${mode}`);
    assert.equal(r.status, 3, `${flags.join(' ')} ${mode}`);
  }
  // -g: clang's DWARF 5 line program (file names in .debug_line_str, MD5s) reaches the executable.
  const symbolizer = which('llvm-symbolizer') ?? which('llvm-symbolizer-14');
  if (symbolizer && which('llvm-nm')) {
    const og = path.join(dir, 'cg.o');
    assert.equal(run(clang, ['--target=aarch64-linux-gnu', '-fPIC', '-O1', '-g', '-c', '-o', og, c]).status, 0);
    const exe = path.join(dir, 'c-g');
    const b = asmlink(['build', '-g', '--arch', 'arm64', '-o', exe, main, og]);
    assert.equal(b.status, 0, b.stderr);
    assert.equal(runWith(prefix, exe, []).stdout, C_WANT);
    const at = /^([0-9a-f]+) T cmain$/m.exec(run('llvm-nm', [exe]).stdout)![1];
    const line = cSource('stdout', true).split('\n').findIndex((l) => l.startsWith('int cmain')) + 1;
    assert.equal(run(symbolizer, [`--obj=${exe}`, `0x${at}`]).stdout.split('\n')[1], `${c}:${line}:0`);
  }
  // Without -fPIC the code loads stdout's value at its address (ADRP, then an LDR apart): the executable holds a copy (R_AARCH64_COPY).
  const o = path.join(dir, 'nopic.o');
  assert.equal(run(clang, ['--target=aarch64-linux-gnu', '-fno-pic', '-O2', '-c', '-o', o, c]).status, 0);
  const ne = path.join(dir, 'nopic');
  const l = asmlink(['build', '--arch', 'arm64', '-o', ne, main, o]);
  assert.equal(l.status, 0, l.stderr);
  assert.equal(runWith(prefix, ne, []).stdout, C_WANT);
  // Stack-protector code (Debian's gcc default, clang's -fstack-protector) reads the canary from
  // __stack_chk_guard, which the loader sets: a copy, read in place as well.
  const sp = writeTemp(dir, 'guard.c', 'int printf(const char *, ...);\nextern unsigned long __stack_chk_guard;\nstatic int fill(char *b, int n) { for (int i = 0; i < n; i++) b[i] = (char)(97 + i % 26); return n; }\nint cmain(void) { char buf[64]; int n = fill(buf, 40); buf[n] = 0; printf("%s %d\\n", buf, __stack_chk_guard != 0); return n; }\n');
  const spo = path.join(dir, 'guard.o');
  assert.equal(run(clang, ['--target=aarch64-linux-gnu', '-fno-pic', '-fstack-protector-all', '-O2', '-c', '-o', spo, sp]).status, 0);
  const spe = path.join(dir, 'guard');
  const g = asmlink(['build', '--arch', 'arm64', '-o', spe, writeTemp(dir, 'guard-main.s', asmCallingC('arm64', ['printf', '__stack_chk_fail', '__stack_chk_guard'])), spo]);
  assert.equal(g.status, 0, g.stderr);
  const gr = runWith(prefix, spe, []);
  assert.equal(gr.stdout, 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn 1\n', gr.stderr);
  assert.equal(gr.status, 40);
});
