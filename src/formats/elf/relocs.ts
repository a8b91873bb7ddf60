// How asmlink's format-neutral relocation types map to each psABI's ELF types in
// relocatable objects, both ways.
//
// The addend conventions differ. asmlink keeps Go's: a pc-relative x86 value is
// S + A - (P + size), relative to the END of the field; the psABIs write
// S + A' - P with P the start of the field, so A' = A - size on the way out and
// A = A' + size on the way back. i386 objects are REL: A' lives in the field
// itself rather than in the relocation entry. AArch64 page-pair relocations
// (ADRP + ADD/LDR) become two ELF relocations on consecutive instructions; the
// second one's type depends on the instruction (ADD, or a load/store of some
// access size), so we decode just enough of it.

import type { Reloc, RelocType } from '../../obj/reloc.js';
import type { ArchName } from '../../target.js';
import * as C from './consts.js';
import type { ElfClass } from './bytes.js';
import { isAdrp } from './tls-relax.js';

/** One ELF relocation entry before symbol indices are known. */
export interface ElfRelocOut {
  /** Offset relative to the asmlink relocation's offset (0, or 4 for the second of an arm64 pair). */
  delta: number;
  type: number;
  addend: number;
}

export interface ElfArch {
  arch: ArchName;
  machine: number;
  cls: ElfClass;
  /** RELA (addend in the entry) or REL (addend in the field). */
  rela: boolean;
  /** The absolute types of a pointer-sized field and of a 32-bit one (debugging information's addresses and section offsets). */
  absPointer: number;
  abs32: number;
  /**
   * Lowers one relocation into `out` (two reusable entries, so the hot path
   * allocates nothing) and returns how many entries it filled; `data` is the
   * symbol's contents (for instruction inspection). Returns a message when
   * the type cannot be expressed.
   */
  lower(r: Reloc, data: Uint8Array, inText: boolean, out: ElfRelocOut[]): number | string;
  /** Names of the ELF types, for messages. */
  typeName(t: number): string;
}

function set(e: ElfRelocOut, delta: number, type: number, addend: number): void {
  e.delta = delta;
  e.type = type;
  e.addend = addend;
}

/** Two entries for lower() to fill. */
export function relocScratch(): ElfRelocOut[] {
  return [
    { delta: 0, type: 0, addend: 0 },
    { delta: 0, type: 0, addend: 0 },
  ];
}

const amd64: ElfArch = {
  arch: 'amd64',
  machine: C.EM_X86_64,
  cls: 64,
  rela: true,
  absPointer: C.R_X86_64_64,
  abs32: C.R_X86_64_32,
  lower(r, data, inText, out) {
    switch (r.type) {
      case 'R_CALL':
        if (r.size !== 4) return `R_CALL of size ${r.size}`;
        set(out[0], 0, C.R_X86_64_PLT32, r.add - r.size);
        return 1;
      case 'R_PCREL':
        if (r.size !== 4) return `R_PCREL of size ${r.size}`;
        set(out[0], 0, C.R_X86_64_PC32, r.add - r.size);
        return 1;
      case 'R_DATA_PCREL':
        if (r.size !== 4 && r.size !== 8) return `R_DATA_PCREL of size ${r.size}`;
        set(out[0], 0, r.size === 8 ? C.R_X86_64_PC64 : C.R_X86_64_PC32, r.add);
        return 1;
      case 'R_GOTPCREL': {
        if (r.size !== 4) return `R_GOTPCREL of size ${r.size}`;
        // REX_GOTPCRELX lets the linker relax a GOT load to a LEA; it is only
        // allowed when the instruction really is REX + MOV r64, m64.
        const rex = r.off >= 3 && (data[r.off - 3] & 0xf0) === 0x40 && data[r.off - 2] === 0x8b;
        set(out[0], 0, rex ? C.R_X86_64_REX_GOTPCRELX : C.R_X86_64_GOTPCREL, r.add - r.size);
        return 1;
      }
      case 'R_ADDR':
        if (r.size === 8) {
          set(out[0], 0, C.R_X86_64_64, r.add);
          return 1;
        }
        // A 4-byte absolute address in code is a sign-extended immediate or
        // displacement (32S); in data it is a plain 32-bit word.
        if (r.size === 4) {
          set(out[0], 0, inText ? C.R_X86_64_32S : C.R_X86_64_32, r.add);
          return 1;
        }
        return `R_ADDR of size ${r.size}`;
      case 'R_TLS_LE':
        if (r.size !== 4) return `R_TLS_LE of size ${r.size}`;
        set(out[0], 0, C.R_X86_64_TPOFF32, r.add);
        return 1;
      case 'R_TLS_IE':
        if (r.size !== 4) return `R_TLS_IE of size ${r.size}`;
        set(out[0], 0, C.R_X86_64_GOTTPOFF, r.add - r.size);
        return 1;
      case 'R_CALLIND':
        return 0;
      default:
        return `${r.type} is not an amd64 relocation`;
    }
  },
  typeName: (t) => AMD64_NAMES[t] ?? `R_X86_64_${t}`,
};

