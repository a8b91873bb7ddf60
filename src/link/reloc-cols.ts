// Where the linker finds relocations: every definition's are a run of
// entries in a RelocTable (obj/reloc-table.ts). Objects read from a file
// bring theirs, and the linker uses that table in place; for the others
// objects.ts builds one table per object. The per-relocation results of
// linking (target, route) live in the program-wide RelocCols, indexed by
// LSym.r0.

import type { Reloc, RelocType } from '../obj/reloc.js';
import { RELOC_TYPES } from '../obj/reloc-table.js';
import { HOW_GOT, type LSym } from './program.js';

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

/**
 * The type a relocation is applied (or handed to the system linker) as, given
 * how it is reached: an R_TLS_LE to a library's thread-local, which
 * dynimport.ts routes through a GOT slot, is initial exec. The object's own
 * table keeps its type, so the same objects link again alike.
 */
export function routedType(type: RelocType, how: number): RelocType {
  return how === HOW_GOT && type === 'R_TLS_LE' ? 'R_TLS_IE' : type;
}

/** A scratch object for relocAt. */
export function scratchReloc(): RelocFields {
  return { off: 0, size: 0, type: 'R_CALL', add: 0, line: 0 };
}
