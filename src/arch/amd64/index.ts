// The amd64 backend: Go's x86 tables and encoder in 64-bit mode.
import type { ArchBackend } from '../arch.js';
import { assembleX86, isX86Branch, isX86Register } from '../x86/assemble.js';

export const amd64Backend: ArchBackend = {
  name: 'amd64',
  ptrSize: 8,
  tlsDeclaredFirst: false,
  isRegister: isX86Register,
  isBranch: isX86Branch,
  assemble: (fn, ctx) => assembleX86(fn, ctx, true),
};
