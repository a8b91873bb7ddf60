// What the assembler and linker ask of each architecture. The front end is
// shared; everything that depends on the instruction set lives behind this.

import type { DiagnosticSink } from '../diag.js';
import type { TextBlock } from '../asm/prog.js';
import type { InstInfo } from '../obj/symbol.js';
import type { Reloc } from '../obj/reloc.js';
import type { ArchName, Target } from '../target.js';

export interface AssembleContext {
  target: Target;
  diag: DiagnosticSink;
  /**
   * Symbols declared TLS (GLOBL with TLSBSS) in the file being assembled. On
   * arm64, `MOVD sym(SB), R` of such a symbol loads its offset from the thread
   * pointer (Go's local-exec TLS form) instead of its contents.
   */
  tlsSymbols?: ReadonlySet<string>;
  /** Whether to record each instruction's line and byte range (AssembledFunction.insts); default true. */
  insts?: boolean;
}

export interface AssembledFunction {
  /**
   * The function's bytes. A backend may hand out a view of a buffer it reuses:
   * the bytes are the caller's to copy before it assembles the next function.
   */
  data: Uint8Array;
  relocs: Reloc[];
  /**
   * The instructions' lines and byte ranges, made on demand (only listings and
   * the Mach-O writer need them, so a backend may keep them compactly); null
   * when the context did not ask for them.
   */
  insts: (() => InstInfo[]) | null;
  /**
   * Read-only constants the function loads by name, as Go's assembler makes
   * them for floating-point immediates an instruction cannot hold:
   * `$f64.<bits in hex>` (8 bytes) and `$f32.<bits>` (4 bytes), DUPOK so each
   * value is kept once per program.
   */
  constants?: Map<string, Uint8Array>;
}

export interface ArchBackend {
  name: ArchName;
  ptrSize: 4 | 8;
  /** True when the upper-case identifier names a register of this architecture (`AX`, `R1`, `X0`, `V3`...). */
  isRegister(name: string): boolean;
  /** True when a bare identifier operand of this op is a branch target (JMP, CALL, Jcc, B, BL, CBZ, TBZ...). */
  isBranch(op: string): boolean;
  /**
   * True when encoding a use of a thread-local symbol needs its TLSBSS
   * declaration first (ctx.tlsSymbols): then a file that mentions TLSBSS is
   * encoded at its end, as the declaration may come after the uses.
   */
  tlsDeclaredFirst: boolean;
  /**
   * Encodes one function. Resolves labels, iterates branch sizes to a fixed
   * point, inserts the prologue/epilogue its frame needs, lowers FP/SP pseudo
   * registers to hardware offsets. Reports bad instructions through ctx.diag and
   * keeps going, so every error of a file is reported.
   */
  assemble(fn: TextBlock, ctx: AssembleContext): AssembledFunction;
}

/**
 * The message for a branch to a label the function does not define. A name
 * with a package (`·main`, `runtime.exit`) is most often a function written
 * without its (SB).
 */
export function undefinedLabelMessage(label: string): string {
  const symbolLike = label.includes('\u00b7') || label.includes('.');
  return `undefined label ${label}${symbolLike ? ` (to jump to a function or symbol, write ${label}(SB))` : ''}`;
}
