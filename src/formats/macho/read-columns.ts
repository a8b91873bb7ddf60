// Reading an object asmlink wrote for darwin straight into the linker's
// columns (obj/columns.ts), as the ELF reader does: typed arrays for the
// definitions and relocations, names kept as bytes of the string table, the
// contents views of the file (on x86, of a copy whose relocated fields are
// zeroed: those hold the addends). read-object.ts makes a Symbol object per
// definition and a Reloc object per relocation instead, which in a large
// link is most of the time (the garbage collector copies them all); it stays
// the reader of every other object, the one that diagnoses malformed ones,
// and what `symbols` gives when something asks for them.
//
// What comes out is what read-object.ts would give, column for column
// (test/formats/macho/read-columns.test.ts holds the two to that): the
// definitions in the order of the __asmlink_syms note, with its sizes, flags,
// files and lines; relocations raised to asmlink's types with the addends
// taken out of the fields; imports' targets named by their local names. Any
// object this reader does not expect — no note, a name that is not ASCII, a
// structure out of place — makes it answer null, and read-object.ts reads it.

import { getAddend64, pointerTag } from '../../obj/bytes.js';
import { setColumns } from '../../obj/columns.js';
import { NameTable } from '../../obj/name-table.js';
import { DUPOK_BIT, FLAG_BITS, HIDDEN_BIT, LOCAL_BIT, RODATA_BIT, sharedFlags } from '../../obj/object-columns.js';
import { RELOC_TYPE_INDEX, RelocTable } from '../../obj/reloc-table.js';
import { symbolsWhenAsked, type ObjectFile, type SymFlags, type SymKind, type Symbol } from '../../obj/symbol.js';
import * as C from './consts.js';
import type { ArchName } from '../../target.js';
import { importLocalNames, readDynimportNotes } from './dynimport-note.js';
import { holdsConstructors, isCommonSymbol, isCompactUnwind, isThreadLocal, isWhole, kindOf, sectionNamed, unlinkedInitializers, type ObjectLayout, type RSect } from './object-layout.js';
import { SYMINFO_FIELDS, SYMINFO_MAGIC, SYMINFO_SECTION } from './syminfo-note.js';

/** The note's first field with its NUL: its bytes are compared, not decoded. */
const NOTE_MAGIC = SYMINFO_MAGIC + '\0';
const NON_ASCII = /[^\x00-\x7f]/;
const utf8 = new TextDecoder();

const T = RELOC_TYPE_INDEX;

/**
 * The object in columns, or null when read-object.ts must read it. `symbols`
 * makes the Symbol objects if something asks for them.
 */
