// Applies every relocation of every live symbol to its section's contents, in
// place, through the architecture hook; overflows become diagnostics naming
// the relocation, the target and the place.

import type { DiagnosticSink } from '../diag.js';
import { relocAt, routedType, scratchReloc } from './reloc-cols.js';
import { HOW_COPY, HOW_DIRECT, HOW_GOT, HOW_PLT, isImport, relocPos, shownName, type Import, type Layout, type LSym, type Program } from './program.js';

export function relocate(prog: Program, layout: Layout, diag: DiagnosticSink): void {
  const hooks = prog.hooks;
  const cols = prog.relocs;
  const hows = cols.how;
  const { ref, defs } = cols;
  const r = scratchReloc();
  const bias = layout.bias;
  const gotBase = layout.gotBase ?? NaN;
  // Each definition's address by number, so that the common case, a direct
  // relocation to a definition, reads this array in the loop below rather
  // than the target's LSym (tens of thousands of objects in a large link,
  // met in the call graph's order: a cache miss each).
  const addrOf = new Float64Array(defs.length);
  for (let g = 0; g < defs.length; g++) {
    const d = defs[g];
    if (d !== undefined) addrOf[g] = d.addr;
  }
  /** S for a relocation through the PLT or GOT, or to a TLS symbol or an import; NaN when there is nothing to patch. */
  const otherTarget = (t: LSym | Import, how: number, s: LSym): number => {
    if (how === HOW_PLT) return t.dyn ? layout.pltAddr(t.plt) : NaN;
    if (how === HOW_GOT) return layout.gotAddr(t.got);
    if (how === HOW_COPY) return layout.copyAddr!((t as Import).copy);
    if (how !== HOW_DIRECT || t.dyn) return NaN;
    if (r.type !== 'R_TLS_LE') return t.addr;
    if (t.section?.kind === 'tls') return layout.tlsOffset(t);
    diag.error(relocPos(s, r), `${s.name}+0x${r.off.toString(16)}: R_TLS_LE to ${t.name}, which is not a TLS symbol`);
    return NaN;
  };
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
        const how = hows[r0 + i];
        relocAt(s, i, r).type = routedType(r.type, how);
        let S: number;
        if (v >= 0 && how === HOW_DIRECT && r.type !== 'R_TLS_LE') S = addrOf[v];
        else {
          S = otherTarget(cols.target(r0 + i)!, how, s);
          if (Number.isNaN(S)) continue;
        }
        const P = s.addr + r.off;
        // R_ADDR is the one absolute relocation: it stores the virtual address (Layout.bias).
        if (bias !== 0 && r.type === 'R_ADDR') S += bias;
        const err = hooks.apply(buf, dv, s.off + r.off, r, S, P, gotBase);
        if (err) {
          const where = `${shownName(prog, s)}+0x${r.off.toString(16)}`;
          const t = cols.target(r0 + i)!;
          const name = isImport(t) ? t.local : shownName(prog, t);
          const m = /^out of range: (.*)$/.exec(err);
          diag.error(relocPos(s, r), m ? `relocation ${r.type} to ${name} out of range at ${where}: ${m[1]}` : `relocation ${r.type} to ${name} at ${where}: ${err}`);
        }
      }
    }
  }
}
