// Vector element operands (`V1.D[0]`): the encoder supports them although the
// front end does not parse `[i]` after a register yet, so these tests build
// the instructions by hand. Expected bytes come from llvm-mc at test time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { arm64Backend } from '../../../src/arch/arm64/index.js';
import { DiagnosticSink } from '../../../src/diag.js';
import type { Operand, Prog, TextBlock } from '../../../src/asm/prog.js';

const pos = { file: 't.s', line: 1, col: 1 };
const R = (reg: string): Operand => ({ kind: 'reg', reg });
const M = (base: string, offset = 0, index?: string): Operand => ({ kind: 'mem', mem: { name: 'none', base, offset, index, scale: index ? 1 : 0 } });

const cases: [string, Operand[], string][] = [
  ['VMOV', [R('V1.D[0]'), R('R2')], 'mov x2, v1.d[0]'],
  ['VMOV', [R('V13.S[0]'), R('R20')], 'mov w20, v13.s[0]'],
  ['VMOV', [R('V1.B[3]'), R('R2')], 'umov w2, v1.b[3]'],
  ['VMOV', [R('R3'), R('V4.D[1]')], 'mov v4.d[1], x3'],
  ['VMOV', [R('R3'), R('V4.S[2]')], 'mov v4.s[2], w3'],
  ['VMOV', [R('V1.S[1]'), R('V2.S[3]')], 'mov v2.s[3], v1.s[1]'],
  ['VMOV', [R('V31.B[15]'), R('V18')], 'mov b18, v31.b[15]'],
  ['VDUP', [R('V1.S[1]'), R('V2.S4')], 'dup v2.4s, v1.s[1]'],
  ['VLD1', [M('R1'), R('V2.S[1]')], 'ld1 {v2.s}[1], [x1]'],
  ['VLD1.P', [M('R1', 8), R('V2.D[1]')], 'ld1 {v2.d}[1], [x1], #8'],
  ['VLD1.P', [M('R1', 0, 'R3'), R('V2.H[2]')], 'ld1 {v2.h}[2], [x1], x3'],
  ['VST1', [R('V2.B[14]'), M('R1')], 'st1 {v2.b}[14], [x1]'],
];

test('vector element forms agree with llvm-mc', (t) => {
  try {
    execFileSync('llvm-mc', ['--version'], { stdio: 'ignore' });
  } catch {
    t.skip('needs llvm-mc (Debian package llvm)');
    return;
  }
  const out = execFileSync('llvm-mc', ['-triple=aarch64', '-show-encoding'], { input: cases.map((c) => c[2]).join('\n') + '\n', encoding: 'utf8' });
  const want = [...out.matchAll(/encoding: \[([^\]]*)\]/g)].map((m) => m[1]!.split(',').map((b) => b.trim().replace(/^0x/, '').padStart(2, '0')).join(''));
  assert.equal(want.length, cases.length);
  const progs: Prog[] = cases.map(([op, args]) => ({ op, args, pos, text: '', argPos: [] }));
  const fn: TextBlock = { name: 'main.v', local: false, flags: 4 | 512, frameSize: 0, pos, progs, labels: new Map(), labelPos: new Map() };
  const diag = new DiagnosticSink();
  const res = arm64Backend.assemble(fn, { target: { os: 'linux', arch: 'arm64' }, diag });
  assert.deepEqual(diag.list, []);
  const bad: string[] = [];
  cases.forEach((c, i) => {
    const got = Buffer.from(res.data.subarray(i * 4, i * 4 + 4)).toString('hex');
    if (got !== want[i]) bad.push(`${c[0]} ${c[2]}: want ${want[i]} got ${got}`);
  });
  assert.deepEqual(bad, []);
});
