export type { Reloc, RelocType } from './reloc.js';
export type { Symbol, SymKind, SymFlags, InstInfo, DynImport, ObjectFile } from './symbol.js';
export { naturalAlign } from './symbol.js';
