// amd64 (x86-64 System V psABI).
//
// What matters here: every pc-relative field is 4 bytes and relative to the
// end of the field in Go's addend convention (so the value is S + A - (P + 4)),
// which limits code to ±2 GiB of its targets — an ET_EXEC at 0x400000 is far
// from that. Calls to imports go through a PLT entry whose .got.plt slot the
// loader fills (R_X86_64_JUMP_SLOT); address loads of imports through a .got
// slot (R_X86_64_GLOB_DAT). A LEAQ of an import's address cannot be resolved
// statically, so, as Go's linker does, the LEAQ (8d) is turned into a MOVQ
// (8b) from the GOT slot. TLS is variant 2: the block ends at the thread
// pointer, so local-exec offsets are negative.

import * as C from '../formats/elf/consts.js';
import { setPointer64, setU64 } from '../obj/bytes.js';
import type { RelocFields } from './reloc-cols.js';
import type { ArchHooks, ElfExecArch, InPlace } from './arch.js';
import { applyDataPcrel, fitsSigned, tlsImportRefused } from './arch.js';
import { copyRefused, offsetRefused } from './copy-data.js';
import { HOW_COPY, HOW_DYN, HOW_GOT, HOW_PLT, HOW_SKIP, ownData, type Import, type LinkMode, type LSym } from './program.js';

/** Whether the pc-relative field at `off` is a LEAQ's (`48 8d 05 disp32`): an address taken, not data read. */
const isLeaq = (s: LSym, off: number) => off >= 2 && s.data[off - 2] === 0x8d;

function inPlace(s: LSym, r: RelocFields): InPlace {
  if (r.type === 'R_PCREL') return isLeaq(s, r.off) ? 'address' : 'reads';
  // An immediate in code, or a 4-byte absolute address in data (-fno-pic code's .gcc_except_table: a typeinfo).
  return r.type === 'R_ADDR' && (s.kind === 'text' || r.size === 4) ? 'address' : null;
}

function planImport(s: LSym, r: RelocFields, imp: Import, mode: LinkMode): number | string {
  // The executable holds the import's data: its address is one like any of its own.
  if (imp.copy >= 0 && inPlace(s, r) !== null) return HOW_COPY;
  switch (r.type) {
    case 'R_CALL':
      return HOW_PLT;
    case 'R_CALLIND':
      return HOW_SKIP;
    case 'R_GOTPCREL':
      return HOW_GOT;
    case 'R_PCREL': {
      // An instruction that reads or writes at the address needs the data in the executable (Import.copy).
      if (!isLeaq(s, r.off)) return copyRefused(imp);
      if (r.add !== 0) return offsetRefused(imp, r.add);
      // LEAQ sym(SB), reg → MOVQ sym@GOT(SB), reg.
      ownData(s)[r.off - 2] = 0x8b;
      return HOW_GOT;
    }
    case 'R_ADDR':
      if (s.kind === 'text') {
        // The address of an import as an immediate: use its PLT entry, which
        // calls it just as well (only pointer identity with libc's copy is lost).
        return HOW_PLT;
      }
      if (r.size === 8) return HOW_DYN;
      // -fno-pic code's 4-byte addresses in data (its .eh_frame's personality
      // routine, its .gcc_except_table's typeinfo): a variable's copy (above)
      // or a function's PLT entry stands for the import in a position-dependent
      // executable; the system linker makes either.
      if (mode === 'external') return HOW_DYN;
      if (imp.pltAddress) return HOW_PLT;
      return `4-byte absolute address of imported ${imp.local} in data, where a library's address does not fit (C and C++ compiled with -fno-pic write them): give the link the library (-l), whose variables then get a copy and functions a PLT entry in the executable, or compile with -fPIE, cc's default, or -fPIC`;
    case 'R_TLS_LE':
      return initialExec(s, r) ?? tlsImportRefused(imp);
    default:
      return `relocation ${r.type} to imported ${imp.local} is not supported on amd64`;
  }
}

/**
 * A library's thread-local variable, which has no offset known at link time:
 * the local-exec form the reader made of a compiler's access (tls-relax.ts)
 * becomes initial exec, loading the offset from a GOT slot the loader fills,
 * as GNU ld makes it of the same sequences (the field stays where it is):
 *   leaq x@tpoff(%rax), %rax  (general dynamic) → addq x@gottpoff(%rip), %rax
 *   movq $x@tpoff, %reg       (initial exec, TLS descriptors) → movq x@gottpoff(%rip), %reg
 *   addq $x@tpoff, %reg       (initial exec) → addq x@gottpoff(%rip), %reg
 * HOW_GOT, or null for any other instruction.
 */
function initialExec(s: LSym, r: RelocFields): number | null {
  if (s.kind !== 'text' || r.size !== 4 || r.add !== 0 || r.off < 3) return null;
  const code = s.data;
  const [rex, op, modrm] = [code[r.off - 3], code[r.off - 2], code[r.off - 1]];
  let to: number[];
  if (rex === 0x48 && op === 0x8d && modrm === 0x80) to = [0x48, 0x03, 0x05];
  else if ((rex === 0x48 || rex === 0x49) && (op === 0xc7 || op === 0x81) && (modrm & 0xf8) === 0xc0) to = [rex === 0x49 ? 0x4c : 0x48, op === 0xc7 ? 0x8b : 0x03, 0x05 | ((modrm & 7) << 3)];
  else return null;
  ownData(s).set(to, r.off - 3);
  return HOW_GOT;
}

