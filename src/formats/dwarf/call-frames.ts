// The .debug_frame writer and the conventions it follows per architecture:
// one CIE (what holds at a call), then an FDE per function whose
// instructions follow its frame (DebugFrameRow) from instruction to
// instruction.

import { Bytes, isIndex } from './bytes.js';
import type { DebugFunction } from './dwarf.js';

/** DWARF register numbers and factors of an architecture's frames. */
export interface CallFrameConventions {
  codeAlign: number;
  dataAlign: number;
  /** The stack pointer, the return address's column, the frame pointer. */
  spReg: number;
  raReg: number;
  bpReg: number;
  /** The CFA's offset from SP at a function's first instruction: the return address's size on x86 (saved just below the CFA), 0 on arm64 (in LR). */
  entryCfa: number;
  /** Where the registers a frame saved (DebugFrameRow.saved, non-zero) are: [register, offset below the CFA]. */
  savedAt(saved: number): [number, number][];
  /** The inverse, for a reader: the `saved` a rule for `reg` at CFA-off says (0: the rule is implied by another of the set), or undefined when savedAt makes no such rule. */
  savedFrom(reg: number, off: number): number | undefined;
}

/** x86-64 (rsp 7, rbp 6, return address 16) and i386 (esp 4, ebp 5, eip 8), from the psABIs: BP is saved just below the return address. */
export const CFI_AMD64: CallFrameConventions = x86Conventions(8, 7, 16, 6);
export const CFI_386: CallFrameConventions = x86Conventions(4, 4, 8, 5);

function x86Conventions(ptr: number, spReg: number, raReg: number, bpReg: number): CallFrameConventions {
  return {
    codeAlign: 1,
    dataAlign: -ptr,
    spReg,
    raReg,
    bpReg,
    entryCfa: ptr,
    savedAt: () => [[bpReg, 2 * ptr]],
    savedFrom: (reg, off) => (reg === bpReg && off === 2 * ptr ? 1 : undefined),
  };
}
/** AArch64 (sp 31, x29 frame pointer, x30 link register): Go's frames save LR at their bottom and the caller's FP just below it. */
export const CFI_ARM64: CallFrameConventions = {
  codeAlign: 4,
  dataAlign: -8,
  spReg: 31,
  raReg: 30,
  bpReg: 29,
  entryCfa: 0,
  savedAt: (n) => [
    [30, n],
    [29, n + 8],
  ],
  savedFrom: (reg, off) => (reg === 30 ? off : reg === 29 ? 0 : undefined),
};

export function cfiOf(arch: string): CallFrameConventions | undefined {
  return arch === 'amd64' ? CFI_AMD64 : arch === '386' ? CFI_386 : arch === 'arm64' ? CFI_ARM64 : undefined;
}

export const DW_CFA_advance_loc = 0x40;
export const DW_CFA_offset = 0x80;
export const DW_CFA_restore = 0xc0;
export const DW_CFA_nop = 0x00;
export const DW_CFA_advance_loc1 = 0x02;
export const DW_CFA_advance_loc2 = 0x03;
export const DW_CFA_advance_loc4 = 0x04;
export const DW_CFA_def_cfa = 0x0c;
export const DW_CFA_def_cfa_offset = 0x0e;

/** The one CIE (version 1): at a call, CFA = SP + entryCfa and the return address is just below it. */
export function writeCie(b: Bytes, c: CallFrameConventions, addressSize: number): void {
  b.uint(0, 4); // length, patched below
  b.uint(0xffffffff, 4); // CIE_id
  b.u8(1); // version
  b.u8(0); // no augmentation
  b.uleb(c.codeAlign);
  b.sleb(c.dataAlign);
  b.u8(c.raReg);
  b.u8(DW_CFA_def_cfa);
  b.uleb(c.spReg);
  b.uleb(c.entryCfa);
  // On x86 the call pushed the return address just below the CFA; on arm64 it is in LR.
  if (c.entryCfa > 0) {
    b.u8(DW_CFA_offset | c.raReg);
    b.uleb(c.entryCfa / -c.dataAlign);
  }
  while (b.len % addressSize !== 0) b.u8(DW_CFA_nop);
  b.patch(0, b.len - 4, 4);
}

/**
 * Whether a row's saved registers can be said with DW_CFA_offset, whose
 * offsets are multiples of the data alignment: on arm64 a frame that stores
 * FP and LR at an offset not a multiple of 8 (legal, but no compiler's
 * frame) cannot.
 */
export function savedSayable(c: CallFrameConventions, saved: number): boolean {
  return isIndex(saved, 2 ** 31) && c.savedAt(saved).every(([, off]) => off % c.dataAlign === 0);
}

/** An FDE's instructions: each change of the frame, at its offset. Rows that cannot be (out of order, outside the function, between instructions, registers saved where DW_CFA_offset cannot say) are left out. */
export function writeFrameRows(b: Bytes, f: DebugFunction, c: CallFrameConventions): void {
  let at = 0;
  let sp = 0;
  let saved = 0;
  let onBp = false;
  for (const r of f.frames ?? []) {
    if (!isIndex(r.offset, f.size) || r.offset < at || r.offset % c.codeAlign !== 0 || !isIndex(r.sp + c.entryCfa, 2 ** 31) || !savedSayable(c, r.saved)) continue;
    if (r.sp === sp && r.saved === saved && r.onBp === onBp) continue;
    const step = (r.offset - at) / c.codeAlign;
    if (step > 0 && step < 64) b.u8(DW_CFA_advance_loc | step);
    else if (step > 0 && step < 0x100) {
      b.u8(DW_CFA_advance_loc1);
      b.u8(step);
    } else if (step > 0 && step < 0x10000) {
      b.u8(DW_CFA_advance_loc2);
      b.uint(step, 2);
    } else if (step > 0) {
      b.u8(DW_CFA_advance_loc4);
      b.uint(step, 4);
    }
    at = r.offset;
    if (r.onBp !== onBp) {
      b.u8(DW_CFA_def_cfa);
      b.uleb(r.onBp ? c.bpReg : c.spReg);
      b.uleb(r.sp + c.entryCfa);
      onBp = r.onBp;
      sp = r.sp;
    } else if (r.sp !== sp) {
      b.u8(DW_CFA_def_cfa_offset);
      b.uleb(r.sp + c.entryCfa);
      sp = r.sp;
    }
    if (r.saved !== saved) {
      if (r.saved === 0) for (const [reg] of c.savedAt(saved)) b.u8(DW_CFA_restore | reg);
      else
        for (const [reg, off] of c.savedAt(r.saved)) {
          b.u8(DW_CFA_offset | reg);
          b.uleb(off / -c.dataAlign);
        }
      saved = r.saved;
    }
  }
}
