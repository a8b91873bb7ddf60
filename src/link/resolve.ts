// Symbol resolution: one global table for the whole program, one table of
// file-local (`<>`) symbols per object. DUPOK definitions keep the first,
// unless a definition that is not DUPOK comes (a strong ELF symbol over weak
// ones); any other second definition is an error naming both places. Every
// `//go:cgo_import_dynamic local remote "lib"` makes `local` an import.
//
// Definitions are numbered in object order then symbol order (a "gid") and
// stay rows of their object's columns (objects.ts): the global table maps
// names, compared as the bytes the inputs hold them in (names.ts), to gids.
// An LSym is made only for a definition the link emits or reports (sym()).

import type { DynImport, ObjectFile } from '../obj/symbol.js';
import type { DiagnosticSink } from '../diag.js';
import { LSym, type Import } from './program.js';
import { linkObject, type LinkObj } from './objects.js';
import { NameTable, stringKey } from '../obj/name-table.js';

/** A resolved name: a definition's gid (>= 0), NONE, or an import (importRef(i)). */
export const NONE = -1;
export function importRef(i: number): number {
  return -2 - i;
}
export function importIndex(ref: number): number {
  return -2 - ref;
}

export class Resolved {
  objs: LinkObj[] = [];
  /** Per object: the gid of its first definition. */
  base: Int32Array;
  /** Per gid: its object. */
  objOf: Int32Array;
  ndefs: number;
  globals: NameTable;
  /** Per object: its file-local symbols by name. */
  locals: Map<string, number>[] = [];
  /** Per object: whether some file-local name is not spelled `name<>` (then every lookup tries the locals). */
  plainLocals: boolean[] = [];
  imports: Import[] = [];
  libraries: string[] = [];
  /** Global definitions another of the same name took the place of (DUPOK duplicates, weak ones beside a strong one). */
  shadowed: number[] = [];
  /**
   * Per gid, for a program with indirect functions (SymFlags.ifunc): the
   * index in `imports` of the import that stands for its function (the
   * loader calls the resolver, the definition, to find it), else -1.
   */
  ifuncOf: Int32Array | null = null;
  private readonly made: (LSym | undefined)[];

  constructor(objects: ObjectFile[]) {
    let ndefs = 0;
    let nimports = 0;
    this.base = new Int32Array(objects.length);
    for (let oi = 0; oi < objects.length; oi++) {
      const lo = linkObject(objects[oi]);
      this.objs.push(lo);
      this.base[oi] = ndefs;
      ndefs += lo.count;
      nimports += objects[oi].dynimports.length;
    }
    this.ndefs = ndefs;
    this.objOf = new Int32Array(ndefs);
    for (let oi = 0; oi < objects.length; oi++) this.objOf.fill(oi, this.base[oi], this.base[oi] + this.objs[oi].count);
    this.globals = new NameTable(ndefs + nimports);
    // Appended, not `new Array(ndefs)`: that would be a slow dictionary when large.
    this.made = [];
    for (let g = 0; g < ndefs; g++) this.made.push(undefined);
  }

  /** The global definition or import named `name`, or NONE. */
  lookup(name: string): number {
    return this.globals.get(stringKey(name), 0, name.length);
  }

  /** Every global name, in the order the table got them (definitions, then imports), for messages. */
  globalNames(): string[] {
    const out: string[] = [];
    for (let e = 0; e < this.globals.size; e++) {
      const v = this.globals.entryValue(e);
      out.push(v >= 0 ? this.nameOf(v) : this.imports[importIndex(v)].local);
    }
    return out;
  }

  /** The LSym of definition gid (made once). */
  sym(gid: number): LSym {
    let s = this.made[gid];
    if (s === undefined) {
      const oi = this.objOf[gid];
      const o = this.objs[oi];
      const k = gid - this.base[oi];
      s = this.made[gid] = new LSym(oi, o, k);
    }
    return s;
  }

  /** The LSyms made so far, by gid (every live symbol's is). */
  defs(): readonly (LSym | undefined)[] {
    return this.made;
  }

  /** The name of a definition (without making its LSym). */
  nameOf(gid: number): string {
    const s = this.made[gid];
    if (s !== undefined) return s.name;
    const o = this.objs[this.objOf[gid]];
    return o.name(o.nameId[gid - this.base[this.objOf[gid]]]);
  }

  /** Where a definition is, for messages. */
  placeOf(gid: number): { file: string; line: number } {
    const o = this.objs[this.objOf[gid]];
    const k = gid - this.base[this.objOf[gid]];
    return { file: o.file[k], line: o.line[k] };
  }
}

/**
 * `staticImports`: the C library is linked from its static archive (an
 * internal --static link): an import is no library's but names the
 * definition of its remote name, which an archive member brought.
 */
