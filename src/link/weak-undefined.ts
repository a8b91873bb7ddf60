// Weak undefined references (ELF: an undefined STB_WEAK symbol, from C's
// `extern void hook(void) __attribute__((weak))`, crti.o's __gmon_start__,
// libgcc's checks for the threads library). A name that every reference to
// it names weakly, and that no object, archive member or library given to
// the link defines, is 0 in the executable, as GNU ld makes it: the code
// tests the address before it uses it (`if (hook) hook();`).
//
// The link defines each such name as an empty symbol of its own, placed at
// address 0 once the layout is done (placeWeakUndefined), so relocations
// and GOT slots read 0 without a case of their own. A position-independent
// executable must not slide that 0 (absolute-addresses.ts, the ELF writer's
// GOT slots), and the symbol tables do not list the stand-ins; the external
// object names them as weak undefined symbols again (external.ts), for the
// system linker to decide.

import type { ObjectFile, Symbol, SymFlags } from '../obj/symbol.js';
import type { UndefRef } from './deadcode.js';
import type { LSym } from './program.js';

const WEAK_OBJECT = '<weak undefined>';
const FLAGS: SymFlags = Object.freeze({ dupok: true, undefinedWeak: true });

/** The undefined names that only weak references name: each reference's object lists it among its weakRefs. */
export function weakOnlyNames(undefs: ReadonlyMap<string, readonly UndefRef[]>, objects: readonly ObjectFile[]): string[] {
  const weakOf = new Map<ObjectFile, Set<string>>();
  const isWeakIn = (o: ObjectFile | undefined, name: string): boolean => {
    if (!o?.weakRefs) return false;
    let set = weakOf.get(o);
    if (!set) weakOf.set(o, (set = new Set(o.weakRefs)));
    return set.has(name);
  };
  const out: string[] = [];
  for (const [name, refs] of undefs) if (refs.every((r) => isWeakIn(objects[r.from.obj], name))) out.push(name);
  return out;
}

/**
 * An object of the linker's defining each name as an empty stand-in (placed
 * at 0 by placeWeakUndefined). A thread-local one (some object's weakTls) is
 * an empty variable in the TLS block instead: its accesses need an offset
 * there, and code reaches it only after testing another name (glibc's
 * locale categories), so any offset serves, as in GNU ld's program.
 */
export function weakUndefinedObject(target: ObjectFile['target'], names: readonly string[], objects: readonly ObjectFile[]): ObjectFile {
  const tls = new Set(objects.flatMap((o) => o.weakTls ?? []));
  const symbols: Symbol[] = names.map((name) => ({ name, kind: tls.has(name) ? 'tls' : 'noptrbss', size: 0, align: 1, data: new Uint8Array(0), relocs: [], flags: FLAGS, file: WEAK_OBJECT, line: 0 }));
  return { target, name: WEAK_OBJECT, symbols, dynimports: [] };
}

/** Puts the stand-ins (linux only: an ELF layout, whose addresses are absolute) at address 0, after the layout has placed the rest; thread-local ones stay in the TLS block. */
export function placeWeakUndefined(standIns: readonly LSym[]): void {
  for (const s of standIns) if (s.kind !== 'tls') s.addr = 0;
}
