// Static libraries: a member of an archive (ObjectFile.archive) is linked
// only when it defines a symbol that the program refers to and nothing else
// defines, as a system linker takes members; the search repeats until no
// member is wanted, over all archives together (GNU ld's --start-group), so
// the order of archives on the command line does not matter. Taken members
// keep their places in the input order. A name an import provides
// (//go:cgo_import_dynamic) is not wanted from an archive.

import type { ObjectFile } from '../obj/symbol.js';

/**
 * `roots`: names the link needs whatever refers to them (the entry, kept
 * symbols); `linkerDefined`: names the linker defines, for which no member
 * is taken. Members the archive's index describes (ObjectFile.unread) are
 * read here when taken, and only then.
 */
export function selectArchiveMembers(objects: ObjectFile[], roots: readonly string[], linkerDefined: (name: string) => boolean = () => false): ObjectFile[] {
  if (!objects.some((o) => o.archive !== undefined)) return objects;
  const defined = new Set<string>();
  const wanted = new Set<string>();
  const isGlobal = (name: string) => name !== '' && !name.endsWith('<>');
  const definitions = (o: ObjectFile) => o.unread?.defines ?? o.symbols.filter((s) => !s.flags.local && isGlobal(s.name)).map((s) => s.name);
  const want = (name: string) => {
    if (isGlobal(name) && !defined.has(name) && !linkerDefined(name)) wanted.add(name);
  };
  const take = (o: ObjectFile) => {
    for (const name of definitions(o)) {
      defined.add(name);
      wanted.delete(name);
    }
    for (const d of o.dynimports) if (d.local !== '_') {
      defined.add(d.local);
      wanted.delete(d.local);
    }
    for (const s of o.symbols) for (const r of s.relocs) want(r.sym);
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
