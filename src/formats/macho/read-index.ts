// Reading an asmlink Mach-O object from its link index (link-index.ts): the
// columns are views of the file, checked here as read-columns.ts checks what
// it decodes. Any object whose index is missing, tied to other tables (a tool
// rewrote the file) or says something out of place answers null, and
// read-columns.ts decodes its tables instead (and read-object.ts, which
// diagnoses, reads what that one does not take either).

import { setColumns } from '../../obj/columns.js';
import { firstAtOrAbove, firstBadAddend, firstBadTarget, firstRelocOutside, indexColumns, viewLinkIndex } from '../../obj/link-index.js';
import { sharedFlags } from '../../obj/object-columns.js';
import { RELOC_TYPES } from '../../obj/reloc-table.js';
import { symbolsWhenAsked, type ObjectFile, type SymFlags, type SymKind, type Symbol } from '../../obj/symbol.js';
import * as C from './consts.js';
import { readDynimportNotes } from './dynimport-note.js';
import { LINK_INDEX_SECTION } from './link-index.js';
import { hasCommonSymbol, isCompactUnwind, isThreadLocal, kindOf, sectionNamed, unlinkedInitializers, type ObjectLayout } from './object-layout.js';
import { overlapping } from './read-columns.js';

const utf8 = new TextDecoder();

/** The object in columns from its index, or null when read-columns.ts must decode it. */
export function readMachOIndex(b: Uint8Array, name: string, L: ObjectLayout, symbols: () => Symbol[]): ObjectFile | null {
  const { arch, sects, nsyms, stroff, strsize } = L;
  const sec = sectionNamed(sects, LINK_INDEX_SECTION);
  if (!sec || sec.offset + sec.size > b.length) return null;
  const a = viewLinkIndex(b, sec.offset, sec.size, { table: nsyms, strings: strsize, sections: sects.length });
  if (a === null || a.nameoff.length !== nsyms) return null;
  // As read-columns.ts: offsets are 32-bit integers, damaged files with overlapping sections go to the Symbol reader.
  for (const s of sects) if (s.addr + s.size > 0x7fffffff) return null;
  if (overlapping(sects)) return null;
  // What the Symbol reader refuses, it must say (constructor forms it does not link), and common symbols and thread-local variables, which it alone reads.
  if (sects.some((s) => unlinkedInitializers(s) || isThreadLocal(s) || isCompactUnwind(s)) || hasCommonSymbol(b, L)) return null;
  // Names are read up to their NUL without a check each: the table must end in one.
  if (strsize === 0 || b[stroff + strsize - 1] !== 0) return null;
  if (firstAtOrAbove(a.nameoff, strsize) >= 0 || firstAtOrAbove(a.file, strsize) >= 0) return null;

  const n = a.name.length;
  const nrel = a.roff.length;
  const kind: SymKind[] = [];
  const flags: SymFlags[] = [];
  const file: string[] = [];
  const fileAt = new Map<number, string>();
  const dataOff = new Int32Array(n);
  const dataLen = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const sect = a.shndx[k];
    const s = sect >= 1 && sect <= sects.length ? sects[sect - 1] : undefined;
    const sk = s && kindOf(s);
    if (!s || !sk || a.name[k] < 0 || a.name[k] >= nsyms) return null;
    const size = a.size[k];
    if (!(size >= 0 && Math.trunc(size) === size && a.value[k] + size <= s.size)) return null;
    if (a.flags[k] % 16 !== 0 || a.align[k] < 1 || a.line[k] < 0) return null;
    if (a.rstart[k] < 0 || a.rcount[k] < 0 || a.rstart[k] + a.rcount[k] > nrel) return null;
    const zerofill = (s.flags & 0xff) === C.S_ZEROFILL;
    if (!zerofill && s.offset + s.size > b.length) return null;
    kind.push(sk);
    flags.push(sharedFlags(a.flags[k] / 16));
    let f = fileAt.get(a.file[k]);
    if (f === undefined) fileAt.set(a.file[k], (f = stringAt(b, stroff + a.file[k])));
    file.push(f);
    dataOff[k] = zerofill ? -1 : s.offset + a.value[k];
    dataLen[k] = zerofill ? 0 : size;
  }
  if (firstRelocOutside(a.rstart, a.rcount, a.roff, a.rsize, a.size, dataOff) >= 0) return null;
  if (firstBadTarget(a.rsym, 0, nsyms) >= 0 || firstAtOrAbove(a.rtype, RELOC_TYPES.length) >= 0 || firstBadAddend(a.add) >= 0) return null;
  const dynimports = readDynimportNotes(b, sects, name);
  if (dynimports === null) return null;

  // x86 fields hold their addends, which the index has: the contents are a
  // copy with those fields zeroed, as read-columns.ts makes them.
  const bytes = arch === 'arm64' ? b : zeroedFields(b, a.rstart, a.rcount, a.roff, a.rsize, dataOff);
  const nameOf = (id: number): string => stringAt(b, stroff + a.nameoff[id]);
  const obj = { target: { os: 'darwin', arch }, name, symbols: [] as Symbol[], dynimports } as ObjectFile;
  symbolsWhenAsked(obj, symbols, () => setColumns(obj, null));
  setColumns(obj, indexColumns(a, { kind, size: a.size, flags, file, dataOff, dataLen, bytes, names: b.subarray(stroff, stroff + strsize), name: nameOf }));
  return obj;
}

/** The NUL-terminated string at `at`. */
function stringAt(b: Uint8Array, at: number): string {
  return utf8.decode(b.subarray(at, b.indexOf(0, at)));
}

/** A copy of `b` with every relocated field zeroed. */
function zeroedFields(b: Uint8Array, start: Int32Array, count: Int32Array, off: Int32Array, size: Uint8Array, dataOff: Int32Array): Uint8Array {
  const out = Uint8Array.prototype.slice.call(b) as Uint8Array;
  for (let k = 0; k < start.length; k++) {
    const end = start[k] + count[k];
    for (let j = start[k]; j < end; j++) {
      const at = dataOff[k] + off[j];
      out.fill(0, at, at + size[j]);
    }
  }
  return out;
}
