// Reachability: a symbol is emitted only if a chain of relocations leads to
// it from the entry point. Relocation targets are resolved here, once, for
// live symbols only (file-local names first, then the global table); names
// that resolve to nothing are collected for the undefined-symbol report.

import type { Reloc } from '../obj/reloc.js';
import type { Import, LSym } from './program.js';
import type { Resolved } from './resolve.js';

export interface UndefRef {
  from: LSym;
  reloc: Reloc;
}

export function deadcode(res: Resolved, roots: LSym[]): { live: LSym[]; undefs: Map<string, UndefRef[]> } {
  const undefs = new Map<string, UndefRef[]>();
  const queue: LSym[] = [];
  for (const r of roots)
    if (!r.live) {
      r.live = true;
      queue.push(r);
    }
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi];
    const relocs = s.sym.relocs;
    const loc = res.locals[s.obj];
    const plain = res.plainLocals[s.obj];
    const n = relocs.length;
    const targets: (LSym | Import | null)[] = new Array<LSym | Import | null>(n).fill(null);
    const how: number[] = new Array<number>(n).fill(0);
    for (let i = 0; i < relocs.length; i++) {
      const r = relocs[i];
      const name = r.sym;
      // File-local names are spelled `name<>`: one lookup for every other name
      // (unless the object has locals spelled otherwise).
      const t = (plain || name.charCodeAt(name.length - 1) === 62 ? loc.get(name) : undefined) ?? res.globals.get(name) ?? null;
      targets[i] = t;
      // An indirect call (R_CALLIND) only marks the site; it names no symbol.
      if (t === null && r.type === 'R_CALLIND') continue;
      if (t === null) {
        let refs = undefs.get(r.sym);
        if (!refs) undefs.set(r.sym, (refs = []));
        refs.push({ from: s, reloc: r });
      } else if (t.dyn) {
        t.used = true;
      } else if (!t.live) {
        t.live = true;
        queue.push(t);
      }
    }
    s.targets = targets;
    s.how = how;
  }
  // Output order is input order, not discovery order, so output does not
  // depend on the shape of the call graph.
  const live = res.all.filter((s) => s.live);
  return { live, undefs };
}
