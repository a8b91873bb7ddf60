// The arm64 encoder: one routine per instruction form (see optab.ts), each
// following the choices Go's assembler makes, so the same source gives the
// same bytes as `go tool asm` (GOARCH=arm64).
//
// What Go does that is easy to get wrong, and this file copies:
// - `$0` as a source operand is the zero register.
// - ADD/SUB/CMP/CMN with a negative immediate become the complementary op.
// - Constants that do not fit an instruction are built in REGTMP (R27) with
//   MOVZ/MOVN/MOVK, or ORR from ZR for bitmask immediates; 24-bit ADD/SUB
//   immediates become two instructions (low 12 bits first).
// - Loads and stores use the scaled 12-bit form when the offset is a positive
//   multiple of the size, else the 9-bit unscaled form (LDUR/STUR), else
//   ADD REGTMP + scaled form, else a literal-pool load into REGTMP and the
//   register-offset form. The literal pool goes after the function, behind a
//   `B 0(PC)` word, DWORDs 8-aligned.
// - `sym(SB)` operands are ADRP+ADD into REGTMP plus the access, with one
//   R_ADDRARM64 relocation covering the ADRP+ADD pair; `sym@GOT(SB)` is
//   ADRP REGTMP + LDR with R_ARM64_GOTPCREL; a TLS symbol (ctx.tlsSymbols) is
//   `MOVZ Rd, #0` with R_TLS_LE (the linker fills imm16 with the offset).
// - Vector support is the subset Go's runtime uses (3-same ops, LD1..4/ST1..4,
//   element moves, shifts by immediate, TBL, EXT, AES rounds).
//
// Routines report errors through fail(), which records a diagnostic and
// abandons the instruction (nothing is emitted for it).

import { floatConstant } from '../float-constant.js';
import { undefinedLabelMessage } from '../arch.js';
import type { DiagnosticSink, SourcePos } from '../../diag.js';
import { progWith, type MemRef, type Operand, type Prog } from '../../asm/prog.js';
import type { Reloc } from '../../obj/reloc.js';
import { F, type OpDef, optab } from './optab.js';
import {
  BARRIER_OPTS, CONDS, PRFOPS, PSTATE_FIELDS, REG_NONE, REG_RSP, REG_V, REG_ZR, REGTMP, sysOperation, sysRegister,
  isFpr, parseVecReg, regCode,
} from './regs.js';
import {
  CC, type U64, conClass32HL, conClassPlainHL, con64HL, fmovImm8, halfword, isAddClass, isBitClass, isMovClass, logicalImmHL,
  movconHL, split,
} from './imm.js';

/** Scratch 64-bit value for constant operands (the encoder is not reentrant). */
const K: U64 = { hi: 0, lo: 0 };

/** The low 32 bits of a bigint as a signed number, without allocating for small values. */
function toInt(v: bigint): number {
  split(v, K);
  return K.lo | 0;
}

/** A branch or literal whose displacement is known only after layout. */
export interface Fixup {
  /** Word index of the instruction to patch. */
  word: number;
  kind: 'b26' | 'b19' | 'b14' | 'adr' | 'adrp' | 'lit19';
  /** Target prog index (branches) or pool entry index (literals). */
  target: number;
  /** Word index of the instruction's start (displacements are from there). */
  from: number;
  pos: SourcePos;
}

export interface PoolEntry {
  value: bigint;
  dword: boolean;
}

/** Mutable per-function encoding state. */
// One growable word buffer shared by all functions: allocating typed arrays
// per function costs more than encoding a small function.
let sharedWords = new Uint32Array(4096);

export class Emitter {
  words = sharedWords;
  n = 0;
  relocs: Reloc[] = [];
  fixups: Fixup[] = [];
  pool: PoolEntry[] = [];
  /** Go's autosize (frame incl. saved LR and extra FP slot) and extrasize. */
  autosize = 0;
  extrasize = 0;
  /** Index of the prog being encoded (for `N(PC)` branches). */
  progIndex = 0;
  /** Label name → prog index. */
  labels: Map<string, number> = new Map();
  /** TLS symbols of the file (GLOBL ..., TLSBSS). */
  tls: ReadonlySet<string> | undefined;
  /** Word index where the current instruction starts. */
  start = 0;
  /** Float constants loaded from `$f64.`/`$f32.` symbols (made on first use). */
  constants: Map<string, Uint8Array> | null = null;
  pos: SourcePos = { file: '', line: 0, col: 0 };

  constructor(public diag: DiagnosticSink) {}

  /** Prepares the emitter (reused across functions) for a new function. */
  reset(diag: DiagnosticSink): void {
    this.diag = diag;
    this.words = sharedWords;
    this.n = 0;
    this.relocs = [];
    this.fixups.length = 0;
    this.pool.length = 0;
    this.labels.clear();
    this.autosize = 0;
    this.extrasize = 0;
    this.progIndex = 0;
    this.start = 0;
    this.tls = undefined;
    this.constants = null;
  }

  emit(w: number): void {
    if (this.n === this.words.length) {
      const g = new Uint32Array(this.words.length * 2);
      g.set(this.words);
      this.words = g;
      sharedWords = g;
    }
    this.words[this.n++] = w >>> 0;
  }

  error(msg: string, pos: SourcePos = this.pos): void {
    this.diag.error(pos, msg);
  }
}

/** Thrown inside an encoder routine to abandon the instruction after a diagnostic. */
class Bad extends Error {}

const LSL0_64 = 3 << 13;
const LSL0_32 = 2 << 13;

/* ------------------------------------------------------------------ operands */

function opName(o: Operand | undefined): string {
  if (!o) return 'none';
  switch (o.kind) {
    case 'reg': return o.reg;
    case 'imm': return '$' + o.value;
    case 'mem': return 'memory';
    case 'addr': return 'address';
    default: return o.kind;
  }
}

/** Register code of a plain register operand, or REG_NONE. `$0` is not a register here. */
function regOf(o: Operand | undefined): number {
  if (!o || o.kind !== 'reg') return REG_NONE;
  return regCode(o.reg);
}

function isGprCode(r: number): boolean {
  return r >= 0 && r <= REG_RSP;
}

function isZeroImm(o: Operand | undefined): boolean {
  return !!o && o.kind === 'imm' && o.value === 0n;
}

/** A general register, where `$0` stands for ZR (Go's progedit rewrite). */
function gprOrZero(o: Operand | undefined): number {
  if (isZeroImm(o)) return REG_ZR;
  const r = regOf(o);
  return isGprCode(r) ? r : REG_NONE;
}

function r5(r: number): number {
  return r === REG_RSP ? 31 : r & 31;
}

function condOf(o: Operand | undefined): number {
  if (!o) return -1;
  let name: string | undefined;
  if (o.kind === 'cond') name = o.cond;
  else if (o.kind === 'special') name = o.name.toUpperCase();
  else if (o.kind === 'branch' && o.label) name = o.label;
  else if (o.kind === 'reg') name = o.reg;
  if (name === undefined) return -1;
  const c = CONDS.get(name);
  return c === undefined ? -1 : c;
}

function specialName(o: Operand | undefined): string | undefined {
  if (!o) return undefined;
  if (o.kind === 'special') return o.name.toUpperCase();
  if (o.kind === 'cond') return o.cond;
  if (o.kind === 'branch' && o.label) return o.label.toUpperCase();
  if (o.kind === 'reg') return o.reg.toUpperCase();
  return undefined;
}

/* ------------------------------------------------------------------ encoder */

export class Encoder {
  constructor(readonly e: Emitter) {}

  private fail(msg: string): never {
    this.e.error(msg);
    throw new Bad(msg);
  }

  private badCombo(p: Prog): never {
    this.fail(`illegal combination: ${p.op} ${p.args.map(opName).join(', ')}`);
  }

  private gpr(o: Operand | undefined, p: Prog, allowSP = false, allowZR = true): number {
    const r = gprOrZero(o);
    if (r === REG_NONE) this.badCombo(p);
    if (r === REG_RSP && !allowSP) this.fail(`illegal use of RSP in ${p.op}`);
    if (r === REG_ZR && !allowZR) this.fail(`illegal use of ZR in ${p.op}`);
    return r;
  }

  /** A general register given by name (shift/extend/pair/index operands). */
  private gprNamed(name: string, p: Prog, allowSP = false): number {
    const r = regCode(name);
    if (!isGprCode(r)) this.badCombo(p);
    if (r === REG_RSP && !allowSP) this.fail(`illegal use of RSP in ${p.op}`);
    return r;
  }

  private fpr(o: Operand | undefined, p: Prog): number {
    const r = regOf(o);
    if (isFpr(r)) return r & 31;
    if (r >= REG_V && r < REG_V + 32) return r & 31;
    this.badCombo(p);
  }

  private imm(o: Operand | undefined, p: Prog): bigint {
    if (!o || o.kind !== 'imm') this.badCombo(p);
    return o.value;
  }

  private immNum(o: Operand | undefined, p: Prog): number {
    return toInt(this.imm(o, p));
  }

  /** Result of memOff (fields instead of a fresh object per operand). */
  private mBase = 0;
  private mOff = 0;

  /** Resolves a register-relative, FP or SP memory operand to (base, offset). */
  private memOff(m: MemRef): this {
    switch (m.name) {
      case 'param':
        this.mBase = REG_RSP;
        this.mOff = this.e.autosize + m.offset + 8;
        return this;
      case 'auto':
        this.mBase = REG_RSP;
        this.mOff = this.e.autosize + m.offset - this.e.extrasize;
        return this;
      case 'none': {
        const b = m.base === 'SP' ? REG_RSP : regCode(m.base ?? '');
        if (!isGprCode(b)) this.fail(`bad base register ${m.base ?? ''}`);
        this.mBase = b;
        this.mOff = m.offset;
        return this;
      }
      default:
        this.fail('symbol reference not allowed here');
    }
  }

  encode(p: Prog, def: OpDef, suffix: string): void {
    const nRelocs = this.e.relocs.length;
    const nFixups = this.e.fixups.length;
    try {
      this.dispatch(p, def, suffix);
    } catch (err) {
      if (!(err instanceof Bad)) throw err;
      // Drop whatever the rejected instruction had emitted.
      this.e.n = this.e.start;
      this.e.relocs.length = nRelocs;
      this.e.fixups.length = nFixups;
    }
  }

