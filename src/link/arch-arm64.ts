// arm64 (AAELF64 / AAPCS64).
//
// What matters here: instructions are 4 bytes and immediates are split
// across bit fields. BL/B carry a 26-bit word displacement (±128 MiB).
// Addresses are built in two steps: ADRP sets a register to the 4 KiB page
// of the target relative to the page of the instruction (±4 GiB), then an
// ADD (address) or a LDR/STR (access) supplies the low 12 bits — scaled by
// the access size for loads and stores, so the target must be aligned to it.
// An ADRP+ADD of an import's address is rewritten into ADRP+LDR from its GOT
// slot, as Go's linker does. Addresses here can exceed 32 bits (Mach-O puts
// code above 4 GiB), so page arithmetic uses division, not bit operations.
// TLS is variant 1: the thread pointer is followed by a 16-byte TCB and then
// the TLS block, so local-exec offsets are positive.

import * as C from '../formats/elf/consts.js';
import { isAdrp, MOVK_X, MOVZ_X_LSL16 } from '../formats/elf/tls-relax.js';
import { setPointer64, setU64 } from '../obj/bytes.js';
import type { RelocFields } from './reloc-cols.js';
import type { ArchHooks, ElfExecArch, InPlace } from './arch.js';
import { applyDataPcrel, fitsSigned, tlsImportRefused } from './arch.js';
import { copyRefused, offsetRefused } from './copy-data.js';
import { HOW_COPY, HOW_DYN, HOW_GOT, HOW_PLT, HOW_SKIP, ownData, type Import, type LinkMode, type LSym } from './program.js';

const isAdd64Imm = (ins: number) => (ins & 0xff800000) >>> 0 === 0x91000000;
/** add xd, xn, #lo12  →  ldr xd, [xn, #lo12]: the same registers, loading the GOT slot instead. */
const ldrOfAdd = (ins: number) => (0xf9400000 | (ins & 0x3ff)) >>> 0;

const isLdr64 = (ins: number) => (ins & 0xffc00000) >>> 0 === 0xf9400000;
/** ldr xd, [xn, #lo12]  →  add xd, xn, #lo12: the address itself instead of the slot's contents. */
const addOfLdr = (ins: number) => (0x91000000 | (ins & 0x3ff)) >>> 0;

/** Where the instruction that completes an address (the ADD, or a load or store) is: a pair's second word, or a lone PAGEOFF half's own; -1 for other types. */
function completingAt(r: RelocFields): number {
  return r.type === 'R_ARM64_PAGEOFF' ? r.off : r.type === 'R_ADDRARM64' || r.type === 'R_PCREL' ? r.off + 4 : -1;
}

const wordAt = (s: LSym, at: number) => new DataView(s.data.buffer, s.data.byteOffset, s.data.byteLength).getUint32(at, true);
/** Rewrites an instruction in the symbol's own copy of its bytes (ownData). */
const setWordAt = (s: LSym, at: number, ins: number) => new DataView(ownData(s).buffer).setUint32(at, ins, true);

/** 'reads' when the instruction that completes the address loads or stores at it rather than adding it. */
function inPlace(s: LSym, r: RelocFields): InPlace {
  if (r.type === 'R_ARM64_PAGE') return 'address';
  const at = completingAt(r);
  if (at < 0 || at + 4 > s.data.length) return null;
  return isAdd64Imm(wordAt(s, at)) ? 'address' : 'reads';
}

function planImport(s: LSym, r: RelocFields, imp: Import, mode: LinkMode): number | string {
  void mode;
  // The executable holds the import's data: its page and offset are reached like its own symbols'.
  if (imp.copy >= 0 && (r.type === 'R_ADDRARM64' || r.type === 'R_PCREL' || r.type === 'R_ARM64_PAGE' || r.type === 'R_ARM64_PAGEOFF')) return HOW_COPY;
  switch (r.type) {
    case 'R_CALLARM64':
    case 'R_CALL':
      return HOW_PLT;
    case 'R_CALLIND':
      return HOW_SKIP;
    case 'R_ARM64_GOTPCREL':
    case 'R_GOTPCREL':
    case 'R_ARM64_GOTPAGE':
    case 'R_ARM64_GOTPAGEOFF':
    case 'R_ARM64_GOTPAGE_LO15':
      return HOW_GOT;
    // The address of an import comes from its GOT slot: the ADRP goes to
    // the slot's page and the ADD that completes it (a pair's second word,
    // or a half apart, a C compiler's) becomes the slot's LDR.
    case 'R_ARM64_PAGE':
      if (r.add !== 0) return offsetRefused(imp, r.add);
      return HOW_GOT;
    case 'R_ARM64_PAGEOFF':
    case 'R_ADDRARM64':
    case 'R_PCREL': {
      if (r.add !== 0) return offsetRefused(imp, r.add);
      const at = completingAt(r);
      if (at + 4 > s.data.length) return 'ADRP pair runs past the end of the symbol';
      const ins = wordAt(s, at);
      if (!isAdd64Imm(ins)) return copyRefused(imp);
      setWordAt(s, at, ldrOfAdd(ins));
      return HOW_GOT;
    }
    case 'R_ADDR':
      if (s.kind === 'text') return `absolute address of imported ${imp.local} in code`;
      if (r.size !== 8) return `4-byte absolute address of imported ${imp.local} in data, where a library's address does not fit (C and C++ compiled with -fno-pic write them: compile with -fPIE, cc's default, or -fPIC)`;
      return HOW_DYN;
    case 'R_TLS_LE':
      return initialExec(s, r) ?? tlsImportRefused(imp);
    default:
      return `relocation ${r.type} to imported ${imp.local} is not supported on arm64`;
  }
}