export function readMachOColumns(b: Uint8Array, name: string, L: ObjectLayout, symbols: () => Symbol[]): ObjectFile | null {
  const { arch, is64, sects, symoff, nsyms, stroff, strsize } = L;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const within = (s: { offset: number; size: number }) => s.offset + s.size <= b.length;
  const noteSect = sectionNamed(sects, SYMINFO_SECTION);
  if (!noteSect || !within(noteSect) || noteSect.size < NOTE_MAGIC.length) return null;
  const noteEnd = noteSect.offset + noteSect.size;
  for (let i = 0; i < NOTE_MAGIC.length; i++) if (b[noteSect.offset + i] !== NOTE_MAGIC.charCodeAt(i)) return null;

  // Addresses and offsets are held as 32-bit integers: a number read from a
  // Float64Array is a new heap object each time in code V8 has not
  // optimized yet, and a link reads each several times. So an object whose
  // sections reach 2 GiB (a few huge GLOBLs) goes to the Symbol reader.
  // Below that, a symbol value that does not fit lies in no section: it
  // wraps to a negative start, which the section split refuses.
  for (const s of sects) if (s.addr + s.size > 0x7fffffff) return null;
  // Constructors and thread-local variables are read, and the forms the linker refuses refused with the reason, by the Symbol reader.
  if (sects.some((s) => holdsConstructors(s) || unlinkedInitializers(s) || isThreadLocal(s) || isCompactUnwind(s))) return null;

  // Names: the string table as one string (ASCII, so offsets are indexes).
  if (strsize === 0 || b[stroff + strsize - 1] !== 0) return null;
  const strText = utf8.decode(b.subarray(stroff, stroff + strsize));
  if (NON_ASCII.test(strText)) return null;
  const nl = is64 ? 16 : 12;
  const strx = new Uint32Array(nsyms);
  const ntype = new Uint8Array(nsyms);
  const nsect = new Uint8Array(nsyms);
  const ndesc = new Uint16Array(nsyms);
  const nvalue = new Int32Array(nsyms);
  for (let i = 0; i < nsyms; i++) {
    const e = symoff + i * nl;
    const x = dv.getUint32(e, true);
    if (x >= strsize || (is64 && dv.getUint32(e + 12, true) !== 0)) return null;
    strx[i] = x;
    ntype[i] = b[e + 4];
    nsect[i] = b[e + 5];
    ndesc[i] = dv.getUint16(e + 6, true);
    nvalue[i] = dv.getUint32(e + 8, true);
    // Common symbols are defined by the Symbol reader alone (the high word is 0, above).
    if (isCommonSymbol(ntype[i], nvalue[i])) return null;
  }
  const rawName = (i: number): string => strText.slice(strx[i], strText.indexOf('\0', strx[i]));

  const dynimports = readDynimportNotes(b, sects, name);
  if (dynimports === null) return null;
  // Key bytes of each name (obj/columns.ts): in the string table past the
  // leading `_`, or, for an import's target, its local name appended after it.
  const localOf = importLocalNames(dynimports);
  const nameOff = new Uint32Array(nsyms);
  const appended: string[] = [];
  let appendedLen = 0;
  for (let i = 0; i < nsyms; i++) {
    const local = localOf.size > 0 && (ntype[i] & C.N_TYPE) === C.N_UNDF ? localOf.get(rawName(i)) : undefined;
    if (local === undefined) {
      nameOff[i] = b[stroff + strx[i]] === 0x5f ? strx[i] + 1 : strx[i];
      continue;
    }
    if (NON_ASCII.test(local) || local.includes('\0')) return null;
    nameOff[i] = strsize + appendedLen;
    appended.push(local);
    appendedLen += local.length + 1;
  }
  const keys = new Uint8Array(strsize + appendedLen);
  keys.set(b.subarray(stroff, stroff + strsize));
  for (let i = 0, at = strsize; i < appended.length; i++) {
    const s = appended[i];
    for (let c = 0; c < s.length; c++) keys[at++] = s.charCodeAt(c);
    keys[at++] = 0;
  }
  const nameOf = (i: number): string => {
    const off = nameOff[i];
    if (off < strsize) return strText.slice(off, strText.indexOf('\0', off));
    let e = off;
    while (keys[e] !== 0) e++;
    return String.fromCharCode(...keys.subarray(off, e));
  };

  // The definitions as the symbol table splits the sections ("table
  // definitions", in section then address order): where each lies.
  const bySect: number[][] = sects.map(() => []);
  for (let i = 0; i < nsyms; i++) {
    if ((ntype[i] & 0xe0) !== 0 || (ntype[i] & 0x0e) !== C.N_SECT) continue;
    if (nsect[i] === 0 || nsect[i] > sects.length) return null;
    bySect[nsect[i] - 1].push(i);
  }
  const tSym = new Int32Array(nsyms);
  const tStart = new Int32Array(nsyms);
  const tEnd = new Int32Array(nsyms);
  const tKind: SymKind[] = [];
  const tAlign = new Int32Array(nsyms);
  const tBits = new Int32Array(nsyms);
  /** Where its bytes are in the file; -1: zero-fill. */
  const tFileOff = new Int32Array(nsyms);
  const firstOfSect = new Int32Array(sects.length + 1);
  let nt = 0;
  for (let idx = 0; idx < sects.length; idx++) {
    firstOfSect[idx] = nt;
    const s = sects[idx];
    const kind = kindOf(s);
    const mine = bySect[idx];
    if (!kind) continue;
    const zerofill = (s.flags & 0xff) === C.S_ZEROFILL;
    if ((!zerofill && !within(s)) || s.align > 31) return null;
    mine.sort((p, q) => nvalue[p] - nvalue[q] || p - q);
    if (mine.length === 0) {
      if (s.size > 0) return null;
      continue;
    }
    if (nvalue[mine[0]] !== s.addr && s.size > 0) return null;
    for (let k = 0; k < mine.length; k++) {
      const i = mine[k];
      const start = nvalue[i] - s.addr;
      const end = (k + 1 < mine.length ? nvalue[mine[k + 1]] : s.addr + s.size) - s.addr;
      if (start < 0 || end > s.size || end < start) return null;
      let align = 2 ** s.align;
      while (align > 1 && start % align !== 0) align /= 2;
      tSym[nt] = i;
      tStart[nt] = start;
      tEnd[nt] = end;
      tKind.push(kind);
      tAlign[nt] = align;
      tBits[nt] = ((ntype[i] & C.N_EXT) === 0 ? LOCAL_BIT : (ntype[i] & C.N_PEXT) !== 0 ? HIDDEN_BIT : 0) | ((ndesc[i] & C.N_WEAK_DEF) !== 0 ? DUPOK_BIT : 0) | (kind === 'rodata' ? RODATA_BIT : 0);
      tFileOff[nt] = zerofill ? -1 : s.offset + start;
      nt++;
    }
  }
  firstOfSect[sects.length] = nt;
  // The x86 fields are zeroed in one copy of the file, where the Symbol
  // reader zeroes each symbol's own copy: sections whose bytes overlap in
  // the file (only a damaged object has them) would then see each other's.
  if (overlapping(sects)) return null;
  // Bytes of its contents the symbol table gives it (up to the next symbol).
  const tExtent = new Int32Array(nt);
  for (let t = 0; t < nt; t++) tExtent[t] = tFileOff[t] < 0 ? 0 : tEnd[t] - tStart[t];

  // Relocations, raised, in file order.
  const bytes = arch === 'arm64' ? b : Uint8Array.prototype.slice.call(b);
  const raised = raiseRelocations({ b, dv, bytes, arch, sects, firstOfSect, tStart, tExtent, nsyms, nameOf });
  if (raised === null) return null;
  const { owner: rOwner, table: raw } = raised;
  const { off: rOff, size: rSize, type: rType, sym: rSym, add: rAdd, count: nrel } = raw;

  // The definitions in the note's order (its records name them, found by
  // the bytes of their names); any it does not name follow, in table order.
  const byName = new NameTable(nt);
  for (let t = 0; t < nt; t++) if (byName.add(keys, nameOff[tSym[t]], -1, t) !== -1) return null;
  const taken = new Uint8Array(nt);
  const order = new Int32Array(nt);
  const size = new Float64Array(nt);
  const align = new Int32Array(nt);
  const flags: SymFlags[] = [];
  const file: string[] = [];
  const line = new Int32Array(nt);
  /** Where each definition's list of relocation lines is in the note ([from, to) bytes; from > to: none). */
  const linesFrom = new Int32Array(nt);
  const linesTo = new Int32Array(nt);
  const field = new Int32Array(SYMINFO_FIELDS + 1);
  let n = 0;
  let prevFile = -1, prevFileLen = 0, prevFlags = -1, prevFlagsLen = 0;
  for (let p = noteSect.offset + NOTE_MAGIC.length; ; ) {
    // A record is complete when all its fields end in a NUL (syminfo-note.ts ignores a trailing partial one).
    let q = p;
    let f = 0;
    field[0] = p;
    while (f < SYMINFO_FIELDS) {
      const z = b.indexOf(0, q);
      if (z < 0 || z >= noteEnd) break;
      field[++f] = q = z + 1;
    }
    // The last field of the last record may end with the note instead.
    if (f === SYMINFO_FIELDS - 1) field[++f] = q = noteEnd + 1;
    if (f < SYMINFO_FIELDS) break;
    const t = byName.get(b, field[0], field[1] - 1 - field[0]);
    if (t < 0 || taken[t]) return null;
    taken[t] = 1;
    order[n] = t;
    const sz = decimal(b, field[1], field[2] - 1);
    if (!isWhole(sz, 0, 2 ** 53)) return null;
    size[n] = sz;
    const al = decimal(b, field[2], field[3] - 1) || 1;
    const ln = decimal(b, field[5], field[6] - 1);
    if (!isWhole(al, 1) || !isWhole(ln, 0)) return null;
    align[n] = al;
    const flagsLen = field[4] - 1 - field[3];
    if (prevFlags < 0 || !sameBytes(b, prevFlags, field[3], flagsLen, prevFlagsLen)) {
      const bits = flagBits(utf8.decode(b.subarray(field[3], field[3] + flagsLen)));
      if (bits < 0) return null;
      flags.push(sharedFlags(bits));
    } else flags.push(flags[n - 1]);
    prevFlags = field[3];
    prevFlagsLen = flagsLen;
    const fileLen = field[5] - 1 - field[4];
    file.push(prevFile >= 0 && sameBytes(b, prevFile, field[4], fileLen, prevFileLen) ? file[n - 1] : utf8.decode(b.subarray(field[4], field[4] + fileLen)));
    prevFile = field[4];
    prevFileLen = fileLen;
    line[n] = ln;
    linesFrom[n] = field[8];
    linesTo[n] = field[9] - 1;
    n++;
    p = q;
  }
  for (let t = 0; t < nt; t++) {
    if (taken[t]) continue;
    order[n] = t;
    size[n] = tEnd[t] - tStart[t];
    align[n] = tAlign[t];
    flags.push(sharedFlags(tBits[t]));
    file.push(name);
    linesFrom[n] = 1;
    linesTo[n] = 0;
    n++;
  }

  // Each definition's relocations as a run of the table, in offset order
  // (ties in file order): grouped by definition with a counting sort, then
  // each run sorted unless it is in order already (asmlink writes a
  // section's relocations in offset order; another order is sorted).
  const runAt = new Int32Array(nt + 1);
  for (let j = 0; j < nrel; j++) runAt[rOwner[j] + 1]++;
  for (let t = 0; t < nt; t++) runAt[t + 1] += runAt[t];
  const grouped = new Int32Array(nrel);
  const fill = runAt.slice(0, nt);
  for (let j = 0; j < nrel; j++) grouped[fill[rOwner[j]]++] = j;
  const relocs = new RelocTable(nrel, nsyms, nameOf);
  const relocStart = new Int32Array(n);
  const relocCount = new Int32Array(n);
  const dataOff = new Int32Array(n);
  const dataLen = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const t = order[k];
    dataOff[k] = tFileOff[t];
    dataLen[k] = Math.min(tExtent[t], size[k]);
    const from = runAt[t];
    const count = runAt[t + 1] - from;
    sortRun(grouped, from, count, rOff);
    relocStart[k] = relocs.count;
    relocCount[k] = count;
    for (let q = 0; q < count; q++) {
      const j = grouped[from + q];
      if (rOff[j] + rSize[j] > dataLen[k]) return null;
      relocs.push(rOff[j], rSize[j], rType[j], rSym[j], rAdd[j], 0);
    }
    if (!relocLines(b, linesFrom[k], linesTo[k], count, relocs.line, relocStart[k])) return null;
  }

  // In note order (loops, not from(): that makes an iterator result per element).
  const nameId = new Int32Array(n);
  const kind: SymKind[] = [];
  for (let k = 0; k < n; k++) {
    nameId[k] = tSym[order[k]];
    kind.push(tKind[order[k]]);
  }
  const obj = { target: { os: 'darwin', arch }, name, symbols: [] as Symbol[], dynimports } as ObjectFile;
  symbolsWhenAsked(obj, symbols, () => setColumns(obj, null));
  setColumns(obj, {
    count: n,
    nameId,
    kind,
    size,
    align,
    flags,
    file,
    line,
    dataOff,
    dataLen,
    bytes,
    names: keys,
    nameOff,
    respelled: null,
    relocs,
    relocStart,
    relocCount,
    nameCount: nsyms,
    name: nameOf,
  });
  return obj;
}

