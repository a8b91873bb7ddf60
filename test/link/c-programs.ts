// A C function and the Go-style assembly that calls it, for the tests that
// link a compiler's objects: the C code calls libc (printf, strlen, qsort,
// fflush), goes through a static function pointer, and keeps a counter in
// .bss, strings in a literal section and a table of pointers to them; the
// assembly calls cmain on a 16-byte aligned stack and exits with its result.
// Also the compilers the tests build C with for each architecture (cTools).

import type { SpawnSyncReturns } from 'node:child_process';
import { run, which } from '../helpers.js';

// Without headers, so that it compiles for any target without its C library's.
export function cSource(stdoutName: string, withQsort: boolean): string {
  return `typedef unsigned long size_t;
typedef struct FILE FILE;
extern FILE *${stdoutName};
int printf(const char *, ...);
size_t strlen(const char *);
void qsort(void *, size_t, size_t, int (*)(const void *, const void *));
int fflush(FILE *);
static int counter;
int table[4] = {3, 1, 4, 1};
static const char *names[] = {"alpha", "beta", "gamma"};
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
static void sort4(int *v) {
  for (int i = 1; i < 4; i++)
    for (int j = i; j > 0 && cmp(&v[j], &v[j - 1]) < 0; j--) { int x = v[j]; v[j] = v[j - 1]; v[j - 1] = x; }
}
static void (*hook)(const char *);
static void say(const char *s) { printf("say: %s (%zu)\\n", s, strlen(s)); counter++; }
int cmain(void) {
  hook = say;
  for (int i = 0; i < 3; i++) hook(names[i]);
  ${withQsort ? 'qsort(table, 4, sizeof table[0], cmp);' : 'sort4(table);'}
  printf("sorted: %d %d %d %d, calls %d\\n", table[0], table[1], table[2], table[3], counter);
  fflush(${stdoutName});
  return counter;
}
`;
}

/**
 * Go-style assembly whose main.main calls C's `cmain` on a 16-byte aligned
 * stack and exits with what it returns, importing `imports` (C's names)
 * from `library`.
 */
export function asmCallingC(arch: 'amd64' | '386' | 'arm64', imports: readonly string[], library = 'libc.so.6'): string {
  const call = {
    amd64: '$16-0\n\tMOVQ\tSP, BX\n\tANDQ\t$~15, SP\n\tCALL\tcmain(SB)\n\tMOVQ\tBX, SP\n\tMOVQ\tAX, 0(SP)\n',
    '386': '$8-0\n\tMOVL\tSP, BX\n\tANDL\t$~15, SP\n\tCALL\tcmain(SB)\n\tMOVL\tBX, SP\n\tMOVL\tAX, 0(SP)\n',
    arm64: '$16-0\n\tMOVD\tRSP, R19\n\tMOVD\tR19, R20\n\tAND\t$~15, R20\n\tMOVD\tR20, RSP\n\tBL\tcmain(SB)\n\tMOVD\tR19, RSP\n\tMOVD\tR0, 8(RSP)\n',
  }[arch];
  const lines = imports.map((n) => `//go:cgo_import_dynamic ${n} ${n} "${library}"\n`).join('');
  return `#include "textflag.h"\n${lines}TEXT ·main(SB),NOSPLIT,${call}\tCALL\truntime·exit(SB)\n\tRET\n`;
}

/** C and C++ main functions that call `cmain` (C linkage) and exit with what it returns: the reference programs a compiler links. */
export const CMAIN_C = 'int cmain(void);\nint main(void) { return cmain(); }\n';
export const CMAIN_CXX = 'extern "C" int cmain(void);\nint main() { return cmain(); }\n';

/** The assembly for cSource's cmain. */
export function cMain(library: string, stdoutName: string, arch: 'amd64' | 'arm64' = 'arm64'): string {
  return asmCallingC(arch, ['printf', 'strlen', 'qsort', 'fflush', stdoutName], library);
}

export const C_WANT = 'say: alpha (5)\nsay: beta (4)\nsay: gamma (5)\nsorted: 1 1 3 4, calls 3\n';

/** The ways a linux program is linked in the C-object tests: internally, as a PIE, and by the system linker. */
export const LINK_MODES: [string, string[]][] = [
  ['internal', []],
  ['pie', ['--pie']],
  ['external', ['--linkmode', 'external']],
];

/** A C compiler and a shared-library linker for one linux architecture (cTools). */
export interface CTools {
  /** Compiles `c` to the object `o` with `flags`. */
  compile(flags: readonly string[], c: string, o: string): SpawnSyncReturns<string>;
  /** Links the objects into the shared library `so`. */
  shared(objs: readonly string[], so: string): SpawnSyncReturns<string>;
}

/**
 * gcc for amd64, gcc -m32 for 386, clang with the cross binutils' ld for
 * arm64 (against the arm64 C library's headers, Debian package
 * libc6-dev-arm64-cross: clang finds no cross GCC to take them from), or why
 * there are none.
 */
export function cTools(arch: 'amd64' | '386' | 'arm64'): CTools | string {
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'needs a linux/amd64 host';
  if (arch === 'arm64') {
    if (!which('clang') || !which('aarch64-linux-gnu-ld')) return 'needs clang and aarch64-linux-gnu-ld (Debian packages clang, binutils-aarch64-linux-gnu)';
    return {
      compile: (flags, c, o) => run('clang', ['--target=aarch64-linux-gnu', '-isystem', '/usr/aarch64-linux-gnu/include', ...flags, '-c', '-o', o, c]),
      shared: (objs, so) => run('aarch64-linux-gnu-ld', ['-shared', '-o', so, ...objs]),
    };
  }
  if (!which('gcc')) return 'needs gcc (Debian package gcc)';
  const m = arch === '386' ? ['-m32'] : [];
  return {
    compile: (flags, c, o) => run('gcc', [...m, ...flags, '-c', '-o', o, c]),
    shared: (objs, so) => run('gcc', [...m, '-shared', '-o', so, ...objs]),
  };
}
