// File I/O for the CLI and the Node API: reading sources and writing outputs
// atomically. An output is written to a temporary file beside the target and
// renamed into place, so a failed or interrupted run leaves either no file or
// the previous one untouched, and replacing a running executable works (rename
// does not write into the busy inode, so there is no ETXTBSY).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiagnosticError, plainError } from '../diag.js';
import { objectFormat } from '../formats/magic.js';

export function readTextFile(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** Why a file operation failed, in words; `missing` says what ENOENT means for it. */
export function reasonOf(e: unknown, missing: string): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return undefined;
  const words: Record<string, string> = { ENOENT: missing, EISDIR: 'is a directory', EACCES: 'permission denied', ENOTDIR: 'a path component is not a directory', EROFS: 'read-only file system', ENOSPC: 'no space left on device', ENAMETOOLONG: 'file name too long' };
  return words[code] ?? code;
}

/** The diagnostic for an input that could not be read, from the error reading it gave. */
export function cannotReadMessage(p: string, e: unknown): string {
  const reason = reasonOf(e, 'no such file');
  return `${p}: cannot read file${reason ? ` (${reason})` : ''}`;
}

/** Runs a file-system call reading p; the error it fails with becomes the diagnostic saying why p cannot be read. */
export function readingFile<T>(p: string, call: () => T): T {
  try {
    return call();
  } catch (e) {
    if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string') throw plainError(cannotReadMessage(p, e));
    throw e;
  }
}

/** A source file's text; a file that cannot be read is a diagnostic saying why. */
export function readInput(p: string): string {
  return readingFile(p, () => fs.readFileSync(p, 'utf8'));
}

/**
 * A source file read in pieces of about PIECE bytes, each cut after a
 * newline (so no UTF-8 sequence, valid or not, is split, and the pieces
 * decode to exactly the text of the whole file), for assemble(). A large
 * file then never sits in memory whole, neither as bytes nor as a string:
 * on a machine where first touching memory costs a page fault per 4 KiB,
 * that is ~11,000 faults fewer for a 22 MB source. includes() scans the
 * file once more, through a buffer of its own. Reading errors are diagnostics, as
 * readInput's; the first read happens here, so a missing or unreadable file
 * is reported before assembling starts. close() must be called. Given
 * byte ranges, the pieces are of those ranges' bytes, in order (a part of
 * a file assembled on a thread of its own, host/parallel-asm.ts);
 * includes() still scans the whole file.
 */
export class InputPieces {
  /** Bytes per piece, about: small enough that a piece usually dies in V8's nursery before the next scavenge would copy it. */
  static readonly PIECE = 1 << 13;
  /** Bytes per read: few system calls, and small enough to stay in cache. */
  static readonly READ = 1 << 18;
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(InputPieces.READ);
  /** buf[start, end) is read but not yet handed out. */
  private start = 0;
  private end = 0;
  private pos = 0;
  private eof = false;
  private readonly found = new Map<string, boolean>();

  /** The whole text, for an input that is not a regular file (a pipe cannot be read twice); then it is the one piece. */
  private whole: string | undefined;
  private wholeGiven = false;

  /** The byte ranges read, in order ([start, end) each, ending at line ends, taken as needed): the whole file when absent. */
  private readonly ranges: Iterator<readonly [number, number]> | undefined;
  private rangeEnd = Infinity;