/** Whether two sections that hold symbols' contents share bytes of the file. */
export function overlapping(sects: readonly RSect[]): boolean {
  const held = sects.filter((s) => kindOf(s) !== undefined && (s.flags & 0xff) !== C.S_ZEROFILL && s.size > 0).sort((x, y) => x.offset - y.offset);
  for (let i = 1; i < held.length; i++) if (held[i].offset < held[i - 1].offset + held[i - 1].size) return true;
  return false;
}

/** Number(text) || 0 of the bytes [from, to), without making the string when they are all digits. */
function decimal(b: Uint8Array, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 9 || i - from > 15) return Number(utf8.decode(b.subarray(from, to))) || 0;
    v = v * 10 + d;
  }
  return v;
}

function sameBytes(b: Uint8Array, x: number, y: number, len: number, xLen: number): boolean {
  if (len !== xLen) return false;
  for (let i = 0; i < len; i++) if (b[x + i] !== b[y + i]) return false;
  return true;
}

/** FLAG_BITS of a comma-separated list of flag names; -1 if one is not a flag. */
function flagBits(list: string): number {
  let bits = 0;
  for (const f of list.split(',')) {
    if (!f) continue;
    const bit = FLAG_BITS.indexOf(f as keyof SymFlags);
    if (bit < 0) return -1;
    bits |= 1 << bit;
  }
  return bits;
}

