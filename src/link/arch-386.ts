// 386 (i386 System V psABI), non-PIC executables; position-independent
// objects (a C compiler's) link into them through the GOT base (R_GOTPC,
// R_GOTOFF, R_GOT), whose address the ELF writer gives.
//
// What matters here: there is no pc-relative data addressing, so code takes
// addresses as 32-bit absolutes and the PLT of an ET_EXEC jumps through the
// absolute address of its .got.plt slot (`jmp *slot`), unlike x86-64's
// pc-relative `jmp *slot(%rip)`. As in Go's 386 linker (and the seed),
// R_CALL and R_PCREL to an import both go through the PLT. Relocations are
// REL: a dynamic relocation's addend is the value already in the field. TLS is
// variant 2 through %gs, like x86-64: negative offsets from the thread pointer.

import * as C from '../formats/elf/consts.js';
import type { RelocFields } from './reloc-cols.js';
import type { ArchHooks, ElfExecArch, InPlace } from './arch.js';
import { applyDataPcrel, fitsSigned, tlsImportRefused } from './arch.js';
import { copyRefused } from './copy-data.js';
import { HOW_COPY, HOW_DYN, HOW_GOT, HOW_PLT, HOW_SKIP, type Import, type LinkMode, type LSym, ownData } from './program.js';

/** One-byte opcodes whose ModRM operand a [disp32] can be (loads, stores, arithmetic, tests, pushes, jumps through memory); LEA only computes the address. */
const MODRM_OPCODES = new Set([0x00, 0x01, 0x02, 0x03, 0x08, 0x09, 0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x18, 0x19, 0x1a, 0x1b, 0x20, 0x21, 0x22, 0x23, 0x28, 0x29, 0x2a, 0x2b, 0x30, 0x31, 0x32, 0x33, 0x38, 0x39, 0x3a, 0x3b, 0x80, 0x81, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0xc6, 0xc7, 0xd9, 0xdd, 0xf6, 0xf7, 0xfe, 0xff]);

/**
 * Whether the 4-byte field at `off` is the absolute address an instruction
 * reads or writes memory at: `mov` to or from a moffs (A0-A3), or a ModRM
 * operand [disp32] (mod 00, r/m 101) after an opcode that takes one.
 * Immediates (`push $f`, `mov $f, %eax`) are not.
 */
function accessesMemoryAt(code: Uint8Array, off: number): boolean {
  const before = off >= 1 ? code[off - 1] : -1;
  if (before >= 0xa0 && before <= 0xa3) return true;
  return off >= 2 && (before & 0xc7) === 0x05 && MODRM_OPCODES.has(code[off - 2]);
}

function inPlace(s: LSym, r: RelocFields): InPlace {
  if (r.type === 'R_GOTOFF') return 'reads';
  if (r.type !== 'R_ADDR' || s.kind !== 'text') return null;
  return accessesMemoryAt(s.data, r.off) ? 'reads' : 'address';
}

function planImport(s: LSym, r: RelocFields, imp: Import, mode: LinkMode): number | string {
  void mode;
  // The executable holds the import's data: its absolute address, or its offset from the GOT, like its own symbols'.
  if (imp.copy >= 0 && ((r.type === 'R_ADDR' && s.kind === 'text') || r.type === 'R_GOTOFF')) return HOW_COPY;
  switch (r.type) {
    case 'R_CALL':
    case 'R_PCREL':
      return HOW_PLT;
    case 'R_CALLIND':
      return HOW_SKIP;
    case 'R_GOTPCREL':
    case 'R_GOT':
      return HOW_GOT;
    case 'R_GOTOFF':
      // The address of the program's indirect function (`lea f@GOTOFF`):
      // its PLT entry, which stands for it (as GNU ld makes it in a
      // position-dependent executable), in data too (below).
      return imp.ifunc !== undefined ? HOW_PLT : copyRefused(imp);
    case 'R_ADDR':
      if (r.size !== 4) return `R_ADDR of size ${r.size} on 386`;
      // In data: the loader stores the address. In code: the PLT entry
      // stands for the function, unless the instruction reads or writes at
      // the address (the import is data, which would need a copy of it).
      if (s.kind !== 'text') return imp.ifunc !== undefined ? HOW_PLT : HOW_DYN;
      return inPlace(s, r) === 'reads' ? copyRefused(imp) : HOW_PLT;
    case 'R_TLS_LE':
      return initialExec(s, r) ?? tlsImportRefused(imp);
    default:
      return `relocation ${r.type} to imported ${imp.local} is not supported on 386`;
  }
}