/**
 * The psABI's GOTPCRELX relaxations (what GNU ld and lld do), byte patterns
 * checked so that any R_GOTPCREL may be offered:
 *   mov foo@GOTPCREL(%rip), %reg  (8b /r)  → lea foo(%rip), %reg  (8d /r)
 *   call *foo@GOTPCREL(%rip)      (ff 15)  → addr32 call foo      (67 e8)
 *   jmp *foo@GOTPCREL(%rip)       (ff 25)  → nop; jmp foo          (90 e9)
 * The field stays where it is, so its value is the same pc-relative distance.
 */
function relaxGotLoad(s: LSym, r: RelocFields): boolean {
  if (s.kind !== 'text' || r.type !== 'R_GOTPCREL' || r.size !== 4 || r.add !== 0 || r.off < 2) return false;
  const [op, modrm] = [s.data[r.off - 2], s.data[r.off - 1]];
  let to: number[];
  if (op === 0x8b && (modrm & 0xc7) === 0x05) to = [0x8d, modrm];
  else if (op === 0xff && modrm === 0x15) to = [0x67, 0xe8];
  else if (op === 0xff && modrm === 0x25) to = [0x90, 0xe9];
  else return false;
  ownData(s).set(to, r.off - 2);
  return true;
}

function apply(buf: Uint8Array, dv: DataView, at: number, r: RelocFields, S: number, P: number): string | null {
  void buf;
  switch (r.type) {
    case 'R_CALL':
    case 'R_PCREL':
    case 'R_TLS_IE':
    case 'R_GOTPCREL': {
      const v = S + r.add - (P + r.size);
      if (r.size !== 4) return `bad size ${r.size}`;
      if (!fitsSigned(v, 32)) return `out of range: distance ${v}`;
      dv.setInt32(at, v, true);
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
      if (r.size !== 4 || !fitsSigned(v, 32)) return `out of range: TLS offset ${v}`;
      dv.setInt32(at, v, true);
      return null;
    }
    case 'R_DATA_PCREL':
      return applyDataPcrel(dv, at, r.size, S + r.add - P);
    case 'R_CALLIND':
      return null;
    default:
      return `relocation ${r.type} is not an amd64 relocation`;
  }
}

// The PLT has the standard lazy shape (the psABI's, as Go's linker writes it),
// though the executable asks for BIND_NOW: glibc's loader binds lazily anyway
// when LD_PROFILE is set or an LD_AUDIT module has PLT hooks (latrace), and
// then a call jumps to whatever its .got.plt slot held in the file. Each slot
// starts at its entry's push, which hands the relocation index to PLT0:
//   PLT0:    ff 35 <rel32>   pushq *GOT+8(%rip)    the link map
//            ff 25 <rel32>   jmpq  *GOT+16(%rip)   _dl_runtime_resolve
//            0f 1f 40 00     nopl  0(%rax)
//   entry i: ff 25 <rel32>   jmpq  *slot_i(%rip)
//            68 <i>          pushq $i              index into .rela.plt
//            e9 <rel32>      jmpq  PLT0
const elf: ElfExecArch = {
  machine: C.EM_X86_64,
  cls: 64,
  rela: true,
  base: 0x400000,
  pltHeaderSize: 16,
  pltEntrySize: 16,
  writePltHeader(buf, at, plt, gotplt) {
    buf.set([0xff, 0x35, 0, 0, 0, 0, 0xff, 0x25, 0, 0, 0, 0, 0x0f, 0x1f, 0x40, 0x00], at);
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    dv.setInt32(at + 2, gotplt + 8 - (plt + 6), true);
    dv.setInt32(at + 8, gotplt + 16 - (plt + 12), true);
  },
  writePltEntry(buf, at, entry, slot, i, plt) {
    buf.set([0xff, 0x25, 0, 0, 0, 0, 0x68, 0, 0, 0, 0, 0xe9, 0, 0, 0, 0], at);
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    dv.setInt32(at + 2, slot - (entry + 6), true);
    dv.setUint32(at + 7, i, true);
    dv.setInt32(at + 12, plt - (entry + 16), true);
  },
  initialSlotValue: (entry) => entry + 6,
  rJumpSlot: C.R_X86_64_JUMP_SLOT,
  rGlobDat: C.R_X86_64_GLOB_DAT,
  rTpoff: C.R_X86_64_TPOFF64,
  rCopy: C.R_X86_64_COPY,
  rAbs: C.R_X86_64_64,
  rIrelative: C.R_X86_64_IRELATIVE,
  rRelative: C.R_X86_64_RELATIVE,
  tlsOffset: (off, size, align) => off - Math.ceil(size / align) * align,
  textFill: 0xcc,
};

export const amd64Hooks: ArchHooks = { arch: 'amd64', ptrSize: 8, planImport, inPlace, relaxGotLoad, apply, elf };
