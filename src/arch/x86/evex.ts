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

import { defineForms as def } from './table.js';
import { Mode } from './forms.js';

type PP = 'NP' | '66' | 'F3' | 'F2';
type Map = '0F' | '0F38' | '0F3A';

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
