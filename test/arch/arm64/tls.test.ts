// Local-exec TLS on arm64: with the file's TLS symbols passed in the context,
// `MOVD tlsvar(SB), R` is Go's `MOVZ R, #0` carrying an R_TLS_LE relocation
// (the linker writes the thread-pointer offset into imm16). Expected bytes
// from `go tool asm -S` on the same source (GLOBL ·tlsg(SB), TLSBSS, $8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arm64Backend } from '../../../src/arch/arm64/index.js';
import { DiagnosticSink } from '../../../src/diag.js';
import type { Operand, Prog, TextBlock } from '../../../src/asm/prog.js';
import { assemble } from '../../../src/asm/assemble.js';

const pos = { file: 't.s', line: 1, col: 1 };
const prog = (op: string, ...args: Operand[]): Prog => ({ op, args, pos, text: '', argPos: [] });

test('MOVD tlsvar(SB), R27 is MOVZ with R_TLS_LE', () => {
  const fn: TextBlock = {
    name: 'main.f', local: false, flags: 4, frameSize: 0, argsSize: 0, pos,
    progs: [
      prog('MRS', { kind: 'special', name: 'TPIDR_EL0' }, { kind: 'reg', reg: 'R0' }),
      prog('MOVD', { kind: 'mem', mem: { name: 'extern', sym: 'main.tlsg', offset: 0, scale: 0 } }, { kind: 'reg', reg: 'R27' }),
      prog('MOVD', { kind: 'mem', mem: { name: 'none', base: 'R0', index: 'R27', offset: 0, scale: 1 } }, { kind: 'reg', reg: 'R1' }),
      prog('RET'),
    ],
    labels: new Map(), labelPos: new Map(),
  };
  const diag = new DiagnosticSink();
  const out = arm64Backend.assemble(fn, { target: { os: 'linux', arch: 'arm64' }, diag, tlsSymbols: new Set(['main.tlsg']) });
  assert.deepEqual(diag.list, []);
  assert.equal(Buffer.from(out.data).toString('hex'), '40d03bd51b0080d201687bf8c0035fd6');
  assert.deepEqual(out.relocs, [{ off: 4, size: 4, type: 'R_TLS_LE', sym: 'main.tlsg', add: 0, line: 1 }]);
});

// Through the assembler: whether a symbol is thread-local is known from its
// active GLOBL, which may come after the use and may sit under #ifdef, as in
// Go's runtime/tls_arm64.s (`GLOBL runtime·tls_g+0(SB), TLSBSS, $8` at the end,
// NOPTR instead when TLSG_IS_VARIABLE).
test('a TLSBSS declaration after the use, and one in an inactive #ifdef branch', () => {
  const src = (variable: boolean) => `#include "textflag.h"
${variable ? '#define TLSG_IS_VARIABLE' : ''}
TEXT ·load(SB),NOSPLIT,$0
	MOVD	·tlsg(SB), R27
	RET

TEXT ·other(SB),NOSPLIT,$0
	RET
#ifdef TLSG_IS_VARIABLE
GLOBL ·tlsg+0(SB), NOPTR, $8
#else
GLOBL ·tlsg+0(SB), TLSBSS, $8
#endif
`;
  const load = (variable: boolean) => assemble(src(variable), { target: { os: 'linux', arch: 'arm64' }, file: 't.s' }).symbols.find((s) => s.name === 'main.load')!;
  const tls = load(false);
  // go tool asm -S: 1b0080d2 c0035fd6 and padding to 16 bytes, rel 0+4 t=33 (R_ARM64_TLS_LE).
  assert.equal(Buffer.from(tls.data).toString('hex'), '1b0080d2c0035fd60000000000000000');
  assert.deepEqual(tls.relocs.map((r) => r.type), ['R_TLS_LE']);
  const plain = load(true);
  // An ordinary variable: ADRP + ADD + LDR through R27, rel 0+8 t=3 (go tool asm -S).
  assert.equal(Buffer.from(plain.data).toString('hex'), '1b0000907b0300917b0340f9c0035fd6');
  assert.deepEqual(plain.relocs.map((r) => r.type), ['R_ADDRARM64']);
});
