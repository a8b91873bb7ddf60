// The shape of a relocatable Mach-O object as both of its readers need it
// (read-object.ts makes Symbol objects, read-columns.ts columns): the header,
// the sections and where the symbol and string tables are.

import type { SymKind } from '../../obj/symbol.js';
import type { ArchName } from '../../target.js';
import * as C from './consts.js';
import type { SectionKind } from './sections.js';

export interface RSect {
  segname: string;
  sectname: string;
  addr: number;
  size: number;
  offset: number;
  align: number;
  reloff: number;
  nreloc: number;
  flags: number;
}

export interface ObjectLayout {
  arch: ArchName;
  is64: boolean;
  sects: RSect[];
  symoff: number;
  nsyms: number;
  stroff: number;
  strsize: number;
}

/** What a reader throws for a malformed object; readMachOObject makes it a diagnostic. */
export class Malformed extends Error {}

export function fail(m: string): never {
  throw new Malformed(m);
}

function fixedName(b: Uint8Array, at: number): string {
  let e = at;
  while (e < at + 16 && b[e] !== 0) e++;
  return new TextDecoder().decode(b.subarray(at, e));
}

/** What the symbols of a section are; undefined for sections that hold none (debug notes). */
export function kindOf(s: RSect): SymKind | undefined {
  const type = s.flags & 0xff;
  // Compact unwind records are marked debug (never loaded), yet the linker reads them.
  if (isCompactUnwind(s)) return 'unwind';
  // A compiler's DWARF call frames: the executable's unwind information is
  // made from the compact records alone (see link/macho-unwind.ts).
  if (s.segname === '__TEXT' && s.sectname === '__eh_frame') return undefined;
  if (s.segname === '__DWARF' || (s.flags & 0x02000000) !== 0) return undefined;
  if (type === C.S_ZEROFILL) return 'bss';
  if (type === C.S_MOD_INIT_FUNC_POINTERS) return 'init_array';
  if (type === C.S_THREAD_LOCAL_REGULAR || type === C.S_THREAD_LOCAL_ZEROFILL) return 'tls';
  if (type === C.S_THREAD_LOCAL_VARIABLES) return 'tlv';
  if (s.segname === '__TEXT') return s.sectname === '__text' || (s.flags & C.S_ATTR_PURE_INSTRUCTIONS) !== 0 ? 'text' : 'rodata';
  if (s.sectname === '__const') return 'rodata';
  return 'data';
}

/** A compiler's compact unwind records (__LD,__compact_unwind), which only the Symbol reader reads. */
export function isCompactUnwind(s: RSect): boolean {
  return s.segname === '__LD' && s.sectname === '__compact_unwind';
}

/** Whether a section (of these flags: its type and attributes) has no bytes in the file, in an object or an executable. */
export function isZerofill(flags: number): boolean {
  const type = flags & 0xff;
  return type === C.S_ZEROFILL || type === C.S_THREAD_LOCAL_ZEROFILL;
}

/**
 * A section of C's thread-local variables (__thread_vars, __thread_data,
 * __thread_bss), which only the Symbol reader reads: their relocations
 * mean what they mean only there (the descriptors' offsets into the
 * thread-local template, the code's TLV loads).
 */
export function isThreadLocal(s: RSect): boolean {
  const type = s.flags & 0xff;
  return type === C.S_THREAD_LOCAL_REGULAR || type === C.S_THREAD_LOCAL_ZEROFILL || type === C.S_THREAD_LOCAL_VARIABLES || type === C.S_THREAD_LOCAL_VARIABLE_POINTERS;
}

/**
 * A compiler's static constructors (__mod_init_func: pointers dyld calls
 * before main), which only the Symbol reader reads (as init_array symbols).
 */
export function holdsConstructors(s: RSect): boolean {
  return s.size > 0 && (s.flags & 0xff) === C.S_MOD_INIT_FUNC_POINTERS;
}

/**
 * What the linker does not link: destructor pointers (__mod_term_func,
 * which clang no longer writes: destructors go through __cxa_atexit) and
 * ld64's own offsets form (__init_offsets, an output format, not an input
 * one). Both readers refuse them.
 */
export function unlinkedInitializers(s: RSect): boolean {
  const type = s.flags & 0xff;
  return s.size > 0 && (type === C.S_MOD_TERM_FUNC_POINTERS || type === C.S_INIT_FUNC_OFFSETS);
}

/** A common symbol (a C tentative definition compiled with -fcommon): undefined and external, its size as value. */
export function isCommonSymbol(type: number, value: number): boolean {
  return (type & C.N_TYPE) === C.N_UNDF && (type & C.N_EXT) !== 0 && value !== 0;
}

