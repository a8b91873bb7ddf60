// An object's defined symbols in columns, as an object reader can give them
// beside the ObjectFile: typed arrays indexed by symbol (in the object's
// symbol order) and names kept as bytes of the file, instead of one Symbol
// object, one name string and one contents view per symbol. The linker takes
// these when it finds them (link/objects.ts) and makes strings and objects
// only for what it needs: the names it outputs, the symbols that are live.
//
// They describe the object only while nobody has asked for its `symbols`:
// from then on those objects may be changed and are the truth, so the reader
// drops the columns (columnsOf answers null) when it makes them.

import type { RelocTable } from './reloc-table.js';
import type { ObjectFile, SymFlags, SymKind } from './symbol.js';

/** Per-definition columns, indexed by symbol in the object's order: what the reader and the linker share. */
export interface DefinitionColumns {
  /** Number of defined symbols. */
  count: number;
  /** Per symbol: the id of its name (see the name fields). */
  nameId: Int32Array;
  kind: SymKind[];
  size: Float64Array;
  align: Int32Array;
  /** Shared, frozen flag objects (one per combination). */
  flags: SymFlags[];
  /** Shared strings (consecutive symbols nearly always name the same file). */
  file: string[];
  line: Int32Array;
  /** Contents: `dataLen` bytes of the object's bytes from `dataOff` (dataLen 0: none). */
  dataOff: Int32Array;
  dataLen: Int32Array;
  /** Relocations: a run of entries in `relocs` per symbol; entries name their targets by name id. */
  relocs: RelocTable;
  relocStart: Int32Array;
  relocCount: Int32Array;
  /** Names are ids (definitions and relocation targets share them). */
  nameCount: number;
  /** The name as a string (what ObjectFile.symbols would say). */
  name(id: number): string;
}

export interface SymbolColumns extends DefinitionColumns {
  bytes: Uint8Array;
  /**
   * Name id → the NUL-terminated ASCII bytes of `names` at `nameOff[id]`,
   * followed by `<>` when `respelled[id]` (a foreign object's local symbol,
   * spelled as asmlink spells file-local names; null: none is).
   */
  names: Uint8Array;
  nameOff: Uint32Array;
  respelled: Uint8Array | null;
}

const registry = new WeakMap<ObjectFile, SymbolColumns>();

/** Records the columns of an object whose `symbols` are not made yet. */
export function setColumns(obj: ObjectFile, cols: SymbolColumns | null): void {
  if (cols) registry.set(obj, cols);
  else registry.delete(obj);
}

/** The columns of an object, or null if it has none or its `symbols` were made (then they are the truth). */
export function columnsOf(obj: ObjectFile): SymbolColumns | null {
  return registry.get(obj) ?? null;
}
