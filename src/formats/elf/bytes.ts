// A growable little-endian byte buffer, and the ELF structures written into it
// for either class. ELF32 and ELF64 differ in field widths and, for symbols and
// program headers, in field order; these writers hide that so the object and
// executable writers are written once.

import { HOST_LITTLE_ENDIAN, setU64 } from '../../obj/bytes.js';

export type ElfClass = 32 | 64;

export class ByteWriter {
  buf: Uint8Array;
  dv: DataView;
  len = 0;
  /** The caller's buffer it writes into (over()): finish() then gives a view of it, not a copy. */
  private borrowed: Uint8Array | null = null;

  constructor(initial = 4096) {
    this.buf = new Uint8Array(initial);
    this.dv = new DataView(this.buf.buffer);
  }

  /** A writer that fills `buf` from its start (growing into a new buffer only past its end). */
  static over(buf: Uint8Array): ByteWriter {
    const w = new ByteWriter(1);
    w.buf = buf;
    w.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    w.borrowed = buf;
    return w;
  }

  private grow(need: number): void {
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
    this.dv = new DataView(nb.buffer);
  }

  /** Makes room for n more bytes and returns the offset where they start. */
  reserve(n: number): number {
    const at = this.len;
    if (at + n > this.buf.length) this.grow(at + n);
    this.len = at + n;
    return at;
  }

  u8(v: number): void {
    const at = this.reserve(1);
    this.buf[at] = v;
  }
  // Reserve first: growing replaces this.dv.
  u16(v: number): void {
    const at = this.reserve(2);
    this.dv.setUint16(at, v, true);
  }
  u32(v: number): void {
    const at = this.reserve(4);
    this.dv.setUint32(at, v >>> 0, true);
  }
  i32(v: number): void {
    const at = this.reserve(4);
    this.dv.setInt32(at, v, true);
  }
  /** A 64-bit value from a safe integer (negative values are two's complement). */
  u64(v: number): void {
    const at = this.reserve(8);
    setU64(this.dv, at, v);
  }
  word(cls: ElfClass, v: number): void {
    if (cls === 64) this.u64(v);
    else this.u32(v);
  }
  /** n 32-bit words of w, little-endian. */
  words(w: Uint32Array, n: number): void {
    const at = this.reserve(4 * n);
    for (let i = 0; i < n; i++) this.dv.setUint32(at + 4 * i, w[i], true);
  }
  bytes(b: Uint8Array): void {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
  }
  zeros(n: number): void {
    const at = this.reserve(n);
    this.buf.fill(0, at, at + n);
  }
  align(a: number): void {
    const pad = (a - (this.len % a)) % a;
    if (pad) this.zeros(pad);
  }
  /** Pads with zeros up to an absolute offset. */
  padTo(off: number): void {
    if (off < this.len) throw new Error(`internal: padTo ${off} < ${this.len}`);
    this.zeros(off - this.len);
  }
  finish(): Uint8Array {
    // A writer over the caller's buffer, or one sized exactly, hands over its
    // buffer: no copy of the whole file. Any later write would grow into a new
    // buffer, never this one.
    if (this.buf === this.borrowed) return this.buf.subarray(0, this.len);
    return this.len === this.buf.length ? this.buf : this.buf.slice(0, this.len);
  }
}

export function alignUp(v: number, a: number): number {
  return a <= 1 ? v : Math.ceil(v / a) * a;
}

export interface Ehdr {
  type: number;
  machine: number;
  entry: number;
  phoff: number;
  shoff: number;
  flags: number;
  phnum: number;
  shnum: number;
  shstrndx: number;
  /** EI_OSABI: ELFOSABI_GNU where the file uses GNU extensions (STT_GNU_IFUNC), as GNU ld and gas mark them; else 0. */
  osabi?: number;
}

