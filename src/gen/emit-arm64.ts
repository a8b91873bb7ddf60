// arm64 trampolines: Go's ABI0 stack frame ⇄ AAPCS64 (linux) and Apple's
// arm64 variant (darwin).
//
// What matters: integer arguments go in R0–R7, float and double in F0–F7
// (counted separately), the rest on the stack; RSP is always 16-byte aligned;
// the result is in R0 (upper bits of a narrow result unspecified, so the
// trampoline extends it) or F0. The C callee preserves R19–R28,
// R29 (frame pointer) and the low halves of V8–V15; BL overwrites R30 (LR).
// The two ABIs differ on the stack:
//   - AAPCS64 (linux): each stack argument takes an 8-byte slot.
//   - Apple: named stack arguments are packed at their natural size and
//     alignment, and every variadic argument goes on the stack in its own
//     8-byte slot, even when registers are free.
// Apple also requires the caller to extend arguments narrower than 32 bits;
// extending them everywhere costs nothing.
//
// The trampolines are NOFRAME: they save R29/R30 themselves, so the layout is
// the same whatever prologue the assembler would otherwise choose. At entry
// 0(FP) is 8(RSP) (Go keeps 0(RSP) for the caller's saved LR); after the save
// R29 points at the pair, and 0(FP) is 24(R29).

import { DiagnosticSink } from '../diag.js';
import type { Binding, Slot } from './layout.js';
import { Lines, slotRef } from './asmtext.js';

const NREGS = 8;

/** A load of `size` bytes, extended to 64 bits. */
function loadOp(size: number, signed: boolean): string {
  return size === 8 ? 'MOVD' : size === 4 ? (signed ? 'MOVW' : 'MOVWU') : size === 2 ? (signed ? 'MOVH' : 'MOVHU') : signed ? 'MOVB' : 'MOVBU';
}

function storeOp(size: number): string {
  return size === 8 ? 'MOVD' : size === 4 ? 'MOVW' : size === 2 ? 'MOVH' : 'MOVB';
}

function fop(size: number): string {
  return size === 4 ? 'FMOVS' : 'FMOVD';
}

/** Loads a slot for copying: integers extended, floating-point bits as they are. */
function rawLoadOp(s: Slot, size: number = s.size): string {
  return s.float ? (size === 4 ? 'MOVWU' : 'MOVD') : loadOp(size, s.signed);
}

interface Placement {
  /** Register name (R3, F1), or '' for the stack. */
  reg: string;
  /** Offset in the outgoing stack area (when reg < 0). */
  stackOff: number;
  /** Bytes written there. */
  stackSize: number;
}

/** Where each argument goes under the target's variant of AAPCS64. */
function place(args: readonly Slot[], darwin: boolean): { at: Placement[]; stackBytes: number } {
  const at: Placement[] = [];
  let ngrn = 0;
  let nsrn = 0;
  let nsaa = 0;
  for (const a of args) {
    const onStackAnyway = darwin && a.variadic;
    if (!onStackAnyway && !a.float && ngrn < NREGS) {
      at.push({ reg: `R${ngrn++}`, stackOff: 0, stackSize: 0 });
      continue;
    }
    if (!onStackAnyway && a.float && nsrn < NREGS) {
      at.push({ reg: `F${nsrn++}`, stackOff: 0, stackSize: 0 });
      continue;
    }
    const size = darwin && !a.variadic ? a.size : 8;
    nsaa = Math.ceil(nsaa / size) * size;
    at.push({ reg: '', stackOff: nsaa, stackSize: size });
    nsaa += size;
  }
  return { at, stackBytes: Math.ceil(nsaa / 16) * 16 };
}

function extendR0(s: Slot, L: Lines): void {
  if (s.csize === 8 || s.float) return;
  L.op(loadOp(s.csize, s.signed), 'R0, R0', `${s.ctype} result: ${s.signed ? 'sign' : 'zero'}-extend`);
}

