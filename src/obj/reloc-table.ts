// Relocations in columns, as object readers produce them: one set of typed
// arrays per object instead of one JS object per relocation. Reading a large
// object then allocates a handful of arrays, not hundreds of thousands of
// objects for the garbage collector to copy, and the linker takes the columns
// as they are (link/reloc-cols.ts). A symbol read this way is a TableSymbol:
// its `relocs` are made into Reloc objects only when something asks for them
// (a writer, a listing, a test), and from then on those objects are the truth.

import type { Reloc, RelocType } from './reloc.js';
import type { InstInfo, SymFlags, SymKind, Symbol } from './symbol.js';

/** Every relocation type, in a fixed order: a type column holds indexes into it. */
export const RELOC_TYPES: readonly RelocType[] = [
  'R_CALL',
  'R_CALLIND',
  'R_PCREL',
  'R_ADDR',
  'R_GOTPCREL',
  'R_TLS_LE',
  'R_ADDRARM64',
  'R_ARM64_GOTPCREL',
  'R_CALLARM64',
  'R_ARM64_PAGE',
  'R_ARM64_PAGEOFF',
  'R_ARM64_GOTPAGE',
  'R_ARM64_GOTPAGEOFF',
  'R_GOTPC',
  'R_GOTOFF',
  'R_GOT',
  'R_DATA_PCREL',
  'R_TLS_IE',
  'R_ARM64_GOTPAGE_LO15',
];

/** The index of a type in RELOC_TYPES. */
export const RELOC_TYPE_INDEX: Readonly<Record<RelocType, number>> = Object.fromEntries(RELOC_TYPES.map((t, i) => [t, i])) as Record<RelocType, number>;

/** The relocations of one object, entry by entry; each symbol owns a contiguous run of entries. */
export class RelocTable {
  count = 0;
  /** Offset of the patched field within its symbol. */
  readonly off: Int32Array;
  readonly size: Uint8Array;
  /** Index into RELOC_TYPES. */
  readonly type: Uint8Array;
  /** Target: an id below `nameCount`, named by `name(id)`. */
  readonly sym: Int32Array;
  readonly add: Float64Array;
  /** Source line, 0 if unknown. */
  readonly line: Int32Array;

  /**
   * `capacity` bounds the entries (a reader knows it from the file).
   * Targets are indexes below `nameCount`; `nameOf` gives their names. A
   * reader may make a name only when asked (most are names of symbols other
   * objects define, which linking looks up once): then no string is kept
   * alive for each of them for the garbage collector to copy.
   */
  constructor(
    capacity: number,
    readonly nameCount: number,
    private readonly nameOf: (i: number) => string,
    /** The columns, filled already (a reader's views of a file): the table then holds them all. */
    filled?: Pick<RelocTable, 'off' | 'size' | 'type' | 'sym' | 'add' | 'line'>,
  ) {
    if (filled) {
      ({ off: this.off, size: this.size, type: this.type, sym: this.sym, add: this.add, line: this.line } = filled);
      this.count = filled.off.length;
      return;
    }
    this.off = new Int32Array(capacity);
    this.size = new Uint8Array(capacity);
    this.type = new Uint8Array(capacity);
    this.sym = new Int32Array(capacity);
    this.add = new Float64Array(capacity);
    this.line = new Int32Array(capacity);
  }

  push(off: number, size: number, type: number, sym: number, add: number, line: number): void {
    const i = this.count++;
    this.off[i] = off;
    this.size[i] = size;
    this.type[i] = type;
    this.sym[i] = sym;
    this.add[i] = add;
    this.line[i] = line;
  }

  /** The name of target `id` (an entry's `sym`). */
  name(id: number): string {
    return this.nameOf(id);
  }

  /** Entry i as a Reloc object, as the assembler would have made it. */
  reloc(i: number): Reloc {
    return { off: this.off[i], size: this.size[i], type: RELOC_TYPES[this.type[i]], sym: this.name(this.sym[i]), add: small(this.add[i]), line: this.line[i] };
  }
}

/**
 * A symbol as an object reader makes it: relocations in a RelocTable until
 * someone asks for `relocs`. The table fields are trusted only on a
 * TableSymbol (tableOf checks): a spread copy (`{ ...sym, relocs }`) carries
 * them but is a plain object, whose own `relocs` are the truth.
 */
export class TableSymbol implements Symbol {
  declare insts?: InstInfo[];
  declare frameSize?: number;
  declare argsSize?: number;
  /** The table holding its relocations, until they are made into objects (then null). */
  relocTable: RelocTable | null = null;
  /** Its run of entries in that table. */
  relocStart = 0;
  relocCount = 0;
  private madeRelocs: Reloc[] | null = null;

  constructor(
    public name: string,
    public kind: SymKind,
    public size: number,
    public align: number,
    public data: Uint8Array,
    public flags: SymFlags,
    public file: string,
    public line: number,
  ) {}

  get relocs(): Reloc[] {
    if (this.madeRelocs === null) {
      const out: Reloc[] = [];
      const t = this.relocTable;
      if (t) for (let i = this.relocStart; i < this.relocStart + this.relocCount; i++) out.push(t.reloc(i));
      this.madeRelocs = out;
      // The objects may now be changed: they, not the table, are the relocations.
      this.relocTable = null;
    }
    return this.madeRelocs;
  }

  set relocs(v: Reloc[]) {
    this.madeRelocs = v;
    this.relocTable = null;
  }

  /** The table holding a symbol's relocations while they are only there (`relocs` never asked for), else null. */
  static tableOf(s: Symbol): RelocTable | null {
    return s instanceof TableSymbol ? s.relocTable : null;
  }
}

/**
 * The same number, as a small integer when it is one. Values read from
 * Float64Array columns are doubles to V8; stored as such into object fields,
 * each becomes a heap-allocated number.
 */
export function small(v: number): number {
  const i = v | 0;
  return i === v ? i : v;
}