/** Puts a definition's run of relocation indexes (entries [from, from + count) of `run`) in offset order, ties in file order. */
function sortRun(run: Int32Array, from: number, count: number, off: Int32Array): void {
  let ascending = true;
  let descending = true;
  for (let q = from + 1; q < from + count; q++) {
    if (off[run[q]] < off[run[q - 1]]) ascending = false;
    if (off[run[q]] >= off[run[q - 1]]) descending = false;
  }
  if (ascending) return;
  if (descending) {
    run.subarray(from, from + count).reverse();
    return;
  }
  const part = Array.from(run.subarray(from, from + count));
  part.sort((x, y) => off[x] - off[y] || x - y);
  run.set(part, from);
}

/**
 * Writes a definition's relocation lines (the note's comma-separated list in
 * bytes [from, to)) into `out` from `at`, when the list has one per
 * relocation; else leaves them 0, as the Symbol reader leaves them unset.
 * False when a line is not a whole number (a damaged note, which the Symbol
 * reader diagnoses).
 */
function relocLines(b: Uint8Array, from: number, to: number, count: number, out: Int32Array, at: number): boolean {
  // Items as split(',') makes them: none from an empty list, an empty one after a trailing comma.
  let n = 0;
  for (let i = from; i < to; ) {
    let e = b.indexOf(0x2c, i);
    if (e < 0 || e > to) e = to;
    if (n < count) {
      const v = decimal(b, i, e);
      if (!isWhole(v, 0)) return false;
      out[at + n] = v;
    }
    n++;
    if (e === to || n > count) break;
    i = e + 1;
    if (i === to) n++;
  }
  if (n !== count) out.fill(0, at, at + count);
  return true;
}


