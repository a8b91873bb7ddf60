// Mach-O has no place for `//go:cgo_import_dynamic`: in an object, a call
// into libSystem is just a relocation against an undefined `_write`. So that
// asmlink can read its own objects back and link them itself (knowing `write`
// comes from /usr/lib/libSystem.B.dylib under the local name `libc_write`),
// the declarations travel in a debug section, __DWARF,__asmlink_dynimp,
// which ld64 and lld keep out of the linked program like any debug section.

import type { DynImport } from '../../obj/symbol.js';
import * as C from './consts.js';
import type { RSect } from './object-layout.js';
import type { SectionKind } from './sections.js';

const MAGIC = 'asmlink-dynimport-v1';

export const DYNIMPORT_SECTION: SectionKind = {
  segname: '__DWARF',
  sectname: '__asmlink_dynimp',
  flags: C.S_REGULAR | C.S_ATTR_DEBUG,
  zerofill: false,
};

/** NUL-separated: the magic, then local, remote, library per import. */
export function encodeDynimports(list: readonly DynImport[]): Uint8Array {
  const parts = [MAGIC];
  for (const d of list) parts.push(d.local, d.remote, d.library);
  return new TextEncoder().encode(parts.join('\0') + '\0');
}

/** Decodes the section; undefined when it is not ours. */
export function decodeDynimports(b: Uint8Array, file: string): DynImport[] | undefined {
  const parts = new TextDecoder().decode(b).split('\0');
  if (parts[0] !== MAGIC) return undefined;
  const out: DynImport[] = [];
  for (let i = 1; i + 2 < parts.length; i += 3) out.push({ local: parts[i]!, remote: parts[i + 1]!, library: parts[i + 2]!, file, line: 0 });
  return out;
}

/** The imports an object's notes declare (the last note counts), or null when a note lies outside the file. */
export function readDynimportNotes(b: Uint8Array, sects: readonly RSect[], file: string): DynImport[] | null {
  let out: DynImport[] = [];
  for (const s of sects) {
    if (s.segname !== DYNIMPORT_SECTION.segname || s.sectname !== DYNIMPORT_SECTION.sectname) continue;
    if (s.offset + s.size > b.length) return null;
    out = decodeDynimports(b.subarray(s.offset, s.offset + s.size), file) ?? [];
  }
  return out;
}

/**
 * Mach-O name (`_write`) → local name (`libc_write`) of each import, for the
 * undefined symbols a reader names by their local names again (only those:
 * a symbol defined in the object keeps its own name even where an import's
 * library name is the same). Library-only requests (`_`) name nothing.
 */
export function importLocalNames(list: readonly DynImport[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const d of list) if (d.local !== '_' && d.remote !== '_') m.set('_' + d.remote, d.local);
  return m;
}
