// The symbol table of a Mach-O executable and its string table: local
// symbols in program order (hidden ones among them, marked N_PEXT: "was a
// private external"), then the defined external ones sorted by name
// (as loader.h asks of an executable), then the undefined ones (the imports)
// sorted by name. Every Mach-O name is the program's name with a leading
// underscore (imports.ts), so sorting the program's names sorts the table.
//
// A large program has a defined symbol per function: the table is kept as
// columns of numbers, not an object per entry, and a name the inputs hold as
// bytes is copied as bytes. Only the external names are made into strings,
// for the sort.

import { ByteWriter } from '../formats/macho/bytes.js';
import * as C from '../formats/macho/consts.js';
import type { LSym, OutSection } from './program.js';

/** An undefined (imported) symbol: its Mach-O name and n_desc (library ordinal). */
export interface UndefinedSymbol {
  name: string;
  desc: number;
}

export interface MachOSymtab {
  nlocal: number;
  nextdef: number;
  nundef: number;
  /** Table index of each undefined symbol, by Mach-O name. */
  undefIndex: Map<string, number>;
  strings: Uint8Array;
  /**
   * Writes the nlist entries from `at`; putAddress stores a defined symbol's
   * value, an offset from the image base (Layout.bias), as its address.
   */
  write(dv: DataView, at: number, is64: boolean, putAddress: (at: number, off: number) => void): void;
}

/** The name of __mh_execute_header without the underscore every Mach-O name gets. */
const HEADER_NAME = '_mh_execute_header';

/**
 * The table for the program's defined symbols that are in a section
 * sectOrdinal places, __mh_execute_header (in section 1, at offset 0) and
 * the given undefined symbols.
 */
export function buildMachOSymtab(syms: readonly LSym[], sectOrdinal: (s: LSym & { section: OutSection }) => number | undefined, undefined_: readonly UndefinedSymbol[]): MachOSymtab {
  // Symbols by index in syms, with their section ordinals (n_sect is one byte).
  const local = new Int32Array(syms.length);
  const localSect = new Uint8Array(syms.length);
  let nlocal = 0;
  // Externals; entry 0 stands for __mh_execute_header (-1).
  const ext = new Int32Array(syms.length + 1);
  const extSect = new Uint8Array(syms.length + 1);
  const extName: string[] = [HEADER_NAME];
  ext[0] = -1;
  extSect[0] = 1;
  let nextdef = 1;
  for (let i = 0; i < syms.length; i++) {
    const s = syms[i]!;
    if (!s.section) continue;
    const ord = sectOrdinal(s as LSym & { section: OutSection });
    if (ord === undefined) continue;
    // A hidden (private external) symbol is local to the executable, as ld64 makes it.
    if (s.local || s.flags.hidden) {
      local[nlocal] = i;
      localSect[nlocal++] = ord;
    } else {
      ext[nextdef] = i;
      extSect[nextdef++] = ord;
      extName.push(s.name);
    }
  }
  const order: number[] = [];
  for (let i = 0; i < nextdef; i++) order.push(i);
  order.sort((a, b) => {
    const x = extName[a]!;
    const y = extName[b]!;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const undefs = [...undefined_].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const count = nlocal + nextdef + undefs.length;
  const strx = new Int32Array(count);
  const type = new Uint8Array(count);
  const sect = new Uint8Array(count);
  const desc = new Uint16Array(count);
  const value = new Float64Array(count);
  // Sized for names of ~30 bytes, so that it seldom grows (a copy each time).
  const str = new ByteWriter(true, 32 * count + 64);
  str.u8(0x20).u8(0); // index 1 is the empty name, as ld64 does (" \0")
  let n = 0;
  for (let i = 0; i < nlocal; i++, n++) {
    const s = syms[local[i]!]!;
    strx[n] = str.length;
    str.u8(0x5f);
    const keys = s.nameKeys;
    if (keys !== null) str.cstringBytes(keys, s.nameKeyOffset);
    else str.cstring(s.name);
    type[n] = s.local ? C.N_SECT : C.N_SECT | C.N_PEXT;
    sect[n] = localSect[i]!;
    value[n] = s.addr;
  }
  for (let i = 0; i < order.length; i++, n++) {
    const k = order[i]!;
    strx[n] = str.length;
    str.u8(0x5f).cstring(extName[k]!);
    type[n] = C.N_SECT | C.N_EXT;
    sect[n] = extSect[k]!;
    if (ext[k] === -1) desc[n] = C.REFERENCED_DYNAMICALLY;
    else {
      const d = syms[ext[k]!]!;
      value[n] = d.addr;
      if (d.flags.dupok) desc[n] = C.N_WEAK_DEF;
    }
  }
  const undefIndex = new Map<string, number>();
  for (let i = 0; i < undefs.length; i++, n++) {
    const u = undefs[i]!;
    undefIndex.set(u.name, n);
    strx[n] = str.length;
    str.cstring(u.name);
    type[n] = C.N_UNDF | C.N_EXT;
    desc[n] = u.desc;
  }
  str.align(8);
  return {
    nlocal,
    nextdef,
    nundef: undefs.length,
    undefIndex,
    strings: str.finish(),
    write(dv, at, is64, putAddress) {
      const size = is64 ? 16 : 12;
      for (let i = 0; i < count; i++, at += size) {
        dv.setUint32(at, strx[i]!, true);
        dv.setUint8(at + 4, type[i]!);
        dv.setUint8(at + 5, sect[i]!);
        dv.setUint16(at + 6, desc[i]!, true);
        // Undefined symbols' values stay 0 (the file is zero-filled).
        if (sect[i] !== 0) putAddress(at + 8, value[i]!);
      }
    },
  };
}
