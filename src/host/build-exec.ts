// Building executables from the CLI: adds the runtime (prebuilt, or read from
// runtime/ and assembled), calls the core linker, and in external mode hands
// the object it writes to the system linker. Everything here may touch the
// file system and processes. (The library API's build() is the same job
// without files: src/build-program.ts.)

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticError, plainError } from '../diag.js';
import { defaultEntry } from '../link/entry.js';
import { linkWith } from '../link/pipeline.js';
import { loadWriters } from '../link/load-writers.js';
import type { DynImport, ObjectFile } from '../obj/symbol.js';
import type { Libc, Target } from '../target.js';
import { isSpecialFile, moveExecutableIntoPlace, readTextFile, scratchDirFor, tempStem, withSignalsDropped, writeFileAtomic } from './files.js';
import { hostLibc } from './host.js';
import { phaseTracer } from './trace.js';
import { nodeChildProcess } from './node-builtins.js';
import { checkThreadsVariant } from '../runtime/select.js';
import { prebuiltRuntime, runtimeObjectsMode } from './runtime-cache.js';
import { runtimeIncludeDir, runtimeSources, type ThreadsVariant } from './runtime-files.js';

export interface ExecOptions {
  target: Target;
  linkmode: 'internal' | 'external';
  threads: ThreadsVariant;
  noRuntime: boolean;
  entry?: string;
  extld?: string;
  codesign: boolean;
  fixups: 'dyld-info' | 'chained';
  macosMin?: string;
  /** linux: the C library the program is for (default: hostLibc). */
  libc?: Libc;
  /** linux: the program interpreter (default: the C library's loader). */
  interp?: string;
  /** Directories where the loader looks for the libraries (ELF DT_RUNPATH, Mach-O LC_RPATH). */
  rpaths?: readonly string[];
  /** External mode: further arguments for the system linker. */
  extldflags?: readonly string[];
  /** A position-independent executable (linux amd64/arm64; darwin amd64/arm64 ones always are). */
  pie?: boolean;
  /** linux: a .note.gnu.build-id (darwin executables have an LC_UUID always). */
  buildId?: boolean;
  /** linux: the program's global symbols in .dynsym, for the libraries it loads (GNU ld -E). */
  exportDynamic?: boolean;
  /** No symbol table, no debugging information (-s). */
  strip?: boolean;
  /** External mode: link the C library statically (--static). */
  staticLibc?: boolean;
  keepObject?: string;
  /** Write DWARF debugging information (-g). */
  debug?: boolean;
  pkg?: string;
  includeDirs: readonly string[];
  defines: Readonly<Record<string, string>>;
  /** linux: libraries (`-l NAME`) whose exports the objects' undefined names are imported from. */
  libraries?: readonly string[];
  /** Directories searched for them first (`-L DIR`). */
  libraryDirs?: readonly string[];
}

/**
 * The runtime for a target (package `runtime`): the objects prebuilt with the
 * package when they match the code and runtime sources now, else assembled.
 * The assembler is loaded only when something is to be assembled.
 */
export async function runtimeObjects(opts: ExecOptions): Promise<ObjectFile[]> {
  if (opts.noRuntime) return [];
  const refused = checkThreadsVariant(opts.target, opts.threads);
  if (refused) throw plainError(refused);
  const mode = runtimeObjectsMode();
  // The prebuilt objects carry no instruction lines: with -g the runtime is
  // assembled here, so its functions get lines too (gdb steps into them).
  if (mode !== 'off' && !opts.debug) {
    const prebuilt = prebuiltRuntime(opts.target, opts.threads);
    if (typeof prebuilt !== 'string') return prebuilt;
    if (mode === 'require') throw plainError(`ASMLINK_RUNTIME_OBJECTS=require: ${prebuilt}`);
  }
  const { assembleAll } = await import('../build.js');
  const sources = runtimeSources(opts.target, opts.threads);
  return assembleAll(sources, { target: opts.target, pkg: 'runtime', includeDirs: [runtimeIncludeDir()], readFile: readTextFile, insts: !!opts.debug });
}

