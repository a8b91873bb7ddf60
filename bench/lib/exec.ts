// Running external commands for the benchmarks: finding tools, running a
// command once to validate it, and reading tool versions. Nothing here
// measures; see timing.ts.

import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';

export interface RunResult {
  ok: boolean;
  status: number | null;
  stdout: string;
  stderr: string;
  /** Wall time in seconds. */
  seconds: number;
  /** A one-line reason when not ok. */
  why: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  timeoutSec?: number;
  input?: string;
}

export function which(cmd: string): string | undefined {
  if (cmd.includes('/')) return fs.existsSync(cmd) ? cmd : undefined;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = `${dir || '.'}/${cmd}`;
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

function firstLine(s: string): string {
  return clip(s.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '');
}

/** The most telling line of an error output: a diagnostic or exception line if there is one, else the first. */
function tellingLine(s: string): string {
  const lines = s.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  return clip(lines.find((l) => /^\S+:\d+:\d+: |^\w*Error\b|\berror\b/i.test(l) && !l.startsWith('at ')) ?? lines[0] ?? '');
}

function clip(line: string): string {
  return line.length > 200 ? line.slice(0, 200) + '…' : line;
}

export function run(argv: string[], o: RunOptions = {}): RunResult {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), {
    env: { ...process.env, ...o.env },
    cwd: o.cwd,
    input: o.input,
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    timeout: (o.timeoutSec ?? 600) * 1000,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const stdout = r.stdout ?? '';
  const stderr = r.stderr ?? '';
  let why = '';
  if (r.error) why = (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? `timed out after ${o.timeoutSec ?? 600}s` : r.error.message;
  else if (r.signal) why = `killed by ${r.signal}${stderr ? ': ' + tellingLine(stderr) : ''}`;
  else if (r.status !== 0) why = `exit status ${r.status}${stderr || stdout ? ': ' + tellingLine(stderr || stdout) : ''}`;
  return { ok: why === '', status: r.status, stdout, stderr, seconds, why };
}

/** The first line of a tool's version output, or undefined when it does not run. */
export function version(argv: string[]): string | undefined {
  if (!which(argv[0]!)) return undefined;
  const r = run(argv, { timeoutSec: 20 });
  const line = firstLine(r.stdout || r.stderr);
  return line || undefined;
}

/** Quotes an argv for display (and for hyperfine's shell-free word splitting). */
export function shellJoin(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