/**
 * A library's thread-local variable (see arch-amd64.ts): the local-exec pair
 * the reader made of a compiler's initial-exec or descriptor access
 * (tls-relax.ts) goes back to loading the offset from a GOT slot, as GNU ld
 * makes it, one instruction per relocation:
 *   movz xN, #:tprel_g1:x → adrp xN, :gottprel:x
 *   movk xN, #:tprel_g0_nc:x → ldr xN, [xN, :gottprel_lo12:x]
 * HOW_GOT, or null for any other instruction.
 */
function initialExec(s: LSym, r: RelocFields): number | null {
  if (s.kind !== 'text' || r.size !== 4 || r.add !== 0 || r.off + 4 > s.data.length) return null;
  const ins = wordAt(s, r.off);
  const rd = ins & 31;
  let to: number;
  if ((ins & 0xffffffe0) >>> 0 === MOVZ_X_LSL16) to = ADRP_X | rd;
  else if ((ins & 0xffffffe0) >>> 0 === MOVK_X) to = (LDR_X | (rd << 5) | rd) >>> 0;
  else return null;
  setWordAt(s, r.off, to);
  return HOW_GOT;
}

// Initial exec's instructions (offsets zero), for the local-exec pair tls-relax.ts writes.
const ADRP_X = 0x90000000;
const LDR_X = 0xf9400000;

/** Page number and offset of an address that may exceed 32 bits. */
const pageOf = (a: number) => Math.floor(a / 4096);
const lo12 = (a: number) => ((a % 4096) + 4096) % 4096;

/** ADRP with the page distance from pc to target, or a message. */
function setAdrp(ins: number, pc: number, target: number): number | string {
  const pages = pageOf(target) - pageOf(pc);
  if (!fitsSigned(pages, 21)) return `out of range: distance ${target - pc}`;
  const imm = pages & 0x1fffff;
  return ((ins & 0x9f00001f) | ((imm & 3) << 29) | ((imm >> 2) << 5)) >>> 0;
}

/** Encodes the low-12-bit immediate into an ADD or LDR/STR; returns the new instruction or a message. */
function setLo12(ins: number, v: number): number | string {
  const lo = lo12(v);
  if ((ins & 0x1f000000) === 0x11000000) return (ins & ~(0xfff << 10)) | (lo << 10);
  if ((ins & 0x3b000000) === 0x39000000) {
    let scale = ins >>> 30;
    if ((ins >>> 26) & 1 && scale === 0 && ((ins >>> 22) & 3) >= 2) scale = 4;
    if (lo % (1 << scale)) return `misaligned: offset 0x${lo.toString(16)} is not a multiple of ${1 << scale}`;
    return (ins & ~(0xfff << 10)) | ((lo >> scale) << 10);
  }
  return `instruction 0x${(ins >>> 0).toString(16)} after ADRP is neither ADD nor LDR/STR`;
}

/**
 * AArch64's GOT relaxation (as lld and GNU ld make it): the ADRP of the
 * slot's page goes to the symbol's page and the slot's LDR becomes an ADD of
 * the symbol's page offset. Both halves of a pair name the same symbol, so
 * they are relaxed together; Go's one-relocation pair has its LDR second.
 */
function relaxGotLoad(s: LSym, r: RelocFields): boolean {
  if (s.kind !== 'text' || r.add !== 0) return false;
  // The ADRP itself stays: filled with the symbol's page rather than the slot's.
  if (r.type === 'R_ARM64_GOTPAGE') return r.size === 4 && r.off + 4 <= s.data.length && isAdrp(wordAt(s, r.off));
  const at = r.type === 'R_ARM64_GOTPAGEOFF' && r.size === 4 ? r.off : r.type === 'R_ARM64_GOTPCREL' && r.size === 8 ? r.off + 4 : -1;
  if (at < 0 || at + 4 > s.data.length || !isLdr64(wordAt(s, at))) return false;
  setWordAt(s, at, addOfLdr(wordAt(s, at)));
  return true;
}

