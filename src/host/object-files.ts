// Reading object files for `asmlink link`. An ELF object is read through
// readElfObjectAt, which asks for the parts linking needs (an asmlink object
// with a link index is read about half); anything else (Mach-O, a static
// library's members) is read whole.

import * as fs from 'node:fs';
import { plainError } from '../diag.js';
import { readElfObjectAt } from '../formats/elf/read-object.js';
import { isArchive } from '../formats/archive.js';
import { readArchive, readObject } from '../formats/read-objects.js';
import type { ObjectFile } from '../obj/symbol.js';
import { readingFile } from './files.js';
import { objectFormat } from '../formats/magic.js';

/**
 * Reads the object files of a link. Their images are views of one buffer:
 * memory is first touched when it is read into, a page fault per 4 KiB
 * page, and one large block is one that the C library can back with 2 MiB
 * pages (see bin/asmlink), where a block per object mostly is not. Each
 * image starts on a page boundary (the link index's views need 8).
 */
export function readObjectFiles(files: readonly string[]): ObjectFile[] {
  return readObjectFileGroups(files).flat();
}

/**
 * The objects of each file: one, or a static library's members (marked
 * ObjectFile.archive, named `lib.a(member.o)`), of which the link takes
 * those the program needs.
 */
export function readObjectFileGroups(files: readonly string[]): ObjectFile[][] {
  const found = files.map(probe);
  let total = 0;
  for (const f of found) total += pageAlign(f.size);
  const images = new Uint8Array(total);
  let at = 0;
  return files.map((file, i) => {
    const { size, elf } = found[i]!;
    const image = images.subarray(at, at + size);
    at += pageAlign(size);
    if (elf) return [readElfAt(file, size, image)];
    withFile(file, (fd) => readFully(file, fd, image, 0));
    return isArchive(image) ? readArchive(image, file) : [readObject(image, file)];
  });
}

/**
 * An ELF object read into `image` through one open file; what it asks for
 * later (the rest of the file, for its Symbol objects) opens the file again.
 */
function readElfAt(file: string, size: number, image: Uint8Array<ArrayBuffer>): ObjectFile {
  const fd = readingFile(file, () => fs.openSync(file, 'r'));
  let open = true;
  try {
    return readElfObjectAt(size, (dst, pos) => (open ? readFully(file, fd, dst, pos) : withFile(file, (later) => readFully(file, later, dst, pos))), file, image);
  } finally {
    open = false;
    fs.closeSync(fd);
  }
}

/** A file's size, and whether it starts as an ELF file does. */
function probe(file: string): { size: number; elf: boolean } {
  return withFile(file, (fd) => {
    const magic = new Uint8Array(4);
    const st = fs.fstatSync(fd);
    const isElf = st.size >= 4 && fs.readSync(fd, magic, 0, 4, 0) === 4 && objectFormat(magic) === 'elf';
    return { size: st.size, elf: isElf };
  });
}

function pageAlign(n: number): number {
  return Math.ceil(n / 4096) * 4096;
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

