// Register names are case-sensitive, as in Go's assembler: lowercase r1, f1
// and v1 are argument names in `name+off(FP)`, not R1, F1 and V1 (Go's
// syscall/asm_linux_arm64.s stores results to r1+32(FP)). Expected bytes from
// `GOARCH=arm64 go tool asm -S` on the same source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../../../src/asm/assemble.js';

test('r1+32(FP), f1+32(FP) and v1+32(FP) are arguments, not registers', () => {
  const src = 'TEXT ·f(SB),0,$0-40\n\tMOVD\tR0, r1+32(FP)\n\tMOVD\tR0, f1+32(FP)\n\tMOVD\tR0, v1+32(FP)\n\tMOVD\tR0, x+32(FP)\n\tRET\n';
  const f = assemble(src, { target: { os: 'linux', arch: 'arm64' }, file: 't.s' }).symbols[0]!;
  assert.equal(Buffer.from(f.data).toString('hex').slice(0, 40), 'e01700f9'.repeat(4) + 'c0035fd6');
});
