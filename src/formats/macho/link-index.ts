// The link index of a Mach-O object (obj/link-index.ts): the columns the
// linker reads, in __DWARF,__asmlink_link, so that a link takes views of the
// file where read-columns.ts decodes the symbol table, the relocations and
// the syminfo note entry by entry. A debug section, as the notes are: ld64
// and lld leave it out of what they link.
//
// The writer makes it from what it wrote, and it must say exactly what
// read-columns.ts makes of the same file (tests and the fuzz campaign hold
// the index's columns and the table reader's to the Symbol objects). So the
// relocations are raised from the entries the writer lowered them to with the
// reader's own functions (raiseX86Entry, Arm64Raise), and every value the
// reader would decode from text is taken as it would decode it. Where the
// reader would not take the object into columns at all (a name that is not
// ASCII, a size that is not a whole number, a relocation outside what the
// symbol table gives its symbol...), there is no index and the reader's
// choice stands. What the columns hold that is not in the string table
// (source file names, imports' local names) is added to the string table
// after the names, where other tools never look.

import { newLinkIndex, type LinkIndexArrays } from '../../obj/link-index.js';
import { FLAG_BITS, flagsToBits } from '../../obj/object-columns.js';
import type { SymFlags, Symbol } from '../../obj/symbol.js';
import * as C from './consts.js';
import { importLocalNames } from './dynimport-note.js';
import type { SectionKind } from './sections.js';
import { isWhole } from './object-layout.js';

export const LINK_INDEX_SECTION: SectionKind = {
  segname: '__DWARF',
  sectname: '__asmlink_link',
  flags: C.S_REGULAR | C.S_ATTR_DEBUG,
  zerofill: false,
};

/** Where the index must start in the file, so that its arrays are views in place. */
export const LINK_INDEX_ALIGN = 8;

/** One definition as the object holds it. */
export interface IndexDefinition {
  sym: Symbol;
  /** n_sect, and the offset in that section. */
  sect: number;
  off: number;
  /** Its symbol table index. */
  nlist: number;
  /** Its relocations: entries [relocFrom, relocTo) of IndexInput.relocs (five numbers each). */
  relocFrom: number;
  relocTo: number;
}

export interface IndexSection {
  size: number;
  zerofill: boolean;
}

export interface IndexInput {
  /** The definitions in the order of the syminfo note. */
  defs: readonly IndexDefinition[];
  /** Every definition's relocations raised (read-columns.ts), in file order: off, size, type, target, addend per entry. */
  relocs: readonly number[];
  /** Each section's size and kind, by n_sect - 1. */
  sections: readonly IndexSection[];
  /** The symbol table's names, and where each starts in the string table (whose size is strsize). */
  names: readonly string[];
  strx: readonly number[];
  strsize: number;
  /** Index of the first undefined symbol (they come last). */
  firstUndefined: number;
  /** The imports as the object's note gives them back. */
  imports: Parameters<typeof importLocalNames>[0];
}

