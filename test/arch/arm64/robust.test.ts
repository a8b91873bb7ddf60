// Robustness: every mnemonic of the table with random operand lists (right
// and wrong kinds, 0 to 4 operands) either encodes or reports a diagnostic;
// the encoder never throws anything else and never emits a word for a
// rejected instruction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleFunction } from '../../../src/arch/arm64/function.js';
import { optab } from '../../../src/arch/arm64/optab.js';
import { DiagnosticError, DiagnosticSink } from '../../../src/diag.js';
import type { Operand, Prog, TextBlock } from '../../../src/asm/prog.js';

const pool: Operand[] = [
  { kind: 'reg', reg: 'R1' }, { kind: 'reg', reg: 'RSP' }, { kind: 'reg', reg: 'ZR' }, { kind: 'reg', reg: 'F2' },
  { kind: 'reg', reg: 'V3.B16' }, { kind: 'reg', reg: 'V4.D[1]' }, { kind: 'reg', reg: 'V5' }, { kind: 'reg', reg: 'R30' },
  { kind: 'imm', value: 0n }, { kind: 'imm', value: 1n }, { kind: 'imm', value: -1n }, { kind: 'imm', value: 0x123456789abcdefn },
  { kind: 'imm', value: 4096n }, { kind: 'imm', value: 1n << 63n }, { kind: 'fimm', value: 1.5 }, { kind: 'fimm', value: 0.1 },
  { kind: 'mem', mem: { name: 'none', base: 'R2', offset: 0, scale: 0 } },
  { kind: 'mem', mem: { name: 'none', base: 'R2', offset: 0x123457, scale: 0 } },
  { kind: 'mem', mem: { name: 'none', base: 'R2', offset: -300, scale: 0 } },
  { kind: 'mem', mem: { name: 'none', base: 'R2', index: 'R3', offset: 0, scale: 8 } },
  { kind: 'mem', mem: { name: 'none', base: 'R2', index: 'R3.SXTW', offset: 0, scale: 1 } },
  { kind: 'mem', mem: { name: 'extern', sym: 'main.x', offset: 8, scale: 0 } },
  { kind: 'mem', mem: { name: 'param', argName: 'a', offset: 8, scale: 0 } },
  { kind: 'mem', mem: { name: 'auto', argName: 'b', offset: -8, scale: 0 } },
  { kind: 'mem', mem: { name: 'none', base: 'F1', offset: 0, scale: 0 } },
  { kind: 'addr', mem: { name: 'extern', sym: 'main.x', offset: 0, scale: 0 } },
  { kind: 'addr', mem: { name: 'none', base: 'R1', offset: 0x12345678, scale: 0 } },
  { kind: 'branch', label: 'L' }, { kind: 'branch', label: 'nowhere' }, { kind: 'branch', sym: 'main.f' }, { kind: 'branch', pcrel: -1 },
  { kind: 'shift', reg: 'R1', op: '<<', amount: 3 }, { kind: 'shift', reg: 'R1', op: '@>', amount: 40 },
  { kind: 'ext', reg: 'R1', ext: 'UXTW', amount: 2 }, { kind: 'ext', reg: 'R1', ext: 'SXTX', amount: 9 },
  { kind: 'regpair', regs: ['R1', 'R2'] }, { kind: 'regpair', regs: ['F1', 'F2'] }, { kind: 'regpair', regs: ['R1', 'R1'] },
  { kind: 'reglist', regs: ['V1.B16', 'V2.B16'] }, { kind: 'reglist', regs: ['V1.B16', 'V3.B16'] },
  { kind: 'cond', cond: 'EQ' }, { kind: 'cond', cond: 'AL' }, { kind: 'special', name: 'TPIDR_EL0' }, { kind: 'special', name: 'ISH' },
  { kind: 'str', value: new Uint8Array([1]) },
];

test('random operands never crash the arm64 encoder', () => {
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const pos = { file: 'r.s', line: 1, col: 1 };
  let encoded = 0;
  let rejected = 0;
  for (const op of optab().keys()) {
    for (let k = 0; k < 40; k++) {
      const n = rnd(5);
      const args: Operand[] = [];
      for (let i = 0; i < n; i++) args.push(pool[rnd(pool.length)]!);
      const sfx = ['', '', '', '.P', '.W'][rnd(5)]!;
      const progs: Prog[] = [{ op: op + sfx, args, pos, text: '', argPos: [] }, { op: 'RET', args: [], pos, text: '', argPos: [] }];
      const fn: TextBlock = { name: 'main.r', local: false, flags: 4, frameSize: rnd(2) * 16, pos, progs, labels: new Map([['L', 1]]), labelPos: new Map() };
      const diag = new DiagnosticSink(1000);
      try {
        const out = assembleFunction(fn, diag);
        if (diag.hasErrors) rejected++;
        else {
          encoded++;
          assert.equal(out.data.length % 16, 0);
        }
      } catch (e) {
        if (!(e instanceof DiagnosticError)) throw new Error(`${op}${sfx} ${JSON.stringify(args, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}: ${String(e)}`);
        rejected++;
      }
    }
  }
  assert.ok(encoded > 100 && rejected > 1000, `encoded ${encoded}, rejected ${rejected}`);
});
