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

// The PLT is not lazy (BIND_NOW: the loader fills every .got.plt slot before
// the program runs; see arch-amd64.ts). Each entry is GNU ld's 8-byte non-lazy
// form for non-PIC code, which objdump and gdb recognise:
//   ff 25 <slot>       jmp   *slot
//   66 90              xchg  %ax,%ax
const elf: ElfExecArch = {
  machine: C.EM_386,
  cls: 32,
  rela: false,
  base: 0x8048000,
  pltHeaderSize: 0,
  pltEntrySize: 8,
  writePltHeader() {},
  writePltEntry(buf, at, _entry, slot) {
    buf.set([0xff, 0x25, 0, 0, 0, 0, 0x66, 0x90], at);
    new DataView(buf.buffer, buf.byteOffset, buf.byteLength).setUint32(at + 2, slot, true);
  },
  initialSlotValue: () => 0,
  rJumpSlot: C.R_386_JMP_SLOT,
  rGlobDat: C.R_386_GLOB_DAT,
  rAbs: C.R_386_32,
  tlsOffset: (off, size, align) => off - Math.ceil(size / align) * align,
  textFill: 0xcc,
};

export const i386Hooks: ArchHooks = { arch: '386', ptrSize: 4, planImport, apply, elf };