  private dispatch(p: Prog, d: OpDef, sfx: string): void {
    const a = p.args;
    if (sfx !== '' && d.f !== F.Mov && d.f !== F.FMov && d.f !== F.Ldp && d.f !== F.Stp && d.f !== F.Vldst && d.f !== F.Vldr) {
      this.fail(`unknown suffix .${sfx} on ${p.op.slice(0, p.op.length - sfx.length - 1)}`);
    }
    switch (d.f) {
      case F.AddSub: return this.addsub(p, d);
      case F.Logic: return this.logic(p, d);
      case F.AdcSbc:
        return this.e.emit(d.op | this.rrr(p));
      case F.Ngc: {
        if (a.length !== 2) this.badCombo(p);
        return this.e.emit(d.op | (r5(this.gpr(a[0], p)) << 16) | (31 << 5) | r5(this.gpr(a[1], p)));
      }
      case F.Mov: return this.mov(p, d, sfx);
      case F.FMov: return this.fmov(p, d, sfx);
      case F.Mvn: return this.mvn(p, d);
      case F.Neg: return this.neg(p, d);
      case F.Shift: return this.shift(p, d);
      case F.Mul:
        return this.e.emit(d.op | this.rrr(p));
      case F.Madd: {
        if (a.length !== 4) this.badCombo(p);
        const rm = r5(this.gpr(a[0], p));
        const ra = r5(this.gpr(a[1], p));
        const rn = r5(this.gpr(a[2], p));
        const rd = r5(this.gpr(a[3], p));
        return this.e.emit(d.op | (rm << 16) | (ra << 10) | (rn << 5) | rd);
      }
      case F.Rrr:
        return this.e.emit(d.op | this.rrr(p));
      case F.Rem: {
        const f = this.rrr(p);
        const rm = (f >> 16) & 31;
        const rn = (f >> 5) & 31;
        const rd = f & 31;
        this.e.emit(d.op | (rm << 16) | (rn << 5) | REGTMP);
        // MSUB rd = rn - REGTMP*rm
        return this.e.emit((0x1b008000 | (d.op & 0x80000000)) | (rm << 16) | (rn << 10) | (REGTMP << 5) | rd);
      }
      case F.Csel: {
        if (a.length !== 4) this.badCombo(p);
        const c = condOf(a[0]);
        if (c < 0) this.fail(`invalid condition in ${p.op}`);
        const rn = r5(this.gpr(a[1], p));
        const rm = r5(this.gpr(a[2], p));
        const rd = r5(this.gpr(a[3], p));
        return this.e.emit(d.op | (rm << 16) | (c << 12) | (rn << 5) | rd);
      }
      case F.Cset: {
        if (a.length !== 2) this.badCombo(p);
        const c = condOf(a[0]);
        if (c < 0 || c >= 14) this.fail(`invalid condition in ${p.op}`);
        const rd = r5(this.gpr(a[1], p));
        return this.e.emit(d.op | (31 << 16) | ((c ^ 1) << 12) | (31 << 5) | rd);
      }
      case F.Cinc: {
        if (a.length !== 3) this.badCombo(p);
        const c = condOf(a[0]);
        if (c < 0 || c >= 14) this.fail(`invalid condition in ${p.op}`);
        const rn = r5(this.gpr(a[1], p));
        const rd = r5(this.gpr(a[2], p));
        return this.e.emit(d.op | (rn << 16) | ((c ^ 1) << 12) | (rn << 5) | rd);
      }
      case F.Ccmp: {
        if (a.length !== 4) this.badCombo(p);
        const c = condOf(a[0]);
        if (c < 0) this.fail(`invalid condition in ${p.op}`);
        const rn = r5(this.gpr(a[1], p));
        const nzcv = this.immNum(a[3], p);
        if (nzcv < 0 || nzcv > 15) this.fail(`implausible condition flags $${nzcv}`);
        let w = d.op;
        let rm: number;
        if (a[2]!.kind === 'imm') {
          rm = Number(a[2]!.value);
          if (rm < 0 || rm > 31) this.fail(`immediate $${rm} out of range 0..31`);
          w |= 0x800;
        } else rm = r5(this.gpr(a[2], p));
        return this.e.emit(w | (rm << 16) | (c << 12) | (rn << 5) | nzcv);
      }
      case F.Cb: {
        if (a.length !== 2) this.badCombo(p);
        const rt = r5(this.gpr(a[0], p));
        this.branchTo(a[1], p, 'b19');
        return this.e.emit(d.op | rt);
      }
      case F.Tb: {
        if (a.length !== 3) this.badCombo(p);
        const bit = this.immNum(a[0], p);
        if (bit < 0 || bit > 63) this.fail(`illegal bit number ${bit}`);
        const rt = r5(this.gpr(a[1], p));
        this.branchTo(a[2], p, 'b14');
        return this.e.emit(d.op | ((bit & 0x20) << 26) | ((bit & 0x1f) << 19) | rt);
      }
      case F.B:
      case F.Bl: return this.branch(p, d);
      case F.Bcond: {
        if (a.length !== 1) this.badCombo(p);
        this.branchTo(a[0], p, 'b19');
        return this.e.emit(d.op);
      }
      case F.Ret: {
        if (a.length === 0) return this.e.emit(d.op | (30 << 5));
        const o = a[0]!;
        let r = regOf(o);
        if (o.kind === 'mem' && o.mem.name === 'none' && o.mem.offset === 0 && !o.mem.index) r = regCode(o.mem.base ?? '');
        if (!isGprCode(r) || r === REG_RSP || a.length !== 1) this.badCombo(p);
        return this.e.emit(d.op | (r5(r) << 5));
      }
      case F.Adr: {
        if (a.length !== 2) this.badCombo(p);
        const rd = r5(this.gpr(a[1], p));
        this.branchTo(a[0], p, d.op === 0x90000000 ? 'adrp' : 'adr');
        return this.e.emit(d.op | rd);
      }
      case F.Ldp:
      case F.Stp: return this.ldpstp(p, d, sfx);
      case F.Ldar: {
        if (a.length !== 2) this.badCombo(p);
        const rn = this.zeroOffBase(a[0], p);
        const rt = r5(this.gpr(a[1], p));
        return this.e.emit(d.op | (rn << 5) | rt);
      }
      case F.Ldxp: {
        if (a.length !== 2 || a[1]!.kind !== 'regpair') this.badCombo(p);
        const rn = this.zeroOffBase(a[0], p);
        const rt = r5(this.gprNamed(a[1].regs[0], p));
        const rt2 = r5(this.gprNamed(a[1].regs[1], p));
        if (rt === rt2) this.fail(`constrained unpredictable behavior: ${p.op} with equal registers`);
        return this.e.emit(d.op | (31 << 16) | (rt2 << 10) | (rn << 5) | rt);
      }
      case F.Stlr: {
        if (a.length !== 2) this.badCombo(p);
        const rt = r5(this.gpr(a[0], p));
        const rn = this.zeroOffBase(a[1], p);
        return this.e.emit(d.op | (rn << 5) | rt);
      }
      case F.Stxr: {
        if (a.length !== 3) this.badCombo(p);
        const rt = r5(this.gpr(a[0], p));
        const rnCode = this.zeroOffBaseCode(a[1], p);
        const rs = this.gpr(a[2], p);
        const t = gprOrZero(a[0]);
        if (rs === t || (rs === rnCode && rnCode !== REG_RSP)) this.fail(`constrained unpredictable behavior: ${p.op}`);
        return this.e.emit(d.op | (r5(rs) << 16) | (r5(rnCode) << 5) | rt);
      }
      case F.Stxp: {
        if (a.length !== 3 || a[0]!.kind !== 'regpair') this.badCombo(p);
        const t1 = this.gprNamed(a[0].regs[0], p);
        const t2 = this.gprNamed(a[0].regs[1], p);
        const rnCode = this.zeroOffBaseCode(a[1], p);
        const rs = this.gpr(a[2], p);
        if (rs === t1 || rs === t2 || (rs === rnCode && rnCode !== REG_RSP)) this.fail(`constrained unpredictable behavior: ${p.op}`);
        return this.e.emit(d.op | (r5(rs) << 16) | (r5(t2) << 10) | (r5(rnCode) << 5) | r5(t1));
      }
      case F.Casp: {
        if (a.length !== 3 || a[0]!.kind !== 'regpair' || a[2]!.kind !== 'regpair') this.badCombo(p);
        const pair = (o: { regs: [string, string] }, what: string): number => {
          const lo = this.gprNamed(o.regs[0], p);
          const hi = this.gprNamed(o.regs[1], p);
          if (lo === REG_RSP || hi === REG_RSP) this.badCombo(p);
          if (r5(lo) % 2 !== 0) this.fail(`${what} register pair must start from even register`);
          if (r5(hi) !== r5(lo) + 1) this.fail(`${what} register pair must be contiguous`);
          return r5(lo);
        };
        const rs = pair(a[0], 'source');
        const rn = this.zeroOffBase(a[1], p);
        const rt = pair(a[2], 'destination');
        return this.e.emit(d.op | (rs << 16) | (rn << 5) | rt);
      }
      case F.Atomic: {
        if (a.length !== 3) this.badCombo(p);
        const rs = r5(this.gpr(a[0], p));
        const rn = this.zeroOffBase(a[1], p);
        const rt = this.gpr(a[2], p);
        // LDADD-like ops without acquire cannot target ZR (that encoding is ST*).
        if (rt === REG_ZR && (d.op & 0x3f000000) === 0x38000000 && (d.op & (1 << 23)) === 0) this.fail(`illegal destination register ZR in ${p.op}`);
        return this.e.emit(d.op | (rs << 16) | (rn << 5) | r5(rt));
      }
      case F.Sys0:
        if (a.length !== 0) this.badCombo(p);
        return this.e.emit(d.op);
      case F.Imm16: {
        if (a.length === 0) return this.e.emit(d.op);
        const v = this.immNum(a[0], p);
        if (v < 0 || v > 0xffff) this.fail(`immediate $${v} out of range 0..65535`);
        return this.e.emit(d.op | ((v & 0xffff) << 5));
      }
      case F.Barrier: {
        if (a.length !== 1) this.badCombo(p);
        let v: number;
        if (a[0]!.kind === 'imm') v = Number(a[0]!.value);
        else {
          const n = specialName(a[0]);
          const b = n === undefined ? undefined : BARRIER_OPTS.get(n);
          if (b === undefined) this.fail(`unknown barrier option ${n ?? opName(a[0])}`);
          v = b;
        }
        if (v < 0 || v > 15) this.fail(`barrier option $${v} out of range 0..15`);
        return this.e.emit(d.op | (v << 8));
      }
      case F.Hint: {
        const v = this.immNum(a[0], p);
        if (v < 0 || v > 127) this.fail(`hint $${v} out of range`);
        return this.e.emit(d.op | (v << 5));
      }
      case F.Clrex: {
        if (a.length === 0) return this.e.emit(d.op | (0xf << 8));
        const v = this.immNum(a[0], p);
        return this.e.emit((d.op & ~0xf00) | ((v & 0xf) << 8));
      }
      case F.Mrs: {
        if (a.length !== 2) this.badCombo(p);
        const sr = this.sysReg(a[0], p, 'read');
        const rt = r5(this.gpr(a[1], p));
        return this.e.emit(d.op | (1 << 21) | sr | rt);
      }
      case F.Msr: {
        if (a.length !== 2) this.badCombo(p);
        const n = specialName(a[1]);
        if (a[0]!.kind === 'imm') {
          const pf = n === undefined ? undefined : PSTATE_FIELDS.get(n);
          if (pf === undefined) this.fail(`illegal PSTATE field for immediate move`);
          const v = Number(a[0]!.value);
          if (v < 0 || v > 15) this.fail('illegal immediate for PSTATE field');
          return this.e.emit(0xd500401f | pf | (v << 8));
        }
        const sr = this.sysReg(a[1], p, 'write');
        const rt = r5(this.gpr(a[0], p));
        return this.e.emit(d.op | sr | rt);
      }
      case F.Sys: {
        // SYSL reads into Rt (required); SYS passes Rt, or XZR when there is none.
        const sysl = p.op === 'SYSL';
        if (a.length !== (sysl ? 2 : 1) && a.length !== 2) this.badCombo(p);
        const v = this.immNum(a[0], p);
        if (v < 0 || (v & ~0x7ffe0) !== 0) this.fail(`SYS operation out of range: ${v}`);
        const rt = a.length === 2 ? r5(this.gpr(a[1], p)) : 31;
        return this.e.emit(d.op | v | rt);
      }
      case F.Sysop: {
        const name = specialName(a[0]);
        const op = name === undefined ? undefined : sysOperation(p.op, name);
        if (op === undefined) this.fail('illegal argument');
        if (op.reg && a.length < 2) this.fail('missing register at operand 2');
        if (!op.reg && a.length > 1) this.fail('extraneous register at operand 2');
        if (a.length > 2) this.badCombo(p);
        return this.e.emit(d.op | op.bits | (op.reg ? r5(this.gpr(a[1], p)) : 31));
      }
      case F.Bfm: {
        if (a.length !== 4) this.badCombo(p);
        const r = this.immNum(a[0], p);
        const rn = r5(this.gpr(a[1], p));
        const s = this.immNum(a[2], p);
        const rd = r5(this.gpr(a[3], p));
        return this.e.emit(this.bfm(d.op, r, s, rn, rd));
      }
      case F.Bfx: {
        if (a.length !== 4) this.badCombo(p);
        const lsb = this.immNum(a[0], p);
        const rn = r5(this.gpr(a[1], p));
        const width = this.immNum(a[2], p);
        const rd = r5(this.gpr(a[3], p));
        const bits = d.op & 0x80000000 ? 64 : 32;
        if (d.op2 === 0) {
          // insert: immr = -lsb MOD bits, imms = width-1
          return this.e.emit(this.bfm(d.op, lsb !== 0 ? bits - lsb : 0, width - 1, rn, rd));
        }
        return this.e.emit(this.bfm(d.op, lsb, lsb + width - 1, rn, rd));
      }
      case F.Extr: {
        if (a.length !== 4) this.badCombo(p);
        const lsb = this.immNum(a[0], p);
        const rm = r5(this.gpr(a[1], p));
        const rn = r5(this.gpr(a[2], p));
        const rd = r5(this.gpr(a[3], p));
        const max = d.op & 0x80000000 ? 63 : 31;
        if (lsb < 0 || lsb > max) this.fail(`illegal bit number ${lsb}`);
        return this.e.emit(d.op | (rm << 16) | (lsb << 10) | (rn << 5) | rd);
      }
      case F.Ext1:
      case F.Bit1: {
        if (a.length !== 2) this.badCombo(p);
        const rn = r5(this.gpr(a[0], p));
        const rd = r5(this.gpr(a[1], p));
        return this.e.emit(d.op | (rn << 5) | rd);
      }
      case F.MovWide: return this.movwide(p, d);
      case F.Fp2: {
        let fm: number, fn: number, fd: number;
        if (a.length === 3) {
          fm = this.fpr(a[0], p); fn = this.fpr(a[1], p); fd = this.fpr(a[2], p);
        } else if (a.length === 2) {
          fm = this.fpr(a[0], p); fd = this.fpr(a[1], p); fn = fd;
        } else this.badCombo(p);
        return this.e.emit(d.op | (fm << 16) | (fn << 5) | fd);
      }
      case F.Fp1: {
        if (a.length !== 2) this.badCombo(p);
        return this.e.emit(d.op | (this.fpr(a[0], p) << 5) | this.fpr(a[1], p));
      }
      case F.Fcmp: {
        if (a.length !== 2) this.badCombo(p);
        const fn = this.fpr(a[1], p);
        if (a[0]!.kind === 'fimm' || a[0]!.kind === 'imm') {
          const v = a[0]!.kind === 'fimm' ? a[0]!.value : Number(a[0]!.value);
          if (v !== 0) this.fail(`${p.op} can only compare with $0.0`);
          return this.e.emit(d.op | 8 | (fn << 5));
        }
        return this.e.emit(d.op | (this.fpr(a[0], p) << 16) | (fn << 5));
      }
      case F.Fcsel: {
        if (a.length !== 4) this.badCombo(p);
        const c = condOf(a[0]);
        if (c < 0) this.fail(`invalid condition in ${p.op}`);
        const fn = this.fpr(a[1], p);
        const fm = this.fpr(a[2], p);
        const fd = this.fpr(a[3], p);
        return this.e.emit(d.op | (fm << 16) | (c << 12) | (fn << 5) | fd);
      }
      case F.Fccmp: {
        if (a.length !== 4) this.badCombo(p);
        const c = condOf(a[0]);
        if (c < 0) this.fail(`invalid condition in ${p.op}`);
        const fm = this.fpr(a[1], p);
        const fn = this.fpr(a[2], p);
        const nzcv = this.immNum(a[3], p);
        if (nzcv < 0 || nzcv > 15) this.fail('implausible condition');
        return this.e.emit(d.op | (fm << 16) | (c << 12) | (fn << 5) | nzcv);
      }
      case F.Fma: {
        if (a.length !== 4) this.badCombo(p);
        const fm = this.fpr(a[0], p);
        const fa = this.fpr(a[1], p);
        const fn = this.fpr(a[2], p);
        const fd = this.fpr(a[3], p);
        return this.e.emit(d.op | (fm << 16) | (fa << 10) | (fn << 5) | fd);
      }
      case F.Fcvti: {
        if (a.length !== 2) this.badCombo(p);
        if (d.op2 === 1) return this.e.emit(d.op | (r5(this.gpr(a[0], p)) << 5) | this.fpr(a[1], p));
        return this.e.emit(d.op | (this.fpr(a[0], p) << 5) | r5(this.gpr(a[1], p)));
      }
      case F.Word: {
        if (a.length !== 1) this.badCombo(p);
        const o = a[0]!;
        if (o.kind === 'imm') {
          split(o.value, K);
          if (d.size === 8) {
            if ((this.e.n & 1) !== 0) this.e.emit(0);
            this.e.emit(K.lo);
            return this.e.emit(K.hi);
          }
          return this.e.emit(K.lo);
        }
        // Go writes the address of a symbol as `DWORD sym(SB)` (not `$sym(SB)`).
        if (o.kind === 'mem' && (o.mem.name === 'extern' || o.mem.name === 'static') && o.mem.sym) {
          if (d.size !== 8) this.fail('address constant needs DWORD');
          if ((this.e.n & 1) !== 0) this.e.emit(0);
          this.e.relocs.push({ off: this.e.n * 4, size: 8, type: 'R_ADDR', sym: o.mem.sym, add: o.mem.offset, line: p.pos.line });
          this.e.emit(0);
          return this.e.emit(0);
        }
        this.badCombo(p);
      }
      // eslint-disable-next-line no-fallthrough
      case F.Prfm: {
        if (a.length !== 2 || a[0]!.kind !== 'mem') this.badCombo(p);
        this.memOff(a[0].mem);
        const base = this.mBase;
        const off = this.mOff;
        let v: number;
        if (a[1]!.kind === 'imm') v = Number(a[1]!.value);
        else {
          const n = specialName(a[1]);
          const po = n === undefined ? undefined : PRFOPS.get(n);
          if (po === undefined) this.fail(`unknown prefetch operation ${n ?? ''}`);
          v = po;
        }
        if (off < 0 || off % 8 !== 0 || off / 8 > 4095) this.fail(`offset ${off} out of range for PRFM`);
        return this.e.emit(d.op | ((off / 8) << 10) | (r5(base) << 5) | (v & 31));
      }
      case F.Vaes: {
        if (a.length !== 2) this.badCombo(p);
        const n = this.vreg(a[0], p, 'B16');
        const d0 = this.vreg(a[1], p, 'B16');
        return this.e.emit(d.op | (n << 5) | d0);
      }
      case F.V3: {
        if (d.op3 !== undefined && regOf(a[0]) >= REG_V) {
          // Scalar VADD/VSUB on D registers, written V: `VADD Vm, [Vn,] Vd`.
          if (a.length !== 2 && a.length !== 3) this.badCombo(p);
          const m = this.plainV(a[0], p);
          const vd = this.plainV(a[a.length - 1], p);
          const n = a.length === 3 ? this.plainV(a[1], p) : vd;
          return this.e.emit(d.op3 | (m << 16) | (n << 5) | vd);
        }
        if (a.length !== 3) this.badCombo(p);
        const m = this.vreg(a[0], p);
        const arr = this.vArr;
        const n = this.vreg(a[1], p, arr);
        const vd = this.vreg(a[2], p, arr);
        const q = ARR_Q.get(arr) ?? -1;
        const size = ARR_SIZE.get(arr) ?? -1;
        if (q < 0 || (d.op2 === 0 && size !== 0) || (d.op2 === 1 && size === 3 && q === 0) || (d.op2 === 3 && size === 3)) this.fail(`invalid arrangement ${arr} for ${p.op}`);
        if (d.op2 === 2) {
          // Floating-point vector ops: S2, S4 or D2, with sz in bit 22.
          if (arr !== 'S2' && arr !== 'S4' && arr !== 'D2') this.fail(`invalid arrangement ${arr} for ${p.op}`);
          return this.e.emit(d.op | (q << 30) | ((size === 3 ? 1 : 0) << 22) | (m << 16) | (n << 5) | vd);
        }
        return this.e.emit(d.op | (q << 30) | (d.op2 === 1 || d.op2 === 3 ? size << 22 : 0) | (m << 16) | (n << 5) | vd);
      }
      case F.Vldst: return this.vldst(p, d, sfx);
      case F.Vmov: {
        if (a.length !== 2) this.badCombo(p);
        if (this.vmovElem(p)) return;
        const r = gprOrZero(a[0]);
        if (r !== REG_NONE) {
          if (r === REG_RSP) this.badCombo(p);
          const vd = this.vreg(a[1], p);
          const arr = this.vArr;
          const imm5 = DUP_IMM5.get(arr);
          const q = ARR_Q.get(arr);
          if (imm5 === undefined || q === undefined || arr === 'D1') this.fail(`invalid arrangement ${arr} for ${p.op}`);
          return this.e.emit(d.op | (q << 30) | (imm5 << 16) | (r5(r) << 5) | vd);
        }
        if (p.op !== 'VMOV') this.badCombo(p);
        const n = this.vreg(a[0], p);
        const arr = this.vArr;
        const vd = this.vreg(a[1], p, arr);
        if (arr !== 'B8' && arr !== 'B16') this.fail(`invalid arrangement ${arr} for ${p.op}`);
        return this.e.emit(0x0ea01c00 | ((arr === 'B16' ? 1 : 0) << 30) | (n << 16) | (n << 5) | vd);
      }
      case F.Vacross: {
        if (a.length !== 2) this.badCombo(p);
        const n = this.vreg(a[0], p);
        const arr = this.vArr;
        const vd = regOf(a[1]);
        if (vd < REG_V || vd >= REG_V + 32) this.badCombo(p);
        const q = ARR_Q.get(arr)!;
        const size = ARR_SIZE.get(arr)!;
        if (arr === 'S2' || size === 3 || size === undefined) this.fail(`invalid arrangement ${arr} for ${p.op}`);
        return this.e.emit(d.op | (q << 30) | (size << 22) | (n << 5) | (vd & 31));
      }
      case F.Vshift: {
        if (a.length !== 3) this.badCombo(p);
        const sh = this.immNum(a[0], p);
        const n = this.vreg(a[1], p);
        const arr = this.vArr;
        const vd = this.vreg(a[2], p, arr);
        const q = ARR_Q.get(arr);
        const size = ARR_SIZE.get(arr);
        if (q === undefined || size === undefined || arr === 'D1') this.fail(`invalid arrangement ${arr} for ${p.op}`);
        const esize = 8 << size;
        let immhb: number;
        if (d.op2 === 0) {
          if (sh < 1 || sh > esize) this.fail(`shift amount out of range 1 to ${esize}: ${sh}`);
          immhb = 2 * esize - sh;
        } else {
          if (sh < 0 || sh >= esize) this.fail(`shift amount out of range 0 to ${esize - 1}: ${sh}`);
          immhb = esize + sh;
        }
        return this.e.emit(d.op | (q << 30) | (immhb << 16) | (n << 5) | vd);
      }
      case F.Vext: {
        if (a.length !== 4) this.badCombo(p);
        const idx = this.immNum(a[0], p);
        const m = this.vreg(a[1], p);
        const arr = this.vArr;
        const n = this.vreg(a[2], p, arr);
        const vd = this.vreg(a[3], p, arr);
        if (arr !== 'B8' && arr !== 'B16') this.fail(`invalid arrangement ${arr} for ${p.op}`);
        const q = arr === 'B16' ? 1 : 0;
        if (idx < 0 || idx >= (q ? 16 : 8)) this.fail(`index out of range: ${idx}`);
        return this.e.emit(d.op | (q << 30) | (m << 16) | (idx << 11) | (n << 5) | vd);
      }
      case F.Vtbl: {
        if (a.length !== 3 || a[1]!.kind !== 'reglist') this.badCombo(p);
        const m = this.vreg(a[0], p);
        const arr = this.vArr;
        if (arr !== 'B8' && arr !== 'B16') this.fail(`invalid arrangement ${arr} for ${p.op}`);
        const regs = a[1].regs;
        if (regs.length < 1 || regs.length > 4) this.fail(`${p.op} takes 1 to 4 table registers`);
        const first = this.vreg({ kind: 'reg', reg: regs[0]! }, p, 'B16');
        for (let i = 1; i < regs.length; i++) {
          if (this.vreg({ kind: 'reg', reg: regs[i]! }, p, 'B16') !== ((first + i) & 31)) this.fail(`${p.op}: registers in the list must be consecutive`);
        }
        const vd = this.vreg(a[2], p, arr);
        return this.e.emit(d.op | ((arr === 'B16' ? 1 : 0) << 30) | (m << 16) | ((regs.length - 1) << 13) | (first << 5) | vd);
      }
      case F.V2misc: {
        if (a.length !== 2) this.badCombo(p);
        const n = this.vreg(a[0], p);
        const arr = this.vArr;
        const vd = this.vreg(a[1], p, arr);
        const q = ARR_Q.get(arr);
        const size = ARR_SIZE.get(arr);
        if (q === undefined || size === undefined) this.fail(`invalid arrangement ${arr} for ${p.op}`);
        // op2 -1: bytes only (size is part of the opcode); else the largest element size allowed is < 2^op2 bytes.
        if (d.op2 === -1) {
          if (size !== 0) this.fail(`invalid arrangement ${arr} for ${p.op}`);
          return this.e.emit(d.op | (q << 30) | (n << 5) | vd);
        }
        if (size > d.op2!) this.fail(`invalid arrangement ${arr} for ${p.op}`);
        return this.e.emit(d.op | (q << 30) | (size << 22) | (n << 5) | vd);
      }
      case F.Vmovi: {
        if (a.length !== 2) this.badCombo(p);
        const v = this.immNum(a[0], p);
        const vd = this.vreg(a[1], p);
        const arr = this.vArr;
        if (arr !== 'B8' && arr !== 'B16') this.fail(`invalid arrangement ${arr} for ${p.op}`);
        if (v < 0 || v > 255) this.fail(`immediate out of range 0 to 255: ${v}`);
        return this.e.emit(d.op | ((arr === 'B16' ? 1 : 0) << 30) | ((v >> 5) << 16) | ((v & 31) << 5) | vd);
      }
      case F.Vxtl: {
        const xtl = p.op.startsWith('VUXTL');
        if (a.length !== (xtl ? 2 : 3)) this.badCombo(p);
        const sh = xtl ? 0 : this.immNum(a[0], p);
        const n = this.vreg(a[xtl ? 0 : 1], p);
        const tb = this.vArr;
        const vd = this.vreg(a[xtl ? 1 : 2], p);
        const ta = this.vArr;
        const sb = ARR_SIZE.get(tb);
        const qb = ARR_Q.get(tb);
        if (sb === undefined || sb > 2 || qb !== d.op2 || ARR_SIZE.get(ta) !== sb + 1 || ARR_Q.get(ta) !== 1) this.fail(`invalid arrangement ${tb}, ${ta} for ${p.op}`);
        const esize = 8 << sb;
        if (sh < 0 || sh >= esize) this.fail(`shift amount out of range 0 to ${esize - 1}: ${sh}`);
        return this.e.emit(d.op | (d.op2! << 30) | ((esize + sh) << 16) | (n << 5) | vd);
      }
      case F.Vsha3: {
        if (a.length !== 3) this.badCombo(p);
        const arr = d.op3 === 3 ? 'D2' : 'S4';
        const m = this.vreg(a[0], p, arr);
        const n = d.op2 === 1 ? this.plainV(a[1], p) : this.vreg(a[1], p, arr);
        const vd = d.op2 === 1 ? this.plainV(a[2], p) : this.vreg(a[2], p, arr);
        return this.e.emit(d.op | (m << 16) | (n << 5) | vd);
      }
      case F.Vsha2: {
        if (a.length !== 2) this.badCombo(p);
        const arr = d.op3 === 3 ? 'D2' : 'S4';
        const n = d.op2 === 1 ? this.plainV(a[0], p) : this.vreg(a[0], p, arr);
        const vd = d.op2 === 1 ? this.plainV(a[1], p) : this.vreg(a[1], p, arr);
        return this.e.emit(d.op | (n << 5) | vd);
      }
      case F.V4: {
        if (a.length !== 4) this.badCombo(p);
        const va = this.vreg(a[0], p, 'B16');
        const m = this.vreg(a[1], p, 'B16');
        const n = this.vreg(a[2], p, 'B16');
        const vd = this.vreg(a[3], p, 'B16');
        return this.e.emit(d.op | (m << 16) | (va << 10) | (n << 5) | vd);
      }
      case F.Vxar: {
        if (a.length !== 4) this.badCombo(p);
        const imm = this.immNum(a[0], p);
        if (imm < 0 || imm > 63) this.fail(`immediate out of range 0 to 63: ${imm}`);
        const m = this.vreg(a[1], p, 'D2');
        const n = this.vreg(a[2], p, 'D2');
        const vd = this.vreg(a[3], p, 'D2');
        return this.e.emit(d.op | (m << 16) | (imm << 10) | (n << 5) | vd);
      }
      case F.Vpmull: {
        if (a.length !== 3) this.badCombo(p);
        const m = this.vreg(a[0], p);
        const tb = this.vArr;
        const n = this.vreg(a[1], p, tb);
        const vd = this.vreg(a[2], p);
        const ta = this.vArr;
        // 8-bit polynomials widen to 16 bits, 64-bit ones to 128.
        const size = tb === (d.op2 ? 'B16' : 'B8') ? 0 : tb === (d.op2 ? 'D2' : 'D1') ? 3 : -1;
        if (size < 0 || ta !== (size === 0 ? 'H8' : 'Q1')) this.fail(`invalid arrangement ${tb}, ${ta} for ${p.op}`);
        return this.e.emit(d.op | (d.op2! << 30) | (size << 22) | (m << 16) | (n << 5) | vd);
      }
      case F.Vwiden: {
        if (a.length !== 3) this.badCombo(p);
        const m = this.vreg(a[0], p);
        const tb = this.vArr;
        const n = this.vreg(a[1], p);
        const ta = this.vArr;
        const vd = this.vreg(a[2], p, ta);
        const sb = ARR_SIZE.get(tb);
        if (sb === undefined || sb > 2 || ARR_Q.get(tb) !== d.op2 || ARR_SIZE.get(ta) !== sb + 1 || ARR_Q.get(ta) !== 1) this.fail(`invalid arrangement ${tb}, ${ta} for ${p.op}`);
        return this.e.emit(d.op | (d.op2! << 30) | (sb << 22) | (m << 16) | (n << 5) | vd);
      }
      case F.Vldr: return this.vldr(p, d, sfx);
      case F.Pseudo:
        return;
      case F.Undef:
        return this.e.emit(0xbea71700);
      case F.Pcalign: {
        const n = this.immNum(a[0], p);
        if (n < 8 || n > 2048 || (n & (n - 1)) !== 0) this.fail(`invalid PCALIGN value $${n}: must be a power of 2 in 8..2048`);
        // Alignment is relative to the function start; functions are 16-byte aligned.
        while ((this.e.n * 4) % n !== 0) this.e.emit(d.op);
        return;
      }
    }
  }

