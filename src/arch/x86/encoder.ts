// Encodes one x86 instruction (not a branch to a label: the function-level
// assembler lays those out) into a ByteBuf, in 64-bit or 32-bit mode.
//
// The work per instruction: classify the operands once, walk the mnemonic's
// forms until one matches, then build prefixes, REX or VEX, opcode, ModRM, SIB,
// displacement and immediate. Memory operands that name a symbol become
// relocations: RIP-relative R_PCREL on amd64 (addend in Go's convention,
// relative to the end of the 4-byte field, so an immediate after the field
// subtracts its size), absolute R_ADDR on 386.

import type { DiagnosticSink, SourcePos } from '../../diag.js';
import type { MemRef, Operand, Prog } from '../../asm/prog.js';
import type { Reloc, RelocType } from '../../obj/reloc.js';
import type { OS } from '../../target.js';
import { ByteBuf } from './buf.js';
import { Cls, Mode, Role, type Form } from './forms.js';
import { lookupForms } from './table.js';
import { regInfo, type RegClass, type RegInfo } from './regs.js';
import './vex.js';
import './evex.js';
import { EVEX_NO_MASK, EVEX_ROUNDING, EVEX_SAE } from './evex-options.js';

/** Operand kinds after classification. */
const enum K {
  Reg,
  Imm,
  Mem,
  /** `$sym(SB)` used as a 32-bit immediate (386 only). */
  AddrImm,
  Branch,
  /** A register range of four ([Z0-Z3]); reg holds the first. */
  Regs4,
  Other,
}

const I32_MIN = -0x80000000;
const I32_MAX = 0x7fffffff;
const U32_MAX = 0xffffffff;

/** The symbol Go's linker resolves to the offset of the g slot from the thread pointer. */
export const TLS_SYMBOL = 'runtime.tlsg';

const SCALE_BITS: Record<number, number> = { 1: 0, 2: 1, 4: 2, 8: 3 };

/** AVX-512 static rounding suffixes → EVEX.L'L. */
const ROUNDING: Record<string, number> = { RN_SAE: 0, RD_SAE: 1, RU_SAE: 2, RZ_SAE: 3 };