export function resolve(objects: ObjectFile[], diag: DiagnosticSink, staticImports = false): Resolved {
  const res = new Resolved(objects);
  const globals = res.globals;
  const libSeen = new Set<string>();
  const ifuncs: number[] = [];

  for (let oi = 0; oi < objects.length; oi++) {
    const o = res.objs[oi];
    const loc = new Map<string, number>();
    res.locals.push(loc);
    let plain = false;
    const base = res.base[oi];
    for (let k = 0; k < o.count; k++) {
      const gid = base + k;
      const flags = o.flags[k];
      if (flags.ifunc) ifuncs.push(gid);
      const id = o.nameId[k];
      let prev: number;
      if (flags.local) {
        const name = o.name(id);
        prev = loc.get(name) ?? NONE;
        if (prev === NONE) {
          loc.set(name, gid);
          if (!name.endsWith('>')) plain = true;
        }
      } else {
        prev = globals.add(o.keys, o.keyOff[id], o.keyLen === null ? -1 : o.keyLen[id], gid);
      }
      if (prev === NONE) continue;
      const po = res.objs[res.objOf[prev]];
      const prevDupok = po.flags[prev - res.base[res.objOf[prev]]].dupok;
      // A definition that is not DUPOK takes the place of one that is, as a
      // strong ELF symbol does a weak one's (a C library's default hook, a
      // COMDAT copy): first the name was the DUPOK one's, in link order.
      if (prevDupok && !flags.dupok && !flags.local) {
        globals.replace(o.keys, o.keyOff[id], o.keyLen === null ? -1 : o.keyLen[id], gid);
        res.shadowed.push(prev);
        continue;
      }
      if (prevDupok || flags.dupok) {
        if (!flags.local) res.shadowed.push(gid);
        continue;
      }
      const name = o.name(id);
      const at = res.placeOf(prev);
      const notes = [`${at.file}:${at.line}: previous definition of ${name}`];
      // TEXT main(SB) for TEXT ·main(SB): the runtime's C entry point is main.
      if (name === 'main') notes.push("main is the C entry point the runtime defines; the program's main function is ·main (main.main)");
      diag.error({ file: o.file[k], line: o.line[k], col: 0 }, `duplicate definition of ${name}`, notes);
    }
    res.plainLocals.push(plain);
  }

  const impByName = new Map<string, Import>();
  for (const obj of objects) {
    for (const d of obj.dynimports) {
      if (staticImports) {
        if (d.local !== '_') aliasImport(res, d, diag);
        continue;
      }
      if (!libSeen.has(d.library)) {
        libSeen.add(d.library);
        res.libraries.push(d.library);
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
      const key = stringKey(d.local);
      const def = globals.get(key, 0, key.length);
      if (def !== NONE) {
        const at = res.placeOf(def);
        diag.error({ file: d.file, line: d.line, col: 0 }, `${d.local} is both imported dynamically and defined`, [`${at.file}:${at.line}: definition of ${d.local}`]);
        continue;
      }
      const imp: Import = { dyn: true, local: d.local, remote: d.remote, library: d.library, file: d.file, line: d.line, plt: -1, got: -1, copy: -1, used: false, dynIndex: -1 };
      if (d.version !== undefined) imp.version = d.version;
      if (d.weak) imp.weak = true;
      impByName.set(d.local, imp);
      const ref = importRef(res.imports.length);
      res.imports.push(imp);
      globals.add(key, 0, key.length, ref);
    }
  }
  // An indirect function is reached as a library's function is (through a
  // PLT entry and GOT slots), but what the loader fills them with comes from
  // calling its resolver (R_*_IRELATIVE): an import with no library, whose
  // name stays the definition's.
  if (ifuncs.length) {
    res.ifuncOf = new Int32Array(res.ndefs).fill(-1);
    for (const gid of ifuncs) {
      const name = res.nameOf(gid);
      const at = res.placeOf(gid);
      res.ifuncOf[gid] = res.imports.length;
      res.imports.push({ dyn: true, local: name, remote: name, library: '', file: at.file, line: at.line, plt: -1, got: -1, copy: -1, used: false, dynIndex: -1, ifunc: gid });
    }
  }
  return res;
}

/** Makes an import's local name another name of its remote's definition (resolve's staticImports). */
function aliasImport(res: Resolved, d: DynImport, diag: DiagnosticSink): void {
  if (d.local === d.remote) return;
  const globals = res.globals;
  const remote = stringKey(d.remote);
  const def = globals.get(remote, 0, remote.length);
  // Nothing defines it: the references to the local name are reported undefined, and so named.
  if (def === NONE) return;
  const local = stringKey(d.local);
  const prev = globals.get(local, 0, local.length);
  if (prev === NONE) globals.add(local, 0, local.length, def);
  else if (prev !== def) {
    const at = res.placeOf(prev);
    diag.error({ file: d.file, line: d.line, col: 0 }, `${d.local} is both imported (as ${d.remote}, which the static C library defines) and defined`, [`${at.file}:${at.line}: definition of ${d.local}`]);
  }
}

/** `remote#version` as the directive spelled it, for messages. */
function versioned(d: { remote: string; version?: string }): string {
  return d.version === undefined ? d.remote : `${d.remote}#${d.version}`;
}
