// Floating-point immediates an instruction cannot hold become loads from read-only
// `$f64.<bits>`/`$f32.<bits>` symbols, as Go's assembler makes them (bytes in
// test/arch/arm64/testdata/enc.txt come from go tool asm). Here two files use
// the same constant: the linker keeps one copy (DUPOK), and the program, run
// under qemu-aarch64, computes with the values: (1.1 + 1.1) * 10 = 22, plus
// the single-precision 2.5 + 0.3 truncated to 2: exit status 24. On arm64
// FMOV holds 10.0 and 2.5 itself; on amd64 every immediate is a symbol.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, run, tempDir } from '../helpers.js';
import { linuxPrefix, runWith } from './threads-check.js';

const dir = tempDir('asmlink-fconst-');

const main = `#include "textflag.h"
TEXT ·main(SB),NOSPLIT,$16-0
	CALL	·other(SB)
	MOVD	8(RSP), R3
	FMOVD	$1.1, F0
	FMOVD	R3, F1
	FADDD	F0, F1
	FMOVD	$10.0, F2
	FMULD	F2, F1
	FCVTZSD	F1, R0
	FMOVS	$0.3, F3
	FMOVS	$2.5, F4
	FADDS	F3, F4
	FCVTZSS	F4, R1
	ADD	R1, R0
	MOVD	R0, 8(RSP)
	CALL	runtime·exit(SB)
	RET
`;
const other = `#include "textflag.h"
// func other() float64 (its bits)
TEXT ·other(SB),NOSPLIT,$0-8
	FMOVD	$1.1, F0
	FMOVD	F0, R0
	MOVD	R0, ret+0(FP)
	RET
`;

test('linux/arm64: float constants through $f64/$f32 symbols, one copy per value', (t) => {
  const p = linuxPrefix('arm64');
  if (typeof p === 'string') return t.skip(p);
  // 10.0 and 2.5 are FMOV immediates; 1.1 (in both files) and 0.3f are not.
  buildAndCheck('arm64', main, other, p, ['$f32.3e99999a', '$f64.3ff199999999999a']);
});

/** Builds the two files for arch, runs the program (exit status 24 expected) and checks the float symbols the executable keeps. */
function buildAndCheck(arch: 'amd64' | 'arm64', mainSrc: string, otherSrc: string, prefix: string[], floatSyms: string[]): void {
  const a = path.join(dir, `main-${arch}.s`);
  const b = path.join(dir, `other-${arch}.s`);
  fs.writeFileSync(a, mainSrc);
  fs.writeFileSync(b, otherSrc);
  const exe = path.join(dir, `fconst-${arch}`);
  const r = asmlink(['build', '--os', 'linux', '--arch', arch, '-o', exe, a, b]);
  assert.equal(r.status, 0, r.stderr);
  const out = runWith(prefix, exe, []);
  assert.equal(out.status, 24, out.stderr);
  const syms = run('readelf', ['-sW', exe]).stdout.split('\n').filter((l) => /\$f(64|32)\./.test(l)).map((l) => l.trim().split(/\s+/).pop());
  assert.deepEqual(syms.sort(), floatSyms);
}

// The same on linux/amd64, natively: MOVSD/ADDSD/MULSD with immediates; the
// shared 1.1 is kept once. (1.1 + 1.1) * 10 = 22, plus 0.3f + 2.5f = 2: 24.
const mainAmd64 = `#include "textflag.h"
TEXT ·main(SB),NOSPLIT,$16-0
	CALL	·other(SB)
	MOVQ	0(SP), X1
	ADDSD	$1.1, X1
	MULSD	$10.0, X1
	CVTTSD2SQ	X1, AX
	MOVSS	$0.3, X3
	ADDSS	$2.5, X3
	CVTTSS2SQ	X3, BX
	ADDQ	BX, AX
	MOVQ	AX, 0(SP)
	CALL	runtime·exit(SB)
	RET
`;
const otherAmd64 = `#include "textflag.h"
// func other() float64 (its bits)
TEXT ·other(SB),NOSPLIT,$0-8
	MOVSD	$1.1, X0
	MOVSD	X0, ret+0(FP)
	RET
`;

test('linux/amd64: float constants through $f64/$f32 symbols, one copy per value', (t) => {
  if (process.arch !== 'x64') return t.skip('needs an amd64 host');
  buildAndCheck('amd64', mainAmd64, otherAmd64, [], ['$f32.3e99999a', '$f32.40200000', '$f64.3ff199999999999a', '$f64.4024000000000000']);
});
