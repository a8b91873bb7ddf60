// Chained fixups (LC_DYLD_CHAINED_FIXUPS, mach-o/fixup-chains.h), what
// current Apple linkers emit instead of rebase/bind opcodes. Each pointer to
// fix is itself rewritten as a chain entry: a rebase (its target) or a bind
// (an index into the imports table), plus the 4-byte-stride distance to the
// next fixup in the same page. The LINKEDIT payload says where each
// segment's per-page chains start and lists the imports.
//
// Pointer formats: DYLD_CHAINED_PTR_64 stores rebase targets as unslid
// addresses; DYLD_CHAINED_PTR_64_OFFSET as offsets from the Mach-O header
// (what arm64 userland binaries carry). Both share the bind layout:
//   rebase: target:36 high8:8 reserved:7 next:12 bind:1(=0)
//   bind:   ordinal:24 addend:8 reserved:19 next:12 bind:1(=1)

import * as C from './consts.js';
import { ByteWriter } from './bytes.js';

export type ChainedFormat = typeof C.DYLD_CHAINED_PTR_64 | typeof C.DYLD_CHAINED_PTR_64_OFFSET;

export interface ChainSegment {
  /** Offset of the segment from the Mach-O header (vmaddr - image base). */
  vmOffset: number;
  vmSize: number;
}

export type ChainFixup =
  | { kind: 'rebase'; seg: number; off: number; /** Unslid target address. */ target: number; /** The pointer's top byte (a tag), 0 for most. */ high8?: number }
  | { kind: 'bind'; seg: number; off: number; ordinal: number; symbol: string; addend: number; weak?: boolean };

export interface ChainedInput {
  format: ChainedFormat;
  /** Every segment of the image, in load-command order (__PAGEZERO and __LINKEDIT included). */
  segments: readonly ChainSegment[];
  pageSize: number;
  /** Address of the Mach-O header (0x100000000). */
  imageBase: number;
  fixups: readonly ChainFixup[];
}

export interface ChainedOutput {
  /** The LC_DYLD_CHAINED_FIXUPS payload. */
  data: Uint8Array;
  /** The chain entries, to be written over the pointers at (segment, offset). */
  entries: { seg: number; off: number; value: bigint }[];
}

const MAX_INLINE_ADDEND = 255;