function apply(buf: Uint8Array, dv: DataView, at: number, r: RelocFields, S: number, P: number, gotBase = 0): string | null {
  void buf;
  switch (r.type) {
    case 'R_CALLARM64':
    case 'R_CALL': {
      if (r.size !== 4) return `bad size ${r.size}`;
      const v = S + r.add - P;
      if (v % 4) return `misaligned branch target: distance ${v}`;
      if (!fitsSigned(v / 4, 26)) return `out of range: distance ${v}`;
      const ins = dv.getUint32(at, true);
      dv.setUint32(at, ((ins & 0xfc000000) | ((v / 4) & 0x3ffffff)) >>> 0, true);
      return null;
    }
    case 'R_ADDRARM64':
    case 'R_ARM64_GOTPCREL':
    case 'R_GOTPCREL':
    case 'R_PCREL': {
      // A 4-byte one is a word in data: the distance from the field to the
      // symbol's GOT slot (Mach-O's ARM64_RELOC_POINTER_TO_GOT, in LSDA type tables).
      if (r.type === 'R_GOTPCREL' && r.size === 4) return applyDataPcrel(dv, at, 4, S + r.add - P);
      if (r.size !== 8) return `bad size ${r.size} (an ADRP pair is 8 bytes)`;
      const target = S + r.add;
      const first = setAdrp(dv.getUint32(at, true), P, target);
      if (typeof first === 'string') return first;
      const second = setLo12(dv.getUint32(at + 4, true), target);
      if (typeof second === 'string') return second;
      dv.setUint32(at, first, true);
      dv.setUint32(at + 4, second >>> 0, true);
      return null;
    }
    case 'R_ARM64_PAGE':
    case 'R_ARM64_GOTPAGE':
    case 'R_ARM64_PAGEOFF':
    case 'R_ARM64_GOTPAGEOFF':
    case 'R_TLS_IE': {
      if (r.size !== 4) return `bad size ${r.size}`;
      const ins = dv.getUint32(at, true);
      // R_TLS_IE is on either instruction of the pair initialExec wrote.
      const page = r.type === 'R_ARM64_PAGE' || r.type === 'R_ARM64_GOTPAGE' || (r.type === 'R_TLS_IE' && isAdrp(ins));
      if (page && !isAdrp(ins)) return `instruction 0x${(ins >>> 0).toString(16)} is not ADRP`;
      // The GOT slot's LDR was written by the compiler (or rewritten by planImport), or relaxed to an ADD (relaxGotLoad).
      if (r.type === 'R_ARM64_GOTPAGEOFF' && !isLdr64(ins) && !isAdd64Imm(ins)) return `instruction 0x${(ins >>> 0).toString(16)} does not load a GOT slot (64-bit LDR)`;
      const v = page ? setAdrp(ins, P, S + r.add) : setLo12(ins, S + r.add);
      if (typeof v === 'string') return v;
      dv.setUint32(at, v >>> 0, true);
      return null;
    }
    case 'R_ARM64_GOTPAGE_LO15': {
      // The slot's offset from the GOT's page (gotBase: _GLOBAL_OFFSET_TABLE_), in the LDR's scaled 12 bits.
      if (r.size !== 4) return `bad size ${r.size}`;
      const ins = dv.getUint32(at, true);
      if (!isLdr64(ins)) return `instruction 0x${(ins >>> 0).toString(16)} does not load a GOT slot (64-bit LDR)`;
      const v = S + r.add - Math.floor(gotBase / 4096) * 4096;
      if (v < 0 || v >= 0x8000 || v % 8 !== 0) return `out of range: GOT slot at 0x${v.toString(16)} from the GOT's page (0 to 0x7ff8, a multiple of 8)`;
      dv.setUint32(at, ((ins & ~(0xfff << 10)) | ((v / 8) << 10)) >>> 0, true);
      return null;
    }
    case 'R_ADDR': {
      const v = S + r.add;
      if (r.size === 8) {
        // A tagged pointer keeps its tag (ELF's RELA fields are zero as compilers write them).
        setPointer64(dv, at, v);
        return null;
      }
      if (r.size === 4) {
        if (v < -0x80000000 || v > 0xffffffff) return `out of range: address ${v} does not fit 32 bits`;
        dv.setUint32(at, v >>> 0, true);
        return null;
      }
      return `bad size ${r.size}`;
    }
    case 'R_TLS_LE': {
      const v = S + r.add;
      // A Mach-O descriptor's offset into the thread-local template.
      if (r.size === 8) {
        setU64(dv, at, v);
        return null;
      }
      if (r.size !== 4) return `bad size ${r.size}`;
      const ins = dv.getUint32(at, true);
      const patched = setTlsOffset(ins, v);
      if (typeof patched === 'string') return patched;
      dv.setUint32(at, patched >>> 0, true);
      return null;
    }
    case 'R_DATA_PCREL':
      return applyDataPcrel(dv, at, r.size, S + r.add - P);
    case 'R_CALLIND':
      return null;
    default:
      return `relocation ${r.type} is not an arm64 relocation`;
  }
}

