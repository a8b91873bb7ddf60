// Reading what a Mach-O dynamic library (MH_DYLIB: a Homebrew libz.dylib,
// a library of one's own) exports, for a darwin link given `-l NAME`: its
// install name (LC_ID_DYLIB), which the program's LC_LOAD_DYLIB will carry,
// and the names of its export trie (LC_DYLD_INFO_ONLY's or
// LC_DYLD_EXPORTS_TRIE). A universal (fat) file gives the architecture's
// slice.

import type { ArchName } from '../../target.js';
import type { SharedExport, SharedLibrary } from '../../obj/symbol.js';
import * as C from './consts.js';
import { decodeExportTrie } from './trie.js';

/** The library in `bytes` (named `file`) for `arch`; throws an Error naming the file when it is not one. */
export function readDylib(bytes: Uint8Array, file: string, arch: ArchName): SharedLibrary {
  const fail = (m: string): never => {
    throw new Error(`${file}: ${m}`);
  };
  try {
    const cputype = arch === 'amd64' ? C.CPU_TYPE_X86_64 : arch === 'arm64' ? C.CPU_TYPE_ARM64 : C.CPU_TYPE_X86;
    let b = bytes;
    let dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (dv.getUint32(0, false) === C.FAT_MAGIC) {
      const n = dv.getUint32(4, false);
      let slice: Uint8Array | undefined;
      for (let i = 0; i < n && i < 64; i++) {
        const e = 8 + 20 * i;
        if (dv.getUint32(e, false) !== cputype) continue;
        const off = dv.getUint32(e + 8, false);
        const size = dv.getUint32(e + 12, false);
        if (off + size > b.length) fail('the slice lies outside the file');
        slice = b.subarray(off, off + size);
      }
      if (!slice) fail(`a universal file without a slice for ${arch}`);
      b = slice!;
      dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    const magic = dv.getUint32(0, true);
    if (magic !== C.MH_MAGIC_64 && magic !== C.MH_MAGIC) fail('not a Mach-O file');
    if (dv.getUint32(4, true) !== cputype) fail(`not a ${arch} library`);
    if (dv.getUint32(12, true) !== C.MH_DYLIB) fail('not a dynamic library (MH_DYLIB)');
    const ncmds = dv.getUint32(16, true);
    let at = magic === C.MH_MAGIC_64 ? 32 : 28;
    let installName: string | undefined;
    let trie: Uint8Array | undefined;
    for (let i = 0; i < ncmds; i++) {
      // Signed, as the consts' LC_REQ_DYLD forms are (`0x22 | 0x80000000` is negative in JavaScript).
      const cmd = dv.getInt32(at, true);
      const size = dv.getUint32(at + 4, true);
      if (size < 8 || at + size > b.length) fail(`load command ${i} has a bad size`);
      if (cmd === C.LC_ID_DYLIB) {
        const name = at + dv.getUint32(at + 8, true);
        let e = name;
        while (e < at + size && b[e] !== 0) e++;
        installName = new TextDecoder().decode(b.subarray(name, e));
      } else if (cmd === C.LC_DYLD_INFO || cmd === C.LC_DYLD_INFO_ONLY || cmd === C.LC_DYLD_EXPORTS_TRIE) {
        const [off, len] = cmd === C.LC_DYLD_EXPORTS_TRIE ? [dv.getUint32(at + 8, true), dv.getUint32(at + 12, true)] : [dv.getUint32(at + 40, true), dv.getUint32(at + 44, true)];
        if (off + len > b.length) fail('the export trie lies outside the file');
        if (len) trie = b.subarray(off, off + len);
      }
      at += size;
    }
    if (installName === undefined) fail('no LC_ID_DYLIB (not a library one links against)');
    const exports = new Map<string, SharedExport>();
    // Mach-O names carry C's leading underscore; the link's names do not.
    for (const e of trie ? decodeExportTrie(trie) : []) if (e.name.startsWith('_')) exports.set(e.name.slice(1), { type: 0, size: 0, value: e.address });
    return { soname: installName!, exports };
  } catch (e) {
    if (e instanceof RangeError) fail('a structure lies outside the file');
    if (e instanceof Error && !e.message.startsWith(`${file}: `)) fail(e.message);
    throw e;
  }
}
