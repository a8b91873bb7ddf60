// AVX-512 (EVEX-encoded) rows: a first slice of the instruction set — the
// floating-point and integer arithmetic, logic and moves, compares into mask
// registers, and the K-register moves (which are VEX-encoded).
//
// Go's syntax adds an optional opmask just before the destination and suffixes
// on the mnemonic: `VADDPD.BCST.Z (AX), Z2, K1, Z3` broadcasts one element from
// memory, zeroes the lanes K1 masks off. The encoder strips the mask and the
// suffixes, then matches these rows. The tuple (last field of `E.`) gives the
// memory operand's N for disp8*N compression: fvN is a full vector whose
// broadcast element has N bytes, fvmN a full vector that cannot broadcast, t1sN
// one element of N bytes.
// Worked example: VADDPD Z13, Z11, K3, Z14 → 62 51 a5 4b 58 f5.

import { defineForms as def, defineLater } from './table.js';
import { Mode } from './forms.js';

type PP = 'NP' | '66' | 'F3' | 'F2';
type Map = '0F' | '0F38' | '0F3A';

// Defined when a file first uses a mnemonic the base table lacks (table.ts).
defineLater(function defineEvexForms(): void {
  const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');
  const SIZES = [
    ['x', 128],
    ['y', 256],
    ['z', 512],
  ] as const;

  function e(l: number, pp: PP, map: Map, w: 0 | 1, tuple: string): string {
    return `E.${l}.${pp}.${map}.W${w}.${tuple}`;
  }

  /** "xm, v, dst" in all three vector lengths: VPADDD Z1, Z2, Z3. */
  function nds(name: string, pp: PP, map: Map, op: number, w: 0 | 1, tuple: string): void {
    for (const [r, l] of SIZES) def(name, [`${r}m,${r}:v,${r}`, `${e(l, pp, map, w, tuple)} ${hex(op)} /r`, Mode.Only64]);
  }
  /** Scalar "xm, v, x" (128 only): VADDSD X1, X2, K1, X3. */
  function scalar(name: string, pp: PP, map: Map, op: number, w: 0 | 1, elem: number): void {
    def(name, ['xm,x:v,x', `${e(128, pp, map, w, `t1s${elem}`)} ${hex(op)} /r`, Mode.Only64]);
  }
  /** "xm, dst": VSQRTPD Z1, Z2. */
  function unary(name: string, pp: PP, map: Map, op: number, w: 0 | 1, tuple: string): void {
    for (const [r, l] of SIZES) def(name, [`${r}m,${r}`, `${e(l, pp, map, w, tuple)} ${hex(op)} /r`, Mode.Only64]);
  }
  /**
   * Load and store opcodes: VMOVDQU64 (AX), Z1 and VMOVDQU64 Z1, (AX). Between
   * registers Go uses the store opcode, so that form comes first.
   */
  function move(name: string, pp: PP, ld: number, st: number, w: 0 | 1, tuple: string): void {
    for (const [r, l] of SIZES)
      def(name, [`${r},${r}m`, `${e(l, pp, '0F', w, tuple)} ${hex(st)} /r`, Mode.Only64], [`${r}m,${r}`, `${e(l, pp, '0F', w, tuple)} ${hex(ld)} /r`, Mode.Only64]);
  }
  /** Immediate first: VPTERNLOGD $0x96, Z1, Z2, Z3. */
  function ndsImm(name: string, pp: PP, map: Map, op: number, w: 0 | 1, tuple: string): void {
    for (const [r, l] of SIZES) def(name, [`u8,${r}m,${r}:v,${r}`, `${e(l, pp, map, w, tuple)} ${hex(op)} /r ib`, Mode.Only64]);
  }
  /** Compare into a mask register: VPCMPEQD Z1, Z2, K1. */
  function cmpK(name: string, pp: PP, map: Map, op: number, w: 0 | 1, tuple: string): void {
    for (const [r, l] of SIZES) def(name, [`${r}m,${r}:v,k`, `${e(l, pp, map, w, tuple)} ${hex(op)} /r`, Mode.Only64]);
  }

  // Floating point.
  for (const [n, op] of [['ADD', 0x58], ['MUL', 0x59], ['SUB', 0x5c], ['MIN', 0x5d], ['DIV', 0x5e], ['MAX', 0x5f]] as const) {
    nds(`V${n}PS`, 'NP', '0F', op, 0, 'fv4');
    nds(`V${n}PD`, '66', '0F', op, 1, 'fv8');
    scalar(`V${n}SS`, 'F3', '0F', op, 0, 4);
    scalar(`V${n}SD`, 'F2', '0F', op, 1, 8);
  }
  unary('VSQRTPS', 'NP', '0F', 0x51, 0, 'fv4');
  unary('VSQRTPD', '66', '0F', 0x51, 1, 'fv8');
  for (const [n, op] of [['VANDPS', 0x54], ['VANDNPS', 0x55], ['VORPS', 0x56], ['VXORPS', 0x57], ['VUNPCKLPS', 0x14], ['VUNPCKHPS', 0x15]] as const) {
    nds(n, 'NP', '0F', op, 0, 'fv4');
    nds(n.replace(/PS$/, 'PD'), '66', '0F', op, 1, 'fv8');
  }

  // Integer arithmetic and logic; the D/Q forms differ in EVEX.W.
  for (const [n, op] of [['VPADD', 0xfe], ['VPSUB', 0xfa], ['VPAND', 0xdb], ['VPANDN', 0xdf], ['VPOR', 0xeb], ['VPXOR', 0xef]] as const) {
    const d = n === 'VPADD' || n === 'VPSUB' ? `${n}D` : `${n}D`;
    nds(d, '66', '0F', op, 0, 'fv4');
  }
  nds('VPADDQ', '66', '0F', 0xd4, 1, 'fv8');
  nds('VPSUBQ', '66', '0F', 0xfb, 1, 'fv8');
  for (const [n, op] of [['VPANDQ', 0xdb], ['VPANDNQ', 0xdf], ['VPORQ', 0xeb], ['VPXORQ', 0xef]] as const) nds(n, '66', '0F', op, 1, 'fv8');
  nds('VPMULLD', '66', '0F38', 0x40, 0, 'fv4');
  nds('VPMULLQ', '66', '0F38', 0x40, 1, 'fv8');
  nds('VPMULUDQ', '66', '0F', 0xf4, 1, 'fv8');
  nds('VPMAXSD', '66', '0F38', 0x3d, 0, 'fv4');
  nds('VPMAXSQ', '66', '0F38', 0x3d, 1, 'fv8');
  nds('VPMINSD', '66', '0F38', 0x39, 0, 'fv4');
  nds('VPMINSQ', '66', '0F38', 0x39, 1, 'fv8');
  nds('VPMAXUD', '66', '0F38', 0x3f, 0, 'fv4');
  nds('VPMAXUQ', '66', '0F38', 0x3f, 1, 'fv8');
  nds('VPMINUD', '66', '0F38', 0x3b, 0, 'fv4');
  nds('VPMINUQ', '66', '0F38', 0x3b, 1, 'fv8');
  nds('VPERMD', '66', '0F38', 0x36, 0, 'fv4');
  nds('VPERMQ', '66', '0F38', 0x36, 1, 'fv8');
  nds('VPSLLVD', '66', '0F38', 0x47, 0, 'fv4');
  nds('VPSLLVQ', '66', '0F38', 0x47, 1, 'fv8');
  nds('VPSRLVD', '66', '0F38', 0x45, 0, 'fv4');
  nds('VPSRLVQ', '66', '0F38', 0x45, 1, 'fv8');
  nds('VPUNPCKLDQ', '66', '0F', 0x62, 0, 'fv4');
  nds('VPUNPCKHDQ', '66', '0F', 0x6a, 0, 'fv4');
  nds('VPUNPCKLQDQ', '66', '0F', 0x6c, 1, 'fv8');
  nds('VPUNPCKHQDQ', '66', '0F', 0x6d, 1, 'fv8');
  // AVX512BW byte/word forms cannot broadcast: full-vector memory tuple.
  for (const [n, map, op] of [
    ['VPADDB', '0F', 0xfc], ['VPADDW', '0F', 0xfd], ['VPSUBB', '0F', 0xf8], ['VPSUBW', '0F', 0xf9], ['VPSHUFB', '0F38', 0x00],
    ['VPMINUB', '0F', 0xda], ['VPMAXUB', '0F', 0xde], ['VPAVGB', '0F', 0xe0], ['VPUNPCKLBW', '0F', 0x60], ['VPUNPCKHBW', '0F', 0x68],
  ] as const)
    nds(n, '66', map, op, 0, 'fvm1');
  ndsImm('VPTERNLOGD', '66', '0F3A', 0x25, 0, 'fv4');
  ndsImm('VPTERNLOGQ', '66', '0F3A', 0x25, 1, 'fv8');
  ndsImm('VALIGND', '66', '0F3A', 0x03, 0, 'fv4');
  ndsImm('VALIGNQ', '66', '0F3A', 0x03, 1, 'fv8');
  ndsImm('VSHUFPS', 'NP', '0F', 0xc6, 0, 'fv4');
  ndsImm('VSHUFPD', '66', '0F', 0xc6, 1, 'fv8');

  // Compares into masks.
  cmpK('VPCMPEQB', '66', '0F', 0x74, 0, 'fvm1');
  cmpK('VPCMPEQW', '66', '0F', 0x75, 0, 'fvm1');
  cmpK('VPCMPEQD', '66', '0F', 0x76, 0, 'fv4');
  cmpK('VPCMPEQQ', '66', '0F38', 0x29, 1, 'fv8');
  cmpK('VPCMPGTB', '66', '0F', 0x64, 0, 'fvm1');
  cmpK('VPCMPGTD', '66', '0F', 0x66, 0, 'fv4');
  cmpK('VPCMPGTQ', '66', '0F38', 0x37, 1, 'fv8');
  cmpK('VPTESTMD', '66', '0F38', 0x27, 0, 'fv4');
  cmpK('VPTESTMQ', '66', '0F38', 0x27, 1, 'fv8');
  cmpK('VPTESTNMD', 'F3', '0F38', 0x27, 0, 'fv4');
  cmpK('VPTESTNMQ', 'F3', '0F38', 0x27, 1, 'fv8');

  // Moves.
  move('VMOVDQU32', 'F3', 0x6f, 0x7f, 0, 'fvm4');
  move('VMOVDQU64', 'F3', 0x6f, 0x7f, 1, 'fvm8');
  move('VMOVDQU8', 'F2', 0x6f, 0x7f, 0, 'fvm1');
  move('VMOVDQU16', 'F2', 0x6f, 0x7f, 1, 'fvm2');
  move('VMOVDQA32', '66', 0x6f, 0x7f, 0, 'fvm4');
  move('VMOVDQA64', '66', 0x6f, 0x7f, 1, 'fvm8');
  move('VMOVUPS', 'NP', 0x10, 0x11, 0, 'fvm4');
  move('VMOVUPD', '66', 0x10, 0x11, 1, 'fvm8');
  move('VMOVAPS', 'NP', 0x28, 0x29, 0, 'fvm4');
  move('VMOVAPD', '66', 0x28, 0x29, 1, 'fvm8');
  for (const [r, l] of SIZES) {
    def('VPBROADCASTD', [`xm,${r}`, `${e(l, '66', '0F38', 0, 't1s4')} 58 /r`, Mode.Only64], [`r,${r}`, `${e(l, '66', '0F38', 0, 't1s4')} 7C /r`, Mode.Only64]);
    def('VPBROADCASTQ', [`xm,${r}`, `${e(l, '66', '0F38', 1, 't1s8')} 59 /r`, Mode.Only64], [`r,${r}`, `${e(l, '66', '0F38', 1, 't1s8')} 7C /r`, Mode.Only64]);
    def('VPBROADCASTB', [`xm,${r}`, `${e(l, '66', '0F38', 0, 't1s1')} 78 /r`, Mode.Only64], [`r,${r}`, `${e(l, '66', '0F38', 0, 't1s1')} 7A /r`, Mode.Only64]);
  }

  // Opmask register moves and logic (VEX-encoded): KMOVW K1, AX → c5 f8 93 c1.
  for (const [s, ppM, wM, ppR, wR] of [['B', '66', 'W0', '66', 'W0'], ['W', 'NP', 'W0', 'NP', 'W0'], ['D', '66', 'W1', 'F2', 'W0'], ['Q', 'NP', 'W1', 'F2', 'W1']] as const) {
    def(`KMOV${s}`,
      ['km,k', `V.128.${ppM}.0F.${wM} 90 /r`],
      ['k,m', `V.128.${ppM}.0F.${wM} 91 /r`],
      ['r:m,k', `V.128.${ppR}.0F.${wR} 92 /r`],
      ['k:m,r', `V.128.${ppR}.0F.${wR} 93 /r`]);
    for (const [n, op] of [['KAND', 0x41], ['KANDN', 0x42], ['KOR', 0x45], ['KXNOR', 0x46], ['KXOR', 0x47], ['KADD', 0x4a]] as const)
      def(`${n}${s}`, ['k:m,k:v,k', `V.256.${ppM}.0F.${wM} ${hex(op)} /r`]);
    def(`KNOT${s}`, ['k:m,k', `V.128.${ppM}.0F.${wM} 44 /r`]);
    def(`KORTEST${s}`, ['k:m,k', `V.128.${ppM}.0F.${wM} 98 /r`]);
    def(`KTEST${s}`, ['k:m,k', `V.128.${ppM}.0F.${wM} 99 /r`]);
  }

  // FMA3: VFMADD231PD Z1, Z2, K1, Z3.
  for (const [n, op] of [
    ['VFMADD132', 0x98], ['VFMADD213', 0xa8], ['VFMADD231', 0xb8], ['VFMSUB132', 0x9a], ['VFMSUB213', 0xaa], ['VFMSUB231', 0xba],
    ['VFNMADD132', 0x9c], ['VFNMADD213', 0xac], ['VFNMADD231', 0xbc], ['VFNMSUB132', 0x9e], ['VFNMSUB213', 0xae], ['VFNMSUB231', 0xbe],
  ] as const) {
    nds(`${n}PS`, '66', '0F38', op, 0, 'fv4');
    nds(`${n}PD`, '66', '0F38', op, 1, 'fv8');
    scalar(`${n}SS`, '66', '0F38', op + 1, 0, 4);
    scalar(`${n}SD`, '66', '0F38', op + 1, 1, 8);
  }
  for (const [n, op] of [['VFMADDSUB132', 0x96], ['VFMADDSUB213', 0xa6], ['VFMADDSUB231', 0xb6], ['VFMSUBADD132', 0x97], ['VFMSUBADD213', 0xa7], ['VFMSUBADD231', 0xb7]] as const) {
    nds(`${n}PS`, '66', '0F38', op, 0, 'fv4');
    nds(`${n}PD`, '66', '0F38', op, 1, 'fv8');
  }
  nds('VPERMILPS', '66', '0F38', 0x0c, 0, 'fv4');
  nds('VPERMILPD', '66', '0F38', 0x0d, 1, 'fv8');
  nds('VSCALEFPS', '66', '0F38', 0x2c, 0, 'fv4');
  nds('VSCALEFPD', '66', '0F38', 0x2c, 1, 'fv8');
  nds('VPERMPS', '66', '0F38', 0x16, 0, 'fv4');
  nds('VPERMPD', '66', '0F38', 0x16, 1, 'fv8');
  /** Immediate, then "xm, dst": VPERMILPS $7, Z1, Z2. */
  function unaryImm(name: string, pp: PP, map: Map, op: number, w: 0 | 1, tuple: string): void {
    for (const [r, l] of SIZES) def(name, [`u8,${r}m,${r}`, `${e(l, pp, map, w, tuple)} ${hex(op)} /r ib`, Mode.Only64]);
  }
  unaryImm('VPERMILPS', '66', '0F3A', 0x04, 0, 'fv4');
  unaryImm('VPERMILPD', '66', '0F3A', 0x05, 1, 'fv8');
  unaryImm('VPSHUFD', '66', '0F', 0x70, 0, 'fv4');
  unaryImm('VPSHUFHW', 'F3', '0F', 0x70, 0, 'fvm1');
  unaryImm('VPSHUFLW', 'F2', '0F', 0x70, 0, 'fvm1');
  for (const [r, l] of SIZES.slice(1)) {
    def('VPERMQ', [`u8,${r}m,${r}`, `${e(l, '66', '0F3A', 1, 'fv8')} 00 /r ib`, Mode.Only64]);
    def('VPERMPD', [`u8,${r}m,${r}`, `${e(l, '66', '0F3A', 1, 'fv8')} 01 /r ib`, Mode.Only64]);
  }
  // Compares with a predicate into a mask: VCMPPD $7, Z1, Z2, K1.
  for (const [r, l] of SIZES) {
    def('VCMPPS', [`u8,${r}m,${r}:v,k`, `${e(l, 'NP', '0F', 0, 'fv4')} C2 /r ib`, Mode.Only64]);
    def('VCMPPD', [`u8,${r}m,${r}:v,k`, `${e(l, '66', '0F', 1, 'fv8')} C2 /r ib`, Mode.Only64]);
    def('VPCMPD', [`u8,${r}m,${r}:v,k`, `${e(l, '66', '0F3A', 0, 'fv4')} 1F /r ib`, Mode.Only64]);
    def('VPCMPQ', [`u8,${r}m,${r}:v,k`, `${e(l, '66', '0F3A', 1, 'fv8')} 1F /r ib`, Mode.Only64]);
    def('VPCMPUD', [`u8,${r}m,${r}:v,k`, `${e(l, '66', '0F3A', 0, 'fv4')} 1E /r ib`, Mode.Only64]);
    def('VPCMPUQ', [`u8,${r}m,${r}:v,k`, `${e(l, '66', '0F3A', 1, 'fv8')} 1E /r ib`, Mode.Only64]);
  }
  def('VCMPSS', ['u8,xm,x:v,k', `${e(128, 'F3', '0F', 0, 't1s4')} C2 /r ib`, Mode.Only64]);
  def('VCMPSD', ['u8,xm,x:v,k', `${e(128, 'F2', '0F', 1, 't1s8')} C2 /r ib`, Mode.Only64]);
  cmpK('VPTESTMB', '66', '0F38', 0x26, 0, 'fvm1');
  cmpK('VPTESTMW', '66', '0F38', 0x26, 1, 'fvm1');
  cmpK('VPTESTNMB', 'F3', '0F38', 0x26, 0, 'fvm1');
  cmpK('VPTESTNMW', 'F3', '0F38', 0x26, 1, 'fvm1');
  // Shifts: by immediate (source in rm, destination in vvvv) and by an xmm count (a 128-bit memory operand: N = 16).
  for (const [n, op, grp, d, w, tuple] of [
    ['VPSLLD', 0xf2, 0x72, 6, 0, 'fv4'], ['VPSLLQ', 0xf3, 0x73, 6, 1, 'fv8'], ['VPSRLD', 0xd2, 0x72, 2, 0, 'fv4'], ['VPSRLQ', 0xd3, 0x73, 2, 1, 'fv8'],
    ['VPSRAD', 0xe2, 0x72, 4, 0, 'fv4'], ['VPSRAQ', 0xe2, 0x72, 4, 1, 'fv8'], ['VPSLLW', 0xf1, 0x71, 6, 0, 'fvm1'], ['VPSRLW', 0xd1, 0x71, 2, 0, 'fvm1'],
    ['VPSRAW', 0xe1, 0x71, 4, 0, 'fvm1'],
  ] as const) {
    for (const [r, l] of SIZES) {
      def(n, [`u8,${r}m,${r}:v`, `${e(l, '66', '0F', w, tuple)} ${hex(grp)} /${d} ib`, Mode.Only64]);
      def(n, [`xm,${r}:v,${r}`, `${e(l, '66', '0F', w, 't1s16')} ${hex(op)} /r`, Mode.Only64]);
    }
  }
  for (const [r, l] of SIZES) {
    def('VPSLLDQ', [`u8,${r}m,${r}:v`, `${e(l, '66', '0F', 0, 'fvm1')} 73 /7 ib`, Mode.Only64]);
    def('VPSRLDQ', [`u8,${r}m,${r}:v`, `${e(l, '66', '0F', 0, 'fvm1')} 73 /3 ib`, Mode.Only64]);
  }
  // 128/256-bit lane inserts and extracts: VINSERTI64X2 $1, X1, Z2, K1, Z3.
  for (const [n, op, w, elem] of [['VINSERTF32X4', 0x18, 0, 't1s16'], ['VINSERTF64X2', 0x18, 1, 't1s16'], ['VINSERTI32X4', 0x38, 0, 't1s16'], ['VINSERTI64X2', 0x38, 1, 't1s16']] as const)
    for (const [r, l] of SIZES.slice(1)) def(n, [`u8,xm,${r}:v,${r}`, `${e(l, '66', '0F3A', w, elem)} ${hex(op)} /r ib`, Mode.Only64]);
  for (const [n, op, w] of [['VINSERTF32X8', 0x1a, 0], ['VINSERTF64X4', 0x1a, 1], ['VINSERTI32X8', 0x3a, 0], ['VINSERTI64X4', 0x3a, 1]] as const)
    def(n, ['u8,ym,z:v,z', `${e(512, '66', '0F3A', w, 't1s32')} ${hex(op)} /r ib`, Mode.Only64]);
  for (const [n, op, w] of [['VEXTRACTF32X4', 0x19, 0], ['VEXTRACTF64X2', 0x19, 1], ['VEXTRACTI32X4', 0x39, 0], ['VEXTRACTI64X2', 0x39, 1]] as const)
    for (const [r, l] of SIZES.slice(1)) def(n, [`u8,${r},xm`, `${e(l, '66', '0F3A', w, 't1s16')} ${hex(op)} /r ib`, Mode.Only64]);
  for (const [n, op, w] of [['VEXTRACTF32X8', 0x1b, 0], ['VEXTRACTF64X4', 0x1b, 1], ['VEXTRACTI32X8', 0x3b, 0], ['VEXTRACTI64X4', 0x3b, 1]] as const)
    def(n, ['u8,z,ym', `${e(512, '66', '0F3A', w, 't1s32')} ${hex(op)} /r ib`, Mode.Only64]);

  // More AVX-512F/CD/VPOPCNTDQ arithmetic, permutes and blends.
  for (const [n, map, op] of [
    ['VPSRAV', '0F38', 0x46], ['VPRORV', '0F38', 0x14], ['VPROLV', '0F38', 0x15], ['VPERMT2', '0F38', 0x7e], ['VPERMI2', '0F38', 0x76], ['VPBLENDM', '0F38', 0x64],
  ] as const) {
    nds(`${n}D`, '66', map, op, 0, 'fv4');
    nds(`${n}Q`, '66', map, op, 1, 'fv8');
  }
  nds('VPERMT2PS', '66', '0F38', 0x7f, 0, 'fv4');
  nds('VPERMT2PD', '66', '0F38', 0x7f, 1, 'fv8');
  nds('VPERMI2PS', '66', '0F38', 0x77, 0, 'fv4');
  nds('VPERMI2PD', '66', '0F38', 0x77, 1, 'fv8');
  nds('VBLENDMPS', '66', '0F38', 0x65, 0, 'fv4');
  nds('VBLENDMPD', '66', '0F38', 0x65, 1, 'fv8');
  nds('VPMULDQ', '66', '0F38', 0x28, 1, 'fv8');
  for (const [n, op, w] of [['VSHUFF32X4', 0x23, 0], ['VSHUFF64X2', 0x23, 1], ['VSHUFI32X4', 0x43, 0], ['VSHUFI64X2', 0x43, 1]] as const)
    for (const [r, l] of SIZES.slice(1)) def(n, [`u8,${r}m,${r}:v,${r}`, `${e(l, '66', '0F3A', w, w ? 'fv8' : 'fv4')} ${hex(op)} /r ib`, Mode.Only64]);
  ndsImm('VFIXUPIMMPS', '66', '0F3A', 0x54, 0, 'fv4');
  ndsImm('VFIXUPIMMPD', '66', '0F3A', 0x54, 1, 'fv8');
  unaryImm('VRNDSCALEPS', '66', '0F3A', 0x08, 0, 'fv4');
  unaryImm('VRNDSCALEPD', '66', '0F3A', 0x09, 1, 'fv8');
  unaryImm('VGETMANTPS', '66', '0F3A', 0x26, 0, 'fv4');
  unaryImm('VGETMANTPD', '66', '0F3A', 0x26, 1, 'fv8');
  unary('VGETEXPPS', '66', '0F38', 0x42, 0, 'fv4');
  unary('VGETEXPPD', '66', '0F38', 0x42, 1, 'fv8');
  unary('VCVTUDQ2PS', 'F2', '0F', 0x7a, 0, 'fv4');
  unary('VCVTTPS2UDQ', 'NP', '0F', 0x78, 0, 'fv4');
  unary('VCVTPS2UDQ', 'NP', '0F', 0x79, 0, 'fv4');
  unary('VCVTDQ2PS', 'NP', '0F', 0x5b, 0, 'fv4');
  unary('VCVTPS2DQ', '66', '0F', 0x5b, 0, 'fv4');
  unary('VCVTTPS2DQ', 'F3', '0F', 0x5b, 0, 'fv4');
  unary('VPABSD', '66', '0F38', 0x1e, 0, 'fv4');
  unary('VPABSQ', '66', '0F38', 0x1f, 1, 'fv8');
  unary('VPLZCNTD', '66', '0F38', 0x44, 0, 'fv4');
  unary('VPLZCNTQ', '66', '0F38', 0x44, 1, 'fv8');
  unary('VPCONFLICTD', '66', '0F38', 0xc4, 0, 'fv4');
  unary('VPCONFLICTQ', '66', '0F38', 0xc4, 1, 'fv8');
  unary('VPOPCNTD', '66', '0F38', 0x55, 0, 'fv4');
  unary('VPOPCNTQ', '66', '0F38', 0x55, 1, 'fv8');
  unary('VRCP14PS', '66', '0F38', 0x4c, 0, 'fv4');
  unary('VRCP14PD', '66', '0F38', 0x4c, 1, 'fv8');
  unary('VRSQRT14PS', '66', '0F38', 0x4e, 0, 'fv4');
  unary('VRSQRT14PD', '66', '0F38', 0x4e, 1, 'fv8');
  // Rotates by immediate: destination in vvvv. VPROLD $7, Z1, Z2.
  for (const [n, d] of [['VPROL', 1], ['VPROR', 0]] as const)
    for (const [r, l] of SIZES) {
      def(`${n}D`, [`u8,${r}m,${r}:v`, `${e(l, '66', '0F', 0, 'fv4')} 72 /${d} ib`, Mode.Only64]);
      def(`${n}Q`, [`u8,${r}m,${r}:v`, `${e(l, '66', '0F', 1, 'fv8')} 72 /${d} ib`, Mode.Only64]);
    }

  // ---- AVX512BW: the byte and word forms of the integer instructions (full-vector memory, no broadcast).
  for (const [n, map, op] of [
    ['VPACKSSWB', '0F', 0x63], ['VPACKUSWB', '0F', 0x67], ['VPADDSB', '0F', 0xec], ['VPADDSW', '0F', 0xed], ['VPADDUSB', '0F', 0xdc],
    ['VPADDUSW', '0F', 0xdd], ['VPAVGW', '0F', 0xe3], ['VPMADDWD', '0F', 0xf5], ['VPMAXSW', '0F', 0xee], ['VPMINSW', '0F', 0xea],
    ['VPMULHUW', '0F', 0xe4], ['VPMULHW', '0F', 0xe5], ['VPMULLW', '0F', 0xd5], ['VPSADBW', '0F', 0xf6], ['VPSUBSB', '0F', 0xe8],
    ['VPSUBSW', '0F', 0xe9], ['VPSUBUSB', '0F', 0xd8], ['VPSUBUSW', '0F', 0xd9], ['VPUNPCKHWD', '0F', 0x69], ['VPUNPCKLWD', '0F', 0x61],
    ['VPMADDUBSW', '0F38', 0x04], ['VPMAXSB', '0F38', 0x3c], ['VPMAXUW', '0F38', 0x3e], ['VPMINSB', '0F38', 0x38], ['VPMINUW', '0F38', 0x3a],
    ['VPMULHRSW', '0F38', 0x0b], ['VPBLENDMB', '0F38', 0x66], ['VPERMB', '0F38', 0x8d], ['VPERMI2B', '0F38', 0x75], ['VPERMT2B', '0F38', 0x7d],
    ['VGF2P8MULB', '0F38', 0xcf],
  ] as const)
    nds(n, '66', map, op, 0, 'fvm1');
  // Word forms that differ from a byte or dword form in EVEX.W only.
  for (const [n, op] of [['VPSLLVW', 0x12], ['VPSRAVW', 0x11], ['VPSRLVW', 0x10], ['VPERMW', 0x8d], ['VPERMI2W', 0x75], ['VPERMT2W', 0x7d], ['VPBLENDMW', 0x66]] as const)
    nds(n, '66', '0F38', op, 1, 'fvm2');
  // The dword-to-word packs read dwords, so they can broadcast one.
  nds('VPACKSSDW', '66', '0F', 0x6b, 0, 'fv4');
  nds('VPACKUSDW', '66', '0F38', 0x2b, 0, 'fv4');
  cmpK('VPCMPGTW', '66', '0F', 0x65, 0, 'fvm1');
  unary('VPABSB', '66', '0F38', 0x1c, 0, 'fvm1');
  unary('VPABSW', '66', '0F38', 0x1d, 0, 'fvm1');
  ndsImm('VPALIGNR', '66', '0F3A', 0x0f, 0, 'fvm1');
  ndsImm('VDBPSADBW', '66', '0F3A', 0x42, 0, 'fvm1');
  // Compares with a predicate into a mask: VPCMPB $7, Z1, Z2, K1.
  for (const [r, l] of SIZES)
    for (const [n, op, w] of [['VPCMPB', 0x3f, 0], ['VPCMPW', 0x3f, 1], ['VPCMPUB', 0x3e, 0], ['VPCMPUW', 0x3e, 1]] as const)
      def(n, [`u8,${r}m,${r}:v,k`, `${e(l, '66', '0F3A', w, 'fvm1')} ${hex(op)} /r ib`, Mode.Only64]);
  // Masks to and from vectors: VPMOVM2B K1, Z2; VPMOVB2M Z2, K1.
  for (const [r, l] of SIZES)
    for (const [n, op, w] of [['B', 0x28, 0], ['W', 0x28, 1], ['D', 0x38, 0], ['Q', 0x38, 1]] as const) {
      def(`VPMOVM2${n}`, [`k:m,${r}`, `${e(l, 'F3', '0F38', w, 'fvm1')} ${hex(op)} /r`, Mode.Only64]);
      def(`VPMOV${n}2M`, [`${r}:m,k`, `${e(l, 'F3', '0F38', w, 'fvm1')} ${hex(op + 1)} /r`, Mode.Only64]);
    }
  // Mask broadcasts (AVX512CD): VPBROADCASTMW2D K1, Z2.
  for (const [r, l] of SIZES) {
    def('VPBROADCASTMB2Q', [`k:m,${r}`, `${e(l, 'F3', '0F38', 1, 'fvm1')} 2A /r`, Mode.Only64]);
    def('VPBROADCASTMW2D', [`k:m,${r}`, `${e(l, 'F3', '0F38', 0, 'fvm1')} 3A /r`, Mode.Only64]);
    def('VPBROADCASTW', [`xm,${r}`, `${e(l, '66', '0F38', 0, 't1s2')} 79 /r`, Mode.Only64], [`r,${r}`, `${e(l, '66', '0F38', 0, 't1s2')} 7B /r`, Mode.Only64]);
  }

  // ---- VBMI, VBMI2, VNNI, IFMA, GFNI, BITALG, VAES, VPCLMULQDQ.
  nds('VPMULTISHIFTQB', '66', '0F38', 0x83, 1, 'fv8');
  // Concatenate-and-shift: the D/Q forms broadcast, the W forms do not.
  for (const [n, op] of [['VPSHLD', 0x71], ['VPSHRD', 0x73]] as const) {
    ndsImm(`${n}D`, '66', '0F3A', op, 0, 'fv4');
    ndsImm(`${n}Q`, '66', '0F3A', op, 1, 'fv8');
    ndsImm(`${n}W`, '66', '0F3A', op - 1, 1, 'fvm2');
    nds(`${n}VD`, '66', '0F38', op, 0, 'fv4');
    nds(`${n}VQ`, '66', '0F38', op, 1, 'fv8');
    nds(`${n}VW`, '66', '0F38', op - 1, 1, 'fvm2');
  }
  for (const [n, op] of [['VPDPBUSD', 0x50], ['VPDPBUSDS', 0x51], ['VPDPWSSD', 0x52], ['VPDPWSSDS', 0x53]] as const) nds(n, '66', '0F38', op, 0, 'fv4');
  nds('VPMADD52LUQ', '66', '0F38', 0xb4, 1, 'fv8');
  nds('VPMADD52HUQ', '66', '0F38', 0xb5, 1, 'fv8');
  ndsImm('VGF2P8AFFINEQB', '66', '0F3A', 0xce, 1, 'fv8');
  ndsImm('VGF2P8AFFINEINVQB', '66', '0F3A', 0xcf, 1, 'fv8');
  unary('VPOPCNTB', '66', '0F38', 0x54, 0, 'fvm1');
  unary('VPOPCNTW', '66', '0F38', 0x54, 1, 'fvm2');
  cmpK('VPSHUFBITQMB', '66', '0F38', 0x8f, 0, 'fvm1');
  for (const [n, op] of [['VAESENC', 0xdc], ['VAESENCLAST', 0xdd], ['VAESDEC', 0xde], ['VAESDECLAST', 0xdf]] as const) nds(n, '66', '0F38', op, 0, 'fvm1');
  ndsImm('VPCLMULQDQ', '66', '0F3A', 0x44, 0, 'fvm1');

  // ---- AVX512DQ: ranges, reductions, FP classes, 64-bit integer conversions.
  ndsImm('VRANGEPS', '66', '0F3A', 0x50, 0, 'fv4');
  ndsImm('VRANGEPD', '66', '0F3A', 0x50, 1, 'fv8');
  unaryImm('VREDUCEPS', '66', '0F3A', 0x56, 0, 'fv4');
  unaryImm('VREDUCEPD', '66', '0F3A', 0x56, 1, 'fv8');
  // Go names the vector length of the FP class tests (the memory operand alone would not tell): VFPCLASSPDZ $7, (AX), K1.
  for (const [s, r, l] of [['X', 'x', 128], ['Y', 'y', 256], ['Z', 'z', 512]] as const) {
    def(`VFPCLASSPS${s}`, [`u8,${r}m,k`, `${e(l, '66', '0F3A', 0, 'fv4')} 66 /r ib`, Mode.Only64]);
    def(`VFPCLASSPD${s}`, [`u8,${r}m,k`, `${e(l, '66', '0F3A', 1, 'fv8')} 66 /r ib`, Mode.Only64]);
  }
  def('VFPCLASSSS', ['u8,xm,k', `${e(128, '66', '0F3A', 0, 't1s4')} 67 /r ib`, Mode.Only64]);
  def('VFPCLASSSD', ['u8,xm,k', `${e(128, '66', '0F3A', 1, 't1s8')} 67 /r ib`, Mode.Only64]);

  /** Scalar with an immediate first: VRANGESD $7, X1, X2, K1, X3. */
  function scalarImm(name: string, pp: PP, map: Map, op: number, w: 0 | 1, elem: number): void {
    def(name, ['u8,xm,x:v,x', `${e(128, pp, map, w, `t1s${elem}`)} ${hex(op)} /r ib`, Mode.Only64]);
  }
  scalarImm('VRANGESS', '66', '0F3A', 0x51, 0, 4);
  scalarImm('VRANGESD', '66', '0F3A', 0x51, 1, 8);
  scalarImm('VREDUCESS', '66', '0F3A', 0x57, 0, 4);
  scalarImm('VREDUCESD', '66', '0F3A', 0x57, 1, 8);
  scalarImm('VGETMANTSS', '66', '0F3A', 0x27, 0, 4);
  scalarImm('VGETMANTSD', '66', '0F3A', 0x27, 1, 8);
  scalarImm('VRNDSCALESS', '66', '0F3A', 0x0a, 0, 4);
  scalarImm('VRNDSCALESD', '66', '0F3A', 0x0b, 1, 8);
  scalarImm('VFIXUPIMMSS', '66', '0F3A', 0x55, 0, 4);
  scalarImm('VFIXUPIMMSD', '66', '0F3A', 0x55, 1, 8);
  // Scalar arithmetic with SAE or rounding: VSQRTSD.RN_SAE X1, X2, K1, X3.
  scalar('VSQRTSS', 'F3', '0F', 0x51, 0, 4);
  scalar('VSQRTSD', 'F2', '0F', 0x51, 1, 8);
  for (const [n, op] of [['VGETEXP', 0x43], ['VSCALEF', 0x2d], ['VRCP14', 0x4d], ['VRSQRT14', 0x4f], ['VRCP28', 0xcb], ['VRSQRT28', 0xcd]] as const) {
    scalar(`${n}SS`, '66', '0F38', op, 0, 4);
    scalar(`${n}SD`, '66', '0F38', op, 1, 8);
  }
  scalar('VCVTSD2SS', 'F2', '0F', 0x5a, 1, 8);
  scalar('VCVTSS2SD', 'F3', '0F', 0x5a, 0, 4);
  // AVX512ER: 512-bit only.
  for (const [n, op] of [['VEXP2', 0xc8], ['VRCP28', 0xca], ['VRSQRT28', 0xcc]] as const) {
    def(`${n}PS`, ['zm,z', `${e(512, '66', '0F38', 0, 'fv4')} ${hex(op)} /r`, Mode.Only64]);
    def(`${n}PD`, ['zm,z', `${e(512, '66', '0F38', 1, 'fv8')} ${hex(op)} /r`, Mode.Only64]);
  }
  def('VUCOMISS', ['xm,x', `${e(128, 'NP', '0F', 0, 't1s4')} 2E /r`, Mode.Only64]);
  def('VUCOMISD', ['xm,x', `${e(128, '66', '0F', 1, 't1s8')} 2E /r`, Mode.Only64]);
  def('VCOMISS', ['xm,x', `${e(128, 'NP', '0F', 0, 't1s4')} 2F /r`, Mode.Only64]);
  def('VCOMISD', ['xm,x', `${e(128, '66', '0F', 1, 't1s8')} 2F /r`, Mode.Only64]);

  /**
   * Conversions whose source and destination differ in width: `rows` lists
   * (source class, destination class, vector length), the length being the
   * wider side's for widening and the source's for narrowing.
   */
  function conv(name: string, pp: PP, map: Map, op: number, w: 0 | 1, tuple: string, rows: readonly (readonly [string, string, number])[]): void {
    for (const [src, dst, l] of rows) def(name, [`${src},${dst}`, `${e(l, pp, map, w, tuple)} ${hex(op)} /r`, Mode.Only64]);
  }
  /** Widening from half the width: X from 64 bits, Y from X, Z from Y. */
  const WIDEN_HALF = [['xm', 'x', 128], ['xm', 'y', 256], ['ym', 'z', 512]] as const;
  /** Widening from a quarter or an eighth: the source is always an X register or memory. */
  const WIDEN_SMALL = [['xm', 'x', 128], ['xm', 'y', 256], ['xm', 'z', 512]] as const;
  // Same-width 64-bit integer conversions.
  for (const [n, pp, op] of [['VCVTPD2QQ', '66', 0x7b], ['VCVTPD2UQQ', '66', 0x79], ['VCVTTPD2QQ', '66', 0x7a], ['VCVTTPD2UQQ', '66', 0x78], ['VCVTQQ2PD', 'F3', 0xe6], ['VCVTUQQ2PD', 'F3', 0x7a]] as const)
    unary(n, pp, '0F', op, 1, 'fv8');
  for (const [n, pp, op] of [['VCVTPS2QQ', '66', 0x7b], ['VCVTPS2UQQ', '66', 0x79], ['VCVTTPS2QQ', '66', 0x7a], ['VCVTTPS2UQQ', '66', 0x78], ['VCVTDQ2PD', 'F3', 0xe6], ['VCVTUDQ2PD', 'F3', 0x7a], ['VCVTPS2PD', 'NP', 0x5a]] as const)
    conv(n, pp, '0F', op, 0, 'hv4', WIDEN_HALF);
  conv('VCVTPH2PS', '66', '0F38', 0x13, 0, 'hvm', WIDEN_HALF);
  // Narrowing from 64-bit elements: Go names the 128- and 256-bit sources with X and Y suffixes.
  for (const [n, pp, op] of [
    ['VCVTPD2DQ', 'F2', 0xe6], ['VCVTTPD2DQ', '66', 0xe6], ['VCVTPD2PS', '66', 0x5a], ['VCVTPD2UDQ', 'NP', 0x79], ['VCVTTPD2UDQ', 'NP', 0x78],
    ['VCVTQQ2PS', 'NP', 0x5b], ['VCVTUQQ2PS', 'F2', 0x7a],
  ] as const) {
    conv(`${n}X`, pp, '0F', op, 1, 'fv8', [['xm', 'x', 128]]);
    conv(`${n}Y`, pp, '0F', op, 1, 'fv8', [['ym', 'x', 256]]);
    conv(n, pp, '0F', op, 1, 'fv8', [['zm', 'y', 512]]);
  }
  // Sign and zero extension: VPMOVZXBD X1, K1, Z2.
  for (const [n, op, tuple, rows] of [
    ['BW', 0x20, 'hvm', WIDEN_HALF], ['BD', 0x21, 'qvm', WIDEN_SMALL], ['BQ', 0x22, 'ovm', WIDEN_SMALL],
    ['WD', 0x23, 'hvm', WIDEN_HALF], ['WQ', 0x24, 'qvm', WIDEN_SMALL], ['DQ', 0x25, 'hvm', WIDEN_HALF],
  ] as const) {
    conv(`VPMOVSX${n}`, '66', '0F38', op, 0, tuple, rows);
    conv(`VPMOVZX${n}`, '66', '0F38', op + 0x10, 0, tuple, rows);
  }
  // Down-conversions (plain, signed-saturating, unsigned-saturating): the
  // source goes to ModRM.reg, the narrower destination to ModRM.rm. VPMOVQB Z1, K1, X2.
  const NARROW_HALF = [['x', 'xm', 128], ['y', 'xm', 256], ['z', 'ym', 512]] as const;
  const NARROW_SMALL = [['x', 'xm', 128], ['y', 'xm', 256], ['z', 'xm', 512]] as const;
  for (const [n, op, tuple, rows] of [
    ['WB', 0x30, 'hvm', NARROW_HALF], ['DB', 0x31, 'qvm', NARROW_SMALL], ['QB', 0x32, 'ovm', NARROW_SMALL],
    ['DW', 0x33, 'hvm', NARROW_HALF], ['QW', 0x34, 'qvm', NARROW_SMALL], ['QD', 0x35, 'hvm', NARROW_HALF],
  ] as const) {
    conv(`VPMOV${n}`, 'F3', '0F38', op, 0, tuple, rows);
    conv(`VPMOVS${n}`, 'F3', '0F38', op - 0x10, 0, tuple, rows);
    conv(`VPMOVUS${n}`, 'F3', '0F38', op - 0x20, 0, tuple, rows);
  }
  // Half-precision stores: VCVTPS2PH $7, Z1, K1, Y2.
  for (const [src, dst, l] of NARROW_HALF) def('VCVTPS2PH', [`u8,${src},${dst}`, `${e(l, '66', '0F3A', 0, 'hvm')} 1D /r ib`, Mode.Only64]);
  // Scalar conversions to and from general registers (Q suffix: 64-bit register, EVEX.W1).
  for (const [n, pp, op, elem] of [
    ['VCVTSD2SI', 'F2', 0x2d, 8], ['VCVTTSD2SI', 'F2', 0x2c, 8], ['VCVTSS2SI', 'F3', 0x2d, 4], ['VCVTTSS2SI', 'F3', 0x2c, 4],
  ] as const) {
    def(n, ['xm,r', `${e(128, pp, '0F', 0, `t1s${elem}`)} ${hex(op)} /r`, Mode.Only64]);
    def(`${n}Q`, ['xm,r', `${e(128, pp, '0F', 1, `t1s${elem}`)} ${hex(op)} /r`, Mode.Only64]);
  }
  for (const [n, pp, op, elem] of [['VCVTSD2USI', 'F2', 0x79, 8], ['VCVTTSD2USI', 'F2', 0x78, 8], ['VCVTSS2USI', 'F3', 0x79, 4], ['VCVTTSS2USI', 'F3', 0x78, 4]] as const) {
    def(`${n}L`, ['xm,r', `${e(128, pp, '0F', 0, `t1s${elem}`)} ${hex(op)} /r`, Mode.Only64]);
    def(`${n}Q`, ['xm,r', `${e(128, pp, '0F', 1, `t1s${elem}`)} ${hex(op)} /r`, Mode.Only64]);
  }
  for (const [n, pp, op] of [['VCVTSI2SD', 'F2', 0x2a], ['VCVTSI2SS', 'F3', 0x2a], ['VCVTUSI2SD', 'F2', 0x7b], ['VCVTUSI2SS', 'F3', 0x7b]] as const) {
    def(`${n}L`, ['rm,x:v,x', `${e(128, pp, '0F', 0, 't1s4')} ${hex(op)} /r`, Mode.Only64]);
    def(`${n}Q`, ['rm,x:v,x', `${e(128, pp, '0F', 1, 't1s8')} ${hex(op)} /r`, Mode.Only64]);
  }

  // ---- Broadcasts of scalars and of 2/4/8-element blocks (the block size fixes N).
  for (const [r, l] of SIZES) def('VBROADCASTSS', [`xm,${r}`, `${e(l, '66', '0F38', 0, 't1s4')} 18 /r`, Mode.Only64]);
  for (const [r, l] of SIZES.slice(1)) {
    def('VBROADCASTSD', [`xm,${r}`, `${e(l, '66', '0F38', 1, 't1s8')} 19 /r`, Mode.Only64]);
    def('VBROADCASTF32X2', [`xm,${r}`, `${e(l, '66', '0F38', 0, 'n8')} 19 /r`, Mode.Only64]);
    for (const [n, op, w] of [['VBROADCASTF32X4', 0x1a, 0], ['VBROADCASTF64X2', 0x1a, 1], ['VBROADCASTI32X4', 0x5a, 0], ['VBROADCASTI64X2', 0x5a, 1]] as const)
      def(n, [`m,${r}`, `${e(l, '66', '0F38', w, 'n16')} ${hex(op)} /r`, Mode.Only64]);
  }
  for (const [r, l] of SIZES) def('VBROADCASTI32X2', [`xm,${r}`, `${e(l, '66', '0F38', 0, 'n8')} 59 /r`, Mode.Only64]);
  for (const [n, op, w] of [['VBROADCASTF32X8', 0x1b, 0], ['VBROADCASTF64X4', 0x1b, 1], ['VBROADCASTI32X8', 0x5b, 0], ['VBROADCASTI64X4', 0x5b, 1]] as const)
    def(n, ['m,z', `${e(512, '66', '0F38', w, 'n32')} ${hex(op)} /r`, Mode.Only64]);

  // ---- Compress (store the active elements contiguously) and expand (the reverse), one element's N.
  for (const [r, l] of SIZES)
    for (const [n, cop, xop, w, elem] of [
      ['COMPRESSPS', 0x8a, 0x88, 0, 4], ['COMPRESSPD', 0x8a, 0x88, 1, 8], ['PCOMPRESSD', 0x8b, 0x89, 0, 4], ['PCOMPRESSQ', 0x8b, 0x89, 1, 8],
      ['PCOMPRESSB', 0x63, 0x62, 0, 1], ['PCOMPRESSW', 0x63, 0x62, 1, 2],
    ] as const) {
      def(`V${n}`, [`${r},${r}m`, `${e(l, '66', '0F38', w, `t1s${elem}`)} ${hex(cop)} /r`, Mode.Only64]);
      def(`V${n.replace('COMPRESS', 'EXPAND')}`, [`${r}m,${r}`, `${e(l, '66', '0F38', w, `t1s${elem}`)} ${hex(xop)} /r`, Mode.Only64]);
    }

  // ---- Moves with EVEX forms for X16-X31 (and masks on the duplicating moves).
  for (const [r, l, n] of [['x', 128, 'n8'], ['y', 256, 'n32'], ['z', 512, 'n64']] as const)
    def('VMOVDDUP', [`${r}m,${r}`, `${e(l, 'F2', '0F', 1, n)} 12 /r`, Mode.Only64]);
  unary('VMOVSHDUP', 'F3', '0F', 0x16, 0, 'fvm4');
  unary('VMOVSLDUP', 'F3', '0F', 0x12, 0, 'fvm4');
  for (const [n, pp, ld, w] of [['VMOVHPS', 'NP', 0x16, 0], ['VMOVHPD', '66', 0x16, 1], ['VMOVLPS', 'NP', 0x12, 0], ['VMOVLPD', '66', 0x12, 1]] as const)
    def(n, ['m,x:v,x', `${e(128, pp, '0F', w, 'n8')} ${hex(ld)} /r`, Mode.Only64], ['x,m', `${e(128, pp, '0F', w, 'n8')} ${hex(ld + 1)} /r`, Mode.Only64]);
  def('VMOVHLPS', ['x:m,x:v,x', `${e(128, 'NP', '0F', 0, 'fvm4')} 12 /r`, Mode.Only64]);
  def('VMOVLHPS', ['x:m,x:v,x', `${e(128, 'NP', '0F', 0, 'fvm4')} 16 /r`, Mode.Only64]);
  for (const [r, l] of SIZES) {
    def('VMOVNTDQ', [`${r},m`, `${e(l, '66', '0F', 0, 'fvm4')} E7 /r`, Mode.Only64]);
    def('VMOVNTPS', [`${r},m`, `${e(l, 'NP', '0F', 0, 'fvm4')} 2B /r`, Mode.Only64]);
    def('VMOVNTPD', [`${r},m`, `${e(l, '66', '0F', 1, 'fvm8')} 2B /r`, Mode.Only64]);
    def('VMOVNTDQA', [`m,${r}`, `${e(l, '66', '0F38', 0, 'fvm4')} 2A /r`, Mode.Only64]);
  }
  // Go's VMOVQ row order: store to register or memory (7E), register to register (D6), load (6E), then F3 7E.
  def('VMOVQ', ['x,rm', `${e(128, '66', '0F', 1, 't1s8')} 7E /r`, Mode.Only64], ['x,xm', `${e(128, '66', '0F', 1, 't1s8')} D6 /r`, Mode.Only64],
    ['rm,x', `${e(128, '66', '0F', 1, 't1s8')} 6E /r`, Mode.Only64], ['xm,x', `${e(128, 'F3', '0F', 1, 't1s8')} 7E /r`, Mode.Only64]);
  def('VMOVD', ['x,rm', `${e(128, '66', '0F', 0, 't1s4')} 7E /r`, Mode.Only64], ['rm,x', `${e(128, '66', '0F', 0, 't1s4')} 6E /r`, Mode.Only64]);
  for (const [n, pp, w, elem] of [['VMOVSS', 'F3', 0, 4], ['VMOVSD', 'F2', 1, 8]] as const)
    def(n, ['m,x', `${e(128, pp, '0F', w, `t1s${elem}`)} 10 /r`, Mode.Only64], ['x,m', `${e(128, pp, '0F', w, `t1s${elem}`)} 11 /r`, Mode.Only64],
      ['x:r,x:v,x:m', `${e(128, pp, '0F', w, `t1s${elem}`)} 11 /r`, Mode.Only64]);
  // Element inserts and extracts. Go extracts a word into a register with 0F C5 under EVEX (0F3A 15 under VEX).
  def('VPEXTRB', ['u8,x,rm', `${e(128, '66', '0F3A', 0, 't1s1')} 14 /r ib`, Mode.Only64]);
  def('VPEXTRW', ['u8,x,m', `${e(128, '66', '0F3A', 0, 't1s2')} 15 /r ib`, Mode.Only64], ['u8,x:m,r', `${e(128, '66', '0F', 0, 't1s2')} C5 /r ib`, Mode.Only64]);
  def('VPEXTRD', ['u8,x,rm', `${e(128, '66', '0F3A', 0, 't1s4')} 16 /r ib`, Mode.Only64]);
  def('VPEXTRQ', ['u8,x,rm', `${e(128, '66', '0F3A', 1, 't1s8')} 16 /r ib`, Mode.Only64]);
  def('VEXTRACTPS', ['u8,x,rm', `${e(128, '66', '0F3A', 0, 't1s4')} 17 /r ib`, Mode.Only64]);
  def('VPINSRB', ['u8,rm,x:v,x', `${e(128, '66', '0F3A', 0, 't1s1')} 20 /r ib`, Mode.Only64]);
  def('VPINSRW', ['u8,rm,x:v,x', `${e(128, '66', '0F', 0, 't1s2')} C4 /r ib`, Mode.Only64]);
  def('VPINSRD', ['u8,rm,x:v,x', `${e(128, '66', '0F3A', 0, 't1s4')} 22 /r ib`, Mode.Only64]);
  def('VPINSRQ', ['u8,rm,x:v,x', `${e(128, '66', '0F3A', 1, 't1s8')} 22 /r ib`, Mode.Only64]);
  def('VINSERTPS', ['u8,xm,x:v,x', `${e(128, '66', '0F3A', 0, 't1s4')} 21 /r ib`, Mode.Only64]);

  // ---- Opmask shifts and unpacks (VEX-encoded): KSHIFTLW $3, K1, K2; KUNPCKBW K1, K2, K3.
  for (const [s, op, w] of [['B', 0x30, 'W0'], ['W', 0x30, 'W1'], ['D', 0x31, 'W0'], ['Q', 0x31, 'W1']] as const) {
    def(`KSHIFTR${s}`, ['u8,k:m,k', `V.128.66.0F3A.${w} ${hex(op)} /r ib`]);
    def(`KSHIFTL${s}`, ['u8,k:m,k', `V.128.66.0F3A.${w} ${hex(op + 2)} /r ib`]);
  }
  def('KUNPCKBW', ['k:m,k:v,k', 'V.256.66.0F.W0 4B /r']);
  def('KUNPCKWD', ['k:m,k:v,k', 'V.256.NP.0F.W0 4B /r']);
  def('KUNPCKDQ', ['k:m,k:v,k', 'V.256.NP.0F.W1 4B /r']);

  // ---- Gathers and scatters (VSIB: the index is a vector register). The opmask
  // is required; the element size fixes N. VPGATHERDD (AX)(Z1*4), K1, Z2;
  // VPSCATTERQQ Z2, K1, (AX)(Z1*8). The index register is as wide as the index
  // elements need: DQ gathers 8 qwords with a Y index into Z.
  for (const [s, w, elem, idx] of [
    ['DD', 0, 4, [['vx', 'x', 128], ['vy', 'y', 256], ['vz', 'z', 512]]],
    ['DQ', 1, 8, [['vx', 'x', 128], ['vx', 'y', 256], ['vy', 'z', 512]]],
    ['QD', 0, 4, [['vx', 'x', 128], ['vy', 'x', 256], ['vz', 'y', 512]]],
    ['QQ', 1, 8, [['vx', 'x', 128], ['vy', 'y', 256], ['vz', 'z', 512]]],
  ] as const) {
    const off = s[0] === 'D' ? 0 : 1;
    const fp = `${s[0]}P${s[1] === 'D' ? 'S' : 'D'}`;
    for (const [m, r, l] of idx) {
      const enc = (op: number): string => `${e(l, '66', '0F38', w as 0 | 1, `t1s${elem}.k`)} ${hex(op + off)} /r`;
      def(`VPGATHER${s}`, [`${m},${r}`, enc(0x90), Mode.Only64]);
      def(`VGATHER${fp}`, [`${m},${r}`, enc(0x92), Mode.Only64]);
      def(`VPSCATTER${s}`, [`${r},${m}`, enc(0xa0), Mode.Only64]);
      def(`VSCATTER${fp}`, [`${r},${m}`, enc(0xa2), Mode.Only64]);
    }
  }
  // AVX512PF gather/scatter prefetches: the opmask is written first. VGATHERPF0DPD K1, (AX)(Y2*1).
  for (const [n, d] of [['VGATHERPF0', 1], ['VGATHERPF1', 2], ['VSCATTERPF0', 5], ['VSCATTERPF1', 6]] as const)
    for (const [s, op, w, m] of [['DPS', 0xc6, 0, 'vz'], ['DPD', 0xc6, 1, 'vy'], ['QPS', 0xc7, 0, 'vz'], ['QPD', 0xc7, 1, 'vz']] as const)
      def(`${n}${s}`, [`k:a,${m}`, `${e(512, '66', '0F38', w, `t1s${w ? 8 : 4}.k`)} ${hex(op)} /${d}`, Mode.Only64]);

  // ---- AVX512_4FMAPS and AVX512_4VNNIW (Xeon Phi): four multiply-adds with four
  // consecutive registers named by the first (in vvvv) and a 128-bit memory
  // operand (N = 16). V4FMADDPS (AX), [Z0-Z3], K1, Z4.
  for (const [n, op] of [['V4FMADDPS', 0x9a], ['V4FNMADDPS', 0xaa], ['VP4DPWSSD', 0x52], ['VP4DPWSSDS', 0x53]] as const)
    def(n, ['m,z4:v,z', `${e(512, 'F2', '0F38', 0, 'n16')} ${hex(op)} /r`, Mode.Only64]);
  for (const [n, op] of [['V4FMADDSS', 0x9b], ['V4FNMADDSS', 0xab]] as const)
    def(n, ['m,x4:v,x', `${e(128, 'F2', '0F38', 0, 'n16')} ${hex(op)} /r`, Mode.Only64]);
});
