// Where the linker finds relocations: every definition's are a run of
// entries in a RelocTable (obj/reloc-table.ts). Symbols read from an object
// file bring theirs, and the linker uses that table in place; for the others
// (assembled in this process, with Reloc objects) plainRelocs builds one
// table per object. The per-relocation results of linking (target, route)
// live in the program-wide RelocCols, indexed by LSym.r0.

import type { Reloc } from '../obj/reloc.js';
import type { Symbol } from '../obj/symbol.js';
import { RELOC_TYPES, RELOC_TYPE_INDEX, RelocTable, TableSymbol } from '../obj/reloc-table.js';
import type { LSym } from './program.js';

export interface PlainRelocs {
  table: RelocTable;
  /** Per symbol (by index in the object): its first entry in `table`, for those not in a table of their own. */
  start: Int32Array;
}

/** One table for the relocations of an object's symbols that are not in a table already. */
export function plainRelocs(symbols: readonly Symbol[]): PlainRelocs {
  // Targets are numbered first: the table is made knowing all of them.
  let n = 0;
  const names: string[] = [];
  const ids = new Map<string, number>();
  for (const s of symbols) {
    if (TableSymbol.tableOf(s) !== null) continue;
    n += s.relocs.length;
    for (const r of s.relocs)
      if (!ids.has(r.sym)) {
        ids.set(r.sym, names.length);
        names.push(r.sym);
      }
  }
  const table = new RelocTable(n, names.length, (i) => names[i]);
  const start = new Int32Array(symbols.length);
  for (let si = 0; si < symbols.length; si++) {
    const s = symbols[si];
    if (TableSymbol.tableOf(s) !== null) continue;
    start[si] = table.count;
    for (const r of s.relocs) table.push(r.off, r.size, RELOC_TYPE_INDEX[r.type], ids.get(r.sym)!, r.add, r.line ?? 0);
  }
  return { table, start };
}

/** A relocation's fields apart from its target, which the linker resolved already (RelocCols). */
export type RelocFields = Omit<Reloc, 'sym'>;

/**
 * Relocation i of s, written into `into` (one scratch object serves a whole
 * pass: the arch hooks and diagnostics read it and do not keep it).
 */
export function relocAt(s: LSym, i: number, into: RelocFields): RelocFields {
  const t = s.rt;
  const j = s.ri + i;
  into.off = t.off[j];
  into.size = t.size[j];
  into.type = RELOC_TYPES[t.type[j]];
  into.add = t.add[j];
  into.line = t.line[j];
  return into;
}

/** A scratch object for relocAt. */
export function scratchReloc(): RelocFields {
  return { off: 0, size: 0, type: 'R_CALL', add: 0, line: 0 };
}