/**
 * A library's thread-local variable (see arch-amd64.ts): the local-exec form
 * the reader made of a compiler's access becomes initial exec with the GOT
 * slot's absolute address (a position-dependent executable), as GNU ld makes it:
 *   movl $x@ntpoff, %eax (b8)            → movl x@indntpoff, %eax (a1)
 *   movl/addl $x@ntpoff, %reg (c7/81 c0+r) → movl/addl x@indntpoff, %reg (8b/03 05+8r)
 *   leal x@ntpoff, %eax (TLS descriptors) → movl x@indntpoff, %eax
 * HOW_GOT, or null for any other instruction.
 */
function initialExec(s: LSym, r: RelocFields): number | null {
  if (s.kind !== 'text' || r.size !== 4 || r.add !== 0 || r.off < 1) return null;
  const code = s.data;
  const [op, modrm] = [r.off >= 2 ? code[r.off - 2] : -1, code[r.off - 1]];
  if (modrm === 0xb8) ownData(s)[r.off - 1] = 0xa1;
  else if ((op === 0xc7 || op === 0x81) && (modrm & 0xf8) === 0xc0) ownData(s).set([op === 0xc7 ? 0x8b : 0x03, 0x05 | ((modrm & 7) << 3)], r.off - 2);
  else if (op === 0x8d && modrm === 0x05) ownData(s)[r.off - 2] = 0x8b;
  else return null;
  return HOW_GOT;
}

/** A 4-byte pc-relative field: S + A - (P + 4). */
function pcRelative(dv: DataView, at: number, r: RelocFields, S: number, P: number): string | null {
  if (r.size !== 4) return `bad size ${r.size}`;
  const v = S + r.add - (P + 4);
  if (!fitsSigned(v, 32)) return `out of range: distance ${v}`;
  dv.setInt32(at, v, true);
  return null;
}

/** A 4-byte offset from the GOT (`fromGot`, the target's), plus the addend. */
function gotOffset(dv: DataView, at: number, r: RelocFields, fromGot: number): string | null {
  const v = fromGot + r.add;
  if (r.size !== 4 || !fitsSigned(v, 32)) return `out of range: offset ${v} from the GOT`;
  dv.setInt32(at, v, true);
  return null;
}

/**
 * R_386_GOT32X's relaxation of a load from a base register (the GOT's
 * address, as position-independent code holds it):
 *   mov foo@GOT(%reg), %r  (8b, mod 10)  → lea foo@GOTOFF(%reg), %r  (8d)
 * which R_GOT then fills as the symbol's offset from the GOT. A load without
 * a base register (an absolute slot address) or through a SIB byte stays.
 */
function relaxGotLoad(s: LSym, r: RelocFields): boolean {
  if (s.kind !== 'text' || r.type !== 'R_GOT' || r.size !== 4 || r.add !== 0 || r.off < 2) return false;
  const [op, modrm] = [s.data[r.off - 2], s.data[r.off - 1]];
  if (op !== 0x8b || (modrm & 0xc0) !== 0x80 || (modrm & 7) === 4) return false;
  ownData(s)[r.off - 2] = 0x8d;
  return true;
}

