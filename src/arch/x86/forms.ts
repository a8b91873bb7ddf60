// Instruction forms: the compiled shape of one row of the x86 table.
//
// A row is written as two short strings, in the spirit of the Intel manual but
// with Go's operand order (sources first, destination last):
//
//     'i8,rm'   'W 83 /0 ib'        ADDQ $7, R11       → 49 83 c3 07
//
// The first string lists operand classes; the second the encoding: legacy
// prefixes, REX.W (`W`), opcode bytes, `/digit` or `/r`, `+r` on the last opcode
// byte, immediate sizes (`ib iw id iq`), or a VEX prefix (`V.L.pp.map.W`). Each
// operand gets a role — which field of the instruction it lands in — derived from
// its class (an `rm`-like class goes to ModRM.rm, a register class to ModRM.reg,
// an immediate to the immediate) unless the row overrides it with `class:role`.

export const enum Cls {
  /** Immediate in [-128, 127] (sign-extended imm8). */
  I8,
  /** Immediate in [0, 255]. */
  U8,
  /** Immediate in [-128, 255]: any byte. */
  B8,
  /** Immediate in [-32768, 65535]. */
  I16,
  /** Immediate sign-extendable from 32 bits, exactly (Go's Ys32). */
  S32,
  /**
   * Immediate in [-2^31, 2^32-1]: any 32-bit pattern (Go's Yi32). A 64-bit
   * operation's is sign-extended by the CPU, so `ANDQ $0xffffffe0, BX` is
   * `ANDQ $-32, BX`, as Go's assembler takes it.
   */
  U32,
  /** Immediate that needs 64 bits. */
  I64,
  /** The immediate $1 (shift-by-one forms). */
  ONE,
  /** Immediate equal to 3 (INT $3 → CC). */
  THREE,
  R8,
  R,
  AL,
  AX,
  CL,
  DX,
  X,
  X0,
  Y,
  Z,
  K,
  MM,
  F,
  F0,
  SEG,
  FS,
  GS,
  CR,
  DR,
  RM8,
  RM,
  XM,
  YM,
  ZM,
  KM,
  MMM,
  M,
  /** VSIB memory (gathers, scatters): the index is an X, Y or Z register. `(AX)(X1*4)` */
  VX,
  VY,
  VZ,
  /** Four consecutive X or Z registers written as a range, [X0-X3] (AVX512_4FMAPS/4VNNIW): the first goes in vvvv. */
  X4,
  Z4,
  REL,
}

const CLASS_NAMES: Record<string, Cls> = {
  i8: Cls.I8, u8: Cls.U8, b8: Cls.B8, i16: Cls.I16, s32: Cls.S32, u32: Cls.U32, i64: Cls.I64,
  one: Cls.ONE, three: Cls.THREE,
  r8: Cls.R8, r: Cls.R, al: Cls.AL, ax: Cls.AX, cl: Cls.CL, dx: Cls.DX,
  x: Cls.X, x0: Cls.X0, y: Cls.Y, z: Cls.Z, k: Cls.K, mm: Cls.MM, f: Cls.F, f0: Cls.F0,
  seg: Cls.SEG, fs: Cls.FS, gs: Cls.GS, cr: Cls.CR, dr: Cls.DR,
  rm8: Cls.RM8, rm: Cls.RM, xm: Cls.XM, ym: Cls.YM, zm: Cls.ZM, km: Cls.KM, mmm: Cls.MMM, m: Cls.M,
  vx: Cls.VX, vy: Cls.VY, vz: Cls.VZ, x4: Cls.X4, z4: Cls.Z4, rel: Cls.REL,
};

export const enum Role {
  /** Not encoded (implicit register such as AL or CL, or $1). */
  None,
  /** ModRM.reg. */
  Reg,
  /** ModRM.rm (register or memory). */
  Rm,
  /** Both ModRM.reg and ModRM.rm (IMULQ $7, DX → 6b d2 07). */
  Both,
  /** VEX.vvvv. */
  Vvvv,
  /** Added to the last opcode byte. */
  OpReg,
  Imm,
  /** Register number in imm8[7:4] (VEX four-operand blends). */
  Is4,
  /** EVEX.aaa: an opmask written as an operand of its own (VGATHERPF0DPD K1, (AX)(Y2*1)). */
  Aaa,
}