/**
 * Assembles the source files (host/assemble-files.ts: on several threads
 * for a large program; `workerScript` is the script the workers run), reads
 * the object files among them (`.o`: asmlink's, GNU as's, a C compiler's),
 * and links them all into `out`, in the order given.
 */
export async function buildExecutable(files: readonly string[], opts: ExecOptions, out: string, workerScript?: string): Promise<void> {
  checkExecOptions(opts);
  const [{ assembleFiles }, { predefinedMacros }] = await Promise.all([import('./assemble-files.js'), import('../build.js')]);
  const trace = phaseTracer();
  trace?.('start');
  const isObject = (f: string) => f.endsWith('.o') || f.endsWith('.a');
  const objectFiles = files.filter(isObject);
  const read = objectFiles.length > 0 ? (await import('./object-files.js')).readObjectFileGroups(objectFiles) : [];
  const assembled = await assembleFiles(
    files.filter((f) => !isObject(f)),
    {
      target: opts.target,
      pkg: opts.pkg,
      includeDirs: [...opts.includeDirs, runtimeIncludeDir()],
      defines: predefinedMacros(opts.target, opts.defines),
      insts: !!opts.debug,
    },
    { workerScript },
  );
  trace?.('assemble');
  let a = 0;
  let o = 0;
  const user = files.flatMap((f) => (isObject(f) ? read[o++]! : [assembled[a++]!]));
  await linkExecutable(user, opts, out);
}

/** Refuses options that cannot go together, or not with this target: before any file is read or assembled. */
export function checkExecOptions(opts: ExecOptions): void {
  const t = opts.target;
  if (t.os !== 'linux' && (opts.interp !== undefined || opts.libc !== undefined)) throw plainError(`--interp and --libc are for linux executables; ${t.os} ones are loaded by /usr/lib/dyld from libSystem`);
  if (opts.staticLibc && opts.exportDynamic) throw plainError('--export-dynamic: a static executable (--static) loads no library to export to');
  if (opts.staticLibc && opts.threads === 'raw' && !opts.noRuntime) throw plainError('--static links the C library, and the raw runtime runs without one (its executables are static already): choose one');
  // (glibc's start-up of a static PIE with a DT_RUNPATH crashes, GNU ld's as well.)
  if (opts.staticLibc && opts.rpaths?.length) throw plainError('--rpath: a static executable (--static) has no loader to look for libraries, and names none');
  if (opts.staticLibc && opts.interp !== undefined) throw plainError('--interp: a static executable (--static) has no program interpreter');
  if (opts.staticLibc && t.os !== 'linux') throw plainError(`--static: ${t.os} has no static C library to link (libSystem is always shared)`);
  if (opts.strip && opts.debug) throw plainError('-s writes no debugging information, and -g asks for it: choose one');
  if (opts.pie && t.arch === '386') throw plainError('--pie: position-independent executables are made for amd64 and arm64; 386 code reaches data by absolute address, which would need text relocations');
  if (opts.exportDynamic && opts.threads === 'raw' && !opts.noRuntime) throw plainError('--export-dynamic: the raw runtime makes a static executable, which loads no library to export to');
  if (opts.pie && opts.threads === 'raw' && !opts.noRuntime) throw plainError('--pie: the raw runtime makes a static executable, which nothing would relocate (a static PIE relocates itself with the C library\'s start-up: --static --pie, with the libc runtime)');
}

