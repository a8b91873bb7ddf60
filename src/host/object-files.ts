// Reading object files for `asmlink link`. An ELF object is read through
// readElfObjectAt, which asks for the parts linking needs (an asmlink object
// with a link index is read about half); anything else is read whole.

import * as fs from 'node:fs';
import { plainError } from '../diag.js';
import { readElfObjectAt } from '../formats/elf/read-object.js';
import { readObject } from '../formats/read-objects.js';
import type { ObjectFile } from '../obj/symbol.js';
import { cannotReadMessage } from './files.js';

export function readObjectFile(file: string): ObjectFile {
  let fd = -1;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const magic = new Uint8Array(4);
    if (size >= 4 && fs.readSync(fd, magic, 0, 4, 0) === 4 && magic[0] === 0x7f && magic[1] === 0x45 && magic[2] === 0x4c && magic[3] === 0x46) {
      // The file is opened again for each part asked for: the object may ask later (for its Symbol objects).
      return readElfObjectAt(size, (dst, pos) => readFully(file, dst, pos), file);
    }
  } catch (e) {
    if (!isFsError(e)) throw e;
    throw plainError(cannotReadMessage(file, e));
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
  let b: Buffer;
  try {
    b = fs.readFileSync(file);
  } catch (e) {
    throw plainError(cannotReadMessage(file, e));
  }
  // A plain Uint8Array over the Buffer's memory: readers take views of it.
  return readObject(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), file);
}

function readFully(file: string, dst: Uint8Array, pos: number): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw plainError(cannotReadMessage(file, e));
  }
  try {
    for (let n = 0; n < dst.length; ) {
      const got = fs.readSync(fd, dst, n, dst.length - n, pos + n);
      if (got === 0) throw plainError(`${file}: the file became shorter while it was read`);
      n += got;
    }
  } catch (e) {
    if (!isFsError(e)) throw e;
    throw plainError(cannotReadMessage(file, e));
  } finally {
    fs.closeSync(fd);
  }
}

function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}
