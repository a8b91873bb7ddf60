// The 386 backend: the same x86 tables and encoder in 32-bit mode (no REX, no
// R8-R15, absolute addressing for sym(SB), frames without a saved BP).
// R8..R15 and X8.. still count as registers here, so that the encoder can say
// that they are not available in 32-bit mode instead of "unknown symbol".
import type { ArchBackend } from '../arch.js';
import { assembleX86, isX86Branch, isX86Register } from '../x86/assemble.js';

export const i386Backend: ArchBackend = {
  name: '386',
  ptrSize: 4,
  tlsDeclaredFirst: false,
  isRegister: isX86Register,
  isBranch: isX86Branch,
  assemble: (fn, ctx) => assembleX86(fn, ctx, false),
};
