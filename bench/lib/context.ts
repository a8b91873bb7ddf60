// What every benchmark section needs: where the repository and the scratch
// directory are, how to call asmlink's CLI, and how long to spend timing.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runsFor } from './timing.js';

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

export function findAsmlink(root: string): { argv: string[] | undefined; why: string } {
  const cli = path.join(root, 'dist/src/cli/main.js');
  if (!fs.existsSync(cli)) return { argv: undefined, why: `asmlink CLI not built (${path.relative(root, cli)} missing)` };
  return { argv: [process.execPath, cli], why: '' };
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
