// Locates the runtime sources shipped in the package and reads those that
// belong to a target (which ones: runtime/select.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Target } from '../target.js';
import type { SourceInput } from '../build.js';
import { runtimeDirs, runtimeSourcePaths, type ThreadsVariant } from '../runtime/select.js';

export type { ThreadsVariant } from '../runtime/select.js';

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

/** Paths of the runtime sources for a target and thread variant, sorted by name (deterministic). */
export function runtimeSourceFiles(t: Target, variant: ThreadsVariant): string[] {
  const root = runtimeDir();
  const listed: string[] = [];
  for (const sub of runtimeDirs(variant)) {
    const dir = path.join(root, sub);
    if (fs.existsSync(dir)) for (const name of fs.readdirSync(dir)) listed.push(`${sub}/${name}`);
  }
  return runtimeSourcePaths(listed, t, variant).map((f) => path.join(root, ...f.split('/')));
}

/** Runtime sources for a target and thread variant, with their text. */
export function runtimeSources(t: Target, variant: ThreadsVariant): SourceInput[] {
  return runtimeSourceFiles(t, variant).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
}

export function runtimeIncludeDir(): string {
  return path.join(runtimeDir(), 'include');
}
