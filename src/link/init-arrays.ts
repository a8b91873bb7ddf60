// Static constructors and destructors from other compilers' objects (C's
// `__attribute__((constructor))`, C++ globals): ELF .preinit_array,
// .init_array and .fini_array, and darwin's __mod_init_func (as init_array),
// which dyld runs before main. On linux the C library runs them: the loader
// runs DT_PREINIT_ARRAY and, at exit, DT_FINI_ARRAY; glibc 2.34+ and musl run
// DT_INIT_ARRAY before main, while older glibc runs only what
// __libc_start_main's init argument names, so the runtime passes a function
// that walks [__init_array_start, __init_array_end) (runtime/libc/rt0_*.s),
// which glibc 2.34+ then calls instead of walking DT_INIT_ARRAY itself.
//
// The bounds are zero-sized symbols of the linker's (GNU ld provides the same
// names), placed before and after each array's entries; the entries are
// ordered as GNU ld orders them: `.init_array.NNNNN` sections by priority
// NNNNN first, then the unprioritized ones, each in link order. The C
// library runs .init_array forwards and .fini_array backwards.

import type { ObjectFile, SymKind, Symbol } from '../obj/symbol.js';
import { ptrSize, type Target } from '../target.js';
import type { LSym, Program } from './program.js';
import { namedSectionBounds } from './named-sections.js';
import { imageSymbols } from './image-symbols.js';

const ARRAY_KINDS = ['preinit_array', 'init_array', 'fini_array'] as const;

function isArrayKind(k: SymKind): boolean {
  return k === 'preinit_array' || k === 'init_array' || k === 'fini_array';
}

/** The name of the object holding the linker's symbols (in diagnostics). */
const LINKER_OBJECT = '<linker-defined symbols>';

/** Sorts before every entry (start) or after (end). */
const START = -1;
const END = Number.POSITIVE_INFINITY;
/** Unprioritized entries come after the prioritized ones (65535 is the largest priority). */
const UNPRIORITIZED = 65536;

/**
 * The bounds as definitions of an object of the linker's, with
 * `__dso_handle`, which C++ code hands __cxa_atexit to register a global's
 * destructor (crtbegin.o defines it, 0 in an executable), and the bounds of
 * the inputs' sections named as C identifiers (named-sections.ts) and the
 * symbols of the image's layout (image-symbols.ts): all DUPOK, so that
 * a program defining one itself is not refused, and kept only when something
 * refers to them (the runtime's initializer refers to the init bounds).
 */
export function linkerDefinedObject(target: Target, inputs: readonly ObjectFile[]): ObjectFile {
  const symbols: Symbol[] = [];
  const flags = { dupok: true };
  for (const kind of ARRAY_KINDS)
    for (const end of ['start', 'end'])
      symbols.push({ name: `__${kind}_${end}`, kind, size: 0, align: 1, data: new Uint8Array(0), relocs: [], flags, file: LINKER_OBJECT, line: 0 });
  const ptr = ptrSize(target.arch);
  symbols.push({ name: '__dso_handle', kind: 'noptrdata', size: ptr, align: ptr, data: new Uint8Array(ptr), relocs: [], flags, file: LINKER_OBJECT, line: 0 });
  symbols.push(...namedSectionBounds(inputs, LINKER_OBJECT));
  symbols.push(...imageSymbols(target, LINKER_OBJECT));
  return { target, name: LINKER_OBJECT, symbols, dynimports: [] };
}

/** The link's number of the object holding the linker's symbols, or -1: they are the linker's, and the symbol table leaves them out. */
export function linkerObjectIndex(prog: Pick<Program, 'objects'>): number {
  const last = prog.objects.length - 1;
  return last >= 0 && prog.objects[last].name === LINKER_OBJECT ? last : -1;
}

/** Where an array symbol goes among its kind's: a bound, or an entry's priority (from its section's name). */
function rank(s: LSym, objects: readonly ObjectFile[]): number {
  const name = s.name;
  if (objects[s.obj]?.name === LINKER_OBJECT) return name.endsWith('_start') ? START : END;
  // A compiler's section symbol, named after its section (`.init_array.00101<>` from gcc, `.init_array.101<>` from clang).
  const m = /^\.(?:preinit|init|fini)_array\.(\d{1,5})(?:<>)?$/.exec(name);
  return m ? Number(m[1]) : UNPRIORITIZED;
}

/**
 * Puts the live array symbols of each kind in the order they are laid out
 * (bounds around the entries, entries by priority, then in link order),
 * keeping every other symbol where it is. Returns an entry of some array,
 * or null when they have none.
 */
export function orderArrays(live: LSym[], objects: readonly ObjectFile[]): LSym | null {
  const at: number[] = [];
  for (let i = 0; i < live.length; i++) if (isArrayKind(live[i].kind)) at.push(i);
  if (at.length === 0) return null;
  const syms = at.map((i) => live[i]);
  const key = new Map(syms.map((s, i) => [s, { rank: rank(s, objects), i }]));
  syms.sort((a, b) => {
    const x = key.get(a)!;
    const y = key.get(b)!;
    return x.rank - y.rank || x.i - y.i;
  });
  at.forEach((i, j) => (live[i] = syms[j]));
  return syms.find((s) => objects[s.obj]?.name !== LINKER_OBJECT) ?? null;
}
