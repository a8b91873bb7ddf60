// One function per verb. Each reads its inputs, calls the API and writes its
// outputs; none holds toolchain logic of its own.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { plainError } from '../diag.js';
import { isArch, isOS, type Libc, type Target } from '../target.js';
import { cannotReadMessage, InputPieces, readTextFile, reasonOf, refuseOutputOverInput, writeFileAtomicWith } from '../host/files.js';
import { packageRoot, runtimeIncludeDir } from '../host/runtime-files.js';
import { hostTarget } from '../host/host.js';
import { nodeV8 } from '../host/node-builtins.js';
import { SMALLEST_CUT_FILE } from '../host/worker-args.js';
import type { ExecOptions } from '../host/build-exec.js';
import type { ObjectFile } from '../obj/symbol.js';
import type { ObjectImage } from '../formats/elf/write-object.js';
import { flagHelp, parseArgs, UsageError, type FlagSpec, type ParsedArgs } from './args.js';

// Verbs load what they need when they run: start-up time counts for a
// command that assembles one small file, and the linker, the formats and the
// binding generator are not needed to print help or to assemble. That goes
// for Node.js's own modules too (host/node-builtins.ts).

export interface Verb {
  run(argv: string[]): Promise<number>;
  help(): string | Promise<string>;
}

const targetFlags: FlagSpec[] = [
  { names: ['--os'], value: true, help: 'target OS: linux or darwin (default: the host)' },
  { names: ['--arch'], value: true, help: 'target architecture: amd64, 386 or arm64 (default: the host)' },
  { names: ['-o'], value: true, help: 'output file' },
];
const asmFlags: FlagSpec[] = [
  { names: ['-p'], value: true, help: 'package that a leading · refers to (default main)' },
  { names: ['-I'], value: true, repeat: true, help: 'add a directory to the #include search path' },
  { names: ['-D'], value: true, repeat: true, help: 'predefine a macro: -D NAME or -D NAME=value' },
];
const debugFlag: FlagSpec = { names: ['-g'], help: 'write DWARF debugging information (source lines, functions, call frames) for gdb, lldb, addr2line and objdump -l (darwin with --linkmode external: in PROG.dSYM beside the program, made by dsymutil)' };
const linkFlags: FlagSpec[] = [
  { names: ['--linkmode'], value: true, help: 'internal (asmlink writes the executable, default) or external (the system linker does)' },
  { names: ['--extld'], value: true, help: 'external linker command (default: cc on linux, ld64.lld on darwin)' },
  { names: ['--extldflags'], value: true, repeat: true, help: "external mode: further arguments for the external linker, split at spaces outside quotes (e.g. '-L /opt/lib')" },
  { names: ['--static'], help: 'linux: link the C library statically (its libc.a, glibc\'s or with --libc musl musl\'s; -L DIR where it is elsewhere), for an executable that needs no loader; -l libraries are taken as archives too' },
  { names: ['--keep-object'], value: true, help: 'external mode: also keep the object handed to the system linker at this path' },
  { names: ['--no-runtime'], help: 'do not add the asmlink runtime (the program provides its own entry)' },
  { names: ['--threads'], value: true, help: 'runtime variant: libc (pthread_create, default) or raw (linux only: clone+futex, static)' },
  { names: ['--entry'], value: true, help: 'entry symbol (default: the runtime entry for the target)' },
  { names: ['--libc'], value: true, help: "linux: the C library the program is for, glibc or musl (default: this machine's for its own architecture, else glibc)" },
  { names: ['--interp'], value: true, help: "linux: the program interpreter (default: the C library's loader, /lib64/ld-linux-x86-64.so.2, /lib/ld-musl-x86_64.so.1, ...)" },
  { names: ['-l'], value: true, repeat: true, help: 'a library to import what the objects leave undefined from, as cc -lNAME does: linux: libNAME.so (a shared library, or a linker script naming some, as glibc\'s libc.so) or libNAME.a, searched in the -L directories, then the system\'s, then the C compiler\'s own (-lstdc++); darwin: libNAME.tbd, an SDK\'s stub (-L $(xcrun --show-sdk-path)/usr/lib -lSystem); -l :FILE names the file' },
  { names: ['-L'], value: true, repeat: true, help: 'a directory to search for -l libraries first' },
  { names: ['--rpath'], value: true, repeat: true, help: 'a directory where the loader looks for the libraries the program imports from (ELF DT_RUNPATH, Mach-O LC_RPATH; $ORIGIN and @executable_path work as the loader defines them)' },
  { names: ['--pie'], help: 'linux amd64/arm64: a position-independent executable, loaded at a random address; with --static, one that relocates itself (cc -static-pie) (darwin executables are already)' },
  { names: ['--export-dynamic'], help: 'export the program\'s global symbols, for the libraries it loads with dlopen to use (plugins, a C library calling back, extension modules of an embedded Python): linux: in its dynamic symbol table, as GNU ld -E does; darwin: in its export trie, as ld64 exports an executable\'s globals (bundles linked with -bundle_loader bind to them); hidden ones are not exported' },
  { names: ['--build-id'], help: 'linux: a .note.gnu.build-id naming the contents, for debuginfod and debug-symbol packages (darwin executables have their LC_UUID always)' },
  { names: ['-s'], help: 'strip: write no symbol table (and no debugging information), as strip(1) leaves an executable (Go\'s -s)' },
  { names: ['--codesign'], help: 'darwin: add an ad-hoc code signature (always on for arm64)' },
  { names: ['--fixups'], value: true, help: 'darwin: dyld-info (default) or chained' },
  { names: ['--macos-min'], value: true, help: 'darwin: minimum macOS version (default 11.0; 10.14 for 386, the last release that ran 32-bit programs)' },
  debugFlag,
];