  /** Arrangement of the last vreg() operand. */
  private vArr = '';

  /** A vector register with arrangement (`V1.B16`); `want` checks the arrangement. */
  private vreg(o: Operand | undefined, p: Prog, want?: string): number {
    if (!o || o.kind !== 'reg') this.badCombo(p);
    const v = parseVecReg(o.reg);
    if (!v || v.index !== undefined) this.badCombo(p);
    if (want !== undefined && v.arrangement !== want) this.fail(`operand mismatch: ${o.reg} in ${p.op} needs arrangement ${want}`);
    this.vArr = v.arrangement;
    return v.n;
  }

  /** The bits 5..20 of MRS/MSR for a system register operand that allows the access. */
  private sysReg(o: Operand | undefined, p: Prog, access: 'read' | 'write'): number {
    const n = specialName(o);
    if (n === undefined) this.badCombo(p);
    const sr = sysRegister(n);
    if (sr === undefined) this.fail(`unknown system register ${n}`);
    if (access === 'read' ? !sr.read : !sr.write) this.fail(`system register is not ${access === 'read' ? 'readable' : 'writable'}: ${n}`);
    return sr.bits;
  }

  /** A vector register written without arrangement (`V3`: a scalar Q, D or S register). */
  private plainV(o: Operand | undefined, p: Prog): number {
    const r = regOf(o);
    if (r < REG_V || r >= REG_V + 32) this.badCombo(p);
    return r - REG_V;
  }

