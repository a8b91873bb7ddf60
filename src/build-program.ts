// The library API's one call from sources to an executable: assemble the
// program, add the runtime (assembled from the copy of runtime/ the build
// embeds, runtime/sources.ts) and link. No I/O, as in the rest of the core:
// the CLI does the same job from files (host/build-exec.ts), with the
// runtime objects prebuilt with the package.

import { assembleAll, type SourceInput } from './build.js';
import { plainError } from './diag.js';
import { defaultEntry } from './link/entry.js';
import { link } from './link/link.js';
import type { LinkOptions, LinkResult } from './link/program.js';
import type { ObjectFile } from './obj/symbol.js';
import { checkThreadsVariant, refuseImportsWithoutLibc, runtimeSourcePaths, type ThreadsVariant } from './runtime/select.js';
import { RUNTIME_FILES } from './runtime/sources.js';
import type { Libc, Target } from './target.js';

export type { ThreadsVariant } from './runtime/select.js';

export interface BuildOptions {
  target: Target;
  /** internal (default): the executable; external: one object for the system linker, and the libraries it needs. */
  linkmode?: 'internal' | 'external';
  /** The runtime's variant (default libc); false links no runtime, and `entry` must then be given. */
  runtime?: ThreadsVariant | false;
  /** The entry symbol (default: the runtime's entry for the target, as the CLI picks it). */
  entry?: string;
  /** Package of the program's sources (default main: `·main` is main.main). */
  pkg?: string;
  /** Directories #include searches after the including file's own; the runtime's headers come after them. */
  includeDirs?: readonly string[];
  /** Reads a file #include names; undefined when it does not exist. */
  readFile?: (path: string) => string | undefined;
  defines?: Readonly<Record<string, string>>;
  /** DWARF debugging information for the program and the runtime (LinkOptions.debug). */
  debug?: { compDir?: string };
  /** No symbol table and no debugging information (LinkOptions.strip). */
  strip?: boolean;
  /** linux: the C library the program is for, glibc (default) or musl (LinkOptions.libc). */
  libc?: Libc;
  /** Options of the format writer, as LinkOptions.format lists them (rpath; ELF interp, pie, buildId; Mach-O codesign, fixups, identifier, macosMin). */
  format?: LinkOptions['format'];
}

/** Where the runtime's files appear to be, in diagnostics and debugging information. */
const RUNTIME_ROOT = '<asmlink>/runtime';
const RUNTIME_INCLUDE = `${RUNTIME_ROOT}/include`;

/** The runtime's headers, for a path under RUNTIME_INCLUDE. */
function readRuntimeHeader(path: string): string | undefined {
  return path.startsWith(`${RUNTIME_INCLUDE}/`) ? RUNTIME_FILES[path.slice(RUNTIME_ROOT.length + 1)] : undefined;
}

/** The runtime's sources for a target and variant, in the order the CLI links them (runtime/select.ts). */
export function runtimeSourcesFor(t: Target, variant: ThreadsVariant): SourceInput[] {
  return runtimeSourcePaths(Object.keys(RUNTIME_FILES), t, variant).map((name) => ({ file: `${RUNTIME_ROOT}/${name}`, text: RUNTIME_FILES[name]! }));
}

/** Runtime objects already assembled in this process, by target, variant and debug; the linker does not change its inputs. */
const assembled = new Map<string, ObjectFile[]>();

/**
 * The runtime assembled for a target (package runtime), with instruction
 * lines when debugging information is asked for. Assembled once per process
 * (~16 ms of a ~20 ms build of a small program, warm).
 */
export function runtimeObjectsFor(t: Target, variant: ThreadsVariant, debug = false): ObjectFile[] {
  const refused = checkThreadsVariant(t, variant);
  if (refused) throw plainError(refused);
  const key = `${t.os}/${t.arch}/${variant}/${debug}`;
  let objects = assembled.get(key);
  if (objects === undefined) {
    objects = assembleAll(runtimeSourcesFor(t, variant), { target: t, pkg: 'runtime', includeDirs: [RUNTIME_INCLUDE], readFile: readRuntimeHeader, insts: debug });
    assembled.set(key, objects);
  }
  return objects;
}

/**
 * Sources to an executable (or, in external mode, to the object the system
 * linker is to link): what `asmlink build` does, without files.
 *
 *     const out = build([{ file: 'hello.s', text }], { target: { os: 'linux', arch: 'amd64' } });
 *     // out.kind === 'executable': out.bytes is the ELF file.
 */
export function build(sources: readonly SourceInput[], opts: BuildOptions): LinkResult {
  const t = opts.target;
  const variant = opts.runtime === undefined ? 'libc' : opts.runtime;
  const linkmode = opts.linkmode ?? 'internal';
  const debug = opts.debug !== undefined;
  const userReader = opts.readFile;
  const program = assembleAll(sources, {
    target: t,
    pkg: opts.pkg,
    includeDirs: [...(opts.includeDirs ?? []), RUNTIME_INCLUDE],
    readFile: (path) => readRuntimeHeader(path) ?? userReader?.(path),
    defines: opts.defines,
    insts: debug,
  });
  if (variant === 'raw') refuseImportsWithoutLibc(program);
  const runtime = variant === false ? [] : runtimeObjectsFor(t, variant, debug);
  // The raw runtime has no C start-up to call C main, even in external mode: it starts at its own entry.
  const entry = opts.entry ?? defaultEntry(t, variant === 'raw' ? 'internal' : linkmode);
  return link([...program, ...runtime], {
    target: t,
    linkmode,
    entry,
    ...(opts.libc ? { libc: opts.libc } : {}),
    ...(opts.strip ? { strip: true } : {}),
    ...(variant === false && opts.entry === undefined ? { entryHint: 'a build without the runtime has no start-up code: define it, or name another entry' } : {}),
    ...(opts.debug ? { debug: opts.debug } : {}),
    ...(opts.format ? { format: opts.format } : {}),
  });
}
