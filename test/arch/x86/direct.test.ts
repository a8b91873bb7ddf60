// Encoder tests on hand-built TextBlocks, for operand forms the front end may
// not produce yet. Expected bytes were checked against go tool asm -S
// (GOARCH=386 for the indexed symbol) and GNU objdump.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { amd64Backend } from '../../../src/arch/amd64/index.js';
import { i386Backend } from '../../../src/arch/i386/index.js';
import type { ArchBackend } from '../../../src/arch/arch.js';
import type { Operand, Prog, TextBlock } from '../../../src/asm/prog.js';
import { DiagnosticSink } from '../../../src/diag.js';

const pos = { file: 't.s', line: 1, col: 1 };
function prog(op: string, ...args: Operand[]): Prog {
  return { op, args, pos, text: op, argPos: args.map(() => pos) };
}
function block(progs: Prog[], frameSize = 0): TextBlock {
  return { name: 'main.f', local: false, flags: 4, frameSize, pos, progs, labels: new Map(), labelPos: new Map() };
}
function run(b: ArchBackend, progs: Prog[]) {
  const diag = new DiagnosticSink();
  const r = b.assemble(block(progs), { target: { os: 'linux', arch: b.name }, diag });
  assert.deepEqual(diag.list, []);
  return { hex: Buffer.from(r.data).toString('hex'), relocs: r.relocs.map((x) => [x.off, x.size, x.type, x.sym, x.add]) };
}
const reg = (r: string): Operand => ({ kind: 'reg', reg: r });

test('amd64: MOVQ sym@GOT(SB), AX is a RIP-relative load with R_GOTPCREL', () => {
  const r = run(amd64Backend, [prog('MOVQ', { kind: 'mem', mem: { name: 'extern', sym: 'libc.puts', offset: 0, scale: 0, gotRef: true } }, reg('AX'))]);
  assert.equal(r.hex, '488b0500000000');
  assert.deepEqual(r.relocs, [[3, 4, 'R_GOTPCREL', 'libc.puts', 0]]);
});

test('386: MOVL sym(SB)(AX*4), DI uses an absolute disp32 with R_ADDR', () => {
  // go tool asm (GOARCH=386): 8b 3c 85 <R_ADDR sym+0>.
  const r = run(i386Backend, [prog('MOVL', { kind: 'mem', mem: { name: 'extern', sym: 'main.table', offset: 4, index: 'AX', scale: 4 } }, reg('DI'))]);
  assert.equal(r.hex, '8b3c8500000000');
  assert.deepEqual(r.relocs, [[3, 4, 'R_ADDR', 'main.table', 4]]);
});

test('amd64/386: an absolute address without base register', () => {
  const abs: Operand = { kind: 'mem', mem: { name: 'none', offset: 0xf1, scale: 0 } };
  // MOVL $0xf1, 0xf1 (Go's crash idiom): SIB-absolute on amd64, mod=00 rm=101 on 386.
  assert.equal(run(amd64Backend, [prog('MOVL', { kind: 'imm', value: 0xf1n }, abs)]).hex, 'c70425f1000000f1000000');
  assert.equal(run(i386Backend, [prog('MOVL', { kind: 'imm', value: 0xf1n }, abs)]).hex, 'c705f1000000f1000000');
});

test('amd64: index-only addressing -1(AX*2)', () => {
  // LEAQ -1(AX*2), AX → 48 8d 04 45 ff ff ff ff (no base: SIB base=101 with disp32).
  const m: Operand = { kind: 'mem', mem: { name: 'none', offset: -1, index: 'AX', scale: 2 } };
  assert.equal(run(amd64Backend, [prog('LEAQ', m, reg('AX'))]).hex, '488d0445ffffffff');
});

test('x86: pseudo-instructions emit nothing or raw bytes', () => {
  const r = run(amd64Backend, [
    prog('NOP'),
    prog('NOP', reg('SP')),
    prog('PCDATA', { kind: 'imm', value: 0n }, { kind: 'imm', value: -1n }),
    prog('BYTE', { kind: 'imm', value: 0x90n }),
    prog('WORD', { kind: 'imm', value: 0x1234n }),
    prog('LONG', { kind: 'imm', value: 0xdeadbeefn }),
    prog('QUAD', { kind: 'imm', value: 1n }),
  ]);
  assert.equal(r.hex, '903412efbeadde0100000000000000');
});

test('amd64: ADJSP moves the pseudo-FP like PUSHQ does', () => {
  const fp: Operand = { kind: 'mem', mem: { name: 'param', argName: 'x', offset: 0, scale: 0 } };
  const r = run(amd64Backend, [prog('ADJSP', { kind: 'imm', value: 16n }), prog('MOVQ', fp, reg('AX')), prog('ADJSP', { kind: 'imm', value: -16n }), prog('RET')]);
  // SUBQ $16, SP; MOVQ 24(SP), AX; ADDQ $16, SP; RET
  assert.equal(r.hex, '4883ec10488b4424184883c410c3');
});
