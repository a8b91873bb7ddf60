// The arm64 instruction table: one row per Go mnemonic, naming the form
// (which operand shapes it takes and how they are laid out) and the base
// opcode bits. The encoder (encoder.ts) has one routine per form; everything
// specific to a mnemonic is data here.
//
// Worked example: `ADD $1, R2, R3` looks up ADD → form AddSub with
// imm = 0x91000000 (ADD Xd, Xn, #imm12), reg = 0x8b000000 (shifted register),
// ext = 0x8b200000 (extended register). The AddSub routine classifies $1 as a
// 12-bit immediate and emits imm | 1<<10 | 2<<5 | 3 = 0x91000443.

export const enum F {
  AddSub, // ADD/SUB/ADDS/SUBS (+W); CMP/CMN when cmp is set
  Logic, // AND/ORR/EOR/BIC/ORN/EON/ANDS/BICS (+W); TST when cmp is set
  AdcSbc, // ADC/SBC/ADCS/SBCS (+W): op Rm, [Rn,] Rd
  Ngc, // NGC/NGCS: op Rm, Rd
  Mov, // MOVD/MOVW/MOVWU/MOVH/MOVHU/MOVB/MOVBU
  FMov, // FMOVD/FMOVS/FMOVQ
  Mvn, // MVN/MVNW
  Neg, // NEG/NEGS (+W)
  Shift, // LSL/LSR/ASR/ROR (+W)
  Mul, // MUL/MNEG/SMULL/UMULL/SMNEGL/UMNEGL/SMULH/UMULH (+W): op Rm, [Rn,] Rd
  Madd, // MADD/MSUB/SMADDL/...: op Rm, Ra, Rn, Rd
  Rrr, // UDIV/SDIV/CRC32*: op Rm, [Rn,] Rd
  Rem, // REM/UREM (+W): div into REGTMP then MSUB
  Csel, // CSEL/CSINC/CSINV/CSNEG (+W): op cond, Rn, Rm, Rd
  Cset, // CSET/CSETM: op cond, Rd
  Cinc, // CINC/CINV/CNEG: op cond, Rn, Rd
  Ccmp, // CCMP/CCMN: op cond, Rn, Rm|$imm5, $nzcv
  Cb, // CBZ/CBNZ (+W)
  Tb, // TBZ/TBNZ
  B, // B/JMP
  Bl, // BL/CALL
  Bcond, // B.cond / Bcc
  Ret, // RET
  Adr, // ADR/ADRP
  Ldp, // LDP/LDPW/LDPSW/FLDPD/FLDPS/FLDPQ
  Stp, // STP/STPW/FSTPD/FSTPS/FSTPQ
  Ldar, // LDAR/LDXR/LDAXR (+W/B/H): op (Rn), Rt
  Ldxp, // LDXP/LDAXP (+W): op (Rn), (Rt, Rt2)
  Stlr, // STLR (+W/B/H): op Rt, (Rn)
  Stxr, // STXR/STLXR (+W/B/H): op Rt, (Rn), Rs
  Stxp, // STXP/STLXP (+W): op (Rt, Rt2), (Rn), Rs
  Atomic, // SWP/LDADD/LDCLR/LDEOR/LDOR/CAS...: op Rs, (Rn), Rt
  Casp, // CASPD/CASPW (Rs, Rs+1), (Rn), (Rt, Rt+1): even-numbered pairs
  Sys0, // fixed word: NOOP, YIELD, WFE, ERET...
  Imm16, // SVC/BRK/HVC/HLT/SMC/DCPS*: op [$imm16]
  Barrier, // DMB/DSB/ISB: op $imm4|name
  Hint, // HINT $imm7
  Clrex, // CLREX [$imm4]
  Mrs,
  Sys, // SYS/SYSL $op1:CRn:CRm:op2 (in place, bits 5..18)[, Rt]
  Sysop, // TLBI/DC name[, Rt]: the SYS aliases by operation name
  Msr,
  Bfm, // BFM/SBFM/UBFM (+W): op $r, Rn, $s, Rd
  Bfx, // BFI/BFXIL/SBFIZ/SBFX/UBFIZ/UBFX (+W): op $lsb, Rn, $width, Rd
  Extr, // EXTR (+W): op $lsb, Rm, Rn, Rd
  Ext1, // SXTB/SXTH/SXTW/UXTB/UXTH/UXTW (+W)
  Bit1, // CLZ/CLS/RBIT/REV/REV16/REV32 (+W)
  MovWide, // MOVK/MOVZ/MOVN (+W)
  Fp2, // FADDD...: op Fm, [Fn,] Fd
  Fp1, // FABSD, FSQRTD, FCVT*, FRINT*: op Fn, Fd
  Fcmp, // FCMPD/FCMPS/FCMPED/FCMPES: op Fm|$0.0, Fn
  Fcsel, // FCSELD/FCSELS: op cond, Fn, Fm, Fd
  Fccmp, // FCCMPD...: op cond, Fm, Fn, $nzcv
  Fma, // FMADDD...: op Fm, Fa, Fn, Fd
  Fcvti, // SCVTF*/UCVTF* (R → F) and FCVTZ* (F → R)
  Word, // WORD $x (DWORD in text)
  Prfm, // PRFM off(Rn), op|$imm
  Pseudo, // NOP, PCDATA, FUNCDATA: no bytes
  Undef, // UNDEF: a permanently undefined instruction
  Pcalign, // PCALIGN $n: pad with NOOPs to an n-byte boundary
  Vaes, // AESE/AESD/AESMC/AESIMC Vn.B16, Vd.B16
  V3, // three-same vector ops: op Vm.T, Vn.T, Vd.T (op2 1: size from the arrangement; 3: the same, no 64-bit elements)
  Vldst, // VLD1..4 / VST1..4 multiple structures; op2 = register count
  Vmov, // VMOV/VDUP R, Vd.T (DUP general) and VMOV Vn.T, Vd.T (ORR)
  Vacross, // VUADDLV/VADDV Vn.T, Vd
  Vshift, // VUSHR/VSHL/VSRI/VSLI/VUSRA $sh, Vn.T, Vd.T (op2: 0 right, 1 left)
  Vext, // VEXT $idx, Vm.T, Vn.T, Vd.T
  Vtbl, // VTBL Vm.T, [Vn.B16, ...], Vd.T
  V2misc, // VRBIT/VREV16/VREV32/VREV64/VCNT Vn.T, Vd.T (op2: max element size log2)
  Vmovi, // VMOVI $imm8, Vd.B8|B16
  Vxtl, // VUSHLL[2] $sh, Vn.Tb, Vd.Ta and VUXTL[2] Vn.Tb, Vd.Ta (op2: 1 for the "2" forms)
  Vsha3, // SHA1C/SHA256H/SHA512H...: op Vm.T, Vn, Vd (op2 1: Vn and Vd are plain Q/S registers) or Vm.T, Vn.T, Vd.T; op3: T's element size (2: S4, 3: D2)
  Vsha2, // SHA1H Vn, Vd (op2 1: plain) and SHA1SU1/SHA256SU0/SHA512SU0 Vn.T, Vd.T; op3 as Vsha3
  V4, // VEOR3/VBCAX Va.B16, Vm.B16, Vn.B16, Vd.B16
  Vxar, // VXAR $imm6, Vm.D2, Vn.D2, Vd.D2
  Vpmull, // VPMULL[2] Vm.Tb, Vn.Tb, Vd.Ta (B8/B16 → H8, D1/D2 → Q1; op2: Q)
  Vwiden, // VUADDW[2] Vm.Tb, Vn.Ta, Vd.Ta (op2: Q)
  Vldr, // VLD1R..VLD4R (+.P) (Rn), [list]: load one element and replicate it; op2 = register count
}