export const enum Mode {
  Both = 0,
  Only64 = 1,
  Only32 = 2,
}

export interface Form {
  readonly cls: readonly Cls[];
  readonly role: readonly Role[];
  /** Bytes before REX: operand-size override and mandatory prefixes. */
  readonly prefix: readonly number[];
  readonly rexW: boolean;
  readonly op: readonly number[];
  /** -1 without ModRM, 0-7 for /digit, 8 for /r. */
  readonly digit: number;
  readonly plusR: boolean;
  /** The register number times 8 is added to the last opcode byte (PUSHL SS → 16). */
  readonly plusS: boolean;
  /** Immediate size in bytes (0 when none). */
  readonly immSize: number;
  /** VEX: 0 when legacy; otherwise L (0/1), pp (0-3), map (1-3), W (0/1). */
  readonly vex: boolean;
  readonly vexL: number;
  readonly vexPP: number;
  readonly vexMap: number;
  readonly vexW: number;
  /** EVEX (AVX-512) instead of VEX: same pp/map/W fields, L may be 2 (512 bits). */
  readonly evex: boolean;
  /**
   * EVEX disp8*N compression: the memory operand's N is `tupleVL` ? vector
   * length in bytes : `tupleElem`; with broadcast, N is always `tupleElem`.
   */
  readonly tupleVL: boolean;
  readonly tupleElem: number;
  /** Right shift of the vector length for half, quarter and eighth tuples (hv, hvm, qvm, ovm). */
  readonly tupleShift: number;
  /** The form may broadcast (.BCST) one element from memory: full and half tuples only. */
  readonly bcstOK: boolean;
  /** Gathers and scatters must name an opmask (Go rejects them without one). */
  readonly needMask: boolean;
  readonly mode: Mode;
  /** The row as written, for debugging. */
  readonly text: string;
}

function isRmClass(c: Cls): boolean {
  return c === Cls.RM8 || c === Cls.RM || c === Cls.XM || c === Cls.YM || c === Cls.ZM || c === Cls.KM || c === Cls.MMM || c === Cls.M ||
    c === Cls.VX || c === Cls.VY || c === Cls.VZ;
}

function isImmClass(c: Cls): boolean {
  return c <= Cls.I64;
}

function isFixedClass(c: Cls): boolean {
  return c === Cls.AL || c === Cls.AX || c === Cls.CL || c === Cls.DX || c === Cls.ONE || c === Cls.THREE || c === Cls.X0 || c === Cls.F0 || c === Cls.FS || c === Cls.GS;
}

const ROLE_NAMES: Record<string, Role> = { n: Role.None, r: Role.Reg, m: Role.Rm, b: Role.Both, v: Role.Vvvv, o: Role.OpReg, i: Role.Imm, is4: Role.Is4, a: Role.Aaa };

