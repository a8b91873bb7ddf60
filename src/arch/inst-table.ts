// Instruction boundaries of assembled functions, kept compactly. Only
// listings (-S, --json) and the Mach-O object writer read them, yet a large
// file has a million instructions: one object each, alive until the object
// file is written, was a large part of the garbage collector's work. They are
// stored as (line, offset, size, sp, frame bits) records in shared
// Int32Array chunks and turned into InstInfo objects when asked for.

import type { InstInfo } from '../obj/symbol.js';

const CHUNK = 1 << 16;
/** Int32 words per instruction. */
const W = 5;
/** Frame bits (InstInfo.saved on x86, InstInfo.cfaOnBp). */
export const FRAME_BP_SAVED = 1;
export const FRAME_ON_BP = 2;
let chunk = new Int32Array(CHUNK);
let chunkUsed = 0;

/** Collects one function's instructions; reused from one function to the next. */
export class InstRecorder {
  private buf = new Int32Array(W * 1024);
  private n = 0;
  /** Instructions from another file than the function's (an #include): [index, file]. */
  private files: [number, string][] | null = null;

  reset(): void {
    this.n = 0;
    this.files = null;
  }

  /** file: only when it differs from the function's own file; sp and frame: the frame it runs in (InstInfo.sp, FRAME_* bits). */
  add(line: number, offset: number, size: number, file: string | undefined, sp: number, frame: number): void {
    const at = W * this.n;
    if (at + W > this.buf.length) {
      const b = new Int32Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[at] = line;
    this.buf[at + 1] = offset;
    this.buf[at + 2] = size;
    this.buf[at + 3] = sp;
    this.buf[at + 4] = frame;
    if (file !== undefined) (this.files ??= []).push([this.n, file]);
    this.n++;
  }

  /**
   * Freezes what was recorded; the result makes the InstInfo list on each
   * call. The triples are copied into a shared chunk, and the result keeps
   * the chunk and a start index: no typed-array view per function.
   */
  finish(): () => InstInfo[] {
    const len = W * this.n;
    if (chunkUsed + len > chunk.length) {
      chunk = new Int32Array(Math.max(CHUNK, len));
      chunkUsed = 0;
    }
    const store = chunk;
    const start = chunkUsed;
    const src = this.buf;
    for (let k = 0; k < len; k++) store[start + k] = src[k]!;
    chunkUsed += len;
    const files = this.files;
    return () => {
      const out: InstInfo[] = [];
      for (let k = start; k < start + len; k += W) {
        const frame = store[k + 4]!;
        const inst: InstInfo = { line: store[k]!, offset: store[k + 1]!, size: store[k + 2]!, sp: store[k + 3]!, saved: frame & FRAME_BP_SAVED };
        if (frame & FRAME_ON_BP) inst.cfaOnBp = true;
        out.push(inst);
      }
      if (files) for (const [i, file] of files) out[i]!.file = file;
      return out;
    };
  }
}
