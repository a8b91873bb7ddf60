// Call-frame information of compiled code (.eh_frame, from C and C++
// objects) and the search table the linker writes beside it
// (.eh_frame_hdr, found through PT_GNU_EH_FRAME). The unwinder that C++
// exceptions, backtrace() and pthread_cancel use (libgcc's) finds the
// frame description (FDE) of a program counter by a binary search in that
// table: without it a dynamically linked executable's frames cannot be
// unwound at all. The records are those of the LSB's "Exception Frames"
// chapter: a length, a CIE id (0) or a pointer back to the CIE, and for an
// FDE its first address, encoded as the CIE's augmentation ('R') says.

import { plainError } from '../diag.js';
import { ptrSize } from '../target.js';
import { relocAt, scratchReloc } from './reloc-cols.js';
import { isImport, type LSym, type Program } from './program.js';

const DW_EH_PE_absptr = 0x00;
const DW_EH_PE_uleb128 = 0x01;
const DW_EH_PE_udata2 = 0x02;
const DW_EH_PE_udata4 = 0x03;
const DW_EH_PE_udata8 = 0x04;
const DW_EH_PE_sleb128 = 0x09;
const DW_EH_PE_sdata2 = 0x0a;
const DW_EH_PE_sdata4 = 0x0b;
const DW_EH_PE_sdata8 = 0x0c;
const DW_EH_PE_pcrel = 0x10;
const DW_EH_PE_datarel = 0x30;
const DW_EH_PE_omit = 0xff;

/** The header's size before the table, and each table entry's (two sdata4). */
export const EH_FRAME_HDR_HEAD = 12;
export const EH_FRAME_HDR_ENTRY = 8;

/** A malformed record, at an offset of the section. */
export class EhFrameError extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

class Cursor {
  constructor(
    readonly b: Uint8Array,
    public p: number,
    readonly end: number,
  ) {}
  need(n: number): void {
    if (this.p + n > this.end) throw new EhFrameError(this.p, 'record runs past its end');
  }
  u8(): number {
    this.need(1);
    return this.b[this.p++];
  }
  u32(): number {
    this.need(4);
    const b = this.b;
    const p = this.p;
    this.p += 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }
  u64(): number {
    const lo = this.u32();
    return lo + this.u32() * 2 ** 32;
  }
  uleb(): number {
    return this.leb(false);
  }
  sleb(): number {
    return this.leb(true);
  }
  private leb(signed: boolean): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const x = this.u8();
      v += (x & 0x7f) * scale;
      scale *= 128;
      if (!(x & 0x80)) return signed && x & 0x40 ? v - scale : v;
    }
  }
  cstring(): string {
    let s = '';
    for (let c = this.u8(); c !== 0; c = this.u8()) s += String.fromCharCode(c);
    return s;
  }
  /** A pointer in encoding `enc`; pc-relative ones count from `addrOf(field)`. */
  pointer(enc: number, ptrSize: number, addrOf: (off: number) => number): number {
    const at = this.p;
    let v: number;
    switch (enc & 0x0f) {
      case DW_EH_PE_absptr:
        v = ptrSize === 8 ? this.u64() : this.u32();
        break;
      case DW_EH_PE_uleb128:
        v = this.uleb();
        break;
      case DW_EH_PE_udata2:
        v = this.u8() | (this.u8() << 8);
        break;
      case DW_EH_PE_udata4:
        v = this.u32();
        break;
      case DW_EH_PE_udata8:
        v = this.u64();
        break;
      case DW_EH_PE_sleb128:
        v = this.sleb();
        break;
      case DW_EH_PE_sdata2:
        v = ((this.u8() | (this.u8() << 8)) << 16) >> 16;
        break;
      case DW_EH_PE_sdata4:
        v = this.u32() | 0;
        break;
      case DW_EH_PE_sdata8: {
        const lo = this.u32();
        v = lo + (this.u32() | 0) * 2 ** 32;
        break;
      }
      default:
        throw new EhFrameError(at, `pointer encoding 0x${enc.toString(16)} is not one of the psABI's`);
    }
    if ((enc & 0x70) === DW_EH_PE_pcrel) v += addrOf(at);
    else if ((enc & 0x70) !== 0) throw new EhFrameError(at, `pointer encoding 0x${enc.toString(16)} is not absolute or pc-relative`);
    return v;
  }
}