function one(a: ParsedArgs, name: string): string | undefined {
  return a.flags.get(name)?.[0];
}

function targetOf(a: ParsedArgs): Target {
  const host = hostTarget();
  const o = one(a, '--os') ?? host.os;
  const ar = one(a, '--arch') ?? host.arch;
  if (!isOS(o)) throw new UsageError(`unknown --os ${o} (want linux or darwin)`);
  if (!isArch(ar)) throw new UsageError(`unknown --arch ${ar} (want amd64, 386 or arm64)`);
  return { os: o, arch: ar };
}

/** A file's size, or 0 where it cannot be read (reading it reports why). */
function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function definesOf(a: ParsedArgs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of a.flags.get('-D') ?? []) {
    const eq = d.indexOf('=');
    if (eq === 0 || d === '') throw new UsageError(`bad -D ${d}`);
    if (eq < 0) out[d] = '1';
    else out[d.slice(0, eq)] = d.slice(eq + 1);
  }
  return out;
}

function libcOf(a: ParsedArgs): Libc | undefined {
  const l = one(a, '--libc');
  if (l !== undefined && l !== 'glibc' && l !== 'musl') throw new UsageError(`unknown --libc ${l} (want glibc or musl)`);
  return l;
}

/**
 * Splits --extldflags as a shell would split simple words: at spaces and
 * tabs, with '...' and "..." quoting (and no other expansion).
 */
export function splitFlags(s: string): string[] {
  const out: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (word !== null) out.push(word);
      word = null;
    } else if (c === "'" || c === '"') {
      const end = s.indexOf(c, i + 1);
      if (end < 0) throw new UsageError(`--extldflags ${s}: unterminated ${c}`);
      word = (word ?? '') + s.slice(i + 1, end);
      i = end;
    } else word = (word ?? '') + c;
  }
  if (word !== null) out.push(word);
  return out;
}

/** --rpath DIR...: joined with `:` in DT_RUNPATH, so no directory may hold one. */
function rpathsOf(a: ParsedArgs): string[] {
  const dirs = a.flags.get('--rpath') ?? [];
  for (const d of dirs) if (d === '' || d.includes(':') || d.includes('\0')) throw new UsageError(`--rpath ${JSON.stringify(d)}: want a directory without ':'`);
  return dirs;
}

/** --interp PATH: an absolute path, as the kernel wants it in PT_INTERP. */
function interpOf(a: ParsedArgs): string | undefined {
  const p = one(a, '--interp');
  if (p !== undefined && (!p.startsWith('/') || p.includes('\0'))) throw new UsageError(`--interp ${p}: want an absolute path (the kernel does not search for the interpreter)`);
  return p;
}

