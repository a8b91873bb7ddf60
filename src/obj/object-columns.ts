// An object's defined symbols in columns, as the assembler builds them: one
// set of typed arrays for the whole object instead of a Symbol, a flags
// object, a contents view and a Reloc per relocation kept for each
// definition. A large file has tens of thousands of functions and hundreds
// of thousands of relocations; kept as objects until the object is written,
// they are what the garbage collector spends its time copying. The ELF object
// writer takes the columns as they are; everything else asks for `symbols`,
// which are made from the columns then (and from then on are the truth: the
// columns are dropped, as with the reader's columns in columns.ts).

import { stringHash } from './name-table.js';
import { RelocTable, RELOC_TYPE_INDEX, TableSymbol } from './reloc-table.js';
import { symbolsWhenAsked, type DynImport, type InstInfo, type ObjectFile, type SymFlags, type SymKind, type Symbol } from './symbol.js';
import type { SourcePos } from '../diag.js';
import type { Target } from '../target.js';

/** The flag names in bit order: the bits are what objects store (.asmlink.syminfo, .asmlink.link). */
export const FLAG_BITS: readonly (keyof SymFlags)[] = ['dupok', 'local', 'nosplit', 'noframe', 'wrapper', 'topframe', 'rodata', 'noptr'];
export const DUPOK_BIT = 1 << FLAG_BITS.indexOf('dupok');
/**
 * SymFlags.ifunc, which only ELF objects express (as the symbol's type): a
 * bit of the columns beyond FLAG_BITS and the ELF symbol note's own bits
 * (0x100, 0x200), so that no object format's flags change.
 */
export const IFUNC_BIT = 0x400;
/** SymFlags.hidden, which only ELF objects express (as the symbol's visibility), likewise. */
export const HIDDEN_BIT = 0x800;
const ALL_BITS = ((1 << FLAG_BITS.length) - 1) | IFUNC_BIT | HIDDEN_BIT;
export const LOCAL_BIT = 1 << FLAG_BITS.indexOf('local');
export const RODATA_BIT = 1 << FLAG_BITS.indexOf('rodata');

/** The FLAG_BITS of a flag object. */
export function flagsToBits(f: SymFlags): number {
  let b = (f.ifunc ? IFUNC_BIT : 0) | (f.hidden ? HIDDEN_BIT : 0);
  for (let i = 0; i < FLAG_BITS.length; i++) if (f[FLAG_BITS[i]]) b |= 1 << i;
  return b;
}

function bitsToFlags(b: number): SymFlags {
  const f: SymFlags = {};
  for (let i = 0; i < FLAG_BITS.length; i++) if (b & (1 << i)) f[FLAG_BITS[i]] = true;
  if (b & IFUNC_BIT) f.ifunc = true;
  if (b & HIDDEN_BIT) f.hidden = true;
  return f;
}

const frozen: (SymFlags | undefined)[] = [];
/** The flags with these FLAG_BITS (other bits are ignored), one frozen object per combination: symbols share them. */
export function sharedFlags(bits: number): SymFlags {
  const b = bits & ALL_BITS;
  return (frozen[b] ??= Object.freeze(bitsToFlags(b)));
}

export interface ObjectColumns {
  /** Number of defined symbols, in the object's order. */
  count: number;
  /** Per symbol: the id of its name (an index into `names`, shared with relocation targets). */
  nameId: Int32Array;
  names: readonly string[];
  kind: readonly SymKind[];
  /** The symbol's size; its extent is the larger of this and dataLen. */
  size: Float64Array;
  align: Int32Array;
  /** FLAG_BITS. */
  flagBits: Uint16Array;
  file: readonly string[];
  line: Int32Array;
  /** TEXT's frame and argument sizes; NaN when the symbol has none. */
  frameSize: Float64Array;
  argsSize: Float64Array;
  /** Contents: dataLen bytes of chunks[chunk] from dataOff. */
  chunks: readonly Uint8Array[];
  chunk: Int32Array;
  dataOff: Int32Array;
  dataLen: Int32Array;
  /** Relocations: entries [relocStart, relocStart + relocCount) of `relocs`, targets named by id. */
  relocs: RelocTable;
  relocStart: Int32Array;
  relocCount: Int32Array;
  /** Per symbol, the assembler's per-instruction records when it kept them (else null). */
  insts: readonly ((() => InstInfo[]) | undefined)[] | null;
}

