// The sizes of the C library's data symbols that position-dependent C code
// reads in place (stdin, stdout, ...): an executable that
// reads a library's variable at its own address holds a copy of it, which
// the loader fills from the library (an R_*_COPY relocation), so the linker
// must know how large it is. GNU ld learns that from the library's .dynsym;
// asmlink reads no libraries, so it knows the variables C programs read
// (their types are the C library's ABI on every target, glibc's and musl's
// alike) and says so for any other.

/**
 * Bytes of known C library variables, given the pointer size. Only variables
 * the C library itself reads and writes under the same name through its GOT
 * (so that its references move to the executable's copy with the program's):
 * not environ, tzname, program_invocation_name and the like, which glibc
 * sets at start-up through internal aliases the copy would not see.
 */
const KNOWN: Record<string, (ptr: number) => number> = {
  stdin: (p) => p,
  stdout: (p) => p,
  stderr: (p) => p,
  optarg: (p) => p,
  optind: () => 4,
  opterr: () => 4,
  optopt: () => 4,
};

/** The size of library variable `name` (its remote name), or undefined when asmlink does not know it. */
export function copySize(name: string, ptrSize: number): number | undefined {
  return Object.prototype.hasOwnProperty.call(KNOWN, name) ? KNOWN[name]!(ptrSize) : undefined;
}

/** The names copySize knows, for a diagnostic. */
export const COPYABLE = Object.keys(KNOWN);

/** Why a reference that reads an import's data in place cannot be linked (no copy: an unknown variable, or a format without copies). */
export function copyRefused(imp: { local: string; remote: string }): string {
  return `an instruction reads or writes imported ${imp.local}'s data in place, which needs a copy of it in the executable: asmlink makes one in linux executables for the C library's variables it knows the size of (${COPYABLE.join(', ')}); reach others through the GOT (C code does when compiled with -fPIC)`;
}