export function buildChainedFixups(input: ChainedInput): ChainedOutput {
  // Imports: one per (ordinal, symbol) when every addend fits the inline
  // 8 bits; otherwise one per (ordinal, symbol, addend) with the addend in
  // the import (DYLD_CHAINED_IMPORT_ADDEND).
  const binds = input.fixups.filter((f): f is Extract<ChainFixup, { kind: 'bind' }> => f.kind === 'bind');
  const wide = binds.some((b) => b.addend < 0 || b.addend > MAX_INLINE_ADDEND);
  const importsFormat = wide ? C.DYLD_CHAINED_IMPORT_ADDEND : C.DYLD_CHAINED_IMPORT;
  const imports: { ordinal: number; symbol: string; addend: number; weak: boolean }[] = [];
  const importIndex = new Map<string, number>();
  const keyOf = (b: { ordinal: number; symbol: string; addend: number }) => `${b.ordinal}\0${b.symbol}\0${wide ? b.addend : 0}`;
  for (const b of binds) {
    const k = keyOf(b);
    if (importIndex.has(k)) continue;
    importIndex.set(k, imports.length);
    imports.push({ ordinal: b.ordinal, symbol: b.symbol, addend: wide ? b.addend : 0, weak: !!b.weak });
  }
  if (imports.length >= 1 << 24) throw new Error('too many chained imports');

  // Chain the fixups page by page.
  const bySeg = new Map<number, ChainFixup[]>();
  for (const f of input.fixups) {
    if (f.off % 4 !== 0) throw new Error(`chained fixup at ${f.off} is not 4-byte aligned`);
    const l = bySeg.get(f.seg) ?? [];
    l.push(f);
    bySeg.set(f.seg, l);
  }
  const entries: ChainedOutput['entries'] = [];
  const segStarts = new Map<number, number[]>();
  for (const [seg, list] of bySeg) {
    list.sort((a, b) => a.off - b.off);
    const sd = input.segments[seg]!;
    const pages = new Array<number>(Math.ceil(sd.vmSize / input.pageSize)).fill(C.DYLD_CHAINED_PTR_START_NONE);
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      if (i > 0 && list[i - 1]!.off === f.off) throw new Error(`two fixups at segment ${seg} offset ${f.off}`);
      const page = Math.floor(f.off / input.pageSize);
      if (pages[page] === C.DYLD_CHAINED_PTR_START_NONE) pages[page] = f.off - page * input.pageSize;
      const nx = list[i + 1];
      const next = nx && Math.floor(nx.off / input.pageSize) === page ? (nx.off - f.off) / 4 : 0;
      let value: bigint;
      if (f.kind === 'rebase') {
        const t = input.format === C.DYLD_CHAINED_PTR_64_OFFSET ? f.target - input.imageBase : f.target;
        const big = BigInt(t) | (BigInt(f.high8 ?? 0) << 56n);
        const low36 = big & ((1n << 36n) - 1n);
        const high8 = (big >> 56n) & 0xffn;
        if ((big >> 36n) !== high8 << 20n) throw new Error(`rebase target 0x${t.toString(16)} does not fit a chained pointer`);
        value = low36 | (high8 << 36n) | (BigInt(next) << 51n);
      } else {
        const idx = importIndex.get(keyOf(f))!;
        const inline = wide ? 0 : f.addend;
        value = BigInt(idx) | (BigInt(inline) << 24n) | (BigInt(next) << 51n) | (1n << 63n);
      }
      entries.push({ seg: f.seg, off: f.off, value });
    }
    segStarts.set(seg, pages);
  }

  // The payload: header, starts_in_image, starts_in_segment per segment, imports, symbol names.
  const w = new ByteWriter();
  const HEADER = 28;
  w.zeros(HEADER);
  w.align(8);
  const startsOffset = w.length;
  const nseg = input.segments.length;
  w.u32(nseg);
  const segInfoAt = w.length;
  w.zeros(4 * nseg);
  for (let s = 0; s < nseg; s++) {
    const pages = segStarts.get(s);
    if (!pages) continue;
    w.align(8);
    w.patchU32(segInfoAt + 4 * s, w.length - startsOffset);
    const size = 22 + 2 * pages.length;
    w.u32(size).u16(input.pageSize).u16(input.format).u64(input.segments[s]!.vmOffset).u32(0).u16(pages.length);
    for (const p of pages) w.u16(p);
  }
  w.align(4);
  const importsOffset = w.length;
  const names = new ByteWriter();
  names.u8(0);
  const nameOff = new Map<string, number>();
  const nameOf = (s: string): number => {
    let o = nameOff.get(s);
    if (o === undefined) {
      o = names.length;
      names.cstring(s);
      nameOff.set(s, o);
    }
    return o;
  };
  for (const imp of imports) {
    const lib = imp.ordinal & 0xff;
    const n = nameOf(imp.symbol);
    if (n >= 1 << 23) throw new Error('chained import names too large');
    w.u32((lib | ((imp.weak ? 1 : 0) << 8) | (n << 9)) >>> 0);
    if (wide) w.i32(imp.addend);
  }
  const symbolsOffset = w.length;
  w.bytes(names.finish());
  w.align(8);
  w.patchU32(0, 0); // fixups_version
  w.patchU32(4, startsOffset);
  w.patchU32(8, importsOffset);
  w.patchU32(12, symbolsOffset);
  w.patchU32(16, imports.length);
  w.patchU32(20, importsFormat);
  w.patchU32(24, 0); // symbols_format: uncompressed
  return { data: w.finish(), entries };
}
