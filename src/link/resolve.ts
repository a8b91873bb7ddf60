// Symbol resolution: one global table for the whole program, one table of
// file-local (`<>`) symbols per object. DUPOK definitions keep the first; any
// other second definition is an error naming both places. Every
// `//go:cgo_import_dynamic local remote "lib"` makes `local` an import.

import type { ObjectFile } from '../obj/symbol.js';
import type { DiagnosticSink } from '../diag.js';
import type { Import, LSym } from './program.js';
import { TableSymbol } from '../obj/reloc-table.js';
import { plainRelocs } from './reloc-cols.js';

export interface Resolved {
  /** Every definition, in object order then symbol order. */
  all: LSym[];
  globals: Map<string, LSym | Import>;
  /** Per object: its file-local symbols. */
  locals: Map<string, LSym>[];
  /** Per object: whether some file-local name is not spelled `name<>` (then every lookup tries the locals). */
  plainLocals: boolean[];
  imports: Import[];
  libraries: string[];
  /** Relocations of every definition in `all`: the size of the program's relocation columns. */
  nrelocs: number;
}

export function resolve(objects: ObjectFile[], diag: DiagnosticSink): Resolved {
  const all: LSym[] = [];
  const globals = new Map<string, LSym | Import>();
  const locals: Map<string, LSym>[] = [];
  const plainLocals: boolean[] = [];
  const imports: Import[] = [];
  const libraries: string[] = [];
  const libSeen = new Set<string>();
  const empty = new Uint8Array(0);
  let nrelocs = 0;

  for (let oi = 0; oi < objects.length; oi++) {
    const obj = objects[oi];
    const loc = new Map<string, LSym>();
    locals.push(loc);
    let plain = false;
    // Relocations: in the object's own table (read from a file) or in one made here.
    const made = plainRelocs(obj.symbols);
    for (let si = 0; si < obj.symbols.length; si++) {
      const sym = obj.symbols[si];
      if (sym.kind === 'undef' || sym.kind === 'dynimport') continue;
      const local = !!sym.flags.local;
      const rt = TableSymbol.tableOf(sym);
      const ls: LSym = {
        dyn: false,
        name: sym.name,
        sym,
        obj: oi,
        local,
        data: sym.data ?? empty,
        ownData: false,
        live: false,
        rt: rt ?? made.table,
        ri: rt ? (sym as TableSymbol).relocStart : made.start[si],
        rn: rt ? (sym as TableSymbol).relocCount : sym.relocs.length,
        r0: nrelocs,
        section: null,
        off: 0,
        addr: 0,
        got: -1,
      };
      const table = local ? loc : globals;
      const prev = table.get(sym.name) as LSym | undefined;
      if (prev) {
        if (prev.sym.flags.dupok || sym.flags.dupok) continue;
        diag.error({ file: sym.file, line: sym.line, col: 0 }, `duplicate definition of ${sym.name}`, [
          `${prev.sym.file}:${prev.sym.line}: previous definition of ${sym.name}`,
        ]);
        continue;
      }
      table.set(sym.name, ls);
      all.push(ls);
      nrelocs += ls.rn;
      if (local && !sym.name.endsWith('>')) plain = true;
    }
    plainLocals.push(plain);
  }

  const impByName = new Map<string, Import>();
  for (const obj of objects) {
    for (const d of obj.dynimports) {
      if (!libSeen.has(d.library)) {
        libSeen.add(d.library);
        libraries.push(d.library);
      }
      if (d.local === '_') continue;
      const prev = impByName.get(d.local);
      if (prev) {
        if (prev.remote !== d.remote || prev.library !== d.library || prev.version !== d.version)
          diag.error({ file: d.file, line: d.line, col: 0 }, `conflicting dynamic imports of ${d.local}: ${versioned(d)} from "${d.library}"`, [
            `${prev.file}:${prev.line}: imported before as ${versioned(prev)} from "${prev.library}"`,
          ]);
        continue;
      }
      const def = globals.get(d.local) as LSym | undefined;
      if (def) {
        diag.error({ file: d.file, line: d.line, col: 0 }, `${d.local} is both imported dynamically and defined`, [
          `${def.sym.file}:${def.sym.line}: definition of ${d.local}`,
        ]);
        continue;
      }
      const imp: Import = { dyn: true, local: d.local, remote: d.remote, library: d.library, file: d.file, line: d.line, plt: -1, got: -1, used: false, dynIndex: -1 };
      if (d.version !== undefined) imp.version = d.version;
      impByName.set(d.local, imp);
      imports.push(imp);
      globals.set(d.local, imp);
    }
  }
  return { all, globals, locals, plainLocals, imports, libraries, nrelocs };
}

/** `remote#version` as the directive spelled it, for messages. */
function versioned(d: { remote: string; version?: string }): string {
  return d.version === undefined ? d.remote : `${d.remote}#${d.version}`;
}
