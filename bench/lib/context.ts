// What every benchmark section needs: where the repository and the scratch
// directory are, how to call asmlink's CLI, and how long to spend timing.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runsFor } from './timing.js';
import { run } from './exec.js';

export interface Context {
  quick: boolean;
  /** Repository root. */
  root: string;
  /** Scratch directory for generated inputs and outputs, removed afterwards unless --keep. */
  work: string;
  /** argv prefix that runs the asmlink CLI, or undefined when it is not built. */
  asmlink: string[] | undefined;
  /** Why asmlink cannot be run, when it cannot. */
  asmlinkWhy: string;
  log(msg: string): void;
}

export interface Section {
  title: string;
  /** Markdown body: tables and notes. */
  body: string;
}

export function repoRoot(): string {
  // This file is dist/bench/lib/context.js once compiled.
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
}

/**
 * The asmlink command to benchmark: the package's bin, as a user runs it
 * (bin/asmlink, which starts Node.js on the CLI bundle). By default a
 * snapshot of the built package (bin, the bundle, dist/src, runtime, include,
 * package.json) is copied into the scratch directory, so the whole run
 * measures one build even while the tree is being rebuilt; the snapshot must
 * answer `--version` or it is taken again.
 */
/** The package's bin (package.json's `bin`). */
const BIN = 'bin/asmlink';

export function findAsmlink(root: string, work: string, snapshot: boolean): { argv: string[] | undefined; why: string } {
  const cli = path.join(root, 'dist/cli.cjs');
  if (!fs.existsSync(cli)) return { argv: undefined, why: `asmlink CLI not built (${path.relative(root, cli)} missing)` };
  if (!snapshot) return { argv: [path.join(root, BIN)], why: '' };
  const dest = path.join(work, 'asmlink');
  let last = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    fs.rmSync(dest, { recursive: true, force: true });
    for (const part of ['bin', 'dist/cli.cjs', 'dist/v8-cache', 'dist/src', 'dist/runtime-objects', 'runtime', 'include', 'package.json']) {
      const from = path.join(root, part);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(dest, part), { recursive: true });
    }
    const argv = [path.join(dest, BIN)];
    const r = run([...argv, '--version'], { timeoutSec: 60 });
    if (r.ok) return { argv, why: '' };
    last = r.why;
    sleep(3000);
  }
  return { argv: undefined, why: `asmlink CLI does not start (${last})` };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs and warm-ups for a command whose single run took `oneRun` seconds.
 * runs = 0 means "do not run it again" (callers that have a validation run
 * may use it as the only sample): --quick, or a command slower than 30 s.
 */
export function plan(ctx: Context, oneRun: number, budgetSec = 12): { runs: number; warmup: number } {
  if (ctx.quick || oneRun > 30) return { runs: 0, warmup: 0 };
  return { runs: runsFor(oneRun, budgetSec, 3, 15), warmup: oneRun < 2 ? 1 : 0 };
}
