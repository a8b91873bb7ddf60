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
  let n = 0;
  for (const s of symbols) if (TableSymbol.tableOf(s) === null) n += s.relocs.length;
  const names: string[] = [];
  const table = new RelocTable(n, names);
  const start = new Int32Array(symbols.length);
  const ids = new Map<string, number>();
  for (let si = 0; si < symbols.length; si++) {
    const s = symbols[si];
    if (TableSymbol.tableOf(s) !== null) continue;
    start[si] = table.count;
    for (const r of s.relocs) {
      let id = ids.get(r.sym);
      if (id === undefined) {
        id = names.length;
        ids.set(r.sym, id);
        names.push(r.sym);
      }
      table.push(r.off, r.size, RELOC_TYPE_INDEX[r.type], id, r.add, r.line ?? 0);
    }
  }
  return { table, start };
}

/**
 * Relocation i of s as a Reloc, written into `into` (one scratch object serves
 * a whole pass: the arch hooks and diagnostics read it and do not keep it).
 */
export function relocAt(s: LSym, i: number, into: Reloc): Reloc {
  const t = s.rt;
  const j = s.ri + i;
  into.off = t.off[j];
  into.size = t.size[j];
  into.type = RELOC_TYPES[t.type[j]];
  into.sym = t.names[t.sym[j]];
  into.add = t.add[j];
  into.line = t.line[j];
  return into;
}

/** A scratch Reloc for relocAt. */
export function scratchReloc(): Reloc {
  return { off: 0, size: 0, type: 'R_CALL', sym: '', add: 0, line: 0 };
}
