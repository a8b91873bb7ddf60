// Which AVX-512 instructions take which EVEX options: the encoder checks
// these after picking a form, so that combinations Go rejects fail cleanly
// instead of producing bytes.

const FMA_NAMES = ['VFMADD', 'VFMSUB', 'VFNMADD', 'VFNMSUB'].flatMap((n) => ['132', '213', '231'].flatMap((o) => ['PD', 'PS', 'SD', 'SS'].map((s) => `${n}${o}${s}`)))
  .concat(['VFMADDSUB', 'VFMSUBADD'].flatMap((n) => ['132', '213', '231'].flatMap((o) => ['PD', 'PS'].map((s) => `${n}${o}${s}`))));
const withSizes = (names: string, sizes: string): string[] => names.split(' ').flatMap((n) => sizes.split(' ').map((s) => n + s));

/** Static rounding (.RN_SAE etc.): 512-bit and scalar register forms of these. */
export const EVEX_ROUNDING: ReadonlySet<string> = new Set([
  ...FMA_NAMES, ...withSizes('VADD VSUB VMUL VDIV VSQRT VSCALEF', 'PD PS SD SS'),
  ...'VCVTDQ2PS VCVTPD2DQ VCVTPD2PS VCVTPD2QQ VCVTPD2UDQ VCVTPD2UQQ VCVTPS2DQ VCVTPS2QQ VCVTPS2UDQ VCVTPS2UQQ VCVTQQ2PD VCVTQQ2PS VCVTUDQ2PS VCVTUQQ2PD VCVTUQQ2PS'.split(' '),
  ...'VCVTSD2SI VCVTSD2SIQ VCVTSS2SI VCVTSS2SIQ VCVTSD2USIL VCVTSD2USIQ VCVTSS2USIL VCVTSS2USIQ VCVTSD2SS VCVTSI2SDQ VCVTSI2SSL VCVTSI2SSQ VCVTUSI2SDQ VCVTUSI2SSL VCVTUSI2SSQ'.split(' '),
]);
/** Suppress-all-exceptions (.SAE) without rounding: 512-bit and scalar register forms of these. */
export const EVEX_SAE: ReadonlySet<string> = new Set([
  ...withSizes('VCMP VMAX VMIN VGETEXP VGETMANT VFIXUPIMM VRANGE VREDUCE VRNDSCALE VRCP28 VRSQRT28', 'PD PS SD SS'),
  'VCOMISD', 'VCOMISS', 'VUCOMISD', 'VUCOMISS', 'VEXP2PD', 'VEXP2PS', 'VCVTPH2PS', 'VCVTPS2PD', 'VCVTPS2PH', 'VCVTSS2SD',
  ...'VCVTTPD2DQ VCVTTPD2QQ VCVTTPD2UDQ VCVTTPD2UQQ VCVTTPS2DQ VCVTTPS2QQ VCVTTPS2UDQ VCVTTPS2UQQ'.split(' '),
  ...'VCVTTSD2SI VCVTTSD2SIQ VCVTTSS2SI VCVTTSS2SIQ VCVTTSD2USIL VCVTTSD2USIQ VCVTTSS2USIL VCVTTSS2USIQ'.split(' '),
]);
/** EVEX forms that cannot be masked (so cannot zero either). The prefetches name their opmask as an operand of its own. */
export const EVEX_NO_MASK: ReadonlySet<string> = new Set([
  'VAESENC', 'VAESENCLAST', 'VAESDEC', 'VAESDECLAST', 'VPCLMULQDQ', 'VCOMISD', 'VCOMISS', 'VUCOMISD', 'VUCOMISS',
  ...'VCVTSD2SI VCVTSD2SIQ VCVTSS2SI VCVTSS2SIQ VCVTTSD2SI VCVTTSD2SIQ VCVTTSS2SI VCVTTSS2SIQ'.split(' '),
  ...withSizes('VCVTSD2USI VCVTSS2USI VCVTTSD2USI VCVTTSS2USI VCVTSI2SD VCVTSI2SS VCVTUSI2SD VCVTUSI2SS', 'L Q'),
  'VEXTRACTPS', 'VINSERTPS', 'VMOVD', 'VMOVQ', 'VMOVHLPS', 'VMOVLHPS', 'VMOVHPD', 'VMOVHPS', 'VMOVLPD', 'VMOVLPS',
  'VMOVNTDQ', 'VMOVNTDQA', 'VMOVNTPD', 'VMOVNTPS', 'VPBROADCASTMB2Q', 'VPBROADCASTMW2D',
  'VPEXTRB', 'VPEXTRW', 'VPEXTRD', 'VPEXTRQ', 'VPINSRB', 'VPINSRW', 'VPINSRD', 'VPINSRQ',
  ...withSizes('VPMOVM2 VPMOV', 'B W D Q').map((n) => (n.startsWith('VPMOVM2') ? n : `${n}2M`)),
  'VPSADBW', 'VPSLLDQ', 'VPSRLDQ',
  ...withSizes('VGATHERPF0 VGATHERPF1 VSCATTERPF0 VSCATTERPF1', 'DPS DPD QPS QPD'),
]);
