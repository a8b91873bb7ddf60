// `asmlink asm` of a large file on several threads: the file is cut into
// slices at TEXT lines; each thread assembles a run of slices from its
// starting point (this one from the file's start) while it can claim the
// next, then slices nobody has begun, and the parts are joined into the
// object the whole file's assembly makes, byte for byte (src/asm/parts.ts
// says when a file can be cut and why the result is the same). Anything
// unusual (a file that cannot be cut, an error in any part, a name defined
// in two parts) makes assembleInParts give up, and the caller assembles the
// file as one, which reports what is wrong.
//
// A worker runs the CLI the way this process does (bin/asmlink.cjs and the
// bundle, with the asm command's V8 code cache; or dist/src/cli/main.js),
// so the parts and the joining are the same code; PART_WORKER_ARG tells it
// to assemble parts. Called through the API, the bundle runs them.
// Starting one takes ~30-50 ms here. On this 2-CPU host two threads
// assemble the 1.4 M-line bench file in ~1.05-1.10 s against ~1.25-1.30 s
// on one: two processes each assembling half of it take ~1.02 s together,
// so most of what is lost is the machine (memory traffic, V8's background
// threads), and the rest is joining the parts (~20 ms) and writing the
// object (~95 ms), which one thread does.

import * as fs from 'node:fs';
import { assemblePart, type AssembledPart, type AssembleOptions } from '../asm/assemble.js';
import { blocksCutting, joinParts, laterPart, prefixEnd, textLineAfter, type LaterPart } from '../asm/parts.js';
import { DiagnosticError } from '../diag.js';
import { columnsFromMessage, columnsMessage } from '../obj/object-columns.js';
import type { ObjectFile } from '../obj/symbol.js';
import { InputPieces, readTextFile } from './files.js';
import { phaseTracer } from './trace.js';
import { PART_WORKER_ARG } from './worker-args.js';
import { defaultPartLimits, postFailure, postToParent, runWorker, workerInput, type Sharing, type WorkerFailure } from './workers.js';

/** What a part's assembly is given: AssembleOptions that can be posted to a thread. */
export type PartOptions = Omit<AssembleOptions, 'readFile' | 'insts' | 'errorLimit'>;

/** The file's first bytes, where its prefix must end. */
const HEAD_BYTES = 64 << 10;
const SCAN_BYTES = 256 << 10;

interface Plan {
  /** [start, end) of each slice: the first from the file's start, the others from a TEXT line. */
  slices: [number, number][];
  prefix: number;
  prefixNewlines: number;
}

/** How to cut the file into slices, or null when it cannot be cut. */
function planSlices(fd: number, size: number, sliceBytes: number): Plan | null {
  const head = Buffer.allocUnsafe(Math.min(HEAD_BYTES, size));
  fs.readSync(fd, head, 0, head.length, 0);
  const prefix = prefixEnd(head);
  if (prefix < 0) return null;
  let prefixNewlines = 0;
  for (let i = head.indexOf(0x0a); i >= 0 && i < prefix; i = head.indexOf(0x0a, i + 1)) prefixNewlines++;
  // The file after the prefix is read in blocks of whole lines. Each cut is
  // the first TEXT line about sliceBytes after the one before (a TEXT line
  // that starts a block is passed over: the line before it is not seen).
  const cuts = [0];
  let wanted = prefix + sliceBytes;
  const block = Buffer.allocUnsafe(SCAN_BYTES);
  for (let at = prefix; at < size; ) {
    const got = fs.readSync(fd, block, 0, block.length, at);
    if (got === 0) break;
    // A line as long as a block is not worth cutting around.
    const end = at + got === size ? got : block.subarray(0, got).lastIndexOf(0x0a) + 1;
    if (end === 0) return null;
    const lines = block.subarray(0, end);
    if (blocksCutting(lines)) return null;
    while (wanted < at + end) {
      const line = textLineAfter(lines, Math.max(0, wanted - at));
      if (line < 0) break;
      cuts.push(at + line);
      wanted = at + line + sliceBytes;
    }
    at += end;
  }
  if (cuts.length < 2) return null;
  return { slices: cuts.map((c, k) => [c, k + 1 < cuts.length ? cuts[k + 1] : size]), prefix, prefixNewlines };
}

/** Slices claimed by threads: 0 free, 1 taken, in memory all threads share. */
class Claims {
  constructor(readonly state: Int32Array) {}

  claim(i: number): boolean {
    return i < this.state.length && Atomics.compareExchange(this.state, i, 0, 1) === 0;
  }

  /** Claims the last free slice, or returns -1 when none is left. */
  steal(): number {
    for (let i = this.state.length - 1; i >= 0; i--) if (this.claim(i)) return i;
    return -1;
  }
}

/** What a thread assembles: a run of slices from `first` as one part, then stolen slices as parts of their own. */
interface ThreadWork {
  opts: PartOptions;
  plan: Plan;
  claims: Claims;
}

/** The pieces of the slices from `first` on, while this thread can claim them (after the prefix, for a part not at the file's start). */
function* claimedRun(work: ThreadWork, first: number, withPrefix: boolean): Generator<readonly [number, number]> {
  if (withPrefix) yield [0, work.plan.prefix];
  for (let i = first; i === first || work.claims.claim(i); i++) yield work.plan.slices[i];
}

