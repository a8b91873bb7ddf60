// COMDAT groups: every object that uses a C++ inline function, a template
// instance or a vtable carries a copy in a group of its own, named by a
// signature. GNU ld keeps the first group of each signature, in link order,
// and discards the others' sections whole; so does asmlink, for the objects
// of other tools (ObjectFile.comdat), which are otherwise linked whole.
// ld64 does the same with a weak definition in Mach-O objects whose every
// symbol starts a piece: the reader makes each such definition a group.
//
// A copy is left out only when every global name it defines has its
// definition elsewhere (the first copy's, or a strong one's): then nothing
// can reach it by name, and the whole group goes, so the distances inside
// each of its sections never matter. A group that defines a name no other
// copy does is kept, where GNU ld would refuse the reference.

import type { ObjectFile } from '../obj/symbol.js';
import type { Resolved } from './resolve.js';

/** The definitions of groups whose copy lost, by definition number (gid). */
export interface Discarded {
  /** Per gid: the index in `groups` of the losing group it is in, else -1. */
  groupOf: Int32Array;
  /** Each losing group's gids. */
  groups: Int32Array[];
}

/** The losing copies of the objects' COMDAT groups, or null when there are none. */
export function losingGroups(res: Resolved, objects: readonly ObjectFile[]): Discarded | null {
  const seen = new Set<string>();
  let out: Discarded | null = null;
  for (let oi = 0; oi < objects.length; oi++) {
    const groups = objects[oi]!.comdat;
    if (groups === undefined) continue;
    const o = res.objs[oi];
    const base = res.base[oi];
    for (const g of groups) {
      if (!seen.has(g.signature)) {
        seen.add(g.signature);
        continue;
      }
      const named = g.defs.every((k) => o.flags[k].local || res.lookup(o.name(o.nameId[k])) !== base + k);
      if (!named) continue;
      out ??= { groupOf: new Int32Array(res.ndefs).fill(-1), groups: [] };
      const gids = Int32Array.from(g.defs, (k) => base + k);
      for (const gid of gids) out.groupOf[gid] = out.groups.length;
      out.groups.push(gids);
    }
  }
  return out;
}
