// One row of a benchmark: validate the command by running it once (a failure
// becomes a row that says why, never a figure), then time it.

import { run, shellJoin, type RunOptions, type RunResult } from './exec.js';
import { timeCommand, TimingError, type Timing } from './timing.js';
import { plan, type Context } from './context.js';

export interface Row {
  label: string;
  /** The command as a person would type it (for the notes). */
  cmd: string;
  timing?: Timing;
  /** Why there is no figure. */
  why?: string;
  /** The validation run's result, for sections that look at output. */
  first?: RunResult;
}

export interface MeasureOptions extends RunOptions {
  /** Extra check after a successful validation run; returns a reason to reject, or undefined. */
  check?: (r: RunResult) => string | undefined;
  budgetSec?: number;
  /** Skip timing (e.g. the caller only wanted the validation run). */
  noTiming?: boolean;
}

export function measure(ctx: Context, label: string, argv: string[] | undefined, o: MeasureOptions = {}): Row {
  if (!argv) return { label, cmd: '', why: 'not available' };
  const cmd = shellJoin(argv);
  ctx.log(`  ${label}: ${cmd.length > 160 ? cmd.slice(0, 160) + '…' : cmd}`);
  const first = run(argv, o);
  if (!first.ok) return { label, cmd, why: first.why, first };
  const bad = o.check?.(first);
  if (bad) return { label, cmd, why: bad, first };
  if (o.noTiming) return { label, cmd, first };
  const p = plan(ctx, first.seconds, o.budgetSec);
  // A command that takes a long time is not repeated: its validation run is the figure.
  if (p.runs === 0) return { label, cmd, timing: { median: first.seconds, min: first.seconds, mean: first.seconds, runs: 1, method: 'hrtime' }, first };
  try {
    return { label, cmd, timing: timeCommand(argv, { ...o, ...p }), first };
  } catch (e) {
    if (e instanceof TimingError) return { label, cmd, why: e.message, first };
    throw e;
  }
}

/** A row for a tool that is not installed. */
export function missing(label: string, what: string): Row {
  return { label, cmd: '', why: `${what} not installed` };
}
