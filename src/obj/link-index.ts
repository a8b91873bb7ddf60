// The link index: the linker's columns of an asmlink object, stored as they
// are used, so that linking takes views of the file instead of decoding the
// symbol table, the relocations and the syminfo note entry by entry (Go's own
// linker reads its own object format for the same reason). ELF objects carry
// it in .asmlink.link, Mach-O objects in __DWARF,__asmlink_link (a debug
// section: other linkers leave it out). The format's own tables stay complete
// for every other tool; the index repeats what asmlink's reader would derive
// from them, and tests check that both ways give the same columns.
//
// Layout, little-endian, the section aligned to 8 and every array starting
// on a multiple of 8 bytes (n = defined symbols in object order, m = symbol
// table entries, r = relocations):
//
//   header  u32[8]  version, n, m, r, then the tie (below), 0
//   size    f64[n]  the symbol's size (ELF: 0 is completed as the reader
//                   completes st_size)
//   add     f64[r]
//   name    i32[n]  symbol table index of the symbol (its name id)
//   align   i32[n]
//   flags   u32[n]  syminfo flag bits (FLAG_BITS) * 16 + ELF binding (0 in
//                   Mach-O)
//   file    u32[n]  string table offset of its source file (ELF: 0 is the
//                   object's name; Mach-O: 0 is the empty name)
//   line    i32[n]
//   shndx   u32[n]  its section (ELF: section header index; Mach-O: n_sect)
//   value   u32[n]  its offset in that section
//   rstart  i32[n]  its run of relocations
//   rcount  i32[n]
//   nameoff u32[m]  string table offset of each symbol's name as the linker
//                   knows it (ELF: st_name; Mach-O: past the leading `_`, or
//                   an import's local name, which the writer adds to the
//                   string table)
//   roff    i32[r]  offset in the symbol
//   rsym    i32[r]  symbol table index of the target
//   rline   i32[r]
//   rsize   u8[r]
//   rtype   u8[r]   index in RELOC_TYPES
//
// The header's tie is three numbers of the tables the index was written
// beside (LinkIndexTie): an object another tool rewrote (objcopy, strip) no
// longer matches them, and its reader then decodes the tables instead.

import type { SymbolColumns } from './columns.js';
import { RelocTable } from './reloc-table.js';
import { HOST_LITTLE_ENDIAN } from './bytes.js';

export const LINK_INDEX_VERSION = 1;
const HEADER_WORDS = 8;


export interface LinkIndexArrays {
  size: Float64Array;
  add: Float64Array;
  name: Int32Array;
  align: Int32Array;
  flags: Uint32Array;
  file: Uint32Array;
  line: Int32Array;
  shndx: Uint32Array;
  value: Uint32Array;
  rstart: Int32Array;
  rcount: Int32Array;
  nameoff: Uint32Array;
  roff: Int32Array;
  rsym: Int32Array;
  rline: Int32Array;
  rsize: Uint8Array;
  rtype: Uint8Array;
}

/**
 * What ties an index to its object's tables. ELF: the .symtab section's
 * index, .strtab's size, the number of section headers. Mach-O: the number
 * of symbols, the string table's size, the number of sections.
 */
export interface LinkIndexTie {
  table: number;
  strings: number;
  sections: number;
}

type ArrayType = Float64ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor | Uint8ArrayConstructor;

interface Field {
  key: keyof LinkIndexArrays;
  type: ArrayType;
  count: 'n' | 'm' | 'r';
}

const FIELDS: readonly Field[] = [
  { key: 'size', type: Float64Array, count: 'n' },
  { key: 'add', type: Float64Array, count: 'r' },
  { key: 'name', type: Int32Array, count: 'n' },
  { key: 'align', type: Int32Array, count: 'n' },
  { key: 'flags', type: Uint32Array, count: 'n' },
  { key: 'file', type: Uint32Array, count: 'n' },
  { key: 'line', type: Int32Array, count: 'n' },
  { key: 'shndx', type: Uint32Array, count: 'n' },
  { key: 'value', type: Uint32Array, count: 'n' },
  { key: 'rstart', type: Int32Array, count: 'n' },
  { key: 'rcount', type: Int32Array, count: 'n' },
  { key: 'nameoff', type: Uint32Array, count: 'm' },
  { key: 'roff', type: Int32Array, count: 'r' },
  { key: 'rsym', type: Int32Array, count: 'r' },
  { key: 'rline', type: Int32Array, count: 'r' },
  { key: 'rsize', type: Uint8Array, count: 'r' },
  { key: 'rtype', type: Uint8Array, count: 'r' },
];

const align8 = (v: number): number => (v + 7) & ~7;

/** Byte offset of each field, and the section's size. */
function fieldOffsets(counts: Record<Field['count'], number>): { at: number[]; size: number } {
  const at: number[] = [];
  let off = HEADER_WORDS * 4;
  for (const f of FIELDS) {
    off = align8(off);
    at.push(off);
    off += f.type.BYTES_PER_ELEMENT * counts[f.count];
  }
  return { at, size: align8(off) };
}

/**
 * Typed arrays of the right sizes for the writer to fill: on a little-endian
 * host, views of one buffer laid out as the section, so encoding it is
 * writing the header (a large object's index is megabytes: no second copy).
 */
