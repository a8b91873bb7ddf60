// The os/arch pairs asmlink produces, and the facts that differ between them.

export type OS = 'linux' | 'darwin';
export type ArchName = 'amd64' | '386' | 'arm64';

export interface Target {
  os: OS;
  arch: ArchName;
}

export const OSES: readonly OS[] = ['linux', 'darwin'];
export const ARCHES: readonly ArchName[] = ['amd64', '386', 'arm64'];

export function isOS(s: string): s is OS {
  return (OSES as readonly string[]).includes(s);
}
export function isArch(s: string): s is ArchName {
  return (ARCHES as readonly string[]).includes(s);
}

export function ptrSize(arch: ArchName): 4 | 8 {
  return arch === '386' ? 4 : 8;
}

/** The C library that dynamic imports name by default. */
export function libcName(os: OS): string {
  return os === 'darwin' ? '/usr/lib/libSystem.B.dylib' : 'libc.so.6';
}

/**
 * A linux program's libraries in the order the loader searches them: as the
 * imports first name them, the C library last, where `cc` puts -lc, so a
 * library that defines a libc name (libpthread.so.0 before glibc 2.34, which
 * the runtime imports from) is found first, as in a C program.
 */
export function cLibraryLast(libraries: readonly string[]): string[] {
  const libc = libcName('linux');
  return [...libraries.filter((l) => l !== libc), ...libraries.filter((l) => l === libc)];
}

/** The C library a linux executable is for: glibc (the default) or musl (Alpine and other musl systems). */
export type Libc = 'glibc' | 'musl';

/** The architecture as the C libraries name it in file names (`uname -m`): x86_64, i386, aarch64. */
export function machineName(arch: ArchName): string {
  return arch === 'amd64' ? 'x86_64' : arch === '386' ? 'i386' : 'aarch64';
}

/** The program interpreter (ELF: the C library's dynamic loader) or dynamic linker (Mach-O). */
export function interpreter(t: Target, libc: Libc = 'glibc'): string {
  if (t.os === 'darwin') return '/usr/lib/dyld';
  // musl's loader is its libc.so too.
  if (libc === 'musl') return `/lib/ld-musl-${machineName(t.arch)}.so.1`;
  switch (t.arch) {
    case 'amd64':
      return '/lib64/ld-linux-x86-64.so.2';
    case '386':
      return '/lib/ld-linux.so.2';
    case 'arm64':
      return '/lib/ld-linux-aarch64.so.1';
  }
}

/**
 * The C library of a linux machine for one architecture: musl where it has
 * musl's loader and not glibc's, as Go's linker decides. `exists` asks the
 * machine (the core does no I/O: the CLI passes a file test).
 */
export function machineLibc(t: Target, exists: (path: string) => boolean): Libc {
  return !exists(interpreter(t, 'glibc')) && exists(interpreter(t, 'musl')) ? 'musl' : 'glibc';
}

/** Segment alignment: 16 KiB pages on Apple arm64; 64 KiB is safe for every arm64 Linux kernel. */
export function pageSize(t: Target): number {
  if (t.arch === 'arm64') return t.os === 'darwin' ? 0x4000 : 0x10000;
  return 0x1000;
}

export function targetName(t: Target): string {
  return `${t.os}/${t.arch}`;
}