const AMD64_NAMES: Record<number, string> = {
  [C.R_X86_64_64]: 'R_X86_64_64',
  [C.R_X86_64_PC32]: 'R_X86_64_PC32',
  [C.R_X86_64_PLT32]: 'R_X86_64_PLT32',
  [C.R_X86_64_GOTPCREL]: 'R_X86_64_GOTPCREL',
  [C.R_X86_64_GOTPCRELX]: 'R_X86_64_GOTPCRELX',
  [C.R_X86_64_REX_GOTPCRELX]: 'R_X86_64_REX_GOTPCRELX',
  [C.R_X86_64_32]: 'R_X86_64_32',
  [C.R_X86_64_32S]: 'R_X86_64_32S',
  [C.R_X86_64_TPOFF32]: 'R_X86_64_TPOFF32',
  16: 'R_X86_64_DTPMOD64',
  17: 'R_X86_64_DTPOFF64',
  18: 'R_X86_64_TPOFF64',
  [C.R_X86_64_TLSGD]: 'R_X86_64_TLSGD',
  [C.R_X86_64_TLSLD]: 'R_X86_64_TLSLD',
  [C.R_X86_64_DTPOFF32]: 'R_X86_64_DTPOFF32',
  [C.R_X86_64_GOTTPOFF]: 'R_X86_64_GOTTPOFF',
  24: 'R_X86_64_PC64',
  25: 'R_X86_64_GOTOFF64',
  26: 'R_X86_64_GOTPC32',
  [C.R_X86_64_GOTPC32_TLSDESC]: 'R_X86_64_GOTPC32_TLSDESC',
  [C.R_X86_64_TLSDESC_CALL]: 'R_X86_64_TLSDESC_CALL',
  36: 'R_X86_64_TLSDESC',
};

/**
 * Thread-local references of the dynamic TLS models that tls-relax.ts does
 * not rewrite to local exec: arm64's traditional general and local dynamic
 * (-mtls-dialect=trad) and tiny-model forms, offsets and descriptors in data.
 */
const OTHER_TLS: Record<ArchName, ReadonlySet<number>> = {
  amd64: new Set([16, 17, 18, 36]),
  '386': new Set([14, 24, 25, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36, 37, 41]),
  arm64: new Set([512, 513, 514, 515, 516, 517, 518, 519, 520, 521, 522, 523, 524, 525, 526, 527, 528, 529, 530, 531, 532, 533, 534, 535, 536, 537, 538, 539, 540, 543, 560, 561, 565, 566, 567, 568]),
};

/** Why an ELF relocation type is not linked, for a diagnostic. */
function unsupported(arch: ArchName, type: number): string {
  const name = byArch[arch].typeName(type);
  if (OTHER_TLS[arch].has(type))
    return `relocation type ${name} is not supported: thread-local data reached through a TLS access sequence asmlink does not rewrite to local exec; compile the C code with -ftls-model=initial-exec or local-exec`;
  return `relocation type ${name} is not supported`;
}