/** One frame description: where it is in the section, the first address of the code it describes, and where that address and the code's length are. */
export interface Fde {
  off: number;
  start: number;
  /** Where the first address is, in the encoding `enc` (the CIE's). */
  startAt: number;
  enc: number;
  rangeAt: number;
}

/**
 * The FDEs of the records in `b[from, to)` (one object's .eh_frame, as the
 * linker laid it out). Addresses count from `addrOf(offset in b)`; `ptrSize`
 * is the target's. Throws EhFrameError for a record it cannot read.
 */
export function frameDescriptions(b: Uint8Array, from: number, to: number, ptrSize: number, addrOf: (off: number) => number): Fde[] {
  const fdes: Fde[] = [];
  // Each CIE's FDE pointer encoding, by offset.
  const cies = new Map<number, number>();
  let p = from;
  while (p + 4 <= to) {
    const c = new Cursor(b, p, to);
    const len = c.u32();
    // A zero length ends the table (crtend.o's terminator).
    if (len === 0) break;
    // The 64-bit format's (ids and pointers back 8 bytes), which neither compilers nor GNU ld use.
    if (len === 0xffffffff) throw new EhFrameError(p, '64-bit .eh_frame records are not supported');
    const body = c.p;
    const end = body + len;
    if (end > to) throw new EhFrameError(p, 'record runs past the end of the section');
    const r = new Cursor(b, body, end);
    const id = r.u32();
    if (id === 0) cies.set(p, cieEncoding(r, ptrSize, addrOf));
    else {
      const cie = body - id;
      const enc = cies.get(cie);
      if (enc === undefined) throw new EhFrameError(p, 'frame description whose CIE is not before it in its section');
      const startAt = r.p;
      const start = r.pointer(enc, ptrSize, addrOf);
      fdes.push({ off: p, start, startAt, enc, rangeAt: r.p });
    }
    p = end;
  }
  return fdes;
}

/** A CIE's FDE pointer encoding (its 'R' augmentation; absolute pointers without one). */
function cieEncoding(r: Cursor, ptrSize: number, addrOf: (off: number) => number): number {
  const version = r.u8();
  if (version !== 1 && version !== 3 && version !== 4) throw new EhFrameError(r.p - 1, `CIE version ${version}`);
  const aug = r.cstring();
  if (version === 4) r.p += 2; // address and segment selector sizes
  r.uleb(); // code alignment
  r.sleb(); // data alignment
  if (version === 1) r.u8();
  else r.uleb(); // return address register
  let enc = DW_EH_PE_absptr;
  if (!aug.startsWith('z')) {
    if (aug !== '' && aug !== 'eh') throw new EhFrameError(r.p, `CIE augmentation "${aug}" without its data length`);
    return enc;
  }
  r.uleb(); // augmentation data length
  for (const ch of aug.slice(1)) {
    if (ch === 'R') enc = r.u8();
    else if (ch === 'L') r.u8();
    else if (ch === 'P') {
      const penc = r.u8();
      if (penc !== DW_EH_PE_omit) r.pointer(penc & 0x7f, ptrSize, addrOf);
    } else if (ch !== 'S' && ch !== 'B' && ch !== 'G') throw new EhFrameError(r.p, `CIE augmentation "${aug}"`);
  }
  return enc;
}

/**
 * The .eh_frame_hdr for `fdes` (their offsets from the start of .eh_frame at
 * `ehAddr`), at `hdrAddr`: version 1, .eh_frame's address (pc-relative
 * sdata4), the count (udata4), and the table sorted by first address (each
 * address and FDE relative to the header, sdata4), as GNU ld writes it.
 */
export function ehFrameHdr(fdes: readonly Fde[], ehAddr: number, hdrAddr: number): Uint8Array {
  const out = new Uint8Array(EH_FRAME_HDR_HEAD + EH_FRAME_HDR_ENTRY * fdes.length);
  const dv = new DataView(out.buffer);
  out.set([1, DW_EH_PE_pcrel | DW_EH_PE_sdata4, DW_EH_PE_udata4, DW_EH_PE_datarel | DW_EH_PE_sdata4]);
  dv.setInt32(4, ehAddr - (hdrAddr + 4), true);
  dv.setUint32(8, fdes.length, true);
  const sorted = [...fdes].sort((a, b) => a.start - b.start || a.off - b.off);
  sorted.forEach((f, i) => {
    dv.setInt32(EH_FRAME_HDR_HEAD + 8 * i, f.start - hdrAddr, true);
    dv.setInt32(EH_FRAME_HDR_HEAD + 8 * i + 4, ehAddr + f.off - hdrAddr, true);
  });
  return out;
}

