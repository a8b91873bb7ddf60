// Function-level x86 assembly: frames, pseudo-registers, labels and branch
// layout, shared by amd64 (64-bit mode) and 386 (32-bit mode).
//
// Frames follow Go's assembler (cmd/internal/obj/x86 preprocess). On amd64 a
// function with a non-zero frame (or a non-NOSPLIT function that calls) saves BP
// in an extra 8-byte slot at the top of its frame:
//
//     SUBQ $(frame+8), SP;  MOVQ BP, frame(SP);  LEAQ frame(SP), BP
//
// and every RET becomes `MOVQ frame(SP), BP; ADDQ $(frame+8), SP; RET`. 386
// saves no BP. `name+off(FP)` is the caller's argument area, above the return
// PC; `name-off(SP)` is the pseudo-SP at the top of the local frame; both move
// with PUSH/POP/ADJSP inside the body as Go's spadj does.
//
// Go inserts a stack-split check in functions without NOSPLIT. asmlink's
// threads run on fixed, C-allocated stacks that never grow, so no such check is
// emitted: every function is treated as NOSPLIT, with the frame rules above.
//
// Branches to labels start short (2 bytes) and grow to their long form until
// the layout reaches a fixed point, as Go's span loop does; every other
// instruction is encoded once, before layout, because its bytes do not depend on
// its address (pc-relative relocation addends are relative to the field's end).

import { floatConstant } from '../float-constant.js';
import { DiagnosticSink } from '../../diag.js';
import { undefinedLabelMessage, type AssembleContext, type AssembledFunction } from '../arch.js';
import type { Operand, Prog, TextBlock, MemRef } from '../../asm/prog.js';
import type { Reloc } from '../../obj/reloc.js';
import { FRAME_BP_SAVED, FRAME_ON_BP, InstRecorder } from '../inst-table.js';
import { ByteBuf } from './buf.js';
import { X86Encoder } from './encoder.js';
import { CONDS } from './table.js';
import { regInfo, REGS } from './regs.js';

/** Go's textflag.h values that change code generation. */
const NOSPLIT = 4;
const NOFRAME = 512;

/** Go's condition-jump mnemonics (and their aliases) → condition code. */
const JCC = new Map<string, number>();
CONDS.forEach((c, i) => JCC.set(`J${c}`, i));
for (const [alias, canon] of [
  ['JA', 'JHI'], ['JAE', 'JCC'], ['JB', 'JCS'], ['JBE', 'JLS'], ['JC', 'JCS'], ['JE', 'JEQ'], ['JG', 'JGT'], ['JHS', 'JCC'],
  ['JL', 'JLT'], ['JLO', 'JCS'], ['JNA', 'JLS'], ['JNAE', 'JCS'], ['JNB', 'JCC'], ['JNBE', 'JHI'], ['JNC', 'JCC'], ['JNG', 'JLE'],
  ['JNGE', 'JLT'], ['JNL', 'JGE'], ['JNLE', 'JGT'], ['JNO', 'JOC'], ['JNP', 'JPC'], ['JNS', 'JPL'], ['JNZ', 'JNE'], ['JO', 'JOS'],
  ['JP', 'JPS'], ['JPE', 'JPS'], ['JPO', 'JPC'], ['JS', 'JMI'], ['JZ', 'JEQ'],
] as const)
  JCC.set(alias, JCC.get(canon)!);

/** Mnemonic aliases Go's assembler accepts for x86. */
const ALIASES = new Map<string, string>([
  ['MOVD', 'MOVQ'], ['MOVDQ2Q', 'MOVQ'], ['MASKMOVDQU', 'MASKMOVOU'], ['MOVNTDQ', 'MOVNTO'], ['MOVOA', 'MOVO'],
  ['PSLLDQ', 'PSLLO'], ['PSRLDQ', 'PSRLO'], ['PADDD', 'PADDL'], ['MOVBELL', 'MOVBEL'], ['MOVBEQQ', 'MOVBEQ'], ['MOVBEWW', 'MOVBEW'],
]);

/** Short-only branches (rel8): LOOP family and JCXZ. */
const SHORT_ONLY = new Map<string, number[]>([
  ['LOOP', [0xe2]], ['LOOPEQ', [0xe1]], ['LOOPNE', [0xe0]], ['JCXZL', [0x67, 0xe3]], ['JCXZQ', [0xe3]], ['JCXZW', [0x66, 0xe3]],
]);

/** Every mnemonic whose operand is a branch target, for one lookup per statement. */
const BRANCHES = new Set<string>(['JMP', 'CALL', 'XBEGIN', ...JCC.keys(), ...SHORT_ONLY.keys()]);