export function newLinkIndex(n: number, m: number, r: number): LinkIndexArrays {
  const counts = { n, m, r };
  if (!HOST_LITTLE_ENDIAN) return Object.fromEntries(FIELDS.map((f) => [f.key, new f.type(counts[f.count])])) as unknown as LinkIndexArrays;
  const { at, size } = fieldOffsets(counts);
  const buffer = new ArrayBuffer(size);
  return Object.fromEntries(FIELDS.map((f, i) => [f.key, new f.type(buffer, at[i], counts[f.count])])) as unknown as LinkIndexArrays;
}

/** The section's bytes: `a` from newLinkIndex, with the header written into it. */
export function encodeLinkIndex(a: LinkIndexArrays, tie: LinkIndexTie): Uint8Array {
  const n = a.name.length;
  const m = a.nameoff.length;
  const r = a.roff.length;
  const { at, size } = fieldOffsets({ n, m, r });
  const inPlace = HOST_LITTLE_ENDIAN && a.size.byteOffset === at[0];
  const out = inPlace ? new Uint8Array(a.size.buffer, 0, size) : new Uint8Array(size);
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const header = [LINK_INDEX_VERSION, n, m, r, tie.table, tie.strings, tie.sections, 0];
  header.forEach((v, i) => dv.setUint32(4 * i, v, true));
  if (!inPlace)
    FIELDS.forEach((f, i) => {
      const src = a[f.key];
      for (let k = 0; k < src.length; k++) put(dv, at[i] + k * f.type.BYTES_PER_ELEMENT, f, src[k]);
    });
  return out;
}

function put(dv: DataView, o: number, f: Field, v: number): void {
  if (f.type === Float64Array) dv.setFloat64(o, v, true);
  else if (f.type === Uint8Array) dv.setUint8(o, v);
  else dv.setUint32(o, v >>> 0, true);
}

/**
 * Views of an index section (`bytes` from `offset`, `size` bytes long), or
 * null when it is not one this reader can take as it is: another version,
 * tied to other tables than `tie`, or not viewable in place (a big-endian
 * host, or a section not 8-aligned in memory). Counts and sizes are checked
 * here; the values inside are the caller's to check.
 */
export function viewLinkIndex(bytes: Uint8Array, offset: number, size: number, tie: LinkIndexTie): LinkIndexArrays | null {
  const base = bytes.byteOffset + offset;
  if (!HOST_LITTLE_ENDIAN || base % 8 !== 0 || size < HEADER_WORDS * 4) return null;
  const h = new Uint32Array(bytes.buffer, base, HEADER_WORDS);
  if (h[0] !== LINK_INDEX_VERSION || h[4] !== tie.table || h[5] !== tie.strings || h[6] !== tie.sections) return null;
  const [n, m, r] = [h[1], h[2], h[3]];
  // Counts bounded by the section before anything is sized from them.
  if (n > size || m > size || r > size) return null;
  const counts = { n, m, r };
  const { at, size: want } = fieldOffsets(counts);
  if (want !== size) return null;
  const buffer = bytes.buffer as ArrayBuffer;
  return Object.fromEntries(FIELDS.map((f, i) => [f.key, new f.type(buffer, base + at[i], counts[f.count])])) as unknown as LinkIndexArrays;
}

// The index's checks, each a loop of its own over typed arrays: V8 compiles
// such a loop soon and well, where one loop doing all of them would stay slow
// through most of a file. Each returns the first entry that fails, or -1.

export function firstAtOrAbove(v: Uint32Array | Uint8Array, limit: number): number {
  for (let i = 0; i < v.length; i++) if (v[i] >= limit) return i;
  return -1;
}

/** The first target outside [min, m): ELF's symbol 0 is no symbol, Mach-O's is one. */
export function firstBadTarget(sym: Int32Array, min: number, m: number): number {
  for (let j = 0; j < sym.length; j++) if (sym[j] < min || sym[j] >= m) return j;
  return -1;
}

export function firstBadAddend(add: Float64Array): number {
  for (let j = 0; j < add.length; j++) {
    const v = add[j];
    if (!(Math.trunc(v) === v && Math.abs(v) <= 2 ** 64)) return j;
  }
  return -1;
}

/** The first relocation not inside its symbol's contents. */
export function firstRelocOutside(start: Int32Array, count: Int32Array, off: Int32Array, size: Uint8Array, symSize: Float64Array, dataOff: Int32Array): number {
  for (let k = 0; k < start.length; k++) {
    const end = start[k] + count[k];
    const limit = symSize[k];
    for (let j = start[k]; j < end; j++) if (off[j] < 0 || size[j] === 0 || size[j] > 8 || off[j] + size[j] > limit || dataOff[k] < 0) return j;
  }
  return -1;
}

/** What a format's reader adds to an index's arrays to make the linker's columns. */
export type DerivedColumns = Pick<SymbolColumns, 'kind' | 'size' | 'flags' | 'file' | 'dataOff' | 'dataLen' | 'bytes' | 'names' | 'name'>;

/** The linker's columns: the index's arrays as they are, with what the reader derived (checked already). */
export function indexColumns(a: LinkIndexArrays, derived: DerivedColumns): SymbolColumns {
  const m = a.nameoff.length;
  return {
    ...derived,
    count: a.name.length,
    nameId: a.name,
    align: a.align,
    line: a.line,
    relocs: new RelocTable(a.roff.length, m, derived.name, { off: a.roff, size: a.rsize, type: a.rtype, sym: a.rsym, add: a.add, line: a.rline }),
    relocStart: a.rstart,
    relocCount: a.rcount,
    nameCount: m,
    nameOff: a.nameoff,
    respelled: null,
  };
}
