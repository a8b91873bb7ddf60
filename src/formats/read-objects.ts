// Reading object files of either format, recognised by the magic number. Kept
// apart from the writers (objects.ts) so that `asmlink link` loads only the
// readers.

import { plainError } from '../diag.js';
import type { ObjectFile } from '../obj/symbol.js';
import { readElfObject } from './elf/read-object.js';
import { definedName, readMachOObject } from './macho/read-object.js';
import { archiveMembers } from './archive.js';
import { objectFormat, objectTarget } from './magic.js';

export function readObject(bytes: Uint8Array, name: string): ObjectFile {
  const format = objectFormat(bytes);
  if (format === 'elf') return readElfObject(bytes, name);
  if (format === 'macho') return readMachOObject(bytes, name);
  throw plainError(`${name}: not an object file asmlink can read (expected ELF or Mach-O)${formatHint(bytes)}`);
}

/**
 * A static library's members as objects, named `lib.a(member.o)` and marked
 * ObjectFile.archive: a link takes those the program needs. With the
 * archive's symbol index, members are read when the link takes them
 * (ObjectFile.unread); without one, now. Each member is copied out, as
 * members lie at any even offset and readers view tables in place.
 */
export function readArchive(bytes: Uint8Array, name: string): ObjectFile[] {
  return archiveMembers(bytes, name).map((m) => {
    const memberName = `${name}(${m.name})`;
    const read = (): ObjectFile => {
      const obj = readObject(m.bytes.slice(), memberName);
      obj.archive = name;
      return obj;
    };
    const target = m.defines && objectTarget(m.bytes);
    if (!target) return read();
    const defines = target.os === 'darwin' ? m.defines!.map(definedName) : m.defines!;
    return { target, name: memberName, symbols: [], dynimports: [], archive: name, unread: { defines, read } };
  });
}

/** What a file that is not an object is, when it is something users pass by mistake. */
function formatHint(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 16));
  if (head.startsWith('go object ')) return ": it is in Go's own object format (go tool asm, go tool compile), which only Go's linker reads; assemble the source with asmlink asm";
  if (/^\s*(\/\/|#|TEXT|GLOBL|DATA)/.test(head)) return ': it looks like assembly source; asmlink build makes an executable of it (or asmlink asm an object to link)';
  return '';
}
