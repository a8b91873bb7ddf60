// Which Mach-O section a symbol lives in. Shared by the object writer and
// the executable layout so both place a symbol alike.

import type { Symbol } from '../../obj/symbol.js';
import * as C from './consts.js';

export interface SectionKind {
  segname: string;
  sectname: string;
  /** Section type and attributes. */
  flags: number;
  zerofill: boolean;
}

export const TEXT: SectionKind = {
  segname: '__TEXT',
  sectname: '__text',
  flags: C.S_REGULAR | C.S_ATTR_PURE_INSTRUCTIONS | C.S_ATTR_SOME_INSTRUCTIONS,
  zerofill: false,
};
export const TEXT_CONST: SectionKind = { segname: '__TEXT', sectname: '__const', flags: C.S_REGULAR, zerofill: false };
/** Read-only data that holds pointers: the linker moves it to __DATA_CONST (dyld must be able to rebase it). */
export const DATA_CONST: SectionKind = { segname: '__DATA', sectname: '__const', flags: C.S_REGULAR, zerofill: false };
export const DATA: SectionKind = { segname: '__DATA', sectname: '__data', flags: C.S_REGULAR, zerofill: false };
export const BSS: SectionKind = { segname: '__DATA', sectname: '__bss', flags: C.S_ZEROFILL, zerofill: true };
/** A compiler's static constructors: pointers dyld calls before main. */
export const MOD_INIT_FUNC: SectionKind = { segname: '__DATA', sectname: '__mod_init_func', flags: C.S_MOD_INIT_FUNC_POINTERS, zerofill: false };
/** C's thread-local variables: their descriptors, and the template of each thread's copy (initial values, zero-fill). */
export const THREAD_VARS: SectionKind = { segname: '__DATA', sectname: '__thread_vars', flags: C.S_THREAD_LOCAL_VARIABLES, zerofill: false };
export const THREAD_DATA: SectionKind = { segname: '__DATA', sectname: '__thread_data', flags: C.S_THREAD_LOCAL_REGULAR, zerofill: false };
export const THREAD_BSS: SectionKind = { segname: '__DATA', sectname: '__thread_bss', flags: C.S_THREAD_LOCAL_ZEROFILL, zerofill: true };
/** Compact unwind records: read by the linker, never loaded (a debug section). */
export const COMPACT_UNWIND: SectionKind = { segname: '__LD', sectname: '__compact_unwind', flags: C.S_REGULAR | C.S_ATTR_DEBUG, zerofill: false };

/** The object-file section of a defined symbol, or undefined for symbols that occupy none. */
export function sectionOf(s: Symbol): SectionKind | undefined {
  switch (s.kind) {
    case 'text':
      return TEXT;
    case 'rodata':
      return hasPointers(s) ? DATA_CONST : TEXT_CONST;
    case 'data':
    case 'noptrdata':
      if (s.flags.rodata) return hasPointers(s) ? DATA_CONST : TEXT_CONST;
      return DATA;
    case 'bss':
    case 'noptrbss':
      return BSS;
    case 'init_array':
      return MOD_INIT_FUNC;
    case 'tlv':
      return THREAD_VARS;
    case 'unwind':
      return COMPACT_UNWIND;
    case 'tls':
      return s.relocs.length > 0 || s.data.some((b) => b !== 0) ? THREAD_DATA : THREAD_BSS;
    default:
      return undefined;
  }
}

function hasPointers(s: Symbol): boolean {
  return s.relocs.some((r) => r.type === 'R_ADDR');
}

/** The Mach-O name of a DWARF section (`.debug_line` → `__debug_line`, in segment __DWARF). */
export function dwarfSectionName(name: string): string {
  return `__${name.slice(1)}`;
}

/** Object-file section order: code, then constants, then writable data, zero-fill last. */
export const OBJECT_SECTION_ORDER: readonly SectionKind[] = [TEXT, TEXT_CONST, DATA_CONST, DATA, MOD_INIT_FUNC, THREAD_VARS, THREAD_DATA, COMPACT_UNWIND, THREAD_BSS, BSS];
