// arm64 objects from other tools, linked with Go-style assembly: GNU as's
// and C compilers' code schedules an ADRP apart from the ADD or LDR/STR that
// completes it (and puts other ADRPs between them), where asmlink's own
// assembler writes the two as one pair. Each half is relocated on its own
// (R_ARM64_PAGE/PAGEOFF, GOTPAGE/GOTPAGEOFF); an ADRP and the instruction
// after it form a pair only when both name the same symbol and addend.
// Checked by running the programs (qemu-aarch64 for linux, macho-run for
// darwin), linked internally and externally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which, writeTemp } from '../helpers.js';
import { linuxPrefix, runWith } from '../e2e/threads-check.js';

const dir = tempDir('asmlink-arm64-objects-');
const machoRun = path.join(repoRoot, '..', 'shared', 'tools', 'macho-run', 'macho-run');

// GNU as: the ADRP of `table` sits right before the ADD of `greeting`'s low
// bits, both against the .rodata section symbol with different addends (a
// pair joined by section alone would print table's bytes); loads and a store
// in .data and .rodata complete ADRPs several instructions back; libc's
// stdout comes through a split GOT pair; mapping symbols ($x, $d) mark code
// and data.
const GAS_SOURCE = `	.text
	.globl	cfunc
	.type	cfunc, %function
cfunc:
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
	.size	cfunc, .-cfunc
	.word	0x12345678
	.section .rodata
	.p2align 3
table:	.word 1, 2, 40, 3
greeting: .asciz "hello from GNU as"
	.data
	.p2align 2
counter: .word 2
`;

const GAS_MAIN = `#include "textflag.h"
//go:cgo_import_dynamic puts puts "libc.so.6"
//go:cgo_import_dynamic fflush fflush "libc.so.6"
//go:cgo_import_dynamic stdout stdout "libc.so.6"
// Calls cfunc on a 16-byte aligned stack and exits with what it returns.
TEXT ·main(SB),NOSPLIT,$16-0
	MOVD	RSP, R19
	MOVD	R19, R20
	AND	$~15, R20
	MOVD	R20, RSP
	BL	cfunc(SB)
	MOVD	R19, RSP
	MOVD	R0, 8(RSP)
	CALL	runtime·exit(SB)
	RET
`;

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

// Without headers, so that it compiles for any target without its C library's.
function cSource(stdoutName: string, withQsort: boolean): string {
  return `typedef unsigned long size_t;
typedef struct FILE FILE;
extern FILE *${stdoutName};
int printf(const char *, ...);
size_t strlen(const char *);
void qsort(void *, size_t, size_t, int (*)(const void *, const void *));
int fflush(FILE *);
static int counter;
int table[4] = {3, 1, 4, 1};
static const char *names[] = {"alpha", "beta", "gamma"};
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
static void sort4(int *v) {
  for (int i = 1; i < 4; i++)
    for (int j = i; j > 0 && cmp(&v[j], &v[j - 1]) < 0; j--) { int x = v[j]; v[j] = v[j - 1]; v[j - 1] = x; }
}
static void (*hook)(const char *);
static void say(const char *s) { printf("say: %s (%zu)\\n", s, strlen(s)); counter++; }
int cmain(void) {
  hook = say;
  for (int i = 0; i < 3; i++) hook(names[i]);
  ${withQsort ? 'qsort(table, 4, sizeof table[0], cmp);' : 'sort4(table);'}
  printf("sorted: %d %d %d %d, calls %d\\n", table[0], table[1], table[2], table[3], counter);
  fflush(${stdoutName});
  return counter;
}
`;
}

function cMain(library: string, stdoutName: string): string {
  return `#include "textflag.h"
//go:cgo_import_dynamic printf printf "${library}"
//go:cgo_import_dynamic strlen strlen "${library}"
//go:cgo_import_dynamic qsort qsort "${library}"
//go:cgo_import_dynamic fflush fflush "${library}"
//go:cgo_import_dynamic ${stdoutName} ${stdoutName} "${library}"
TEXT ·main(SB),NOSPLIT,$16-0
	MOVD	RSP, R19
	MOVD	R19, R20
	AND	$~15, R20
	MOVD	R20, RSP
	BL	cmain(SB)
	MOVD	R19, RSP
	MOVD	R0, 8(RSP)
	CALL	runtime·exit(SB)
	RET
`;
}

const C_WANT = 'say: alpha (5)\nsay: beta (4)\nsay: gamma (5)\nsorted: 1 1 3 4, calls 3\n';

test('linux/arm64: C objects compiled with -fPIC (clang) link with assembly and run, at every optimisation and section layout', (t) => {
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
  // Without -fPIC the code loads stdout's value at its address, which would need a copy of libc's data: said, with the cure.
  const o = path.join(dir, 'nopic.o');
  assert.equal(run(clang, ['--target=aarch64-linux-gnu', '-fno-pic', '-O2', '-c', '-o', o, c]).status, 0);
  const l = asmlink(['build', '--arch', 'arm64', '-o', path.join(dir, 'nopic'), main, o]);
  assert.equal(l.status, 1);
  assert.match(l.stderr, /cmain\+0x[0-9a-f]+: a load or store of imported stdout's data itself would need a copy relocation.*-fPIC/);
});

test('darwin/arm64: a C object (clang) links with assembly internally and externally, and runs under macho-run', (t) => {
  const clang = which('clang');
  if (!clang) return t.skip('needs clang (Debian package clang) to compile C for arm64');
  const python = which('python3');
  if (!fs.existsSync(machoRun) || !python) return t.skip('needs macho-run (../shared/tools/macho-run) and python3-unicorn');
  // C's stdout is libSystem's __stdoutp; macho-run's libSystem has no qsort.
  const c = writeTemp(dir, 'cd.c', cSource('__stdoutp', false));
  const o = path.join(dir, 'cd.o');
  const cc = run(clang, ['--target=arm64-apple-macos11', '-O2', '-c', '-o', o, c]);
  assert.equal(cc.status, 0, cc.stderr);
  const main = writeTemp(dir, 'cd-main.s', cMain('/usr/lib/libSystem.B.dylib', '__stdoutp'));
  const modes = which('ld64.lld') || which('ld64.lld-14') ? ['internal', 'external'] : ['internal'];
  for (const mode of modes) {
    const exe = path.join(dir, `cd-${mode}`);
    const b = asmlink(['build', '--os', 'darwin', '--arch', 'arm64', '--linkmode', mode, '-o', exe, main, o]);
    assert.equal(b.status, 0, `${mode}: ${b.stderr}`);
    const r = run(python!, [machoRun, exe]);
    assert.equal(r.stdout, C_WANT, `${mode}: ${r.stderr}`);
    assert.equal(r.status, 3, mode);
  }
});