  /** VLD1R..VLD4R: one element loaded into every lane of 1 to 4 consecutive registers. */
  private vldr(p: Prog, d: OpDef, sfx: string): void {
    const a = p.args;
    if (a.length !== 2 || a[0]!.kind !== 'mem' || a[0].mem.name !== 'none') this.badCombo(p);
    const list = a[1]!;
    const regs = list.kind === 'reglist' ? list.regs : list.kind === 'reg' ? [list.reg] : this.badCombo(p);
    if (regs.length !== d.op2) this.fail(`${p.op} needs ${d.op2} registers`);
    const first = this.vlist(p, regs);
    const q = ARR_Q.get(this.vArr);
    const size = ARR_SIZE.get(this.vArr);
    if (q === undefined || size === undefined) this.fail(`invalid arrangement ${this.vArr} for ${p.op}`);
    this.e.emit(d.op | (q << 30) | (size << 10) | first | this.structAddr(p, a[0].mem, sfx, regs.length << size, true));
  }

  /** imm5 of an element `T[i]` (B, H, S, D), or -1. */
  private static elemImm5(arr: string, i: number): number {
    switch (arr) {
      case 'B': return i < 16 ? (i << 1) | 1 : -1;
      case 'H': return i < 8 ? (i << 2) | 2 : -1;
      case 'S': return i < 4 ? (i << 3) | 4 : -1;
      case 'D': return i < 2 ? (i << 4) | 8 : -1;
      default: return -1;
    }
  }

  /**
   * VMOV/VDUP forms with an element operand `Vn.T[i]`: UMOV (to a general
   * register), INS (from a general register or another element), DUP (to a
   * scalar or to every lane). Returns false when no operand is an element.
   */
  private vmovElem(p: Prog): boolean {
    const src = p.args[0]!;
    const dst = p.args[1]!;
    const se = src.kind === 'reg' ? parseVecReg(src.reg) : undefined;
    const de = dst.kind === 'reg' ? parseVecReg(dst.reg) : undefined;
    const sIdx = se?.index !== undefined;
    const dIdx = de?.index !== undefined;
    if (!sIdx && !dIdx) return false;
    const dup = p.op === 'VDUP';
    if (sIdx) {
      const imm5 = Encoder.elemImm5(se!.arrangement, se!.index!);
      if (imm5 < 0) this.fail(`invalid element ${src.kind === 'reg' ? src.reg : ''}`);
      const n = se!.n;
      if (dIdx) {
        if (dup || de!.arrangement !== se!.arrangement) this.badCombo(p);
        const dimm5 = Encoder.elemImm5(de!.arrangement, de!.index!);
        if (dimm5 < 0) this.badCombo(p);
        const sz = ['B', 'H', 'S', 'D'].indexOf(se!.arrangement);
        this.e.emit(0x6e000400 | (dimm5 << 16) | ((se!.index! << sz) << 11) | (n << 5) | de!.n);
        return true;
      }
      if (de) {
        // VDUP V.T[i], V.T2 (every lane) or VMOV V.T[i], V (scalar DUP).
        const q = ARR_Q.get(de.arrangement);
        if (q === undefined || de.arrangement[0] !== se!.arrangement) this.badCombo(p);
        this.e.emit(0x0e000400 | (q << 30) | (imm5 << 16) | (n << 5) | de.n);
        return true;
      }
      const rd = regOf(dst);
      if (rd >= REG_V && rd < REG_V + 32) {
        this.e.emit(0x5e000400 | (imm5 << 16) | (n << 5) | (rd & 31));
        return true;
      }
      if (dup) this.badCombo(p);
      const r = this.gpr(dst, p);
      const q = se!.arrangement === 'D' ? 1 : 0;
      this.e.emit(0x0e003c00 | (q << 30) | (imm5 << 16) | (n << 5) | r5(r));
      return true;
    }
    // INS Vd.T[i], Rn.
    const imm5 = Encoder.elemImm5(de!.arrangement, de!.index!);
    if (imm5 < 0 || dup) this.badCombo(p);
    const r = this.gpr(src, p);
    this.e.emit(0x4e001c00 | (imm5 << 16) | (r5(r) << 5) | de!.n);
    return true;
  }