function apply(buf: Uint8Array, dv: DataView, at: number, r: RelocFields, S: number, P: number, G: number): string | null {
  void buf;
  switch (r.type) {
    // Position-independent code counts from the GOT: R_GOTPC is the
    // distance to it, R_GOTOFF and R_GOT the target's (or its slot's) offset from it.
    case 'R_GOTPC':
    case 'R_GOTOFF':
    case 'R_GOT':
      if (Number.isNaN(G)) return `${r.type} needs a GOT, which this program's format has none of`;
      return r.type === 'R_GOTPC' ? pcRelative(dv, at, r, G, P) : gotOffset(dv, at, r, S - G);
    case 'R_CALL':
    case 'R_PCREL':
    case 'R_GOTPCREL':
      return pcRelative(dv, at, r, S, P);
    case 'R_ADDR': {
      const v = S + r.add;
      if (r.size !== 4) return `bad size ${r.size}`;
      if (v < -0x80000000 || v > 0xffffffff) return `out of range: address ${v} does not fit 32 bits`;
      dv.setUint32(at, v >>> 0, true);
      return null;
    }
    case 'R_TLS_LE': {
      const v = S + r.add;
      if (r.size !== 4 || !fitsSigned(v, 32)) return `out of range: TLS offset ${v}`;
      dv.setInt32(at, v, true);
      return null;
    }
    case 'R_TLS_IE':
      // The GOT slot's absolute address (initialExec).
      if (r.size !== 4) return `bad size ${r.size}`;
      dv.setUint32(at, (S + r.add) >>> 0, true);
      return null;
    case 'R_DATA_PCREL':
      return applyDataPcrel(dv, at, r.size, S + r.add - P);
    case 'R_CALLIND':
      return null;
    default:
      return `relocation ${r.type} is not a 386 relocation`;
  }
}

// The PLT has the standard lazy shape for non-PIC code (see arch-amd64.ts for
// why an executable that asks for BIND_NOW needs it). Each .got.plt slot
// starts at its entry's push, whose operand is the entry's byte offset in
// .rel.plt (8-byte REL entries, where amd64 pushes an index):
//   PLT0:    ff 35 <GOT+4>    pushl *GOT+4         the link map
//            ff 25 <GOT+8>    jmp   *GOT+8         _dl_runtime_resolve
//            0f 1f 40 00      nopl  0(%eax)
//   entry i: ff 25 <slot_i>   jmp   *slot_i
//            68 <8i>          pushl $8i
//            e9 <rel32>       jmp   PLT0
const elf: ElfExecArch = {
  machine: C.EM_386,
  cls: 32,
  rela: false,
  base: 0x8048000,
  pltHeaderSize: 16,
  pltEntrySize: 16,
  writePltHeader(buf, at, _plt, gotplt) {
    buf.set([0xff, 0x35, 0, 0, 0, 0, 0xff, 0x25, 0, 0, 0, 0, 0x0f, 0x1f, 0x40, 0x00], at);
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    dv.setUint32(at + 2, gotplt + 4, true);
    dv.setUint32(at + 8, gotplt + 8, true);
  },
  writePltEntry(buf, at, entry, slot, i, plt) {
    buf.set([0xff, 0x25, 0, 0, 0, 0, 0x68, 0, 0, 0, 0, 0xe9, 0, 0, 0, 0], at);
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    dv.setUint32(at + 2, slot, true);
    dv.setUint32(at + 7, i * C.REL_SIZE[32], true);
    dv.setInt32(at + 12, plt - (entry + 16), true);
  },
  initialSlotValue: (entry) => entry + 6,
  rJumpSlot: C.R_386_JMP_SLOT,
  rGlobDat: C.R_386_GLOB_DAT,
  rTpoff: C.R_386_TLS_TPOFF,
  rCopy: C.R_386_COPY,
  rAbs: C.R_386_32,
  rIrelative: C.R_386_IRELATIVE,
  tlsOffset: (off, size, align) => off - Math.ceil(size / align) * align,
  textFill: 0xcc,
};

export const i386Hooks: ArchHooks = { arch: '386', ptrSize: 4, planImport, inPlace, relaxGotLoad, apply, elf };