export function isX86Branch(op: string): boolean {
  // Every branch mnemonic starts with J, C (CALL), L (LOOP) or X (XBEGIN): most ops skip the lookup.
  const c = op.charCodeAt(0);
  return (c === 0x4a || c === 0x43 || c === 0x4c || c === 0x58) && BRANCHES.has(op);
}

/** What the function-level assembler does with a mnemonic, besides encoding it. */
const enum OpKind {
  /** Encoded as it is. */
  Encode,
  /** Go's pseudo-instructions without bytes here: PCDATA, FUNCDATA, NOP. */
  Skip,
  /** BYTE, WORD, LONG, QUAD: the constant itself. */
  Data,
  Adjsp,
  /** RET and the far returns, after the frame's epilogue. */
  Ret,
  Branch,
  /** MOVQ/MOVL: TLS loads and `$sym(SB)` sources are rewritten first. */
  Mov,
  /** LEAQ/LEAL/LEAW: a `$addr` source is taken as the memory operand. */
  Lea,
  /** Scalar SSE ops: a `$1.5` source is loaded from a `$f64.`/`$f32.` symbol, as Go does. */
  FloatConst32,
  FloatConst64,
  /** CMPPS/CMPPD/CMPSS/CMPSD: Go reads a bare number as the predicate (`CMPSD X1, X0, 1` is `$1`). */
  CmpPredicate,
}

interface OpInfo {
  /** The mnemonic after Go's aliases. */
  readonly op: string;
  readonly kind: OpKind;
  /** How far the instruction moves SP (PUSH/POP), for FP and SP pseudo-register offsets. */
  readonly spDelta: number;
}

/**
 * Every mnemonic that needs more than encoding, and every alias, looked up
 * once per instruction; a mnemonic absent from it is encoded as it is.
 */
const OPS = new Map<string, OpInfo>();
{
  const set = (kind: OpKind, ops: readonly string[], spDelta = 0): void => {
    for (const op of ops) OPS.set(op, { op, kind, spDelta });
  };
  set(OpKind.Skip, ['PCDATA', 'FUNCDATA', 'NOP']);
  set(OpKind.Data, ['BYTE', 'WORD', 'LONG', 'QUAD']);
  set(OpKind.Adjsp, ['ADJSP']);
  set(OpKind.Ret, ['RET', 'RETFQ', 'RETFL', 'RETFW']);
  set(OpKind.Branch, [...BRANCHES]);
  set(OpKind.Mov, ['MOVQ', 'MOVL']);
  set(OpKind.Lea, ['LEAQ', 'LEAL', 'LEAW']);
  set(OpKind.FloatConst32, ['MOVSS', 'ADDSS', 'SUBSS', 'MULSS', 'DIVSS', 'COMISS', 'UCOMISS']);
  set(OpKind.FloatConst64, ['MOVSD', 'ADDSD', 'SUBSD', 'MULSD', 'DIVSD', 'COMISD', 'UCOMISD']);
  set(OpKind.CmpPredicate, ['CMPPS', 'CMPPD', 'CMPSS', 'CMPSD']);
  set(OpKind.Encode, ['PUSHQ', 'PUSHFQ'], 8);
  set(OpKind.Encode, ['POPQ', 'POPFQ'], -8);
  set(OpKind.Encode, ['PUSHL', 'PUSHFL'], 4);
  set(OpKind.Encode, ['POPL', 'POPFL'], -4);
  set(OpKind.Encode, ['PUSHW', 'PUSHFW'], 2);
  set(OpKind.Encode, ['POPW', 'POPFW'], -2);
  for (const [alias, op] of ALIASES) {
    const canon = OPS.get(op);
    OPS.set(alias, { op, kind: canon ? canon.kind : OpKind.Encode, spDelta: canon ? canon.spDelta : 0 });
  }
}

/** 386 ops Go always encodes through a byte-register exchange when given SP, BP, SI or DI. */
const NOT_NEG = new Set(['NOTB', 'NOTW', 'NOTL', 'NEGB', 'NEGW', 'NEGL']);
const BAD_BYTE_REGS = new Set(['SP', 'BP', 'SI', 'DI']);
/** A diagnostics sink for trial encodings whose errors are not reported. */
const probe = new DiagnosticSink(1 << 30);

/** Index of the first register operand SP/BP/SI/DI (the source, then the destination), or -1. */
function badByteOperand(args: readonly Operand[]): number {
  if (args.length === 0 || args.length > 2) return -1;
  const first = args[0];
  if (first.kind === 'reg' && isBadByteReg(first.reg)) return 0;
  const last = args[args.length - 1];
  if (args.length === 2 && last.kind === 'reg' && isBadByteReg(last.reg)) return 1;
  return -1;
}

