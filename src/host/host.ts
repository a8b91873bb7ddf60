// The machine asmlink runs on, as a target: the default for --os/--arch, and
// what decides whether a program runs natively and which C driver links it.

import * as fs from 'node:fs';
import { machineLibc, type ArchName, type Libc, type Target } from '../target.js';

export function hostTarget(): Target {
  const arch: ArchName = process.arch === 'ia32' ? '386' : process.arch === 'arm64' ? 'arm64' : 'amd64';
  return { os: process.platform === 'darwin' ? 'darwin' : 'linux', arch };
}

/** Whether the host's own C driver builds for arch (an amd64 host builds 386 with -m32). */
export function hostBuildsFor(arch: ArchName): boolean {
  const host = hostTarget().arch;
  return arch === host || (host === 'amd64' && arch === '386');
}

/**
 * The C library of a linux executable built here by default: the machine's
 * own (musl on Alpine) for its own architecture, glibc for any other
 * (--libc chooses otherwise).
 */
export function hostLibc(t: Target): Libc {
  if (process.platform !== 'linux' || t.os !== 'linux' || t.arch !== hostTarget().arch) return 'glibc';
  return machineLibc(t, fs.existsSync);
}

/** The cross toolchains of foreign architectures (Debian's): their GNU triple and sysroot. */
export const CROSS: Partial<Record<ArchName, { triple: string; sysroot: string }>> = {
  arm64: { triple: 'aarch64-linux-gnu', sysroot: '/usr/aarch64-linux-gnu' },
};

/**
 * The C driver's command for a linux architecture, with -m32 for 386: `cc`
 * when one is given (--extld, musl-gcc), else glibc's: the host's cc where
 * it builds for the architecture, the cross gcc otherwise.
 */
export function cDriver(arch: ArchName, cc = hostBuildsFor(arch) ? 'cc' : `${CROSS[arch]?.triple ?? arch}-gcc`): string[] {
  return arch === '386' ? [cc, '-m32'] : [cc];
}