const i386: ElfArch = {
  arch: '386',
  machine: C.EM_386,
  cls: 32,
  rela: false,
  absPointer: C.R_386_32,
  abs32: C.R_386_32,
  lower(r, data, _inText, out) {
    switch (r.type) {
      case 'R_CALL':
        if (r.size !== 4) return `R_CALL of size ${r.size}`;
        set(out[0], 0, C.R_386_PLT32, r.add - r.size);
        return 1;
      case 'R_PCREL':
        if (r.size !== 4) return `R_PCREL of size ${r.size}`;
        set(out[0], 0, C.R_386_PC32, r.add - r.size);
        return 1;
      case 'R_DATA_PCREL':
        if (r.size !== 4) return `R_DATA_PCREL of size ${r.size}`;
        set(out[0], 0, C.R_386_PC32, r.add);
        return 1;
      case 'R_ADDR':
        if (r.size !== 4) return `R_ADDR of size ${r.size} on 386`;
        set(out[0], 0, C.R_386_32, r.add);
        return 1;
      case 'R_TLS_LE':
        if (r.size !== 4) return `R_TLS_LE of size ${r.size}`;
        set(out[0], 0, C.R_386_TLS_LE, r.add);
        return 1;
      case 'R_TLS_IE':
        if (r.size !== 4) return `R_TLS_IE of size ${r.size}`;
        set(out[0], 0, C.R_386_TLS_IE, r.add);
        return 1;
      case 'R_GOTPC':
        set(out[0], 0, C.R_386_GOTPC, r.add - 4);
        return 1;
      case 'R_GOTOFF':
        set(out[0], 0, C.R_386_GOTOFF, r.add);
        return 1;
      case 'R_GOT':
        set(out[0], 0, relaxableGotLoad(data, r.off) ? C.R_386_GOT32X : C.R_386_GOT32, r.add);
        return 1;
      case 'R_CALLIND':
        return 0;
      default:
        return `${r.type} is not supported in 386 ELF objects`;
    }
  },
  typeName: (t) => I386_NAMES[t] ?? `R_386_${t}`,
};

/**
 * Whether the instruction whose GOT offset is at `off` is one the i386 psABI
 * lets a linker relax (R_386_GOT32X): mov, test, the binary operators, and an
 * indirect call or jmp. Others, such as a push of the slot (C++ code passing
 * a typeinfo to __cxa_throw), keep R_386_GOT32, as GNU as writes them: GNU
 * ld would turn an R_386_GOT32X push into a call.
 */
function relaxableGotLoad(data: Uint8Array, off: number): boolean {
  if (off < 2) return false;
  const op = data[off - 2];
  const reg = (data[off - 1] >> 3) & 7;
  if (op === 0xff) return reg === 2 || reg === 4;
  return op === 0x8b || op === 0x85 || [0x03, 0x0b, 0x13, 0x1b, 0x23, 0x2b, 0x33, 0x3b].includes(op);
}

const I386_NAMES: Record<number, string> = {
  [C.R_386_GOTPC]: 'R_386_GOTPC',
  [C.R_386_GOTOFF]: 'R_386_GOTOFF',
  [C.R_386_GOT32X]: 'R_386_GOT32X',
  [C.R_386_32]: 'R_386_32',
  15: 'R_386_TLS_IE',
  16: 'R_386_TLS_GOTIE',
  18: 'R_386_TLS_GD',
  19: 'R_386_TLS_LDM',
  32: 'R_386_TLS_LDO_32',
  39: 'R_386_TLS_GOTDESC',
  40: 'R_386_TLS_DESC_CALL',
  [C.R_386_PC32]: 'R_386_PC32',
  [C.R_386_PLT32]: 'R_386_PLT32',
  [C.R_386_TLS_LE]: 'R_386_TLS_LE',
};

/** The LO12 relocation for the instruction that follows an ADRP. */
export function arm64Lo12Type(ins: number): number | string {
  // ADD/SUB (immediate), 32 or 64 bit: bits 28..24 = 10001.
  if ((ins & 0x1f000000) === 0x11000000) return C.R_AARCH64_ADD_ABS_LO12_NC;
  // Load/store register (unsigned immediate): bits 29..27 = 111, bits 25..24 = 01.
  if ((ins & 0x3b000000) === 0x39000000) {
    const size = ins >>> 30;
    const simd = (ins >>> 26) & 1;
    const opc = (ins >>> 22) & 3;
    if (simd && size === 0 && (opc & 2)) return C.R_AARCH64_LDST128_ABS_LO12_NC;
    return [C.R_AARCH64_LDST8_ABS_LO12_NC, C.R_AARCH64_LDST16_ABS_LO12_NC, C.R_AARCH64_LDST32_ABS_LO12_NC, C.R_AARCH64_LDST64_ABS_LO12_NC][size];
  }
  return `instruction 0x${ins.toString(16)} after ADRP is neither ADD nor LDR/STR (unsigned offset)`;
}