  /** LD1/ST1 of a single element: `VLD1 (R), V.T[i]`, `VST1.P V.T[i], 8(R)`. */
  private vldstLane(p: Prog, d: OpDef, sfx: string, v: { n: number; arrangement: string; index?: number }, m: MemRef): void {
    if (d.op2 !== 1) this.badCombo(p);
    const i = v.index!;
    let opcode: number;
    let qss: number; // Q:S:size packed as bit 3, 2, 1..0
    let esize: number;
    switch (v.arrangement) {
      case 'B': if (i > 15) this.badCombo(p); opcode = 0; qss = i; esize = 1; break;
      case 'H': if (i > 7) this.badCombo(p); opcode = 2; qss = i << 1; esize = 2; break;
      case 'S': if (i > 3) this.badCombo(p); opcode = 4; qss = i << 2; esize = 4; break;
      case 'D': if (i > 1) this.badCombo(p); opcode = 4; qss = (i << 3) | 1; esize = 8; break;
      default: this.badCombo(p);
    }
    const w = (d.op | 0x01000000) | (((qss >> 3) & 1) << 30) | (opcode << 13) | (((qss >> 2) & 1) << 12) | ((qss & 3) << 10) | v.n;
    this.e.emit(w | this.structAddr(p, m, sfx, esize, false));
  }

  /**
   * The address bits of a vector structure load or store: (Rn), and with .P a
   * post-increment by Rm or by the bytes moved (`step`), which Go also lets
   * `(Rn)` stand for in the multiple-structure forms (`implicit`).
   */
  private structAddr(p: Prog, m: MemRef, sfx: string, step: number, implicit: boolean): number {
    const rn = r5(this.gprNamed(m.base === 'SP' ? 'RSP' : m.base ?? '', p, true));
    if (sfx !== 'P') {
      if (sfx !== '') this.fail(`unknown suffix .${sfx}`);
      if (m.offset !== 0 || m.index) this.fail(`${p.op} takes no offset: use (Rn)`);
      return rn << 5;
    }
    if (m.index) {
      if (m.offset !== 0 || m.scale > 1) this.badCombo(p);
      const rm = this.gprNamed(m.index, p);
      // Rm = 31 encodes the immediate form.
      if (rm === REG_ZR) this.badCombo(p);
      return (1 << 23) | (r5(rm) << 16) | (rn << 5);
    }
    if (m.offset !== step && !(implicit && m.offset === 0)) this.fail(`invalid post-increment offset ${m.offset}: ${p.op} needs ${step}`);
    return (1 << 23) | (31 << 16) | (rn << 5);
  }

  /** Checks a list of consecutive vector registers with one arrangement (left in vArr); returns the first's number. */
  private vlist(p: Prog, regs: readonly string[]): number {
    const first = this.vreg({ kind: 'reg', reg: regs[0]! }, p);
    const arr = this.vArr;
    for (let i = 1; i < regs.length; i++) {
      if (this.vreg({ kind: 'reg', reg: regs[i]! }, p, arr) !== ((first + i) & 31)) this.fail(`${p.op}: registers in the list must be consecutive`);
    }
    return first;
  }

  private vldst(p: Prog, d: OpDef, sfx: string): void {
    const a = p.args;
    if (a.length !== 2) this.badCombo(p);
    {
      const isLoad = (d.op & 0x00400000) !== 0;
      const lane = isLoad ? a[1]! : a[0]!;
      const mem = isLoad ? a[0]! : a[1]!;
      if (lane.kind === 'reg' && mem.kind === 'mem' && mem.mem.name === 'none') {
        const v = parseVecReg(lane.reg);
        if (v && v.index !== undefined) return this.vldstLane(p, d, sfx, v, mem.mem);
      }
    }
    const isLoad = (d.op & 0x00400000) !== 0;
    const listOp = isLoad ? a[1]! : a[0]!;
    const memOp = isLoad ? a[0]! : a[1]!;
    if (memOp.kind !== 'mem' || memOp.mem.name !== 'none') this.badCombo(p);
    let regs: string[];
    if (listOp.kind === 'reglist') regs = listOp.regs;
    else if (listOp.kind === 'reg') regs = [listOp.reg];
    else this.badCombo(p);
    const count = regs.length;
    if (count < 1 || count > 4 || (d.op2! > 1 && count !== d.op2)) this.fail(`${p.op} needs ${d.op2! > 1 ? d.op2 : '1 to 4'} registers`);
    const first = this.vlist(p, regs);
    const arr = this.vArr;
    const q = ARR_Q.get(arr);
    const size = ARR_SIZE.get(arr);
    if (q === undefined || size === undefined || (arr === 'D1' && d.op2! > 1)) this.fail(`invalid arrangement ${arr} for ${p.op}`);
    const opcode = d.op2 === 1 ? LD1_OPCODE[count]! : LDN_OPCODE[count]!;
    const w = d.op | (q << 30) | (opcode << 12) | (size << 10) | first;
    this.e.emit(w | this.structAddr(p, memOp.mem, sfx, count * (q ? 16 : 8), true));
  }

  /** op Rm, [Rn,] Rd with Rn defaulting to Rd: the three 5-bit fields, in one word. */
  private rrr(p: Prog): number {
    const a = p.args;
    if (a.length === 3) return (r5(this.gpr(a[0], p)) << 16) | (r5(this.gpr(a[1], p)) << 5) | r5(this.gpr(a[2], p));
    if (a.length === 2) {
      const rd = r5(this.gpr(a[1], p));
      return (r5(this.gpr(a[0], p)) << 16) | (rd << 5) | rd;
    }
    this.badCombo(p);
  }

  private bfm(op: number, r: number, s: number, rn: number, rd: number): number {
    const bits = op & 0x80000000 ? 64 : 32;
    if (r < 0 || r >= bits || s < 0 || s >= bits) this.fail('illegal bit number');
    return op | ((r & 0x3f) << 16) | ((s & 0x3f) << 10) | (rn << 5) | rd;
  }

  /** `(Rn)` with zero offset, as exclusive and atomic ops need. Returns the 5-bit field. */
  private zeroOffBase(o: Operand | undefined, p: Prog): number {
    return r5(this.zeroOffBaseCode(o, p));
  }

  private zeroOffBaseCode(o: Operand | undefined, p: Prog): number {
    if (!o || o.kind !== 'mem' || o.mem.index) this.badCombo(p);
    this.memOff(o.mem);
    const base = this.mBase;
    const off = this.mOff;
    if (off !== 0) this.fail(`${p.op} takes no offset: use (Rn)`);
    return base;
  }

  /* ---------------------------------------------------------------- branches */

  private branchTo(o: Operand | undefined, p: Prog, kind: Fixup['kind']): void {
    if (!o || o.kind !== 'branch') this.badCombo(p);
    let target: number;
    if (o.pcrel !== undefined) target = this.e.progIndex + o.pcrel;
    else if (o.label !== undefined) {
      const t = this.e.labels.get(o.label);
      if (t === undefined) {
        const msg = undefinedLabelMessage(o.label);
        this.e.error(msg, p.argPos[p.args.indexOf(o)] ?? p.pos);
        throw new Bad(msg);
      }
      target = t;
    } else this.fail(`${p.op} needs a label target`);
    this.e.fixups.push({ word: this.e.n, kind, target, from: this.e.start, pos: p.pos });
  }

  private branch(p: Prog, d: OpDef): void {
    const a = p.args;
    if (a.length === 2 && d.f === F.Bl) {
      // `BL R1, (R2)`-style: Go accepts and ignores the first register.
      return this.branch(progWith(p, p.op, [a[1]!]), d);
    }
    if (a.length !== 1) this.badCombo(p);
    const o = a[0]!;
    if (o.kind === 'branch' && o.sym !== undefined) {
      this.e.relocs.push({ off: this.e.n * 4, size: 4, type: 'R_CALLARM64', sym: o.sym, add: o.offset ?? 0, line: p.pos.line });
      return this.e.emit(d.op);
    }
    if (o.kind === 'branch') {
      this.branchTo(o, p, 'b26');
      return this.e.emit(d.op);
    }
    let r = regOf(o);
    if (o.kind === 'mem' && o.mem.name === 'none' && o.mem.offset === 0 && !o.mem.index) r = regCode(o.mem.base ?? '');
    else if (o.kind === 'mem' && (o.mem.name === 'extern' || o.mem.name === 'static') && o.mem.sym) {
      this.e.relocs.push({ off: this.e.n * 4, size: 4, type: 'R_CALLARM64', sym: o.mem.sym, add: o.mem.offset, line: p.pos.line });
      return this.e.emit(d.op);
    }
    if (!isGprCode(r) || r === REG_RSP) this.badCombo(p);
    if (d.f === F.Bl) this.e.relocs.push({ off: this.e.n * 4, size: 0, type: 'R_CALLIND', sym: '', add: 0, line: p.pos.line });
    return this.e.emit(d.op2! | (r5(r) << 5));
  }

  /* ------------------------------------------------------------- arithmetic */

