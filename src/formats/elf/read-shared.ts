// Reading what a shared library (ELF ET_DYN: libc.so.6, libm.so.6, ...)
// exports, so that a link given `-l NAME` can import the names its objects
// leave undefined from it, as a system linker does: the library's name as
// the loader knows it (DT_SONAME), and each defined dynamic symbol with its
// default version (GNU symbol versioning: the Verdef an unhidden .gnu.version
// entry names), which the import then requires, as GNU ld records it.
// Only the section headers are read: .dynsym, its string table,
// .gnu.version, .gnu.version_d and .dynamic.

import * as C from './consts.js';
import type { SharedExport, SharedLibrary } from '../../obj/symbol.js';

/** What the shared object `bytes` (named `file`) exports; throws an Error saying what is wrong with a file that is not one. */
export function readSharedLibrary(bytes: Uint8Array, file: string): SharedLibrary {
  try {
    return readUnchecked(bytes, file);
  } catch (e) {
    // A field that points outside the file, read by a DataView.
    if (e instanceof RangeError) throw new Error(`${file}: malformed shared library: a structure lies outside the file`);
    throw e;
  }
}

function readUnchecked(bytes: Uint8Array, file: string): SharedLibrary {
  const fail = (m: string): never => {
    throw new Error(`${file}: malformed shared library: ${m}`);
  };
  if (bytes.length < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) fail('not an ELF file');
  const is64 = bytes[4] === C.ELFCLASS64;
  if (!is64 && bytes[4] !== C.ELFCLASS32) fail('unknown ELF class');
  if (bytes[5] !== C.ELFDATA2LSB) fail('not little-endian');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint16(16, true) !== C.ET_DYN) fail('not a shared library (ET_DYN)');
  const word = (at: number): number => (is64 ? Number(dv.getBigUint64(at, true)) : dv.getUint32(at, true));
  const shoff = word(is64 ? 40 : 32);
  const shentsize = dv.getUint16(is64 ? 58 : 46, true);
  const shnum = dv.getUint16(is64 ? 60 : 48, true);
  if (shnum === 0 || shoff + shnum * shentsize > bytes.length) fail('no section headers');
  interface Shdr {
    type: number;
    offset: number;
    size: number;
    link: number;
  }
  const shdrs: Shdr[] = [];
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * shentsize;
    shdrs.push({
      type: dv.getUint32(h + 4, true),
      offset: word(h + (is64 ? 24 : 16)),
      size: word(h + (is64 ? 32 : 20)),
      link: dv.getUint32(h + (is64 ? 40 : 24), true),
    });
  }
  for (const s of shdrs) if (s.type !== C.SHT_NOBITS && s.offset + s.size > bytes.length) fail('a section lies outside the file');
  const dynsym = shdrs.find((s) => s.type === C.SHT_DYNSYM) ?? fail('no dynamic symbol table');
  const strtab = shdrs[dynsym.link] ?? fail('no string table for the dynamic symbols');
  const str = (off: number): string => {
    if (off >= strtab.size) fail('a name lies outside the string table');
    let e = strtab.offset + off;
    const end = strtab.offset + strtab.size;
    while (e < end && bytes[e] !== 0) e++;
    return new TextDecoder().decode(bytes.subarray(strtab.offset + off, e));
  };

  // Version names by index (Verdef: vd_ndx, vd_aux → the first Verdaux names it).
  const versionName = new Map<number, string>();
  const verdef = shdrs.find((s) => s.type === C.SHT_GNU_VERDEF);
  if (verdef) {
    let at = verdef.offset;
    for (let n = 0; n < 0x10000 && at + 20 <= verdef.offset + verdef.size; n++) {
      const ndx = dv.getUint16(at + 4, true);
      const aux = dv.getUint32(at + 12, true);
      const next = dv.getUint32(at + 16, true);
      if (at + aux + 8 <= bytes.length) versionName.set(ndx, str(dv.getUint32(at + aux, true)));
      if (next === 0) break;
      at += next;
    }
  }
  const versym = shdrs.find((s) => s.type === C.SHT_GNU_VERSYM);

  const symSize = is64 ? 24 : 16;
  const count = Math.floor(dynsym.size / symSize);
  const exports = new Map<string, SharedExport>();
  for (let i = 1; i < count; i++) {
    const e = dynsym.offset + i * symSize;
    const info = dv.getUint8(e + (is64 ? 4 : 12));
    const shndx = dv.getUint16(e + (is64 ? 6 : 14), true);
    const bind = info >> 4;
    if (shndx === C.SHN_UNDEF || (bind !== C.STB_GLOBAL && bind !== C.STB_WEAK)) continue;
    let version: string | undefined;
    if (versym && versym.offset + 2 * i + 2 <= versym.offset + versym.size) {
      const v = dv.getUint16(versym.offset + 2 * i, true);
      if (v & C.VERSYM_HIDDEN) continue; // an old version kept for old programs: new links bind the default
      if ((v & 0x7fff) > C.VER_NDX_GLOBAL) version = versionName.get(v & 0x7fff);
    }
    const name = str(dv.getUint32(e, true));
    if (name === '' || exports.has(name)) continue;
    exports.set(name, { ...(version !== undefined ? { version } : {}), type: info & 0xf, size: word(e + (is64 ? 16 : 8)), value: word(e + (is64 ? 8 : 4)) });
  }

  let soname: string | undefined;
  const dynamic = shdrs.find((s) => s.type === C.SHT_DYNAMIC);
  if (dynamic) {
    const dynStr = shdrs[dynamic.link];
    const ent = is64 ? 16 : 8;
    for (let at = dynamic.offset; at + ent <= dynamic.offset + dynamic.size; at += ent) {
      const tag = word(at);
      if (tag === C.DT_NULL) break;
      if (tag === C.DT_SONAME && dynStr === strtab) soname = str(word(at + ent / 2));
    }
  }
  return { soname: soname ?? file.replace(/^.*\//, ''), exports };
}
