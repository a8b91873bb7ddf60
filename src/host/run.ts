// How to run an executable for a target on this machine: natively, under
// qemu-user for a foreign Linux architecture, or not at all (darwin).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { plainError } from '../diag.js';
import type { Target } from '../target.js';
import { hostBuildsFor, hostTarget } from './host.js';


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

/**
 * The smallest i386 Linux program: one PT_LOAD whose code is
 * `mov $1, %eax; mov $42, %ebx; int $0x80` (exit(42)).
 */
function tinyI386Program(): Uint8Array {
  const b = new Uint8Array(0x54 + 12);
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]); // ELF, 32-bit, little-endian, version 1
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 3, true); // EM_386
  v.setUint32(20, 1, true);
  v.setUint32(24, 0x08048054, true); // entry
  v.setUint32(28, 0x34, true); // phoff
  v.setUint16(40, 0x34, true); // ehsize
  v.setUint16(42, 0x20, true); // phentsize
  v.setUint16(44, 1, true); // phnum
  v.setUint32(0x34, 1, true); // PT_LOAD
  v.setUint32(0x38, 0, true);
  v.setUint32(0x3c, 0x08048000, true);
  v.setUint32(0x40, 0x08048000, true);
  v.setUint32(0x44, b.length, true);
  v.setUint32(0x48, b.length, true);
  v.setUint32(0x4c, 5, true); // R+X
  v.setUint32(0x50, 0x1000, true);
  b.set([0xb8, 1, 0, 0, 0, 0xbb, 42, 0, 0, 0, 0xcd, 0x80], 0x54);
  return b;
}

let i386Native: boolean | undefined;

/** Whether this amd64 kernel runs i386 programs (it needs IA-32 emulation, which some kernels leave out). */
function kernelRunsI386(): boolean {
  if (i386Native !== undefined) return i386Native;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asmlink-probe-'));
  try {
    const exe = path.join(dir, 'probe');
    fs.writeFileSync(exe, tinyI386Program(), { mode: 0o755 });
    i386Native = spawnSync(exe, [], { stdio: 'ignore' }).status === 42;
  } catch {
    i386Native = false;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return i386Native;
}

/** Returns a function giving the argv prefix that runs an executable for target t. */
export function runnerFor(t: Target): (exe: string) => string[] {
  if (t.os === 'darwin' && process.platform !== 'darwin') {
    throw plainError(`cannot run darwin/${t.arch} executables on this machine; use asmlink build`);
  }
  const native = hostBuildsFor(t.arch) && (t.arch !== '386' || hostTarget().arch === '386' || kernelRunsI386());
  if (native) return (exe) => [exe];
  const qemu = t.arch === 'arm64' ? 'qemu-aarch64' : t.arch === '386' ? 'qemu-i386' : 'qemu-x86_64';
  const qemuPath = findOnPath(qemu);
  if (!qemuPath) throw plainError(`cannot run linux/${t.arch} executables here: the kernel does not and ${qemu} was not found (Debian package qemu-user)`);
  const prefix = t.arch === 'arm64' ? '/usr/aarch64-linux-gnu' : undefined;
  return (exe) => (prefix && !process.env.QEMU_LD_PREFIX ? [qemuPath, '-L', prefix, exe] : [qemuPath, exe]);
}

/** The PT_INTERP path of an ELF executable (in its first page, as every linker puts it), or undefined. */
export function programInterpreter(file: string): string | undefined {
  const b = Buffer.alloc(4096);
  const fd = fs.openSync(file, 'r');
  let n: number;
  try {
    n = fs.readSync(fd, b, 0, b.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (n < 52 || b.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = b[4] === 2;
  const phoff = is64 ? Number(b.readBigUInt64LE(32)) : b.readUInt32LE(28);
  const phentsize = b.readUInt16LE(is64 ? 54 : 42);
  const phnum = b.readUInt16LE(is64 ? 56 : 44);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (ph + phentsize > n) return undefined;
    if (b.readUInt32LE(ph) !== 3) continue; // PT_INTERP
    const off = is64 ? Number(b.readBigUInt64LE(ph + 8)) : b.readUInt32LE(ph + 4);
    const size = is64 ? Number(b.readBigUInt64LE(ph + 32)) : b.readUInt32LE(ph + 16);
    if (off + size > n || size === 0) return undefined;
    return b.toString('latin1', off, off + size - 1);
  }
  return undefined;
}

/** Which package provides a C library's loader, for the message that it is missing. */
const LOADER_PACKAGES: Record<string, string> = {
  '/lib64/ld-linux-x86-64.so.2': 'glibc: Debian package libc6',
  '/lib/ld-linux.so.2': 'the 32-bit glibc: Debian package libc6-i386',
  '/lib/ld-linux-aarch64.so.1': 'the arm64 glibc for qemu-aarch64: Debian package libc6-arm64-cross',
  '/lib/ld-musl-x86_64.so.1': 'musl: Debian package musl, Alpine package musl',
  '/lib/ld-musl-i386.so.1': 'musl for 386: Debian package musl:i386',
  '/lib/ld-musl-aarch64.so.1': 'musl for arm64: Debian package musl:arm64',
};

/**
 * Why the kernel (or qemu) could not start a program that argv runs: its
 * program interpreter is missing, which the kernel reports as the program
 * itself being missing (ENOENT). qemu looks under its -L prefix first.
 */
export function missingInterpreter(exe: string, argv: readonly string[]): string | undefined {
  const interp = programInterpreter(exe);
  if (interp === undefined) return undefined;
  const l = argv.indexOf('-L');
  const prefix = argv[0] === exe ? undefined : l >= 0 ? argv[l + 1] : process.env.QEMU_LD_PREFIX;
  if (fs.existsSync(interp) || (prefix !== undefined && fs.existsSync(path.join(prefix, interp)))) return undefined;
  const what = LOADER_PACKAGES[interp];
  return `its program interpreter ${interp} is not on this machine${prefix !== undefined ? ` (nor under ${prefix})` : ''}${what ? ` (${what})` : ''}`;
}

/**
 * Runs cmd with this process's standard streams, as `asmlink run` does, and
 * resolves with how it ended. Meanwhile this process ignores SIGINT and
 * SIGQUIT, as system(3) does: a terminal sends them to the program too, which
 * decides what they mean, and asmlink stays to remove its temporary files.
 * SIGTERM and SIGHUP, which come to a process rather than to its group, are
 * passed on to the program.
 */
export function runAttached(cmd: string, args: string[]): Promise<{ status: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const ignore = () => {};
    // Handlers run from the event loop, after this function has made the
    // child; they are installed first so that no signal finds the default
    // action between the program's start and theirs.
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    const handlers: [NodeJS.Signals, (sig: NodeJS.Signals) => void][] = [
      ['SIGINT', ignore],
      ['SIGQUIT', ignore],
      ['SIGTERM', forward],
      ['SIGHUP', forward],
    ];
    for (const [sig, h] of handlers) process.on(sig, h);
    const child = spawn(cmd, args, { stdio: 'inherit' });
    const settle = () => {
      for (const [sig, h] of handlers) process.off(sig, h);
    };
    child.once('error', (e) => {
      settle();
      reject(e);
    });
    child.once('exit', (status, signal) => {
      settle();
      resolve({ status, signal });
    });
  });
}
