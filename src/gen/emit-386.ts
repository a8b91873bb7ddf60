// 386 trampolines: Go's ABI0 stack frame ⇄ cdecl (i386 System V, and Apple's
// i386 ABI, which agree for integers).
//
// What matters: every argument goes on the stack, the first at 0(SP) at the
// CALL, each taking 4 bytes (8 for a 64-bit value, low word first); SP must be
// 16-byte aligned at the CALL (glibc and Apple both assume it); results come
// back in AX, or DX:AX for 64 bits, a float or double on the x87 stack in
// F0 (which the trampoline pops). The callee preserves BX, SI, DI, BP.
// Go's frame layout aligns 64-bit values only to 4 on 386, like cdecl.
//
// The trampoline saves SP in BP, makes room, rounds SP down, and copies each
// argument from the Go frame (0(FP) is 8(BP)) through AX, widening narrow ones
// to 32 bits as C's integer promotions do — the shape of the seed's
// sys_darwin_386.s trampolines.

import type { Binding, Slot } from './layout.js';
import { Lines, slotRef } from './asmtext.js';

function load32(s: { size: number; signed: boolean }, src: string, dst: string, L: Lines, comment?: string): void {
  const op = s.size >= 4 ? 'MOVL' : s.size === 2 ? (s.signed ? 'MOVWLSX' : 'MOVWLZX') : s.signed ? 'MOVBLSX' : 'MOVBLZX';
  L.op(op, `${src}, ${dst}`, comment);
}

function extendAX(s: Slot, L: Lines): void {
  if (s.csize === 8 || s.float) return;
  if (s.csize === 4) return;
  const op = s.csize === 2 ? (s.signed ? 'MOVWLSX' : 'MOVWLZX') : s.signed ? 'MOVBLSX' : 'MOVBLZX';
  L.op(op, 'AX, AX', `${s.ctype} result: ${s.signed ? 'sign' : 'zero'}-extend`);
}

/** Offsets of each argument in the cdecl outgoing area. */
function cdeclOffsets(args: readonly Slot[]): { offs: number[]; total: number } {
  const offs: number[] = [];
  let off = 0;
  for (const a of args) {
    offs.push(off);
    off += a.size === 8 ? 8 : 4;
  }
  return { offs, total: off };
}

export function i386Trampoline(b: Binding, errnoImport: string | undefined, flags: string): string[] {
  const L = new Lines();
  L.raw(`TEXT ${b.symbol}(SB),${flags},$0-${b.argsSize}`);
  const { offs, total } = cdeclOffsets(b.args);
  L.op('PUSHL', 'BP', 'save BP; from here on 0(FP) is 8(BP)');
  L.op('MOVL', 'SP, BP');
  const room = Math.ceil(total / 16) * 16;
  if (room > 0) L.op('SUBL', `$${room}, SP`, 'outgoing arguments');
  L.op('ANDL', '$~15, SP', 'align the stack to 16 bytes for C');
  b.args.forEach((a, k) => {
    if (a.size === 8) {
      L.op('MOVL', `${8 + a.off}(BP), AX`, `${slotRef(a)} low word`);
      L.op('MOVL', `AX, ${offs[k]}(SP)`);
      L.op('MOVL', `${12 + a.off}(BP), AX`, 'high word');
      L.op('MOVL', `AX, ${offs[k]! + 4}(SP)`);
    } else {
      load32(a, `${8 + a.off}(BP)`, 'AX', L, slotRef(a));
      L.op('MOVL', `AX, ${offs[k]}(SP)`);
    }
  });
  L.op('CALL', `${b.callee}(SB)`);
  if (b.ret) extendAX(b.ret, L);
  if (b.errno && errnoImport) {
    if (b.ret?.float) L.op(b.ret.csize === 4 ? 'FMOVFP' : 'FMOVDP', `F0, ${8 + b.ret.off}(BP)`, slotRef(b.ret));
    else if (b.ret) {
      L.op('MOVL', `AX, ${8 + b.ret.off}(BP)`, slotRef(b.ret));
      if (b.ret.size === 8) L.op('MOVL', `DX, ${12 + b.ret.off}(BP)`, 'high word');
    }
    L.op('CALL', `${errnoImport}(SB)`, "the calling thread's errno location");
    L.op('MOVL', '(AX), AX');
    L.op('MOVL', `AX, ${8 + b.errno.off}(BP)`, slotRef(b.errno));
    L.op('MOVL', 'BP, SP');
    L.op('POPL', 'BP');
  } else {
    L.op('MOVL', 'BP, SP');
    L.op('POPL', 'BP');
    if (b.ret?.float) L.op(b.ret.csize === 4 ? 'FMOVFP' : 'FMOVDP', `F0, ${slotRef(b.ret)}`, 'pops the x87 stack');
    else if (b.ret) {
      L.op('MOVL', `AX, ${slotRef(b.ret)}`);
      if (b.ret.size === 8) L.op('MOVL', `DX, ${slotRef(b.ret, 4)}`, 'high word');
    }
  }
  L.op('RET');
  return L.out;
}

/** A cdecl-callable entry stub that calls a Go ABI0 function (see amd64CallbackStub). */
export function i386CallbackStub(b: Binding): string[] {
  const L = new Lines();
  const saved = ['BX', 'SI', 'DI'];
  const { offs } = cdeclOffsets(b.args);
  L.raw(`TEXT ${b.symbol}(SB),NOSPLIT,$0`);
  L.op('PUSHL', 'BP', "C's arguments are at 8(BP), 12(BP), ...");
  L.op('MOVL', 'SP, BP');
  for (const r of saved) L.op('PUSHL', r, 'callee-saved in C, not in Go');
  const frame = Math.ceil(b.argsSize / 16) * 16;
  if (frame > 0) L.op('SUBL', `$${frame}, SP`, "the Go callee's argument area");
  L.op('ANDL', '$~15, SP');
  b.args.forEach((a, k) => {
    const src = 8 + offs[k]!;
    if (a.size === 8) {
      L.op('MOVL', `${src}(BP), AX`);
      L.op('MOVL', `AX, ${a.off}(SP)`, `${a.name} low word`);
      L.op('MOVL', `${src + 4}(BP), AX`);
      L.op('MOVL', `AX, ${a.off + 4}(SP)`, 'high word');
      return;
    }
    L.op('MOVL', `${src}(BP), AX`);
    const op = a.size === 4 ? 'MOVL' : a.size === 2 ? 'MOVW' : 'MOVB';
    L.op(op, `AX, ${a.off}(SP)`, a.name);
  });
  L.op('CALL', `${b.callee}(SB)`);
  if (b.ret?.float) L.op(b.ret.csize === 4 ? 'FMOVF' : 'FMOVD', `${b.ret.off}(SP), F0`, `${b.ret.name}: the C ${b.ret.ctype} result, on the x87 stack`);
  else if (b.ret) {
    if (b.ret.csize === 8) {
      L.op('MOVL', `${b.ret.off}(SP), AX`, `${b.ret.name}: the C ${b.ret.ctype} result, low word`);
      L.op('MOVL', `${b.ret.off + 4}(SP), DX`, 'high word');
    } else load32({ size: b.ret.csize, signed: b.ret.signed }, `${b.ret.off}(SP)`, 'AX', L, `${b.ret.name}: the C ${b.ret.ctype} result`);
  }
  L.op('LEAL', `-${saved.length * 4}(BP), SP`);
  for (const r of [...saved].reverse()) L.op('POPL', r);
  L.op('POPL', 'BP');
  L.op('RET');
  return L.out;
}
