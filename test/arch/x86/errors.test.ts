// Diagnostics of the x86 backends: each error names the problem and points at
// the statement (or operand) with file:line:col, and assembly continues so every
// error of a file is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../../../src/asm/assemble.js';
import { DiagnosticError } from '../../../src/diag.js';
import type { ArchName } from '../../../src/target.js';

function errorsOf(body: string, arch: ArchName = 'amd64'): string[] {
  try {
    assemble(`TEXT ·f(SB),4,$0-8\n${body}\n`, { target: { os: 'linux', arch }, file: 'e.s' });
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`);
    throw e;
  }
  return [];
}

const cases: [string, ArchName, string, RegExp][] = [
  ['unknown instruction', 'amd64', '\tFOOQ AX', /^e\.s:2:2: unknown instruction FOOQ$/],
  ['bad operand combination', 'amd64', '\tADDQ (AX), (BX)', /^e\.s:2:2: invalid operand combination for ADDQ: mem, mem$/],
  ['missing operand', 'amd64', '\tADDQ $1', /invalid operand combination for ADDQ: imm$/],
  ['byte immediate out of range', 'amd64', '\tADDB $300, AL', /^e\.s:2:7: immediate 300 out of range for ADDB$/],
  ['word immediate out of range', 'amd64', '\tMOVW $70000, AX', /immediate 70000 out of range for MOVW/],
  ['shift count out of range', 'amd64', '\tSHLQ $300, AX', /immediate 300 out of range for SHLQ/],
  ['undefined label', 'amd64', '\tJMP nowhere', /^e\.s:2:6: undefined label nowhere$/],
  ['undefined label with a package', 'amd64', '\tJMP ·main', /^e\.s:2:6: undefined label ·main \(to jump to a function or symbol, write ·main\(SB\)\)$/],
  ['PC-relative target outside the function', 'amd64', '\tJMP 100(PC)', /branch target 100\(PC\) is outside the function/],
  ['unbalanced PUSH before RET', 'amd64', '\tPUSHQ AX\n\tRET', /^e\.s:3:2: unbalanced PUSH\/POP before RET/],
  ['high byte register with REX', 'amd64', '\tMOVB AH, R8B', /cannot use AH, BH, CH or DH in an instruction that needs a REX prefix/],
  ['X16-X31 need an EVEX form', 'amd64', '\tVPXOR X20, X1, X2', /invalid operand combination for VPXOR: xmm, xmm, xmm/],
  ['unknown AVX-512 suffix', 'amd64', '\tVADDPD.FOO Z1, Z2, Z3', /instruction suffix \.FOO is not supported/],
  ['R8 in 386 mode', '386', '\tMOVL R8, AX', /^e\.s:2:7: register R8 is not available in 32-bit mode$/],
  ['64-bit instruction in 386 mode', '386', '\tMOVQ AX, BX', /MOVQ with these operands is not available in 32-bit mode/],
  ['SIB in 386 mode', '386', '\tMOVB SIB, AL', /register SIB is not available in 32-bit mode/],
  ['PUSHQ in 386 mode', '386', '\tPUSHQ AX', /PUSHQ with these operands is not available in 32-bit mode/],
  ['(TLS) store in 386 mode', '386', '\tMOVL AX, (TLS)', /\(TLS\) must be loaded with MOVL \(TLS\), reg in 32-bit mode/],
  // AVX-512 options that Go refuses: each must be an error, never bytes.
  ['AVX-512 gather without an opmask', 'amd64', '\tVPGATHERDD (AX)(Z1*4), Z2', /gathers and scatters need an opmask register/],
  ['AVX2 gather with overlapping registers', 'amd64', '\tVPGATHERDD X1, (AX)(X1*4), X2', /mask, index and destination registers of a gather must be distinct/],
  ['AVX-512 gather into its index register', 'amd64', '\tVPGATHERDD (AX)(Z1*4), K1, Z1', /index and destination registers of a gather must be distinct/],
  ['VSIB operand on an instruction that is not a gather', 'amd64', '\tVADDPD (AX)(Z1*4), Z2, Z3', /invalid operand combination for VADDPD: mem, zmm, zmm/],
  ['K0 as an opmask', 'amd64', '\tVADDPD Z1, Z2, K0, Z3', /K0 cannot be used as an opmask/],
  ['masking an instruction without masks', 'amd64', '\tVAESENC Z1, Z2, K1, Z3', /VAESENC cannot be masked or zeroed/],
  ['zeroing into a mask register', 'amd64', '\tVPCMPEQD.Z Z1, Z2, K1, K2', /VPCMPEQD cannot zero \(\.Z\) this destination/],
  ['rounding on a 256-bit form', 'amd64', '\tVADDPD.RN_SAE Y1, Y2, Y3', /VADDPD has no static rounding in this form/],
  ['SAE on an instruction that rounds', 'amd64', '\tVADDPD.SAE Z1, Z2, Z3', /VADDPD has no SAE in this form/],
  ['broadcast on a byte instruction', 'amd64', '\tVPADDB.BCST (AX), Z1, Z2', /cannot broadcast \(\.BCST\)/],
  ['Z suffix before BCST', 'amd64', '\tVADDPD.Z.BCST (AX), Z1, Z2', /invalid suffix combination \.Z\.BCST/],
  ['register range that is not four registers', 'amd64', '\tV4FMADDPS (AX), [Z0-Z2], K1, Z4', /must be a range of four vector registers, like \[Z0-Z3\]/],
  ['register range of two kinds', 'amd64', '\tV4FMADDPS (AX), [Z0-Y3], K1, Z4', /expected a register range like \[Z0-Z3\]/],
  ['negative immediate on an EVEX-only form', 'amd64', '\tVPSHUFD $-1, Z1, Z2', /immediate -1 out of range for VPSHUFD/],
];

for (const [name, arch, body, re] of cases) {
  test(`x86 diagnostics (${arch}): ${name}`, () => {
    const errs = errorsOf(body, arch);
    assert.equal(errs.length, 1, errs.join('\n'));
    assert.match(errs[0], re);
  });
}

test('x86: a negative FP offset is accepted as Go accepts it (the return PC slot)', () => {
  // $0-8 frame: x-8(FP) is 0(SP), the return address.
  const obj = assemble('TEXT ·f(SB),4,$0-8\n\tMOVQ pc-8(FP), AX\n\tRET\n', { target: { os: 'linux', arch: 'amd64' }, file: 'e.s' });
  assert.equal(Buffer.from(obj.symbols[0].data).toString('hex'), '488b0424c3');
});

test('x86 diagnostics: every bad instruction of a function is reported', () => {
  const errs = errorsOf('\tFOOQ AX\n\tADDQ (AX), (BX)\n\tMOVQ AX, BX\n\tJMP nowhere\n\tADDB $300, AL');
  assert.equal(errs.length, 4, errs.join('\n'));
  assert.deepEqual(errs.map((e) => e.split(':')[1]), ['2', '3', '5', '6']);
});