/**
 * An instruction with its part of a thread-pointer offset `v` (local exec):
 * Go's assembler writes MOVZ Xd, #v, whose 16 bits must hold it all; C
 * compilers, and the sequences formats/elf/tls-relax.ts rewrites, split it as
 * MOVZ #hi, LSL #16 + MOVK #lo, or ADD #hi, LSL #12 + ADD (or a load) #lo.
 */
function setTlsOffset(ins: number, v: number): number | string {
  if (v < 0) return `out of range: TLS offset ${v}`;
  if ((ins & 0x1f800000) === 0x12800000) {
    const opc = (ins >>> 29) & 3;
    const hw = (ins >>> 21) & 3;
    if ((opc !== 2 && opc !== 3) || hw > 1) return `instruction 0x${(ins >>> 0).toString(16)} is not a MOVZ or MOVK of bits 0–31`;
    // MOVZ checks that nothing is left above its half; MOVK fills its half of what MOVZ began.
    if (opc === 2 && v >= 2 ** (16 * (hw + 1))) return `out of range: TLS offset ${v}`;
    const half = hw === 0 ? v & 0xffff : Math.floor(v / 0x10000) & 0xffff;
    return (ins & ~(0xffff << 5)) | (half << 5);
  }
  if ((ins & 0x5f000000) === 0x11000000 && (ins >>> 22) & 1) {
    if (v >= 1 << 24) return `out of range: TLS offset ${v}`;
    return (ins & ~(0xfff << 10)) | (((v >>> 12) & 0xfff) << 10);
  }
  return setLo12(ins, v);
}

/** ADRP Xd, target (from the instruction at pc). */
function adrp(rd: number, pc: number, target: number): number {
  const imm = (pageOf(target) - pageOf(pc)) & 0x1fffff;
  return (0x90000000 | ((imm & 3) << 29) | ((imm >> 2) << 5) | rd) >>> 0;
}

function put(buf: Uint8Array, at: number, words: number[]): void {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  words.forEach((w, i) => dv.setUint32(at + 4 * i, w >>> 0, true));
}

// PLT0 (32 bytes):
//   a9bf7bf0   stp  x16, x30, [sp, #-16]!
//   90000010   adrp x16, GOTPLT+16
//   f9400211   ldr  x17, [x16, #:lo12:GOTPLT+16]   _dl_runtime_resolve
//   91000210   add  x16, x16, #:lo12:GOTPLT+16
//   d61f0220   br   x17
//   d503201f   nop  (×3)
// PLT entry (16 bytes):
//   90000010   adrp x16, slot
//   f9400211   ldr  x17, [x16, #:lo12:slot]
//   91000210   add  x16, x16, #:lo12:slot
//   d61f0220   br   x17
const elf: ElfExecArch = {
  machine: C.EM_AARCH64,
  cls: 64,
  rela: true,
  base: 0x400000,
  pltHeaderSize: 32,
  pltEntrySize: 16,
  writePltHeader(buf, at, plt, gotplt) {
    const t = gotplt + 16;
    put(buf, at, [0xa9bf7bf0, adrp(16, plt + 4, t), 0xf9400211 | ((lo12(t) >> 3) << 10), 0x91000210 | (lo12(t) << 10), 0xd61f0220, 0xd503201f, 0xd503201f, 0xd503201f]);
  },
  writePltEntry(buf, at, entry, slot) {
    put(buf, at, [adrp(16, entry, slot), 0xf9400211 | ((lo12(slot) >> 3) << 10), 0x91000210 | (lo12(slot) << 10), 0xd61f0220]);
  },
  initialSlotValue: (_entry, plt) => plt,
  rJumpSlot: C.R_AARCH64_JUMP_SLOT,
  rGlobDat: C.R_AARCH64_GLOB_DAT,
  rTpoff: C.R_AARCH64_TLS_TPREL64,
  rCopy: C.R_AARCH64_COPY,
  rAbs: C.R_AARCH64_ABS64,
  rIrelative: C.R_AARCH64_IRELATIVE,
  rRelative: C.R_AARCH64_RELATIVE,
  tlsOffset: (off, _size, align) => Math.ceil(16 / align) * align + off,
  textFill: 0,
};

export const arm64Hooks: ArchHooks = { arch: 'arm64', ptrSize: 8, planImport, inPlace, relaxGotLoad, apply, elf };
