// Reading what a text-based dylib stub (TAPI .tbd, versions 3 and 4, as
// Apple's SDKs ship them: MacOSX.sdk/usr/lib/libSystem.tbd) exports, so that
// a darwin link given `-l NAME` imports the names its objects leave
// undefined from it. A .tbd is YAML: one document per library, the first
// the library linked against, the others libraries it re-exports (libSystem
// re-exports libsystem_c, libsystem_pthread, ...), whose symbols dyld finds
// through the first: every import binds to the first document's
// install-name. Only what that needs is read: install-name, and the symbol
// lists of `exports` and `reexports` whose targets (v4) or archs (v3)
// include the architecture; anything else is skipped.

import type { ArchName } from '../../target.js';
import type { SharedExport, SharedLibrary } from '../../obj/symbol.js';
import { tapiArch } from './tbd.js';

/** The library a .tbd describes, for `arch`; throws an Error naming the file when it is not one. */
export function readTbd(text: string, file: string, arch: ArchName): SharedLibrary {
  const docs = text.split(/^---(?:[ \t]+!tapi-tbd\S*)?[ \t]*$/m).slice(1);
  if (docs.length === 0) throw new Error(`${file}: not a text-based dylib stub (no --- !tapi-tbd document)`);
  const want = tapiArch(arch);
  let installName: string | undefined;
  const exports = new Map<string, SharedExport>();
  for (const doc of docs) {
    const body = doc.split(/^\.\.\.[ \t]*$/m)[0]!;
    const name = /^install-name:[ \t]*(.+)$/m.exec(body)?.[1];
    if (installName === undefined) {
      if (name === undefined) throw new Error(`${file}: a document without an install-name`);
      installName = unquote(name.trim());
    }
    for (const section of ['exports', 'reexports']) {
      for (const entry of listEntries(body, section)) {
        const targets = flowList(entry, 'targets') ?? flowList(entry, 'archs') ?? [];
        if (!targets.some((t) => t === want || t.startsWith(`${want}-macos`) || t === `${want}-maccatalyst`)) continue;
        for (const key of ['symbols', 'weak-symbols', 'weak-def-symbols', 'thread-local-symbols']) {
          for (const sym of flowList(entry, key) ?? []) {
            // Mach-O names carry C's leading underscore; the link's names do not.
            if (sym.startsWith('_') && !exports.has(sym.slice(1))) exports.set(sym.slice(1), { type: 0, size: 0, value: 0 });
          }
        }
      }
    }
  }
  return { soname: installName!, exports };
}

function unquote(s: string): string {
  if (s.startsWith("'") && s.endsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
  if (s.startsWith('"') && s.endsWith('"')) return s.slice(1, -1);
  return s;
}

/** The entries (`- key: ...` blocks) of the block list under a top-level key. */
function listEntries(body: string, key: string): string[] {
  const m = new RegExp(`^${key}:[ \\t]*\\n((?:[ \\t]+.*\\n?|\\n)*)`, 'm').exec(body);
  if (!m) return [];
  return m[1]!.split(/^[ \t]*-[ \t]+/m).slice(1);
}

/** A `key: [ a, b, ... ]` flow sequence (possibly over several lines) of an entry; undefined when absent. */
function flowList(entry: string, key: string): string[] | undefined {
  const m = new RegExp(`(?:^|\\s)${key}:[ \\t]*\\[([^\\]]*)\\]`).exec(entry);
  if (!m) return undefined;
  return m[1]!
    .split(',')
    .map((s) => unquote(s.trim()))
    .filter((s) => s !== '');
}