/**
 * Whether the symbol table holds a common symbol, which only the Symbol
 * reader defines: the index reader, which reads no symbol table otherwise, leaves
 * such objects to it. The table lies inside the file (objectLayout checked it).
 */
export function hasCommonSymbol(b: Uint8Array, L: ObjectLayout): boolean {
  const nl = L.is64 ? 16 : 12;
  const end = L.symoff + L.nsyms * nl;
  // Most entries are definitions: the value is read only for undefined external ones.
  for (let e = L.symoff; e < end; e += nl)
    if ((b[e + 4]! & (C.N_TYPE | C.N_EXT)) === (C.N_UNDF | C.N_EXT) && (b[e + 8]! | b[e + 9]! | b[e + 10]! | b[e + 11]! | (L.is64 ? b[e + 12]! | b[e + 13]! | b[e + 14]! | b[e + 15]! : 0)) !== 0) return true;
  return false;
}

/** The first section of that segment and name (asmlink's notes), if any. */
export function sectionNamed(sects: readonly RSect[], k: Pick<SectionKind, 'segname' | 'sectname'>): RSect | undefined {
  return sects.find((s) => s.segname === k.segname && s.sectname === k.sectname);
}

/** Reads the header and load commands of an MH_OBJECT, checking that the tables lie inside the file. */
export function objectLayout(b: Uint8Array): ObjectLayout {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = dv.getUint32(0, true);
  const is64 = magic === C.MH_MAGIC_64;
  if (!is64 && magic !== C.MH_MAGIC) fail('bad magic');
  const cputype = dv.getUint32(4, true);
  const arch: ArchName | undefined =
    cputype === C.CPU_TYPE_X86_64 ? 'amd64' : cputype === C.CPU_TYPE_ARM64 ? 'arm64' : cputype === C.CPU_TYPE_X86 ? '386' : undefined;
  if (!arch) fail(`unsupported cpu type 0x${cputype.toString(16)}`);
  if (dv.getUint32(12, true) !== C.MH_OBJECT) fail('not a relocatable object (MH_OBJECT)');
  const ncmds = dv.getUint32(16, true);
  const sects: RSect[] = [];
  let symoff = 0, nsyms = 0, stroff = 0, strsize = 0;
  let at = is64 ? 32 : 28;
  for (let i = 0; i < ncmds; i++) {
    const cmd = dv.getUint32(at, true);
    const size = dv.getUint32(at + 4, true);
    if (size < 8 || at + size > b.length) fail(`load command ${i} has a bad size`);
    if (cmd === C.LC_SEGMENT_64 || cmd === C.LC_SEGMENT) {
      const nsects = dv.getUint32(at + (is64 ? 64 : 48), true);
      let s = at + (is64 ? 72 : 56);
      for (let k = 0; k < nsects; k++) {
        const w = (o: number) => (is64 ? Number(dv.getBigUint64(s + o, true)) : dv.getUint32(s + o, true));
        const o = is64 ? 48 : 40;
        sects.push({
          sectname: fixedName(b, s), segname: fixedName(b, s + 16), addr: w(32), size: w(is64 ? 40 : 36),
          offset: dv.getUint32(s + o, true), align: dv.getUint32(s + o + 4, true), reloff: dv.getUint32(s + o + 8, true),
          nreloc: dv.getUint32(s + o + 12, true), flags: dv.getUint32(s + o + 16, true),
        });
        s += is64 ? 80 : 68;
      }
    } else if (cmd === C.LC_SYMTAB) {
      symoff = dv.getUint32(at + 8, true);
      nsyms = dv.getUint32(at + 12, true);
      stroff = dv.getUint32(at + 16, true);
      strsize = dv.getUint32(at + 20, true);
    }
    at += size;
  }
  const nl = is64 ? 16 : 12;
  // Bounds before loops: a huge strsize or nsyms in a small file must not run billions of iterations.
  if (stroff > b.length || strsize > b.length - stroff) fail('string table outside the file');
  if (symoff > b.length || nsyms > (b.length - symoff) / nl) fail('symbol table outside the file');
  return { arch: arch!, is64, sects, symoff, nsyms, stroff, strsize };
}

/**
 * What the symbol note may say of a symbol's size (min 0, any safe integer),
 * alignment (min 1) and lines (min 0): whole numbers below `max`. A damaged
 * note's 0.3 would otherwise reach the writers as it is.
 */
export function isWhole(v: number, min: number, max = 2 ** 31): boolean {
  return Number.isInteger(v) && v >= min && v < max;
}
