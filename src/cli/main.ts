// The asmlink command: a thin layer over the API. It parses flags, reads
// files, calls the core, writes outputs atomically and prints diagnostics.
// Exit status: 0 success, 1 diagnostics, 2 usage error.

import { DiagnosticError, formatDiagnostic } from '../diag.js';
import { HelpRequested, UsageError } from './args.js';
import { VERBS, mainHelp, version } from './verbs.js';
import { reasonOf } from '../host/files.js';
import { installNativeSha256 } from '../host/native-sha256.js';
import { nodeWorkerThreads } from '../host/node-builtins.js';
import { FILES_WORKER_ARG, PART_WORKER_ARG } from '../host/worker-args.js';

/**
 * bin/asmlink sets GLIBC_TUNABLES for this process (see there) and hands the
 * caller's value on in ASMLINK_GLIBC_TUNABLES, x-prefixed (empty: it was
 * unset): the programs asmlink runs get the caller's environment back.
 */
function restoreCallerTunables(env: NodeJS.ProcessEnv): void {
  const saved = env.ASMLINK_GLIBC_TUNABLES;
  if (saved === undefined) return;
  delete env.ASMLINK_GLIBC_TUNABLES;
  if (saved === '') delete env.GLIBC_TUNABLES;
  else env.GLIBC_TUNABLES = saved.slice(1);
}

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined) {
    // No command is a usage error: the help goes to stderr with status 2.
    process.stderr.write(mainHelp());
    return 2;
  }
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(mainHelp());
    return 0;
  }
  if (verb === '--version' || verb === 'version') {
    process.stdout.write(`asmlink ${version()}\n`);
    return 0;
  }
  const v = VERBS.get(verb);
  if (!v) {
    process.stderr.write(`asmlink: unknown command ${verb}\n\n${mainHelp()}`);
    return 2;
  }
  try {
    return await v.run(rest);
  } catch (e) {
    if (e instanceof HelpRequested) {
      // Only the verb's own flags count: `asmlink run prog.s --help` passes --help to prog.
      process.stdout.write(await v.help());
      return 0;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`asmlink ${verb}: ${e.message}\n(see asmlink ${verb} --help)\n`);
      return 2;
    }
    if (e instanceof DiagnosticError) {
      for (const d of e.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === 'string' && typeof err.message === 'string') {
      // An operating-system error (unwritable output, missing directory): one line, no stack.
      process.stderr.write(`asmlink ${verb}: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`asmlink ${verb}: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 3;
  }
}

/**
 * The exit status when writing standard output or error failed, else
 * undefined. A reader that stops reading (`asmlink asm -S x.s | head`) ends
 * the command quietly with the status SIGPIPE gives a C tool (128 + 13):
 * Node.js ignores SIGPIPE, and the write's EPIPE would otherwise end it with
 * a stack trace. Any other failure (a full disk) is said, and is status 1:
 * a listing must not be lost silently.
 */
function streamFailure(s: NodeJS.WriteStream, e = s.errored as NodeJS.ErrnoException | null): number | undefined {
  if (!e) return undefined;
  if (e.code === 'EPIPE') return 128 + 13;
  // Standard error cannot say its own failure.
  if (s === process.stdout) process.stderr.write(`asmlink: cannot write standard output: ${reasonOf(e, 'no such file') ?? e.message}\n`);
  return 1;
}

/** Ends the process at once when writing standard output or error fails (pipes report it later, as an event). */
function watchStandardStreams(): void {
  for (const s of [process.stdout, process.stderr]) s.on('error', (e: NodeJS.ErrnoException) => process.exit(streamFailure(s, e)));
}

/** Resolves once everything written to the stream so far has been handed to the system. */
function flushed(s: NodeJS.WriteStream): Promise<void> {
  return new Promise((done) => (s.writableLength === 0 ? done() : s.write('', () => done())));
}

// No top-level await: the CLI bundle is a CommonJS script (see bin/asmlink.cjs).
restoreCallerTunables(process.env);
installNativeSha256();
// The worker threads of a parallel assembly (host/parallel-asm.ts, host/assemble-files.ts) run this bundle too.
const worker = (process.argv[3] === PART_WORKER_ARG || process.argv[3] === FILES_WORKER_ARG) && !nodeWorkerThreads().isMainThread;
if (worker && process.argv[2] === 'asm' && process.argv[3] === PART_WORKER_ARG) void import('../host/parallel-asm.js').then((m) => m.assemblePartInWorker());
else if (worker && process.argv[2] === 'build' && process.argv[3] === FILES_WORKER_ARG) void import('../host/assemble-files.js').then((m) => m.assembleFilesInWorker());
else {
  watchStandardStreams();
  void main(process.argv.slice(2)).then(async (status) => {
    // Exit explicitly rather than when the event loop empties: that also tears
    // the heap down, which after a large link takes longer than some small
    // links (tens of ms). Output still queued (pipes are asynchronous on some
    // systems) is flushed first.
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    // A write to a file fails at once, but its error event would come after this.
    process.exit(streamFailure(process.stdout) ?? streamFailure(process.stderr) ?? status);
  });
}
