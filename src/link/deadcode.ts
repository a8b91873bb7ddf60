// Reachability: a symbol is emitted only if a chain of relocations leads to
// it from the entry point. Relocation targets are resolved here (file-local
// names first, then the global table), once per name of each object rather
// than once per relocation; names that live symbols use and that resolve to
// nothing are collected for the undefined-symbol report. The walk is over
// definition numbers (gids, see resolve.ts); LSyms are made afterwards, for
// the live definitions only.

import { RELOC_TYPE_INDEX } from '../obj/reloc-table.js';
import type { LSym, RelocCols } from './program.js';
import type { LinkObj } from './objects.js';
import type { Discarded } from './comdat.js';
import { NONE, importIndex, type Resolved } from './resolve.js';

export interface UndefRef {
  from: LSym;
  /** Offset and line of the relocation. */
  off: number;
  line: number;
}

const CALLIND = RELOC_TYPE_INDEX.R_CALLIND;

/** Not looked up yet (below every import reference). */
const UNKNOWN = -0x80000000;

/**
 * `importRefs`: each live relocation whose target is an import, as its
 * symbol's definition number and the entry in its object's table (pairs),
 * for dynamic-import planning to visit without another pass over every
 * relocation.
 *
 * `discarded`: the COMDAT copies left out (comdat.ts). Their frame
 * descriptions still name them, by the local symbols of their sections (a
 * `.cold` part, an LSDA): such a reference is pointed at the .eh_frame
 * symbol itself, which eh-frame.ts takes for a description to drop. Any
 * other reference to a copy brings its whole group back.
 */
export function deadcode(res: Resolved, roots: number[], discarded: Discarded | null = null): { live: LSym[]; undefs: Map<string, UndefRef[]>; relocs: RelocCols; importRefs: number[] } {
  const undefs = new Map<string, UndefRef[]>();
  const importRefs: number[] = [];
  const { objs, base, objOf } = res;
  const live = new Uint8Array(res.ndefs);
  const queue = new Int32Array(res.ndefs);
  let qn = 0;
  /** Marks a copy left out live after all, and with it the rest of its group. */
  const revive = (group: number): void => {
    for (const m of discarded!.groups[group]) {
      discarded!.groupOf[m] = -1;
      if (!live[m]) {
        live[m] = 1;
        queue[qn++] = m;
      }
    }
  };
  for (const r of roots) {
    if (discarded !== null && discarded.groupOf[r] >= 0) revive(discarded.groupOf[r]);
    else if (!live[r]) {
      live[r] = 1;
      queue[qn++] = r;
    }
  }
  // References of frame descriptions to copies left out: (entry, .eh_frame gid) pairs, settled after the walk.
  const frameRefs: number[] = [];
  // The target of every relocation entry, for all objects' tables end to end
  // (object oi's entry j is relBase[oi] + j): the program's RelocCols as they
  // are, with no copy into output order. Resolved object by object, each
  // name once per object, before the walk: in table order the reads are
  // sequential, where the walk's order (the call graph's) would scatter them.
  const relBase = new Int32Array(objs.length);
  let total = 0;
  for (let oi = 0; oi < objs.length; oi++) {
    relBase[oi] = total;
    total += objs[oi].relocs.count;
  }
  const refs = new Int32Array(total);
  for (let oi = 0; oi < objs.length; oi++) resolveTargets(res, oi, refs, relBase[oi]);
  for (let qi = 0; qi < qn; qi++) {
    const g = queue[qi];
    const oi = objOf[g];
    const o = objs[oi];
    const k = g - base[oi];
    const t = o.relocs;
    const at = relBase[oi];
    const end = o.relocStart[k] + o.relocCount[k];
    for (let j = o.relocStart[k]; j < end; j++) {
      const v = refs[at + j];
      if (v >= 0) {
        if (live[v]) continue;
        if (discarded === null || discarded.groupOf[v] < 0) {
          live[v] = 1;
          queue[qn++] = v;
        } else if (o.kind[k] === 'eh_frame') frameRefs.push(at + j, g);
        else revive(discarded.groupOf[v]);
      } else if (v === NONE) {
        // An indirect call (R_CALLIND) only marks the site; it names no symbol.
        if (t.type[j] === CALLIND) continue;
        const name = o.name(t.sym[j]);
        let refs = undefs.get(name);
        if (!refs) undefs.set(name, (refs = []));
        refs.push({ from: res.sym(g), off: t.off[j], line: t.line[j] });
      } else {
        res.imports[importIndex(v)].used = true;
        importRefs.push(g, j);
      }
    }
  }
  // A frame description of a copy still left out describes nothing: it names its own .eh_frame, to be dropped.
  for (let i = 0; i < frameRefs.length; i += 2) if (!live[refs[frameRefs[i]]]) refs[frameRefs[i]] = frameRefs[i + 1];
  // Output order is input order, not discovery order, so output does not
  // depend on the shape of the call graph.
  const syms: LSym[] = [];
  for (let g = 0; g < res.ndefs; g++) {
    if (!live[g]) continue;
    const s = res.sym(g);
    s.r0 = relBase[s.obj] + s.ri;
    syms.push(s);
  }
  const relocs: RelocCols = {
    target: (k) => {
      const v = refs[k];
      return v >= 0 ? res.sym(v) : v === NONE ? null : res.imports[importIndex(v)];
    },
    clear: (k) => {
      refs[k] = NONE;
    },
    ref: refs,
    defs: res.defs(),
    imports: res.imports,
    how: new Uint8Array(total),
  };
  return { live: syms, undefs, relocs, importRefs };
}

/** Writes the target of each relocation entry of object oi into refs from `at` on. */
function resolveTargets(res: Resolved, oi: number, refs: Int32Array, at: number): void {
  const o = res.objs[oi];
  const ids = o.relocs.sym;
  const known = new Int32Array(o.nameCount).fill(UNKNOWN);
  for (let j = 0, n = o.relocs.count; j < n; j++) {
    const id = ids[j];
    let v = known[id];
    if (v === UNKNOWN) v = known[id] = lookup(res, oi, o, id);
    refs[at + j] = v;
  }
}

/** What name `id` of object `oi` refers to: its file-local symbol of that name, else the global one. */
function lookup(res: Resolved, oi: number, o: LinkObj, id: number): number {
  const loc = res.locals[oi];
  if (o.suffixed !== null && o.suffixed[id]) {
    // A name respelled `name<>` that the bytes do not hold: look it up as the string.
    const name = o.name(id);
    return loc.get(name) ?? res.lookup(name);
  }
  // File-local names are spelled `name<>`: one lookup for every other name
  // (unless the object has locals spelled otherwise, or none at all).
  if (loc.size > 0 && (res.plainLocals[oi] || endsWithGt(o, id))) {
    const v = loc.get(o.name(id));
    if (v !== undefined) return v;
  }
  return res.globals.get(o.keys, o.keyOff[id], o.keyLen === null ? -1 : o.keyLen[id]);
}

function endsWithGt(o: LinkObj, id: number): boolean {
  const keys = o.keys;
  const off = o.keyOff[id];
  let end: number;
  if (o.keyLen !== null) end = off + o.keyLen[id];
  else for (end = off; keys[end] !== 0; end++);
  return end > off && keys[end - 1] === 0x3e;
}
