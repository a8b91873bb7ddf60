// Static libraries: a member of an archive (ObjectFile.archive) is linked
// only when it defines a symbol that the program refers to and nothing else
// defines, as a system linker takes members; the search repeats until no
// member is wanted, over all archives together (GNU ld's --start-group), so
// the order of archives on the command line does not matter. Taken members
// keep their places in the input order. A name an import provides
// (//go:cgo_import_dynamic), or that objects name only weakly, is not wanted
// from an archive.

import { columnsOf } from '../obj/columns.js';
import { LOCAL_BIT, objectColumnsOf } from '../obj/object-columns.js';
import type { RelocTable } from '../obj/reloc-table.js';
import type { ObjectFile } from '../obj/symbol.js';

/**
 * `roots`: names the link needs whatever refers to them (the entry, kept
 * symbols); `staticImports`: imports name definitions in the archives (an
 * internal --static link, resolve.ts). Members the archive's index
 * describes (ObjectFile.unread) are read here when taken, and only then.
 * The names the linker defines (init-arrays.ts: __start_SECTION, _end, ...)
 * are wanted like any other, as GNU ld takes a member defining one (glibc's
 * __start_context): the linker's own definitions give way to it.
 */
export function selectArchiveMembers(objects: ObjectFile[], roots: readonly string[], staticImports = false): ObjectFile[] {
  if (!objects.some((o) => o.archive !== undefined)) return objects;
  const defined = new Set<string>();
  const wanted = new Set<string>();
  const want = (name: string) => {
    if (isGlobal(name) && !defined.has(name)) wanted.add(name);
  };
  const take = (o: ObjectFile) => {
    for (const name of definitions(o)) {
      defined.add(name);
      wanted.delete(name);
    }
    for (const d of o.dynimports) {
      if (d.local === '_') continue;
      // Linked from the static C library, an import wants the member that defines it.
      if (staticImports) {
        want(d.remote);
        continue;
      }
      defined.add(d.local);
      wanted.delete(d.local);
    }
    // A weak reference takes no member (ObjectFile.weakRefs), as GNU ld's: it
    // binds to one a strong reference brought, else to 0.
    if (o.weakRefs?.length) {
      const weak = new Set(o.weakRefs);
      referencedNames(o, (name) => {
        if (!weak.has(name)) want(name);
      });
    } else referencedNames(o, want);
  };
  for (const o of objects) if (o.archive === undefined) take(o);
  for (const name of roots) want(name);
  const members = objects.filter((o) => o.archive !== undefined);
  const offers = new Map(members.map((m) => [m, definitions(m)]));
  // Each member taken, and the object read for it.
  const taken = new Map<ObjectFile, ObjectFile>();
  for (let more = true; more; ) {
    more = false;
    for (const m of members) {
      if (taken.has(m) || !offers.get(m)!.some((name) => wanted.has(name))) continue;
      const read = m.unread ? m.unread.read() : m;
      taken.set(m, read);
      take(read);
      more = true;
    }
  }
  return objects.flatMap((o) => (o.archive === undefined ? [o] : taken.has(o) ? [taken.get(o)!] : []));
}

function isGlobal(name: string): boolean {
  return name !== '' && !name.endsWith('<>');
}

// An object's names are read from its columns when it has them (a reader's,
// an assembler's): asking for its Symbol objects would make them, and drop
// the columns the linker takes (obj/columns.ts).

/** The global names an object defines (for a member not read yet, those its archive's index lists). */
function definitions(o: ObjectFile): readonly string[] {
  if (o.unread) return o.unread.defines;
  const out: string[] = [];
  const read = columnsOf(o);
  if (read) {
    for (let k = 0; k < read.count; k++) {
      if (read.flags[k]!.local) continue;
      const name = read.name(read.nameId[k]!);
      if (isGlobal(name)) out.push(name);
    }
    return out;
  }
  const made = objectColumnsOf(o);
  if (made) {
    for (let k = 0; k < made.count; k++) {
      const name = made.names[made.nameId[k]!]!;
      if (!(made.flagBits[k]! & LOCAL_BIT) && isGlobal(name)) out.push(name);
    }
    return out;
  }
  for (const s of o.symbols) if (!s.flags.local && isGlobal(s.name)) out.push(s.name);
  return out;
}

/** Calls `each` with every name the object's relocations refer to (once per name for columns). */
function referencedNames(o: ObjectFile, each: (name: string) => void): void {
  const read = columnsOf(o);
  if (read) return tableNames(read.relocs, read.nameCount, (id) => read.name(id), each);
  const made = objectColumnsOf(o);
  if (made) return tableNames(made.relocs, made.names.length, (id) => made.names[id]!, each);
  for (const s of o.symbols) for (const r of s.relocs) each(r.sym);
}

function tableNames(relocs: RelocTable, nameCount: number, name: (id: number) => string, each: (name: string) => void): void {
  const seen = new Uint8Array(nameCount);
  for (let i = 0; i < relocs.count; i++) {
    const id = relocs.sym[i]!;
    if (seen[id]) continue;
    seen[id] = 1;
    each(name(id));
  }
}