function assembleRun(work: ThreadWork, first: number, withPrefix: boolean): AssembledPart {
  const pieces = new InputPieces(work.opts.file, claimedRun(work, first, withPrefix));
  try {
    return assemblePart(pieces, { ...work.opts, readFile: readTextFile, insts: false });
  } finally {
    pieces.close();
  }
}

/** A later part, with the slice it starts at. */
interface PlacedPart {
  slice: number;
  part: LaterPart;
}

/**
 * Parts after the first: the run from `first` (claimed already; -1 for
 * none), then slices stolen. Null when any has an error, or reached the error limit.
 */
function laterParts(work: ThreadWork, first: number): PlacedPart[] | null {
  const out: PlacedPart[] = [];
  try {
    for (let slice = first >= 0 ? first : work.claims.steal(); slice >= 0; slice = work.claims.steal()) {
      const part = laterPart(assembleRun(work, slice, true));
      if (!part) return null;
      out.push({ slice, part });
    }
  } catch (e) {
    if (e instanceof DiagnosticError) return null;
    throw e;
  }
  return out;
}

/** Later parts as a worker posts them. */
interface PartsMessage {
  parts: { slice: number; part: Omit<LaterPart, 'cols' | 'constants'> & { cols: unknown; constants: string[] } }[];
}

/**
 * The object of the whole file, assembled in parts on several threads, or
 * null when the file is not worth cutting or cannot be cut and joined (the
 * caller then assembles it as one, which also reports any error).
 */
export async function assembleInParts(opts: PartOptions, how: Sharing = {}): Promise<ObjectFile | null> {
  const limits = how.limits ?? defaultPartLimits();
  let fd: number;
  try {
    fd = fs.openSync(opts.file, 'r');
  } catch {
    return null; // reported by the assembly as one
  }
  let plan: Plan | null = null;
  let threads = 0;
  try {
    const st = fs.fstatSync(fd);
    threads = Math.min(limits.threads, Math.floor(st.size / Math.max(1, limits.minThreadBytes)));
    if (st.isFile() && threads >= 2) plan = planSlices(fd, st.size, limits.sliceBytes);
  } finally {
    fs.closeSync(fd);
  }
  if (!plan) return null;
  const trace = phaseTracer();
  trace?.(`planned ${threads} threads, ${plan.slices.length} slices`);
  /** Gives up, saying why when tracing: the file is then assembled on one thread. */
  const giveUp = (why: string): null => {
    trace?.(`one thread after all: ${why}`);
    return null;
  };
  const claims = new Claims(new Int32Array(new SharedArrayBuffer(4 * plan.slices.length)));
  const work: ThreadWork = { opts, plan, claims };
  // Each thread starts on its share of the slices; this one on the first.
  const count = plan.slices.length;
  const starts = [...new Set(Array.from({ length: threads }, (_, k) => Math.floor((k * count) / threads)))];
  for (const s of starts) claims.claim(s);
  const workers = starts.slice(1).map((first) => runWorker<PartsMessage>(how.workerScript, ['asm', PART_WORKER_ARG], { opts, plan, claims: claims.state, first }));
  let first: AssembledPart | null = null;
  let stolen: PlacedPart[] | null = null;
  try {
    first = assembleRun(work, 0, false);
    stolen = first.diag.hasErrors ? null : laterParts(work, -1);
  } catch (e) {
    // The error limit was reached.
    if (!(e instanceof DiagnosticError)) throw e;
  } finally {
    if (!stolen) for (const w of workers) w.end();
  }
  if (!first || !stolen) return giveUp('errors');
  const fromWorkers = await Promise.all(workers.map((w) => w.result));
  const failed = fromWorkers.find((m) => typeof m === 'string');
  if (failed !== undefined) return giveUp(failed);
  const posted = (fromWorkers as PartsMessage[]).flatMap((m) => m.parts.map(({ slice, part }) => ({ slice, part: { ...part, cols: columnsFromMessage(part.cols), constants: new Set(part.constants) } })));
  const later = [...stolen, ...posted].sort((a, b) => a.slice - b.slice);
  return joinParts(opts.target, opts.file, first, later.map((p) => p.part), plan.prefixNewlines) ?? giveUp('the parts do not join into the whole file');
}

/** A worker's work (main.ts runs it on a thread started with PART_WORKER_ARG): assembles its parts and posts them. */
export function assemblePartInWorker(): void {
  const data = workerInput<{ opts: PartOptions; plan: Plan; claims: Int32Array; first: number }>();
  let parts: PlacedPart[] | null;
  try {
    parts = laterParts({ opts: data.opts, plan: data.plan, claims: new Claims(data.claims) }, data.first);
  } catch (e) {
    return postFailure(e);
  }
  if (!parts) return postToParent({ why: 'errors' } satisfies WorkerFailure);
  const transfer: ArrayBuffer[] = [];
  const message: PartsMessage = {
    parts: parts.map(({ slice, part }) => {
      const m = columnsMessage(part.cols);
      transfer.push(...m.transfer);
      return { slice, part: { ...part, cols: m.message, constants: [...part.constants] } };
    }),
  };
  postToParent(message, transfer);
}