function execOptions(a: ParsedArgs, target: Target): ExecOptions {
  const linkmode = one(a, '--linkmode') ?? 'internal';
  if (linkmode !== 'internal' && linkmode !== 'external') throw new UsageError(`unknown --linkmode ${linkmode} (want internal or external)`);
  const threads = one(a, '--threads') ?? 'libc';
  if (threads !== 'libc' && threads !== 'raw') throw new UsageError(`unknown --threads ${threads} (want libc or raw)`);
  const fixups = one(a, '--fixups') ?? 'dyld-info';
  if (fixups !== 'dyld-info' && fixups !== 'chained') throw new UsageError(`unknown --fixups ${fixups} (want dyld-info or chained)`);
  return {
    target,
    linkmode,
    threads,
    noRuntime: a.flags.has('--no-runtime'),
    entry: one(a, '--entry'),
    extld: one(a, '--extld'),
    extldflags: (a.flags.get('--extldflags') ?? []).flatMap(splitFlags),
    codesign: a.flags.has('--codesign'),
    fixups,
    macosMin: one(a, '--macos-min'),
    libc: libcOf(a),
    interp: interpOf(a),
    rpaths: rpathsOf(a),
    pie: a.flags.has('--pie'),
    buildId: a.flags.has('--build-id'),
    exportDynamic: a.flags.has('--export-dynamic'),
    strip: a.flags.has('-s'),
    staticLibc: a.flags.has('--static'),
    keepObject: one(a, '--keep-object'),
    debug: a.flags.has('-g'),
    pkg: one(a, '-p'),
    includeDirs: a.flags.get('-I') ?? [],
    defines: definesOf(a),
    libraries: a.flags.get('-l') ?? [],
    libraryDirs: a.flags.get('-L') ?? [],
  };
}

/** An object writer that makes one buffer, as an ObjectImage. */
function bufferImage(write: (obj: ObjectFile) => Uint8Array): (obj: ObjectFile) => ObjectImage {
  return (obj) => {
    const bytes = write(obj);
    return { size: bytes.length, write: (sink) => sink(bytes) };
  };
}

const asmVerb: Verb = {
  help: () =>
    `usage: asmlink asm [flags] FILE.s\n\nAssembles one Go-style assembly file into a relocatable object (ELF on linux, Mach-O on darwin).\n\n${flagHelp([
      ...targetFlags,
      ...asmFlags,
      { names: ['-S'], help: 'print a listing: offset, line, bytes, source, relocations' },
      { names: ['--json'], help: 'print the assembled symbols as JSON' },
      debugFlag,
    ])}\n`,
  async run(argv) {
    const a = parseArgs(argv, [...targetFlags, ...asmFlags, { names: ['-S'], help: '' }, { names: ['--json'], help: '' }, debugFlag]);
    if (a.positional.length !== 1) throw new UsageError('want exactly one input file');
    const file = a.positional[0]!;
    // Keep V8's young generation at its initial size (1 MiB semi-spaces)
    // instead of letting it grow to 16 MiB: the assembler allocates a stream of
    // short-lived objects per instruction and keeps little, so a small nursery
    // stays in cache and scavenges stay cheap, while a grown one is fresh memory
    // that costs a page fault per 4 KiB to touch. Measured on the 1.4 M-line
    // amd64 bench input: ~7,000 fewer minor faults and a faster assembly.
    // Scoped to this verb: the flag is read when the nursery would grow. A
    // source under 1 MiB makes too few scavenges for it to grow, so only a
    // larger one pays for loading node:v8.
    const size = fileSize(file);
    if (size >= 1 << 20) nodeV8().setFlagsFromString('--semi-space-growth-factor=1');
    // A listing quotes the source, so it needs the whole text: then the
    // source is read on libuv's thread pool while the assembler's modules load.
    // It settles to the text or the error, so nothing is left rejected while the imports load.
    const listing = a.flags.has('-S');
    const debug = a.flags.has('-g');
    const out = one(a, '-o') ?? (listing || a.flags.has('--json') ? undefined : file.replace(/\.s$/, '') + '.o');
    // Refused before any work is done.
    if (out !== undefined) refuseOutputOverInput([out], [file]);

    const reading = listing
      ? fs.promises.readFile(file).then(
          (b) => b.toString('utf8'),
          (e: unknown) => ({ error: e }),
        )
      : undefined;
    const { assemble } = await import('../asm/assemble.js');
    const { jsonListing, textListing } = await import('../asm/listing.js');
    const { predefinedMacros } = await import('../build.js');
    const target = targetOf(a);
    // The target's object writer alone, not formats/objects.js: that module
    // also loads both formats' readers and the executable writers, which an
    // assembly of a small file would spend most of its time compiling.
    // An ELF object is laid out, then streamed to the file (elfObjectImage),
    // never built as one buffer; a Mach-O object is one buffer.
    const imageOf: (obj: ObjectFile) => ObjectImage =
      target.os === 'darwin' ? bufferImage((await import('../formats/macho/object.js')).writeMachOObject) : (await import('../formats/elf/write-object.js')).elfObjectImage;
    const opts = {
      target,
      file,
      pkg: one(a, '-p'),
      includeDirs: [...(a.flags.get('-I') ?? []), runtimeIncludeDir()],
      defines: predefinedMacros(target, definesOf(a)),
    };
    // Only listings and debugging information use per-instruction records.
    const insts = listing || a.flags.has('--json') || debug;
    // A large file is assembled in parts on several threads when it can be,
    // into the same object (host/parallel-asm.ts).
    let obj = null;
    if (!insts && size >= SMALLEST_CUT_FILE) {
      const { assembleInParts } = await import('../host/parallel-asm.js');
      // The workers run the script that runs this command: the same code.
      obj = await assembleInParts(opts, { workerScript: process.argv[1] });
    }
    let source: string | undefined;
    if (!obj) {
      // Without a listing the source is read and assembled in pieces (InputPieces).
      let text: string | InputPieces;
      if (reading) {
        const r = await reading;
        if (typeof r !== 'string') throw plainError(cannotReadMessage(file, r.error));
        text = source = r;
      } else text = new InputPieces(file);
      try {
        obj = assemble(text, { ...opts, readFile: readTextFile, insts });
      } finally {
        if (text instanceof InputPieces) text.close();
      }
    }
    if (debug) obj.debug = { compDir: process.cwd() };
    if (source !== undefined) {
      const sources = new Map<string, string[]>([[file, source.split('\n')]]);
      process.stdout.write(textListing(obj, sources));
    }
    if (a.flags.has('--json')) process.stdout.write(JSON.stringify(jsonListing(obj)) + '\n');
    if (out !== undefined) {
      // Laid out (and checked) before the output file is created.
      const image = imageOf(obj);
      writeFileAtomicWith(out, (write) => image.write(write), false);
    }
    return 0;
  },
};

