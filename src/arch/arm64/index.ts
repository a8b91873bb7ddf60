// The arm64 backend: Go's arm64 assembler syntax encoded to A64 machine code.
// regs.ts names registers, imm.ts encodes immediates and classifies constants,
// optab.ts is the instruction table, encoder.ts has one routine per form, and
// function.ts lays out a function (frame, branches, literal pool).
import type { ArchBackend } from '../arch.js';
import { isArm64Register } from './regs.js';
import { isBranchOp } from './optab.js';
import { assembleFunction } from './function.js';

export const arm64Backend: ArchBackend = {
  name: 'arm64',
  ptrSize: 8,
  tlsDeclaredFirst: true,
  isRegister: isArm64Register,
  isBranch: isBranchOp,
  assemble(fn, ctx) {
    return assembleFunction(fn, ctx.diag, ctx.tlsSymbols, ctx.insts !== false);
  },
};

export { assembleFunction, lookupOp } from './function.js';
export { logicalImm } from './imm.js';
