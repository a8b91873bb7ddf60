// The x86 register file as Go's assembler names it. Go writes registers without
// a width: `AX` is AL/AX/EAX/RAX depending on the opcode suffix (MOVB/MOVW/MOVL/
// MOVQ), so one entry per hardware register number is enough for the general
// registers. Byte registers have their own names because AH..BH and SPB..DIB share
// numbers 4-7 and differ only by the presence of a REX prefix.

export type RegClass =
  /** General-purpose register, any width (AX..R15). */
  | 'r'
  /** Low byte register (AL..R15B, SPB, BPB, SIB, DIB). */
  | 'r8'
  /** High byte register (AH, CH, DH, BH): cannot be encoded with a REX prefix. */
  | 'r8h'
  | 'x'
  | 'y'
  | 'z'
  | 'k'
  /** MMX register M0-M7. */
  | 'mm'
  /** x87 stack register F0-F7. */
  | 'f'
  | 'seg'
  | 'cr'
  | 'dr';

export interface RegInfo {
  readonly num: number;
  readonly cls: RegClass;
}

const GP = ['AX', 'CX', 'DX', 'BX', 'SP', 'BP', 'SI', 'DI'];
const B8 = ['AL', 'CL', 'DL', 'BL', 'SPB', 'BPB', 'SIB', 'DIB'];

function build(): Map<string, RegInfo> {
  const m = new Map<string, RegInfo>();
  const add = (name: string, num: number, cls: RegClass): void => {
    m.set(name, { num, cls });
  };
  for (let i = 0; i < 8; i++) {
    add(GP[i], i, 'r');
    add(B8[i], i, 'r8');
    add(`M${i}`, i, 'mm');
    add(`F${i}`, i, 'f');
    add(`K${i}`, i, 'k');
  }
  ['AH', 'CH', 'DH', 'BH'].forEach((n, i) => add(n, 4 + i, 'r8h'));
  for (let i = 8; i < 16; i++) {
    add(`R${i}`, i, 'r');
    add(`R${i}B`, i, 'r8');
    // Some hand-written sources use the Intel-style suffix; accept it as an alias.
    add(`R${i}L`, i, 'r8');
  }
  for (let i = 0; i < 32; i++) {
    add(`X${i}`, i, 'x');
    add(`Y${i}`, i, 'y');
    add(`Z${i}`, i, 'z');
  }
  ['ES', 'CS', 'SS', 'DS', 'FS', 'GS'].forEach((n, i) => add(n, i, 'seg'));
  for (let i = 0; i < 16; i++) {
    add(`CR${i}`, i, 'cr');
    add(`DR${i}`, i, 'dr');
  }
  return m;
}

export const REGS: ReadonlyMap<string, RegInfo> = build();

/** Pseudo-registers the front end passes through as names. */
export const PSEUDO_REGS: ReadonlySet<string> = new Set(['PC', 'SB', 'FP', 'TLS']);

export function regInfo(name: string): RegInfo | undefined {
  return REGS.get(name);
}

/** True when using this register requires 64-bit mode (REX or EVEX bits). */
export function needs64(r: RegInfo): boolean {
  if (r.cls === 'r8') return r.num >= 4;
  if (r.cls === 'r' || r.cls === 'x' || r.cls === 'y' || r.cls === 'cr' || r.cls === 'dr') return r.num >= 8;
  if (r.cls === 'z') return r.num >= 8;
  return false;
}
