// How to run an executable for a target on this machine: natively, under
// qemu-user for a foreign Linux architecture, or not at all (darwin).

import * as fs from 'node:fs';
import { plainError } from '../diag.js';
import type { Target } from '../target.js';

function hostArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
}

export function findOnPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = `${dir || '.'}/${cmd}`;
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** Returns a function giving the argv prefix that runs an executable for target t. */
export function runnerFor(t: Target): (exe: string) => string[] {
  if (t.os === 'darwin' && process.platform !== 'darwin') {
    throw plainError(`cannot run darwin/${t.arch} executables on this machine; use asmlink build`);
  }
  const host = hostArch();
  const native = t.arch === host || (host === 'amd64' && t.arch === '386');
  if (native) return (exe) => [exe];
  const qemu = t.arch === 'arm64' ? 'qemu-aarch64' : t.arch === '386' ? 'qemu-i386' : 'qemu-x86_64';
  const qemuPath = findOnPath(qemu);
  if (!qemuPath) throw plainError(`cannot run linux/${t.arch} executables here: ${qemu} not found (Debian package qemu-user)`);
  const prefix = t.arch === 'arm64' ? '/usr/aarch64-linux-gnu' : undefined;
  return (exe) => (prefix && !process.env.QEMU_LD_PREFIX ? [qemuPath, '-L', prefix, exe] : [qemuPath, exe]);
}
