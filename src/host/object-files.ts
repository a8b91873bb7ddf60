// Reading object files for `asmlink link`. An ELF object is read through
// readElfObjectAt, which asks for the parts linking needs (an asmlink object
// with a link index is read about half); anything else is read whole.

import * as fs from 'node:fs';
import { plainError } from '../diag.js';
import { readElfObjectAt } from '../formats/elf/read-object.js';
import { readObject } from '../formats/read-objects.js';
import type { ObjectFile } from '../obj/symbol.js';
import { readingFile } from './files.js';

export function readObjectFile(file: string): ObjectFile {
  const { size, elf } = withFile(file, (fd) => {
    const magic = new Uint8Array(4);
    const st = fs.fstatSync(fd);
    const isElf = st.size >= 4 && fs.readSync(fd, magic, 0, 4, 0) === 4 && magic[0] === 0x7f && magic[1] === 0x45 && magic[2] === 0x4c && magic[3] === 0x46;
    return { size: st.size, elf: isElf };
  });
  // The file is opened again for each part asked for: the object may ask later (for its Symbol objects).
  if (elf) return readElfObjectAt(size, (dst, pos) => withFile(file, (fd) => readFully(file, fd, dst, pos)), file);
  const b = readingFile(file, () => fs.readFileSync(file));
  // A plain Uint8Array over the Buffer's memory: readers take views of it.
  return readObject(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), file);
}

/** Fills dst from the file's bytes at pos. */
function readFully(file: string, fd: number, dst: Uint8Array, pos: number): void {
  for (let n = 0; n < dst.length; ) {
    const got = readingFile(file, () => fs.readSync(fd, dst, n, dst.length - n, pos + n));
    if (got === 0) throw plainError(`${file}: the file became shorter while it was read`);
    n += got;
  }
}

/** Runs use on the file opened for reading, and closes it. */
function withFile<T>(file: string, use: (fd: number) => T): T {
  const fd = readingFile(file, () => fs.openSync(file, 'r'));
  try {
    return readingFile(file, () => use(fd));
  } finally {
    fs.closeSync(fd);
  }
}

