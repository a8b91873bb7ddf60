// Names on the Mach-O side of a program. C symbols carry a leading underscore
// on Darwin, and Go-style names are written the same way (`main.main` becomes
// `_main.main`), so a Mach-O symbol table never mixes conventions. A dynamic
// import (`//go:cgo_import_dynamic libc_write write "/usr/lib/libSystem.B.dylib"`)
// is referenced in code by its local name and resolves to the library's `_write`.

import type { DynImport, ObjectFile } from '../../obj/symbol.js';
import { libcName } from '../../target.js';

export interface ImportedSymbol {
  /** The name code uses (`libc_write`). */
  local: string;
  /** The Mach-O name of the library symbol (`_write`). */
  cname: string;
  /** Install name of the library that exports it. */
  library: string;
  /** Where the import was declared, for diagnostics. */
  decl: DynImport;
}

export function machoName(name: string): string {
  return '_' + name;
}

/** The library path a darwin dynamic import names, defaulting to libSystem. */
export function darwinLibrary(lib: string): string {
  return lib === '' ? libcName('darwin') : lib;
}

/**
 * Maps every local import name to what it imports. Library-only requests
 * (`local` and `remote` both `_`) import no symbol and are skipped here.
 */
export function collectImports(obj: ObjectFile): Map<string, ImportedSymbol> {
  const out = new Map<string, ImportedSymbol>();
  for (const d of obj.dynimports) {
    if (d.local === '_' || d.remote === '_' || d.local === '') continue;
    if (out.has(d.local)) continue;
    const remote = d.remote.split('#')[0] ?? d.remote; // Go allows `name#version` on ELF; Mach-O has no versions.
    out.set(d.local, { local: d.local, cname: machoName(remote), library: darwinLibrary(d.library), decl: d });
  }
  return out;
}

/** The libraries the program links against, in first-mention order (this is the ordinal order). */
export function collectLibraries(obj: ObjectFile, used: Iterable<ImportedSymbol>): string[] {
  const libs: string[] = [];
  const add = (l: string): void => {
    if (!libs.includes(l)) libs.push(l);
  };
  for (const d of obj.dynimports) {
    if (d.library !== '' || (d.local !== '_' && d.remote !== '_')) add(darwinLibrary(d.library));
  }
  for (const u of used) add(u.library);
  return libs;
}
