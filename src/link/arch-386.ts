// 386 (i386 System V psABI), non-PIC executables.
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
import type { ArchHooks, ElfExecArch } from './arch.js';
import { fitsSigned } from './arch.js';
import { HOW_DYN, HOW_GOT, HOW_PLT, HOW_SKIP, type Import, type LinkMode, type LSym } from './program.js';

function planImport(s: LSym, r: RelocFields, imp: Import, mode: LinkMode): number | string {
  void mode;
  switch (r.type) {
    case 'R_CALL':
    case 'R_PCREL':
      return HOW_PLT;
    case 'R_CALLIND':
      return HOW_SKIP;
    case 'R_GOTPCREL':
      return HOW_GOT;
    case 'R_ADDR':
      if (r.size !== 4) return `R_ADDR of size ${r.size} on 386`;
      // In code: the PLT entry stands for the function. In data: the loader stores the address.
      return s.kind === 'text' ? HOW_PLT : HOW_DYN;
    default:
      return `relocation ${r.type} to imported ${imp.local} is not supported on 386`;
  }
}

function apply(buf: Uint8Array, dv: DataView, at: number, r: RelocFields, S: number, P: number): string | null {
  void buf;
  switch (r.type) {
    case 'R_CALL':
    case 'R_PCREL':
    case 'R_GOTPCREL': {
      if (r.size !== 4) return `bad size ${r.size}`;
      const v = S + r.add - (P + 4);
      if (!fitsSigned(v, 32)) return `out of range: distance ${v}`;
      dv.setInt32(at, v, true);
      return null;
    }
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
  rAbs: C.R_386_32,
  tlsOffset: (off, size, align) => off - Math.ceil(size / align) * align,
  textFill: 0xcc,
};

export const i386Hooks: ArchHooks = { arch: '386', ptrSize: 4, planImport, apply, elf };