/** A load or store's thread-pointer-relative type by its absolute one (the size of its access). */
const TPREL_OF_ABS_LDST: Readonly<Record<number, number>> = {
  [C.R_AARCH64_LDST8_ABS_LO12_NC]: C.R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC,
  [C.R_AARCH64_LDST16_ABS_LO12_NC]: C.R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC,
  [C.R_AARCH64_LDST32_ABS_LO12_NC]: C.R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC,
  [C.R_AARCH64_LDST64_ABS_LO12_NC]: C.R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC,
  [C.R_AARCH64_LDST128_ABS_LO12_NC]: C.R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC,
};

/**
 * One ELF relocation whose type the arm64 instruction at the field decides
 * (`typeOf`: the low 12 bits of an address, or part of a thread-pointer offset).
 */
function lowerByInstruction(r: Reloc, data: Uint8Array, out: ElfRelocOut[], typeOf: (ins: number) => number | string): number | string {
  if (r.off + 4 > data.length) return `${r.type} runs past the end of the symbol`;
  const t = typeOf(new DataView(data.buffer, data.byteOffset, data.length).getUint32(r.off, true));
  if (typeof t === 'string') return t;
  set(out[0], 0, t, r.add);
  return 1;
}

/**
 * The local-exec relocation type for an instruction that holds (part of) a
 * thread-pointer offset: MOVZ/MOVK by the half they set, ADD by its shift,
 * loads and stores by their size (link/arch-arm64.ts patches R_TLS_LE so).
 */
function arm64TlsType(ins: number): number | string {
  if ((ins & 0x1f800000) === 0x12800000) {
    const opc = (ins >>> 29) & 3;
    const hw = (ins >>> 21) & 3;
    if (opc === 2 && hw <= 1) return hw === 0 ? C.R_AARCH64_TLSLE_MOVW_TPREL_G0 : C.R_AARCH64_TLSLE_MOVW_TPREL_G1;
    if (opc === 3 && hw <= 1) return hw === 0 ? C.R_AARCH64_TLSLE_MOVW_TPREL_G0_NC : C.R_AARCH64_TLSLE_MOVW_TPREL_G1_NC;
  } else if ((ins & 0x5f000000) === 0x11000000) {
    return (ins >>> 22) & 1 ? C.R_AARCH64_TLSLE_ADD_TPREL_HI12 : C.R_AARCH64_TLSLE_ADD_TPREL_LO12_NC;
  } else if ((ins & 0x3b000000) === 0x39000000) {
    const lo = arm64Lo12Type(ins);
    if (typeof lo === 'number') return TPREL_OF_ABS_LDST[lo];
  }
  return `instruction 0x${(ins >>> 0).toString(16)} holds no thread-pointer offset (MOVZ, MOVK, ADD or a load or store)`;
}

