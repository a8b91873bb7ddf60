// The sizes of the C library's data symbols that position-dependent C code
// reads in place (stdin, stdout, ...): an executable that
// reads a library's variable at its own address holds a copy of it, which
// the loader fills from the library (an R_*_COPY relocation), so the linker
// must know how large it is. GNU ld learns that from the library's .dynsym,
// as asmlink does for the libraries given with -l (libraryCopyFacts); for
// imports declared one by one it knows the variables C programs read
// (their types are the C library's ABI on every target, glibc's and musl's
// alike) and says so for any other.

import type { SharedLibrary } from '../obj/symbol.js';
import { STT_FUNC, STT_GNU_IFUNC, STT_OBJECT } from '../formats/elf/consts.js';

/**
 * Known C library variables: their size, given the pointer size, and the
 * other names the C library gives the same variable. The C library writes
 * some of them through another name (glibc sets environ at start-up as
 * __environ, through its GOT): the executable exports every name at its
 * copy, so that the library's own references all reach it, as GNU ld does
 * for the aliases it finds in the library's .dynsym. The aliases are
 * glibc's and musl's; a name the library lacks is harmless.
 */
const KNOWN: Record<string, { size: (ptr: number) => number; aliases?: readonly string[] }> = {
  stdin: { size: (p) => p },
  stdout: { size: (p) => p },
  stderr: { size: (p) => p },
  optarg: { size: (p) => p },
  optind: { size: () => 4 },
  opterr: { size: () => 4 },
  optopt: { size: () => 4 },
  environ: { size: (p) => p, aliases: ['__environ', '_environ', '___environ'] },
  // tzset() sets these, and the C library's start-up the program's names,
  // under the other names (the same sets in glibc's and musl's .dynsym).
  tzname: { size: (p) => 2 * p, aliases: ['__tzname'] },
  timezone: { size: (p) => p, aliases: ['__timezone'] },
  daylight: { size: () => 4, aliases: ['__daylight'] },
  program_invocation_name: { size: (p) => p, aliases: ['__progname_full'] },
  program_invocation_short_name: { size: (p) => p, aliases: ['__progname'] },
  __progname: { size: (p) => p, aliases: ['program_invocation_short_name'] },
  __progname_full: { size: (p) => p, aliases: ['program_invocation_name'] },
  getdate_err: { size: () => 4 },
  // Stack-protector code reads the canary here on arm64 (x86 keeps it in TLS); the loader sets it.
  __stack_chk_guard: { size: (p) => p },
};

/** A library variable's size and its other names (which the executable exports at its copy too). */
export interface CopyFacts {
  size: number;
  aliases: readonly string[];
}

/** The size of library variable `name` (its remote name) and its other names, or undefined when asmlink does not know it. */
export function copyFacts(name: string, ptrSize: number): CopyFacts | undefined {
  const k = Object.prototype.hasOwnProperty.call(KNOWN, name) ? KNOWN[name]! : undefined;
  return k && { size: k.size(ptrSize), aliases: k.aliases ?? [] };
}

/** The names copyFacts knows, for a diagnostic. */
export const COPYABLE = Object.keys(KNOWN);

/** Which imports get a copy in the executable: what both refusals below say. */
const COPIES_MADE = `asmlink makes one in linux executables for the variables of the libraries given with -l (it reads their sizes there) and for the C library's it knows the size of (${COPYABLE.join(', ')})`;

/** Why a reference that reads an import's data in place cannot be linked (no copy: an unknown variable, or a format without copies). */
export function copyRefused(imp: { local: string; remote: string }): string {
  return `an instruction reads or writes imported ${imp.local}'s data in place, which needs a copy of it in the executable: ${COPIES_MADE}; reach others through the GOT (C code does when compiled with -fPIC)`;
}

/** Why code that makes the address of an import plus an offset cannot be linked (no copy: the GOT slot holds the import's own address). */
export function offsetRefused(imp: { local: string; remote: string }, add: number): string {
  return `the address of imported ${imp.local} plus ${add} needs a copy of its data in the executable: ${COPIES_MADE}`;
}

/** Whether a shared library given to the link exports `name` as a function. */
export function libraryFunction(lib: SharedLibrary, name: string): boolean {
  const type = lib.exports.get(name)?.type;
  return type === STT_FUNC || type === STT_GNU_IFUNC;
}

/**
 * What a shared library given to the link says of its variable `name`: its
 * size, and the other names it exports at the same address (glibc's
 * `__environ` for `environ`), or undefined when it exports no such
 * variable.
 */
export function libraryCopyFacts(lib: SharedLibrary, name: string): CopyFacts | undefined {
  const e = lib.exports.get(name);
  if (e === undefined || e.type !== STT_OBJECT || e.size === 0) return undefined;
  const aliases: string[] = [];
  for (const [other, x] of lib.exports) if (other !== name && x.type === STT_OBJECT && x.value === e.value) aliases.push(other);
  return { size: e.size, aliases };
}
