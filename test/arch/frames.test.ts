// The assemblers' record of each instruction's frame (InstInfo.sp, saved,
// cfaOnBp), from which -g writes the call-frame table: the prologue and
// epilogue Go's rules insert, PUSH/POP, ADJSP, explicit ADD/SUB of SP, the
// C-style `PUSHQ BP; MOVQ SP, BP` frame of the x86 libc trampolines, and
// arm64's frames and `STP (R29, R30)` trampolines. The e2e tests check the
// result with gdb. A frame is shown as offset:sp, +bp when something is saved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../../src/asm/assemble.js';
import type { ArchName } from '../../src/target.js';

function frames(arch: ArchName, src: string): string[] {
  const s = assemble(src, { target: { os: 'linux', arch }, file: 'x.s' }).symbols.find((x) => x.kind === 'text')!;
  return s.insts!.map((i) => `${i.offset}:${i.sp}${i.saved ? '+bp' : ''}${i.cfaOnBp ? '@bp' : ''}`);
}

test('amd64, a Go-style frame: SUBQ, save BP, body (with PUSHQ/POPQ), restore BP, ADDQ, RET, code after RET', () => {
  const src = `TEXT ·f(SB),4,$16-0
	MOVQ	$1, AX
	PUSHQ	AX
	POPQ	AX
	RET
	MOVQ	$2, AX
	RET
`;
  // SUBQ $24, SP (4) · MOVQ BP, 16(SP) (5) · LEAQ 16(SP), BP (5) · MOVQ $1, AX (7) · PUSHQ (1) · POPQ (1) · MOVQ 16(SP), BP (5) · ADDQ $24, SP (4) · RET …
  assert.deepEqual(frames('amd64', src), ['0:0', '4:24', '9:24+bp', '14:24+bp', '21:24+bp', '22:32+bp', '23:24+bp', '28:24', '32:0', '33:24+bp', '40:24+bp', '45:24', '49:0']);
});

test('amd64, a C-style frame (NOFRAME): PUSHQ BP, MOVQ SP, BP moves the base to BP, ANDQ of SP does not matter, MOVQ BP, SP and POPQ BP undo it', () => {
  const src = `TEXT ·t(SB),4|512,$0
	PUSHQ	BP
	MOVQ	SP, BP
	ANDQ	$~15, SP
	CALL	·g(SB)
	MOVQ	BP, SP
	POPQ	BP
	RET
`;
  assert.deepEqual(frames('amd64', src), ['0:0', '1:8+bp', '4:8+bp@bp', '8:8+bp@bp', '13:8+bp@bp', '16:8+bp', '17:0']);
});

test('amd64: explicit SUBQ/ADDQ of SP and ADJSP move the frame', () => {
  const src = `TEXT ·c(SB),4|512,$0
	SUBQ	$24, SP
	ADJSP	$8
	ADJSP	$-8
	ADDQ	$24, SP
	RET
`;
  assert.deepEqual(frames('amd64', src), ['0:0', '4:24', '8:32', '12:24', '16:0']);
});

test('386: frames without a saved BP', () => {
  const src = `TEXT ·f(SB),4,$8-0
	PUSHL	AX
	POPL	AX
	RET
`;
  assert.deepEqual(frames('386', src), ['0:0', '3:8', '4:12', '5:8', '8:0']);
});

test('arm64: Go\'s frame saves LR at its bottom and FP below it; a NOFRAME trampoline moves SP and saves them with STP', () => {
  const framed = `TEXT ·f(SB),4,$16-0
	MOVD	$1, R0
	CALL	·g(SB)
	RET
`;
  // autosize 32: MOVD.W R30 · MOVD R29 · SUB R29 · MOVD · BL · LDP · ADD · RET
  assert.deepEqual(frames('arm64', framed), ['0:0', '4:32+bp', '8:32+bp', '12:32+bp', '16:32+bp', '20:32+bp', '24:32', '28:0']);
  const trampoline = `TEXT ·t(SB),4|512,$0-0
	SUB	$16, RSP
	STP	(R29, R30), 0(RSP)
	MOVD	RSP, R29
	CALL	·g(SB)
	LDP	0(RSP), (R29, R30)
	ADD	$16, RSP
	RET
`;
  assert.deepEqual(frames('arm64', trampoline), ['0:0', '4:16', '8:16+bp', '12:16+bp', '16:16+bp', '20:16', '24:0']);
  // What is saved, exactly: LR at CFA-8 (FP at CFA-16) in the trampoline, LR at CFA-32 in the frame.
  const saved = (src: string) => assemble(src, { target: { os: 'linux', arch: 'arm64' }, file: 'x.s' }).symbols.find((x) => x.kind === 'text')!.insts!.map((i) => i.saved);
  assert.deepEqual(saved(trampoline), [0, 0, 8, 8, 8, 0, 0]);
  assert.deepEqual(saved(framed), [0, 32, 32, 32, 32, 32, 0, 0]);
});
