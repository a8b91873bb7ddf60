// Object files by format: ELF for linux targets, Mach-O for darwin. Reading
// recognises the format from the magic number (read-objects.ts).

import type { ObjectFile } from '../obj/symbol.js';
import { writeElfObject } from './elf/index.js';
import { writeMachOObject } from './macho/object.js';

export { readArchive, readObject } from './read-objects.js';
export { isArchive } from './archive.js';

export function writeObject(obj: ObjectFile): Uint8Array {
  return obj.target.os === 'darwin' ? writeMachOObject(obj) : writeElfObject(obj);
}
