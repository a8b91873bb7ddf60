// The worker threads of a parallel assembly (host/parallel-asm.ts: the
// parts of one large file; host/assemble-files.ts: the files of a build):
// how many there may be, and starting one. A worker runs the CLI script on
// a command line main.ts knows as a worker's (host/worker-args.ts) and
// posts one message. node:worker_threads is loaded only when a worker
// starts: most commands never make one.

import * as os from 'node:os';
import * as path from 'node:path';
import { nodeWorkerThreads } from './node-builtins.js';
import { packageRoot } from './runtime-files.js';
import { SMALLEST_CUT_FILE } from './worker-args.js';

/** How many threads, and how large the pieces they share out. */
export interface PartLimits {
  /** Threads at most, this one included. */
  threads: number;
  /**
   * Bytes per thread, at least: a worker costs ~30 ms to start, and one
   * thread assembles ~17 MB/s (the amd64 bench file here), so less would
   * gain less than the worker costs.
   */
  minThreadBytes: number;
  /**
   * A file cut in parts is cut into slices of about this size, which
   * threads claim one at a time: a thread that has assembled the run it
   * started on takes the slices no thread has begun, from the end, so that
   * none waits long for another (threads do not keep steady speeds side by
   * side on a busy machine). A stolen slice is a part of its own, a little
   * more to join.
   */
  sliceBytes: number;
}

const SLICE_BYTES = 768 << 10;
/** The least of the input each thread asked for is given. */
const MIN_ASKED_THREAD_BYTES = SMALLEST_CUT_FILE / 2;

/**
 * The default limits: a thread per CPU, at most 8, each with 8 MiB or more
 * of the input. Measured on this 2-CPU host, two threads gain nothing on an
 * 11 MB file (386, arm64 bench files: 729 against 750 ms, 815 against 806)
 * and ~20% on a 22 MB one: a worker starts in ~50 ms and its code runs cold
 * for a while, and two threads each run ~1.5× slower side by side here.
 * ASMLINK_ASM_THREADS=N asks for N threads (at most 64), each with 1 MiB
 * or more (1: assemble on this thread alone).
 */
export function defaultPartLimits(): PartLimits {
  const asked = Number.parseInt(process.env['ASMLINK_ASM_THREADS'] ?? '', 10);
  if (asked >= 1) return { threads: Math.min(asked, 64), minThreadBytes: MIN_ASKED_THREAD_BYTES, sliceBytes: SLICE_BYTES };
  return { threads: Math.min(8, os.availableParallelism()), minThreadBytes: 8 << 20, sliceBytes: SLICE_BYTES };
}

/** How a parallel assembly shares its work out. */
export interface Sharing {
  /** By default defaultPartLimits(). */
  limits?: PartLimits;
  /** The script the workers run: the CLI's own (process.argv[1]), so they run the same code; by default the package's bin/asmlink.cjs. */
  workerScript?: string;
}

/** What a worker posts when it has nothing else to say: why (an internal error, or errors in the input). */
export interface WorkerFailure {
  why: string;
}

/** A worker started by runWorker. */
export interface RunningWorker<M> {
  /** The one message it posts, or why it posted none or a WorkerFailure (it failed to start, threw, exited). */
  result: Promise<M | string>;
  /** Ends it now (its result is then why). */
  end(): void;
}

/** Starts a worker running the script (Sharing.workerScript) on `argv` with `data`; it is ended once its result is in. */
export function runWorker<M extends object>(script: string | undefined, argv: string[], data: unknown): RunningWorker<M> {
  const w = new (nodeWorkerThreads().Worker)(script ?? path.join(packageRoot(), 'bin', 'asmlink.cjs'), { argv, workerData: data });
  const result = new Promise<M | string>((done) => {
    w.once('message', (m: M | WorkerFailure) => done('why' in m ? m.why : m));
    w.once('error', (e) => done(`a worker failed: ${e.message}`));
    w.once('exit', () => done('a worker exited'));
  }).finally(() => void w.terminate());
  return { result, end: () => void w.terminate() };
}

/** On a worker: the data it was started with. */
export function workerInput<T>(): T {
  return nodeWorkerThreads().workerData as T;
}

/** On a worker: posts its one message, the buffers in `transfer` moved rather than copied. */
export function postToParent(message: unknown, transfer: ArrayBuffer[] = []): void {
  nodeWorkerThreads().parentPort!.postMessage(message, transfer);
}

/** On a worker: posts why it failed (an internal error), for the main thread, which meets it again or does not. */
export function postFailure(e: unknown): void {
  postToParent({ why: `a worker failed: ${(e as Error)?.stack ?? String(e)}` } satisfies WorkerFailure);
}