export interface OpDef {
  f: F;
  /** Main opcode bits (form-specific meaning). */
  op: number;
  /** Secondary opcode bits (immediate form, extended form...). */
  op2?: number;
  op3?: number;
  /** 32-bit (W) variant. */
  w?: boolean;
  /** Compare-style: the destination is ZR and the result only sets flags. */
  cmp?: boolean;
  /** Sets flags (S bit). */
  s?: boolean;
  /** Logical ops that invert their immediate (BIC, ORN, EON, BICS). */
  inv?: boolean;
  /** Memory access size in bytes (loads/stores, LDP/STP). */
  size?: number;
  /** Name of the complementary add/sub op for negative immediates. */
  comp?: string;
}

/**
 * The op table, built on first use: an amd64 or 386 run imports this backend
 * with the others and should not pay for its table at start-up.
 */
let table: Map<string, OpDef> | null = null;
let branchOps: Set<string> | null = null;

export function optab(): ReadonlyMap<string, OpDef> {
  return (table ??= build());
}

/** Ops whose bare identifier operand is a branch target. */
export function isBranchOp(op: string): boolean {
  branchOps ??= new Set(
    [...optab().entries()].filter(([, d]) => d.f === F.B || d.f === F.Bl || d.f === F.Bcond || d.f === F.Cb || d.f === F.Tb || d.f === F.Adr).map(([n]) => n),
  );
  return branchOps.has(op);
}

