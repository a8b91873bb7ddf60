export type { Reloc, RelocType } from './reloc.js';
export type { Symbol, SymKind, SymFlags, InstInfo, DynImport, ObjectFile } from './symbol.js';
export { naturalAlign } from './symbol.js';
export { RELOC_TYPES, RELOC_TYPE_INDEX, RelocTable, TableSymbol } from './reloc-table.js';
