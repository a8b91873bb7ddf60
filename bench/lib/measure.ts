// The rows of a benchmark table: each command is validated by running it once
// (a failure becomes a row that says why, never a figure), then all the
// table's commands are timed together, in interleaved rounds.

import { run, shellJoin, type RunOptions, type RunResult } from './exec.js';
import { runsFor, summarize, type Timing } from './timing.js';
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
  /** A validated command still to be timed (by timeTogether). */
  pending?: { argv: string[]; opts: RunOptions };
}

export interface MeasureOptions extends RunOptions {
  /** Extra check after a successful validation run; returns a reason to reject, or undefined. */
  check?: (r: RunResult) => string | undefined;
}

/** Runs a command once to validate it; a row to time with timeTogether, or one that says why there is no figure. */
export function validate(ctx: Context, label: string, argv: string[] | undefined, o: MeasureOptions = {}): Row {
  if (!argv) return { label, cmd: '', why: 'not available' };
  const cmd = shellJoin(argv);
  ctx.log(`  ${label}: ${cmd.length > 160 ? cmd.slice(0, 160) + '…' : cmd}`);
  const first = run(argv, o);
  if (!first.ok) return { label, cmd, why: first.why, first };
  const bad = o.check?.(first);
  if (bad) return { label, cmd, why: bad, first };
  return { label, cmd, first, pending: { argv, opts: o } };
}

/**
 * Times the validated rows of one table together: each round runs every
 * command once, starting one command further on each round, so a change of
 * load on a shared machine (other tenants come and go within seconds) falls
 * on all of them alike instead of on whichever ran then. The figure is the
 * median over the rounds. As many rounds as fit `budgetSec` per command (3 to
 * 15); a command slower than 30 s, or any under --quick, is not repeated: its
 * validation run is its figure.
 */
export function timeTogether(ctx: Context, rows: Row[], budgetSec = 12): void {
  const timed: { row: Row; times: number[] }[] = [];
  for (const row of rows) {
    if (!row.pending) continue;
    const once = row.first!.seconds;
    if (plan(ctx, once).runs === 0) row.timing = { median: once, min: once, mean: once, runs: 1, method: 'hrtime' };
    else timed.push({ row, times: [] });
  }
  if (timed.length > 0) {
    const roundSec = timed.reduce((t, x) => t + x.row.first!.seconds, 0);
    const rounds = runsFor(roundSec, budgetSec * timed.length, 3, 15);
    ctx.log(`  timing ${timed.length} command${timed.length > 1 ? 's' : ''} in ${rounds} interleaved rounds`);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < timed.length; k++) {
        const x = timed[(r + k) % timed.length]!;
        if (x.row.why) continue;
        const res = run(x.row.pending!.argv, x.row.pending!.opts);
        if (res.ok) x.times.push(res.seconds);
        // A failing run's time is no figure, nor are the others of that command.
        else x.row.why = `failed while being timed (round ${r + 1}): ${res.why}`;
      }
    }
    for (const x of timed) if (!x.row.why) x.row.timing = summarize(x.times, 'interleaved');
  }
  for (const row of rows) delete row.pending;
}

/** A row for a tool that is not installed. */
export function missing(label: string, what: string): Row {
  return { label, cmd: '', why: `${what} not installed` };
}