/** Links and writes `out`; async only to load the target's format writers (and no other format's). */
export async function linkExecutable(objects: ObjectFile[], opts: ExecOptions, out: string): Promise<void> {
  checkExecOptions(opts);
  const libc = opts.target.os === 'linux' ? (opts.libc ?? hostLibc(opts.target)) : undefined;
  // -l: static libraries join the inputs; shared ones are read for their exports.
  // An internal --static link takes the libraries, the C library among them, from their archives (libNAME.a).
  const staticInternal = opts.staticLibc === true && opts.linkmode === 'internal';
  const libraryNames = staticInternal ? [...(opts.libraries ?? []), 'c'] : (opts.libraries ?? []);
  const search = libraryNames.length ? await import('./shared-libraries.js') : null;
  const found = search ? search.findLibraries(opts.target, libc ?? 'glibc', libraryNames, opts.libraryDirs ?? [], staticInternal) : null;
  // And the compiler's runtime libraries, where there are: the C library calls them (386's 64-bit division,
  // arm64's long double; glibc's thread cancellation unwinds with libgcc_eh's unwinder).
  // glibc's start file, crt1.o, is the program's entry (_start) as in cc -static: it
  // holds what glibc's start-up expects of a non-PIE static program (an empty
  // _dl_relocate_static_pie, _IO_stdin_used), and calls the runtime's C main.
  // A static PIE (--static --pie) starts at rcrt1.o's instead, as in cc
  // -static-pie, glibc's or musl's: the C library's start-up relocates the
  // program (glibc's _dl_relocate_static_pie, musl's _dlstart_c) from its
  // dynamic section before anything else runs.
  const startFile = staticInternal ? (opts.pie ? 'rcrt1.o' : libc === 'glibc' ? 'crt1.o' : undefined) : undefined;
  const startFiles: string[] = [];
  if (staticInternal && search && found) {
    for (const name of libc === 'glibc' ? ['gcc', 'gcc_eh'] : ['gcc']) found.archives.push(...search.findOptionalArchive(opts.target, 'glibc', name, opts.libraryDirs ?? []));
    if (startFile) startFiles.push(search.findStartFile(opts.target, libc ?? 'glibc', startFile, opts.libraryDirs ?? []));
  }
  const inputs = [...startFiles, ...(found?.archives ?? [])];
  const archives = inputs.length ? (await import('./object-files.js')).readObjectFiles(inputs) : [];
  const all = [...objects, ...archives, ...(await runtimeObjects(opts))];
  // The system linker's driver is loaded only for an external link.
  const ext = opts.linkmode === 'external' ? await import('./external.js') : null;
  // Without a C driver (raw runtime, or a cross ld) nothing calls C main: start at the runtime's entry.
  const noStartFiles = opts.threads === 'raw' || (ext !== null && ext.crossLinker(opts.target, opts.extld, libc ?? 'glibc') !== undefined);
  const entry = opts.entry ?? (startFile ? '_start' : defaultEntry(opts.target, noStartFiles ? 'internal' : opts.linkmode));
  const writers = await loadWriters(opts.target, opts.linkmode);
  const trace = phaseTracer();
  trace?.('runtime objects');
  const result = linkWith(all, {
    target: opts.target,
    linkmode: opts.linkmode,
    entry,
    ...(libc !== undefined ? { libc } : {}),
    ...(opts.strip ? { strip: true } : {}),
    ...(opts.staticLibc ? { staticLibc: true } : {}),
    ...(opts.threads === 'raw' && !opts.noRuntime ? { withoutLibc: true } : {}),
    ...(found?.shared.length ? { sharedLibraries: found.shared } : {}),
    ...(opts.noRuntime && opts.entry === undefined ? { entryHint: '--no-runtime links no start-up code: define it, or name another entry with --entry' } : {}),
    onPhase: trace,
    ...(opts.debug ? { debug: { compDir: process.cwd() } } : {}),
    format: {
      ...(opts.interp !== undefined ? { interp: opts.interp } : {}),
      ...(opts.rpaths?.length ? { rpath: opts.rpaths.join(':') } : {}),
      ...(opts.pie && opts.target.os === 'linux' ? { pie: true } : {}),
      ...(opts.buildId && opts.target.os === 'linux' ? { buildId: true } : {}),
      ...(opts.exportDynamic ? { exportDynamic: true } : {}),
      codesign: opts.codesign || (opts.target.os === 'darwin' && opts.target.arch === 'arm64'),
      fixups: opts.fixups,
      // The signature names the program after its file, as ld64 does.
      identifier: path.basename(out),
      ...(opts.macosMin ? { macosMin: opts.macosMin } : {}),
    },
  }, writers);
  if (result.kind === 'executable') {
    writeFileAtomic(out, result.bytes, true);
    trace?.('write file');
    return;
  }
  if (ext === null) throw new Error('internal: an internal link gave an object');
  // External mode: the system linker works in a private directory beside the
  // output (the same file system, so its result is renamed into place), on an
  // object and an output named after the final output. Names the linker
  // records — ld64's code-signature identifier is the output's file name — are
  // then the same in every build, and so are the bytes.
  const dir = scratchDirFor(out);
  // darwin keeps an external link's DWARF out of the program, in PROG.dSYM beside it.
  const dsym = opts.debug && opts.target.os === 'darwin' && !isSpecialFile(out) ? ext.dsymCommand(path.basename(out)) : null;
  // The work directory must not outlive an interrupt: the system linker, in
  // the same process group, gets a terminal's SIGINT itself and fails.
  withSignalsDropped(() => {
    const work = fs.mkdtempSync(path.join(dir, `.${tempStem(out)}.`));
    const objPath = path.join(work, `${path.basename(out)}.o`);
    const tmpOut = path.join(work, path.basename(out));
    try {
      fs.writeFileSync(objPath, result.bytes);
      if (opts.keepObject) writeFileAtomic(opts.keepObject, result.bytes, false);
      const cmd = ext.externalLinkCommand({
        ...opts,
        object: objPath,
        output: tmpOut,
        libraries: result.libraries,
        static: opts.threads === 'raw',
        entry,
        libc: libc ?? 'glibc',
        dir: work,
      });
      const r = nodeChildProcess().spawnSync(cmd.argv[0]!, cmd.argv.slice(1), { encoding: 'utf8', ...(cmd.env ? { env: { ...process.env, ...cmd.env } } : {}) });
      if (r.error) throw plainError(`external linker ${cmd.argv[0]} could not be run: ${r.error.message}${cmd.hint ? ` (${cmd.hint})` : ''}`);
      if (r.signal) throw plainError(`external linker ${cmd.argv[0]} was killed by ${r.signal}`);
      if (r.status !== 0) {
        const text = (r.stderr || r.stdout).trimEnd();
        // A library the system linker cannot find is the user's to fix: point at the import that names it.
        const missing = /cannot find -l:?(\S+?):? /.exec(text)?.[1];
        // -l:libNAME.so.N names the file; a static link's -lNAME its archive (external.ts).
        const names = (d: DynImport) => d.library === missing || d.library.endsWith(`/${missing}`) || d.library.startsWith(`lib${missing}.so`);
        const imp = missing === undefined ? undefined : all.flatMap((o) => o.dynimports).find(names);
        if (imp) {
          const where = "name its directory with --extldflags '-L DIR' (and with --rpath DIR, if the loader will not find it by itself)";
          throw new DiagnosticError([{ file: imp.file, line: imp.line, col: 1, message: `library ${imp.library} not found by the external linker (imported for ${imp.remote})`, notes: [text, where] }]);
        }
        throw plainError(`external linker failed (${cmd.argv.join(' ')}):\n${text}`);
      }
      if (!fs.existsSync(tmpOut)) throw plainError(`external linker ${cmd.argv[0]} exited with status 0 but wrote no output (${cmd.argv.join(' ')})`);
      if (dsym) {
        const d = nodeChildProcess().spawnSync(dsym.argv[0]!, dsym.argv.slice(1), { encoding: 'utf8', cwd: work });
        const bundle = `${tmpOut}.dSYM`;
        if (d.error || d.signal || d.status !== 0 || !fs.existsSync(bundle)) throw plainError(`${dsym.argv.join(' ')} failed: ${d.error?.message ?? d.signal ?? (d.stderr || d.stdout || 'no .dSYM written').trimEnd()}`);
        // An older build's bundle is replaced, never merged with.
        fs.rmSync(`${out}.dSYM`, { recursive: true, force: true });
        fs.renameSync(bundle, `${out}.dSYM`);
      }
      moveExecutableIntoPlace(tmpOut, out);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
}
