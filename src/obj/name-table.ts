// A table of names keyed as they are stored in the inputs: bytes of an
// object's string table (NUL-terminated ASCII) or UTF-16 code units (names
// that came as strings). A name is hashed and compared unit by unit where it
// lies, so looking one up makes no string. The linker's global symbol table
// is one (a large link looks up hundreds of thousands of names, most of them
// once per object); the Mach-O reader finds definitions by name with another.
//
// Open addressing with linear probing over a table sized once (the number of
// entries is bounded before anything is inserted), storing entry indexes.

export type Keys = Uint8Array | Uint16Array;

/** Where a name lies: units of `buf` from `off`, `len` of them (-1: up to a NUL). */
export class NameTable {
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Per entry: its key (buffer, offset, length), its hash and its value. */
  private readonly bufs: Keys[] = [];
  private readonly offs: Int32Array;
  private readonly lens: Int32Array;
  private readonly hashes: Int32Array;
  private readonly values: Int32Array;
  size = 0;
  /** The length of the last key hashed (hash measures NUL-terminated keys). */
  private len = 0;

  constructor(maxEntries: number) {
    let cap = 16;
    while (cap < maxEntries * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.offs = new Int32Array(maxEntries);
    this.lens = new Int32Array(maxEntries);
    this.hashes = new Int32Array(maxEntries);
    this.values = new Int32Array(maxEntries);
  }

  /** FNV-1a over the units of a key; sets `len` (measured when len < 0). */
  private hash(buf: Keys, off: number, len: number): number {
    let h = 0x811c9dc5 | 0;
    if (len < 0) {
      let i = off;
      for (let c = buf[i]; c !== 0; c = buf[++i]) h = Math.imul(h ^ c, 0x01000193);
      this.len = i - off;
    } else {
      for (let i = off; i < off + len; i++) h = Math.imul(h ^ buf[i], 0x01000193);
      this.len = len;
    }
    return h;
  }

  /** The entry holding a key, or -1; `len` and `h` as hash() left them. */
  private find(buf: Keys, off: number, len: number, h: number): number {
    const mask = this.mask;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s];
      if (e < 0) return -1;
      if (this.hashes[e] !== h || this.lens[e] !== len) continue;
      const eb = this.bufs[e];
      const eo = this.offs[e];
      let i = 0;
      while (i < len && eb[eo + i] === buf[off + i]) i++;
      if (i === len) return e;
    }
  }

  /** The value stored under a key, or -1. */
  get(buf: Keys, off: number, len: number): number {
    const h = this.hash(buf, off, len);
    const e = this.find(buf, off, this.len, h);
    return e < 0 ? -1 : this.values[e];
  }

  /** Stores a value under a key if the key is absent (then returns -1; values stored are never -1), else returns the value already there. */
  add(buf: Keys, off: number, len: number, value: number): number {
    const h = this.hash(buf, off, len);
    len = this.len;
    const e = this.find(buf, off, len, h);
    if (e >= 0) return this.values[e];
    const n = this.size++;
    this.bufs.push(buf);
    this.offs[n] = off;
    this.lens[n] = len;
    this.hashes[n] = h;
    this.values[n] = value;
    for (let s = h & this.mask; ; s = (s + 1) & this.mask)
      if (this.slots[s] < 0) {
        this.slots[s] = n;
        break;
      }
    return -1;
  }

  /** Stores a value under a key already present (a definition that takes another's place). */
  replace(buf: Keys, off: number, len: number, value: number): void {
    const h = this.hash(buf, off, len);
    const e = this.find(buf, off, this.len, h);
    if (e < 0) throw new Error('internal: replacing a name the table does not hold');
    this.values[e] = value;
  }

  /** The value of entry e (entries are numbered in the order they were added, from 0 to size - 1). */
  entryValue(e: number): number {
    return this.values[e];
  }
}

/** The hash a NameTable gives a key with the string's UTF-16 code units (FNV-1a), for tables keyed by strings. */
export function stringHash(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** A string as a key (UTF-16 code units). */
export function stringKey(s: string): Uint16Array {
  const k = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) k[i] = s.charCodeAt(i);
  return k;
}
