// The assembler's intermediate form: what the parser produces and what each
// architecture's encoder consumes. Modelled on Go's obj.Prog/obj.Addr, reduced
// to what asmlink needs, and independent of the architecture.

import type { SourcePos } from '../diag.js';

/** How a memory operand or address names its symbol, as in Go's assembler. */
export type NameKind =
  /** No symbol: a plain register-relative address. */
  | 'none'
  /** `sym+off(SB)`: a global symbol. */
  | 'extern'
  /** `sym<>+off(SB)`: a file-local symbol. */
  | 'static'
  /** `name+off(FP)`: the caller's argument area. */
  | 'param'
  /** `name-off(SP)`: the pseudo-SP, the top of the local frame. */
  | 'auto';

export type Operand =
  /** A register: `AX`, `R8`, `X0`, `R3`, `V1.B16` ... (canonical upper-case name). */
  | { kind: 'reg'; reg: string }
  /** `$expr`: an integer constant, 64-bit two's complement. */
  | { kind: 'imm'; value: bigint }
  /** `$(1.5)` or `$1.5`: a floating-point constant. */
  | { kind: 'fimm'; value: number }
  /** `$"abc"`: a string constant, only in DATA. */
  | { kind: 'str'; value: Uint8Array }
  /** Memory: `off(base)(index*scale)`, `sym+off(SB)`, `name+off(FP)`, `x-8(SP)`. */
  | { kind: 'mem'; mem: MemRef }
  /** `$sym+off(SB)` or `$off(base)`: the address of a memory operand. */
  | { kind: 'addr'; mem: MemRef }
  /** A branch target: a label, a symbol (`sym(SB)`) or `off(PC)`. */
  | { kind: 'branch'; label?: string; sym?: string; symStatic?: boolean; pcrel?: number; offset?: number }
  /** arm64 shifted register: `R1<<3`, `R1>>3`, `R1->3` (asr), `R1@>3` (ror). */
  | { kind: 'shift'; reg: string; op: '<<' | '>>' | '->' | '@>'; amount: number }
  /** arm64 extended register: `R1.UXTW<<2`, `R2.SXTX`. */
  | { kind: 'ext'; reg: string; ext: string; amount: number }
  /** A register pair: `(R1, R2)` (arm64 LDP/STP), or `DX:AX`-style in Go is written as two operands. */
  | { kind: 'regpair'; regs: [string, string] }
  /** A register list: `[R1, R2]`, `[V1.B16, V2.B16]`. */
  | { kind: 'reglist'; regs: string[] }
  /** A condition name as operand (arm64 CSEL/CSET: `EQ`, `NE`, ...). */
  | { kind: 'cond'; cond: string }
  /** An arm64 special name used as operand (`TPIDR_EL0`, `ISH` for DMB ...). */
  | { kind: 'special'; name: string };

export interface MemRef {
  name: NameKind;
  /** Symbol name, already package-qualified ('main.foo', 'foo<>'). */
  sym?: string;
  /** The identifier before +off in `x+8(FP)` / `x-8(SP)` (for diagnostics and vet-like checks). */
  argName?: string;
  offset: number;
  base?: string;
  index?: string;
  scale: number;
  /** `sym@GOT(SB)`: the address of the symbol's GOT slot (a load of its address). */
  gotRef?: boolean;
  /** Written `*sym(SB)` after CALL or JMP: through the pointer stored at sym, not to sym. */
  indirect?: boolean;
  /** arm64 pre/post-index writeback is in the op suffix (.W/.P), not here. */
  /** arm64 register-offset shift: `(R1)(R2<<3)` stores shift in scale as 1<<amount. */
  /**
   * arm64: set when the index was written with an explicit `<<n` (even `<<0`),
   * which selects the scaled register-offset form; `(R1)(R2)` leaves it unset.
   */
  indexShift?: number;
}

/**
 * A MemRef with every field present, always in the same order. The parser
 * makes all of them here: one object shape keeps the encoders' reads of
 * memory operands monomorphic, where optional fields added on the way gave
 * each combination its own shape.
 */
export function newMemRef(name: NameKind, offset: number, scale: number): MemRef {
  return { name, sym: undefined, argName: undefined, offset, base: undefined, index: undefined, scale, gotRef: undefined, indexShift: undefined };
}

export interface Prog {
  /** Upper-case mnemonic including any suffix (`MOVQ`, `B.EQ`, `MOVD.P`, `REP`). */
  readonly op: string;
  readonly args: Operand[];
  readonly pos: SourcePos;
  /** The source text of the statement (for -S listings). */
  readonly text: string;
  /** Position of each operand, for diagnostics that point at the operand. */
  readonly argPos: SourcePos[];
}

/**
 * A copy of p with another op and operands. Written out rather than spread:
 * the parser's Prog works out text and argPos on demand, which a spread drops.
 */
export function progWith(p: Prog, op: string, args: Operand[]): Prog {
  return { op, args, pos: p.pos, text: p.text, argPos: p.argPos };
}

/** A function from `TEXT sym(SB), flags, $frame-args` up to the next TEXT. */
export interface TextBlock {
  name: string;
  local: boolean;
  flags: number;
  frameSize: number;
  /** Argument size, or undefined when the directive omitted it. */
  argsSize?: number;
  pos: SourcePos;
  progs: Prog[];
  /** Label name → index of the first prog at or after it (progs.length for a label at the end). */
  labels: Map<string, number>;
  labelPos: Map<string, SourcePos>;
}