  private addsub(p: Prog, d0: OpDef): void {
    const a = p.args;
    let d = d0;
    let src: Operand;
    let rn: number;
    let rd: number;
    if (d.cmp) {
      if (a.length !== 2) this.badCombo(p);
      src = a[0]!;
      rn = this.gpr(a[1], p, true);
      rd = REG_ZR;
    } else if (a.length === 3) {
      src = a[0]!;
      rn = this.gpr(a[1], p, true);
      rd = this.gpr(a[2], p, true);
    } else if (a.length === 2) {
      src = a[0]!;
      rd = this.gpr(a[1], p, true);
      rn = rd;
    } else this.badCombo(p);
    const w = !!d.w;
    const sp = rn === REG_RSP || rd === REG_RSP;
    if (rd === REG_RSP && d.s) this.fail(`illegal destination register RSP in ${p.op}`);

    if (src.kind === 'imm' && src.value !== 0n) {
      let v = src.value;
      // Negative immediates become the complementary operation (Go's progedit:
      // ADD, SUB, CMP and CMN only; ADDS and SUBS keep theirs).
      if (v < 0n && d.comp !== undefined) {
        split(v, K);
        const min = w ? K.lo === 0x80000000 : K.hi === 0x80000000 && K.lo === 0;
        if (!min) {
          v = -v;
          d = optab().get(d.comp!)!;
        }
      }
      split(v, K);
      if (w) K.hi = 0;
      const hi = K.hi;
      const lo = K.lo;
      let cls = w ? conClass32HL(lo) : conClassPlainHL(hi, lo);
      if (d.s && cls === CC.ADDCON2) cls = CC.LCON;
      if (!w && (cls === CC.LCON || cls === CC.VCON)) cls = con64HL(hi, lo);
      if (isAddClass(cls)) return this.e.emit(this.addImm(d.op, lo, r5(rn), r5(rd)));
      // The constant is built in REGTMP, which must not also be the source.
      if (rn === REGTMP) this.fail(`cannot use REGTMP as source: ${p.op}`);
      if (isMovClass(cls) || isBitClass(cls)) {
        // MOVCON/BITCON rows: materialise in REGTMP with one instruction.
        this.e.emit(this.movConst(w, hi, lo, cls, REGTMP));
        return this.addRegTmp(d, w, rn, rd);
      }
      if (cls === CC.ADDCON2) {
        this.e.emit(this.addImm(d.op, lo & 0xfff, r5(rn), r5(rd)));
        return this.e.emit(this.addImm(d.op, lo & 0xfff000, r5(rd), r5(rd)));
      }
      this.movLong(w, hi, lo, REGTMP);
      // Go's long-constant form (case 13) uses the extended form only when Rd is a real RSP.
      if (!d.cmp && sp) return this.e.emit(d.op3! | (REGTMP << 16) | (w ? LSL0_32 : LSL0_64) | (r5(rn) << 5) | r5(rd));
      return this.e.emit(d.op2! | (REGTMP << 16) | (r5(rn) << 5) | r5(rd));
    }
    if (src.kind === 'imm' || src.kind === 'reg') {
      const rm = this.gpr(src, p, false);
      if (sp) {
        // Go's sorted table tries the register rows before the immediate
        // ones, so `$0`/ZR with RSP is the extended-register form with XZR.
        return this.e.emit(d.op3! | (r5(rm) << 16) | (w ? LSL0_32 : LSL0_64) | (r5(rn) << 5) | r5(rd));
      }
      return this.e.emit(d.op2! | (r5(rm) << 16) | (r5(rn) << 5) | r5(rd));
    }
    if (src.kind === 'shift') {
      const rm = this.gprNamed(src.reg, p);
      if (sp) {
        if (src.op !== '<<') this.fail(`illegal combination: shift ${src.op} with RSP`);
        if (src.amount > 4) this.fail(`shift amount out of range 0 to 4: ${src.amount}`);
        return this.e.emit(d.op3! | (r5(rm) << 16) | ((w ? 2 : 3) << 13) | (src.amount << 10) | (r5(rn) << 5) | r5(rd));
      }
      if (src.op === '@>') this.fail(`unsupported shift operator @> in ${p.op}`);
      if (w && src.amount >= 32) this.fail(`shift amount out of range 0 to 31: ${src.amount}`);
      return this.e.emit(d.op2! | shiftType(src.op) << 22 | (r5(rm) << 16) | (src.amount << 10) | (r5(rn) << 5) | r5(rd));
    }
    if (src.kind === 'ext') {
      const rm = this.gprNamed(src.reg, p);
      const opt = EXT_OPTS.get(src.ext);
      if (opt === undefined) this.badCombo(p);
      if (src.amount > 4 || src.amount < 0) this.fail(`shift amount out of range 0 to 4: ${src.amount}`);
      return this.e.emit(d.op3! | (r5(rm) << 16) | (opt << 13) | (src.amount << 10) | (r5(rn) << 5) | r5(rd));
    }
    this.badCombo(p);
  }

  /** op REGTMP, Rn, Rd after a constant was built in REGTMP (Go's case 62). */
  private addRegTmp(d: OpDef, w: boolean, rn: number, rd: number): void {
    if (rn === REG_RSP || rd === REG_RSP) return this.e.emit(d.op3! | (REGTMP << 16) | (w ? LSL0_32 : LSL0_64) | (r5(rn) << 5) | r5(rd));
    return this.e.emit(d.op2! | (REGTMP << 16) | (r5(rn) << 5) | r5(rd));
  }

  private addImm(op: number, v: number, rn: number, rd: number): number {
    let w = op;
    if ((v & 0xfff000) !== 0) {
      v >>>= 12;
      w |= 1 << 22;
    }
    return w | ((v & 0xfff) << 10) | (rn << 5) | rd;
  }

  /** One instruction loading a MOVCON or BITCON constant (Go's omovconst). */
  private movConst(w: boolean, hi: number, lo: number, cls: CC, rt: number): number {
    if (w) hi = 0;
    if ((cls === CC.BITCON || cls === CC.ABCON || cls === CC.ABCON0) && rt !== REG_ZR) {
      return (w ? 0x32000000 : 0xb2000000) | (logicalImmHL(hi, lo, w ? 32 : 64) << 10) | (31 << 5) | r5(rt);
    }
    const width = w ? 32 : 64;
    let s = movconHL(hi, lo);
    let op = w ? 0x52800000 : 0xd2800000; // MOVZ
    if (s < 0 || 16 * s >= width) {
      hi = w ? 0 : ~hi >>> 0;
      lo = ~lo >>> 0;
      s = movconHL(hi, lo);
      if (s < 0 || 16 * s >= width) this.fail(`impossible ${width}-bit move wide: 0x${(w ? ~lo >>> 0 : (~lo >>> 0)).toString(16)}`);
      op = w ? 0x12800000 : 0x92800000; // MOVN
    }
    return op | (s << 21) | (halfword(hi, lo, s) << 5) | r5(rt);
  }

  /** MOVZ/MOVN + MOVKs for a long constant (Go's omovlconst). */
  private movLong(w: boolean, hi: number, lo: number, rt: number): void {
    const rd = r5(rt);
    if (w) {
      this.e.emit(0x52800000 | ((lo & 0xffff) << 5) | rd);
      this.e.emit(0x72800000 | (1 << 21) | ((lo >>> 16) << 5) | rd);
      return;
    }
    let zero = 0;
    let neg = 0;
    for (let i = 0; i < 4; i++) {
      const q = halfword(hi, lo, i);
      if (q === 0) zero++;
      else if (q === 0xffff) neg++;
    }
    if (zero === 4 || neg === 4) this.fail('the immediate should be MOVCON');
    // Go skips the halfwords that MOVZ (zeros) or MOVN (ones) already
    // provides, preferring zeros when there are at least as many of them.
    const mode = zero > 0 && zero >= neg ? 0 : neg > 0 ? 1 : 2;
    let first = true;
    for (let i = 0; i < 4; i++) {
      const q = halfword(hi, lo, i);
      if ((mode === 0 && q === 0) || (mode === 1 && q === 0xffff)) continue;
      if (first) {
        if (mode === 1) this.e.emit(0x92800000 | (i << 21) | ((~q & 0xffff) << 5) | rd);
        else this.e.emit(0xd2800000 | (i << 21) | (q << 5) | rd);
        first = false;
      } else this.e.emit(0xf2800000 | (i << 21) | (q << 5) | rd);
    }
  }

  private logic(p: Prog, d: OpDef): void {
    const a = p.args;
    let src: Operand;
    let rn: number;
    let rd: number;
    if (d.cmp) {
      if (a.length !== 2) this.badCombo(p);
      src = a[0]!;
      rn = this.gpr(a[1], p);
      rd = REG_ZR;
    } else if (a.length === 3) {
      src = a[0]!;
      rn = this.gpr(a[1], p, true);
      rd = this.gpr(a[2], p, true);
    } else if (a.length === 2) {
      src = a[0]!;
      rd = this.gpr(a[1], p, true);
      rn = rd;
    } else this.badCombo(p);
    const w = !!d.w;
    if (src.kind === 'imm' && src.value !== 0n) {
      split(src.value, K);
      if (w) K.hi = 0;
      const hi = K.hi;
      const lo = K.lo;
      let cls = w ? conClass32HL(lo) : conClassPlainHL(hi, lo);
      if (!w && (cls === CC.LCON || cls === CC.VCON)) cls = con64HL(hi, lo);
      // Bitmask immediate directly (Go's case 53): Rd may be RSP (not for the
      // flag-setting forms), Rd may be ZR only for the flag-setting forms.
      const rdOk = d.s ? rd !== REG_RSP : rd !== REG_ZR;
      if (isBitClass(cls) && rdOk && rn !== REG_RSP) {
        const enc = d.inv ? logicalImmHL(w ? 0 : ~hi >>> 0, ~lo >>> 0, w ? 32 : 64) : logicalImmHL(hi, lo, w ? 32 : 64);
        return this.e.emit(d.op2! | (enc << 10) | (r5(rn) << 5) | r5(rd));
      }
      if (rd === REG_RSP) this.fail(`cannot encode $0x${hex64(hi, lo)} as a logical immediate (needed with destination RSP)`);
      if (rn === REG_RSP) this.fail(`illegal use of RSP in ${p.op}`);
      if (rn === REGTMP) this.fail(`cannot use REGTMP as source: ${p.op}`);
      if (isMovClass(cls) || isBitClass(cls)) this.e.emit(this.movConst(w, hi, lo, cls, REGTMP));
      else this.movLong(w, hi, lo, REGTMP);
      return this.e.emit(d.op | (REGTMP << 16) | (r5(rn) << 5) | r5(rd));
    }
    if (rn === REG_RSP || rd === REG_RSP) this.fail(`illegal use of RSP in ${p.op}`);
    if (src.kind === 'imm' || src.kind === 'reg') {
      const rm = this.gpr(src, p);
      return this.e.emit(d.op | (r5(rm) << 16) | (r5(rn) << 5) | r5(rd));
    }
    if (src.kind === 'shift') {
      const rm = this.gprNamed(src.reg, p);
      if (w && src.amount >= 32) this.fail(`shift amount out of range 0 to 31: ${src.amount}`);
      return this.e.emit(d.op | (shiftType(src.op) << 22) | (r5(rm) << 16) | (src.amount << 10) | (r5(rn) << 5) | r5(rd));
    }
    this.badCombo(p);
  }

  private mvn(p: Prog, d: OpDef): void {
    const a = p.args;
    if (a.length !== 2) this.badCombo(p);
    const rd = r5(this.gpr(a[1], p));
    const src = a[0]!;
    if (src.kind === 'shift') {
      const max = d.op & 0x80000000 ? 63 : 31;
      if (src.amount < 0 || src.amount > max) this.fail(`shift amount out of range 0 to ${max}: ${src.amount}`);
      const rm = this.gprNamed(src.reg, p);
      return this.e.emit(d.op | (shiftType(src.op) << 22) | (r5(rm) << 16) | (src.amount << 10) | (31 << 5) | rd);
    }
    return this.e.emit(d.op | (r5(this.gpr(src, p)) << 16) | (31 << 5) | rd);
  }

  private neg(p: Prog, d: OpDef): void {
    const a = p.args;
    // Go has no one-operand NEG R: it must name source and destination.
    if (a.length !== 2) this.badCombo(p);
    const rd = r5(this.gpr(a[1], p));
    const src = a[0]!;
    if (src.kind === 'shift') {
      if (src.op === '@>') this.fail('unsupported shift operator @>');
      const max = d.op & 0x80000000 ? 63 : 31;
      if (src.amount < 0 || src.amount > max) this.fail(`shift amount out of range 0 to ${max}: ${src.amount}`);
      const rm = this.gprNamed(src.reg, p);
      return this.e.emit(d.op | (shiftType(src.op) << 22) | (r5(rm) << 16) | (src.amount << 10) | (31 << 5) | rd);
    }
    return this.e.emit(d.op | (r5(this.gpr(src, p)) << 16) | (31 << 5) | rd);
  }

  private shift(p: Prog, d: OpDef): void {
    const a = p.args;
    let rn: number;
    let rd: number;
    if (a.length === 3) {
      rn = r5(this.gpr(a[1], p));
      rd = r5(this.gpr(a[2], p));
    } else if (a.length === 2) {
      rd = r5(this.gpr(a[1], p));
      rn = rd;
    } else this.badCombo(p);
    const src = a[0]!;
    const w = !!d.w;
    if (src.kind === 'imm') {
      const v = src.value < 0n || src.value > 1000n ? -1 : Number(src.value);
      const bits = w ? 32 : 64;
      if (v < 0 || v >= bits) this.fail(`shift amount out of range 0 to ${bits - 1}: ${v}`);
      const sbfm = w ? 0x13000000 : 0x93400000;
      const ubfm = w ? 0x53000000 : 0xd3400000;
      switch (d.op2) {
        case 0: return this.e.emit(this.bfm(ubfm, (bits - v) & (bits - 1), bits - 1 - v, rn, rd));
        case 1: return this.e.emit(this.bfm(ubfm, v, bits - 1, rn, rd));
        case 2: return this.e.emit(this.bfm(sbfm, v, bits - 1, rn, rd));
        default: // ROR = EXTR Rn, Rn, #v
          return this.e.emit((w ? 0x13800000 : 0x93c00000) | (rn << 16) | (v << 10) | (rn << 5) | rd);
      }
    }
    return this.e.emit(d.op | (r5(this.gpr(src, p)) << 16) | (rn << 5) | rd);
  }

