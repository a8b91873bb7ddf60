// The link index of a Mach-O object (obj/link-index.ts): the columns the
// linker reads, in __DWARF,__asmlink_link, so that a link takes views of the
// file where read-columns.ts decodes the symbol table, the relocations and
// the syminfo note entry by entry. A debug section, as the notes are: ld64
// and lld leave it out of what they link.
//
// The writer does not derive the index a second way: it decodes the object
// it has just written with read-columns.ts and stores what came out, so the
// index says what the tables say by construction. What the columns hold that
// is not in the string table (source file names, imports' local names) is
// added to the string table after the names, where other tools never look.

import { columnsOf } from '../../obj/columns.js';
import { newLinkIndex, type LinkIndexArrays } from '../../obj/link-index.js';
import { flagsToBits } from '../../obj/object-columns.js';
import type { SectionKind } from './sections.js';
import * as C from './consts.js';
import { objectLayout } from './object-layout.js';
import { readMachOColumns } from './read-columns.js';

export const LINK_INDEX_SECTION: SectionKind = {
  segname: '__DWARF',
  sectname: '__asmlink_link',
  flags: C.S_REGULAR | C.S_ATTR_DEBUG,
  zerofill: false,
};

/** Where the index must start in the file, so that its arrays are views in place. */
export const LINK_INDEX_ALIGN = 8;

/** A source file name no object holds: what the columns reader gives a definition the note does not name. */
const NO_NOTE = '\0';

export interface PlannedIndex {
  /** Filled, without the header (the tie is known once the string table is). */
  arrays: LinkIndexArrays;
  /** Bytes to append to the string table (from its current end, which the offsets assume). */
  strings: Uint8Array;
}

/**
 * The index of `b`, an object written with an empty index section, or null
 * when the columns reader does not take it (then the object has no index, and
 * its readers decode it as they would without one).
 */
export function planLinkIndex(b: Uint8Array): PlannedIndex | null {
  const L = objectLayout(b);
  const obj = readMachOColumns(b, NO_NOTE, L, () => []);
  const c = obj && columnsOf(obj);
  if (!c) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const nl = L.is64 ? 16 : 12;
  const n = c.count;
  const m = c.nameCount;
  const r = c.relocs.count;
  const a = newLinkIndex(n, m, r);

  const encoder = new TextEncoder();
  const added: Uint8Array[] = [];
  let end = L.strsize;
  const offsetOf = new Map<string, number>();
  const stringAt = (s: string): number => {
    let at = offsetOf.get(s);
    if (at === undefined) {
      const bytes = encoder.encode(s + '\0');
      at = end;
      end += bytes.length;
      added.push(bytes);
      offsetOf.set(s, at);
    }
    return at;
  };

  for (let k = 0; k < n; k++) {
    const file = c.file[k]!;
    if (file === NO_NOTE) return null;
    const id = c.nameId[k]!;
    const e = L.symoff + id * nl;
    const sect = b[e + 5]!;
    const s = L.sects[sect - 1]!;
    const zerofill = (s.flags & 0xff) === C.S_ZEROFILL;
    // The index reader takes a definition's contents to be its size, from its section.
    const value = dv.getUint32(e + 8, true) - s.addr;
    if (c.dataLen[k] !== (zerofill ? 0 : c.size[k]) || (!zerofill && c.dataOff[k] !== s.offset + value)) return null;
    a.size[k] = c.size[k]!;
    a.name[k] = id;
    a.align[k] = c.align[k]!;
    a.flags[k] = flagsToBits(c.flags[k]!) * 16;
    a.file[k] = file === '' ? 0 : stringAt(file);
    a.line[k] = c.line[k]!;
    a.shndx[k] = sect;
    a.value[k] = value;
    a.rstart[k] = c.relocStart[k]!;
    a.rcount[k] = c.relocCount[k]!;
  }
  for (let i = 0; i < m; i++) a.nameoff[i] = c.nameOff[i]! < L.strsize ? c.nameOff[i]! : stringAt(c.name(i));
  const t = c.relocs;
  a.roff.set(t.off.subarray(0, r));
  a.rsize.set(t.size.subarray(0, r));
  a.rtype.set(t.type.subarray(0, r));
  a.rsym.set(t.sym.subarray(0, r));
  a.add.set(t.add.subarray(0, r));
  a.rline.set(t.line.subarray(0, r));

  const strings = new Uint8Array(end - L.strsize);
  let at = 0;
  for (const s of added) {
    strings.set(s, at);
    at += s.length;
  }
  return { arrays: a, strings };
}