/** BAD_BYTE_REGS.has(r); this runs for every 386 instruction, and only a two-character name needs the lookup. */
function isBadByteReg(r: string): boolean {
  return r.length === 2 && BAD_BYTE_REGS.has(r);
}

/**
 * The register to exchange with: the first of AX, BX, CX, DX the other operand
 * does not use; with no other operand (or a bare address), not AX or DX,
 * which instructions may use implicitly.
 */
function swapRegister(o: Operand | undefined): string {
  const busy = new Set<string>();
  if (o === undefined) busy.add('AX').add('DX');
  else if (o.kind === 'reg') busy.add(o.reg.replace(/^(A|B|C|D)[LH]$/, '$1X'));
  else if (o.kind === 'mem' && o.mem.name === 'none') {
    if (!o.mem.base) busy.add('AX').add('DX');
    else busy.add(o.mem.base);
    if (o.mem.index) busy.add(o.mem.index);
  }
  for (const r of ['AX', 'BX', 'CX', 'DX']) if (!busy.has(r)) return r;
  return 'BX';
}

export function isX86Register(name: string): boolean {
  // Register names are two to four upper-case characters: symbols and labels skip the lookup.
  const c = name.charCodeAt(0);
  return name.length <= 4 && c >= 0x41 && c <= 0x5a && (REGS.has(name) || name === 'TLS');
}

const enum IK {
  Bytes,
  Jmp,
  Jcc,
  CallLabel,
  Short,
  /** XBEGIN to a label: c7 f8 rel32, the only form Go emits. */
  XBegin,
}

/**
 * Per-function state, kept in parallel typed arrays with a count, reused from
 * one function to the next, so layout does no allocation per instruction.
 */
class Items {
  n = 0;
  kind = new Int32Array(256);
  start = new Int32Array(256);
  end = new Int32Array(256);
  rStart = new Int32Array(256);
  rEnd = new Int32Array(256);
  target = new Int32Array(256);
  cc = new Int32Array(256);
  prog = new Int32Array(256);
  /**
   * Per item, the frame before it runs (for debugging information): SP's
   * distance below its value at the call, and FRAME_* bits; `sp` and
   * `frame` are what add() records.
   */
  spAt = new Int32Array(256);
  frameAt = new Int32Array(256);
  sp = 0;
  frame = 0;
  reset(): void {
    this.n = 0;
    this.sp = 0;
    this.frame = 0;
  }
  /** The frame the next items run in: see InstInfo.sp, saved and cfaOnBp. */
  setFrame(sp: number, bpSaved: boolean, onBp = false): void {
    this.sp = sp;
    this.frame = (onBp ? FRAME_ON_BP : 0) | (bpSaved ? FRAME_BP_SAVED : 0);
  }
  add(kind: IK, start: number, end: number, rStart: number, rEnd: number, target: number, cc: number, prog: number): void {
    const k = this.n;
    if (k === this.kind.length) this.grow();
    this.kind[k] = kind;
    this.start[k] = start;
    this.end[k] = end;
    this.rStart[k] = rStart;
    this.rEnd[k] = rEnd;
    this.target[k] = target;
    this.cc[k] = cc;
    this.prog[k] = prog;
    this.spAt[k] = this.sp;
    this.frameAt[k] = this.frame;
    this.n = k + 1;
  }
  private grow(): void {
    const g = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.kind = g(this.kind);
    this.start = g(this.start);
    this.end = g(this.end);
    this.rStart = g(this.rStart);
    this.rEnd = g(this.rEnd);
    this.target = g(this.target);
    this.cc = g(this.cc);
    this.prog = g(this.prog);
    this.spAt = g(this.spAt);
    this.frameAt = g(this.frameAt);
  }
}

/**
 * Working storage reused from one function to the next: small typed arrays
 * are costly to allocate (each has its own backing store, which also drives
 * the garbage collector), and a file has tens of thousands of functions.
 * assembleX86 is not re-entrant, so one set suffices.
 */
const work = {
  scratch: new ByteBuf(1 << 12),
  out: new ByteBuf(1 << 12),
  items: new Items(),
  ints: new Int32Array(1 << 10),
  insts: new InstRecorder(),
  encoders: new Map<string, X86Encoder>(),
};

/** The reused integer buffer, grown (keeping its contents) to at least n entries. */
function ints(n: number): Int32Array {
  if (work.ints.length < n) {
    const b = new Int32Array(Math.max(n, work.ints.length * 2));
    b.set(work.ints);
    work.ints = b;
  }
  return work.ints;
}

