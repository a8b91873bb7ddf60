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
const NXMM = 8;

/** Where each argument goes: an integer register, a vector register, or the k-th 8-byte stack slot. */
type Place = { reg: string } | { stack: number };

function place(args: readonly Slot[]): { at: Place[]; nstack: number; nxmm: number } {
  let gp = 0;
  let xmm = 0;
  let nstack = 0;
  const at = args.map((a): Place => {
    if (a.float && xmm < NXMM) return { reg: `X${xmm++}` };
    if (!a.float && gp < ARG_REGS.length) return { reg: ARG_REGS[gp++]! };
    return { stack: nstack++ };
  });
  return { at, nstack, nxmm: xmm };
}

function fop(size: number): string {
  return size === 4 ? 'MOVSS' : 'MOVSD';
}

/** A load of an argument slot, widened to 64 bits (a float's bits are zero-extended). */
function load(s: Slot, src: string, dst: string, L: Lines, comment?: string): void {
  if (s.float) return L.op(s.size === 4 ? 'MOVL' : 'MOVQ', `${src}, ${dst}`, comment);
  const op = s.size === 8 ? 'MOVQ' : s.size === 4 ? (s.signed ? 'MOVLQSX' : 'MOVL') : s.size === 2 ? (s.signed ? 'MOVWQSX' : 'MOVWQZX') : s.signed ? 'MOVBQSX' : 'MOVBQZX';
  L.op(op, `${src}, ${dst}`, comment);
}

/** Extends a C result of `csize` bytes in AX to 64 bits. */
function extendAX(s: Slot, L: Lines): void {
  if (s.csize === 8 || s.float) return;
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
  const { at, nstack, nxmm } = place(b.args);
  b.args.forEach((a, k) => {
    const p = at[k]!;
    if (!('reg' in p)) return;
    if (a.float) L.op(fop(a.size), `${slotRef(a)}, ${p.reg}`);
    else load(a, slotRef(a), p.reg, L);
  });
  L.op('PUSHQ', 'BP', 'save BP; from here on 0(FP) is 16(BP)');
  L.op('MOVQ', 'SP, BP');
  const stackBytes = Math.ceil((nstack * 8) / 16) * 16;
  if (stackBytes > 0) L.op('SUBQ', `$${stackBytes}, SP`, 'outgoing stack arguments');
  L.op('ANDQ', '$~15, SP', 'align the stack to 16 bytes for C');
  b.args.forEach((a, k) => {
    const p = at[k]!;
    if (!('stack' in p)) return;
    load(a, `${16 + a.off}(BP)`, 'AX', L, slotRef(a));
    L.op('MOVQ', `AX, ${p.stack * 8}(SP)`);
  });
  if (b.decl.variadic) L.op('MOVL', `$${nxmm}, AX`, 'vector registers used by the variadic call');
  L.op('CALL', `${b.callee}(SB)`);
  const ret = b.ret;
  if (b.errno && errnoImport) {
    if (ret) {
      extendAX(ret, L);
      if (ret.float) L.op(fop(ret.csize), `X0, ${16 + ret.off}(BP)`, slotRef(ret));
      else L.op('MOVQ', `AX, ${16 + ret.off}(BP)`, slotRef(ret));
    }
    L.op('CALL', `${errnoImport}(SB)`, "the calling thread's errno location");
    L.op('MOVLQSX', '(AX), AX');
    L.op('MOVQ', `AX, ${16 + b.errno.off}(BP)`, slotRef(b.errno));
    L.op('MOVQ', 'BP, SP');
    L.op('POPQ', 'BP');
  } else {
    L.op('MOVQ', 'BP, SP');
    L.op('POPQ', 'BP');
    if (ret) {
      extendAX(ret, L);
      if (ret.float) L.op(fop(ret.csize), `X0, ${slotRef(ret)}`);
      else L.op('MOVQ', `AX, ${slotRef(ret)}`);
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
  const { at } = place(b.args);
  b.args.forEach((a, k) => {
    const p = at[k]!;
    if ('reg' in p) {
      if (a.float) L.op(fop(a.size), `${p.reg}, ${a.off}(SP)`, a.name);
      else store(a.size, p.reg, `${a.off}(SP)`, L, a.name);
    } else {
      L.op('MOVQ', `${16 + p.stack * 8}(BP), AX`);
      store(a.size, 'AX', `${a.off}(SP)`, L, a.name);
    }
  });
  L.op('CALL', `${b.callee}(SB)`);
  const ret = b.ret;
  if (ret && ret.float) L.op(fop(ret.csize), `${ret.off}(SP), X0`, `${ret.name}: the C ${ret.ctype} result`);
  else if (ret) load({ ...ret, size: ret.csize }, `${ret.off}(SP)`, 'AX', L, `${ret.name}: the C ${ret.ctype} result`);
  L.op('ADDQ', `$${frame}, SP`);
  for (const r of [...saved].reverse()) L.op('POPQ', r);
  L.op('POPQ', 'BP');
  L.op('RET');
  return L.out;
}
