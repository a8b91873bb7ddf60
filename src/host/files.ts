// File I/O for the CLI and the Node API: reading sources and writing outputs
// atomically. An output is written to a temporary file beside the target and
// renamed into place, so a failed or interrupted run leaves either no file or
// the previous one untouched, and replacing a running executable works (rename
// does not write into the busy inode, so there is no ETXTBSY).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { plainError } from '../diag.js';

export function readTextFile(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** Why a file operation failed, in words; `missing` says what ENOENT means for it. */
function reasonOf(e: unknown, missing: string): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return undefined;
  const words: Record<string, string> = { ENOENT: missing, EISDIR: 'is a directory', EACCES: 'permission denied', ENOTDIR: 'a path component is not a directory', EROFS: 'read-only file system', ENOSPC: 'no space left on device' };
  return words[code] ?? code;
}

/** The diagnostic for an input that could not be read, from the error reading it gave. */
export function cannotReadMessage(p: string, e: unknown): string {
  const reason = reasonOf(e, 'no such file');
  return `${p}: cannot read file${reason ? ` (${reason})` : ''}`;
}

/** A source file's text; a file that cannot be read is a diagnostic saying why. */
export function readInput(p: string): string {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch (e) {
    throw plainError(cannotReadMessage(p, e));
  }
}

let tempCounter = 0;

/** Writes bytes to a temporary file in the target's directory, then renames it over the target. */
export function writeFileAtomic(target: string, bytes: Uint8Array, executable: boolean): void {
  const dir = path.dirname(path.resolve(target));
  const tmp = path.join(dir, `.${path.basename(target)}.tmp-${process.pid}-${tempCounter++}`);
  let fd: number | undefined;
  try {
    // 'wx': never follow or reuse something already at the temporary name.
    fd = fs.openSync(tmp, 'wx', 0o644);
    // No fsync: rename gives atomicity against a failed or killed process,
    // which is what a build needs; durability across power loss is the
    // file system's business (mold and lld do not fsync either).
    // One write() moves at most 2 GiB - 4 KiB on Linux, and may move less: loop.
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, Math.min(bytes.length - done, 1 << 30));
    fs.closeSync(fd);
    fd = undefined;
    // The executable bit is set only once the contents are complete.
    if (executable) fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    // Name the output the user asked for, not the temporary file.
    const reason = reasonOf(e, 'no such directory');
    if (reason) throw plainError(`cannot write ${target}: ${reason}`);
    throw e;
  }
}
