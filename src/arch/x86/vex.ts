// AVX and AVX2 (VEX-encoded) rows. Go writes VEX instructions with the
// second source (ModRM.rm) first, then the first source (VEX.vvvv), then the
// destination: VPADDD Y1, Y2, Y3 means Y3 = Y2 + Y1 → c5 ed fe d9.
// Most instructions come in a 128-bit (X) and a 256-bit (Y) form that differ only
// in VEX.L, so each entry below generates both unless marked otherwise.

import { defineForms as def, defineLater } from './table.js';

type PP = 'NP' | '66' | 'F3' | 'F2';
type Map = '0F' | '0F38' | '0F3A';
type Sizes = 'xy' | 'x' | 'y';

// Defined when a file first uses a mnemonic the base table lacks (table.ts).
defineLater(function defineVexForms(): void {
  const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

  function vex(l: 128 | 256, pp: PP, map: Map, w: 0 | 1): string {
    return `V.${l}.${pp}.${map}.W${w}`;
  }

  /** Three-operand "xm, v, x" instructions: VPXOR Y1, Y2, Y3 → c5 ed ef d9. */
  function nds(name: string, pp: PP, map: Map, op: number, w: 0 | 1 = 0, sizes: Sizes = 'xy'): void {
    if (sizes !== 'y') def(name, ['xm,x:v,x', `${vex(128, pp, map, w)} ${hex(op)} /r`]);
    if (sizes !== 'x') def(name, ['ym,y:v,y', `${vex(256, pp, map, w)} ${hex(op)} /r`]);
  }
  /** Two-operand "xm, x": VPTEST Y1, Y2 → c4 e2 7d 17 d1. */
  function unary(name: string, pp: PP, map: Map, op: number, w: 0 | 1 = 0, sizes: Sizes = 'xy'): void {
    if (sizes !== 'y') def(name, ['xm,x', `${vex(128, pp, map, w)} ${hex(op)} /r`]);
    if (sizes !== 'x') def(name, ['ym,y', `${vex(256, pp, map, w)} ${hex(op)} /r`]);
  }
  /**
   * Moves with a load (xm → x) and a store (x → xm) opcode: VMOVDQU (SI), Y0 → c5 fe 6f 06.
   * Between registers Go picks the store opcode (VMOVDQU Y2, Y2 → c5 fe 7f d2), so it comes first.
   */
  function move(name: string, pp: PP, ld: number, st: number): void {
    def(name, ['x,xm', `${vex(128, pp, '0F', 0)} ${hex(st)} /r`], ['xm,x', `${vex(128, pp, '0F', 0)} ${hex(ld)} /r`]);
    def(name, ['y,ym', `${vex(256, pp, '0F', 0)} ${hex(st)} /r`], ['ym,y', `${vex(256, pp, '0F', 0)} ${hex(ld)} /r`]);
  }
  /** Immediate first, then "xm, v, x": VPALIGNR $8, Y1, Y2, Y3. */
  function ndsImm(name: string, pp: PP, map: Map, op: number, w: 0 | 1 = 0, sizes: Sizes = 'xy'): void {
    if (sizes !== 'y') def(name, ['u8,xm,x:v,x', `${vex(128, pp, map, w)} ${hex(op)} /r ib`]);
    if (sizes !== 'x') def(name, ['u8,ym,y:v,y', `${vex(256, pp, map, w)} ${hex(op)} /r ib`]);
  }
  /**
   * Immediate first, then "xm, x": VPSHUFD $7, Y1, Y2. All of these take any
   * byte, negative too (VPSHUFD $-1 = $255): Go keeps accepting the negative
   * immediates its older assembler allowed for them, as it does for the
   * extracts, the immediate shifts and RORX (b8 rows elsewhere).
   */
  function unaryImm(name: string, pp: PP, map: Map, op: number, w: 0 | 1 = 0, sizes: Sizes = 'xy'): void {
    if (sizes !== 'y') def(name, ['b8,xm,x', `${vex(128, pp, map, w)} ${hex(op)} /r ib`]);
    if (sizes !== 'x') def(name, ['b8,ym,y', `${vex(256, pp, map, w)} ${hex(op)} /r ib`]);
  }

  // Floating point arithmetic: packed in both sizes, scalar in 128 only.
  for (const [n, op] of [['ADD', 0x58], ['MUL', 0x59], ['SUB', 0x5c], ['MIN', 0x5d], ['DIV', 0x5e], ['MAX', 0x5f]] as const) {
    nds(`V${n}PS`, 'NP', '0F', op);
    nds(`V${n}PD`, '66', '0F', op);
    nds(`V${n}SS`, 'F3', '0F', op, 0, 'x');
    nds(`V${n}SD`, 'F2', '0F', op, 0, 'x');
  }
  for (const [n, pp, op] of [
    ['VANDPS', 'NP', 0x54], ['VANDPD', '66', 0x54], ['VANDNPS', 'NP', 0x55], ['VANDNPD', '66', 0x55], ['VORPS', 'NP', 0x56], ['VORPD', '66', 0x56],
    ['VXORPS', 'NP', 0x57], ['VXORPD', '66', 0x57], ['VUNPCKLPS', 'NP', 0x14], ['VUNPCKLPD', '66', 0x14], ['VUNPCKHPS', 'NP', 0x15], ['VUNPCKHPD', '66', 0x15],
    ['VHADDPD', '66', 0x7c], ['VHADDPS', 'F2', 0x7c], ['VHSUBPD', '66', 0x7d], ['VHSUBPS', 'F2', 0x7d], ['VADDSUBPD', '66', 0xd0], ['VADDSUBPS', 'F2', 0xd0],
  ] as const)
    nds(n, pp, '0F', op);
  unary('VSQRTPS', 'NP', '0F', 0x51);
  unary('VSQRTPD', '66', '0F', 0x51);
  nds('VSQRTSS', 'F3', '0F', 0x51, 0, 'x');
  nds('VSQRTSD', 'F2', '0F', 0x51, 0, 'x');

  // Integer SIMD (AVX for X, AVX2 for Y), opcode map 0F with 66 prefix.
  for (const [n, op] of [
    ['VPACKSSDW', 0x6b], ['VPACKSSWB', 0x63], ['VPACKUSWB', 0x67], ['VPADDB', 0xfc], ['VPADDW', 0xfd], ['VPADDD', 0xfe], ['VPADDQ', 0xd4],
    ['VPADDSB', 0xec], ['VPADDSW', 0xed], ['VPADDUSB', 0xdc], ['VPADDUSW', 0xdd], ['VPAND', 0xdb], ['VPANDN', 0xdf], ['VPAVGB', 0xe0],
    ['VPAVGW', 0xe3], ['VPCMPEQB', 0x74], ['VPCMPEQW', 0x75], ['VPCMPEQD', 0x76], ['VPCMPGTB', 0x64], ['VPCMPGTW', 0x65], ['VPCMPGTD', 0x66],
    ['VPMADDWD', 0xf5], ['VPMAXSW', 0xee], ['VPMAXUB', 0xde], ['VPMINSW', 0xea], ['VPMINUB', 0xda], ['VPMULHUW', 0xe4], ['VPMULHW', 0xe5],
    ['VPMULLW', 0xd5], ['VPMULUDQ', 0xf4], ['VPOR', 0xeb], ['VPSADBW', 0xf6], ['VPSUBB', 0xf8], ['VPSUBW', 0xf9], ['VPSUBD', 0xfa],
    ['VPSUBQ', 0xfb], ['VPSUBSB', 0xe8], ['VPSUBSW', 0xe9], ['VPSUBUSB', 0xd8], ['VPSUBUSW', 0xd9], ['VPUNPCKHBW', 0x68], ['VPUNPCKHWD', 0x69],
    ['VPUNPCKHDQ', 0x6a], ['VPUNPCKHQDQ', 0x6d], ['VPUNPCKLBW', 0x60], ['VPUNPCKLWD', 0x61], ['VPUNPCKLDQ', 0x62], ['VPUNPCKLQDQ', 0x6c], ['VPXOR', 0xef],
  ] as const)
    nds(n, '66', '0F', op);
  // Map 0F38 with 66 prefix.
  for (const [n, op] of [
    ['VPSHUFB', 0x00], ['VPHADDW', 0x01], ['VPHADDD', 0x02], ['VPHADDSW', 0x03], ['VPMADDUBSW', 0x04], ['VPHSUBW', 0x05], ['VPHSUBD', 0x06],
    ['VPHSUBSW', 0x07], ['VPSIGNB', 0x08], ['VPSIGNW', 0x09], ['VPSIGND', 0x0a], ['VPMULHRSW', 0x0b], ['VPMULDQ', 0x28], ['VPCMPEQQ', 0x29],
    ['VPACKUSDW', 0x2b], ['VPCMPGTQ', 0x37], ['VPMINSB', 0x38], ['VPMINSD', 0x39], ['VPMINUW', 0x3a], ['VPMINUD', 0x3b], ['VPMAXSB', 0x3c],
    ['VPMAXSD', 0x3d], ['VPMAXUW', 0x3e], ['VPMAXUD', 0x3f], ['VPMULLD', 0x40], ['VPERMILPS', 0x0c], ['VPERMILPD', 0x0d],
    ['VAESENC', 0xdc], ['VAESENCLAST', 0xdd], ['VAESDEC', 0xde], ['VAESDECLAST', 0xdf],
  ] as const)
    nds(n, '66', '0F38', op);
  nds('VPERMD', '66', '0F38', 0x36, 0, 'y');
  nds('VPERMPS', '66', '0F38', 0x16, 0, 'y');
  nds('VPSLLVD', '66', '0F38', 0x47, 0);
  nds('VPSLLVQ', '66', '0F38', 0x47, 1);
  nds('VPSRLVD', '66', '0F38', 0x45, 0);
  nds('VPSRLVQ', '66', '0F38', 0x45, 1);
  nds('VPSRAVD', '66', '0F38', 0x46, 0);
  for (const [n, op] of [['VPABSB', 0x1c], ['VPABSW', 0x1d], ['VPABSD', 0x1e], ['VPTEST', 0x17], ['VTESTPS', 0x0e], ['VTESTPD', 0x0f]] as const)
    unary(n, '66', '0F38', op);
  unary('VPHMINPOSUW', '66', '0F38', 0x41, 0, 'x');
  unary('VAESIMC', '66', '0F38', 0xdb, 0, 'x');
  // Sign/zero extension: the source is half (or less) the destination width.
  for (const [n, op] of [
    ['VPMOVSXBW', 0x20], ['VPMOVSXBD', 0x21], ['VPMOVSXBQ', 0x22], ['VPMOVSXWD', 0x23], ['VPMOVSXWQ', 0x24], ['VPMOVSXDQ', 0x25],
    ['VPMOVZXBW', 0x30], ['VPMOVZXBD', 0x31], ['VPMOVZXBQ', 0x32], ['VPMOVZXWD', 0x33], ['VPMOVZXWQ', 0x34], ['VPMOVZXDQ', 0x35],
  ] as const) {
    def(n, ['xm,x', `${vex(128, '66', '0F38', 0)} ${hex(op)} /r`], ['xm,y', `${vex(256, '66', '0F38', 0)} ${hex(op)} /r`]);
  }
  // Broadcasts: VPBROADCASTB X0, Y1 → c4 e2 7d 78 c8.
  for (const [n, op] of [['VPBROADCASTB', 0x78], ['VPBROADCASTW', 0x79], ['VPBROADCASTD', 0x58], ['VPBROADCASTQ', 0x59], ['VBROADCASTSS', 0x18]] as const)
    def(n, ['xm,x', `${vex(128, '66', '0F38', 0)} ${hex(op)} /r`], ['xm,y', `${vex(256, '66', '0F38', 0)} ${hex(op)} /r`]);
  def('VBROADCASTSD', ['xm,y', `${vex(256, '66', '0F38', 0)} 19 /r`]);
  def('VBROADCASTI128', ['m,y', `${vex(256, '66', '0F38', 0)} 5A /r`]);
  def('VBROADCASTF128', ['m,y', `${vex(256, '66', '0F38', 0)} 1A /r`]);

  // Moves.
  move('VMOVDQU', 'F3', 0x6f, 0x7f);
  move('VMOVDQA', '66', 0x6f, 0x7f);
  move('VMOVUPS', 'NP', 0x10, 0x11);
  move('VMOVUPD', '66', 0x10, 0x11);
  move('VMOVAPS', 'NP', 0x28, 0x29);
  move('VMOVAPD', '66', 0x28, 0x29);
  def('VMOVNTDQ', ['x,m', `${vex(128, '66', '0F', 0)} E7 /r`], ['y,m', `${vex(256, '66', '0F', 0)} E7 /r`]);
  def('VMOVNTPS', ['x,m', `${vex(128, 'NP', '0F', 0)} 2B /r`], ['y,m', `${vex(256, 'NP', '0F', 0)} 2B /r`]);
  def('VMOVNTPD', ['x,m', `${vex(128, '66', '0F', 0)} 2B /r`], ['y,m', `${vex(256, '66', '0F', 0)} 2B /r`]);
  def('VMOVNTDQA', ['m,x', `${vex(128, '66', '0F38', 0)} 2A /r`], ['m,y', `${vex(256, '66', '0F38', 0)} 2A /r`]);
  def('VLDDQU', ['m,x', `${vex(128, 'F2', '0F', 0)} F0 /r`], ['m,y', `${vex(256, 'F2', '0F', 0)} F0 /r`]);
  // VMOVD/VMOVQ between general registers and X: VMOVQ DX, X2 → c4 e1 f9 6e d2.
  def('VMOVD', ['rm,x', `${vex(128, '66', '0F', 0)} 6E /r`], ['x,rm', `${vex(128, '66', '0F', 0)} 7E /r`]);
  // Go moves VMOVQ to and from memory with the W1 6E/7E forms and between X registers with D6.
  def('VMOVQ', ['rm,x', `${vex(128, '66', '0F', 1)} 6E /r`], ['x,rm', `${vex(128, '66', '0F', 1)} 7E /r`],
    ['x,xm', `${vex(128, '66', '0F', 0)} D6 /r`]);
  // The register merge form uses the store opcode: VMOVSD X1, X2, X3 → c5 eb 11 cb.
  def('VMOVSS', ['m,x', `${vex(128, 'F3', '0F', 0)} 10 /r`], ['x,m', `${vex(128, 'F3', '0F', 0)} 11 /r`], ['x:r,x:v,x:m', `${vex(128, 'F3', '0F', 0)} 11 /r`]);
  def('VMOVSD', ['m,x', `${vex(128, 'F2', '0F', 0)} 10 /r`], ['x,m', `${vex(128, 'F2', '0F', 0)} 11 /r`], ['x:r,x:v,x:m', `${vex(128, 'F2', '0F', 0)} 11 /r`]);
  unary('VMOVDDUP', 'F2', '0F', 0x12);
  unary('VMOVSHDUP', 'F3', '0F', 0x16);
  unary('VMOVSLDUP', 'F3', '0F', 0x12);
  // VPMOVMSKB Y1, AX → c5 fd d7 c1.
  def('VPMOVMSKB', ['x:m,r', `${vex(128, '66', '0F', 0)} D7 /r`], ['y:m,r', `${vex(256, '66', '0F', 0)} D7 /r`]);
  def('VMOVMSKPS', ['x:m,r', `${vex(128, 'NP', '0F', 0)} 50 /r`], ['y:m,r', `${vex(256, 'NP', '0F', 0)} 50 /r`]);
  def('VMOVMSKPD', ['x:m,r', `${vex(128, '66', '0F', 0)} 50 /r`], ['y:m,r', `${vex(256, '66', '0F', 0)} 50 /r`]);
  def('VUCOMISS', ['xm,x', `${vex(128, 'NP', '0F', 0)} 2E /r`]);
  def('VUCOMISD', ['xm,x', `${vex(128, '66', '0F', 0)} 2E /r`]);
  def('VCOMISS', ['xm,x', `${vex(128, 'NP', '0F', 0)} 2F /r`]);
  def('VCOMISD', ['xm,x', `${vex(128, '66', '0F', 0)} 2F /r`]);

  // Shifts: by xmm count (xm, v, dst) and by immediate (dst in vvvv, source in rm, /digit).
  for (const [n, op, grp, d] of [
    ['VPSLLW', 0xf1, 0x71, 6], ['VPSLLD', 0xf2, 0x72, 6], ['VPSLLQ', 0xf3, 0x73, 6], ['VPSRLW', 0xd1, 0x71, 2], ['VPSRLD', 0xd2, 0x72, 2],
    ['VPSRLQ', 0xd3, 0x73, 2], ['VPSRAW', 0xe1, 0x71, 4], ['VPSRAD', 0xe2, 0x72, 4],
  ] as const) {
    // The VEX immediate shifts take a register source only (EVEX adds memory).
    def(n, ['b8,x:m,x:v', `${vex(128, '66', '0F', 0)} ${hex(grp)} /${d} ib`], ['b8,y:m,y:v', `${vex(256, '66', '0F', 0)} ${hex(grp)} /${d} ib`]);
    def(n, ['xm,x:v,x', `${vex(128, '66', '0F', 0)} ${hex(op)} /r`], ['xm,y:v,y', `${vex(256, '66', '0F', 0)} ${hex(op)} /r`]);
  }
  def('VPSLLDQ', ['b8,x:m,x:v', `${vex(128, '66', '0F', 0)} 73 /7 ib`], ['b8,y:m,y:v', `${vex(256, '66', '0F', 0)} 73 /7 ib`]);
  def('VPSRLDQ', ['b8,x:m,x:v', `${vex(128, '66', '0F', 0)} 73 /3 ib`], ['b8,y:m,y:v', `${vex(256, '66', '0F', 0)} 73 /3 ib`]);

  // Immediate shuffles and lane operations.
  unaryImm('VPSHUFD', '66', '0F', 0x70);
  unaryImm('VPSHUFHW', 'F3', '0F', 0x70);
  unaryImm('VPSHUFLW', 'F2', '0F', 0x70);
  unaryImm('VPERMQ', '66', '0F3A', 0x00, 1, 'y');
  unaryImm('VPERMPD', '66', '0F3A', 0x01, 1, 'y');
  unaryImm('VPERMILPS', '66', '0F3A', 0x04);
  unaryImm('VPERMILPD', '66', '0F3A', 0x05);
  unaryImm('VROUNDPS', '66', '0F3A', 0x08);
  unaryImm('VROUNDPD', '66', '0F3A', 0x09);
  unaryImm('VAESKEYGENASSIST', '66', '0F3A', 0xdf, 0, 'x');
  ndsImm('VPALIGNR', '66', '0F3A', 0x0f);
  ndsImm('VPBLENDW', '66', '0F3A', 0x0e);
  ndsImm('VPBLENDD', '66', '0F3A', 0x02);
  ndsImm('VBLENDPS', '66', '0F3A', 0x0c);
  ndsImm('VBLENDPD', '66', '0F3A', 0x0d);
  ndsImm('VSHUFPS', 'NP', '0F', 0xc6);
  ndsImm('VSHUFPD', '66', '0F', 0xc6);
  ndsImm('VMPSADBW', '66', '0F3A', 0x42);
  ndsImm('VPCLMULQDQ', '66', '0F3A', 0x44, 0, 'x');
  ndsImm('VDPPS', '66', '0F3A', 0x40);
  ndsImm('VDPPD', '66', '0F3A', 0x41, 0, 'x');
  ndsImm('VROUNDSS', '66', '0F3A', 0x0a, 0, 'x');
  ndsImm('VROUNDSD', '66', '0F3A', 0x0b, 0, 'x');
  ndsImm('VINSERTPS', '66', '0F3A', 0x21, 0, 'x');
  def('VPERM2I128', ['u8,ym,y:v,y', `${vex(256, '66', '0F3A', 0)} 46 /r ib`]);
  def('VPERM2F128', ['u8,ym,y:v,y', `${vex(256, '66', '0F3A', 0)} 06 /r ib`]);
  def('VINSERTI128', ['u8,xm,y:v,y', `${vex(256, '66', '0F3A', 0)} 38 /r ib`]);
  def('VINSERTF128', ['u8,xm,y:v,y', `${vex(256, '66', '0F3A', 0)} 18 /r ib`]);
  def('VEXTRACTI128', ['b8,y,xm', `${vex(256, '66', '0F3A', 0)} 39 /r ib`]);
  def('VEXTRACTF128', ['b8,y,xm', `${vex(256, '66', '0F3A', 0)} 19 /r ib`]);
  def('VPINSRB', ['u8,rm,x:v,x', `${vex(128, '66', '0F3A', 0)} 20 /r ib`]);
  def('VPINSRW', ['u8,rm,x:v,x', `${vex(128, '66', '0F', 0)} C4 /r ib`]);
  def('VPINSRD', ['u8,rm,x:v,x', `${vex(128, '66', '0F3A', 0)} 22 /r ib`]);
  def('VPINSRQ', ['u8,rm,x:v,x', `${vex(128, '66', '0F3A', 1)} 22 /r ib`]);
  def('VPEXTRB', ['b8,x,rm', `${vex(128, '66', '0F3A', 0)} 14 /r ib`]);
  // Go extracts words with the 0F3A 15 form for registers too: VPEXTRW $7, X2, DX → c4 e3 79 15 d2 07.
  def('VPEXTRW', ['b8,x,rm', `${vex(128, '66', '0F3A', 0)} 15 /r ib`]);
  def('VPEXTRD', ['b8,x,rm', `${vex(128, '66', '0F3A', 0)} 16 /r ib`]);
  def('VPEXTRQ', ['b8,x,rm', `${vex(128, '66', '0F3A', 1)} 16 /r ib`]);
  // Four-operand blends: the mask register travels in imm8[7:4]. VPBLENDVB X12, X2, X9, X11 → c4 63 31 4c da c0.
  def('VPBLENDVB', ['x:is4,xm,x:v,x', `${vex(128, '66', '0F3A', 0)} 4C /r`], ['y:is4,ym,y:v,y', `${vex(256, '66', '0F3A', 0)} 4C /r`]);
  def('VBLENDVPS', ['x:is4,xm,x:v,x', `${vex(128, '66', '0F3A', 0)} 4A /r`], ['y:is4,ym,y:v,y', `${vex(256, '66', '0F3A', 0)} 4A /r`]);
  def('VBLENDVPD', ['x:is4,xm,x:v,x', `${vex(128, '66', '0F3A', 0)} 4B /r`], ['y:is4,ym,y:v,y', `${vex(256, '66', '0F3A', 0)} 4B /r`]);
  def('VLDMXCSR', ['m', `${vex(128, 'NP', '0F', 0)} AE /2`]);
  def('VSTMXCSR', ['m', `${vex(128, 'NP', '0F', 0)} AE /3`]);

  // FMA3: VFMADD231PD Y1, Y2, Y3 (Y3 += Y2 * Y1).
  const FMA: [string, number][] = [
    ['VFMADD132', 0x98], ['VFMADD213', 0xa8], ['VFMADD231', 0xb8], ['VFMSUB132', 0x9a], ['VFMSUB213', 0xaa], ['VFMSUB231', 0xba],
    ['VFNMADD132', 0x9c], ['VFNMADD213', 0xac], ['VFNMADD231', 0xbc], ['VFNMSUB132', 0x9e], ['VFNMSUB213', 0xae], ['VFNMSUB231', 0xbe],
  ];
  for (const [n, op] of FMA) {
    nds(`${n}PS`, '66', '0F38', op, 0);
    nds(`${n}PD`, '66', '0F38', op, 1);
    nds(`${n}SS`, '66', '0F38', op + 1, 0, 'x');
    nds(`${n}SD`, '66', '0F38', op + 1, 1, 'x');
  }
  for (const [n, op] of [['VFMADDSUB132', 0x96], ['VFMADDSUB213', 0xa6], ['VFMADDSUB231', 0xb6], ['VFMSUBADD132', 0x97], ['VFMSUBADD213', 0xa7], ['VFMSUBADD231', 0xb7]] as const) {
    nds(`${n}PS`, '66', '0F38', op, 0);
    nds(`${n}PD`, '66', '0F38', op, 1);
  }

  // Comparisons with a predicate immediate first: VCMPPS $7, (BX), X9, X2.
  ndsImm('VCMPPS', 'NP', '0F', 0xc2);
  ndsImm('VCMPPD', '66', '0F', 0xc2);
  ndsImm('VCMPSS', 'F3', '0F', 0xc2, 0, 'x');
  ndsImm('VCMPSD', 'F2', '0F', 0xc2, 0, 'x');
  unary('VRSQRTPS', 'NP', '0F', 0x52);
  unary('VRCPPS', 'NP', '0F', 0x53);
  nds('VRSQRTSS', 'F3', '0F', 0x52, 0, 'x');
  nds('VRCPSS', 'F3', '0F', 0x53, 0, 'x');
  // Conversions.
  unary('VCVTDQ2PS', 'NP', '0F', 0x5b);
  unary('VCVTPS2DQ', '66', '0F', 0x5b);
  unary('VCVTTPS2DQ', 'F3', '0F', 0x5b);
  def('VCVTDQ2PD', ['xm,x', `${vex(128, 'F3', '0F', 0)} E6 /r`], ['xm,y', `${vex(256, 'F3', '0F', 0)} E6 /r`]);
  def('VCVTPS2PD', ['xm,x', `${vex(128, 'NP', '0F', 0)} 5A /r`], ['xm,y', `${vex(256, 'NP', '0F', 0)} 5A /r`]);
  def('VCVTPH2PS', ['xm,x', `${vex(128, '66', '0F38', 0)} 13 /r`], ['xm,y', `${vex(256, '66', '0F38', 0)} 13 /r`]);
  def('VCVTPS2PH', ['b8,x,xm', `${vex(128, '66', '0F3A', 0)} 1D /r ib`], ['b8,y,xm', `${vex(256, '66', '0F3A', 0)} 1D /r ib`]);
  // Go names the 128- and 256-bit sources of the narrowing conversions with X/Y suffixes.
  def('VCVTPD2DQX', ['xm,x', `${vex(128, 'F2', '0F', 0)} E6 /r`]);
  def('VCVTPD2DQY', ['ym,x', `${vex(256, 'F2', '0F', 0)} E6 /r`]);
  def('VCVTTPD2DQX', ['xm,x', `${vex(128, '66', '0F', 0)} E6 /r`]);
  def('VCVTTPD2DQY', ['ym,x', `${vex(256, '66', '0F', 0)} E6 /r`]);
  def('VCVTPD2PSX', ['xm,x', `${vex(128, '66', '0F', 0)} 5A /r`]);
  def('VCVTPD2PSY', ['ym,x', `${vex(256, '66', '0F', 0)} 5A /r`]);
  nds('VCVTSD2SS', 'F2', '0F', 0x5a, 0, 'x');
  nds('VCVTSS2SD', 'F3', '0F', 0x5a, 0, 'x');
  def('VCVTSI2SDL', ['rm,x:v,x', `${vex(128, 'F2', '0F', 0)} 2A /r`]);
  def('VCVTSI2SDQ', ['rm,x:v,x', `${vex(128, 'F2', '0F', 1)} 2A /r`]);
  def('VCVTSI2SSL', ['rm,x:v,x', `${vex(128, 'F3', '0F', 0)} 2A /r`]);
  def('VCVTSI2SSQ', ['rm,x:v,x', `${vex(128, 'F3', '0F', 1)} 2A /r`]);
  for (const [n, pp, op] of [['VCVTSD2SI', 'F2', 0x2d], ['VCVTTSD2SI', 'F2', 0x2c], ['VCVTSS2SI', 'F3', 0x2d], ['VCVTTSS2SI', 'F3', 0x2c]] as const) {
    def(n, ['xm,r', `${vex(128, pp, '0F', 0)} ${hex(op)} /r`]);
    def(`${n}Q`, ['xm,r', `${vex(128, pp, '0F', 1)} ${hex(op)} /r`]);
  }
  // Masked moves: VMASKMOVPS X2, X9, (BX) stores X2 under mask X9; the load form takes the memory first.
  for (const [n, ld, st, w] of [['VMASKMOVPS', 0x2c, 0x2e, 0], ['VMASKMOVPD', 0x2d, 0x2f, 0], ['VPMASKMOVD', 0x8c, 0x8e, 0], ['VPMASKMOVQ', 0x8c, 0x8e, 1]] as const) {
    def(n, ['m,x:v,x', `${vex(128, '66', '0F38', w)} ${hex(ld)} /r`], ['m,y:v,y', `${vex(256, '66', '0F38', w)} ${hex(ld)} /r`]);
    def(n, ['x,x:v,m', `${vex(128, '66', '0F38', w)} ${hex(st)} /r`], ['y,y:v,m', `${vex(256, '66', '0F38', w)} ${hex(st)} /r`]);
  }
  def('VMASKMOVDQU', ['x:m,x', `${vex(128, '66', '0F', 0)} F7 /r`]);
  def('VEXTRACTPS', ['b8,x,rm', `${vex(128, '66', '0F3A', 0)} 17 /r ib`]);
  for (const [n, pp, ld] of [['VMOVHPS', 'NP', 0x16], ['VMOVHPD', '66', 0x16], ['VMOVLPS', 'NP', 0x12], ['VMOVLPD', '66', 0x12]] as const)
    def(n, ['m,x:v,x', `${vex(128, pp, '0F', 0)} ${hex(ld)} /r`], ['x,m', `${vex(128, pp, '0F', 0)} ${hex(ld + 1)} /r`]);
  def('VMOVHLPS', ['x:m,x:v,x', `${vex(128, 'NP', '0F', 0)} 12 /r`]);
  def('VMOVLHPS', ['x:m,x:v,x', `${vex(128, 'NP', '0F', 0)} 16 /r`]);
  for (const [n, op] of [['VPCMPESTRM', 0x60], ['VPCMPESTRI', 0x61], ['VPCMPISTRM', 0x62], ['VPCMPISTRI', 0x63]] as const) unaryImm(n, '66', '0F3A', op, 0, 'x');

  // AVX2 gathers (VSIB: the index is a vector register): the mask comes first and
  // travels in VEX.vvvv. VPGATHERDQ Y2, (BP)(X7*2), Y1 → c4 e2 ed 90 4c 7d 00.
  // Mask, index and destination must be three different registers.
  for (const [s, w, idx] of [
    ['DD', 0, [['vx', 'x', 128], ['vy', 'y', 256]]],
    ['DQ', 1, [['vx', 'x', 128], ['vx', 'y', 256]]],
    ['QD', 0, [['vx', 'x', 128], ['vy', 'x', 256]]],
    ['QQ', 1, [['vx', 'x', 128], ['vy', 'y', 256]]],
  ] as const) {
    const off = s[0] === 'D' ? 0 : 1;
    const fp = `${s[0]}P${s[1] === 'D' ? 'S' : 'D'}`;
    for (const [m, r, l] of idx) {
      def(`VPGATHER${s}`, [`${r}:v,${m},${r}`, `${vex(l, '66', '0F38', w)} ${hex(0x90 + off)} /r`]);
      def(`VGATHER${fp}`, [`${r}:v,${m},${r}`, `${vex(l, '66', '0F38', w)} ${hex(0x92 + off)} /r`]);
    }
  }

  // GFNI under VEX (X0-X15/Y0-Y15 without masks): VGF2P8AFFINEQB $7, Y1, Y2, Y3 → c4 e3 ed ce d9 07.
  ndsImm('VGF2P8AFFINEQB', '66', '0F3A', 0xce, 1);
  ndsImm('VGF2P8AFFINEINVQB', '66', '0F3A', 0xcf, 1);
  nds('VGF2P8MULB', '66', '0F38', 0xcf);
});