export interface PlannedIndex {
  /** Filled, without the header (the tie is known once the string table is). */
  arrays: LinkIndexArrays;
  /** Bytes to append to the string table (from strsize, which the offsets assume). */
  strings: Uint8Array;
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * A number as the reader decodes the text the note writes for it
 * (read-columns.ts `decimal`); a small whole number is itself.
 */
const noted = (v: unknown): number => (typeof v === 'number' && v >= 0 && v < 2 ** 31 && (v | 0) === v ? v : Number(String(v)) || 0);

/** The index, or null where the columns reader would not take the object. */
export function planLinkIndex(I: IndexInput): PlannedIndex | null {
  const { defs, names } = I;
  for (const name of names) if (NON_ASCII.test(name) || name.includes('\0')) return null;
  const n = defs.length;
  const m = names.length;
  const r = I.relocs.length / 5;
  const a = newLinkIndex(n, m, r);

  const encoder = new TextEncoder();
  const added: Uint8Array[] = [];
  let end = I.strsize;
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

  // What the symbol table gives each definition (read-columns.ts): up to the
  // next one in its section, in address then table order; a relocation
  // belongs to the last definition starting at or before it.
  const extent = new Map<IndexDefinition, number>();
  const bySect = I.sections.map((): IndexDefinition[] => []);
  for (const d of defs) bySect[d.sect - 1]!.push(d);
  for (let i = 0; i < bySect.length; i++) {
    const list = bySect[i]!.sort((x, y) => x.off - y.off || x.nlist - y.nlist);
    for (let k = 0; k < list.length; k++) {
      const next = k + 1 < list.length ? list[k + 1]!.off : I.sections[i]!.size;
      // A definition another starts at too: the later one takes its relocations.
      if (list[k]!.relocTo > list[k]!.relocFrom && next === list[k]!.off) return null;
      extent.set(list[k]!, I.sections[i]!.zerofill ? 0 : next - list[k]!.off);
    }
  }

  let rAt = 0;
  for (let k = 0; k < n; k++) {
    const d = defs[k]!;
    const s = d.sym;
    const size = noted(s.size);
    const align = noted(s.align) || 1;
    const line = noted(s.line);
    if (!isWhole(size, 0, 2 ** 53) || !isWhole(align, 1) || !isWhole(line, 0)) return null;
    const flags = flagBits(s.flags);
    if (flags < 0 || s.file.includes('\0')) return null;
    // The index reader takes a definition's contents to be its size.
    const zerofill = I.sections[d.sect - 1]!.zerofill;
    const dataLen = Math.min(extent.get(d)!, size);
    if (dataLen !== (zerofill ? 0 : size)) return null;
    a.size[k] = size;
    a.name[k] = d.nlist;
    a.align[k] = align;
    a.flags[k] = flags * 16;
    a.file[k] = s.file === '' ? 0 : stringAt(s.file);
    a.line[k] = line;
    a.shndx[k] = d.sect;
    a.value[k] = d.off;

    const count = d.relocTo - d.relocFrom;
    a.rstart[k] = rAt;
    a.rcount[k] = count;
    if (!putRelocs(a, rAt, I.relocs, d.relocFrom, count, s, dataLen)) return null;
    rAt += count;
  }

  // Names as the linker knows them: past the leading `_`, or an import's local name.
  const localOf = importLocalNames(I.imports);
  for (let i = 0; i < m; i++) {
    const local = i >= I.firstUndefined && localOf.size > 0 ? localOf.get(names[i]!) : undefined;
    if (local === undefined) {
      a.nameoff[i] = names[i]!.startsWith('_') ? I.strx[i]! + 1 : I.strx[i]!;
      continue;
    }
    if (NON_ASCII.test(local) || local.includes('\0')) return null;
    a.nameoff[i] = stringAt(local);
  }

  const strings = new Uint8Array(end - I.strsize);
  let at = 0;
  for (const s of added) {
    strings.set(s, at);
    at += s.length;
  }
  return { arrays: a, strings };
}

/**
 * A definition's relocations into the index from `at`: in offset order, ties
 * in file order, each with its line where the note lists one per entry (it
 * lists one per relocation the symbol has, R_CALLIND included, in offset
 * order). False where the reader would not take them.
 */
function putRelocs(a: LinkIndexArrays, at: number, raised: readonly number[], from: number, count: number, s: Symbol, dataLen: number): boolean {
  const off = (j: number): number => raised[5 * (from + j)]!;
  let inOrder = true;
  for (let j = 1; j < count && inOrder; j++) inOrder = off(j) >= off(j - 1);
  const order = inOrder ? null : Array.from({ length: count }, (_, j) => j).sort((x, y) => off(x) - off(y) || x - y);
  const rs = s.relocs;
  let linesInOrder = true;
  for (let j = 1; j < rs.length && linesInOrder; j++) linesInOrder = rs[j]!.off >= rs[j - 1]!.off;
  const listed = linesInOrder ? rs : [...rs].sort((x, y) => x.off - y.off);
  for (let j = 0; j < listed.length; j++) if (!isWhole(noted(listed[j]!.line ?? 0), 0)) return false;
  for (let q = 0; q < count; q++) {
    const e = 5 * (from + (order ? order[q]! : q));
    const size = raised[e + 1]!;
    if (raised[e]! < 0 || raised[e]! + size > dataLen) return false;
    a.roff[at + q] = raised[e]!;
    a.rsize[at + q] = size;
    a.rtype[at + q] = raised[e + 2]!;
    a.rsym[at + q] = raised[e + 3]!;
    a.add[at + q] = raised[e + 4]!;
    a.rline[at + q] = listed.length === count ? noted(listed[q]!.line ?? 0) : 0;
  }
  return true;
}

/** FLAG_BITS of the flags the note lists (those set); -1 if one is not a flag. */
function flagBits(flags: SymFlags): number {
  for (const k of Object.keys(flags)) if (flags[k as keyof SymFlags] && !FLAG_BITS.includes(k as keyof SymFlags)) return -1;
  return flagsToBits(flags);
}