export class X86Encoder {
  readonly mode64: boolean;
  readonly os: OS;
  // Per-instruction operand classification, reused across instructions.
  private kind: K[] = [K.Other, K.Other, K.Other, K.Other, K.Other];
  private reg: (RegInfo | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  private immN: number[] = [0, 0, 0, 0, 0];
  private immB: bigint[] = [0n, 0n, 0n, 0n, 0n];
  private mem: (MemRef | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  /** For a memory operand: the class of a vector index register ('x', 'y', 'z': VSIB), else ''. */
  private vsib: string[] = ['', '', '', '', ''];
  /** Number of the vector index register (VSIB), for the EVEX V' bit and the distinctness checks. */
  private vsibNum: number[] = [0, 0, 0, 0, 0];
  private nargs = 0;

  // Memory operand encoding scratch.
  private dispN = 1;
  private mMod = 0;
  private mRm = 0;
  private mSib = -1;
  private mDisp = 0;
  private mDispSize = 0;
  private mX = 0;
  private mB = 0;
  private mSeg = 0;
  private mRelType: RelocType | '' = '';
  private mRelSym = '';
  private mRelAdd = 0;
  /** Bit 4 of a VSIB index register (EVEX.V'). */
  private mV = 0;

  constructor(mode64: boolean, os: OS) {
    this.mode64 = mode64;
    this.os = os;
  }

  /** True when the mnemonic has table forms (used for "unknown instruction" checks). */
  static known(op: string): boolean {
    return lookupForms(op) !== undefined;
  }

  /**
   * Encodes p into buf, appending relocations with offsets relative to buf's
   * start. paramAdj/autoAdj are added to `name+off(FP)` and `name-off(SP)`
   * offsets (frame size, saved BP, return PC and current SP adjustment).
   * Returns false after reporting an error.
   */
  encode(p: Prog, op: string, args: readonly Operand[], buf: ByteBuf, relocs: Reloc[], diag: DiagnosticSink, paramAdj: number, autoAdj: number): boolean {
    let forms = lookupForms(op);
    this.zeroing = 0;
    this.bcst = 0;
    this.mask = 0;
    this.sae = 0;
    this.rc = -1;
    if (!forms && op.includes('.')) {
      // AVX-512 suffixes: VADDPD.BCST.Z → broadcast, zeroing-masking.
      const parts = op.split('.');
      forms = lookupForms(parts[0]);
      for (let i = 1; i < parts.length && forms; i++) {
        if (parts[i] === 'Z') this.zeroing = 1;
        else if (parts[i] === 'BCST') this.bcst = 1;
        else if (parts[i] === 'SAE') this.sae = 1;
        else if (ROUNDING[parts[i]] !== undefined) this.rc = ROUNDING[parts[i]];
        else {
          diag.error(p.pos, `instruction suffix .${parts[i]} is not supported`);
          return false;
        }
      }
      // Go accepts one of SAE, a rounding mode or BCST, optionally followed by Z (last).
      const z = parts.indexOf('Z');
      if (forms && (parts.length > 3 || (z > 0 && z !== parts.length - 1) || (parts.length === 3 && z < 0))) {
        diag.error(p.pos, `invalid suffix combination .${parts.slice(1).join('.')}: write at most one of SAE, a rounding mode or BCST, then Z`);
        return false;
      }
      op = parts[0];
    }
    if (!forms) {
      diag.error(p.pos, `unknown instruction ${op}`);
      return false;
    }
    if (!this.classify(p, op, args, diag)) return false;
    const evexOnly = this.zeroing === 1 || this.bcst === 1 || this.sae === 1 || this.rc >= 0;
    let f = evexOnly ? undefined : this.pick(forms, false);
    const n = this.nargs;
    if (!f && n >= 3 && this.kind[n - 2] === K.Reg && this.reg[n - 2]!.cls === 'k') {
      // Go writes the AVX-512 opmask just before the destination: VADDPD Z1, Z2, K3, Z4.
      this.mask = this.reg[n - 2]!.num;
      this.kind[n - 2] = this.kind[n - 1];
      this.reg[n - 2] = this.reg[n - 1];
      this.mem[n - 2] = this.mem[n - 1];
      this.vsib[n - 2] = this.vsib[n - 1];
      this.vsibNum[n - 2] = this.vsibNum[n - 1];
      this.nargs = n - 1;
      f = this.pick(forms, true);
      if (!f) {
        this.nargs = n;
        this.kind[n - 2] = K.Reg;
        this.reg[n - 2] = regInfo(`K${this.mask}`);
        this.mem[n - 2] = undefined;
        this.vsib[n - 2] = '';
        this.vsibNum[n - 2] = 0;
      }
    } else if (!f && evexOnly) f = this.pick(forms, true);
    if (f) {
      if (f.evex && !this.checkEvexOptions(p, op, f, n !== this.nargs, diag)) return false;
      return this.emit(p, f, buf, relocs, diag, paramAdj, autoAdj);
    }
    if (this.sawMode) {
      // A form exists in the other mode: say so rather than "invalid operands".
      for (const g of forms) {
        if (g.cls.length !== n) continue;
        let ok = true;
        for (let i = 0; i < n && ok; i++) if (!this.matches(g.cls[i], i)) ok = false;
        if (ok) {
          diag.error(p.pos, `${op} with these operands is not available in ${this.mode64 ? '64' : '32'}-bit mode`);
          return false;
        }
      }
    }
    this.reportMismatch(p, op, forms, diag);
    return false;
  }

  private sawMode = false;
  private zeroing = 0;
  private bcst = 0;
  private mask = 0;
  private sae = 0;
  /** Static rounding mode from a .RN_SAE/.RD_SAE/.RU_SAE/.RZ_SAE suffix, or -1. */
  private rc = -1;

  /**
   * Masking, zeroing, rounding and SAE are properties of the instruction (and
   * of the form's vector length), not of the EVEX prefix: refuse them where
   * the instruction has no such option rather than set bits the CPU ignores
   * or faults on. `masked` says an opmask operand was written before the destination.
   */
  private checkEvexOptions(p: Prog, op: string, f: Form, masked: boolean, diag: DiagnosticSink): boolean {
    if (masked && this.mask === 0) {
      diag.error(p.pos, `K0 cannot be used as an opmask (it means "no mask")`);
      return false;
    }
    if ((masked || this.zeroing) && EVEX_NO_MASK.has(op)) {
      diag.error(p.pos, `${op} cannot be masked or zeroed`);
      return false;
    }
    if (this.zeroing) {
      // Go accepts .Z on stores to memory (VMOVUPS.Z X1, K1, (AX)), except for
      // the scalar moves; never on mask destinations, gathers and scatters.
      const d = this.nargs - 1;
      const dst = this.reg[d];
      const scalarStore = this.kind[d] === K.Mem && (op === 'VMOVSS' || op === 'VMOVSD');
      if (f.needMask || scalarStore || (dst && dst.cls === 'k')) {
        diag.error(p.pos, `${op} cannot zero (.Z) this destination`);
        return false;
      }
    }
    if (this.rc >= 0 || this.sae) {
      const scalar = !f.tupleVL && f.vexL === 0;
      const ok = (this.rc >= 0 ? EVEX_ROUNDING : EVEX_SAE).has(op) && (f.vexL === 2 || scalar);
      if (!ok) {
        diag.error(p.pos, this.rc >= 0 ? `${op} has no static rounding in this form` : `${op} has no SAE in this form`);
        return false;
      }
    }
    return true;
  }

  /** The first form matching the classified operands (EVEX forms only when evexOnly). */
  private pick(forms: readonly Form[], evexOnly: boolean): Form | undefined {
    const n = this.nargs;
    this.sawMode = false;
    let high = false;
    for (let i = 0; i < n; i++) {
      const r = this.reg[i];
      if ((r && r.num >= 16) || this.vsibNum[i] >= 16) high = true;
    }
    for (let fi = 0; fi < forms.length; fi++) {
      const f = forms[fi];
      if (f.cls.length !== n) continue;
      if (evexOnly && !f.evex) continue;
      // Registers 16-31 exist only in EVEX encodings.
      if (high && !f.evex) continue;
      if (f.mode === Mode.Only64 && !this.mode64) {
        this.sawMode = true;
        continue;
      }
      if (f.mode === Mode.Only32 && this.mode64) {
        this.sawMode = true;
        continue;
      }
      if (f.rexW && !f.vex && !this.mode64) {
        this.sawMode = true;
        continue;
      }
      let ok = true;
      for (let i = 0; i < n; i++) {
        if (!this.matches(f.cls[i], i)) {
          ok = false;
          break;
        }
      }
      if (ok) return f;
    }
    return undefined;
  }

  private reportMismatch(p: Prog, op: string, forms: readonly Form[], diag: DiagnosticSink): void {
    // An immediate that would match if it were smaller deserves its own message.
    for (let i = 0; i < this.nargs; i++) {
      if (this.kind[i] !== K.Imm) continue;
      for (const f of forms) {
        if (f.cls.length !== this.nargs || f.cls[i] > Cls.I64) continue;
        let rest = true;
        for (let j = 0; j < this.nargs; j++) if (j !== i && !this.matches(f.cls[j], j)) rest = false;
        if (rest) {
          diag.error(argPos(p, i), `immediate ${this.immB[i]} out of range for ${op}`);
          return;
        }
      }
    }
    const desc: string[] = [];
    for (let i = 0; i < this.nargs; i++) desc.push(this.describe(i));
    diag.error(p.pos, `invalid operand combination for ${op}: ${desc.length ? desc.join(', ') : 'no operands'}`);
  }

  private describe(i: number): string {
    switch (this.kind[i]) {
      case K.Reg: {
        const r = this.reg[i]!;
        const names: Record<RegClass, string> = { r: 'reg', r8: 'reg8', r8h: 'reg8', x: 'xmm', y: 'ymm', z: 'zmm', k: 'k', mm: 'mmx', f: 'x87', seg: 'seg', cr: 'cr', dr: 'dr' };
        return names[r.cls];
      }
      case K.Imm:
        return 'imm';
      case K.Mem:
        return 'mem';
      case K.AddrImm:
        return 'addr';
      case K.Branch:
        return 'branch';
      case K.Regs4:
        return 'reglist';
      default:
        return '?';
    }
  }

  /** Fills the per-operand arrays; reports operands that can never be encoded here. */
  private classify(p: Prog, op: string, args: readonly Operand[], diag: DiagnosticSink): boolean {
    const n = args.length;
    if (n > 5) {
      diag.error(p.pos, `too many operands for ${op}`);
      return false;
    }
    this.nargs = n;
    for (let i = 0; i < n; i++) {
      const a = args[i];
      this.reg[i] = undefined;
      this.mem[i] = undefined;
      this.vsib[i] = '';
      this.vsibNum[i] = 0;
      switch (a.kind) {
        case 'reg': {
          const r = regInfo(a.reg);
          if (!r) {
            diag.error(argPos(p, i), `register ${a.reg} cannot be used with ${op}`);
            return false;
          }
          if (!this.mode64 && needs64Mode(r)) {
            diag.error(argPos(p, i), `register ${a.reg} is not available in 32-bit mode`);
            return false;
          }
          this.kind[i] = K.Reg;
          this.reg[i] = r;
          break;
        }
        case 'imm': {
          const v = BigInt.asIntN(64, a.value);
          this.kind[i] = K.Imm;
          this.immB[i] = v;
          this.immN[i] = v >= -0x20000000000000n && v <= 0x20000000000000n ? Number(v) : v < 0n ? -Infinity : Infinity;
          break;
        }
        case 'mem': {
          this.kind[i] = K.Mem;
          this.mem[i] = a.mem;
          // A vector index register makes this a VSIB operand, valid only for gathers and scatters.
          const x = a.mem.index ? regInfo(a.mem.index) : undefined;
          if (x && (x.cls === 'x' || x.cls === 'y' || x.cls === 'z')) {
            this.vsib[i] = x.cls;
            this.vsibNum[i] = x.num;
          }
          break;
        }
        case 'addr':
          if ((a.mem.name === 'extern' || a.mem.name === 'static') && !this.mode64 && !a.mem.base && !a.mem.index) {
            this.kind[i] = K.AddrImm;
            this.mem[i] = a.mem;
          } else {
            diag.error(argPos(p, i), `address operand $${a.mem.sym ?? ''}(...) is only valid with LEA and MOV`);
            return false;
          }
          break;
        case 'branch':
          this.kind[i] = K.Branch;
          break;
        case 'reglist': {
          // Only four consecutive vector registers of one kind, as Go accepts: [Z4-Z7].
          const rs = a.regs.map((n) => regInfo(n));
          const r0 = rs[0];
          if (rs.length !== 4 || !r0 || (r0.cls !== 'x' && r0.cls !== 'y' && r0.cls !== 'z') || rs.some((r, k) => !r || r.cls !== r0.cls || r.num !== r0.num + k)) {
            diag.error(argPos(p, i), `a register list for ${op} must be a range of four vector registers, like [Z0-Z3]`);
            return false;
          }
          this.kind[i] = K.Regs4;
          this.reg[i] = r0;
          break;
        }
        case 'special': {
          const go = goRegisterName(a.name);
          diag.error(argPos(p, i), go ? `${a.name} is not a register name in Go assembly: write ${go}` : `${a.name} is not a register, a constant ($${a.name}) or a memory operand (${a.name}(SB))`);
          return false;
        }
        default:
          diag.error(argPos(p, i), `operand not valid for x86: ${a.kind}`);
          return false;
      }
    }
    return true;
  }

  private matches(c: Cls, i: number): boolean {
    const k = this.kind[i];
    switch (c) {
      case Cls.I8: return k === K.Imm && this.immN[i] >= -128 && this.immN[i] <= 127;
      case Cls.U8: return k === K.Imm && this.immN[i] >= 0 && this.immN[i] <= 255;
      case Cls.B8: return k === K.Imm && this.immN[i] >= -128 && this.immN[i] <= 255;
      case Cls.I16: return k === K.Imm && this.immN[i] >= -32768 && this.immN[i] <= 65535;
      case Cls.S32: return (k === K.Imm && this.immN[i] >= I32_MIN && this.immN[i] <= I32_MAX) || k === K.AddrImm;
      case Cls.U32: return (k === K.Imm && this.immN[i] >= I32_MIN && this.immN[i] <= U32_MAX) || k === K.AddrImm;
      case Cls.I64: return k === K.Imm;
      case Cls.ONE: return k === K.Imm && this.immN[i] === 1;
      case Cls.THREE: return k === K.Imm && this.immN[i] === 3;
      case Cls.REL: return k === K.Branch;
      case Cls.M: return k === K.Mem && this.vsib[i] === '';
      case Cls.VX: return k === K.Mem && this.vsib[i] === 'x';
      case Cls.VY: return k === K.Mem && this.vsib[i] === 'y';
      case Cls.VZ: return k === K.Mem && this.vsib[i] === 'z';
      case Cls.X4: return k === K.Regs4 && this.reg[i]!.cls === 'x';
      case Cls.Z4: return k === K.Regs4 && this.reg[i]!.cls === 'z';
      default:
        break;
    }
    const r = this.reg[i];
    if (k === K.Mem) {
      if (this.vsib[i] !== '') return false;
      return c === Cls.RM8 || c === Cls.RM || c === Cls.XM || c === Cls.YM || c === Cls.ZM || c === Cls.KM || c === Cls.MMM;
    }
    if (k !== K.Reg || !r) return false;
    switch (c) {
      // Go lets byte instructions name a general register (MOVB SI, AL means SIB);
      // SP..DI then need a REX prefix, so 32-bit mode only has AX..BX this way.
      case Cls.R8:
      case Cls.RM8: return r.cls === 'r8' || r.cls === 'r8h' || (r.cls === 'r' && (this.mode64 || r.num < 4));
      case Cls.R:
      case Cls.RM: return r.cls === 'r';
      case Cls.AL: return r.cls === 'r8' && r.num === 0;
      case Cls.AX: return r.cls === 'r' && r.num === 0;
      // Go accepts both CL and CX as the shift count register.
      case Cls.CL: return r.num === 1 && (r.cls === 'r8' || r.cls === 'r');
      case Cls.DX: return r.cls === 'r' && r.num === 2;
      case Cls.X:
      case Cls.XM: return r.cls === 'x';
      case Cls.X0: return r.cls === 'x' && r.num === 0;
      case Cls.Y:
      case Cls.YM: return r.cls === 'y';
      case Cls.Z:
      case Cls.ZM: return r.cls === 'z';
      case Cls.K:
      case Cls.KM: return r.cls === 'k';
      case Cls.MM:
      case Cls.MMM: return r.cls === 'mm';
      case Cls.F: return r.cls === 'f';
      case Cls.F0: return r.cls === 'f' && r.num === 0;
      case Cls.SEG: return r.cls === 'seg';
      case Cls.FS: return r.cls === 'seg' && r.num === 4;
      case Cls.GS: return r.cls === 'seg' && r.num === 5;
      case Cls.CR: return r.cls === 'cr';
      case Cls.DR: return r.cls === 'dr';
      default: return false;
    }
  }

  private emit(p: Prog, f: Form, buf: ByteBuf, relocs: Reloc[], diag: DiagnosticSink, paramAdj: number, autoAdj: number): boolean {
    let regField = f.digit >= 0 && f.digit < 8 ? f.digit : 0;
    let rmReg = -1;
    let memIdx = -1;
    let vvvv = 0;
    let opReg = 0;
    let immIdx = -1;
    let is4 = -1;
    let byteRex = false;
    let highByte = false;
    const n = this.nargs;
    for (let i = 0; i < n; i++) {
      const role = f.role[i];
      const r = this.reg[i];
      if (r) {
        if (r.num >= 4 && r.num < 8 && (r.cls === 'r8' || (r.cls === 'r' && (f.cls[i] === Cls.R8 || f.cls[i] === Cls.RM8)))) byteRex = true;
        if (r.cls === 'r8h') highByte = true;

      }
      switch (role) {
        case Role.Reg: regField = r!.num; break;
        case Role.Rm:
          if (this.kind[i] === K.Mem) memIdx = i;
          else rmReg = r!.num;
          break;
        case Role.Both: regField = r!.num; rmReg = r!.num; break;
        case Role.Vvvv: vvvv = r!.num; break;
        case Role.OpReg: opReg = r!.num; break;
        case Role.Imm: immIdx = i; break;
        case Role.Is4: is4 = r!.num; break;
        case Role.Aaa: this.mask = r!.num; break;
        default: break;
      }
    }
    const trailing = f.immSize + (is4 >= 0 ? 1 : 0);
    this.mSeg = 0;
    this.mRelType = '';
    this.dispN = 1;
    if (f.evex && memIdx >= 0) this.dispN = this.bcst || !f.tupleVL ? f.tupleElem : (16 << f.vexL) >> f.tupleShift;
    this.mV = 0;
    if (memIdx >= 0) {
      if (this.vsib[memIdx] !== '' && !this.checkGather(p, f, memIdx, regField, vvvv, diag)) return false;
      if (!this.encodeMem(p, this.mem[memIdx]!, memIdx, diag, paramAdj, autoAdj, trailing)) return false;
    } else {
      this.mX = 0;
      this.mB = 0;
      if (rmReg >= 0) {
        this.mMod = 3;
        this.mRm = rmReg & 7;
        this.mB = (rmReg >> 3) & 1;
        this.mSib = -1;
        this.mDispSize = 0;
      }
      if (f.plusR) this.mB = (opReg >> 3) & 1;
    }
    const R = (regField >> 3) & 1;
    if (this.mSeg) buf.byte(this.mSeg);
    if (f.evex) {
      if (this.bcst && memIdx < 0) {
        diag.error(p.pos, `.BCST needs a memory operand`);
        return false;
      }
      if (this.bcst && !f.bcstOK) {
        diag.error(p.pos, `this instruction cannot broadcast (.BCST) from memory`);
        return false;
      }
      if (f.needMask && this.mask === 0) {
        diag.error(p.pos, `gathers and scatters need an opmask register K1-K7`);
        return false;
      }
      // EVEX: 62, then P0 = R X B R' 0 0 m m (inverted bits), P1 = W vvvv 1 pp,
      // P2 = z L'L b V' aaa. X carries bit 4 of a register in ModRM.rm.
      const X = memIdx >= 0 ? this.mX : (rmReg >> 4) & 1;
      const R2 = (regField >> 4) & 1;
      buf.byte(0x62);
      buf.byte(((R ^ 1) << 7) | ((X ^ 1) << 6) | ((this.mB ^ 1) << 5) | ((R2 ^ 1) << 4) | f.vexMap);
      buf.byte((f.vexW << 7) | ((~vvvv & 15) << 3) | 4 | f.vexPP);
      // Static rounding (and SAE) reuse EVEX.b, register operands only; rounding puts its mode in L'L.
      if ((this.rc >= 0 || this.sae) && memIdx >= 0) {
        diag.error(p.pos, `rounding and SAE suffixes need register operands`);
        return false;
      }
      const b = this.bcst | this.sae | (this.rc >= 0 ? 1 : 0);
      const LL = this.rc >= 0 ? this.rc : f.vexL;
      // V' extends vvvv, or for VSIB the index register, to 32 registers.
      const V2 = ((vvvv >> 4) & 1) | this.mV;
      buf.byte((this.zeroing << 7) | (LL << 5) | (b << 4) | ((V2 ^ 1) << 3) | this.mask);
    } else if (f.vex) {
      if (!this.mode64 && (R | this.mX | this.mB)) {
        diag.error(p.pos, `registers above 7 are not available in 32-bit mode`);
        return false;
      }
      const W = f.vexW;
      const L = this.vexL(f);
      if (this.mX === 0 && this.mB === 0 && f.vexMap === 1 && W === 0) {
        buf.byte(0xc5);
        buf.byte(((R ^ 1) << 7) | ((~vvvv & 15) << 3) | (L << 2) | f.vexPP);
      } else {
        buf.byte(0xc4);
        buf.byte(((R ^ 1) << 7) | ((this.mX ^ 1) << 6) | ((this.mB ^ 1) << 5) | f.vexMap);
        buf.byte((W << 7) | ((~vvvv & 15) << 3) | (L << 2) | f.vexPP);
      }
    } else {
      for (let i = 0; i < f.prefix.length; i++) buf.byte(f.prefix[i]);
      const rexBits = (f.rexW ? 8 : 0) | (R << 2) | (this.mX << 1) | this.mB;
      if (rexBits || byteRex) {
        if (!this.mode64) {
          diag.error(p.pos, `registers above 7 (or SPB..DIB) are not available in 32-bit mode`);
          return false;
        }
        if (highByte) {
          diag.error(p.pos, `cannot use AH, BH, CH or DH in an instruction that needs a REX prefix`);
          return false;
        }
        buf.byte(0x40 | rexBits);
      }
    }
    const ops = f.op;
    const last = ops.length - 1;
    for (let i = 0; i < last; i++) buf.byte(ops[i]);
    buf.byte(f.plusR ? ops[last] + (opReg & 7) : f.plusS ? ops[last] + opReg * 8 : ops[last]);
    if (f.digit >= 0) {
      buf.byte((this.mMod << 6) | ((regField & 7) << 3) | this.mRm);
      if (this.mSib >= 0) buf.byte(this.mSib);
      if (this.mDispSize === 1) buf.byte(this.mDisp);
      else if (this.mDispSize === 4) {
        if (this.mRelType) relocs.push({ off: buf.len, size: 4, type: this.mRelType, sym: this.mRelSym, add: this.mRelAdd, line: p.pos.line });
        buf.u32(this.mDisp);
      }
    }
    if (f.immSize) {
      if (immIdx < 0) throw new Error(`x86 table: form ${f.text} has an immediate size but no immediate operand`);
      if (this.kind[immIdx] === K.AddrImm) {
        const m = this.mem[immIdx]!;
        relocs.push({ off: buf.len, size: 4, type: 'R_ADDR', sym: m.sym ?? '', add: m.offset, line: p.pos.line });
        buf.u32(0);
      } else {
        const v = this.immN[immIdx];
        switch (f.immSize) {
          case 1: buf.byte(v); break;
          case 2: buf.u16(v); break;
          case 4: buf.u32(v); break;
          default: buf.u64(this.immB[immIdx]); break;
        }
      }
    }
    if (is4 >= 0) buf.byte((is4 & 15) << 4);
    return true;
  }

  /**
   * Gathers overwrite their mask and destination while reading the index, so
   * the hardware faults (#UD) when they overlap; Go's assembler rejects such
   * operands and so do we. VEX: mask (vvvv), index and destination distinct;
   * EVEX: index and destination distinct.
   */
  private checkGather(p: Prog, f: Form, memIdx: number, regField: number, vvvv: number, diag: DiagnosticSink): boolean {
    const index = this.vsibNum[memIdx];
    // Only gathers have a destination register in ModRM.reg next to a VSIB operand that is a source.
    const gather = memIdx < this.nargs - 1;
    if (!gather) return true;
    if (!f.evex && (index === regField || index === vvvv || vvvv === regField)) {
      diag.error(p.pos, `mask, index and destination registers of a gather must be distinct`);
      return false;
    }
    if (f.evex && index === regField) {
      diag.error(p.pos, `index and destination registers of a gather must be distinct`);
      return false;
    }
    return true;
  }

  private vexL(f: Form): number {
    if (f.vexL) return 1;
    return 0;
  }

  /**
   * Computes ModRM.mod/rm, SIB, displacement and segment for a memory operand.
   * `trailing` is the number of instruction bytes after the displacement
   * (immediates), which a pc-relative addend must account for.
   */
  private encodeMem(p: Prog, m: MemRef, argIdx: number, diag: DiagnosticSink, paramAdj: number, autoAdj: number, trailing: number): boolean {
    let base = -1;
    let index = -1;
    let disp = m.offset;
    this.mX = 0;
    this.mB = 0;
    this.mSib = -1;
    this.mRelType = '';
    let scale = m.scale || 1;
    const gotRef = m.gotRef === true;
    switch (m.name) {
      case 'extern':
      case 'static': {
        this.mRelSym = m.sym ?? '';
        this.mRelAdd = m.offset;
        if (gotRef) {
          if (!this.mode64 || m.index) {
            diag.error(argPos(p, argIdx), `sym@GOT(SB) is only supported as a plain RIP-relative load on amd64`);
            return false;
          }
          this.mRelType = 'R_GOTPCREL';
          this.mRelAdd = m.offset - trailing;
          this.setRipRel();
          return true;
        }
        if (m.base && m.base !== 'SB') {
          diag.error(argPos(p, argIdx), `symbol reference cannot have a base register`);
          return false;
        }
        if (!m.index) {
          if (this.mode64) {
            this.mRelType = 'R_PCREL';
            this.mRelAdd = m.offset - trailing;
            this.setRipRel();
          } else {
            this.mRelType = 'R_ADDR';
            this.mMod = 0;
            this.mRm = 5;
            this.mDisp = 0;
            this.mDispSize = 4;
          }
          return true;
        }
        if (this.mode64) {
          diag.error(argPos(p, argIdx), `indexed symbol reference sym(SB)(reg*scale) cannot be encoded PC-relative in 64-bit mode; load the address with LEAQ first`);
          return false;
        }
        this.mRelType = 'R_ADDR';
        disp = 0;
        break;
      }
      case 'param':
        // A negative offset reaches below the arguments (the return PC at -ptrSize).
        // Go's assembler accepts it, and its runtime uses it (rt0_linux_386.s:
        // inargc-4(FP) after ADDL $4, SP), so it is not an error here either.
        base = 4;
        disp = m.offset + paramAdj;
        break;
      case 'auto':
        base = 4;
        disp = m.offset + autoAdj;
        break;
      default:
        break;
    }
    if (m.name === 'none') {
      const b = m.base;
      if (b === 'TLS' || m.index === 'TLS') return this.encodeTls(p, m, argIdx, diag, b === 'TLS');
      if (b) {
        const r = regInfo(b);
        if (r && r.cls === 'seg') {
          // off(FS) / off(GS): segment-relative absolute address.
          if (r.num !== 4 && r.num !== 5) {
            diag.error(argPos(p, argIdx), `segment ${b} cannot be used as a base`);
            return false;
          }
          this.mSeg = r.num === 4 ? 0x64 : 0x65;
        } else if (r && r.cls === 'r') {
          if (!this.mode64 && r.num >= 8) {
            diag.error(argPos(p, argIdx), `register ${b} is not available in 32-bit mode`);
            return false;
          }
          base = r.num;
        } else if (b === 'SB') {
          // A bare (SB) with no symbol name: an absolute address.
        } else {
          diag.error(argPos(p, argIdx), `${b} cannot be used as a base register`);
          return false;
        }
      }
    }
    if (m.index) {
      const r = regInfo(m.index);
      const vsib = this.vsib[argIdx] !== '';
      if (vsib) this.mV = (r!.num >> 4) & 1;
      if (!r || (r.cls !== 'r' && !vsib)) {
        diag.error(argPos(p, argIdx), `${m.index} cannot be used as an index register`);
        return false;
      }
      if (r.num === 4 && !vsib) {
        diag.error(argPos(p, argIdx), `SP cannot be used as an index register`);
        return false;
      }
      if (!this.mode64 && r.num >= 8) {
        diag.error(argPos(p, argIdx), `register ${m.index} is not available in 32-bit mode`);
        return false;
      }
      index = r.num;
      if (SCALE_BITS[scale] === undefined) {
        diag.error(argPos(p, argIdx), `bad scale ${scale}: must be 1, 2, 4 or 8`);
        return false;
      }
    } else scale = 1;
    if (disp < I32_MIN || disp > U32_MAX) {
      diag.error(argPos(p, argIdx), `offset ${disp} does not fit in 32 bits`);
      return false;
    }
    this.mDisp = disp | 0;
    if (base < 0) {
      // Absolute disp32 (no base register).
      this.mMod = 0;
      this.mDispSize = 4;
      if (index >= 0) {
        this.mRm = 4;
        this.mSib = (SCALE_BITS[scale] << 6) | ((index & 7) << 3) | 5;
        this.mX = (index >> 3) & 1;
      } else if (this.mode64) {
        // In 64-bit mode rm=101 means RIP-relative, so absolute needs a SIB with no base and no index.
        this.mRm = 4;
        this.mSib = 0x25;
      } else {
        this.mRm = 5;
      }
      return true;
    }
    this.mB = (base >> 3) & 1;
    if (this.mRelType) {
      this.mMod = 2;
      this.mDispSize = 4;
    } else if (disp === 0 && (base & 7) !== 5) {
      this.mMod = 0;
      this.mDispSize = 0;
    } else if (this.dispN > 1 && disp % this.dispN === 0 && disp / this.dispN >= -128 && disp / this.dispN <= 127) {
      // EVEX compressed displacement: disp8 scaled by the operand's N.
      this.mMod = 1;
      this.mDispSize = 1;
      this.mDisp = disp / this.dispN;
    } else if (this.dispN === 1 && disp >= -128 && disp <= 127) {
      this.mMod = 1;
      this.mDispSize = 1;
    } else {
      this.mMod = 2;
      this.mDispSize = 4;
    }
    if (index >= 0 || (base & 7) === 4) {
      this.mRm = 4;
      const idx = index >= 0 ? index : 4;
      this.mX = index >= 0 ? (index >> 3) & 1 : 0;
      this.mSib = (SCALE_BITS[scale] << 6) | ((idx & 7) << 3) | (base & 7);
    } else {
      this.mRm = base & 7;
    }
    return true;
  }

  private setRipRel(): void {
    this.mMod = 0;
    this.mRm = 5;
    this.mDisp = 0;
    this.mDispSize = 4;
  }

  /**
   * Thread-local access through Go's TLS pseudo-register. On amd64 `(TLS)` and
   * `0(reg)(TLS*1)` both mean the g slot: FS (linux) or GS (darwin) plus a 4-byte
   * field that the linker fills with the slot's offset from the thread pointer
   * (R_TLS_LE against runtime.tlsg). On 386, `off(reg)(TLS*1)` means reg already
   * holds the thread pointer (loaded by `MOVL TLS, reg` from GS:0): [reg + disp32]
   * with the R_TLS_LE field in the displacement.
   */
  private encodeTls(p: Prog, m: MemRef, argIdx: number, diag: DiagnosticSink, direct: boolean): boolean {
    this.mX = 0;
    this.mB = 0;
    if (this.mode64) {
      this.mSeg = this.os === 'darwin' ? 0x65 : 0x64;
      this.mMod = 0;
      this.mRm = 4;
      this.mSib = 0x25;
      this.mDisp = 0;
      this.mDispSize = 4;
      this.mRelType = 'R_TLS_LE';
      this.mRelSym = TLS_SYMBOL;
      this.mRelAdd = m.offset;
      return true;
    }
    if (direct) {
      diag.error(argPos(p, argIdx), `(TLS) must be loaded with MOVL (TLS), reg in 32-bit mode`);
      return false;
    }
    const r = m.base ? regInfo(m.base) : undefined;
    if (!r || r.cls !== 'r') {
      diag.error(argPos(p, argIdx), `TLS index needs a base register holding the TLS base`);
      return false;
    }
    this.mMod = 2;
    this.mRm = r.num & 7;
    this.mSib = r.num === 4 ? 0x24 : -1;
    this.mDisp = 0;
    this.mDispSize = 4;
    this.mRelType = 'R_TLS_LE';
    this.mRelSym = TLS_SYMBOL;
    this.mRelAdd = m.offset;
    return true;
  }

  /** 386: `MOVL TLS, reg` loads the thread pointer, which GS:0 holds (65 8b 0d 00 00 00 00 for CX). */
  encodeTlsLoad386(dst: number, buf: ByteBuf): void {
    buf.byte(0x65);
    buf.byte(0x8b);
    buf.byte(((dst & 7) << 3) | 5);
    buf.u32(0);
  }
}

function needs64Mode(r: RegInfo): boolean {
  switch (r.cls) {
    case 'r8': return r.num >= 4;
    case 'r': case 'x': case 'y': case 'z': case 'cr': case 'dr': return r.num >= 8;
    default: return false;
  }
}

/** Where operand i was written (computed only for a diagnostic: a parsed Prog derives it from its line). */
function argPos(p: Prog, i: number): SourcePos {
  return p.argPos[i] ?? p.pos;
}

/**
 * Go's name for a register written the Intel or AT&T way (RAX, EAX, R8D,
 * XMM0), or undefined: Go names a general register by its 64-bit role alone
 * and the operand size by the instruction's suffix.
 */
function goRegisterName(name: string): string | undefined {
  const n = name.toUpperCase();
  let m = /^[RE](AX|BX|CX|DX|SI|DI|BP|SP)$/.exec(n);
  if (m) return m[1];
  m = /^(R(?:[89]|1[0-5]))[DWB]$/.exec(n);
  if (m) return m[1];
  m = /^([XYZ])MM([0-9]|[12][0-9]|3[01])$/.exec(n);
  if (m) return `${m[1]}${m[2]}`;
  return undefined;
}
