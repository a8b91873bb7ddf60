// The parser's fast path (parseFastLine, fed by the preprocessor straight from
// the file text) must hand over exactly the statements the general path
// (tokenize, then parseStatement) makes — operands, positions, statement text
// — and leave every other line, and every diagnostic, to the general path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocess } from '../../src/asm/preprocess.js';
import { parseFastLine, parseLine, type Statement } from '../../src/asm/parser.js';
import { getBackend } from '../../src/arch/registry.js';
import { DiagnosticSink } from '../../src/diag.js';

type Arch = 'amd64' | '386' | 'arm64';

/** Every statement and diagnostic, as text; `fast` also counts the lines the fast path took. */
function run(src: string, arch: Arch, fast: boolean): { out: string[]; fastLines: number } {
  const backend = getBackend(arch);
  const diag = new DiagnosticSink(1000);
  const out: string[] = [];
  let fastLines = 0;
  const add = (st: Statement): void => {
    const v = st.kind === 'inst' ? { op: st.prog.op, args: st.prog.args, pos: st.prog.pos, text: st.prog.text, argPos: st.prog.argPos } : st;
    // Object.is keeps -0 apart from 0; undefined fields are kept as such.
    out.push(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : Object.is(x, -0) ? '-0' : x === undefined ? '(undefined)' : x)));
  };
  preprocess(
    src,
    'x.s',
    {},
    diag,
    (line) => parseLine(line, backend, 'main', diag, add),
    fast
      ? (s, lineStart, first, end, file, line, macros) => {
          const took = parseFastLine(s, lineStart, first, end, file, line, backend, 'main', macros, add);
          if (took) fastLines++;
          return took;
        }
      : undefined,
  );
  for (const d of diag.list) out.push(`${d.file}:${d.line}:${d.col}: ${d.message}`);
  return { out, fastLines };
}

function same(src: string, arch: Arch): number {
  const general = run(src, arch, false);
  const fast = run(src, arch, true);
  assert.deepEqual(fast.out, general.out, src);
  return fast.fastLines;
}

const amd64 = `#include "textflag.h"
TEXT ·f(SB), NOSPLIT, $16-32
	MOVQ p+0(FP), SI
	MOVQ x-8(SP), DI
	MOVQ $-64, AX
	MOVQ $0, BX
	MOVQ $123456789012, CX
	LEAQ (DI)(CX*8), R14
	MOVQ 64(DI)(BX*1), DX
	MOVQ -8(SP), AX
	MOVQ (SP), AX
l0:	MOVQ ·g+16(SB), R11
l1:
a: b: NOP
	CALL ·h(SB)
	CALL runtime·x(SB)
	JNE l0
	JMP l1
	RET
TEXT a∕b·f(SB),NOSPLIT|NOFRAME,$0
	MOVQ ·g(SB), AX\r
  RET  \r
TEXT ·k(SB), 4, $-0-8
	RET
`;

test('common amd64 lines take the fast path and give the general path\'s statements', () => {
  assert.ok(same(amd64, 'amd64') >= 20);
  assert.ok(same(amd64.replace(/Q /g, 'L ').replace(/R1[14]/g, 'SI'), '386') >= 20);
});

test('common arm64 lines take the fast path and give the general path\'s statements', () => {
  const src = `#include "textflag.h"
TEXT ·f0(SB), NOSPLIT|NOFRAME, $0-32
	MOVD p+0(FP), R0
	MOVD $0, R3
	MOVD 64(R1), R14
	SUB $2364, R6, R13
	MOVD ·g291+16(SB), R14
	BL ·f5362(SB)
l0:
	CSEL EQ, R1, R2, R3
	CBNZ R11, l0
	B.EQ l0
	MOVD.P 8(R1), R2
	RET
`;
  assert.ok(same(src, 'arm64') >= 12);
});

test('lines the fast path does not handle go through the general path, diagnostics included', () => {
  const lines = [
    'MOVQ AX, BX // comment', 'MOVQ $(1+2), AX', 'MOVQ $0x10, AX', 'MOVQ $010, AX', 'MOVQ $1.5, X0', 'MOVQ 12ab, AX',
    'MOVQ ·t<>(SB), AX', 'MOVQ ·t(SB)(AX*4), BX', 'MOVQ AX, (BX)(CX*3)', 'MOVQ 8(PC), AX', 'JMP 2(PC)', 'MOVQ x+0(FP)(AX*1), BX',
    'MOVQ (AX*8), BX', 'MOVQ $·t(SB), AX', 'MOVQ AX,', 'MOVQ AX BX', 'MOVQ AX, BX; RET', 'MOVQ 8 (AX), BX', 'MOVQ é, AX',
    'MOVQ $ 1, AX', 'MOVQ x+8+8(FP), AX', 'MOVQ x(BX), AX', 'MOVQ 8(FP), AX', 'MOVQ 8(SB), AX', 'MOVQ R8.X, AX', '1: RET',
    'MOVQ AX<<2, BX', 'MOVQ (AX, BX), CX', 'MOVQ $-0, AX', 'MOVQ -0(AX), BX', 'TEXT ·z(SB), FOO, $0', 'TEXT ·z<>(SB), $0',
    'TEXT ·z+8(SB), $0', 'TEXT ·z(SB), 4+1, $0', 'TEXT ·z(SB), $0x10', 'TEXT ·z(SB), $8-', 'l: TEXT ·z(SB), $0', 'GLOBL ·g(SB), $8',
    'DATA ·g+0(SB)/8, $1', 'PCDATA $0, $1', 'EQ', 'MOVQ EQ, AX', 'MOVQ AX, 9999999999999999(BX)', 'MOVQ AX, ·x∕y(SB)',
  ];
  const src = `#include "textflag.h"\n#define FOO (4)\nTEXT ·f(SB), NOSPLIT, $0\n${lines.map((l) => `\t${l}\n`).join('')}`;
  same(src, 'amd64');
});

test('a macro named anywhere in a line sends it to the general path', () => {
  for (const def of ['#define AX BX', '#define OFF 8', '#define MOVQ MOVL', '#define l0 l1', '#define SB FP', '#define FP SP', '#define p q', '#define ·g ·h', '#define NOSPLIT 7', '#define M(x) x']) {
    same(`#include "textflag.h"\n${def}\n${amd64.slice(amd64.indexOf('TEXT'))}`, 'amd64');
  }
});