interface RaiseInput {
  b: Uint8Array;
  dv: DataView;
  /** Where the x86 fields are zeroed (a copy of b; b itself on arm64, whose fields hold no addends). */
  bytes: Uint8Array;
  arch: ArchName;
  sects: readonly RSect[];
  /** Table definitions of section idx: [firstOfSect[idx], firstOfSect[idx + 1]). */
  firstOfSect: Int32Array;
  tStart: Int32Array;
  tExtent: Int32Array;
  nsyms: number;
  nameOf: (i: number) => string;
}

/** Relocations in file order (their lines are left 0); `owner[j]` is the table definition entry j lies in. */
interface Raised {
  table: RelocTable;
  owner: Int32Array;
}

/** Every section's relocations raised to asmlink's types (what read-object.ts does entry by entry); null: not an object this reader takes. */
function raiseRelocations(I: RaiseInput): Raised | null {
  let max = 0;
  for (let idx = 0; idx < I.sects.length; idx++) if (I.firstOfSect[idx + 1] > I.firstOfSect[idx]) max += I.sects[idx].nreloc;
  const out: Raised = { table: new RelocTable(max, I.nsyms, I.nameOf), owner: new Int32Array(max) };
  for (let idx = 0; idx < I.sects.length; idx++) {
    if (I.firstOfSect[idx + 1] === I.firstOfSect[idx]) continue;
    const s = I.sects[idx];
    if (s.reloff + s.nreloc * 8 > I.b.length) return null;
    if (!(I.arch === 'arm64' ? raiseArm64(I, idx, out) : raiseX86(I, idx, out))) return null;
  }
  return out;
}

