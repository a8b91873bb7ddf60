// Assembling the source files of `build` and `run`. Each file is streamed
// from disk in pieces (InputPieces), as `asm` reads one, never held whole.
// A large program (by default 8 MiB of source per thread, as for `asm`;
// ASMLINK_ASM_THREADS=N asks for N threads) is assembled on several threads:
// each thread takes the next file nobody has begun, largest first, so that
// threads running at different speeds finish together. A worker posts each
// object's columns back (buffers transferred); the objects are then in
// command-line order whichever thread made them, and the same as one
// thread's, since every file is assembled by the same code from the same
// bytes. A file's errors come back as its diagnostics, reported in file
// order as one thread reports them; a worker that fails leaves its files to
// this thread, which assembles them again and meets the failure itself.
//
// Measured on a 2-CPU host (the bench's 60,000-function program, 26 MB in
// 15 files): 1.83 s against 1.91 on one thread in 12 interleaved rounds,
// its assembly 1.48 s against 1.70; but 1.86 against 1.91 and 1.93 against
// 1.89 s in the bench's two full runs: no gain beyond the noise there. With
// a V8 pool of 2 rather than 1, 1.73 against 1.97 s, but that pool slows
// small builds (bin/asmlink). Two threads gain little on 2 CPUs: each V8
// heap compiles the assembler again, and on one thread V8's
// background compiler and collector already use much of the second CPU
// (user time 1.2-1.5 s for 0.8-1.0 s of wall time on the 20,000-function
// program, whose 9.5 MB two threads build more slowly: ~1.1 s against
// ~0.85). Streaming the files and making no per-instruction records
// (before, `build` read each file whole and always made them) took the
// 60,000-function build from 2.00 to 1.81 s on one thread.

import * as fs from 'node:fs';
import { assemble, type AssembleOptions } from '../asm/assemble.js';
import { DiagnosticError, type Diagnostic } from '../diag.js';
import { columnsFromMessage, columnsMessage, objectColumnsOf, objectFromColumns } from '../obj/object-columns.js';
import type { DynImport, ObjectFile } from '../obj/symbol.js';
import { InputPieces, readingFile, readTextFile } from './files.js';
import { phaseTracer } from './trace.js';
import { FILES_WORKER_ARG } from './worker-args.js';
import { defaultPartLimits, postFailure, postToParent, runWorker, workerInput, type Sharing } from './workers.js';

/**
 * What every file's assembly is given: AssembleOptions that can be posted to
 * a thread (the file aside). With insts (-g: every instruction's line), the
 * files are assembled on this thread: those records are made lazily from the
 * assembler's state, which does not cross to another thread.
 */
export type FilesOptions = Omit<AssembleOptions, 'file' | 'readFile' | 'errorLimit'>;

/** One file's assembly: its object, or its errors. */
type Outcome = { obj: ObjectFile } | { diags: Diagnostic[] };

function assembleFile(file: string, opts: FilesOptions): Outcome {
  const pieces = new InputPieces(file);
  try {
    return { obj: assemble(pieces, { ...opts, file, readFile: readTextFile, insts: opts.insts ?? false }) };
  } catch (e) {
    if (e instanceof DiagnosticError) return { diags: e.diagnostics };
    throw e;
  } finally {
    pieces.close();
  }
}

/** What every thread works from: the files, in the order threads take them (largest first), and the options. */
interface FilesWork {
  files: readonly string[];
  order: Int32Array;
  /** next[0]: the position in `order` of the next file to take, shared by all threads. */
  next: Int32Array;
  opts: FilesOptions;
}

function* taken(work: FilesWork): Generator<number> {
  for (let k = Atomics.add(work.next, 0, 1); k < work.order.length; k = Atomics.add(work.next, 0, 1)) yield work.order[k];
}

/** A worker's outcome for one file, as posted. */
type PostedOutcome = { index: number; cols: unknown; dynimports: DynImport[] } | { index: number; diags: Diagnostic[] };

/** How assembleFiles shares the files out. */
export interface FilesSharing extends Sharing {
  /** False: this thread only waits for the workers, and assembles what they did not (tests use it to know who did what). */
  thisThreadTakes?: boolean;
}

/**
 * Assembles the files, in order; throws a DiagnosticError with the errors
 * of every file (a file that cannot be read is reported before any is
 * assembled).
 */
export async function assembleFiles(files: readonly string[], opts: FilesOptions, how: FilesSharing = {}): Promise<ObjectFile[]> {
  const limits = how.limits ?? defaultPartLimits();
  const stats = files.map((f) => readingFile(f, () => fs.statSync(f)));
  const total = stats.reduce((n, s) => n + s.size, 0);
  // A pipe or device is read on this thread (InputPieces reads it once, whole).
  const threads = stats.every((s) => s.isFile()) && !opts.insts ? Math.min(limits.threads, files.length, Math.floor(total / Math.max(1, limits.minThreadBytes))) : 1;
  const outcomes: (Outcome | undefined)[] = new Array(files.length);
  const trace = phaseTracer();
  if (threads >= 2) {
    const order = Int32Array.from(files.keys()).sort((a, b) => stats[b].size - stats[a].size || a - b);
    const work: FilesWork = { files, order, next: new Int32Array(new SharedArrayBuffer(4)), opts };
    trace?.(`assembling ${files.length} files on ${threads} threads`);
    const workers = Array.from({ length: threads - 1 }, () => runWorker<PostedOutcome[]>(how.workerScript, ['build', FILES_WORKER_ARG], work).result);
    if (how.thisThreadTakes !== false) for (const i of taken(work)) outcomes[i] = assembleFile(files[i], opts);
    let posted = 0;
    for (const done of await Promise.all(workers)) {
      // A worker that failed leaves its files to this thread.
      if (typeof done === 'string') {
        trace?.(done);
        continue;
      }
      for (const p of done) outcomes[p.index] = 'diags' in p ? { diags: p.diags } : { obj: objectFromColumns(opts.target, files[p.index], columnsFromMessage(p.cols), p.dynimports) };
      posted += done.length;
    }
    trace?.(`workers assembled ${posted} of ${files.length} files`);
  }
  // Everything, on one thread; or what the workers did not post.
  for (let i = 0; i < files.length; i++) outcomes[i] ??= assembleFile(files[i], opts);
  const diags = outcomes.flatMap((o) => (o && 'diags' in o ? o.diags : []));
  if (diags.length > 0) throw new DiagnosticError(diags);
  return outcomes.map((o) => (o as { obj: ObjectFile }).obj);
}

/** A worker's work (main.ts runs it on a thread started with FILES_WORKER_ARG): assembles the files it takes, and posts them. */
export function assembleFilesInWorker(): void {
  const data = workerInput<FilesWork>();
  const posted: PostedOutcome[] = [];
  const transfer: ArrayBuffer[] = [];
  try {
    for (const index of taken(data)) {
      const o = assembleFile(data.files[index], data.opts);
      if ('diags' in o) {
        posted.push({ index, diags: o.diags });
        continue;
      }
      const m = columnsMessage(objectColumnsOf(o.obj)!);
      transfer.push(...m.transfer);
      posted.push({ index, cols: m.message, dynimports: o.obj.dynimports });
    }
  } catch (e) {
    return postFailure(e);
  }
  postToParent(posted, transfer);
}
