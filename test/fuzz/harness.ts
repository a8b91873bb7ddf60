// What every fuzzed call may do: return a value, or throw a DiagnosticError
// whose diagnostics all carry a message. Anything else (a TypeError, a
// RangeError from a DataView, an allocation failure) is a bug, and so is a
// single case that runs longer than the time bound.

import { DiagnosticError } from '../../src/diag.js';

/**
 * A case slower than this fails the property (a hang or a quadratic blow-up).
 * Measured in CPU time of this process, so a loaded machine (other test
 * processes) does not make a fast case look slow.
 */
export const CASE_TIME_LIMIT_MS = 2000;

/**
 * A case whose result is a large file (an executable or object a mutated
 * size made huge) may take time in proportion to it: 1 ms more per 32 KB
 * (the portable SHA-256 of a Mach-O output runs at ~130 MB/s, and the file is
 * zeroed, filled and hashed). Seed 5151 made a 1.3 GB darwin executable in
 * ~25 s, which is slow but linear, not a hang.
 */
export const CASE_BYTES_PER_MS = 32 * 1024;

/** The bytes a case produced, when its result is a file (a link's or a writer's). */
function outputBytes(value: unknown): number {
  if (value instanceof Uint8Array) return value.length;
  const b = (value as { bytes?: unknown } | null | undefined)?.bytes;
  return b instanceof Uint8Array ? b.length : 0;
}

export class FuzzFailure extends Error {}

/** Counters the campaign prints: how many calls returned, how many were diagnosed, the slowest. */
export const stats = { ok: 0, diagnosed: 0, slowestMs: 0, messages: new Map<string, number>() };

export function resetStats(): void {
  stats.ok = 0;
  stats.diagnosed = 0;
  stats.slowestMs = 0;
  stats.messages.clear();
}

export type Outcome<T> = { ok: true; value: T; ms: number } | { ok: false; error: DiagnosticError; ms: number };

/** Runs fn and classifies its outcome; throws FuzzFailure for anything unacceptable. */
export function outcome<T>(fn: () => T, what = 'case'): Outcome<T> {
  const t0 = process.cpuUsage();
  let res: Outcome<T>;
  try {
    const value = fn();
    res = { ok: true, value, ms: 0 };
  } catch (e) {
    if (!(e instanceof DiagnosticError)) {
      const err = e as Error;
      throw new FuzzFailure(`${what}: threw ${err?.name ?? typeof e} instead of a diagnostic: ${err?.stack ?? String(e)}`);
    }
    if (e.diagnostics.length === 0) throw new FuzzFailure(`${what}: DiagnosticError without diagnostics`);
    for (const d of e.diagnostics) {
      if (typeof d.message !== 'string' || d.message.trim() === '') throw new FuzzFailure(`${what}: diagnostic without a message: ${JSON.stringify(d)}`);
      if (typeof d.file !== 'string' || !Number.isFinite(d.line) || !Number.isFinite(d.col)) {
        throw new FuzzFailure(`${what}: diagnostic with a bad position: ${JSON.stringify(d)}`);
      }
    }
    res = { ok: false, error: e, ms: 0 };
  }
  const used = process.cpuUsage(t0);
  res.ms = (used.user + used.system) / 1000;
  if (res.ok) stats.ok++;
  else {
    stats.diagnosed++;
    // Group messages by their shape (numbers and names blanked) to see which checks fire.
    const key = res.error.diagnostics[0]!.message.replace(/0x[0-9a-f]+|\d+/gi, 'N').replace(/[^\s:]*[·.][^\s:]*/g, 'SYM').slice(0, 70);
    stats.messages.set(key, (stats.messages.get(key) ?? 0) + 1);
  }
  if (res.ms > stats.slowestMs) stats.slowestMs = res.ms;
  const limit = CASE_TIME_LIMIT_MS + (res.ok ? outputBytes(res.value) / CASE_BYTES_PER_MS : 0);
  if (res.ms > limit) throw new FuzzFailure(`${what}: took ${res.ms.toFixed(0)} ms (limit ${limit.toFixed(0)} ms)`);
  return res;
}

/** outcome() for use inside a fast-check property: returns true or throws. */
export function acceptable(fn: () => unknown, what?: string): true {
  outcome(fn, what);
  return true;
}

/**
 * Settings shared by the fixed-seed sample (npm test) and the campaign
 * (npm run fuzz). FUZZ_SEED / FUZZ_RUNS override them, so a failure reported by
 * the campaign can be replayed: FUZZ_SEED=123 FUZZ_RUNS=5000 node --test dist/test/fuzz/
 */
export function fuzzParams(defaultRuns: number, defaultSeed = 20261128): { seed: number; numRuns: number } {
  const env = process.env;
  const seed = env.FUZZ_SEED !== undefined ? Number(env.FUZZ_SEED) : defaultSeed;
  const scale = env.FUZZ_SCALE !== undefined ? Number(env.FUZZ_SCALE) : 1;
  const numRuns = env.FUZZ_RUNS !== undefined ? Number(env.FUZZ_RUNS) : Math.max(1, Math.round(defaultRuns * scale));
  return { seed, numRuns };
}