const linkVerb: Verb = {
  help: () => `usage: asmlink link [flags] FILE.o... [LIB.a...]\n\nLinks objects (asmlink asm's; GNU as's and a C compiler's, linked whole), the members of static libraries (.a) that the program needs, and the runtime, unless --no-runtime, into an executable.\n\n${flagHelp([...targetFlags, ...linkFlags])}\n`,
  async run(argv) {
    const a = parseArgs(argv, [...targetFlags, ...linkFlags]);
    if (a.positional.length === 0) throw new UsageError('want at least one object file');
    // Flags are checked before any file is read, so a bad flag is a usage error whatever the files hold.
    const explicit = a.flags.has('--os') || a.flags.has('--arch') ? targetOf(a) : undefined;
    const checked = execOptions(a, explicit ?? hostTarget());
    const { readObjectFiles } = await import('../host/object-files.js');
    const { checkExecOptions, linkExecutable } = await import('../host/build-exec.js');
    // With the target named, what the flags ask of it is checked now too (else once the first object names it).
    if (explicit) checkExecOptions(checked);
    const { phaseTracer } = await import('../host/trace.js');
    const trace = phaseTracer();
    trace?.('start');
    const out = one(a, '-o') ?? 'a.out';
    refuseOutputOverInput([out, checked.keepObject], a.positional);
    const objects = readObjectFiles(a.positional);
    trace?.('read objects');
    // Archives may hold no member: the host's target then, as without objects.
    const target = explicit ?? objects[0]?.target ?? hostTarget();
    await linkExecutable(objects, { ...checked, target }, out);
    return 0;
  },
};

const buildVerb: Verb = {
  help: () => `usage: asmlink build [flags] FILE.s... [FILE.o... LIB.a...]\n\nAssembles and links sources into an executable in one step (no temporary objects); object files among them (.o: asmlink's, GNU as's, a C compiler's) are linked in too, and the members of static libraries (.a) that the program needs.\n\n${flagHelp([...targetFlags, ...asmFlags, ...linkFlags])}\n`,
  async run(argv) {
    const a = parseArgs(argv, [...targetFlags, ...asmFlags, ...linkFlags]);
    if (a.positional.length === 0) throw new UsageError('want at least one source file');
    const { buildExecutable } = await import('../host/build-exec.js');
    const target = targetOf(a);
    const out = one(a, '-o') ?? defaultExecutableName(a.positional[0]!);
    const opts = execOptions(a, target);
    refuseOutputOverInput([out, opts.keepObject], a.positional);
    // Workers of a parallel assembly run the script that runs this command.
    await buildExecutable(a.positional, opts, out, process.argv[1]);
    return 0;
  },
};

