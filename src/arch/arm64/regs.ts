// The arm64 register file as Go's assembler names it, reduced to small
// integers the encoder can use directly.
//
// Register number 31 means two different things in A64 depending on the
// instruction: the zero register (ZR) or the stack pointer (RSP). We keep them
// apart as two codes (REG_ZR, REG_RSP) so that operand checks can tell which one
// the programmer wrote; both encode as 31.

import { SYSOP_TABLE, SYSREG_TABLE } from './sysregs.js';

/** R0..R30 are 0..30. */
export const REG_ZR = 31;
export const REG_RSP = 32;
/** F0..F31 are REG_F + n. */
export const REG_F = 64;
/** V0..V31 (without arrangement) are REG_V + n. */
export const REG_V = 96;
export const REG_NONE = -1;

/** Go's REGTMP: the assembler's scratch register for long constants and offsets. */
export const REGTMP = 27;
export const REGLINK = 30;
export const REGFP = 29;

const regMap = new Map<string, number>();
for (let i = 0; i <= 30; i++) regMap.set(`R${i}`, i);
for (let i = 0; i <= 31; i++) {
  regMap.set(`F${i}`, REG_F + i);
  regMap.set(`V${i}`, REG_V + i);
}
regMap.set('ZR', REG_ZR);
regMap.set('RSP', REG_RSP);
// Go's aliases: LR is the link register, g the goroutine register R28,
// R18_PLATFORM the platform register that Go never allocates.
regMap.set('LR', 30);
regMap.set('G', 28);
regMap.set('g', 28);
regMap.set('R18_PLATFORM', 18);

/** Code of a scalar register name, or REG_NONE. */
export function regCode(name: string): number {
  const r = regMap.get(name);
  return r === undefined ? REG_NONE : r;
}

/** A vector register with arrangement (`V1.B16`) or element (`V1.S[2]`). */
export interface VecReg {
  n: number;
  arrangement: string;
  index?: number;
}

const arrangements = new Set(['B8', 'B16', 'H4', 'H8', 'S2', 'S4', 'D1', 'D2', 'Q1', 'B', 'H', 'S', 'D']);

export function parseVecReg(name: string): VecReg | undefined {
  const m = /^V(\d{1,2})\.([A-Z]\d*)(?:\[(\d+)\])?$/.exec(name);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (n > 31 || !arrangements.has(m[2]!)) return undefined;
  return { n, arrangement: m[2]!, index: m[3] === undefined ? undefined : Number(m[3]) };
}

export function isArm64Register(name: string): boolean {
  // Case matters, as in Go: `r1+32(FP)` names an argument, not R1.
  return regMap.has(name) || parseVecReg(name) !== undefined;
}

export function isGpr(r: number): boolean {
  return r >= 0 && r <= REG_RSP;
}
export function isFpr(r: number): boolean {
  return r >= REG_F && r < REG_F + 32;
}

/** Condition codes in encoding order. */
export const CONDS: ReadonlyMap<string, number> = new Map([
  ['EQ', 0], ['NE', 1], ['CS', 2], ['HS', 2], ['CC', 3], ['LO', 3], ['MI', 4], ['PL', 5],
  ['VS', 6], ['VC', 7], ['HI', 8], ['LS', 9], ['GE', 10], ['LT', 11], ['GT', 12], ['LE', 13],
  ['AL', 14], ['NV', 15],
]);

/**
 * A system register for MRS/MSR by name (any case: Go writes CurrentEL and
 * SPSR_abt): its op0:op1:CRn:CRm:op2 fields in place (instruction bits 5..20)
 * and whether it can be read and written. The table (sysregs.ts, generated)
 * is parsed on first use.
 */
export interface SysReg {
  bits: number;
  read: boolean;
  write: boolean;
}
// op0 is 2 or 3: bit 20 is always set, o0 is bit 19.
const sysregs = generatedTable(SYSREG_TABLE, 1, ([enc, access]): SysReg => ({ bits: (1 << 20) | (parseInt(enc!, 16) << 5), read: access!.includes('r'), write: access!.includes('w') }));
export function sysRegister(name: string): SysReg | undefined {
  return sysregs().get(name.toUpperCase());
}

/** A TLBI or DC operation by name: its op1:CRn:CRm:op2 in place (bits 5..18) and whether it takes a register. */
export interface SysOp {
  bits: number;
  reg: boolean;
}
const sysops = generatedTable(SYSOP_TABLE, 2, ([enc, reg]): SysOp => ({ bits: parseInt(enc!, 16) << 5, reg: reg === 'r' }));
export function sysOperation(inst: string, name: string): SysOp | undefined {
  return sysops().get(`${inst} ${name}`);
}

/**
 * A table of sysregs.ts as a map made on first use (an amd64 run never pays
 * for it): one entry per line, its first `keyWords` words the key, the rest
 * given to `make`.
 */
function generatedTable<T>(text: string, keyWords: number, make: (rest: string[]) => T): () => Map<string, T> {
  let table: Map<string, T> | null = null;
  return () => {
    if (!table) {
      table = new Map();
      for (const line of text.split('\n')) {
        if (line === '') continue;
        const words = line.split(' ');
        table.set(words.slice(0, keyWords).join(' '), make(words.slice(keyWords)));
      }
    }
    return table;
  };
}

/** PSTATE fields for `MSR $imm, field`: op1 and op2 in place. */
export const PSTATE_FIELDS: ReadonlyMap<string, number> = new Map([
  ['SPSEL', (0 << 16) | (5 << 5)],
  ['DAIFSET', (3 << 16) | (6 << 5)],
  ['DAIFCLR', (3 << 16) | (7 << 5)],
]);

/** DMB/DSB options by name (CRm values). */
export const BARRIER_OPTS: ReadonlyMap<string, number> = new Map([
  ['OSHLD', 1], ['OSHST', 2], ['OSH', 3], ['NSHLD', 5], ['NSHST', 6], ['NSH', 7],
  ['ISHLD', 9], ['ISHST', 10], ['ISH', 11], ['LD', 13], ['ST', 14], ['SY', 15],
]);

/** PRFM operations by name. */
export const PRFOPS: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  const kinds = ['PLD', 'PLI', 'PST'];
  for (let k = 0; k < 3; k++)
    for (let l = 1; l <= 3; l++) {
      m.set(`${kinds[k]}L${l}KEEP`, (k << 3) | ((l - 1) << 1));
      m.set(`${kinds[k]}L${l}STRM`, (k << 3) | ((l - 1) << 1) | 1);
    }
  return m;
})();
