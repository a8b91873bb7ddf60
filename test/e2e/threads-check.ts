// Checks shared by the per-architecture example tests (examples-386,
// examples-arm64): the exact output of examples/threads.s, and running a
// program through an optional emulator prefix.
import assert from 'node:assert/strict';
import { run } from '../helpers.js';

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

/** Runs exe with args, behind an emulator when prefix is not empty (e.g. ['qemu-i386']). */
export function runWith(prefix: readonly string[], exe: string, args: string[]): ReturnType<typeof run> {
  return prefix.length === 0 ? run(exe, args) : run(prefix[0]!, [...prefix.slice(1), exe, ...args]);
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