/** The table definition an offset of the section falls in: the last one starting at or before it; `hint` is tried first (entries come mostly in order). */
function ownerOf(tStart: Int32Array, t0: number, t1: number, off: number, hint: number): number {
  if (tStart[hint] <= off && (hint + 1 === t1 || tStart[hint + 1] > off)) return hint;
  let lo = t0;
  let hi = t1 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tStart[mid] <= off) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function push(out: Raised, t: number, off: number, size: number, type: number, sym: number, add: number): void {
  out.owner[out.table.count] = t;
  out.table.push(off, size, type, sym, add, 0);
}

/**
 * A relocation raised from Mach-O entries to asmlink's: its type (index in
 * RELOC_TYPES), field size and addend, and for arm64 where it is and its
 * target. The raise functions fill it, rather than return an object per
 * relocation; the Mach-O writer raises what it lowered with the same
 * functions for its link index (link-index.ts).
 */
export const raised = { type: 0, size: 0, add: 0, at: 0, sym: 0 };

/**
 * An x86 entry (amd64 or 386) raised into `raised`; false when it is not one
 * asmlink writes. `field` is the addend the field holds (64-bit for an
 * amd64 UNSIGNED entry of length 3), `next` the section address after the
 * field (a 386 pc-relative field is relative to it).
 */
export function raiseX86Entry(amd64: boolean, type: number, length: number, pcrel: boolean, field: number, next: number): boolean {
  let size = 4;
  let rt: number;
  let add = field;
  if (amd64) {
    if (type === C.X86_64_RELOC_BRANCH) rt = T.R_CALL;
    else if (type === C.X86_64_RELOC_SIGNED || (type >= C.X86_64_RELOC_SIGNED_1 && type <= C.X86_64_RELOC_SIGNED_4)) rt = T.R_PCREL;
    else if (type === C.X86_64_RELOC_GOT_LOAD || type === C.X86_64_RELOC_GOT) rt = T.R_GOTPCREL;
    else if (type === C.X86_64_RELOC_UNSIGNED && length === 3) rt = T.R_ADDR;
    else return false;
    if (rt === T.R_ADDR) size = 8;
  } else {
    if (type !== C.GENERIC_RELOC_VANILLA || length !== 2) return false;
    rt = pcrel ? T.R_CALL : T.R_ADDR;
    if (pcrel) add += next;
  }
  raised.type = rt;
  raised.size = size;
  raised.add = add;
  return true;
}

/** amd64 and 386: the addend is in the field, which is zeroed where it lies inside its symbol. */
function raiseX86(I: RaiseInput, idx: number, out: Raised): boolean {
  const { dv, bytes, tStart, tExtent } = I;
  const s = I.sects[idx];
  const t0 = I.firstOfSect[idx];
  const t1 = I.firstOfSect[idx + 1];
  const amd64 = I.arch === 'amd64';
  let t = t0;
  for (let i = 0; i < s.nreloc; i++) {
    const e = s.reloff + 8 * i;
    const address = dv.getInt32(e, true);
    const word = dv.getUint32(e + 4, true);
    const symnum = word & 0xffffff;
    const length = (word >>> 25) & 3;
    if (address < 0 || ((word >>> 27) & 1) === 0 || symnum >= I.nsyms || address + (length === 3 ? 8 : 4) > s.size) return false;
    t = ownerOf(tStart, t0, t1, address, t);
    const field = s.offset + address;
    const value = amd64 && length === 3 ? getAddend64(dv, field) : dv.getInt32(field, true);
    if (!raiseX86Entry(amd64, word >>> 28, length, ((word >>> 24) & 1) === 1, value, s.addr + address + 4)) return false;
    const off = address - tStart[t];
    const size = raised.size;
    push(out, t, off, size, raised.type, symnum, raised.add);
    if (off + size <= tExtent[t]) {
      // A tagged pointer's tag stays in the field, as the Symbol reader leaves it (addend64).
      const tag = size === 8 ? pointerTag(bytes[field + 7]) : 0;
      for (let q = 0; q < size; q++) bytes[field + q] = 0;
      bytes[field + size - 1] |= tag;
    }
  }
  return true;
}

