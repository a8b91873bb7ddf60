// Which ELF section each symbol kind lives in, shared by the object writer and
// reader so that a round trip preserves kinds.

import type { SymKind } from '../../obj/symbol.js';
import * as C from './consts.js';

export interface SectionSpec {
  name: string;
  type: number;
  flags: number;
  kind: SymKind;
}

export const SECTION_SPECS: readonly SectionSpec[] = [
  { name: '.text', type: C.SHT_PROGBITS, flags: C.SHF_ALLOC | C.SHF_EXECINSTR, kind: 'text' },
  { name: '.rodata', type: C.SHT_PROGBITS, flags: C.SHF_ALLOC, kind: 'rodata' },
  { name: '.data', type: C.SHT_PROGBITS, flags: C.SHF_ALLOC | C.SHF_WRITE, kind: 'data' },
  { name: '.noptrdata', type: C.SHT_PROGBITS, flags: C.SHF_ALLOC | C.SHF_WRITE, kind: 'noptrdata' },
  { name: '.bss', type: C.SHT_NOBITS, flags: C.SHF_ALLOC | C.SHF_WRITE, kind: 'bss' },
  { name: '.noptrbss', type: C.SHT_NOBITS, flags: C.SHF_ALLOC | C.SHF_WRITE, kind: 'noptrbss' },
  { name: '.tdata', type: C.SHT_PROGBITS, flags: C.SHF_ALLOC | C.SHF_WRITE | C.SHF_TLS, kind: 'tls' },
  { name: '.tbss', type: C.SHT_NOBITS, flags: C.SHF_ALLOC | C.SHF_WRITE | C.SHF_TLS, kind: 'tls' },
  { name: '.preinit_array', type: C.SHT_PREINIT_ARRAY, flags: C.SHF_ALLOC | C.SHF_WRITE, kind: 'preinit_array' },
  { name: '.init_array', type: C.SHT_INIT_ARRAY, flags: C.SHF_ALLOC | C.SHF_WRITE, kind: 'init_array' },
  { name: '.fini_array', type: C.SHT_FINI_ARRAY, flags: C.SHF_ALLOC | C.SHF_WRITE, kind: 'fini_array' },
  { name: '.eh_frame', type: C.SHT_PROGBITS, flags: C.SHF_ALLOC, kind: 'eh_frame' },
];

/** The array kinds by section type (a compiler's `.init_array.00101` holds a constructor of priority 101). */
const ARRAY_KIND_OF_TYPE: Readonly<Record<number, SymKind>> = {
  [C.SHT_PREINIT_ARRAY]: 'preinit_array',
  [C.SHT_INIT_ARRAY]: 'init_array',
  [C.SHT_FINI_ARRAY]: 'fini_array',
};

/** The kind of the symbols of a section read from a foreign or asmlink object. */
export function kindOfSection(name: string, type: number, flags: number): SymKind | undefined {
  for (const s of SECTION_SPECS) if (s.name === name) return s.kind;
  const array = ARRAY_KIND_OF_TYPE[type];
  if (array !== undefined) return array;
  // Foreign objects (gcc -ffunction-sections, ...): go by prefix and flags.
  if (!(flags & C.SHF_ALLOC)) return undefined;
  if (flags & C.SHF_TLS) return 'tls';
  if (flags & C.SHF_EXECINSTR) return 'text';
  if (type === C.SHT_NOBITS) return 'bss';
  if (flags & C.SHF_WRITE) return 'data';
  return 'rodata';
}
