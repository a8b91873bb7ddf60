// Static libraries: `ar` archives of object files (libfoo.a). The members
// are listed with their names, and with the names the archive's symbol index
// says each defines (`/` or `/SYM64/` in GNU and System V archives,
// `__.SYMDEF` in BSD ones, as macOS's ar and ranlib write them), so that a
// link reads only the members it takes. Member names: GNU's `name/`, or `/N`
// into the `//` table of long names; BSD's `#1/N` with the name's N bytes
// before the contents.

import { plainError } from '../diag.js';

const MAGIC = '!<arch>\n';
const HEADER = 60;

export interface ArchiveMember {
  name: string;
  bytes: Uint8Array;
  /** The global names the archive's symbol index lists for this member; absent when the archive has no index. */
  defines?: string[];
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
  // Member header offset -> the names the index gives it.
  let index: Map<number, string[]> | null = null;
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
    const table = bytes.subarray(start, end);
    if (rawName === '/' || rawName === '/SYM64/') index ??= gnuIndex(table, rawName === '/' ? 4 : 8, (why) => bad(at, why));
    else if (/^__\.SYMDEF(_64)?( SORTED)?$/.test(name)) index ??= bsdIndex(table, name.startsWith('__.SYMDEF_64') ? 8 : 4, (why) => bad(at, why));
    else if (name !== '') members.push({ name, bytes: table, ...(index ? { defines: index.get(at) ?? [] } : {}) });
    // Members start at even offsets.
    at = end + (size % 2);
  }
  return members;
}

const utf8 = new TextDecoder();

/** A GNU or System V symbol index: a count, that many member header offsets, then as many NUL-terminated names (big-endian words of `word` bytes). */
function gnuIndex(b: Uint8Array, word: 4 | 8, bad: (why: string) => never): Map<number, string[]> {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const get = (at: number) => (word === 4 ? dv.getUint32(at, false) : Number(dv.getBigUint64(at, false)));
  if (b.length < word) bad('a symbol index too short for its count');
  const count = get(0);
  const namesAt = word + count * word;
  if (namesAt > b.length) bad(`a symbol index of ${count} entries runs past its member`);
  // One decoding of all the names (there are thousands in a large library).
  const names = utf8.decode(b.subarray(namesAt)).split('\0');
  if (names.length <= count) bad('a symbol index has fewer names than entries');
  const out = new Map<number, string[]>();
  for (let k = 0; k < count; k++) add(out, get(word + k * word), names[k]!);
  return out;
}

/** A BSD symbol index: the byte size of (name offset, member header offset) pairs, the pairs, the byte size of the names, the names (little-endian words of `word` bytes). */
function bsdIndex(b: Uint8Array, word: 4 | 8, bad: (why: string) => never): Map<number, string[]> {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const get = (at: number) => (word === 4 ? dv.getUint32(at, true) : Number(dv.getBigUint64(at, true)));
  if (b.length < word) bad('a symbol index too short for its size');
  const pairs = get(0);
  const strs = word + pairs + word;
  if (pairs % (2 * word) !== 0 || strs > b.length) bad('a symbol index runs past its member');
  const strEnd = strs + get(word + pairs);
  if (strEnd > b.length) bad("a symbol index's names run past its member");
  const out = new Map<number, string[]>();
  for (let at = word; at < word + pairs; at += 2 * word) {
    const from = strs + get(at);
    const end = b.indexOf(0, from);
    if (from >= strEnd || end < 0 || end > strEnd) bad('a symbol index name is outside its names');
    add(out, get(at + word), utf8.decode(b.subarray(from, end)));
  }
  return out;
}

function add(index: Map<number, string[]>, member: number, name: string): void {
  const list = index.get(member);
  if (list) list.push(name);
  else index.set(member, [name]);
}