/**
 * arm64's entries, one at a time in file order: an ADDEND entry gives the
 * next entry's addend, and a page entry and its page-offset entry become one
 * 8-byte relocation at the page entry.
 */
export class Arm64Raise {
  private addend = 0;
  private pageAt = -1;
  private pageSym = 0;
  private pageAdd = 0;
  private pageGot = false;

  /**
   * 1: a relocation is in `raised`; 0: the entry was taken (an ADDEND, a
   * page entry waiting for its page offset); -1: not what asmlink writes.
   * `field` is the 64-bit field of an UNSIGNED entry (0 for others);
   * `sameName` says whether two targets are one symbol.
   */
  entry(address: number, symnum: number, length: number, type: number, field: number, sameName: (a: number, b: number) => boolean): number {
    if (type === C.ARM64_RELOC_ADDEND) {
      this.addend = (symnum << 8) >> 8;
      return 0;
    }
    const add = this.addend;
    this.addend = 0;
    if (type === C.ARM64_RELOC_PAGE21 || type === C.ARM64_RELOC_GOT_LOAD_PAGE21) {
      // A page entry whose page offset never came is a half apart, which asmlink does not write (the Symbol reader takes it).
      if (this.pageAt >= 0) return -1;
      this.pageAt = address;
      this.pageSym = symnum;
      this.pageAdd = add;
      this.pageGot = type === C.ARM64_RELOC_GOT_LOAD_PAGE21;
      return 0;
    }
    if (type === C.ARM64_RELOC_PAGEOFF12 || type === C.ARM64_RELOC_GOT_LOAD_PAGEOFF12) {
      const got = type === C.ARM64_RELOC_GOT_LOAD_PAGEOFF12;
      if (this.pageAt < 0 || this.pageAt + 4 !== address || this.pageGot !== got || (this.pageSym !== symnum && !sameName(this.pageSym, symnum))) return -1;
      raised.at = this.pageAt;
      raised.sym = this.pageSym;
      raised.size = 8;
      raised.type = got ? T.R_ARM64_GOTPCREL : T.R_ADDRARM64;
      raised.add = this.pageAdd;
      this.pageAt = -1;
      return 1;
    }
    raised.at = address;
    raised.sym = symnum;
    if (type === C.ARM64_RELOC_BRANCH26) {
      raised.size = 4;
      raised.type = T.R_CALLARM64;
      raised.add = add;
    } else if (type === C.ARM64_RELOC_UNSIGNED && length === 3) {
      raised.size = 8;
      raised.type = T.R_ADDR;
      raised.add = add + field;
    } else return -1;
    return 1;
  }

  /** Whether every page entry found its page offset. */
  complete(): boolean {
    return this.pageAt < 0;
  }
}

/** arm64: addends come in ARM64_RELOC_ADDEND entries; a page relocation and its page offset become one 8-byte relocation. */
function raiseArm64(I: RaiseInput, idx: number, out: Raised): boolean {
  const { dv, tStart } = I;
  const s = I.sects[idx];
  const t0 = I.firstOfSect[idx];
  const t1 = I.firstOfSect[idx + 1];
  let t = t0;
  const pairs = new Arm64Raise();
  const sameName = (a: number, b: number) => I.nameOf(a) === I.nameOf(b);
  for (let i = 0; i < s.nreloc; i++) {
    const e = s.reloff + 8 * i;
    const address = dv.getInt32(e, true);
    const word = dv.getUint32(e + 4, true);
    const symnum = word & 0xffffff;
    const length = (word >>> 25) & 3;
    const type = word >>> 28;
    if (address < 0) return false;
    if (type !== C.ARM64_RELOC_ADDEND && (((word >>> 27) & 1) === 0 || symnum >= I.nsyms || address + (length === 3 ? 8 : 4) > s.size)) return false;
    const field = type === C.ARM64_RELOC_UNSIGNED && length === 3 ? getAddend64(dv, s.offset + address) : 0;
    const got = pairs.entry(address, symnum, length, type, field, sameName);
    if (got < 0) return false;
    if (got === 0) continue;
    t = ownerOf(tStart, t0, t1, raised.at, t);
    push(out, t, raised.at - tStart[t], raised.size, raised.type, raised.sym, raised.add);
  }
  return pairs.complete();
}
