// How the columns a Mach-O object was read into differ from the Symbol
// objects of the same file (shared by the reader's tests and the fuzz
// campaign, which compares the two for every darwin object it makes).

import type { SymbolColumns } from '../../../src/obj/columns.js';
import { RELOC_TYPES } from '../../../src/obj/reloc-table.js';
import type { SymFlags, Symbol } from '../../../src/obj/symbol.js';

/** Every difference between the columns and the Symbol objects (defined ones, in order) of one object. */
export function columnsAgainstSymbols(c: SymbolColumns, syms: Symbol[]): string[] {
  const out: string[] = [];
  const defs = syms.filter((s) => s.kind !== 'undef' && s.kind !== 'dynimport');
  if (c.count !== defs.length) out.push(`count ${c.count} vs ${defs.length}`);
  for (let k = 0; k < Math.min(c.count, defs.length); k++) {
    const s = defs[k];
    const at = `${k} (${s.name})`;
    if (c.name(c.nameId[k]) !== s.name) out.push(`name of ${at}: ${c.name(c.nameId[k])}`);
    for (const [what, x, y] of [
      ['kind', c.kind[k], s.kind],
      ['size', c.size[k], s.size],
      ['align', c.align[k], s.align],
      ['file', c.file[k], s.file],
      ['line', c.line[k], s.line],
      ['flags', flagList(c.flags[k]), flagList(s.flags)],
      ['data', Buffer.from(c.bytes.subarray(c.dataOff[k], c.dataOff[k] + c.dataLen[k])).toString('hex'), Buffer.from(s.data).toString('hex')],
      ['relocations', c.relocCount[k], s.relocs.length],
    ] as const)
      if (x !== y) out.push(`${what} of ${at}: ${x} vs ${y}`);
    for (let q = 0; q < Math.min(c.relocCount[k], s.relocs.length); q++) {
      const i = c.relocStart[k] + q;
      const r = s.relocs[q];
      const mine = `${c.relocs.off[i]} ${c.relocs.size[i]} ${RELOC_TYPES[c.relocs.type[i]]} ${c.name(c.relocs.sym[i])} ${c.relocs.add[i]} ${c.relocs.line[i]}`;
      const theirs = `${r.off} ${r.size} ${r.type} ${r.sym} ${r.add} ${r.line ?? 0}`;
      if (mine !== theirs) out.push(`relocation ${q} of ${at}: ${mine} vs ${theirs}`);
    }
  }
  return out;
}

/** The flags that are set, in name order (the two readers build their flag objects in different key orders). */
function flagList(f: SymFlags): string {
  return Object.keys(f)
    .filter((k) => f[k as keyof SymFlags])
    .sort()
    .join(',');
}
