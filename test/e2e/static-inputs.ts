// What the static-link tests (static-libc, static-pie) link: the C
// libraries' archives, where this machine has them, and a C program that
// reaches the C library by every route.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, which, writeTemp } from '../helpers.js';
import type { LinuxArch } from './threads-check.js';
import { asmCallingC, cTools } from '../link/c-programs.js';

const cache = path.join(repoRoot, '.cache', 'c-libraries');

const arm64Gcc = path.join(cache, 'arm64', 'usr', 'lib', 'gcc', 'aarch64-linux-gnu', '12');

/** The -L directories where the C library's archives (and on arm64 GCC's) are, or why there are none. */
export function staticArchives(arch: LinuxArch, libc: 'glibc' | 'musl'): string[] | string {
  const gcc = (): string[] | string => (arch !== 'arm64' ? [] : fs.existsSync(path.join(arm64Gcc, 'libgcc.a')) ? [arm64Gcc] : "needs GCC's libgcc.a for arm64: run node tools/fetch-c-libraries.mjs (Debian package libgcc-12-dev:arm64, unpacked)");
  if (libc === 'glibc') {
    const libcA = { amd64: '/usr/lib/x86_64-linux-gnu/libc.a', '386': '/usr/lib32/libc.a', arm64: '/usr/aarch64-linux-gnu/lib/libc.a' }[arch];
    const pkg = { amd64: 'libc6-dev', '386': 'libc6-dev-i386 (gcc-multilib)', arm64: 'libc6-dev-arm64-cross' }[arch];
    if (!fs.existsSync(libcA)) return `needs glibc's libc.a for ${arch} (Debian package ${pkg})`;
    if (arch === '386' && !which('gcc')) return 'needs gcc -m32 for 386\'s libgcc.a (Debian package gcc-multilib)';
    return gcc();
  }
  if (arch === 'amd64') {
    const d = ['/lib/x86_64-linux-musl', '/usr/lib/x86_64-linux-musl'].find((p) => fs.existsSync(path.join(p, 'libc.a')));
    return d ? [d] : 'needs musl\'s libc.a for amd64 (Debian package musl-dev)';
  }
  const deb = arch === '386' ? 'i386' : 'arm64';
  const musl = path.join(cache, deb, 'usr', 'lib', arch === '386' ? 'i386-linux-musl' : 'aarch64-linux-musl');
  if (!fs.existsSync(path.join(musl, 'libc.a'))) return `needs musl's libc.a for ${arch}: run node tools/fetch-c-libraries.mjs (Debian package musl-dev:${deb}, unpacked)`;
  const g = gcc();
  return typeof g === 'string' ? g : [musl, ...g];
}

// A C program that reaches musl by every route: functions, a variable of its (stdout), a constructor, a thread-local, long double.
export const C_PROGRAM = `typedef unsigned long size_t;
typedef struct FILE FILE;
extern FILE *stdout;
int printf(const char *, ...);
void qsort(void *, size_t, size_t, int (*)(const void *, const void *));
int fflush(FILE *);
double cos(double);
static volatile double half = 0.5;
static int started;
int table[4] = {3, 1, 4, 1};
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
__attribute__((constructor)) static void init(void) { started = 100; }
__thread int per_thread = 7;
int cmain(void) {
  qsort(table, 4, sizeof table[0], cmp);
  printf("sorted: %d %d %d %d, started %d, per thread %d, %.3Lf, cos %.3f\\n", table[0], table[1], table[2], table[3], started, per_thread, (long double)1.5, cos(half));
  fflush(stdout);
  return 3;
}
`;
export const C_WANT = 'sorted: 1 1 3 4, started 100, per thread 7, 1.500, cos 0.878\n';


/**
 * C_PROGRAM compiled with `cflags` and built with `flags` (and libm) into
 * `dir`/c-`name`: the executable's path, or why no C compiler is here.
 */
export function buildCProgram(dir: string, arch: LinuxArch, name: string, cflags: readonly string[], flags: readonly string[]): string | { skip: string } {
  const tools = cTools(arch);
  if (typeof tools === 'string') return { skip: tools };
  const o = path.join(dir, `c-${name}.o`);
  const cc = tools.compile(['-O2', ...cflags], writeTemp(dir, `c-${name}.c`, C_PROGRAM), o);
  assert.equal(cc.status, 0, cc.stderr);
  const main = writeTemp(dir, `c-main-${name}.s`, asmCallingC(arch, ['printf', 'qsort', 'fflush', 'stdout']));
  const exe = path.join(dir, `c-${name}`);
  // -l m: glibc's libm.a is a linker script naming its archives.
  const l = asmlink(['build', ...flags, '-o', exe, main, o, '-l', 'm']);
  assert.equal(l.status, 0, l.stderr);
  return exe;
}