const CHUNK = 1 << 20;
/** Contents this large keep their own array rather than a copy in a chunk. */
const OWN_CHUNK = 1 << 16;

function grown<T extends Int32Array | Float64Array | Uint16Array | Uint8Array>(a: T, n: number): T {
  if (n <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

/**
 * Builds ObjectColumns one definition at a time. Names get ids as they are
 * first seen, as a definition, a relocation target or a `define` check.
 */
export class ObjectColumnsBuilder {
  /**
   * Names by id, and their ids in an open-addressing table over the names'
   * hashes (stringHash): measured on a 1.4 M-line file, a Map of the parser's strings
   * took ~440 ns a lookup (each string new, hashed and compared where it lies).
   */
  private readonly names: string[] = [];
  private nameHash = new Int32Array(1024);
  private slots = new Int32Array(2048).fill(-1);
  /** Per name id: whether and where `define` first saw it. */
  private defined = new Uint8Array(1024);
  private defLine = new Int32Array(1024);
  private defCol = new Int32Array(1024);
  private readonly defFile: string[] = [];

  private n = 0;
  private nameId = new Int32Array(1024);
  private readonly kind: SymKind[] = [];
  private size = new Float64Array(1024);
  private align = new Int32Array(1024);
  private flagBits = new Uint16Array(1024);
  private readonly file: string[] = [];
  private line = new Int32Array(1024);
  private frameSize = new Float64Array(1024);
  private argsSize = new Float64Array(1024);
  private chunk = new Int32Array(1024);
  private dataOff = new Int32Array(1024);
  private dataLen = new Int32Array(1024);
  private relocStart = new Int32Array(1024);
  private relocCount = new Int32Array(1024);
  private insts: ((() => InstInfo[]) | undefined)[] | null = null;

  // Starts with an empty chunk, where symbols without contents point until there is another.
  private cur = new Uint8Array(0);
  private readonly chunks: Uint8Array[] = [this.cur];
  /** The index of `cur` in `chunks` (symbols with chunks of their own come between). */
  private curIndex = 0;
  private used = 0;

  private nrel = 0;
  private rOff = new Int32Array(4096);
  private rSize = new Uint8Array(4096);
  private rType = new Uint8Array(4096);
  private rSym = new Int32Array(4096);
  private rAdd = new Float64Array(4096);
  private rLine = new Int32Array(4096);

  /** The id of a name, given one if it has none yet. */
  id(name: string): number {
    const h = stringHash(name);
    const slots = this.slots;
    const mask = slots.length - 1;
    let s = h & mask;
    for (let id = slots[s]; id >= 0; id = slots[s]) {
      if (this.nameHash[id] === h && this.names[id] === name) return id;
      s = (s + 1) & mask;
    }
    const id = this.names.length;
    this.names.push(name);
    this.defFile.push('');
    // Checked here: grown() sees arrays of every type, so each call of it is slow.
    if (id === this.defined.length) {
      this.nameHash = grown(this.nameHash, id + 1);
      this.defined = grown(this.defined, id + 1);
      this.defLine = grown(this.defLine, id + 1);
      this.defCol = grown(this.defCol, id + 1);
    }
    this.nameHash[id] = h;
    if (2 * (id + 1) > slots.length) this.rehash(slots.length * 2);
    else slots[s] = id;
    return id;
  }

  /** Places every name in a new table of `size` slots (a power of two). */
  private rehash(size: number): void {
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let id = 0; id < this.names.length; id++) {
      let s = this.nameHash[id] & mask;
      while (slots[s] >= 0) s = (s + 1) & mask;
      slots[s] = id;
    }
    this.slots = slots;
  }

  /**
   * Records that name is defined at pos and returns its id; or -1 when it
   * was defined before (`definedAt` says where), recording nothing.
   */
  define(name: string, pos: SourcePos): number {
    const id = this.id(name);
    if (this.defined[id]) return -1;
    this.defined[id] = 1;
    this.defFile[id] = pos.file;
    this.defLine[id] = pos.line;
    this.defCol[id] = pos.col;
    return id;
  }

  /** Where `define` first saw name. */
  definedAt(name: string): SourcePos {
    const id = this.id(name);
    return { file: this.defFile[id], line: this.defLine[id], col: this.defCol[id] };
  }

  /**
   * Adds a defined symbol, copying what it holds; insts, when given, is kept
   * to make its `insts`; nameId, when given, is its name's id (as `define`
   * returned it), saving a lookup. With copy false its contents are kept as
   * they are, not copied (the caller will not change them).
   */
  add(s: Symbol, insts?: () => InstInfo[], nameId = this.id(s.name), copy = true): void {
    const i = this.n++;
    if (i === this.nameId.length) this.grow(i + 1);
    this.nameId[i] = nameId;
    this.kind.push(s.kind);
    this.size[i] = s.size;
    this.align[i] = s.align;
    this.flagBits[i] = flagsToBits(s.flags);
    this.file.push(s.file);
    this.line[i] = s.line;
    this.frameSize[i] = s.frameSize ?? NaN;
    this.argsSize[i] = s.argsSize ?? NaN;
    this.putData(i, s.data, copy);
    if (insts) {
      this.insts ??= [];
      this.insts[i] = insts;
    }
    const rs = s.relocs;
    this.relocStart[i] = this.nrel;
    this.relocCount[i] = rs.length;
    const need = this.nrel + rs.length;
    if (need > this.rOff.length) this.growRelocs(need);
    for (let q = 0; q < rs.length; q++) {
      const r = rs[q];
      const k = this.nrel++;
      this.rOff[k] = r.off;
      this.rSize[k] = r.size;
      this.rType[k] = RELOC_TYPE_INDEX[r.type];
      this.rSym[k] = this.id(r.sym);
      this.rAdd[k] = r.add;
      this.rLine[k] = r.line ?? 0;
    }
  }

  /** Definitions added so far. */
  get count(): number {
    return this.n;
  }

  /**
   * Takes other columns' contents as they are (their chunks become ours, not
   * copied); returns what addFrom adds to their chunk numbers.
   */
  adoptChunks(from: ObjectColumns): number {
    const base = this.chunks.length;
    this.chunks.push(...from.chunks);
    return base;
  }

  /**
   * Adds definitions [i0, i1) of other columns, whose chunks adoptChunks
   * took (at chunkBase), as add() after define() would have added the
   * Symbols they stand for, so that names get the ids they would have got.
   * ids maps their name ids to ours (-1: not yet asked; filled here).
   * constant, when given, says which names are float constants: added
   * without being defined, or skipped when added before. Source lines move
   * by lineOffset. Returns -1, or the first definition whose name was
   * defined before (which is not added, nor are those after it).
   */
  addFrom(from: ObjectColumns, i0: number, i1: number, chunkBase: number, ids: Int32Array, lineOffset: number, constant?: (name: string) => 'add' | 'skip' | undefined): number {
    if (i0 >= i1) return -1;
    const { names, relocs: r } = from;
    // Room for everything at once: growing (and rehashing the names) as it comes is most of the work.
    const relFirst = from.relocStart[i0];
    const relEnd = from.relocStart[i1 - 1] + from.relocCount[i1 - 1];
    if (this.n + (i1 - i0) > this.nameId.length) this.grow(this.n + (i1 - i0));
    if (this.nrel + (relEnd - relFirst) > this.rOff.length) this.growRelocs(this.nrel + (relEnd - relFirst));
    if (2 * (this.names.length + names.length) > this.slots.length) this.rehash(1 << Math.ceil(Math.log2(2 * (this.names.length + names.length))));
    const relocBase = this.nrel;
    const rSym = this.rSym;
    let skipped = false;
    for (let i = i0; i < i1; i++) {
      const fromId = from.nameId[i];
      let id = ids[fromId];
      if (id < 0) id = ids[fromId] = this.id(names[fromId]);
      const c = constant?.(names[fromId]);
      const start = from.relocStart[i];
      const count = from.relocCount[i];
      if (c === 'skip') {
        // The relocations before it are one block, copied now; those after it are copied one by one.
        if (!skipped) this.copyRelocBlock(r, relFirst, start, relocBase, lineOffset);
        skipped = true;
        continue;
      }
      const line = from.line[i] + lineOffset;
      if (c !== 'add') {
        if (this.defined[id]) return i;
        this.defined[id] = 1;
        this.defFile[id] = from.file[i];
        this.defLine[id] = line;
        this.defCol[id] = 0;
      }
      const k = this.n++;
      this.nameId[k] = id;
      this.kind.push(from.kind[i]);
      this.size[k] = from.size[i];
      this.align[k] = from.align[i];
      this.flagBits[k] = from.flagBits[i];
      this.file.push(from.file[i]);
      this.line[k] = line;
      this.frameSize[k] = from.frameSize[i];
      this.argsSize[k] = from.argsSize[i];
      this.chunk[k] = chunkBase + from.chunk[i];
      this.dataOff[k] = from.dataOff[i];
      this.dataLen[k] = from.dataLen[i];
      // Targets get their ids here, in add()'s order; the rest is copied below (or here, after a skip).
      this.relocStart[k] = this.nrel;
      this.relocCount[k] = count;
      for (let q = start; q < start + count; q++) {
        const target = r.sym[q];
        let tid = ids[target];
        if (tid < 0) tid = ids[target] = this.id(names[target]);
        if (skipped) this.copyReloc(this.nrel, r, q, tid, lineOffset);
        else rSym[this.nrel] = tid;
        this.nrel++;
      }
    }
    // Without a skipped constant (which has no relocations), the run's relocations are one block.
    if (!skipped) this.copyRelocBlock(r, relFirst, relEnd, relocBase, lineOffset);
    return -1;
  }

  /** Copies relocations [from, to) of r but their targets to `at` on. */
  private copyRelocBlock(r: RelocTable, from: number, to: number, at: number, lineOffset: number): void {
    this.rOff.set(r.off.subarray(from, to), at);
    this.rSize.set(r.size.subarray(from, to), at);
    this.rType.set(r.type.subarray(from, to), at);
    this.rAdd.set(r.add.subarray(from, to), at);
    const line = this.rLine;
    for (let q = from; q < to; q++) line[at + (q - from)] = movedLine(r.line[q], lineOffset);
  }

  private copyReloc(at: number, r: RelocTable, q: number, sym: number, lineOffset: number): void {
    this.rOff[at] = r.off[q];
    this.rSize[at] = r.size[q];
    this.rType[at] = r.type[q];
    this.rSym[at] = sym;
    this.rAdd[at] = r.add[q];
    this.rLine[at] = movedLine(r.line[q], lineOffset);
  }

  private putData(i: number, data: Uint8Array, copy: boolean): void {
    const len = data.length;
    this.dataLen[i] = len;
    if (len >= OWN_CHUNK || (!copy && len > 0)) {
      this.chunk[i] = this.chunks.length;
      this.dataOff[i] = 0;
      this.chunks.push(data);
      return;
    }
    if (this.used + len > this.cur.length) {
      this.cur = new Uint8Array(CHUNK);
      this.used = 0;
      this.curIndex = this.chunks.length;
      this.chunks.push(this.cur);
    }
    this.chunk[i] = this.curIndex;
    this.dataOff[i] = this.used;
    this.cur.set(data, this.used);
    this.used += len;
  }

  private grow(n: number): void {
    this.nameId = grown(this.nameId, n);
    this.size = grown(this.size, n);
    this.align = grown(this.align, n);
    this.flagBits = grown(this.flagBits, n);
    this.line = grown(this.line, n);
    this.frameSize = grown(this.frameSize, n);
    this.argsSize = grown(this.argsSize, n);
    this.chunk = grown(this.chunk, n);
    this.dataOff = grown(this.dataOff, n);
    this.dataLen = grown(this.dataLen, n);
    this.relocStart = grown(this.relocStart, n);
    this.relocCount = grown(this.relocCount, n);
  }

  private growRelocs(n: number): void {
    this.rOff = grown(this.rOff, n);
    this.rSize = grown(this.rSize, n);
    this.rType = grown(this.rType, n);
    this.rSym = grown(this.rSym, n);
    this.rAdd = grown(this.rAdd, n);
    this.rLine = grown(this.rLine, n);
  }

  finish(): ObjectColumns {
    const n = this.n;
    const r = this.nrel;
    const names = this.names;
    const relocs = new RelocTable(0, names.length, (id) => names[id], {
      off: this.rOff.subarray(0, r),
      size: this.rSize.subarray(0, r),
      type: this.rType.subarray(0, r),
      sym: this.rSym.subarray(0, r),
      add: this.rAdd.subarray(0, r),
      line: this.rLine.subarray(0, r),
    });
    return {
      count: n,
      nameId: this.nameId.subarray(0, n),
      names,
      kind: this.kind,
      size: this.size.subarray(0, n),
      align: this.align.subarray(0, n),
      flagBits: this.flagBits.subarray(0, n),
      file: this.file,
      line: this.line.subarray(0, n),
      frameSize: this.frameSize.subarray(0, n),
      argsSize: this.argsSize.subarray(0, n),
      chunks: this.chunks,
      chunk: this.chunk.subarray(0, n),
      dataOff: this.dataOff.subarray(0, n),
      dataLen: this.dataLen.subarray(0, n),
      relocs,
      relocStart: this.relocStart.subarray(0, n),
      relocCount: this.relocCount.subarray(0, n),
      insts: this.insts,
    };
  }
}

/** Symbol i's contents, as a view. */
export function columnData(c: ObjectColumns, i: number): Uint8Array {
  const off = c.dataOff[i];
  return c.chunks[c.chunk[i]].subarray(off, off + c.dataLen[i]);
}

/** The columns' definitions as Symbols (relocations are made into objects when asked for). */
export function symbolsFromColumns(c: ObjectColumns): Symbol[] {
  const out: Symbol[] = new Array(c.count);
  for (let i = 0; i < c.count; i++) {
    const s = new TableSymbol(c.names[c.nameId[i]], c.kind[i], c.size[i], c.align[i], columnData(c, i), sharedFlags(c.flagBits[i]), c.file[i], c.line[i]);
    if (!Number.isNaN(c.frameSize[i])) s.frameSize = c.frameSize[i];
    if (!Number.isNaN(c.argsSize[i])) s.argsSize = c.argsSize[i];
    const insts = c.insts?.[i];
    if (insts) Object.defineProperty(s, 'insts', { get: insts, enumerable: true, configurable: true });
    s.relocTable = c.relocs;
    s.relocStart = c.relocStart[i];
    s.relocCount = c.relocCount[i];
    out[i] = s;
  }
  return out;
}

/** Columns of the defined symbols of a list (undefined and imported ones are left out), for writing it: contents are not copied. */
export function columnsFromSymbols(symbols: readonly Symbol[]): ObjectColumns {
  const b = new ObjectColumnsBuilder();
  // A function's instruction records are asked for only by a writer of debugging information.
  for (const s of symbols) if (s.kind !== 'dynimport' && s.kind !== 'undef') b.add(s, s.kind === 'text' ? () => s.insts ?? [] : undefined, undefined, false);
  return b.finish();
}

const registry = new WeakMap<ObjectFile, ObjectColumns>();

/**
 * An ObjectFile whose `symbols` are made from the columns when first asked
 * for; until then objectColumnsOf gives the columns.
 */
export function objectFromColumns(target: Target, name: string, cols: ObjectColumns, dynimports: DynImport[]): ObjectFile {
  const obj = { target, name, dynimports } as ObjectFile;
  symbolsWhenAsked(obj, () => symbolsFromColumns(cols), () => registry.delete(obj));
  registry.set(obj, cols);
  return obj;
}

/** The columns of an object made by objectFromColumns whose `symbols` nobody has asked for, else null. */
export function objectColumnsOf(obj: ObjectFile): ObjectColumns | null {
  return registry.get(obj) ?? null;
}

/** A relocation's source line moved by `offset` (0 is no line, and stays so). */
function movedLine(line: number, offset: number): number {
  return line === 0 ? 0 : line + offset;
}

/**
 * Columns as a message for another thread (postMessage): plain arrays and
 * typed arrays only, and the buffers to transfer rather than copy (the
 * columns must not be used after).
 */
export function columnsMessage(c: ObjectColumns): { message: unknown; transfer: ArrayBuffer[] } {
  const r = c.relocs;
  const relocs = { off: r.off, size: r.size, type: r.type, sym: r.sym, add: r.add, line: r.line };
  const message = { ...c, relocs, insts: null };
  const buffers = new Set<ArrayBuffer>();
  for (const a of [c.nameId, c.size, c.align, c.flagBits, c.line, c.frameSize, c.argsSize, c.chunk, c.dataOff, c.dataLen, c.relocStart, c.relocCount, ...Object.values(relocs), ...c.chunks]) {
    if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  }
  return { message, transfer: [...buffers] };
}

/** The columns a columnsMessage carried. */
export function columnsFromMessage(m: unknown): ObjectColumns {
  const c = m as ObjectColumns & { relocs: Pick<RelocTable, 'off' | 'size' | 'type' | 'sym' | 'add' | 'line'> };
  const names = c.names;
  return { ...c, relocs: new RelocTable(0, names.length, (id) => names[id], c.relocs) };
}