  constructor(
    private readonly path: string,
    ranges?: Iterable<readonly [number, number]>,
  ) {
    this.ranges = ranges?.[Symbol.iterator]();
    if (this.ranges) this.rangeEnd = this.pos = -1; // no range yet
    const fd = readingFile(path, () => fs.openSync(path, 'r'));
    try {
      readingFile(path, () => {
        if (!fs.fstatSync(fd).isFile()) this.whole = fs.readFileSync(fd).toString('utf8');
      });
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
    this.fd = fd;
    // Reads the first bytes now, so that an error reading is reported here.
    if (this.whole === undefined) this.fill();
    // A binary file (an executable named where a source was meant) would give a
    // screenful of "unexpected character" errors: one line says what it is.
    if (!this.ranges) {
      const head = this.whole !== undefined ? Buffer.from(this.whole.slice(0, 4096), 'latin1') : this.buf.subarray(this.start, Math.min(this.end, this.start + 4096));
      if (head.includes(0)) {
        fs.closeSync(this.fd);
        throw new DiagnosticError([{ file: path, line: 1, col: 1, message: `not assembly source: ${binaryKind(head)}` }]);
      }
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private read(into: Buffer, at: number, position: number): number {
    return readingFile(this.path, () => fs.readSync(this.fd, into, at, into.length - at, position));
  }

  /** Reads at buf[end] from the file at pos, within the ranges; 0 at their end. */
  private readRanges(): number {
    if (this.ranges === undefined) return this.read(this.buf, this.end, this.pos);
    for (;;) {
      if (this.pos < this.rangeEnd) {
        const got = readingFile(this.path, () => fs.readSync(this.fd, this.buf, this.end, Math.min(this.buf.length - this.end, this.rangeEnd - this.pos), this.pos));
        if (got > 0) return got;
      }
      const next = this.ranges.next();
      if (next.done) return 0;
      [this.pos, this.rangeEnd] = next.value;
    }
  }

  /** Reads until buf[start, end) holds a newline or the file has ended. */
  private fill(): void {
    let from = this.start; // bytes before it hold no newline
    while (!this.eof && this.buf.subarray(0, this.end).indexOf(0x0a, from) < 0) {
      // Move what is left to the front, then read after it (growing buf for a line longer than it).
      this.buf.copy(this.buf, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
      if (this.end === this.buf.length) {
        const b = Buffer.allocUnsafe(this.buf.length * 2);
        this.buf.copy(b, 0, 0, this.end);
        this.buf = b;
      }
      const got = this.readRanges();
      if (got === 0) this.eof = true;
      this.pos += got;
      from = this.end;
      this.end += got;
    }
  }

  next(): string | undefined {
    if (this.whole !== undefined) {
      if (this.wholeGiven) return undefined;
      this.wholeGiven = true;
      return this.whole;
    }
    this.fill();
    if (this.start === this.end) return undefined;
    const held = this.buf.subarray(0, this.end);
    // Cut after the last newline within PIECE bytes, or after the first one
    // past them (a long line), or at the end of the file.
    const limit = Math.min(this.end, this.start + InputPieces.PIECE);
    let nl = held.lastIndexOf(0x0a, limit - 1);
    if (nl < this.start) nl = held.indexOf(0x0a, limit);
    const cut = nl < 0 ? this.end : nl + 1;
    const piece = this.buf.toString('utf8', this.start, cut);
    this.start = cut;
    return piece;
  }

  includes(s: string): boolean {
    if (this.whole !== undefined) return this.whole.includes(s);
    let got = this.found.get(s);
    if (got === undefined) {
      got = this.scan(Buffer.from(s, 'utf8'));
      this.found.set(s, got);
    }
    return got;
  }

  /** Whether the file's bytes hold needle, read through a buffer of its own (next() keeps its place). */
  private scan(needle: Buffer): boolean {
    const b = Buffer.allocUnsafe(Math.max(InputPieces.READ, 2 * needle.length));
    let keep = 0;
    for (let position = 0; ; ) {
      const got = this.read(b, keep, position);
      if (got === 0) return false;
      position += got;
      const n = keep + got;
      if (b.subarray(0, n).includes(needle)) return true;
      // The end of this buffer may hold the start of a match.
      keep = Math.min(needle.length - 1, n);
      b.copy(b, 0, n - keep, n);
    }
  }
}

/**
 * Refuses to write an output over one of the inputs (`asmlink build -o x.s
 * x.s` would replace the source with the executable), as GNU as, ld and gcc
 * refuse: the same file by device and inode, so links and other spellings
 * of the path count too.
 */
export function refuseOutputOverInput(outputs: (string | undefined)[], inputs: string[]): void {
  for (const out of outputs) {
    if (out === undefined) continue;
    let o: fs.Stats;
    try {
      o = fs.statSync(out);
    } catch {
      continue;
    }
    if (!o.isFile()) continue;
    for (const input of inputs) {
      let i: fs.Stats;
      try {
        i = fs.statSync(input);
      } catch {
        continue;
      }
      if (i.dev === o.dev && i.ino === o.ino) throw plainError(`${input}: is an input and also the output (${out}); refusing to overwrite it`);
    }
  }
}

let tempCounter = 0;

/** Writes bytes to a temporary file in the target's directory, then renames it over the target. */
export function writeFileAtomic(target: string, bytes: Uint8Array, executable: boolean): void {
  writeFileAtomicWith(target, (write) => write(bytes), executable);
}

/**
 * writeFileAtomic for contents made in pieces: produce hands each piece, in
 * order, to write, which puts it in the file before returning (so a piece's
 * buffer may be reused), and the whole file is never one buffer in memory.
 * If produce throws, the temporary file is removed and the target untouched.
 */
export function writeFileAtomicWith(target: string, produce: (write: (bytes: Uint8Array) => void) => void, executable: boolean): void {
  if (isSpecialFile(target)) return writeInto(target, produce);
  const dir = path.dirname(path.resolve(target));
  const tmp = path.join(dir, `.${tempStem(target)}.tmp-${process.pid}-${tempCounter++}`);
  withSignalsDropped(() => writeThroughTemporary(target, tmp, produce, executable));
}

function writeThroughTemporary(target: string, tmp: string, produce: (write: (bytes: Uint8Array) => void) => void, executable: boolean): void {
  let fd: number | undefined;
  try {
    // 'wx': never follow or reuse something already at the temporary name.
    fd = fs.openSync(tmp, 'wx', 0o644);
    // No fsync: rename gives atomicity against a failed or killed process,
    // which is what a build needs; durability across power loss is the
    // file system's business (mold and lld do not fsync either).
    const out = fd;
    produce((bytes) => writeAll(out, bytes));
    fs.closeSync(fd);
    fd = undefined;
    // The executable bit is set only once the contents are complete.
    if (executable) makeExecutable(tmp);
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // The error that brought us here is the one to report.
    }
    // Name the output the user asked for, not the temporary file.
    const reason = reasonOf(e, 'no such directory');
    if (reason) throw plainError(`cannot write ${target}: ${reason}`);
    throw e;
  }
}

/**
 * Where to make a file that another program writes and that will become
 * `target` (moveIntoPlace): beside it, on its file system, so that it can be
 * renamed into place; in the temporary directory when the target is not a
 * regular file, whose directory (/dev) may not be ours to write in.
 */
export function scratchDirFor(target: string): string {
  return isSpecialFile(target) ? os.tmpdir() : path.dirname(path.resolve(target));
}

/**
 * Puts the finished executable `made` (in scratchDirFor(target)) in place
 * of target, as writeFileAtomic would have written it: renamed over a
 * regular file, written into any other.
 */
export function moveExecutableIntoPlace(made: string, target: string): void {
  if (isSpecialFile(target)) return writeInto(target, (write) => write(fs.readFileSync(made)));
  makeExecutable(made);
  fs.renameSync(made, target);
}

/**
 * Runs fn, a synchronous step that leaves temporary files in the user's
 * directories until it is done, with SIGINT, SIGTERM and SIGHUP taken and
 * dropped rather than killing the process midway and leaving the files
 * behind. JavaScript handlers only run once fn has returned, when there is
 * nothing left to clean up, so a handler could do no more than drop them.
 * A child process fn runs still gets a terminal's signals itself.
 */
export function withSignalsDropped<T>(fn: () => T): T {
  for (const sig of DROPPED_SIGNALS) process.on(sig, ignoreSignal);
  try {
    return fn();
  } finally {
    for (const sig of DROPPED_SIGNALS) process.off(sig, ignoreSignal);
  }
}

/**
 * The start of a temporary file's name beside `target`: its file name, cut so
 * that the temporary name stays within the 255 bytes a file name may have
 * when the target's own name is near that.
 */
export function tempStem(target: string): string {
  return path.basename(target).slice(0, 128);
}

/**
 * Adds execute permission wherever the file has read permission (0644 →
 * 0755, 0640 → 0750), so an executable is as open as the user's umask let
 * the file be created, as a C compiler's output is; a fixed 0755 ignored a
 * umask of 027.
 */
function makeExecutable(file: string): void {
  const mode = fs.statSync(file).mode & 0o777;
  fs.chmodSync(file, mode | ((mode & 0o444) >> 2));
}

/** Whether target exists and is not a regular file: /dev/null, a terminal, a pipe (or a link to one). */
export function isSpecialFile(target: string): boolean {
  try {
    return !fs.statSync(target).isFile();
  } catch {
    return false;
  }
}

/**
 * Writes into a file that is not a regular one, as it is: renaming a
 * temporary file over /dev/null or /dev/stdout would replace the device (as
 * root) instead of writing to it.
 */
function writeInto(target: string, produce: (write: (bytes: Uint8Array) => void) => void): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(target, 'w');
    const out = fd;
    produce((bytes) => writeAll(out, bytes));
  } catch (e) {
    const reason = reasonOf(e, 'no such directory');
    if (reason) throw plainError(`cannot write ${target}: ${reason}`);
    throw e;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

const DROPPED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const ignoreSignal = () => {};

/** Writes all of bytes: one write() moves at most 2 GiB - 4 KiB on Linux, and may move less. */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, Math.min(bytes.length - done, 1 << 30));
}

/** What a binary file that was given as a source is, by its first bytes. */
function binaryKind(head: Uint8Array): string {
  const format = objectFormat(head);
  if (format === 'elf') return 'an ELF file (an executable or an object)';
  if (format === 'macho') return 'a Mach-O file (an executable or an object)';
  return 'binary data (it holds NUL bytes)';
}