export function assembleX86(fn: TextBlock, ctx: AssembleContext, mode64: boolean): AssembledFunction {
  const encKey = `${mode64 ? 64 : 32}/${ctx.target.os}`;
  let encMaybe = work.encoders.get(encKey);
  if (!encMaybe) {
    encMaybe = new X86Encoder(mode64, ctx.target.os);
    work.encoders.set(encKey, encMaybe);
  }
  const enc = encMaybe;
  const diag = ctx.diag;
  const progs = fn.progs;
  const ptr = mode64 ? 8 : 4;
  const scratch = work.scratch;
  scratch.len = 0;
  const srelocs: Reloc[] = [];
  const items = work.items;
  items.reset();
  let constants: Map<string, Uint8Array> | undefined;

  // Frame layout, as Go decides it.
  let hasCall = false;
  for (const p of progs) if (p.op === 'CALL') hasCall = true;
  let autoffset = fn.frameSize > 0 ? fn.frameSize : 0;
  let bpsize = 0;
  if (mode64 && !(fn.flags & NOFRAME) && !(autoffset === 0 && fn.flags & NOSPLIT) && !(autoffset === 0 && !hasCall)) {
    bpsize = 8;
    autoffset += 8;
  }

  // firstItem[i] (first item of prog i) and jmpTo[i] (for an unconditional JMP
  // to a label or n(PC): its target prog, else -1) live in one reused buffer.
  const np = progs.length;
  const JT = np + 1;
  let ib = ints(2 * np + 1);
  for (let i = 0; i < np; i++) ib[JT + i] = -1;
  const sp = { kind: 'reg', reg: 'SP' } as const;
  const bp = { kind: 'reg', reg: 'BP' } as const;
  const bpSlot: Operand = { kind: 'mem', mem: { name: 'none', base: 'SP', offset: autoffset - bpsize, scale: 1 } };
  const W = mode64 ? 'Q' : 'L';

  const pushBytes = (p: Prog, progIdx: number, op: string, args: readonly Operand[], paramAdj: number, autoAdj: number): void => {
    const s = scratch.len;
    const r = srelocs.length;
    const bad = mode64 ? -1 : badByteOperand(args);
    if (bad >= 0) {
      byteSwap386(p, op, args, bad, paramAdj, autoAdj);
      if (scratch.len > s) addBytes(progIdx, s, r);
      return;
    }
    if (!enc.encode(p, op, args, scratch, srelocs, diag, paramAdj, autoAdj)) {
      scratch.len = s;
      srelocs.length = r;
      return;
    }
    addBytes(progIdx, s, r);
  };

  /**
   * 386 has no byte form of SP, BP, SI and DI. Where Go's encoder finds no
   * form for such an operand (byte ops, SETcc, MOVBLZX; and NOT/NEG of any
   * width, which Go treats the same way) it exchanges the register with one
   * of AX/BX/CX/DX that the other operand does not use, encodes the
   * instruction on that register and exchanges back. `at` is the operand
   * (badByteOperand). Always handles the instruction: its bytes are written,
   * or its error reported.
   */
  function byteSwap386(p: Prog, op: string, args: readonly Operand[], at: number, paramAdj: number, autoAdj: number): void {
    const s = scratch.len;
    const r = srelocs.length;
    if (!NOT_NEG.has(op)) {
      if (enc.encode(p, op, args, scratch, srelocs, probe, paramAdj, autoAdj)) return;
      scratch.len = s;
      srelocs.length = r;
      probe.list.length = 0;
    }
    // Go looks at the source first; the exchange register avoids the other operand.
    const other = args.length === 1 ? undefined : args[at === 0 ? args.length - 1 : 0];
    const z = (args[at] as { reg: string }).reg;
    const breg = swapRegister(other);
    const sub = (o: Operand): Operand => {
      if (o.kind === 'reg' && o.reg === z) return { kind: 'reg', reg: breg };
      if (o.kind === 'mem' && (o.mem.base === z || o.mem.index === z)) return { kind: 'mem', mem: { ...o.mem, base: o.mem.base === z ? breg : o.mem.base, index: o.mem.index === z ? breg : o.mem.index } };
      return o;
    };
    const zn = regInfo(z)!.num;
    const bn = regInfo(breg)!.num;
    const xchg = (): void => {
      if (bn === 0) scratch.byte(0x90 + zn);
      else {
        scratch.byte(0x87);
        scratch.byte(0xc0 | (bn << 3) | zn);
      }
    };
    xchg();
    if (!enc.encode(p, op, args.map(sub), scratch, srelocs, diag, paramAdj, autoAdj)) {
      scratch.len = s;
      srelocs.length = r;
      return;
    }
    xchg();
  }
  const addBytes = (progIdx: number, s: number, r: number): void => {
    items.add(IK.Bytes, s, scratch.len, r, srelocs.length, -1, 0, progIdx);
  };
  const addBranch = (progIdx: number, kind: IK, target: number, cc: number): void => {
    items.add(kind, 0, 0, 0, 0, target, cc, progIdx);
  };
  const adjsp = (p: Prog, progIdx: number, v: number): void => {
    if (v === 0) return;
    const imm: Operand = { kind: 'imm', value: BigInt(v > 0 ? v : -v) };
    pushBytes(p, progIdx, v > 0 ? `SUB${W}` : `ADD${W}`, [imm, sp], 0, 0);
  };

  // Prologue, attributed to the TEXT line.
  const textProg: Prog = { op: 'TEXT', args: [], pos: fn.pos, text: '', argPos: [] };
  if (autoffset > 0) {
    adjsp(textProg, -1, autoffset);
    items.setFrame(autoffset, false);
    if (bpsize > 0) {
      pushBytes(textProg, -1, 'MOVQ', [bp, bpSlot], 0, 0);
      items.setFrame(autoffset, true);
      pushBytes(textProg, -1, 'LEAQ', [bpSlot, bp], 0, 0);
    }
  }

  let deltasp = autoffset;
  // For the call-frame table only (Go's FP and SP offsets ignore these):
  // explicit ADD/SUB $n, SP; the SP delta at which MOVQ SP, BP made BP the
  // frame's base (-1: none), as C code and the libc trampolines do; and
  // whether BP was pushed at entry (so it is saved just below the return
  // address, as when the frame saves it). Followed only when instructions
  // are recorded.
  const record = ctx.insts !== false;
  let spExtra = 0;
  let cfaOnBp = -1;
  let bpPushed = false;
  for (let i = 0; i < progs.length; i++) {
    ib[i] = items.n;
    const p = progs[i];
    const info = OPS.get(p.op);
    const op = info === undefined ? p.op : info.op;
    const args = p.args;
    const paramAdj = deltasp + ptr;
    const autoAdj = deltasp - bpsize;
    if (record) {
      if (cfaOnBp >= 0) items.setFrame(cfaOnBp, bpsize > 0 || bpPushed, true);
      else items.setFrame(deltasp + spExtra, bpsize > 0 || bpPushed);
    }

    switch (info === undefined ? OpKind.Encode : info.kind) {
      case OpKind.Skip:
        // Go's NOP is a pseudo-instruction too (`NOP SP` only informs vet): no bytes.
        continue;
      case OpKind.Data: {
        const a = args[0];
        if (args.length !== 1 || a.kind !== 'imm') {
          diag.error(p.pos, `${op} needs one constant operand`);
          continue;
        }
        const s = scratch.len;
        if (op === 'BYTE') scratch.byte(Number(BigInt.asUintN(8, a.value)));
        else if (op === 'WORD') scratch.u16(Number(BigInt.asUintN(16, a.value)));
        else if (op === 'LONG') scratch.u32(Number(BigInt.asUintN(32, a.value)));
        else scratch.u64(a.value);
        addBytes(i, s, srelocs.length);
        continue;
      }
      case OpKind.Adjsp: {
        const a = args[0];
        if (args.length !== 1 || a.kind !== 'imm') {
          diag.error(p.pos, `ADJSP needs one constant operand`);
          continue;
        }
        const v = Number(a.value);
        adjsp(p, i, v);
        deltasp += v;
        continue;
      }
      case OpKind.Ret: {
        if (deltasp !== autoffset) diag.error(p.pos, `unbalanced PUSH/POP before RET: SP is ${deltasp - autoffset} bytes away from the frame`);
        if (autoffset > 0) {
          if (bpsize > 0) pushBytes(p, i, 'MOVQ', [bpSlot, bp], 0, 0);
          items.setFrame(autoffset, false);
          adjsp(p, i, -autoffset);
        }
        items.setFrame(deltasp - autoffset + spExtra, false);
        const s = scratch.len;
        const far = op !== 'RET';
        if (args.length === 0) scratch.byte(far ? 0xcb : 0xc3);
        else if (args.length === 1 && args[0].kind === 'imm' && args[0].value >= 0n && args[0].value <= 0xffffn) {
          scratch.byte(far ? 0xca : 0xc2);
          scratch.u16(Number(args[0].value));
        } else {
          diag.error(p.pos, `RET takes no operand or one 16-bit constant`);
          continue;
        }
        if (far) {
          // Far returns carry their operand size: 48 cb for RETFQ, 66 cb for RETFW.
          const b = scratch.buf[s];
          if (op === 'RETFQ') {
            scratch.len = s;
            scratch.byte(0x48);
            scratch.byte(b);
            if (args.length) scratch.u16(Number((args[0] as { value: bigint }).value));
          } else if (op === 'RETFW') {
            scratch.len = s;
            scratch.byte(0x66);
            scratch.byte(b);
            if (args.length) scratch.u16(Number((args[0] as { value: bigint }).value));
          }
        }
        addBytes(i, s, srelocs.length);
        continue;
      }
      case OpKind.Branch:
        branch(p, i, op);
        continue;
      case OpKind.Mov:
        if (!mov(p, i, op, args)) continue;
        // `MOVQ $sym(SB), AX` and `MOVQ $8(SP), AX` load an address: Go turns them into LEA.
        if (args.length === 2 && args[0].kind === 'addr') {
          const m = args[0].mem;
          const isSym = m.name === 'extern' || m.name === 'static';
          if (mode64 || !isSym || m.base || m.index) {
            pushBytes(p, i, op === 'MOVQ' ? 'LEAQ' : 'LEAL', [{ kind: 'mem', mem: m }, args[1]], paramAdj, autoAdj);
            continue;
          }
        }
        break;
      case OpKind.Lea:
        if (args.length === 2 && args[0].kind === 'addr') {
          pushBytes(p, i, op, [{ kind: 'mem', mem: args[0].mem }, args[1]], paramAdj, autoAdj);
          continue;
        }
        break;
      case OpKind.CmpPredicate: {
        const pred = args[2];
        if (args.length === 3 && pred.kind === 'mem' && pred.mem.name === 'none' && !pred.mem.base && !pred.mem.index) {
          pushBytes(p, i, op, [args[0], args[1], { kind: 'imm', value: BigInt(pred.mem.offset) }], paramAdj, autoAdj);
          continue;
        }
        break;
      }
      case OpKind.FloatConst32:
      case OpKind.FloatConst64: {
        const a = args[0];
        if (args.length !== 2 || a.kind !== 'fimm') break;
        const dbl = info!.kind === OpKind.FloatConst64;
        const dst = args[1];
        // Go: MOVSS/MOVSD of +0.0 into an X register is XORPS of the register with itself.
        const x = dst.kind === 'reg' ? regInfo(dst.reg) : undefined;
        if ((op === 'MOVSS' || op === 'MOVSD') && Object.is(a.value, 0) && x?.cls === 'x' && x.num < 16) {
          pushBytes(p, i, 'XORPS', [dst, dst], paramAdj, autoAdj);
          continue;
        }
        const sym = floatConstant(a.value, dbl, (constants ??= new Map()));
        pushBytes(p, i, op, [{ kind: 'mem', mem: { name: 'extern', sym, offset: 0, scale: 0 } }, dst], paramAdj, autoAdj);
        continue;
      }
      default:
        break;
    }
    pushBytes(p, i, op, args, paramAdj, autoAdj);
    if (info !== undefined) deltasp += info.spDelta;
    // How the frame changed, for the call-frame table.
    if (!record) continue;
    if (args.length === 2 && args[1].kind === 'reg') {
      const a = args[0];
      const to = args[1].reg;
      if (to === 'SP' && a.kind === 'imm' && (op === `SUB${W}` || op === `ADD${W}`)) spExtra += (op === `SUB${W}` ? 1 : -1) * Number(a.value);
      else if (op === `MOV${W}` && a.kind === 'reg' && a.reg === 'SP' && to === 'BP') cfaOnBp = deltasp + spExtra;
      else if (op === `MOV${W}` && a.kind === 'reg' && a.reg === 'BP' && to === 'SP' && cfaOnBp >= 0) {
        spExtra = cfaOnBp - deltasp;
        cfaOnBp = -1;
      }
    } else if (args.length === 1 && args[0].kind === 'reg' && args[0].reg === 'BP') {
      if (op === `PUSH${W}` && deltasp + spExtra === ptr) bpPushed = true;
      else if (op === `POP${W}`) bpPushed = false;
    }
  }
  ib[np] = items.n;

  /**
   * Handles the MOVQ/MOVL forms that name the TLS pseudo-register (encoded or
   * reported here, returning false); true when p is an ordinary move, for the
   * caller to encode.
   */
  function mov(p: Prog, i: number, op: string, args: readonly Operand[]): boolean {
    // TLS pseudo-register loads.
    if (args.length === 2 && args[0].kind === 'reg' && args[0].reg === 'TLS') {
      const dst = args[1];
      const r = dst.kind === 'reg' ? regInfo(dst.reg) : undefined;
      if (!r || r.cls !== 'r') {
        diag.error(p.pos, `TLS can only be loaded into a general register`);
        return false;
      }
      if (mode64) return false; // The g slot is addressed directly through FS/GS: the load is a no-op.
      const s = scratch.len;
      const rs = srelocs.length;
      enc.encodeTlsLoad386(r.num, scratch);
      addBytes(i, s, rs);
      return false;
    }
    if (!mode64 && op === 'MOVL' && args.length === 2 && args[0].kind === 'mem' && args[0].mem.base === 'TLS' && args[0].mem.name === 'none' && !args[0].mem.index) {
      // 386: MOVL (TLS), reg → MOVL TLS, reg; MOVL 0(reg)(TLS*1), reg, as Go expands it.
      const dst = args[1];
      const r = dst.kind === 'reg' ? regInfo(dst.reg) : undefined;
      if (!r || r.cls !== 'r' || dst.kind !== 'reg') {
        diag.error(p.pos, `(TLS) can only be loaded into a general register`);
        return false;
      }
      const s = scratch.len;
      const rs = srelocs.length;
      enc.encodeTlsLoad386(r.num, scratch);
      const m: MemRef = { name: 'none', base: dst.reg, index: 'TLS', scale: 1, offset: args[0].mem.offset };
      if (!enc.encode(p, 'MOVL', [{ kind: 'mem', mem: m }, dst], scratch, srelocs, diag, 0, 0)) {
        scratch.len = s;
        srelocs.length = rs;
        return false;
      }
      addBytes(i, s, rs);
      return false;
    }
    return true;
  }

  function branch(p: Prog, i: number, op: string): void {
    const a = p.args[0];
    if (p.args.length !== 1) {
      diag.error(p.pos, `${op} needs exactly one operand`);
      return;
    }
    // Direct targets: a label, a PC-relative count, or a symbol.
    let label: string | undefined;
    let pcrel: number | undefined;
    let sym: string | undefined;
    let symOff = 0;
    if (a.kind === 'branch') {
      if (a.label !== undefined) label = a.label;
      else if (a.sym !== undefined) {
        sym = a.sym;
        symOff = a.offset ?? 0;
      } else if (a.pcrel !== undefined) pcrel = a.pcrel;
    } else if (a.kind === 'mem' && (a.mem.name === 'extern' || a.mem.name === 'static') && !a.mem.index && !a.mem.base && !a.mem.indirect) {
      sym = a.mem.sym;
      symOff = a.mem.offset;
    }
    if (label !== undefined || pcrel !== undefined) {
      let t: number;
      if (label !== undefined) {
        const li = fn.labels.get(label);
        if (li === undefined) {
          diag.error(p.argPos[0] ?? p.pos, undefinedLabelMessage(label));
          return;
        }
        t = li;
      } else {
        t = i + pcrel!;
        if (t < 0 || t > progs.length) {
          diag.error(p.argPos[0] ?? p.pos, `branch target ${pcrel}(PC) is outside the function`);
          return;
        }
      }
      if (op === 'JMP') {
        ib[JT + i] = t;
        addBranch(i, IK.Jmp, t, 0);
      }
      else if (op === 'CALL') addBranch(i, IK.CallLabel, t, 0);
      else if (JCC.has(op)) addBranch(i, IK.Jcc, t, JCC.get(op)!);
      else if (SHORT_ONLY.has(op)) addBranch(i, IK.Short, t, SHORT_ONLY.get(op)!.length + 1);
      else if (op === 'XBEGIN') addBranch(i, IK.XBegin, t, 0);
      else diag.error(p.argPos[0] ?? p.pos, `${op} to a label is not supported`);
      return;
    }
    if (sym !== undefined) {
      const s = scratch.len;
      const r = srelocs.length;
      if (op === 'JMP') scratch.byte(0xe9);
      else if (op === 'CALL') scratch.byte(0xe8);
      else if (JCC.has(op)) {
        scratch.byte(0x0f);
        scratch.byte(0x80 + JCC.get(op)!);
      } else {
        diag.error(p.argPos[0] ?? p.pos, `${op} cannot target a symbol`);
        return;
      }
      srelocs.push({ off: scratch.len, size: 4, type: 'R_CALL', sym, add: symOff, line: p.pos.line });
      scratch.u32(0);
      addBytes(i, s, r);
      return;
    }
    // Indirect: JMP/CALL through a register or memory.
    if (op !== 'JMP' && op !== 'CALL') {
      diag.error(p.argPos[0] ?? p.pos, `${op} needs a label, symbol or n(PC) target`);
      return;
    }
    if (a.kind !== 'reg' && a.kind !== 'mem') {
      diag.error(p.argPos[0] ?? p.pos, `invalid operand combination for ${op}`);
      return;
    }
    const s = scratch.len;
    const r = srelocs.length;
    // Go marks a call through a register or a register-based address; one through
    // a symbol's slot (`CALL *sym(SB)`) carries that symbol's relocation instead.
    const marked = op === 'CALL' && !(a.kind === 'mem' && a.mem.sym);
    if (marked) srelocs.push({ off: s, size: 0, type: 'R_CALLIND', sym: '', add: 0, line: p.pos.line });
    const ok = enc.encode(p, op === 'CALL' ? '$CALLIND' : '$JMPIND', [a], scratch, srelocs, diag, deltasp + ptr, deltasp - bpsize);
    if (!ok) {
      scratch.len = s;
      srelocs.length = r;
      return;
    }
    // Go inserts a REX prefix after placing the instruction's relocations and
    // moves them past it, the marker too (CALL R9: 41 ff d1, marked at +1).
    if (marked && mode64 && (scratch.buf[s]! & 0xf0) === 0x40) srelocs[r]!.off++;
    addBytes(i, s, r);
  }

  // Like Go's linker-independent pass (obj.linkpatch's brloop), a branch to an
  // unconditional JMP goes straight to that JMP's final target; a cycle of JMPs
  // keeps the original target.
  const n = items.n;
  for (let k = 0; k < n; k++) {
    if (items.kind[k] === IK.Bytes) continue;
    let t = items.target[k];
    for (let hops = 0; t < np && ib[JT + t] >= 0; hops++) {
      if (hops >= np) {
        t = items.target[k];
        break;
      }
      t = ib[JT + t];
    }
    items.target[k] = ib[t];
  }

  // Branch layout to a fixed point: sizes only grow, so this terminates.
  // Layout state in the reused buffer: long-form flag of item k at ib[L + k], its offset at ib[O + k].
  const L = 2 * np + 1;
  const O = L + n;
  ib = ints(O + n + 1);
  for (let k = 0; k < n; k++) ib[L + k] = 0;
  const sizeOf = (k: number): number => {
    switch (items.kind[k]) {
      case IK.Bytes: return items.end[k] - items.start[k];
      case IK.Jmp: return ib[L + k] ? 5 : 2;
      case IK.Jcc: return ib[L + k] ? 6 : 2;
      case IK.CallLabel: return 5;
      case IK.XBegin: return 6;
      default: return items.cc[k];
    }
  };
  for (;;) {
    let o = 0;
    for (let k = 0; k < n; k++) {
      ib[O + k] = o;
      o += sizeOf(k);
    }
    ib[O + n] = o;
    let changed = false;
    for (let k = 0; k < n; k++) {
      const kk = items.kind[k];
      if ((kk !== IK.Jmp && kk !== IK.Jcc) || ib[L + k]) continue;
      const d = ib[O + items.target[k]] - (ib[O + k] + 2);
      if (d < -128 || d > 127) {
        ib[L + k] = 1;
        changed = true;
      }
    }
    if (!changed) break;
  }

  // Emit.
  const out = work.out;
  out.len = 0;
  const relocs: Reloc[] = [];
  const insts = work.insts;
  insts.reset();
  for (let k = 0; k < n; k++) {
    const at = out.len;
    const kk = items.kind[k];
    if (kk === IK.Bytes) {
      out.bytes(scratch.buf, items.start[k], items.end[k]);
      // The encoder's relocations are this function's own: move them to their final offsets.
      for (let r = items.rStart[k]; r < items.rEnd[k]; r++) {
        const rl = srelocs[r];
        rl.off = rl.off - items.start[k] + at;
        relocs.push(rl);
      }
    } else {
      const t = ib[O + items.target[k]];
      if (kk === IK.CallLabel) {
        out.byte(0xe8);
        out.u32(t - (at + 5));
      } else if (kk === IK.XBegin) {
        out.byte(0xc7);
        out.byte(0xf8);
        out.u32(t - (at + 6));
      } else if (kk === IK.Short) {
        const p = progs[items.prog[k]];
        const bytes = SHORT_ONLY.get(aliasOf(p.op))!;
        for (const b of bytes) out.byte(b);
        const end = at + bytes.length + 1;
        const d = t - end;
        if (d < -128 || d > 127) diag.error(p.pos, `${p.op} target is out of range (${d} bytes)`);
        out.byte(d);
      } else if (!ib[L + k]) {
        out.byte(kk === IK.Jmp ? 0xeb : 0x70 + items.cc[k]);
        out.byte(t - (at + 2));
      } else if (kk === IK.Jmp) {
        out.byte(0xe9);
        out.u32(t - (at + 5));
      } else {
        out.byte(0x0f);
        out.byte(0x80 + items.cc[k]);
        out.u32(t - (at + 6));
      }
    }
    if (!record) continue;
    const pi = items.prog[k];
    const pos = pi < 0 ? fn.pos : progs[pi].pos;
    insts.add(pos.line, at, out.len - at, pos.file !== fn.pos.file ? pos.file : undefined, items.spAt[k], items.frameAt[k]);
  }
  // A view of the reused output buffer: the caller copies it (AssembledFunction).
  return { data: out.buf.subarray(0, out.len), relocs, insts: record ? insts.finish() : null, constants };
}

function aliasOf(op: string): string {
  return ALIASES.get(op) ?? op;
}
