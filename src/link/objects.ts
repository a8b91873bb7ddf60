// The linker's view of an input object: its definitions in columns and its
// names as keys it can hash and compare without making strings (names.ts).
// An object read from a file brings columns (obj/columns.ts) and is taken as
// it is; any other (assembled in this process, built through the API, or read
// and then asked for its `symbols`) is put in the same form from its Symbol
// objects, which stay what the linker reports and the API sees.

import { columnsOf, type DefinitionColumns } from '../obj/columns.js';
import { RELOC_TYPE_INDEX, RelocTable, TableSymbol } from '../obj/reloc-table.js';
import type { ObjectFile, SymFlags, SymKind, Symbol } from '../obj/symbol.js';
import { lineTablesOf, type Insts } from '../obj/line-tables.js';
import { columnData, sharedFlags, objectColumnsOf, type ObjectColumns } from '../obj/object-columns.js';

export interface LinkObj extends DefinitionColumns {
  obj: ObjectFile;
  /** Contents: `datas[k]` when set, else `dataLen[k]` bytes of `bytes` from `dataOff[k]`. */
  datas: Uint8Array[] | null;
  bytes: Uint8Array | null;
  /** The Symbol objects (index in obj.symbols per definition), when they are the source. */
  syms: Symbol[] | null;
  symIndex: Int32Array;
  /**
   * Name id → the `keyLen[id]` units of `keys` from `keyOff[id]`; keyLen
   * null: bytes up to a NUL. `suffixed[id]`: the name is that plus `<>` (see
   * obj/columns.ts).
   */
  keys: Uint8Array | Uint16Array;
  keyOff: Int32Array | Uint32Array;
  keyLen: Int32Array | null;
  suffixed: Uint8Array | null;
  /** Definition k's instructions with their source lines (for debugging information), when the object has them. */
  insts: ((k: number) => Insts | undefined) | null;
}

/** The linker's form of an object. */
export function linkObject(obj: ObjectFile): LinkObj {
  const assembled = objectColumnsOf(obj);
  if (assembled !== null) return fromObjectColumns(obj, assembled);
  const c = columnsOf(obj);
  if (c === null) return fromSymbols(obj);
  const symIndex = identity(c.count);
  return {
    obj,
    count: c.count,
    nameId: c.nameId,
    kind: c.kind,
    size: c.size,
    align: c.align,
    flags: c.flags,
    file: c.file,
    line: c.line,
    datas: null,
    bytes: c.bytes,
    dataOff: c.dataOff,
    dataLen: c.dataLen,
    relocs: c.relocs,
    relocStart: c.relocStart,
    relocCount: c.relocCount,
    syms: null,
    symIndex,
    nameCount: c.nameCount,
    keys: c.names,
    keyOff: c.nameOff,
    keyLen: null,
    suffixed: c.respelled,
    name: c.name,
    insts: lineTablesFor(obj, c.name, c.nameId),
  };
}

/**
 * An object assembled in this process, from the assembler's columns
 * (obj/object-columns.ts): no Symbol object per definition is made, and the
 * relocations are taken as they are (their targets are ids of the same names).
 */
function fromObjectColumns(obj: ObjectFile, c: ObjectColumns): LinkObj {
  const n = c.count;
  const flags: SymFlags[] = [];
  const datas: Uint8Array[] = [];
  for (let k = 0; k < n; k++) {
    flags.push(sharedFlags(c.flagBits[k]));
    datas.push(columnData(c, k));
  }
  const symIndex = identity(n);
  const names = c.names;
  return {
    obj,
    count: n,
    nameId: c.nameId,
    kind: c.kind as SymKind[],
    size: c.size,
    align: c.align,
    flags,
    file: c.file as string[],
    line: c.line,
    datas,
    bytes: null,
    dataOff: new Int32Array(n),
    dataLen: c.dataLen,
    relocs: c.relocs,
    relocStart: c.relocStart,
    relocCount: c.relocCount,
    syms: null,
    symIndex,
    nameCount: names.length,
    ...utf16Keys(names),
    suffixed: null,
    name: (id) => names[id],
    insts: c.insts === null ? null : (k) => c.insts![k]?.(),
  };
}

/** Definition k's instructions from the line tables its reader recorded, if any (LinkObj.insts). */
function lineTablesFor(obj: ObjectFile, name: (id: number) => string, nameId: Int32Array): LinkObj['insts'] {
  const tables = lineTablesOf(obj);
  return tables === null ? null : (k) => tables(k, name(nameId[k]));
}

/** [0, 1, ..., n - 1]: definition k is obj.symbols[k] (objects whose symbols are all definitions). */
function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let k = 0; k < n; k++) a[k] = k;
  return a;
}