  private movwide(p: Prog, d: OpDef): void {
    const a = p.args;
    if (a.length !== 2) this.badCombo(p);
    split(this.imm(a[0], p), K);
    const rd = r5(this.gpr(a[1], p));
    if (K.hi === 0 && K.lo === 0) return this.e.emit(d.op | rd);
    const s = movconHL(K.hi, K.lo);
    if (s < 0) this.fail(`bad constant for ${p.op}: 0x${hex64(K.hi, K.lo)}`);
    if (d.w && s >= 2) this.fail('illegal bit position');
    return this.e.emit(d.op | (s << 21) | (halfword(K.hi, K.lo, s) << 5) | rd);
  }

  /* ---------------------------------------------------------------- moves */

  private mov(p: Prog, d: OpDef, sfx: string): void {
    const a = p.args;
    if (a.length !== 2) this.badCombo(p);
    const src = a[0]!;
    const dst = a[1]!;
    if (sfx !== '' && sfx !== 'P' && sfx !== 'W') this.fail(`unknown suffix .${sfx}`);
    if (dst.kind === 'mem') {
      const rt = this.gpr(src, p, false);
      return this.store(p, d, r5(rt), dst.mem, sfx, false);
    }
    if (src.kind === 'mem') {
      const rt = this.gpr(dst, p, false);
      return this.load(p, d, r5(rt), src.mem, sfx, false);
    }
    if (sfx !== '') this.badCombo(p);
    // `MOVD NZCV, R0` / `MOVD R0, FPSR`: Go's spelling of MRS and MSR.
    if (p.op === 'MOVD' && (src.kind === 'special' || dst.kind === 'special')) {
      const toSys = dst.kind === 'special';
      const sr = this.sysReg(toSys ? dst : src, p, toSys ? 'write' : 'read');
      const rt = r5(this.gpr(toSys ? src : dst, p));
      return this.e.emit(0xd5000000 | (toSys ? 0 : 1 << 21) | sr | rt);
    }
    const rd = this.gpr(dst, p, true);
    if (src.kind === 'imm' && src.value !== 0n) return this.movImm(p, src.value, rd);
    if (src.kind === 'addr') return this.movAddr(p, src.mem, rd);
    const rs = this.gpr(src, p, true);
    switch (p.op) {
      case 'MOVD': {
        // Go matches ZR (and $0) against its MOVCON row first: MOVZ Rd, #0.
        if (rs === REG_ZR) {
          if (rd === REG_RSP) this.badCombo(p);
          return this.e.emit(0xd2800000 | r5(rd));
        }
        if (rs === REG_RSP || rd === REG_RSP) return this.e.emit(0x91000000 | (r5(rs) << 5) | r5(rd));
        return this.e.emit(0xaa000000 | (r5(rs) << 16) | (31 << 5) | r5(rd));
      }
      default: {
        if (rd === REG_RSP || rs === REG_RSP) this.fail(`illegal use of RSP in ${p.op}`);
        // Go moves ZR with MOVWU (ORR Wd, WZR, WZR) whatever the width.
        if (rs === REG_ZR || p.op === 'MOVWU') return this.e.emit(0x2a000000 | (r5(rs) << 16) | (31 << 5) | r5(rd));
        const ext = MOV_EXT.get(p.op)!;
        return this.e.emit(ext | (r5(rs) << 5) | r5(rd));
      }
    }
  }

  private movImm(p: Prog, value: bigint, rd: number): void {
    const w = p.op === 'MOVW';
    if (p.op !== 'MOVD' && !w) this.badCombo(p);
    split(value, K);
    if (w) K.hi = 0;
    const hi = K.hi;
    const lo = K.lo;
    let cls = w ? conClass32HL(lo) : conClassPlainHL(hi, lo);
    if (!w && (cls === CC.LCON || cls === CC.VCON)) cls = con64HL(hi, lo);
    if (rd === REG_RSP && !isBitClass(cls)) this.fail(`cannot encode $0x${hex64(hi, lo)} as a logical immediate (needed with destination RSP)`);
    if (isMovClass(cls) || isBitClass(cls)) return this.e.emit(this.movConst(w, hi, lo, cls, rd));
    return this.movLong(w, hi, lo, rd);
  }

  /** `MOVD $sym(SB), R`, `MOVD $off(R), R`, `MOVD $x-8(SP), R`. */
  private movAddr(p: Prog, m: MemRef, rd: number): void {
    if (m.name === 'extern' || m.name === 'static') {
      if (!m.sym) this.badCombo(p);
      if (p.op !== 'MOVD') this.fail(`invalid load of 32-bit address: ${p.op}`);
      this.e.relocs.push({ off: this.e.n * 4, size: 8, type: 'R_ADDRARM64', sym: m.sym, add: m.offset, line: p.pos.line });
      this.e.emit(0x90000000 | r5(rd));
      return this.e.emit(0x91000000 | (r5(rd) << 5) | r5(rd));
    }
    if (m.index) this.badCombo(p);
    this.memOff(m);
    const base = this.mBase;
    const off = this.mOff;
    if (p.op !== 'MOVD' && p.op !== 'MOVW') this.badCombo(p);
    const add = 0x91000000;
    const sub = 0xd1000000;
    if (isAddcon(off) || isAddcon(-off)) {
      // Go's case 4: one ADD/SUB of a 12-bit (optionally shifted) immediate.
      const op = off < 0 ? sub : add;
      return this.e.emit(this.addImm(op, Math.abs(off), r5(base), r5(rd)));
    }
    if (off >= 0 && off <= 0xffffff) {
      this.e.emit(this.addImm(add, off & 0xfff000, r5(base), r5(rd)));
      return this.e.emit(this.addImm(add, off & 0xfff, r5(rd), r5(rd)));
    }
    // Go's case 34: the offset from the literal pool into REGTMP, then ADD (extended).
    this.literal(BigInt(off), true, 0x58000000, REGTMP);
    return this.e.emit(0x8b200000 | (REGTMP << 16) | LSL0_64 | (r5(base) << 5) | r5(rd));
  }

  /** Index of the pool entry holding value (Go shares equal values whatever their size). */
  private poolEntry(value: bigint, dword: boolean): number {
    const pool = this.e.pool;
    for (let i = 0; i < pool.length; i++) if (pool[i]!.value === value) return i;
    pool.push({ value, dword });
    return pool.length - 1;
  }

  /** LDR (literal) of a pool entry into rt. `op` is the literal-load opcode. */
  private literal(value: bigint, dword: boolean, op: number, rt: number): void {
    this.literalLoad(this.poolEntry(value, dword), op, rt);
  }

  private literalLoad(idx: number, op: number, rt: number): void {
    const ent = this.e.pool[idx]!;
    // The opcode depends on the entry's size: a 64-bit entry loads X, a
    // 32-bit one zero- or sign-extends.
    let o = op;
    if (op === 0x58000000 || op === 0x18000000 || op === 0x98000000) {
      o = ent.dword ? 0x58000000 : ent.value < 0n ? 0x98000000 : 0x18000000;
    }
    this.e.fixups.push({ word: this.e.n, kind: 'lit19', target: idx, from: this.e.start, pos: this.e.pos });
    this.e.emit(o | r5(rt));
  }

  private load(p: Prog, d: OpDef, rt: number, m: MemRef, sfx: string, fp: boolean): void {
    const size = d.size!;
    const ldr = d.op;
    if (m.name === 'extern' || m.name === 'static') {
      if (sfx !== '') this.badCombo(p);
      if (!m.sym) this.badCombo(p);
      if (this.e.tls?.has(m.sym)) {
        // Local-exec TLS, as Go: `MOVZ Rd, #0` whose imm16 the linker sets to
        // the symbol's offset from the thread pointer (R_TLS_LE, 4 bytes).
        if (p.op !== 'MOVD') this.badCombo(p);
        if (m.offset !== 0) this.fail('invalid offset on a TLS variable');
        this.e.relocs.push({ off: this.e.n * 4, size: 4, type: 'R_TLS_LE', sym: m.sym, add: 0, line: p.pos.line });
        return this.e.emit(0xd2800000 | rt);
      }
      if (m.gotRef) {
        if (p.op !== 'MOVD') this.badCombo(p);
        this.e.relocs.push({ off: this.e.n * 4, size: 8, type: 'R_ARM64_GOTPCREL', sym: m.sym, add: 0, line: p.pos.line });
        this.e.emit(0x90000000 | REGTMP);
        return this.e.emit(0xf9400000 | (REGTMP << 5) | rt);
      }
      this.symPair(m, p);
      return this.e.emit(ldr | (REGTMP << 5) | rt);
    }
    if (m.index) return this.regOffset(p, ldr, size, rt, m, fp);
    this.memOff(m);
    const base = this.mBase;
    const off = this.mOff;
    if (sfx !== '') {
      if (m.name !== 'none') this.fail(`${p.op} needs a register base`);
      if (base !== REG_RSP && r5(base) === rt && !fp) this.fail(`constrained unpredictable behavior: ${p.op} with base = destination`);
      if (off < -256 || off > 255) this.fail(`offset out of range [-256,255]: ${off}`);
      return this.e.emit(unscaled(ldr) | ((off & 0x1ff) << 12) | ((sfx === 'P' ? 1 : 3) << 10) | (r5(base) << 5) | rt);
    }
    return this.ldst(p, ldr, size, rt, base, off, true, fp);
  }

  private store(p: Prog, d: OpDef, rt: number, m: MemRef, sfx: string, fp: boolean): void {
    const size = d.size!;
    const str = d.op2!;
    if (m.name === 'extern' || m.name === 'static') {
      if (sfx !== '' || !m.sym || m.gotRef) this.badCombo(p);
      if (rt === REGTMP && !fp) this.fail(`cannot use REGTMP as source: ${p.op}`);
      this.symPair(m, p);
      return this.e.emit(str | (REGTMP << 5) | rt);
    }
    if (m.index) return this.regOffset(p, str, size, rt, m, fp);
    this.memOff(m);
    const base = this.mBase;
    const off = this.mOff;
    if (sfx !== '') {
      if (m.name !== 'none') this.fail(`${p.op} needs a register base`);
      if (base !== REG_RSP && r5(base) === rt && !fp) this.fail(`constrained unpredictable behavior: ${p.op} with base = source`);
      if (off < -256 || off > 255) this.fail(`offset out of range [-256,255]: ${off}`);
      return this.e.emit(unscaled(str) | ((off & 0x1ff) << 12) | ((sfx === 'P' ? 1 : 3) << 10) | (r5(base) << 5) | rt);
    }
    return this.ldst(p, str, size, rt, base, off, false, fp);
  }

  /** ADRP REGTMP + ADD REGTMP with an R_ADDRARM64 relocation (Go's cases 64/65). */
  private symPair(m: MemRef, p: Prog): void {
    this.e.relocs.push({ off: this.e.n * 4, size: 8, type: 'R_ADDRARM64', sym: m.sym!, add: m.offset, line: p.pos.line });
    this.e.emit(0x90000000 | REGTMP);
    this.e.emit(0x91000000 | (REGTMP << 5) | REGTMP);
  }

