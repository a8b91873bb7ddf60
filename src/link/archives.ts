// Static libraries: a member of an archive (ObjectFile.archive) is linked
// only when it defines a symbol that the program refers to and nothing else
// defines, as a system linker takes members; the search repeats until no
// member is wanted, over all archives together (GNU ld's --start-group), so
// the order of archives on the command line does not matter. Taken members
// keep their places in the input order. A name an import provides
// (//go:cgo_import_dynamic) is not wanted from an archive.

import type { ObjectFile } from '../obj/symbol.js';

/** `roots`: names the link needs whatever refers to them (the entry, kept symbols). */
export function selectArchiveMembers(objects: ObjectFile[], roots: readonly string[]): ObjectFile[] {
  if (!objects.some((o) => o.archive !== undefined)) return objects;
  const defined = new Set<string>();
  const wanted = new Set<string>();
  const isGlobal = (name: string) => name !== '' && !name.endsWith('<>');
  const definitions = (o: ObjectFile) => o.symbols.filter((s) => !s.flags.local && isGlobal(s.name)).map((s) => s.name);
  const take = (o: ObjectFile, names = definitions(o)) => {
    for (const name of names) {
      defined.add(name);
      wanted.delete(name);
    }
    for (const d of o.dynimports) if (d.local !== '_') {
      defined.add(d.local);
      wanted.delete(d.local);
    }
    for (const s of o.symbols) for (const r of s.relocs) if (isGlobal(r.sym) && !defined.has(r.sym)) wanted.add(r.sym);
  };
  for (const o of objects) if (o.archive === undefined) take(o);
  for (const name of roots) if (!defined.has(name)) wanted.add(name);
  const members = objects.filter((o) => o.archive !== undefined);
  const offers = new Map(members.map((m) => [m, definitions(m)]));
  const taken = new Set<ObjectFile>();
  for (let more = true; more; ) {
    more = false;
    for (const m of members) {
      const names = offers.get(m)!;
      if (taken.has(m) || !names.some((name) => wanted.has(name))) continue;
      taken.add(m);
      take(m, names);
      more = true;
    }
  }
  return objects.filter((o) => o.archive === undefined || taken.has(o));
}
