// C sections named as identifiers (`__attribute__((section("hooks")))`):
// GNU ld lays the sections of one name, from every object, out together and
// defines __start_NAME and __stop_NAME at their ends, which C code walks as
// an array (a registry of hooks or tests each object adds entries to). The
// bounds are symbols of the linker's object (init-arrays.ts), DUPOK, so that
// a program's own definition wins, and kept only when something refers to
// them; the members are placed after the other symbols of their kind, each
// name's together, in link order.

import { DiagnosticError } from '../diag.js';
import type { ObjectFile, SymKind, Symbol } from '../obj/symbol.js';
import type { LSym } from './program.js';

/** The kinds whose named sections are gathered (not thread-locals or constructor arrays, which have sections of their own). */
const GATHERED = new Set<SymKind>(['text', 'rodata', 'data', 'bss']);

/** The bounds of every named section the inputs have (each name's kind is its first section's, the start aligned as its most aligned section). */
export function namedSectionBounds(inputs: readonly ObjectFile[], file: string): Symbol[] {
  const seen = new Map<string, { kind: SymKind; align: number }>();
  for (const o of inputs)
    for (const c of o.cSections ?? []) {
      if (!GATHERED.has(c.kind)) continue;
      const s = seen.get(c.name);
      if (s) s.align = Math.max(s.align, c.align);
      else seen.set(c.name, { kind: c.kind, align: c.align });
    }
  const flags = { dupok: true };
  const out: Symbol[] = [];
  for (const [name, { kind, align }] of seen)
    for (const [bound, a] of [
      ['start', align],
      ['stop', 1],
    ] as const)
      out.push({ name: `__${bound}_${name}`, kind, size: 0, align: a, data: new Uint8Array(0), relocs: [], flags, file, line: 0 });
  return out;
}

/**
 * Moves the live members of named sections, with their bounds, after the
 * other live symbols: each name's members together, between its
 * __start_NAME and __stop_NAME, in link order (`linker` is the linker
 * object's number). A name whose sections hold different kinds of symbols
 * (code and data, writable and read-only) cannot be one range: refused.
 */
export function orderNamedSections(live: LSym[], objects: readonly ObjectFile[], linker: number): void {
  if (!objects.some((o) => o.cSections)) return;
  const sectionOf = objects.map((o) => {
    if (!o.cSections) return null;
    const m = new Map<number, string>();
    for (const c of o.cSections) if (GATHERED.has(c.kind)) for (const k of c.defs) m.set(k, c.name);
    return m;
  });
  const groups = new Map<string, { start: LSym[]; members: LSym[]; stop: LSym[] }>();
  const group = (name: string) => {
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { start: [], members: [], stop: [] }));
    return g;
  };
  const rest: LSym[] = [];
  for (const s of live) {
    if (s.obj === linker) {
      const b = /^__(start|stop)_([A-Za-z_][A-Za-z0-9_]*)$/.exec(s.name);
      if (b) group(b[2]!)[b[1] === 'start' ? 'start' : 'stop'].push(s);
      else rest.push(s);
      continue;
    }
    const name = sectionOf[s.obj]?.get(s.index);
    if (name === undefined) rest.push(s);
    else {
      const g = group(name);
      const kind = g.members[0]?.kind;
      if (kind !== undefined && s.kind !== kind)
        throw new DiagnosticError([{ file: s.file, line: s.line, col: 0, message: `section ${name} holds ${s.kind} here and ${kind} in ${g.members[0]!.file}: its sections must be all code, all read-only data or all writable data to be one range (__start_${name} to __stop_${name})` }]);
      g.members.push(s);
    }
  }
  // Appended one by one: a large program's symbols are too many to spread as arguments.
  live.length = 0;
  const append = (list: LSym[]) => {
    for (let i = 0; i < list.length; i++) live.push(list[i]!);
  };
  append(rest);
  for (const g of groups.values()) {
    append(g.start);
    append(g.members);
    append(g.stop);
  }
}
