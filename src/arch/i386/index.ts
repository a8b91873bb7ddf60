// Placeholder until the encoder lands: every instruction is reported as unsupported.
import type { ArchBackend } from '../arch.js';

export const i386Backend: ArchBackend = {
  name: '386',
  ptrSize: 4,
  isRegister: () => false,
  isBranch: () => false,
  assemble(fn, ctx) {
    for (const p of fn.progs) ctx.diag.error(p.pos, `386: instruction ${p.op} not supported yet`);
    return { data: new Uint8Array(0), relocs: [], insts: [] };
  },
};