const arm64: ElfArch = {
  arch: 'arm64',
  machine: C.EM_AARCH64,
  cls: 64,
  rela: true,
  absPointer: C.R_AARCH64_ABS64,
  abs32: C.R_AARCH64_ABS32,
  lower(r, data, _inText, out) {
    switch (r.type) {
      case 'R_CALLARM64':
      case 'R_CALL':
        if (r.size !== 4) return `${r.type} of size ${r.size}`;
        set(out[0], 0, C.R_AARCH64_CALL26, r.add);
        return 1;
      case 'R_ADDRARM64':
      case 'R_PCREL': {
        if (r.off + 8 > data.length) return 'ADRP pair runs past the end of the symbol';
        const ins = new DataView(data.buffer, data.byteOffset, data.length).getUint32(r.off + 4, true);
        const lo = arm64Lo12Type(ins);
        if (typeof lo === 'string') return lo;
        set(out[0], 0, C.R_AARCH64_ADR_PREL_PG_HI21, r.add);
        set(out[1], 4, lo, r.add);
        return 2;
      }
      case 'R_ARM64_GOTPCREL':
      case 'R_GOTPCREL':
        set(out[0], 0, C.R_AARCH64_ADR_GOT_PAGE, r.add);
        set(out[1], 4, C.R_AARCH64_LD64_GOT_LO12_NC, r.add);
        return 2;
      case 'R_ARM64_PAGE':
        set(out[0], 0, C.R_AARCH64_ADR_PREL_PG_HI21, r.add);
        return 1;
      case 'R_ARM64_PAGEOFF':
        return lowerByInstruction(r, data, out, arm64Lo12Type);
      case 'R_ARM64_GOTPAGE':
        set(out[0], 0, C.R_AARCH64_ADR_GOT_PAGE, r.add);
        return 1;
      case 'R_ARM64_GOTPAGEOFF':
        set(out[0], 0, C.R_AARCH64_LD64_GOT_LO12_NC, r.add);
        return 1;
      case 'R_ARM64_GOTPAGE_LO15':
        set(out[0], 0, C.R_AARCH64_LD64_GOTPAGE_LO15, r.add);
        return 1;
      case 'R_ADDR':
        if (r.size === 8) {
          set(out[0], 0, C.R_AARCH64_ABS64, r.add);
          return 1;
        }
        if (r.size === 4) {
          set(out[0], 0, C.R_AARCH64_ABS32, r.add);
          return 1;
        }
        return `R_ADDR of size ${r.size}`;
      case 'R_TLS_LE':
        return lowerByInstruction(r, data, out, arm64TlsType);
      case 'R_TLS_IE':
        // The ADRP or the LDR of a GOT slot holding a library variable's offset (link/arch-arm64.ts).
        return lowerByInstruction(r, data, out, (ins) => (isAdrp(ins) ? C.R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21 : C.R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC));
      case 'R_DATA_PCREL':
        if (r.size !== 4 && r.size !== 8) return `R_DATA_PCREL of size ${r.size}`;
        set(out[0], 0, r.size === 8 ? C.R_AARCH64_PREL64 : C.R_AARCH64_PREL32, r.add);
        return 1;
      case 'R_CALLIND':
        return 0;
      default:
        return `${r.type} is not an arm64 relocation`;
    }
  },
  typeName: (t) => `R_AARCH64_${t}`,
};

const byArch: Record<ArchName, ElfArch> = { amd64, '386': i386, arm64 };
const byMachine = new Map<number, ElfArch>([
  [C.EM_X86_64, amd64],
  [C.EM_386, i386],
  [C.EM_AARCH64, arm64],
]);

export function elfArch(arch: ArchName): ElfArch {
  return byArch[arch];
}
export function elfArchByMachine(machine: number): ElfArch | undefined {
  return byMachine.get(machine);
}

/**
 * Raises one ELF relocation (or an arm64 pair) back to asmlink's form. For
 * REL objects `addend` is the value read from the field. `next` is the
 * following relocation and `sym` this one's symbol index (for arm64 pairs).
 * Fills `out` (reused, so reading allocates nothing per entry) with the
 * relocation and how many ELF entries it consumed, or returns an error
 * message.
 */
export interface Raised {
  type: RelocType;
  size: number;
  add: number;
  consumed: number;
}

/** Fills `out` (the caller's, reused) with a raised relocation. */
export function setRaised(out: Raised, type: RelocType, size: number, add: number, consumed = 1): Raised {
  out.type = type;
  out.size = size;
  out.add = add;
  out.consumed = consumed;
  return out;
}

