// Static libraries: `ar` archives of object files (libfoo.a). The members
// are listed with their names; the symbol index (`/` or `/SYM64/` in GNU and
// System V archives, `__.SYMDEF` in BSD ones, as macOS's ar writes them) is
// skipped, since the linker reads each member's own symbol table. Member
// names: GNU's `name/`, or `/N` into the `//` table of long names; BSD's
// `#1/N` with the name's N bytes before the contents.

import { plainError } from '../diag.js';

const MAGIC = '!<arch>\n';
const HEADER = 60;

export interface ArchiveMember {
  name: string;
  bytes: Uint8Array;
}

export function isArchive(bytes: Uint8Array): boolean {
  if (bytes.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) return false;
  return true;
}

/** The object members of an archive, in order (views of `bytes`). */
export function archiveMembers(bytes: Uint8Array, file: string): ArchiveMember[] {
  const latin1 = new TextDecoder('latin1');
  const text = (from: number, to: number) => latin1.decode(bytes.subarray(from, to));
  const bad = (at: number, why: string): never => {
    throw plainError(`${file}: malformed archive: ${why} (at byte ${at})`);
  };
  const members: ArchiveMember[] = [];
  let longNames = '';
  let at = MAGIC.length;
  while (at < bytes.length) {
    if (bytes.length - at < HEADER) bad(at, 'a member header runs past the end of the file');
    if (bytes[at + 58] !== 0x60 || bytes[at + 59] !== 0x0a) bad(at, 'a member header does not end in `\\n');
    const rawName = text(at, at + 16).trimEnd();
    const sizeText = text(at + 48, at + 58).trim();
    if (!/^\d+$/.test(sizeText)) bad(at, `member size "${sizeText}" is not a number`);
    const size = Number(sizeText);
    let start = at + HEADER;
    const end = start + size;
    if (end > bytes.length) bad(at, `member ${rawName} runs past the end of the file`);
    let name = rawName;
    if (rawName.startsWith('#1/')) {
      // BSD: the name's length, and the name at the start of the contents.
      const n = Number(rawName.slice(3));
      if (!Number.isInteger(n) || n > size) bad(at, `bad BSD member name length ${rawName}`);
      name = text(start, start + n).replace(/\0+$/, '');
      start += n;
    } else if (rawName === '//') {
      longNames = text(start, end);
      name = '';
    } else if (/^\/\d+$/.test(rawName)) {
      const off = Number(rawName.slice(1));
      const stop = longNames.indexOf('/\n', off);
      if (off >= longNames.length || stop < 0) bad(at, `member name ${rawName} is outside the table of long names`);
      name = longNames.slice(off, stop);
    } else if (rawName.endsWith('/') && rawName !== '/') name = rawName.slice(0, -1);
    const index = rawName === '/' || rawName === '/SYM64/' || name === '__.SYMDEF' || name === '__.SYMDEF SORTED' || name === '__.SYMDEF_64' || name === '__.SYMDEF_64 SORTED';
    if (name !== '' && !index) members.push({ name, bytes: bytes.subarray(start, end) });
    // Members start at even offsets.
    at = end + (size % 2);
  }
  return members;
}