/** Names as UTF-16 code units (exactly the strings, whatever they hold), for the linker's name table. */
function utf16Keys(names: readonly string[]): { keys: Uint16Array; keyOff: Int32Array; keyLen: Int32Array } {
  let units = 0;
  for (const n of names) units += n.length;
  const keys = new Uint16Array(units);
  const keyOff = new Int32Array(names.length);
  const keyLen = new Int32Array(names.length);
  let at = 0;
  for (let id = 0; id < names.length; id++) {
    const n = names[id];
    keyOff[id] = at;
    keyLen[id] = n.length;
    for (let i = 0; i < n.length; i++) keys[at++] = n.charCodeAt(i);
  }
  return { keys, keyOff, keyLen };
}

/**
 * Columns made from Symbol objects. Names become UTF-16 code units (exactly
 * the strings, whatever they hold); relocations are copied into one table
 * whose targets are ids of these names, from the symbol's own table (a
 * TableSymbol whose relocations were never made into objects) or its Reloc
 * objects.
 */
function fromSymbols(obj: ObjectFile): LinkObj {
  const symbols = obj.symbols;
  const lineTables = lineTablesOf(obj);
  const names: string[] = [];
  const ids = new Map<string, number>();
  const idOf = (name: string): number => {
    let id = ids.get(name);
    if (id === undefined) {
      id = names.length;
      ids.set(name, id);
      names.push(name);
    }
    return id;
  };
  let count = 0;
  let nrel = 0;
  for (const s of symbols) {
    if (s.kind === 'undef' || s.kind === 'dynimport') continue;
    count++;
    const t = TableSymbol.tableOf(s);
    nrel += t ? (s as TableSymbol).relocCount : s.relocs.length;
  }
  const nameId = new Int32Array(count);
  const kind = [] as SymKind[];
  const size = new Float64Array(count);
  const align = new Int32Array(count);
  const flags = [] as SymFlags[];
  const file = [] as string[];
  const line = new Int32Array(count);
  const datas = [] as Uint8Array[];
  const dataLen = new Int32Array(count);
  const relocStart = new Int32Array(count);
  const relocCount = new Int32Array(count);
  const syms = [] as Symbol[];
  const symIndex = new Int32Array(count);
  const empty = new Uint8Array(0);
  // JS arrays grow by appending (k is their length): a large `new Array(n)` is a slow dictionary.
  let k = 0;
  for (let si = 0; si < symbols.length; si++) {
    const s = symbols[si];
    if (s.kind === 'undef' || s.kind === 'dynimport') continue;
    nameId[k] = idOf(s.name);
    kind[k] = s.kind;
    size[k] = s.size;
    align[k] = s.align;
    flags[k] = s.flags;
    file[k] = s.file;
    line[k] = s.line;
    datas[k] = s.data ?? empty;
    dataLen[k] = datas[k].length;
    syms[k] = s;
    symIndex[k] = si;
    const t = TableSymbol.tableOf(s);
    if (t) {
      const ts = s as TableSymbol;
      for (let j = ts.relocStart; j < ts.relocStart + ts.relocCount; j++) idOf(t.name(t.sym[j]));
    } else for (const r of s.relocs) idOf(r.sym);
    k++;
  }
  // The table is made knowing every name.
  const relocs = new RelocTable(nrel, names.length, (i) => names[i]);
  for (k = 0; k < count; k++) {
    const s = syms[k];
    relocStart[k] = relocs.count;
    const t = TableSymbol.tableOf(s);
    if (t) {
      const ts = s as TableSymbol;
      for (let j = ts.relocStart; j < ts.relocStart + ts.relocCount; j++) relocs.push(t.off[j], t.size[j], t.type[j], ids.get(t.name(t.sym[j]))!, t.add[j], t.line[j]);
    } else for (const r of s.relocs) relocs.push(r.off, r.size, RELOC_TYPE_INDEX[r.type], ids.get(r.sym)!, r.add, r.line ?? 0);
    relocCount[k] = relocs.count - relocStart[k];
  }
  return {
    obj,
    count,
    nameId,
    kind,
    size,
    align,
    flags,
    file,
    line,
    datas,
    bytes: null,
    dataOff: new Int32Array(count),
    dataLen,
    relocs,
    relocStart,
    relocCount,
    syms,
    symIndex,
    nameCount: names.length,
    ...utf16Keys(names),
    suffixed: null,
    name: (id) => names[id],
    insts: (k) => syms[k].insts ?? lineTables?.(symIndex[k], syms[k].name),
  };
}
