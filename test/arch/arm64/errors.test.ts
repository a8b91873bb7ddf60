// Every arm64 diagnostic: message and position (file:line:col), and that one
// bad instruction does not hide the errors after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../../../src/asm/assemble.js';
import { DiagnosticError, DiagnosticSink, formatDiagnostic } from '../../../src/diag.js';
import { arm64Backend } from '../../../src/arch/arm64/index.js';
import type { Prog, TextBlock } from '../../../src/asm/prog.js';

function errorsOf(body: string): string[] {
  const src = `TEXT ·f(SB),4,$0-0\n${body}\n\tRET\n`;
  try {
    assemble(src, { target: { os: 'linux', arch: 'arm64' }, file: 'e.s' });
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  return [];
}

function expectError(body: string, re: RegExp, line = 2): void {
  const errs = errorsOf(body);
  assert.ok(errs.length > 0, `no error for ${body}`);
  assert.match(errs[0]!, re);
  assert.match(errs[0]!, new RegExp(`^e\\.s:${line}:\\d+: `));
}

test('unknown instruction', () => expectError('\tFROB R1, R2', /unknown instruction FROB/));
test('unknown suffix', () => expectError('\tADD.P $1, R1', /unknown suffix \.P/));
test('bad operand combination', () => {
  expectError('\tADD (R1), R2', /illegal combination: ADD/);
  expectError('\tMOVD R1', /illegal combination/);
  expectError('\tCSEL R1, R2, R3, R4', /invalid condition/);
  expectError('\tNEG R1', /illegal combination/);
});
test('immediate that cannot be a logical immediate', () => {
  expectError('\tAND $0x123, R1, RSP', /cannot encode \$0x123 as a logical immediate/);
  expectError('\tMOVD $0x12345, RSP', /cannot encode \$0x12345 as a logical immediate/);
});
test('misaligned or out-of-range scaled offsets', () => {
  expectError('\tLDP.P 4(R1), (R2, R3)', /invalid offset 4 for LDP\.P: must be a multiple of 8/);
  expectError('\tSTP.W (R2, R3), 1024(R1)', /invalid offset 1024 for STP\.W/);
  expectError('\tMOVD.P 256(R1), R2', /offset out of range \[-256,255\]: 256/);
  expectError('\tPRFM 3(R1), PLDL1KEEP', /offset 3 out of range for PRFM/);
});
test('branch out of range', () => {
  // Conditional branches get veneers as in Go (see differential.test.ts);
  // ADR has none: ±1MiB. Built directly (one shared NOOP prog) to stay fast.
  const pos = { file: 'e.s', line: 2, col: 2 };
  const nop: Prog = { op: 'NOOP', args: [], pos: { file: 'e.s', line: 3, col: 2 }, text: '', argPos: [] };
  const progs: Prog[] = [{ op: 'ADR', args: [{ kind: 'branch', label: 'far' }, { kind: 'reg', reg: 'R1' }], pos, text: '', argPos: [] }];
  for (let i = 0; i < 262144; i++) progs.push(nop);
  const fn: TextBlock = { name: 'main.f', local: false, flags: 4, frameSize: 0, pos, progs, labels: new Map([['far', progs.length]]), labelPos: new Map() };
  const diag = new DiagnosticSink();
  arm64Backend.assemble(fn, { target: { os: 'linux', arch: 'arm64' }, diag });
  assert.equal(diag.list.length, 1);
  assert.match(formatDiagnostic(diag.list[0]!), /^e\.s:2:2: ADR target out of range/);
});
test('undefined label', () => expectError('\tBEQ nowhere', /undefined label nowhere$/));
test('undefined label with a package: the (SB) it lacks', () => expectError('\tB ·main', /^e\.s:2:4: undefined label ·main \(to jump to a function or symbol, write ·main\(SB\)\)/));
test('shift and bit-number ranges', () => {
  expectError('\tADDW R1<<32, R2, R3', /shift amount out of range 0 to 31/);
  expectError('\tLSL $64, R1, R2', /shift amount out of range 0 to 63/);
  expectError('\tTBZ $64, R1, 0(PC)', /illegal bit number 64/);
  expectError('\tADD R1.UXTW<<5, R2, R3', /shift amount out of range 0 to 4/);
  expectError('\tADD R1@>3, R2, R3', /unsupported shift operator/);
});
test('register misuse', () => {
  expectError('\tADDS $1, R1, RSP', /illegal destination register RSP/);
  expectError('\tLDAR 8(R1), R2', /takes no offset/);
  expectError('\tSTLXR R1, (R2), R1', /constrained unpredictable/);
  expectError('\tLDP (R1), (R2, R2)', /constrained unpredictable/);
  expectError('\tMOVD R1, sym(SB)(R2)', /./);
  expectError('\tMRS FOO_EL9, R1', /unknown system register FOO_EL9/);
  expectError('\tDMB FOO', /unknown barrier option FOO/);
});
test('frame errors', () => {
  const src = 'TEXT ·g(SB),4,$12-0\n\tRET\n';
  assert.throws(() => assemble(src, { target: { os: 'linux', arch: 'arm64' }, file: 'e.s' }), (e: unknown) => {
    assert.ok(e instanceof DiagnosticError);
    assert.match(formatDiagnostic(e.diagnostics[0]!), /^e\.s:1:\d+: unaligned frame size 12/);
    return true;
  });
});
test('every error of a function is reported', () => {
  const errs = errorsOf('\tFROB\n\tADD (R1), R2\n\tBEQ nowhere\n\tMOVD $1, R1');
  assert.equal(errs.length, 3);
  assert.match(errs[0]!, /^e\.s:2:/);
  assert.match(errs[1]!, /^e\.s:3:/);
  assert.match(errs[2]!, /^e\.s:4:/);
});
