// Reachability: a symbol is emitted only if a chain of relocations leads to
// it from the entry point. Relocation targets are resolved here, for live
// symbols only (file-local names first, then the global table), once per
// name of each relocation table and object rather than once per relocation;
// names that resolve to nothing are collected for the undefined-symbol report.

import { RELOC_TYPE_INDEX, type RelocTable } from '../obj/reloc-table.js';
import type { Import, LSym, RelocCols } from './program.js';
import type { Resolved } from './resolve.js';

export interface UndefRef {
  from: LSym;
  /** Offset and line of the relocation. */
  off: number;
  line: number;
}

const CALLIND = RELOC_TYPE_INDEX.R_CALLIND;

type Target = LSym | Import | null;

export function deadcode(res: Resolved, roots: LSym[]): { live: LSym[]; undefs: Map<string, UndefRef[]>; relocs: RelocCols } {
  const undefs = new Map<string, UndefRef[]>();
  const targets = new Array<Target>(res.nrelocs).fill(null);
  const globals = res.globals;
  // Per object, per table: the target of each of the table's names once looked up (undefined: not yet).
  const resolved: Map<RelocTable, (Target | undefined)[]>[] = res.locals.map(() => new Map());
  const queue: LSym[] = [];
  for (const r of roots)
    if (!r.live) {
      r.live = true;
      queue.push(r);
    }
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi];
    const t = s.rt;
    let cache = resolved[s.obj].get(t);
    if (!cache) resolved[s.obj].set(t, (cache = new Array<Target | undefined>(t.nameCount)));
    const loc = res.locals[s.obj];
    const plain = res.plainLocals[s.obj];
    for (let i = 0; i < s.rn; i++) {
      const j = s.ri + i;
      const id = t.sym[j];
      let target = cache[id];
      if (target === undefined) {
        const name = t.name(id);
        // File-local names are spelled `name<>`: one lookup for every other name
        // (unless the object has locals spelled otherwise).
        target = cache[id] = (plain || name.charCodeAt(name.length - 1) === 62 ? loc.get(name) : undefined) ?? globals.get(name) ?? null;
      }
      if (target === null) {
        // An indirect call (R_CALLIND) only marks the site; it names no symbol.
        if (t.type[j] === CALLIND) continue;
        const name = t.name(id);
        let refs = undefs.get(name);
        if (!refs) undefs.set(name, (refs = []));
        refs.push({ from: s, off: t.off[j], line: t.line[j] });
        continue;
      }
      targets[s.r0 + i] = target;
      if (target.dyn) {
        target.used = true;
      } else if (!target.live) {
        target.live = true;
        queue.push(target);
      }
    }
  }
  // Output order is input order, not discovery order, so output does not
  // depend on the shape of the call graph.
  const live = res.all.filter((s) => s.live);
  return { live, undefs, relocs: { targets, how: new Uint8Array(res.nrelocs) } };
}
