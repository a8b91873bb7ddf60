// The front end's fast paths must not change what is assembled: plain lines
// are lexed once by the preprocessor (which then hands the tokens to the
// parser) unless they name a macro, and per-instruction records are optional.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../../src/asm/assemble.js';
import { DiagnosticError } from '../../src/diag.js';

const target = { os: 'linux', arch: 'amd64' } as const;

function bytes(src: string, insts?: boolean): string {
  const o = assemble(src, { target, file: 'x.s', insts });
  return o.symbols.map((s) => `${s.name}:${Buffer.from(s.data).toString('hex')}:${s.relocs.map((r) => `${r.off}/${r.type}/${r.sym}/${r.add}`).join(',')}`).join(' ');
}

test('macros in plain lines are expanded; identifiers after a dot and in strings are not', () => {
  const withMacros = bytes(`#define OFF 8
#define REG BX
#define TWICE(x) (x*2)
TEXT ·f(SB),4,$0
	MOVQ OFF(AX), REG
	MOVQ $TWICE(OFF), CX
	MOVQ ·t+OFF(SB), DX
	RET
`);
  const plain = bytes(`TEXT ·f(SB),4,$0
	MOVQ 8(AX), BX
	MOVQ $(8*2), CX
	MOVQ ·t+8(SB), DX
	RET
`);
  assert.equal(withMacros, plain);
});

test('a line that does not lex on the fast path is diagnosed as before', () => {
  try {
    assemble('TEXT ·f(SB),4,$0\n\tMOVQ 12ab, AX\n\tRET\n', { target, file: 'x.s' });
    assert.fail('expected diagnostics');
  } catch (e) {
    assert.ok(e instanceof DiagnosticError);
    assert.deepEqual(
      e.diagnostics.map((d) => [d.line, d.col, d.message]),
      [[2, 7, 'malformed number "12a"']],
    );
  }
});

test('insts: false drops only the per-instruction records', () => {
  const src = 'TEXT ·f(SB),4,$0\n\tMOVQ $1, AX\n\tCALL ·g(SB)\n\tRET\n';
  assert.equal(bytes(src, false), bytes(src));
  const off = assemble(src, { target, file: 'x.s', insts: false }).symbols[0]!;
  const on = assemble(src, { target, file: 'x.s' }).symbols[0]!;
  assert.equal(off.insts, undefined);
  // With each instruction's frame (x86): a NOSPLIT function without a frame keeps SP where the call left it.
  assert.deepEqual(on.insts, [
    { line: 2, offset: 0, size: 7, sp: 0, saved: 0 },
    { line: 3, offset: 7, size: 5, sp: 0, saved: 0 },
    { line: 4, offset: 12, size: 1, sp: 0, saved: 0 },
  ]);
});