/**
 * The frame descriptions of .eh_frame symbol `s` (one object's), and among
 * them those whose code the link took from another object (dropped): a
 * function several objects define (COMDAT: C++ inline and template
 * functions, GCC's i386 pc thunks) whose copy in `s`'s object lost, or
 * whose COMDAT group was left out (comdat.ts). Their
 * code is not in the program, so they describe nothing; GNU ld drops them,
 * and two descriptions of one function make it refuse an .eh_frame_hdr.
 * They are left out of the table and their length is zeroed (zeroLengths),
 * which a reader walking the records skips.
 */
export function objectFrames(prog: Program, s: LSym): ProgramFrames {
  const byField = new Map<number, LSym>();
  const r = scratchReloc();
  for (let i = 0; i < s.rn; i++) {
    const t = prog.relocs.target(s.r0 + i);
    if (t !== null && !isImport(t)) byField.set(relocAt(s, i, r).off, t);
  }
  const out: ProgramFrames = { kept: [], dropped: [] };
  for (const f of framesOf(s, ptrSize(prog.target.arch))) {
    const t = byField.get(f.startAt);
    // Code another object's copy replaced, or a copy left out (its description names the .eh_frame itself: deadcode.ts).
    (t !== undefined && (t.obj !== s.obj || t === s) ? out.dropped : out.kept).push(f);
  }
  return out;
}

/** Zeroes the code length of frame descriptions in `bytes` (the records of `fdes`). */
export function zeroLengths(bytes: Uint8Array, fdes: readonly Fde[]): void {
  for (const f of fdes) bytes.fill(0, f.rangeAt, f.rangeAt + (f.rangeAt - f.startAt));
}

/** The program's frame descriptions: those the table lists, and those of code another object's copy replaced. */
export interface ProgramFrames {
  kept: Fde[];
  dropped: Fde[];
}

/**
 * The frame descriptions of the program's .eh_frame section, by offset in
 * it, read once from the objects' bytes before layout: relocation changes
 * the addresses in them, never where the records are (a damaged object's
 * relocation that hits a length must not change what was laid out).
 */
export function programFrames(prog: Program): ProgramFrames {
  const out: ProgramFrames = { kept: [], dropped: [] };
  const moved = (f: Fde, by: number): Fde => ({ ...f, off: f.off + by, startAt: f.startAt + by, rangeAt: f.rangeAt + by });
  for (const s of prog.sections.eh_frame.syms) {
    const { kept, dropped } = objectFrames(prog, s);
    for (const f of kept) out.kept.push(moved(f, s.off));
    for (const f of dropped) out.dropped.push(moved(f, s.off));
  }
  return out;
}

/**
 * The kept frames' first addresses, read from the relocated section `data`
 * at `addr`; the dropped frames' lengths are zeroed there.
 */
export function relocatedFrames(prog: Program, frames: ProgramFrames, data: Uint8Array, addr: number): Fde[] {
  const ptr = ptrSize(prog.target.arch);
  zeroLengths(data, frames.dropped);
  return frames.kept.map((f) => {
    const c = new Cursor(data, f.startAt, f.rangeAt);
    try {
      return { ...f, start: c.pointer(f.enc, ptr, (off) => addr + off) };
    } catch (e) {
      if (!(e instanceof EhFrameError)) throw e;
      throw plainError(`.eh_frame+0x${f.startAt.toString(16)}: ${e.message}`);
    }
  });
}

/**
 * frameDescriptions of one object's .eh_frame (symbol `s`), where the records
 * are, before addresses exist; a record the unwinder could not read is the object's error.
 */
function framesOf(s: LSym, ptr: number): Fde[] {
  try {
    return frameDescriptions(s.data, 0, s.data.length, ptr, () => 0);
  } catch (e) {
    if (!(e instanceof EhFrameError)) throw e;
    throw plainError(`.eh_frame+0x${e.at.toString(16)}: ${e.message}`, s.file);
  }
}
