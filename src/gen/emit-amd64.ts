// amd64 trampolines: Go's ABI0 stack frame ⇄ the System V AMD64 C convention
// (linux and darwin alike).
//
// What matters: integer arguments go in DI, SI, DX, CX, R8, R9 and then on the
// stack in 8-byte slots, the first at 0(SP) at the CALL; SP must be 16-byte
// aligned at the CALL, and a Go caller promises nothing about alignment, so
// the trampoline saves SP in BP and rounds SP down. Narrow arguments are
// widened by the caller (clang relies on it); a narrow result comes back in
// the low bits of AX with the upper bits undefined, so the trampoline extends
// it. A variadic callee reads AL as the number of vector registers used: 0.
// The C callee preserves BX, BP, R12–R15; DF is clear on both sides.
//
// Register arguments are read with `name+off(FP)` before anything is pushed;
// everything after `PUSHQ BP` uses BP, where 0(FP) is 16(BP), because the
// assembler cannot follow SP through `ANDQ $~15, SP`.

import type { Binding, Slot } from './layout.js';
import { Lines, slotRef } from './asmtext.js';

const ARG_REGS = ['DI', 'SI', 'DX', 'CX', 'R8', 'R9'];

/** A load of an argument slot, widened to 64 bits. */
function load(s: Slot, src: string, dst: string, L: Lines, comment?: string): void {
  const op = s.size === 8 ? 'MOVQ' : s.size === 4 ? (s.signed ? 'MOVLQSX' : 'MOVL') : s.size === 2 ? (s.signed ? 'MOVWQSX' : 'MOVWQZX') : s.signed ? 'MOVBQSX' : 'MOVBQZX';
  L.op(op, `${src}, ${dst}`, comment);
}

/** Extends a C result of `csize` bytes in AX to 64 bits. */
function extendAX(s: Slot, L: Lines): void {
  if (s.csize === 8) return;
  const op = s.csize === 4 ? (s.signed ? 'MOVLQSX' : 'MOVL') : s.csize === 2 ? (s.signed ? 'MOVWQSX' : 'MOVWQZX') : s.signed ? 'MOVBQSX' : 'MOVBQZX';
  L.op(op, 'AX, AX', `${s.ctype} result: ${s.signed ? 'sign' : 'zero'}-extend`);
}

function store(size: number, src: string, dst: string, L: Lines, comment?: string): void {
  const op = size === 8 ? 'MOVQ' : size === 4 ? 'MOVL' : size === 2 ? 'MOVW' : 'MOVB';
  L.op(op, `${src}, ${dst}`, comment);
}

export function amd64Trampoline(b: Binding, errnoImport: string | undefined, flags: string): string[] {
  const L = new Lines();
  L.raw(`TEXT ${b.symbol}(SB),${flags},$0-${b.argsSize}`);
  const inRegs = b.args.slice(0, ARG_REGS.length);
  const onStack = b.args.slice(ARG_REGS.length);
  inRegs.forEach((a, k) => load(a, slotRef(a), ARG_REGS[k]!, L));
  L.op('PUSHQ', 'BP', 'save BP; from here on 0(FP) is 16(BP)');
  L.op('MOVQ', 'SP, BP');
  const stackBytes = Math.ceil((onStack.length * 8) / 16) * 16;
  if (stackBytes > 0) L.op('SUBQ', `$${stackBytes}, SP`, 'outgoing stack arguments');
  L.op('ANDQ', '$~15, SP', 'align the stack to 16 bytes for C');
  onStack.forEach((a, k) => {
    load(a, `${16 + a.off}(BP)`, 'AX', L, slotRef(a));
    L.op('MOVQ', `AX, ${k * 8}(SP)`);
  });
  if (b.decl.variadic) L.op('MOVL', '$0, AX', 'no vector registers in the variadic call');
  L.op('CALL', `${b.callee}(SB)`);
  if (b.errno && errnoImport) {
    if (b.ret) {
      extendAX(b.ret, L);
      L.op('MOVQ', `AX, ${16 + b.ret.off}(BP)`, slotRef(b.ret));
    }
    L.op('CALL', `${errnoImport}(SB)`, 'the calling thread\'s errno location');
    L.op('MOVLQSX', '(AX), AX');
    L.op('MOVQ', `AX, ${16 + b.errno.off}(BP)`, slotRef(b.errno));
    L.op('MOVQ', 'BP, SP');
    L.op('POPQ', 'BP');
  } else {
    L.op('MOVQ', 'BP, SP');
    L.op('POPQ', 'BP');
    if (b.ret) {
      extendAX(b.ret, L);
      L.op('MOVQ', `AX, ${slotRef(b.ret)}`);
    }
  }
  L.op('RET');
  return L.out;
}

/**
 * A C-callable entry stub: saves the registers C expects preserved (Go code
 * may use any), builds the Go ABI0 argument area at 0(SP), calls the Go-
 * convention function and returns its result in AX.
 */
export function amd64CallbackStub(b: Binding): string[] {
  const L = new Lines();
  const saved = ['BX', 'R12', 'R13', 'R14', 'R15'];
  L.raw(`TEXT ${b.symbol}(SB),NOSPLIT,$0`);
  L.op('PUSHQ', 'BP', "C's 7th and later arguments are at 16(BP), 24(BP), ...");
  L.op('MOVQ', 'SP, BP');
  for (const r of saved) L.op('PUSHQ', r, 'callee-saved in C, not in Go');
  // Entry SP is 8 mod 16; six pushes keep it so; 8 more bytes make the CALL aligned.
  const frame = Math.ceil(b.argsSize / 16) * 16 + 8;
  L.op('SUBQ', `$${frame}, SP`, 'the Go callee\'s argument area');
  b.args.forEach((a, k) => {
    if (k < ARG_REGS.length) store(a.size, ARG_REGS[k]!, `${a.off}(SP)`, L, a.name);
    else {
      L.op('MOVQ', `${16 + (k - ARG_REGS.length) * 8}(BP), AX`);
      store(a.size, 'AX', `${a.off}(SP)`, L, a.name);
    }
  });
  L.op('CALL', `${b.callee}(SB)`);
  if (b.ret) load({ ...b.ret, size: b.ret.csize }, `${b.ret.off}(SP)`, 'AX', L, `${b.ret.name}: the C ${b.ret.ctype} result`);
  L.op('ADDQ', `$${frame}, SP`);
  for (const r of [...saved].reverse()) L.op('POPQ', r);
  L.op('POPQ', 'BP');
  L.op('RET');
  return L.out;
}
