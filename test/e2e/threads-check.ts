// Checks shared by the tests that run linux programs of every architecture:
// the exact output of examples/threads.s, and running a program natively or
// through the emulator its architecture needs on this host.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which } from '../helpers.js';

export type LinuxArch = 'amd64' | '386' | 'arm64';

/** Where qemu-aarch64 finds the arm64 C library. */
export const arm64Sysroot = process.env.QEMU_LD_PREFIX ?? '/usr/aarch64-linux-gnu';

const prefixMemo = new Map<LinuxArch, string[] | string>();

/**
 * The emulator prefix that runs linux programs of `arch` here ([] natively),
 * or why they cannot run. 32-bit programs run natively when the kernel has
 * IA-32 emulation (probed with a build of examples/hello.s), else under
 * qemu-i386.
 */
export function linuxPrefix(arch: LinuxArch): string[] | string {
  let p = prefixMemo.get(arch);
  if (p === undefined) {
    p = findPrefix(arch);
    prefixMemo.set(arch, p);
  }
  return p;
}

function findPrefix(arch: LinuxArch): string[] | string {
  if (process.platform !== 'linux') return 'needs a linux host';
  if (arch === 'amd64') return process.arch === 'x64' ? [] : 'needs an amd64 host';
  if (arch === '386') {
    if (process.arch !== 'x64' && process.arch !== 'ia32') return 'needs an x86 host';
    const exe = path.join(tempDir(), 'hello-386');
    const b = asmlink(['build', '--os', 'linux', '--arch', '386', '--threads', 'raw', '-o', exe, path.join(repoRoot, 'examples', 'hello.s')]);
    assert.equal(b.status, 0, b.stderr);
    // When the kernel refuses the program (ENOEXEC), execvp hands it to
    // /bin/sh as a script, so judge by what it printed.
    const native = run(exe, []);
    if (native.status === 0 && native.stdout === 'hello, world\n') return [];
    const q = which('qemu-i386');
    return q ? [q] : 'needs a kernel that runs 32-bit programs, or qemu-i386 (Debian package qemu-user)';
  }
  if (process.arch === 'arm64') return [];
  const q = which('qemu-aarch64');
  if (!q) return 'needs qemu-aarch64 (Debian package qemu-user)';
  if (!fs.existsSync(path.join(arm64Sysroot, 'lib', 'ld-linux-aarch64.so.1'))) return `needs the arm64 C library in ${arm64Sysroot} (Debian package libc6-arm64-cross)`;
  return [q, '-L', arm64Sysroot];
}

export function expectedSum(i: number): bigint {
  const lo = BigInt(i) * 1000000n;
  return 1000000n * lo + (1000000n * 999999n) / 2n;
}

/** N lines `thread I: sum=S tid=T` in order with the right sums and distinct tids, then `total=X`. Returns the tids. */
export function checkThreads(stdout: string, n: number): string[] {
  const lines = stdout.trimEnd().split('\n');
  assert.equal(lines.length, n + 1, stdout.slice(0, 500));
  const tids = new Set<string>();
  let total = 0n;
  for (let i = 0; i < n; i++) {
    const m = /^thread (\d+): sum=(\d+) tid=(\d+)$/.exec(lines[i]!);
    assert.ok(m, `line ${i}: ${lines[i]}`);
    assert.equal(Number(m[1]), i);
    assert.equal(BigInt(m[2]!), expectedSum(i));
    tids.add(m[3]!);
    total += expectedSum(i);
  }
  assert.equal(tids.size, n, 'thread ids are distinct');
  assert.equal(lines[n], `total=${total}`);
  return [...tids];
}

/**
 * Runs exe with args, behind an emulator when prefix is not empty (e.g.
 * ['qemu-i386']). `env` is added to the program's environment; an emulator
 * gets it with -E, so that it reaches the program only (qemu is itself a
 * dynamically linked program, which LD_PROFILE or LD_AUDIT would affect).
 */
export function runWith(prefix: readonly string[], exe: string, args: string[], env: Record<string, string> = {}): ReturnType<typeof run> {
  if (prefix.length === 0) return run(exe, args, { env: { ...process.env, ...env } });
  // qemu sets the guest's variables with -E (in its own environment they could
  // change qemu itself: LD_*); a loader run as a program (glibc 2.31's) gets them as any program does.
  if (!path.basename(prefix[0]!).startsWith('qemu-')) return run(prefix[0]!, [...prefix.slice(1), exe, ...args], { env: { ...process.env, ...env } });
  // They are qemu's own options, so they come before the program qemu runs
  // (which is glibc 2.31's loader, not exe, for oldGlibcRunner's prefix).
  const vars = Object.entries(env).flatMap(([k, v]) => ['-E', `${k}=${v}`]);
  return run(prefix[0]!, [...vars, ...prefix.slice(1), exe, ...args]);
}

/**
 * Runs the threads example with n threads from a shell that prints its own
 * pid and then execs the program (or its emulator, which keeps the pid), so
 * the process id is known: no worker may report it as its thread id.
 */
export function checkTidsAvoidPid(prefix: readonly string[], exe: string, n: number): void {
  const r = run('/bin/sh', ['-c', 'echo $$; exec "$@"', 'sh', ...prefix, exe, String(n)]);
  assert.equal(r.status, 0, r.stderr);
  const nl = r.stdout.indexOf('\n');
  const pid = r.stdout.slice(0, nl);
  assert.match(pid, /^\d+$/);
  const tids = checkThreads(r.stdout.slice(nl + 1), n);
  assert.ok(!tids.includes(pid), `a worker reported the process id ${pid}`);
}

/** Runs the threads example with each count of threads and checks its output. */
export function checkThreadCounts(prefix: readonly string[], exe: string, counts: readonly number[]): void {
  for (const n of counts) {
    const r = runWith(prefix, exe, [String(n)]);
    assert.equal(r.status, 0, `${n} threads: ${r.stderr}`);
    checkThreads(r.stdout, n);
  }
}

/** A 100-byte stack, below every C library's minimum: the runtime's failure path (EINVAL from pthread_attr_setstacksize). */
export function checkStackTooSmall(prefix: readonly string[], exe: string): void {
  const r = runWith(prefix, exe, ['2', '100']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'runtime: failed to create new OS thread (errno 22)\n');
}

// Debian 11's C library (glibc 2.31), fetched by tools/fetch-old-glibc.mjs.
const oldRoot = path.join(repoRoot, '.cache', 'glibc-2.31');
const triple: Record<LinuxArch, string> = { amd64: 'x86_64-linux-gnu', '386': 'i386-linux-gnu', arm64: 'aarch64-linux-gnu' };
const debArch: Record<LinuxArch, string> = { amd64: 'amd64', '386': 'i386', arm64: 'arm64' };

/** The command prefix that runs a program of arch against glibc 2.31, or why it cannot run here. */
export function oldGlibcRunner(arch: LinuxArch): string[] | string {
  const emulator = linuxPrefix(arch);
  if (typeof emulator === 'string') return emulator;
  const lib = path.join(oldRoot, debArch[arch], 'lib', triple[arch]);
  const loader = path.join(lib, 'ld-2.31.so');
  if (!fs.existsSync(loader)) return `needs Debian 11's libc6 (glibc 2.31) for ${debArch[arch]} in ${oldRoot}: run node tools/fetch-old-glibc.mjs`;
  // qemu-aarch64 runs the loader itself, which needs no sysroot.
  const qemu = emulator.slice(0, 1);
  return [...qemu, loader, '--library-path', lib];
}