export function raiseReloc(
  arch: ArchName,
  type: number,
  addend: number,
  next: { type: number; off: number; sym: number; add: number } | undefined,
  off: number,
  out: Raised,
  sym: number,
): Raised | string {
  if (arch === 'amd64') {
    switch (type) {
      case C.R_X86_64_PLT32:
        return setRaised(out, 'R_CALL', 4, addend + 4);
      case C.R_X86_64_PC32:
        return setRaised(out, 'R_PCREL', 4, addend + 4);
      case C.R_X86_64_GOTPCREL:
      case C.R_X86_64_GOTPCRELX:
      case C.R_X86_64_REX_GOTPCRELX:
        return setRaised(out, 'R_GOTPCREL', 4, addend + 4);
      case C.R_X86_64_64:
        return setRaised(out, 'R_ADDR', 8, addend);
      case C.R_X86_64_32:
      case C.R_X86_64_32S:
        return setRaised(out, 'R_ADDR', 4, addend);
      case C.R_X86_64_TPOFF32:
        return setRaised(out, 'R_TLS_LE', 4, addend);
      case C.R_X86_64_PC64:
        return setRaised(out, 'R_DATA_PCREL', 8, addend);
    }
    return unsupported(arch, type);
  }
  if (arch === '386') {
    switch (type) {
      case C.R_386_PLT32:
        return setRaised(out, 'R_CALL', 4, addend + 4);
      case C.R_386_PC32:
        return setRaised(out, 'R_PCREL', 4, addend + 4);
      case C.R_386_32:
        return setRaised(out, 'R_ADDR', 4, addend);
      case C.R_386_TLS_LE:
        return setRaised(out, 'R_TLS_LE', 4, addend);
      // Position-independent code (gcc -m32's default, -fPIE, and -fPIC) reaches its data from the GOT's address in a register.
      case C.R_386_GOTPC:
        return setRaised(out, 'R_GOTPC', 4, addend + 4);
      case C.R_386_GOTOFF:
        return setRaised(out, 'R_GOTOFF', 4, addend);
      case C.R_386_GOT32:
      case C.R_386_GOT32X:
        return setRaised(out, 'R_GOT', 4, addend);
    }
    return unsupported(arch, type);
  }
  switch (type) {
    case C.R_AARCH64_CALL26:
    case C.R_AARCH64_JUMP26:
      return setRaised(out, 'R_CALLARM64', 4, addend);
    case C.R_AARCH64_ABS64:
      return setRaised(out, 'R_ADDR', 8, addend);
    case C.R_AARCH64_ABS32:
      return setRaised(out, 'R_ADDR', 4, addend);
    // Pointers to code in unwind tables and C++ exception tables.
    case C.R_AARCH64_PREL32:
      return setRaised(out, 'R_DATA_PCREL', 4, addend);
    case C.R_AARCH64_PREL64:
      return setRaised(out, 'R_DATA_PCREL', 8, addend);
    // Local exec: the instruction says which part of the offset it holds (see link/arch-arm64.ts).
    case C.R_AARCH64_TLSLE_MOVW_TPREL_G0:
    case C.R_AARCH64_TLSLE_MOVW_TPREL_G0_NC:
    case C.R_AARCH64_TLSLE_MOVW_TPREL_G1:
    case C.R_AARCH64_TLSLE_MOVW_TPREL_G1_NC:
    case C.R_AARCH64_TLSLE_ADD_TPREL_HI12:
    case C.R_AARCH64_TLSLE_ADD_TPREL_LO12:
    case C.R_AARCH64_TLSLE_ADD_TPREL_LO12_NC:
    case C.R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC:
    case C.R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC:
    case C.R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC:
    case C.R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC:
    case C.R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC:
      return setRaised(out, 'R_TLS_LE', 4, addend);
    // An ADRP and the instruction after it, to the same symbol and addend,
    // are one pair (as asmlink writes them); halves apart (as C compilers
    // schedule them) are relocated each on its own.
    case C.R_AARCH64_ADR_PREL_PG_HI21:
      if (next && next.off === off + 4 && isLo12(next.type) && next.sym === sym && next.add === addend) return setRaised(out, 'R_ADDRARM64', 8, addend, 2);
      return setRaised(out, 'R_ARM64_PAGE', 4, addend);
    case C.R_AARCH64_ADR_GOT_PAGE:
      if (next && next.off === off + 4 && next.type === C.R_AARCH64_LD64_GOT_LO12_NC && next.sym === sym && next.add === addend)
        return setRaised(out, 'R_ARM64_GOTPCREL', 8, addend, 2);
      return setRaised(out, 'R_ARM64_GOTPAGE', 4, addend);
    case C.R_AARCH64_LD64_GOT_LO12_NC:
      return setRaised(out, 'R_ARM64_GOTPAGEOFF', 4, addend);
    case C.R_AARCH64_LD64_GOTPAGE_LO15:
      return setRaised(out, 'R_ARM64_GOTPAGE_LO15', 4, addend);
  }
  if (isLo12(type)) return setRaised(out, 'R_ARM64_PAGEOFF', 4, addend);
  return unsupported(arch, type);
}

function isLo12(t: number): boolean {
  return (
    t === C.R_AARCH64_ADD_ABS_LO12_NC ||
    t === C.R_AARCH64_LDST8_ABS_LO12_NC ||
    t === C.R_AARCH64_LDST16_ABS_LO12_NC ||
    t === C.R_AARCH64_LDST32_ABS_LO12_NC ||
    t === C.R_AARCH64_LDST64_ABS_LO12_NC ||
    t === C.R_AARCH64_LDST128_ABS_LO12_NC
  );
}