function build(): Map<string, OpDef> {
  const ops = new Map<string, OpDef>();

  function row(name: string, d: OpDef): void {
    ops.set(name, d);
  }

  // Add/subtract: imm form, shifted-register form, extended-register form.
  function addsub(name: string, imm: number, comp: string | undefined, s: boolean): void {
    const reg = (imm & 0x60000000) | 0x0b000000 | 0x80000000;
    const ext = reg | 0x00200000;
    row(name, { f: F.AddSub, op: imm >>> 0, op2: reg >>> 0, op3: ext >>> 0, s, comp });
    row(name + 'W', { f: F.AddSub, op: (imm & 0x7fffffff) >>> 0, op2: (reg & 0x7fffffff) >>> 0, op3: (ext & 0x7fffffff) >>> 0, w: true, s, comp: comp && comp + 'W' });
  }
  addsub('ADD', 0x91000000, 'SUB', false);
  addsub('ADDS', 0xb1000000, undefined, true);
  addsub('SUB', 0xd1000000, 'ADD', false);
  addsub('SUBS', 0xf1000000, undefined, true);
  row('CMP', { ...ops.get('SUBS')!, cmp: true, comp: 'CMN' });
  row('CMPW', { ...ops.get('SUBSW')!, cmp: true, comp: 'CMNW' });
  row('CMN', { ...ops.get('ADDS')!, cmp: true, comp: 'CMP' });
  row('CMNW', { ...ops.get('ADDSW')!, cmp: true, comp: 'CMPW' });

  // Logical: shifted-register opcode; the immediate opcode; inversion for BIC-like ops.
  function logic(name: string, reg: number, imm: number, inv: boolean, s: boolean): void {
    row(name, { f: F.Logic, op: reg >>> 0, op2: imm >>> 0, inv, s });
    row(name + 'W', { f: F.Logic, op: (reg & 0x7fffffff) >>> 0, op2: (imm & 0x7fffffff) >>> 0, inv, s, w: true });
  }
  logic('AND', 0x8a000000, 0x92000000, false, false);
  logic('BIC', 0x8a200000, 0x92000000, true, false);
  logic('ORR', 0xaa000000, 0xb2000000, false, false);
  logic('ORN', 0xaa200000, 0xb2000000, true, false);
  logic('EOR', 0xca000000, 0xd2000000, false, false);
  logic('EON', 0xca200000, 0xd2000000, true, false);
  logic('ANDS', 0xea000000, 0xf2000000, false, true);
  logic('BICS', 0xea200000, 0xf2000000, true, true);
  row('TST', { ...ops.get('ANDS')!, cmp: true });
  row('TSTW', { ...ops.get('ANDSW')!, cmp: true });

  function both(name: string, f: F, op64: number, op32: number | undefined, extra: Partial<OpDef> = {}): void {
    row(name, { f, op: op64 >>> 0, ...extra });
    if (op32 !== undefined) row(name + 'W', { f, op: op32 >>> 0, w: true, ...extra });
  }
  both('ADC', F.AdcSbc, 0x9a000000, 0x1a000000);
  both('ADCS', F.AdcSbc, 0xba000000, 0x3a000000);
  both('SBC', F.AdcSbc, 0xda000000, 0x5a000000);
  both('SBCS', F.AdcSbc, 0xfa000000, 0x7a000000);
  both('NGC', F.Ngc, 0xda000000, 0x5a000000);
  both('NGCS', F.Ngc, 0xfa000000, 0x7a000000);

  // Moves and loads/stores. op = unsigned-offset load, op2 = unsigned-offset store.
  row('MOVD', { f: F.Mov, op: 0xf9400000, op2: 0xf9000000, size: 8 });
  row('MOVW', { f: F.Mov, op: 0xb9800000, op2: 0xb9000000, size: 4, w: true });
  row('MOVWU', { f: F.Mov, op: 0xb9400000, op2: 0xb9000000, size: 4 });
  row('MOVH', { f: F.Mov, op: 0x79800000, op2: 0x79000000, size: 2 });
  row('MOVHU', { f: F.Mov, op: 0x79400000, op2: 0x79000000, size: 2 });
  row('MOVB', { f: F.Mov, op: 0x39800000, op2: 0x39000000, size: 1 });
  row('MOVBU', { f: F.Mov, op: 0x39400000, op2: 0x39000000, size: 1 });
  row('FMOVD', { f: F.FMov, op: 0xfd400000, op2: 0xfd000000, size: 8 });
  row('FMOVS', { f: F.FMov, op: 0xbd400000, op2: 0xbd000000, size: 4 });
  row('FMOVQ', { f: F.FMov, op: 0x3dc00000, op2: 0x3d800000, size: 16 });

  both('MVN', F.Mvn, 0xaa200000, 0x2a200000);
  both('NEG', F.Neg, 0xcb000000, 0x4b000000);
  both('NEGS', F.Neg, 0xeb000000, 0x6b000000);

  // Shifts: op = register form (LSLV...), op2 marks the kind for the immediate form.
  both('LSL', F.Shift, 0x9ac02000, 0x1ac02000, { op2: 0 });
  both('LSR', F.Shift, 0x9ac02400, 0x1ac02400, { op2: 1 });
  both('ASR', F.Shift, 0x9ac02800, 0x1ac02800, { op2: 2 });
  both('ROR', F.Shift, 0x9ac02c00, 0x1ac02c00, { op2: 3 });

  // Multiply family. Ra=ZR for the 3-operand aliases.
  both('MUL', F.Mul, 0x9b007c00, 0x1b007c00);
  both('MNEG', F.Mul, 0x9b00fc00, 0x1b00fc00);
  row('SMULL', { f: F.Mul, op: 0x9b207c00 });
  row('UMULL', { f: F.Mul, op: 0x9ba07c00 });
  row('SMNEGL', { f: F.Mul, op: 0x9b20fc00 });
  row('UMNEGL', { f: F.Mul, op: 0x9ba0fc00 });
  row('SMULH', { f: F.Mul, op: 0x9b407c00 });
  row('UMULH', { f: F.Mul, op: 0x9bc07c00 });
  both('MADD', F.Madd, 0x9b000000, 0x1b000000);
  both('MSUB', F.Madd, 0x9b008000, 0x1b008000);
  row('SMADDL', { f: F.Madd, op: 0x9b200000 });
  row('SMSUBL', { f: F.Madd, op: 0x9b208000 });
  row('UMADDL', { f: F.Madd, op: 0x9ba00000 });
  row('UMSUBL', { f: F.Madd, op: 0x9ba08000 });
  both('UDIV', F.Rrr, 0x9ac00800, 0x1ac00800);
  both('SDIV', F.Rrr, 0x9ac00c00, 0x1ac00c00);
  both('REM', F.Rem, 0x9ac00c00, 0x1ac00c00);
  both('UREM', F.Rem, 0x9ac00800, 0x1ac00800);
  row('CRC32B', { f: F.Rrr, op: 0x1ac04000 });
  row('CRC32H', { f: F.Rrr, op: 0x1ac04400 });
  row('CRC32W', { f: F.Rrr, op: 0x1ac04800 });
  row('CRC32X', { f: F.Rrr, op: 0x9ac04c00 });
  row('CRC32CB', { f: F.Rrr, op: 0x1ac05000 });
  row('CRC32CH', { f: F.Rrr, op: 0x1ac05400 });
  row('CRC32CW', { f: F.Rrr, op: 0x1ac05800 });
  row('CRC32CX', { f: F.Rrr, op: 0x9ac05c00 });

  both('CSEL', F.Csel, 0x9a800000, 0x1a800000);
  both('CSINC', F.Csel, 0x9a800400, 0x1a800400);
  both('CSINV', F.Csel, 0xda800000, 0x5a800000);
  both('CSNEG', F.Csel, 0xda800400, 0x5a800400);
  both('CSET', F.Cset, 0x9a800400, 0x1a800400);
  both('CSETM', F.Cset, 0xda800000, 0x5a800000);
  both('CINC', F.Cinc, 0x9a800400, 0x1a800400);
  both('CINV', F.Cinc, 0xda800000, 0x5a800000);
  both('CNEG', F.Cinc, 0xda800400, 0x5a800400);
  both('CCMN', F.Ccmp, 0xba400000, 0x3a400000);
  both('CCMP', F.Ccmp, 0xfa400000, 0x7a400000);

  row('CBZ', { f: F.Cb, op: 0xb4000000 });
  row('CBNZ', { f: F.Cb, op: 0xb5000000 });
  row('CBZW', { f: F.Cb, op: 0x34000000, w: true });
  row('CBNZW', { f: F.Cb, op: 0x35000000, w: true });
  row('TBZ', { f: F.Tb, op: 0x36000000 });
  row('TBNZ', { f: F.Tb, op: 0x37000000 });
  row('B', { f: F.B, op: 0x14000000, op2: 0xd61f0000 });
  row('JMP', { f: F.B, op: 0x14000000, op2: 0xd61f0000 });
  row('BL', { f: F.Bl, op: 0x94000000, op2: 0xd63f0000 });
  row('CALL', { f: F.Bl, op: 0x94000000, op2: 0xd63f0000 });
  row('RET', { f: F.Ret, op: 0xd65f0000 });
  row('ADR', { f: F.Adr, op: 0x10000000 });
  row('ADRP', { f: F.Adr, op: 0x90000000 });

  // Conditional branches, both `B.EQ` and Go's `BEQ` spellings.
  const condNames: [string, number][] = [
    ['EQ', 0], ['NE', 1], ['CS', 2], ['HS', 2], ['CC', 3], ['LO', 3], ['MI', 4], ['PL', 5],
    ['VS', 6], ['VC', 7], ['HI', 8], ['LS', 9], ['GE', 10], ['LT', 11], ['GT', 12], ['LE', 13],
    ['AL', 14], ['NV', 15],
  ];
  for (const [c, n] of condNames) {
    row('B' + c, { f: F.Bcond, op: 0x54000000 | n });
    row('B.' + c, { f: F.Bcond, op: 0x54000000 | n });
  }

  // Load/store pair: op has opc/V bits and L; size is the element size.
  row('LDP', { f: F.Ldp, op: 0xa8400000, size: 8 });
  row('LDPW', { f: F.Ldp, op: 0x28400000, size: 4 });
  row('LDPSW', { f: F.Ldp, op: 0x68400000, size: 4 });
  row('FLDPS', { f: F.Ldp, op: 0x2c400000, size: 4 });
  row('FLDPD', { f: F.Ldp, op: 0x6c400000, size: 8 });
  row('FLDPQ', { f: F.Ldp, op: 0xac400000, size: 16 });
  row('STP', { f: F.Stp, op: 0xa8000000, size: 8 });
  row('STPW', { f: F.Stp, op: 0x28000000, size: 4 });
  row('FSTPS', { f: F.Stp, op: 0x2c000000, size: 4 });
  row('FSTPD', { f: F.Stp, op: 0x6c000000, size: 8 });
  row('FSTPQ', { f: F.Stp, op: 0xac000000, size: 16 });

  // Load-acquire / exclusive. Sizes: X=0xc0.., W=0x80.., H=0x40.., B=0x00...
  const szBits: [string, number][] = [['', 0xc0000000], ['W', 0x80000000], ['H', 0x40000000], ['B', 0x00000000]];
  for (const [sfx, sz] of szBits) {
    row('LDAR' + sfx, { f: F.Ldar, op: (sz | 0x08dffc00) >>> 0 });
    row('LDXR' + sfx, { f: F.Ldar, op: (sz | 0x085f7c00) >>> 0 });
    row('LDAXR' + sfx, { f: F.Ldar, op: (sz | 0x085ffc00) >>> 0 });
    row('STLR' + sfx, { f: F.Stlr, op: (sz | 0x089ffc00) >>> 0 });
    row('STXR' + sfx, { f: F.Stxr, op: (sz | 0x08007c00) >>> 0 });
    row('STLXR' + sfx, { f: F.Stxr, op: (sz | 0x0800fc00) >>> 0 });
  }
  row('LDXP', { f: F.Ldxp, op: 0xc87f0000 });
  row('LDXPW', { f: F.Ldxp, op: 0x887f0000 });
  row('LDAXP', { f: F.Ldxp, op: 0xc87f8000 });
  row('LDAXPW', { f: F.Ldxp, op: 0x887f8000 });
  row('STXP', { f: F.Stxp, op: 0xc8200000 });
  row('STXPW', { f: F.Stxp, op: 0x88200000 });
  row('STLXP', { f: F.Stxp, op: 0xc8208000 });
  row('STLXPW', { f: F.Stxp, op: 0x88208000 });

  // LSE atomics: Go spells the size last (D, W, H, B) and the ordering before it
  // (A acquire, AL acquire-release, L release).
  const atomSizes: [string, number][] = [['D', 0xc0000000], ['W', 0x80000000], ['H', 0x40000000], ['B', 0x00000000]];
  const atomOrders: [string, number][] = [['', 0], ['A', 1 << 23], ['AL', (1 << 23) | (1 << 22)], ['L', 1 << 22]];
  const atomOps: [string, number][] = [
    ['LDADD', 0x0], ['LDCLR', 0x1000], ['LDEOR', 0x2000], ['LDOR', 0x3000],
    ['LDSMAX', 0x4000], ['LDSMIN', 0x5000], ['LDUMAX', 0x6000], ['LDUMIN', 0x7000], ['SWP', 0x8000],
  ];
  for (const [name, opc] of atomOps)
    for (const [ord, ob] of atomOrders)
      for (const [sfx, sz] of atomSizes) row(name + ord + sfx, { f: F.Atomic, op: (sz | 0x38200000 | ob | opc) >>> 0 });
  // CAS: L (release) is bit 15, A (acquire) bit 22.
  const casOrders: [string, number][] = [['', 0], ['A', 1 << 22], ['AL', (1 << 22) | (1 << 15)], ['L', 1 << 15]];
  for (const [ord, ob] of casOrders)
    for (const [sfx, sz] of atomSizes) row('CAS' + ord + sfx, { f: F.Atomic, op: (sz | 0x08a07c00 | ob) >>> 0 });

  // System instructions.
  const sys0: [string, number][] = [
    ['NOOP', 0xd503201f], ['YIELD', 0xd503203f], ['WFE', 0xd503205f], ['WFI', 0xd503207f],
    ['SEV', 0xd503209f], ['SEVL', 0xd50320bf], ['ERET', 0xd69f03e0], ['DRPS', 0xd6bf03e0],
  ];
  for (const [n, v] of sys0) row(n, { f: F.Sys0, op: v >>> 0 });
  const imm16: [string, number][] = [
    ['SVC', 0xd4000001], ['HVC', 0xd4000002], ['SMC', 0xd4000003], ['BRK', 0xd4200000],
    ['HLT', 0xd4400000], ['DCPS1', 0xd4a00001], ['DCPS2', 0xd4a00002], ['DCPS3', 0xd4a00003],
  ];
  for (const [n, v] of imm16) row(n, { f: F.Imm16, op: v >>> 0 });
  row('DMB', { f: F.Barrier, op: 0xd50330bf });
  row('DSB', { f: F.Barrier, op: 0xd503309f });
  row('ISB', { f: F.Barrier, op: 0xd50330df });
  row('HINT', { f: F.Hint, op: 0xd503201f });
  row('CLREX', { f: F.Clrex, op: 0xd503305f });
  row('MRS', { f: F.Mrs, op: 0xd5200000 });
  row('MSR', { f: F.Msr, op: 0xd5000000 });
  row('CASPD', { f: F.Casp, op: 0x48207c00 });
  row('CASPW', { f: F.Casp, op: 0x08207c00 });
  row('SYS', { f: F.Sys, op: 0xd5080000 });
  row('SYSL', { f: F.Sys, op: 0xd5280000 });
  row('TLBI', { f: F.Sysop, op: 0xd5080000 });
  row('DC', { f: F.Sysop, op: 0xd5080000 });

  // Bitfield moves. op = the BFM-class opcode (with N for 64-bit), op2 = alias kind.
  both('BFM', F.Bfm, 0xb3400000, 0x33000000);
  both('SBFM', F.Bfm, 0x93400000, 0x13000000);
  both('UBFM', F.Bfm, 0xd3400000, 0x53000000);
  // op2: 0 = insert-style (BFI/SBFIZ/UBFIZ), 1 = extract-style (BFXIL/SBFX/UBFX)
  both('BFI', F.Bfx, 0xb3400000, 0x33000000, { op2: 0 });
  both('BFXIL', F.Bfx, 0xb3400000, 0x33000000, { op2: 1 });
  both('SBFIZ', F.Bfx, 0x93400000, 0x13000000, { op2: 0 });
  both('SBFX', F.Bfx, 0x93400000, 0x13000000, { op2: 1 });
  both('UBFIZ', F.Bfx, 0xd3400000, 0x53000000, { op2: 0 });
  both('UBFX', F.Bfx, 0xd3400000, 0x53000000, { op2: 1 });
  both('EXTR', F.Extr, 0x93c00000, 0x13800000);
  // Extends: a bitfield move with immr=0 and imms = width-1.
  row('SXTB', { f: F.Ext1, op: 0x93401c00 });
  row('SXTH', { f: F.Ext1, op: 0x93403c00 });
  row('SXTW', { f: F.Ext1, op: 0x93407c00 });
  row('UXTB', { f: F.Ext1, op: 0xd3401c00 });
  row('UXTH', { f: F.Ext1, op: 0xd3403c00 });
  row('UXTW', { f: F.Ext1, op: 0xd3407c00 });
  row('SXTBW', { f: F.Ext1, op: 0x13001c00 });
  row('SXTHW', { f: F.Ext1, op: 0x13003c00 });
  row('UXTBW', { f: F.Ext1, op: 0x53001c00 });
  row('UXTHW', { f: F.Ext1, op: 0x53003c00 });
  both('CLZ', F.Bit1, 0xdac01000, 0x5ac01000);
  both('CLS', F.Bit1, 0xdac01400, 0x5ac01400);
  both('RBIT', F.Bit1, 0xdac00000, 0x5ac00000);
  both('REV', F.Bit1, 0xdac00c00, 0x5ac00800);
  both('REV16', F.Bit1, 0xdac00400, 0x5ac00400);
  row('REV32', { f: F.Bit1, op: 0xdac00800 });
  both('MOVK', F.MovWide, 0xf2800000, 0x72800000);
  both('MOVZ', F.MovWide, 0xd2800000, 0x52800000);
  both('MOVN', F.MovWide, 0x92800000, 0x12800000);

  // Floating point. D forms have type=01 (bit 22); S forms clear it.
  function fp(name: string, f: F, dop: number): void {
    row(name + 'D', { f, op: dop >>> 0 });
    row(name + 'S', { f, op: (dop & ~0x00400000) >>> 0 });
  }
  fp('FADD', F.Fp2, 0x1e602800);
  fp('FSUB', F.Fp2, 0x1e603800);
  fp('FMUL', F.Fp2, 0x1e600800);
  fp('FDIV', F.Fp2, 0x1e601800);
  fp('FMAX', F.Fp2, 0x1e604800);
  fp('FMIN', F.Fp2, 0x1e605800);
  fp('FMAXNM', F.Fp2, 0x1e606800);
  fp('FMINNM', F.Fp2, 0x1e607800);
  fp('FNMUL', F.Fp2, 0x1e608800);
  fp('FABS', F.Fp1, 0x1e60c000);
  fp('FNEG', F.Fp1, 0x1e614000);
  fp('FSQRT', F.Fp1, 0x1e61c000);
  fp('FRINTN', F.Fp1, 0x1e644000);
  fp('FRINTP', F.Fp1, 0x1e64c000);
  fp('FRINTM', F.Fp1, 0x1e654000);
  fp('FRINTZ', F.Fp1, 0x1e65c000);
  fp('FRINTA', F.Fp1, 0x1e664000);
  fp('FRINTX', F.Fp1, 0x1e674000);
  fp('FRINTI', F.Fp1, 0x1e67c000);
  row('FCVTSD', { f: F.Fp1, op: 0x1e22c000 });
  row('FCVTDS', { f: F.Fp1, op: 0x1e624000 });
  row('FCVTHS', { f: F.Fp1, op: 0x1ee24000 });
  row('FCVTHD', { f: F.Fp1, op: 0x1ee2c000 });
  row('FCVTSH', { f: F.Fp1, op: 0x1e23c000 });
  row('FCVTDH', { f: F.Fp1, op: 0x1e63c000 });
  fp('FCMP', F.Fcmp, 0x1e602000);
  fp('FCMPE', F.Fcmp, 0x1e602010);
  fp('FCSEL', F.Fcsel, 0x1e600c00);
  fp('FCCMP', F.Fccmp, 0x1e600400);
  fp('FCCMPE', F.Fccmp, 0x1e600410);
  fp('FMADD', F.Fma, 0x1f400000);
  fp('FMSUB', F.Fma, 0x1f408000);
  fp('FNMADD', F.Fma, 0x1f600000);
  fp('FNMSUB', F.Fma, 0x1f608000);
  // Conversions between integer and floating-point registers.
  // Names: SCVTF{W?}{S|D}: int (X, or W with W) → float; FCVTZ{S|U}{S|D}{W?}: float → int.
  for (const [n, base] of [['SCVTF', 0x1e220000], ['UCVTF', 0x1e230000]] as [string, number][]) {
    row(n + 'S', { f: F.Fcvti, op: (base | 0x80000000) >>> 0, op2: 1 });
    row(n + 'D', { f: F.Fcvti, op: (base | 0x80400000) >>> 0, op2: 1 });
    row(n + 'WS', { f: F.Fcvti, op: base >>> 0, op2: 1 });
    row(n + 'WD', { f: F.Fcvti, op: (base | 0x00400000) >>> 0, op2: 1 });
  }
  for (const [n, base] of [['FCVTZS', 0x1e380000], ['FCVTZU', 0x1e390000]] as [string, number][]) {
    row(n + 'S', { f: F.Fcvti, op: (base | 0x80000000) >>> 0, op2: 0 });
    row(n + 'D', { f: F.Fcvti, op: (base | 0x80400000) >>> 0, op2: 0 });
    row(n + 'SW', { f: F.Fcvti, op: base >>> 0, op2: 0 });
    row(n + 'DW', { f: F.Fcvti, op: (base | 0x00400000) >>> 0, op2: 0 });
  }

  row('WORD', { f: F.Word, op: 0, size: 4 });
  row('DWORD', { f: F.Word, op: 0, size: 8 });
  row('PRFM', { f: F.Prfm, op: 0xf9800000 });
  row('NOP', { f: F.Pseudo, op: 0 });
  row('PCDATA', { f: F.Pseudo, op: 0 });
  row('FUNCDATA', { f: F.Pseudo, op: 0 });
  row('UNDEF', { f: F.Undef, op: 0 });
  row('PCALIGN', { f: F.Pcalign, op: 0xd503201f });

  // Vector and crypto subset (what Go's runtime uses).
  row('AESE', { f: F.Vaes, op: 0x4e284800 });
  row('AESD', { f: F.Vaes, op: 0x4e285800 });
  row('AESMC', { f: F.Vaes, op: 0x4e286800 });
  row('AESIMC', { f: F.Vaes, op: 0x4e287800 });
  row('VEOR', { f: F.V3, op: 0x2e201c00, op2: 0 });
  row('VAND', { f: F.V3, op: 0x0e201c00, op2: 0 });
  row('VORR', { f: F.V3, op: 0x0ea01c00, op2: 0 });
  row('VBIT', { f: F.V3, op: 0x2ea01c00, op2: 0 });
  row('VBSL', { f: F.V3, op: 0x2e601c00, op2: 0 });
  row('VBIF', { f: F.V3, op: 0x2ee01c00, op2: 0 });
  // op3: the scalar form (ADD/SUB Dd, Dn, Dm), written with plain V registers.
  row('VADD', { f: F.V3, op: 0x0e208400, op2: 1, op3: 0x5ee08400 });
  row('VSUB', { f: F.V3, op: 0x2e208400, op2: 1, op3: 0x7ee08400 });
  row('VADDP', { f: F.V3, op: 0x0e20bc00, op2: 1 });
  row('VCMEQ', { f: F.V3, op: 0x2e208c00, op2: 1 });
  row('VCMTST', { f: F.V3, op: 0x0e208c00, op2: 1 });
  row('VUMAX', { f: F.V3, op: 0x2e206400, op2: 3 });
  row('VUMIN', { f: F.V3, op: 0x2e206c00, op2: 3 });
  row('VZIP1', { f: F.V3, op: 0x0e003800, op2: 1 });
  row('VZIP2', { f: F.V3, op: 0x0e007800, op2: 1 });
  row('VUZP1', { f: F.V3, op: 0x0e001800, op2: 1 });
  row('VUZP2', { f: F.V3, op: 0x0e005800, op2: 1 });
  // LD1..LD4 / ST1..ST4 (multiple structures): opcode field by register count.
  row('VLD1', { f: F.Vldst, op: 0x0c400000, op2: 1 });
  row('VLD2', { f: F.Vldst, op: 0x0c400000, op2: 2 });
  row('VLD3', { f: F.Vldst, op: 0x0c400000, op2: 3 });
  row('VLD4', { f: F.Vldst, op: 0x0c400000, op2: 4 });
  row('VST1', { f: F.Vldst, op: 0x0c000000, op2: 1 });
  row('VST2', { f: F.Vldst, op: 0x0c000000, op2: 2 });
  row('VST3', { f: F.Vldst, op: 0x0c000000, op2: 3 });
  row('VST4', { f: F.Vldst, op: 0x0c000000, op2: 4 });
  row('VMOV', { f: F.Vmov, op: 0x0e000c00 });
  row('VDUP', { f: F.Vmov, op: 0x0e000c00 });
  row('VUADDLV', { f: F.Vacross, op: 0x2e303800 });
  row('VFMLA', { f: F.V3, op: 0x0e20cc00, op2: 2 });
  row('VFMLS', { f: F.V3, op: 0x0ea0cc00, op2: 2 });
  row('VUSHR', { f: F.Vshift, op: 0x2f000400, op2: 0 });
  row('VSRI', { f: F.Vshift, op: 0x2f004400, op2: 0 });
  row('VUSRA', { f: F.Vshift, op: 0x2f001400, op2: 0 });
  row('VSHL', { f: F.Vshift, op: 0x0f005400, op2: 1 });
  row('VSLI', { f: F.Vshift, op: 0x2f005400, op2: 1 });
  row('VEXT', { f: F.Vext, op: 0x2e000000 });
  row('VTBL', { f: F.Vtbl, op: 0x0e000000 });
  row('VRBIT', { f: F.V2misc, op: 0x2e605800, op2: -1 });
  row('VCNT', { f: F.V2misc, op: 0x0e205800, op2: -1 });
  row('VREV16', { f: F.V2misc, op: 0x0e201800, op2: 0 });
  row('VREV32', { f: F.V2misc, op: 0x2e200800, op2: 1 });
  row('VREV64', { f: F.V2misc, op: 0x0e200800, op2: 2 });
  row('VMOVI', { f: F.Vmovi, op: 0x0f00e400 });
  row('VUSHLL', { f: F.Vxtl, op: 0x2f00a400, op2: 0 });
  row('VUSHLL2', { f: F.Vxtl, op: 0x2f00a400, op2: 1 });
  row('VUXTL', { f: F.Vxtl, op: 0x2f00a400, op2: 0 });
  row('VUXTL2', { f: F.Vxtl, op: 0x2f00a400, op2: 1 });
  row('VTRN1', { f: F.V3, op: 0x0e002800, op2: 1 });
  row('VTRN2', { f: F.V3, op: 0x0e006800, op2: 1 });
  // Crypto extensions: SHA-1, SHA-2 (256 and 512), SHA-3 and polynomial multiply.
  row('SHA1C', { f: F.Vsha3, op: 0x5e000000, op2: 1, op3: 2 });
  row('SHA1P', { f: F.Vsha3, op: 0x5e001000, op2: 1, op3: 2 });
  row('SHA1M', { f: F.Vsha3, op: 0x5e002000, op2: 1, op3: 2 });
  row('SHA1SU0', { f: F.Vsha3, op: 0x5e003000, op2: 0, op3: 2 });
  row('SHA256H', { f: F.Vsha3, op: 0x5e004000, op2: 1, op3: 2 });
  row('SHA256H2', { f: F.Vsha3, op: 0x5e005000, op2: 1, op3: 2 });
  row('SHA256SU1', { f: F.Vsha3, op: 0x5e006000, op2: 0, op3: 2 });
  row('SHA512H', { f: F.Vsha3, op: 0xce608000, op2: 1, op3: 3 });
  row('SHA512H2', { f: F.Vsha3, op: 0xce608400, op2: 1, op3: 3 });
  row('SHA512SU1', { f: F.Vsha3, op: 0xce608800, op2: 0, op3: 3 });
  row('VRAX1', { f: F.Vsha3, op: 0xce608c00, op2: 0, op3: 3 });
  row('SHA1H', { f: F.Vsha2, op: 0x5e280800, op2: 1, op3: 2 });
  row('SHA1SU1', { f: F.Vsha2, op: 0x5e281800, op2: 0, op3: 2 });
  row('SHA256SU0', { f: F.Vsha2, op: 0x5e282800, op2: 0, op3: 2 });
  row('SHA512SU0', { f: F.Vsha2, op: 0xcec08000, op2: 0, op3: 3 });
  row('VEOR3', { f: F.V4, op: 0xce000000 });
  row('VBCAX', { f: F.V4, op: 0xce200000 });
  row('VXAR', { f: F.Vxar, op: 0xce800000 });
  row('VPMULL', { f: F.Vpmull, op: 0x0e20e000, op2: 0 });
  row('VPMULL2', { f: F.Vpmull, op: 0x0e20e000, op2: 1 });
  row('VUADDW', { f: F.Vwiden, op: 0x2e201000, op2: 0 });
  row('VUADDW2', { f: F.Vwiden, op: 0x2e201000, op2: 1 });
  row('VLD1R', { f: F.Vldr, op: 0x0d40c000, op2: 1 });
  row('VLD2R', { f: F.Vldr, op: 0x0d60c000, op2: 2 });
  row('VLD3R', { f: F.Vldr, op: 0x0d40e000, op2: 3 });
  row('VLD4R', { f: F.Vldr, op: 0x0d60e000, op2: 4 });
  row('VADDV', { f: F.Vacross, op: 0x0e31b800 });
  return ops;
}
