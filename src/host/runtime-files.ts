// Locates the runtime sources shipped in the package and picks those that
// belong to a target, by Go's file-name rule: `x_linux_amd64.s` only for
// linux/amd64, `x_amd64.s` for every OS on amd64, `x_linux.s` for every
// architecture on linux, `x.s` everywhere.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARCHES, OSES, type Target } from '../target.js';
import type { SourceInput } from '../build.js';

export type ThreadsVariant = 'libc' | 'raw';

let root: string | undefined;
/**
 * The package root: the nearest directory above this module that holds
 * package.json and runtime/ (this module is dist/src/host/runtime-files.js,
 * or part of the CLI bundle dist/cli.cjs).
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'runtime'))) return (root = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`internal: no package root above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

export function runtimeDir(): string {
  return path.join(packageRoot(), 'runtime');
}

export function fileMatchesTarget(name: string, t: Target): boolean {
  const base = name.replace(/\.s$/, '');
  const parts = base.split('_');
  const last = parts[parts.length - 1]!;
  const prev = parts.length > 2 ? parts[parts.length - 2]! : undefined;
  const isOs = (s: string) => (OSES as readonly string[]).includes(s);
  const isArch = (s: string) => (ARCHES as readonly string[]).includes(s);
  if (parts.length >= 3 && prev && isOs(prev) && isArch(last)) return prev === t.os && last === t.arch;
  if (parts.length >= 2 && isArch(last)) return last === t.arch;
  if (parts.length >= 2 && isOs(last)) return last === t.os;
  return true;
}

/** Paths of the runtime sources for a target and thread variant, sorted by name (deterministic). */
export function runtimeSourceFiles(t: Target, variant: ThreadsVariant): string[] {
  const root = runtimeDir();
  const out: string[] = [];
  for (const sub of ['common', variant]) {
    const dir = path.join(root, sub);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      if (name.endsWith('.s') && fileMatchesTarget(name, t)) out.push(path.join(dir, name));
    }
  }
  return out;
}

/** Runtime sources for a target and thread variant, with their text. */
export function runtimeSources(t: Target, variant: ThreadsVariant): SourceInput[] {
  return runtimeSourceFiles(t, variant).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
}

export function runtimeIncludeDir(): string {
  return path.join(runtimeDir(), 'include');
}