export function arm64Trampoline(b: Binding, errnoImport: string | undefined, flags: string): string[] {
  const L = new Lines();
  const darwin = b.target.os === 'darwin';
  const { at, stackBytes } = place(b.args, darwin);
  L.raw(`TEXT ${b.symbol}(SB),${flags},$0-${b.argsSize}`);
  b.args.forEach((a, k) => {
    const r = at[k]!.reg;
    if (r !== '') L.op(a.float ? fop(a.size) : loadOp(a.size, a.signed), `${slotRef(a)}, ${r}`);
  });
  const S = stackBytes;
  L.op('SUB', `$${S + 16}, RSP`, S > 0 ? 'outgoing stack arguments, then the saved R29/R30' : 'room for the saved R29/R30');
  L.op('STP', `(R29, R30), ${S}(RSP)`);
  L.op(S > 0 ? 'ADD' : 'MOVD', S > 0 ? `$${S}, RSP, R29` : 'RSP, R29', 'from here on 0(FP) is 24(R29)');
  b.args.forEach((a, k) => {
    const p = at[k]!;
    if (p.reg !== '') return;
    L.op(rawLoadOp(a), `${24 + a.off}(R29), R9`, slotRef(a));
    L.op(storeOp(p.stackSize), `R9, ${p.stackOff}(RSP)`);
  });
  L.op('BL', `${b.callee}(SB)`);
  if (b.errno && errnoImport) {
    if (b.ret?.float) L.op(fop(b.ret.csize), `F0, ${24 + b.ret.off}(R29)`, slotRef(b.ret));
    else if (b.ret) {
      extendR0(b.ret, L);
      L.op('MOVD', `R0, ${24 + b.ret.off}(R29)`, slotRef(b.ret));
    }
    L.op('BL', `${errnoImport}(SB)`, "the calling thread's errno location");
    L.op('MOVW', '(R0), R0');
    L.op('MOVD', `R0, ${24 + b.errno.off}(R29)`, slotRef(b.errno));
    L.op('LDP', `${S}(RSP), (R29, R30)`);
    L.op('ADD', `$${S + 16}, RSP`);
  } else {
    L.op('LDP', `${S}(RSP), (R29, R30)`);
    L.op('ADD', `$${S + 16}, RSP`);
    if (b.ret?.float) L.op(fop(b.ret.csize), `F0, ${slotRef(b.ret)}`);
    else if (b.ret) {
      extendR0(b.ret, L);
      L.op('MOVD', `R0, ${slotRef(b.ret)}`);
    }
  }
  L.op('RET');
  return L.out;
}

/** The largest offset STP/LDP can reach. */
const PAIR_MAX = 504;

/**
 * A C-callable entry stub: saves what C expects preserved, builds the Go ABI0
 * argument area at 8(RSP), calls the Go-convention function, returns its result in R0.
 */
export function arm64CallbackStub(b: Binding, diag: DiagnosticSink): string[] {
  const L = new Lines();
  const darwin = b.target.os === 'darwin';
  const { at } = place(b.args, darwin);
  // 0(RSP): the callee's LR slot; 8(RSP)...: its arguments and results; then the saved registers.
  const S = Math.ceil((8 + b.argsSize) / 16) * 16;
  const pairs = [
    ['R29', 'R30'],
    ['R19', 'R20'],
    ['R21', 'R22'],
    ['R23', 'R24'],
    ['R25', 'R26'],
    ['R27', 'g'], // Go's assembler spells R28 `g`
  ];
  const fregs = ['F8', 'F9', 'F10', 'F11', 'F12', 'F13', 'F14', 'F15'];
  const F = S + pairs.length * 16 + fregs.length * 8;
  if (S + (pairs.length - 1) * 16 > PAIR_MAX) {
    diag.error(b.decl.pos, `callback ${b.decl.name}: arguments too large for an arm64 entry stub (${b.argsSize} bytes)`);
    return [];
  }
  L.raw(`TEXT ${b.symbol}(SB),NOSPLIT|NOFRAME,$0`);
  L.op('SUB', `$${F}, RSP`);
  pairs.forEach(([r1, r2], k) => L.op('STP', `(${r1}, ${r2}), ${S + k * 16}(RSP)`, k === 0 ? 'frame pointer and return address' : 'callee-saved in C, not in Go'));
  fregs.forEach((r, k) => L.op('FMOVD', `${r}, ${S + pairs.length * 16 + k * 8}(RSP)`));
  L.op('ADD', `$${S}, RSP, R29`);
  b.args.forEach((a, k) => {
    const p = at[k]!;
    if (p.reg !== '') {
      L.op(a.float ? fop(a.size) : storeOp(a.size), `${p.reg}, ${8 + a.off}(RSP)`, a.name);
      return;
    }
    L.op(rawLoadOp(a, Math.min(p.stackSize, a.size)), `${F + p.stackOff}(RSP), R9`, `C stack argument ${a.name}`);
    L.op(storeOp(a.size), `R9, ${8 + a.off}(RSP)`);
  });
  L.op('BL', `${b.callee}(SB)`);
  if (b.ret) L.op(b.ret.float ? fop(b.ret.csize) : loadOp(b.ret.csize, b.ret.signed), `${8 + b.ret.off}(RSP), ${b.ret.float ? 'F0' : 'R0'}`, `${b.ret.name}: the C ${b.ret.ctype} result`);
  fregs.forEach((r, k) => L.op('FMOVD', `${S + pairs.length * 16 + k * 8}(RSP), ${r}`));
  pairs.forEach(([r1, r2], k) => L.op('LDP', `${S + k * 16}(RSP), (${r1}, ${r2})`));
  L.op('ADD', `$${F}, RSP`);
  L.op('RET');
  return L.out;
}