/**
 * The executable `build` names after its first source when there is no -o:
 * the file name without its extension (hello.s → hello), or a.out when it
 * has none, so that the default can never be the source itself.
 */
function defaultExecutableName(src: string): string {
  const base = path.basename(src);
  const stem = base.replace(/\.[^.]*$/, '');
  return stem && stem !== base ? stem : 'a.out';
}

const runVerb: Verb = {
  help: () => `usage: asmlink run [flags] FILE.s... [FILE.o... FILE.a...] [--] [ARGS...]\n\nBuilds the sources (the .s, .o and .a files that come first) to a temporary executable and runs it with ARGS; exits with its status. A -- after the sources ends them, so ARGS may start with a .s file. A foreign architecture runs under qemu-user when it is installed.\n\n${flagHelp([...targetFlags.filter((f) => f.names[0] !== '-o'), ...asmFlags, ...linkFlags])}\n`,
  async run(argv) {
    const specs = [...targetFlags.filter((f) => f.names[0] !== '-o'), ...asmFlags, ...linkFlags];
    const { buildExecutable } = await import('../host/build-exec.js');
    const { missingInterpreter, runAttached, runnerFor } = await import('../host/run.js');
    const a = parseArgs(argv, specs, true);
    if (a.positional.length === 0) throw new UsageError('want at least one source file');
    const target = targetOf(a);
    const runner = runnerFor(target);
    let dir: string;
    try {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asmlink-run-'));
    } catch (e) {
      throw plainError(`cannot make a temporary directory in ${os.tmpdir()} (set TMPDIR to another): ${reasonOf(e, 'no such directory') ?? (e as Error).message}`);
    }
    try {
      const exe = path.join(dir, defaultExecutableName(a.positional[0]!));
      await buildExecutable(a.positional, execOptions(a, target), exe, process.argv[1]);
      const argv = runner(exe);
      const missing = missingInterpreter(exe, argv);
      if (missing) throw plainError(`cannot run the program: ${missing}`);
      const [cmd, ...pre] = argv;
      const r = await runAttached(cmd!, [...pre, ...a.rest]).catch((e: Error) => {
        throw plainError(`cannot run ${cmd}: ${e.message}`);
      });
      if (r.signal) {
        // As a shell, say nothing of an interrupt or a closed pipe.
        if (r.signal !== 'SIGINT' && r.signal !== 'SIGPIPE') process.stderr.write(`asmlink run: program killed by ${r.signal}\n`);
        return 128 + (os.constants.signals[r.signal] ?? 0);
      }
      return r.status ?? 1;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

const genVerb: Verb = {
  help: async () => {
    const { genFlags } = await import('./gen.js');
    return `usage: asmlink gen [flags] DECLS.h\n\nWrites dynamic imports and Go-convention trampolines for the C functions declared in DECLS.h.\n\n${flagHelp(genFlags)}\n\nDirectives in DECLS.h, as comments before a prototype:\n  //asmlink:varargs N | TYPE, ...       how a variadic function is called\n  //asmlink:callback [SYMBOL]           a function C calls back (a C-callable stub)\n  //asmlink:version V [OS|OS/ARCH...]   import the next prototype's symbol at ELF version V\n  //asmlink:library L [OS|OS/ARCH...]   import the prototypes that follow from library L\n`;
  },
  async run(argv) {
    const { genCommand } = await import('./gen.js');
    return genCommand(argv);
  },
};

export const VERBS = new Map<string, Verb>([
  ['asm', asmVerb],
  ['link', linkVerb],
  ['build', buildVerb],
  ['run', runVerb],
  ['gen', genVerb],
]);

export function version(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function mainHelp(): string {
  return `asmlink — assemble Go-style assembly and link native executables that call libc

usage: asmlink <command> [flags] [files]

commands:
  asm     assemble one .s file into an object (-S listing, --json)
  link    link objects into an executable
  build   assemble and link sources into an executable
  run     build sources and run the program
  gen     generate libc bindings (imports + trampolines) from C prototypes

  asmlink <command> --help    flags of a command
  asmlink --version
`;
}
