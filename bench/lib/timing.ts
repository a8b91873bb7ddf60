// Timing whole commands, start-up included. hyperfine does it when installed
// (its JSON export gives every run); otherwise each run is a spawnSync timed
// with process.hrtime. Commands are always run without a shell, so neither
// method counts a shell's start-up.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run, shellJoin, which, type RunOptions } from './exec.js';

export interface Timing {
  /** Seconds. */
  median: number;
  min: number;
  mean: number;
  runs: number;
  /** hyperfine, process.hrtime around one command's runs, or hrtime in rounds with other commands (measure.ts). */
  method: 'hyperfine' | 'hrtime' | 'interleaved';
}

export interface TimeOptions extends RunOptions {
  runs: number;
  warmup: number;
}

let useHyperfine = which('hyperfine') !== undefined;

export function disableHyperfine(): void {
  useHyperfine = false;
}

export function timingMethod(): string {
  return useHyperfine ? 'hyperfine (-N, no shell)' : 'process.hrtime around spawnSync';
}

export function summarize(times: number[], method: Timing['method'] = 'hrtime'): Timing {
  const s = [...times].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, mean: s.reduce((a, b) => a + b, 0) / s.length, runs: s.length, method };
}

function viaHyperfine(argv: string[], o: TimeOptions): Timing | undefined {
  const json = path.join(os.tmpdir(), `asmlink-bench-hf-${process.pid}.json`);
  const args = ['hyperfine', '-N', '--style', 'none', '--runs', String(o.runs), '--warmup', String(o.warmup), '--export-json', json];
  args.push('--', shellJoin(argv));
  const r = run(args, { env: o.env, cwd: o.cwd, timeoutSec: o.timeoutSec });
  try {
    if (!r.ok) return undefined;
    const data = JSON.parse(fs.readFileSync(json, 'utf8')) as { results: { times: number[] }[] };
    const times = data.results[0]?.times;
    return times && times.length > 0 ? summarize(times, 'hyperfine') : undefined;
  } catch {
    return undefined;
  } finally {
    fs.rmSync(json, { force: true });
  }
}

/** A timed run failed: no figure. */
export class TimingError extends Error {}

/**
 * Times a command that is known to succeed (validate it with run() first).
 * Throws TimingError if any run fails: a failing run's time is no figure.
 */
export function timeCommand(argv: string[], o: TimeOptions): Timing {
  // hyperfine stops at the first failing run; then the runs are repeated here,
  // which also finds out why.
  if (useHyperfine) {
    const t = viaHyperfine(argv, o);
    if (t) return t;
  }
  const times: number[] = [];
  for (let i = 0; i < o.warmup + o.runs; i++) {
    const r = run(argv, o);
    if (!r.ok) throw new TimingError(`failed while being timed (run ${i + 1}): ${r.why}`);
    if (i >= o.warmup) times.push(r.seconds);
  }
  return summarize(times, 'hrtime');
}

/** How many timed runs fit a budget, given one run's duration: at least `min`, at most `max`. */
export function runsFor(oneRunSec: number, budgetSec: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Math.floor(budgetSec / Math.max(oneRunSec, 1e-3))));
}