  /** Register-relative load or store with Go's choice of form. */
  private ldst(p: Prog, op: number, size: number, rt: number, base: number, off: number, isLoad: boolean, fp: boolean): void {
    const b = r5(base);
    if (off >= 0 && off % size === 0 && off / size <= 0xfff) {
      return this.e.emit(op | ((off / size) << 10) | (b << 5) | rt);
    }
    if (off >= -256 && off <= 255) {
      return this.e.emit(unscaled(op) | ((off & 0x1ff) << 12) | (b << 5) | rt);
    }
    // Long offset. Go's table row for it always puts the offset in the
    // literal pool, even when the ADD form below ends up not loading it.
    if (off < -0x80000000 || off > 0xffffffff) this.fail(`offset ${off} out of range`);
    const v = BigInt(off);
    const dword = v !== BigInt.asIntN(32, v) || v !== BigInt.asUintN(32, v);
    const ent = this.poolEntry(v, dword);
    // ADD the high part into REGTMP when the offset is a positive multiple of
    // the size whose high part fits ADD's shifted immediate.
    const s = Math.log2(size);
    if (off >= 0 && off % size === 0 && off <= 0x7fffffff) {
      const lo = off & (0xfff << s);
      const hi = off - lo;
      if ((hi & ~0xfff000) === 0) {
        this.e.emit(this.addImm(0x91000000, hi, b, REGTMP));
        return this.e.emit(op | ((lo >> s) << 10) | (REGTMP << 5) | rt);
      }
    }
    if (b === REGTMP || (rt === REGTMP && !fp)) this.fail(`REGTMP used in large offset ${isLoad ? 'load' : 'store'}: ${p.op}`);
    this.literalLoad(ent, 0x18000000, REGTMP);
    // Register-offset form: (Rn)(REGTMP), no shift.
    return this.e.emit(regOffsetOp(op) | (REGTMP << 16) | (3 << 13) | (b << 5) | rt);
  }

  private regOffset(p: Prog, op: number, size: number, rt: number, m: MemRef, _fp: boolean): void {
    if (m.name !== 'none' || m.offset !== 0) this.fail('register offset with displacement is not supported');
    this.memOff(m);
    const base = this.mBase;
    const idx = m.index!;
    const dot = idx.indexOf('.');
    const scale = m.scale || 1;
    const amount = Math.log2(scale);
    const want = Math.log2(size);
    let opt: number;
    let S = 0;
    let rm: number;
    if (dot > 0) {
      rm = this.gprNamed(idx.slice(0, dot), p);
      const ext = EXT_OPTS.get(idx.slice(dot + 1));
      if (ext === undefined || (ext !== 2 && ext !== 3 && ext !== 6 && ext !== 7)) this.fail(`unsupported register extension ${idx.slice(dot + 1)}`);
      opt = ext;
      if (amount !== 0) {
        if (amount !== want) this.fail(`invalid index shift amount: ${p.op}`);
        S = 1;
      }
    } else {
      rm = this.gprNamed(idx, p);
      opt = 3;
      if (m.indexShift !== undefined || scale !== 1) {
        if (amount !== 0 && amount !== want) this.fail(`invalid index shift amount: ${p.op}`);
        S = m.indexShift !== undefined || amount !== 0 ? 1 : 0;
      }
    }
    return this.e.emit(regOffsetOp(op) | (r5(rm) << 16) | (opt << 13) | (S << 12) | (r5(base) << 5) | rt);
  }

  private fmov(p: Prog, d: OpDef, sfx: string): void {
    const a = p.args;
    if (a.length !== 2) this.badCombo(p);
    const src = a[0]!;
    const dst = a[1]!;
    if (dst.kind === 'mem') return this.store(p, d, this.fpr(src, p), dst.mem, sfx, true);
    if (src.kind === 'mem') return this.load(p, d, this.fpr(dst, p), src.mem, sfx, true);
    if (sfx !== '') this.badCombo(p);
    const dbl = p.op === 'FMOVD';
    if (p.op === 'FMOVQ') this.badCombo(p);
    if (src.kind === 'fimm' || (src.kind === 'imm' && src.value === 0n)) {
      const f = src.kind === 'fimm' ? src.value : 0;
      const fd = this.fpr(dst, p);
      const bitsZero = dbl ? Object.is(f, 0) : Object.is(Math.fround(f), 0);
      if (bitsZero) {
        // Go rewrites $0.0 to ZR: FMOV Fd, ZR (integer to float move).
        return this.e.emit((dbl ? 0x9e670000 : 0x1e270000) | (31 << 5) | fd);
      }
      const imm8 = fmovImm8(dbl ? f : Math.fround(f));
      // Go keeps imm8 = 0 (the value 2.0) out of the instruction too.
      if (imm8 > 0) return this.e.emit((dbl ? 0x1e601000 : 0x1e201000) | (imm8 << 13) | fd);
      // As Go: a load from a read-only symbol named after the value's bits.
      const sym = floatConstant(f, dbl, (this.e.constants ??= new Map()));
      return this.load(p, d, fd, { name: 'extern', sym, offset: 0, scale: 0 }, '', true);
    }
    const rs = regOf(src);
    const rd = regOf(dst);
    if (isFpr(rs) && isFpr(rd)) return this.e.emit((dbl ? 0x1e604000 : 0x1e204000) | ((rs & 31) << 5) | (rd & 31));
    if (isFpr(rs) && isGprCode(rd) && rd !== REG_RSP) return this.e.emit((dbl ? 0x9e660000 : 0x1e260000) | ((rs & 31) << 5) | r5(rd));
    if (isGprCode(rs) && rs !== REG_RSP && isFpr(rd)) return this.e.emit((dbl ? 0x9e670000 : 0x1e270000) | (r5(rs) << 5) | (rd & 31));
    this.badCombo(p);
  }

  /* ------------------------------------------------------------ LDP / STP */

  private ldpstp(p: Prog, d: OpDef, sfx: string): void {
    const a = p.args;
    if (a.length !== 2) this.badCombo(p);
    const isLoad = d.f === F.Ldp;
    const pairOp = isLoad ? a[1]! : a[0]!;
    const memOp = isLoad ? a[0]! : a[1]!;
    if (pairOp.kind !== 'regpair' || memOp.kind !== 'mem') this.badCombo(p);
    const fp = (d.op & 0x04000000) !== 0;
    const r1 = regCode(pairOp.regs[0]);
    const r2 = regCode(pairOp.regs[1]);
    if (!pairRegOk(r1, fp, isLoad) || !pairRegOk(r2, fp, isLoad)) this.fail(`invalid register pair in ${p.op}`);
    const rl = r1 & 31;
    const rh = r2 & 31;
    const m = memOp.mem;
    if (sfx !== '' && sfx !== 'P' && sfx !== 'W') this.fail(`unknown suffix .${sfx}`);
    const size = d.size!;
    const type = sfx === 'P' ? 1 : sfx === 'W' ? 3 : 2;
    if (m.name === 'extern' || m.name === 'static') {
      if (sfx !== '' || !m.sym) this.badCombo(p);
      this.symPair(m, p);
      return this.e.emit(d.op | (type << 23) | (rh << 10) | (REGTMP << 5) | rl);
    }
    if (m.index) this.badCombo(p);
    this.memOff(m);
    const base = this.mBase;
    const off = this.mOff;
    if (sfx !== '' && m.name !== 'none') this.fail(`${p.op} needs a register base`);
    if (isLoad && sfx !== '' && !fp && base !== REG_RSP && (r5(base) === rl || r5(base) === rh)) this.fail(`constrained unpredictable behavior: ${p.op}`);
    if (isLoad && rl === rh) this.fail(`constrained unpredictable behavior: ${p.op} with equal registers`);
    if (!isLoad && sfx !== '' && base !== REG_RSP && !fp && (r5(base) === rl || r5(base) === rh)) this.fail(`constrained unpredictable behavior: ${p.op}`);
    const lim = 64 * size;
    if (off >= -lim && off < lim && off % size === 0) {
      return this.e.emit(d.op | (type << 23) | (((off / size) & 0x7f) << 15) | (rh << 10) | (r5(base) << 5) | rl);
    }
    if (sfx !== '') this.fail(`invalid offset ${off} for ${p.op}: must be a multiple of ${size} in ${-lim}..${lim - size}`);
    if (!isLoad && (rl === REGTMP || rh === REGTMP) && !fp) this.fail(`cannot use REGTMP as source: ${p.op}`);
    if (off > -4096 && off < 4096) {
      // Go's cases 74/76: ADD/SUB the offset into REGTMP, then a zero-offset pair access.
      this.e.emit(off > 0 ? this.addImm(0x91000000, off, r5(base), REGTMP) : this.addImm(0xd1000000, -off, r5(base), REGTMP));
      return this.e.emit(d.op | (2 << 23) | (rh << 10) | (REGTMP << 5) | rl);
    }
    if (r5(base) === REGTMP) this.fail(`REGTMP used in large offset ${isLoad ? 'load' : 'store'}: ${p.op}`);
    const v = BigInt(off);
    const dword = v !== BigInt.asIntN(32, v) || v !== BigInt.asUintN(32, v);
    this.literal(v, dword, 0x18000000, REGTMP);
    this.e.emit(0x8b200000 | (REGTMP << 16) | LSL0_64 | (r5(base) << 5) | REGTMP);
    return this.e.emit(d.op | (2 << 23) | (rh << 10) | (REGTMP << 5) | rl);
  }
}

function pairRegOk(r: number, fp: boolean, isLoad: boolean): boolean {
  return fp ? isFpr(r) : isGprCode(r) && r !== REG_RSP && (isLoad ? r !== REG_ZR : true);
}

function hex64(hi: number, lo: number): string {
  return hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, '0');
}

function isAddcon(v: number): boolean {
  if (v < 0) return false;
  if ((v & 0xfff) === 0) v = v / 4096;
  return v <= 0xfff;
}

function shiftType(op: '<<' | '>>' | '->' | '@>'): number {
  switch (op) {
    case '<<': return 0;
    case '>>': return 1;
    case '->': return 2;
    default: return 3;
  }
}

const EXT_OPTS: ReadonlyMap<string, number> = new Map([
  ['UXTB', 0], ['UXTH', 1], ['UXTW', 2], ['UXTX', 3], ['SXTB', 4], ['SXTH', 5], ['SXTW', 6], ['SXTX', 7], ['LSL', 3],
]);

/** LD1/ST1 opcode by register count; LD2..4/ST2..4 opcode by structure count. */
const LD1_OPCODE: readonly number[] = [0, 7, 10, 6, 2];
const LDN_OPCODE: readonly number[] = [0, 0, 8, 4, 0];

const ARR_Q: ReadonlyMap<string, number> = new Map([['B8', 0], ['B16', 1], ['H4', 0], ['H8', 1], ['S2', 0], ['S4', 1], ['D1', 0], ['D2', 1]]);
const ARR_SIZE: ReadonlyMap<string, number> = new Map([['B8', 0], ['B16', 0], ['H4', 1], ['H8', 1], ['S2', 2], ['S4', 2], ['D1', 3], ['D2', 3]]);
const DUP_IMM5: ReadonlyMap<string, number> = new Map([['B8', 1], ['B16', 1], ['H4', 2], ['H8', 2], ['S2', 4], ['S4', 4], ['D2', 8]]);

/** Register-to-register MOVx: the extending bitfield move Go emits. */
const MOV_EXT: ReadonlyMap<string, number> = new Map([
  ['MOVB', 0x93401c00], ['MOVH', 0x93403c00], ['MOVW', 0x93407c00],
  ['MOVBU', 0xd3401c00], ['MOVHU', 0xd3403c00],
]);

/** Unsigned-offset load/store opcode → the 9-bit unscaled (LDUR/STUR) family. */
function unscaled(op: number): number {
  return (op & ~0x01000000) >>> 0;
}

/** Unsigned-offset load/store opcode → the register-offset form (bits 21 and 11 set). */
function regOffsetOp(op: number): number {
  return ((op & ~0x01000000) | 0x00200800) >>> 0;
}

