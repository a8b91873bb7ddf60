// Which runtime sources a target uses. The runtime (runtime/ in the package)
// is picked per target by Go's file-name rule: `x_linux_amd64.s` only for
// linux/amd64, `x_amd64.s` for every OS on amd64, `x_linux.s` for every
// architecture on linux, `x.s` everywhere; from runtime/common and from the
// thread variant's directory (runtime/libc or runtime/raw).

import { DiagnosticError } from '../diag.js';
import type { ObjectFile } from '../obj/symbol.js';
import { ARCHES, OSES, type Target } from '../target.js';

/** libc: threads through pthread_create (the seed's design); raw: linux only, clone(2) and futex, no libc. */
export type ThreadsVariant = 'libc' | 'raw';

/** Every target and variant the runtime is built for: the libc variant everywhere, the raw one on linux. */
export function runtimeSets(): Array<[Target, ThreadsVariant]> {
  const sets: Array<[Target, ThreadsVariant]> = [];
  for (const os of OSES) {
    for (const arch of ARCHES) {
      for (const variant of ['libc', 'raw'] as const) if (checkThreadsVariant({ os, arch }, variant) === undefined) sets.push([{ os, arch }, variant]);
    }
  }
  return sets;
}

/** The directories of runtime/ a variant's sources come from, in link order. */
export function runtimeDirs(variant: ThreadsVariant): readonly string[] {
  return ['common', variant];
}

/**
 * A target's runtime sources among the runtime's files, each named by its
 * path under runtime/ (`libc/thread_amd64.s`, as a directory listing or the
 * embedded copy gives them): the variant's directories in turn, names sorted
 * within each, the `.s` files the file-name rule keeps.
 */
export function runtimeSourcePaths(files: readonly string[], t: Target, variant: ThreadsVariant): string[] {
  const sorted = [...files].sort();
  const out: string[] = [];
  for (const dir of runtimeDirs(variant)) {
    for (const f of sorted) {
      const slash = f.indexOf('/');
      const base = f.slice(slash + 1);
      if (f.slice(0, slash) === dir && base.endsWith('.s') && fileMatchesTarget(base, t)) out.push(f);
    }
  }
  return out;
}

/** Go's file-name rule: whether a runtime file named `name` belongs to target t. */
function fileMatchesTarget(name: string, t: Target): boolean {
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

/** Refuses a variant the target has not: the raw runtime speaks linux's kernel interface. */
export function checkThreadsVariant(t: Target, variant: ThreadsVariant): string | undefined {
  if (variant === 'raw' && t.os !== 'linux') return `--threads raw exists only for linux (the kernel interface of ${t.os} is not stable)`;
  return undefined;
}

/**
 * The raw runtime makes a static program without libc: a program object
 * that imports anything is refused, at its first import. Only the
 * program's objects are given (the runtime's libc variant imports).
 */
export function refuseImportsWithoutLibc(program: readonly ObjectFile[]): void {
  for (const o of program) {
    const d = o.dynimports[0];
    if (d) throw new DiagnosticError([{ file: d.file, line: d.line, col: 1, message: `--threads raw builds a static program without libc, but this imports ${d.remote} from ${d.library}` }]);
  }
}