export function writeEhdr(w: ByteWriter, cls: ElfClass, h: Ehdr): void {
  w.bytes(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, cls === 64 ? 2 : 1, 1, 1, h.osabi ?? 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  w.u16(h.type);
  w.u16(h.machine);
  w.u32(1);
  w.word(cls, h.entry);
  w.word(cls, h.phoff);
  w.word(cls, h.shoff);
  w.u32(h.flags);
  w.u16(cls === 64 ? 64 : 52);
  w.u16(h.phnum ? (cls === 64 ? 56 : 32) : 0);
  w.u16(h.phnum);
  w.u16(cls === 64 ? 64 : 40);
  w.u16(h.shnum);
  w.u16(h.shstrndx);
}

export interface Phdr {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export function writePhdr(w: ByteWriter, cls: ElfClass, p: Phdr): void {
  if (cls === 64) {
    w.u32(p.type);
    w.u32(p.flags);
    w.u64(p.offset);
    w.u64(p.vaddr);
    w.u64(p.vaddr);
    w.u64(p.filesz);
    w.u64(p.memsz);
    w.u64(p.align);
  } else {
    w.u32(p.type);
    w.u32(p.offset);
    w.u32(p.vaddr);
    w.u32(p.vaddr);
    w.u32(p.filesz);
    w.u32(p.memsz);
    w.u32(p.flags);
    w.u32(p.align);
  }
}

export interface Shdr {
  name: number;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

export function writeShdr(w: ByteWriter, cls: ElfClass, s: Shdr): void {
  w.u32(s.name);
  w.u32(s.type);
  w.word(cls, s.flags);
  w.word(cls, s.addr);
  w.word(cls, s.offset);
  w.word(cls, s.size);
  w.u32(s.link);
  w.u32(s.info);
  w.word(cls, s.addralign);
  w.word(cls, s.entsize);
}

export interface ElfSym {
  name: number;
  value: number;
  size: number;
  bind: number;
  type: number;
  other: number;
  shndx: number;
}

export function writeSym(w: ByteWriter, cls: ElfClass, s: ElfSym): void {
  symWords(scratch, 0, cls, s.name, s.value, s.size, (s.bind << 4) | (s.type & 0xf), s.other, s.shndx);
  w.words(scratch, SYM_WORDS[cls]);
}

/** One relocation entry: RELA (with addend) or REL (addend stored in the field). */
export function writeReloc(w: ByteWriter, cls: ElfClass, rela: boolean, offset: number, sym: number, type: number, addend: number): void {
  relocWords(scratch, 0, cls, rela, offset, sym, type, addend);
  w.words(scratch, relocWordCount(cls, rela));
}

/** writeSym's and writeReloc's entry, built as words before it is appended. */
const scratch = new Uint32Array(6);

/**
 * The inverse of wordBytes: `size` bytes at `offset` of `bytes` as
 * little-endian 32-bit words (tables read with array reads, no call per
 * field): a view when the host is little-endian and the bytes are 4-aligned
 * in memory, else a copy.
 */
export function bytesAsWords(bytes: Uint8Array, offset: number, size: number): Uint32Array {
  const n = Math.floor(size / 4);
  const at = bytes.byteOffset + offset;
  if (HOST_LITTLE_ENDIAN && at % 4 === 0) return new Uint32Array(bytes.buffer, at, n);
  const dv = new DataView(bytes.buffer, at, 4 * n);
  const w = new Uint32Array(n);
  for (let i = 0; i < n; i++) w[i] = dv.getUint32(4 * i, true);
  return w;
}

/**
 * The file bytes of 32-bit words built in a Uint32Array (tables written with
 * one store per field, no call per field): a view of them on a little-endian
 * host, a byte-swapped copy otherwise.
 */
export function wordBytes(w: Uint32Array): Uint8Array {
  if (HOST_LITTLE_ENDIAN) return new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
  const b = new Uint8Array(w.byteLength);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < w.length; i++) dv.setUint32(4 * i, w[i], true);
  return b;
}

/** The high 32 bits of a 64-bit field holding a safe integer (two's complement when negative). */
function hi32(v: number): number {
  return Math.floor(v / 4294967296);
}

/**
 * A symbol entry as words at w[k..] (SYM_WORDS[cls] of them), info being
 * (bind << 4) | type. Like every store into a Uint32Array, a value wraps to
 * 32 bits as `>>> 0` does.
 */
export function symWords(w: Uint32Array, k: number, cls: ElfClass, name: number, value: number, size: number, info: number, other: number, shndx: number): void {
  const infoWord = info | (other << 8) | (shndx << 16); // st_info, st_other, st_shndx: adjacent in both classes
  w[k] = name;
  if (cls === 64) {
    w[k + 1] = infoWord;
    w[k + 2] = value;
    w[k + 3] = hi32(value);
    w[k + 4] = size;
    w[k + 5] = hi32(size);
  } else {
    w[k + 1] = value;
    w[k + 2] = size;
    w[k + 3] = infoWord;
  }
}
export const SYM_WORDS = { 32: 4, 64: 6 } as const;

/** A relocation entry as words at w[k..] (relocWordCount(cls, rela) of them); see writeReloc. */
export function relocWords(w: Uint32Array, k: number, cls: ElfClass, rela: boolean, offset: number, sym: number, type: number, addend: number): void {
  if (cls === 64) {
    w[k] = offset;
    w[k + 1] = hi32(offset);
    w[k + 2] = type;
    w[k + 3] = sym;
    if (rela) {
      w[k + 4] = addend;
      w[k + 5] = hi32(addend);
    }
  } else {
    w[k] = offset;
    w[k + 1] = (sym << 8) | (type & 0xff);
    if (rela) w[k + 2] = addend;
  }
}
export function relocWordCount(cls: ElfClass, rela: boolean): number {
  return (cls === 64 ? 4 : 2) + (rela ? cls / 32 : 0);
}

/** A string table: deduplicated, NUL-terminated names, offset 0 is the empty string. */
export class StrTab {
  private readonly w: ByteWriter;
  private readonly seen = new Map<string, number>();
  private readonly enc = new TextEncoder();
  /** `into`: the bytes to write the table into (a view of the file it goes in); by default a buffer of its own. */
  constructor(into?: Uint8Array) {
    this.w = into ? ByteWriter.over(into) : new ByteWriter(1024);
    this.w.u8(0);
    this.seen.set('', 0);
  }
  add(s: string): number {
    const got = this.seen.get(s);
    if (got !== undefined) return got;
    const at = this.append(s);
    this.seen.set(s, at);
    return at;
  }
  /**
   * Like add, for a name no other call of addUnique passes (the output's
   * global symbols): found if add put it there, else appended without being
   * recorded, which saves a map entry per name in a large table.
   */
  addUnique(s: string): number {
    return this.seen.get(s) ?? this.append(s);
  }
  /** Appends the NUL-terminated bytes at `off` of `keys` (a name as an input holds it), unrecorded like addUnique's. */
  addBytes(keys: Uint8Array, off: number): number {
    let end = off;
    while (keys[end] !== 0) end++;
    const at = this.w.reserve(end - off + 1);
    const b = this.w.buf;
    for (let i = off; i < end; i++) b[at + i - off] = keys[i];
    b[at + end - off] = 0;
    return at;
  }

  private append(s: string): number {
    const at = this.w.len;
    let ascii = true;
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) ascii = false;
    if (ascii) {
      // The common case without an encoder allocation per name.
      const o = this.w.reserve(s.length + 1);
      const b = this.w.buf;
      for (let i = 0; i < s.length; i++) b[o + i] = s.charCodeAt(i);
      b[o + s.length] = 0;
    } else {
      this.w.bytes(this.enc.encode(s));
      this.w.u8(0);
    }
    return at;
  }
  get size(): number {
    return this.w.len;
  }
  finish(): Uint8Array {
    return this.w.finish();
  }
}
