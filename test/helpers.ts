// Shared helpers for tests: paths, running the CLI, finding external tools.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test/...). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The CLI as the bin runs it: the bundle through bin/asmlink.cjs (some tests run the unbundled dist/src/cli/main.js, so both are exercised). */
export const cliPath = path.join(repoRoot, 'bin', 'asmlink.cjs');

/** Runs the CLI; env adds to (or overrides) this process's environment. */
export function asmlink(args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', cwd: opts.cwd ?? repoRoot, input: opts.input, env: opts.env && { ...process.env, ...opts.env } });
}

export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: 'utf8', env: opts.env ?? process.env, input: opts.input, maxBuffer: 64 << 20 });
}

export function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = path.join(dir || '.', cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return undefined;
}

const madeDirs: string[] = [];

/**
 * A new directory under the system's temporary directory, removed when the
 * test process exits (each test file runs in its own process), unless
 * ASMLINK_KEEP_TMP is set to look at what a test left there.
 */
export function tempDir(prefix = 'asmlink-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (madeDirs.length === 0 && !process.env.ASMLINK_KEEP_TMP) {
    process.on('exit', () => {
      for (const d of madeDirs) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  madeDirs.push(dir);
  return dir;
}

export function writeTemp(dir: string, name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}
