// Applies every relocation of every live symbol to its section's contents, in
// place, through the architecture hook; overflows become diagnostics naming
// the relocation, the target and the place.

import type { DiagnosticSink } from '../diag.js';
import { relocAt, scratchReloc } from './reloc-cols.js';
import { HOW_DIRECT, HOW_GOT, HOW_PLT, isImport, relocPos, type Import, type Layout, type LSym, type Program } from './program.js';

export function relocate(prog: Program, layout: Layout, diag: DiagnosticSink): void {
  const hooks = prog.hooks;
  const cols = prog.relocs;
  const hows = cols.how;
  const { ref, defs, imports } = cols;
  const r = scratchReloc();
  const bias = layout.bias;
  for (const sec of Object.values(prog.sections)) {
    const buf = sec.data;
    if (!buf) continue;
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const syms = sec.syms;
    for (let q = 0; q < syms.length; q++) {
      const s = syms[q];
      const { rn, r0 } = s;
      for (let i = 0; i < rn; i++) {
        const v = ref[r0 + i];
        if (v === -1) continue;
        const t = v >= 0 ? defs[v]! : imports[-2 - v];
        const how = hows[r0 + i];
        relocAt(s, i, r);
        let S: number;
        if (how === HOW_PLT) {
          if (!t.dyn) continue;
          S = layout.pltAddr(t.plt);
        } else if (how === HOW_GOT) {
          S = layout.gotAddr(t.got);
        } else if (how === HOW_DIRECT) {
          if (t.dyn) continue;
          S = r.type === 'R_TLS_LE' ? layout.tlsOffset(t) : t.addr;
          if (r.type === 'R_TLS_LE' && t.section?.kind !== 'tls') {
            diag.error(relocPos(s, r), `${s.name}+0x${r.off.toString(16)}: R_TLS_LE to ${t.name}, which is not a TLS symbol`);
            continue;
          }
        } else continue;
        const P = s.addr + r.off;
        // R_ADDR is the one absolute relocation: it stores the virtual address (Layout.bias).
        if (bias !== 0 && r.type === 'R_ADDR') S += bias;
        const err = hooks.apply(buf, dv, s.off + r.off, r, S, P);
        if (err) {
          const where = `${s.name}+0x${r.off.toString(16)}`;
          const name = targetName(t);
          const m = /^out of range: (.*)$/.exec(err);
          diag.error(relocPos(s, r), m ? `relocation ${r.type} to ${name} out of range at ${where}: ${m[1]}` : `relocation ${r.type} to ${name} at ${where}: ${err}`);
        }
      }
    }
  }
}

function targetName(t: LSym | Import): string {
  return isImport(t) ? t.local : t.name;
}