/** Compiles one table row; throws on a malformed row (a bug in the table, not user input). */
export function compileForm(ops: string, enc: string, mode: Mode = Mode.Both): Form {
  const cls: Cls[] = [];
  const roleOverride: (Role | undefined)[] = [];
  if (ops.trim() !== '') {
    for (const tok of ops.split(',')) {
      const [c, r] = tok.trim().split(':');
      const k = CLASS_NAMES[c];
      if (k === undefined) throw new Error(`x86 table: unknown operand class ${c} in '${ops}'`);
      cls.push(k);
      roleOverride.push(r === undefined ? undefined : ROLE_NAMES[r]);
    }
  }
  const prefix: number[] = [];
  const op: number[] = [];
  let rexW = false;
  let digit = -1;
  let plusR = false;
  let plusS = false;
  let immSize = 0;
  let vex = false;
  let vexL = 0, vexPP = 0, vexMap = 1, vexW = 0;
  let evex = false;
  let tupleVL = true;
  let tupleElem = 4;
  let tupleShift = 0;
  let bcstOK = false;
  let needMask = false;
  for (const t of enc.trim().split(/\s+/)) {
    if (t === 'W') rexW = true;
    else if (t.startsWith('E.')) {
      // E.L.pp.map.W.tuple[.k], e.g. E.512.66.0F.W1.fv8. The tuple gives the
      // memory operand's N for disp8*N compression: fvN full vector (N = vector
      // length, or the N-byte element when broadcast), fvmN full vector without
      // broadcast, hvN/hvm half vector (with/without broadcast), qvm quarter,
      // ovm eighth, t1sN one element of N bytes, nN a fixed N (tuple2/4/8, the
      // 128-bit shift count, MOVDDUP). A trailing .k marks forms that require
      // an opmask (gathers and scatters).
      vex = true;
      evex = true;
      const [, l, pp, map, w, tuple, k] = t.split('.');
      vexL = l === '512' ? 2 : l === '256' ? 1 : 0;
      vexPP = pp === '66' ? 1 : pp === 'F3' ? 2 : pp === 'F2' ? 3 : 0;
      vexMap = map === '0F38' ? 2 : map === '0F3A' ? 3 : 1;
      vexW = w === 'W1' ? 1 : 0;
      needMask = k === 'k';
      const tm = /^(fvm|fv|hvm|hv|qvm|ovm|t1s|n)(\d*)$/.exec(tuple);
      if (!tm) throw new Error(`x86 table: bad EVEX tuple ${tuple} in '${enc}'`);
      const kind = tm[1];
      tupleElem = tm[2] ? Number(tm[2]) : 1;
      tupleVL = kind !== 't1s' && kind !== 'n';
      tupleShift = kind.startsWith('hv') ? 1 : kind === 'qvm' ? 2 : kind === 'ovm' ? 3 : 0;
      bcstOK = kind === 'fv' || kind === 'hv';
    }
    else if (t === 'o16') prefix.push(0x66);
    else if (t.startsWith('V.')) {
      // V.L.pp.map.W, e.g. V.256.66.0F38.W0 (LIG/WIG count as 0).
      vex = true;
      const [, l, pp, map, w] = t.split('.');
      vexL = l === '256' ? 1 : 0;
      vexPP = pp === '66' ? 1 : pp === 'F3' ? 2 : pp === 'F2' ? 3 : 0;
      vexMap = map === '0F38' ? 2 : map === '0F3A' ? 3 : 1;
      vexW = w === 'W1' ? 1 : 0;
    } else if (/^\/[0-7]$/.test(t)) digit = Number(t[1]);
    else if (t === '/r') digit = 8;
    else if (t === 'ib') immSize = 1;
    else if (t === 'iw') immSize = 2;
    else if (t === 'id') immSize = 4;
    else if (t === 'iq') immSize = 8;
    else if (/^[0-9A-F]{2}\+r$/.test(t)) {
      op.push(parseInt(t.slice(0, 2), 16));
      plusR = true;
    } else if (/^[0-9A-F]{2}\+s$/.test(t)) {
      op.push(parseInt(t.slice(0, 2), 16));
      plusS = true;
    } else if (/^[0-9A-F]{2}$/.test(t)) {
      const b = parseInt(t, 16);
      // Mandatory prefixes precede REX; they are recognised only before the first opcode byte.
      if (op.length === 0 && !vex && (b === 0x66 || b === 0xf2 || b === 0xf3)) prefix.push(b);
      else op.push(b);
    } else throw new Error(`x86 table: bad encoding token ${t} in '${enc}'`);
  }
  // A row that is only a prefix byte (REP → f3) is an opcode of its own.
  if (op.length === 0 && !vex) op.push(...prefix.splice(0));
  const role: Role[] = cls.map((c, i) => {
    const o = roleOverride[i];
    if (o !== undefined) return o;
    if (isImmClass(c)) return Role.Imm;
    if (isFixedClass(c)) return Role.None;
    if (c === Cls.REL) return Role.None;
    if (isRmClass(c)) return Role.Rm;
    if (plusR || plusS) return Role.OpReg;
    if (digit >= 0 && digit < 8) return Role.Rm;
    return Role.Reg;
  });
  // With /r and two plain register operands (MOVHLPS X1, X2) the source, which
  // Go writes first, goes to ModRM.rm and the destination to ModRM.reg.
  if (digit === 8 && !role.includes(Role.Rm) && !role.includes(Role.Both)) {
    const regs = role.map((r, i) => (r === Role.Reg ? i : -1)).filter((i) => i >= 0);
    if (regs.length >= 2) role[regs[0]] = Role.Rm;
  }
  return { cls, role, prefix, rexW, op, digit, plusR, plusS, immSize, vex, vexL, vexPP, vexMap, vexW, evex, tupleVL, tupleElem, tupleShift, bcstOK, needMask, mode, text: `${ops} => ${enc}` };
}
