// Symbols GNU ld defines from an ELF executable's layout, which a static C
// library refers to (glibc's libc.a: its start-up finds the program headers
// from __ehdr_start, applies the indirect functions' relocations between
// __rela_iplt_start and __rela_iplt_end — __rel_iplt_* on 386 — and its
// early allocator starts at _end), as C programs do to the ends of the
// code, the data and the image (etext, edata, end); and the empty _init and
// _fini that crti.o and crtn.o would give (asmlink runs constructors from
// .init_array, never from .init). All are the linker object's
// (init-arrays.ts): DUPOK, so an object's own definition (crti.o's _init, a
// C program's `end`) wins, kept only when something refers to them, and, as
// GNU ld's PROVIDE, in no archive member's place (a member defining one is
// still taken). The address symbols are placed once the layout is done
// (placeImageSymbols), at what Layout.imageSymbol says.

import type { Symbol, SymFlags } from '../obj/symbol.js';
import type { ArchName, Target } from '../target.js';
import type { Layout, LSym } from './program.js';

const ADDRESS_FLAGS: SymFlags = Object.freeze({ dupok: true, imageAddress: true });
const CODE_FLAGS: SymFlags = Object.freeze({ dupok: true });

/** A function's return, alone: what _init and _fini do here. */
const RETURN: Record<ArchName, number[]> = {
  amd64: [0xc3],
  '386': [0xc3],
  arm64: [0xc0, 0x03, 0x5f, 0xd6],
};

/** The image's bounds, by GNU ld's names (Unix's etext, edata and end among them). */
const BOUNDS = ['__ehdr_start', 'etext', '_etext', '__etext', 'edata', '_edata', '__bss_start', 'end', '_end'];

/** The names of the address symbols for an architecture (386 has REL relocations, so __rel_iplt_*). */
function addressNames(arch: ArchName): string[] {
  const irel = arch === '386' ? '__rel_iplt' : '__rela_iplt';
  // arm64 -fpic code takes the GOT's page from _GLOBAL_OFFSET_TABLE_ (x86 code reaches it pc-relatively: R_GOTPC).
  // A static PIE's start-up finds its dynamic section through _DYNAMIC (0 where there is none).
  return [...BOUNDS, `${irel}_start`, `${irel}_end`, '_DYNAMIC', ...(arch === 'arm64' ? ['_GLOBAL_OFFSET_TABLE_'] : [])];
}

export function imageSymbols(target: Target, file: string): Symbol[] {
  const out: Symbol[] = addressNames(target.arch).map((name) => ({ name, kind: 'noptrbss', size: 0, align: 1, data: new Uint8Array(0), relocs: [], flags: ADDRESS_FLAGS, file, line: 0 }));
  for (const name of ['_init', '_fini']) {
    const code = new Uint8Array(RETURN[target.arch]);
    out.push({ name, kind: 'text', size: code.length, align: 4, data: code, relocs: [], flags: CODE_FLAGS, file, line: 0 });
  }
  return out;
}

/** Puts the live address symbols where the layout says (before relocation reads addresses). */
export function placeImageSymbols(live: readonly LSym[], layout: Layout): void {
  if (!layout.imageSymbol) return;
  for (const s of live) {
    if (s.flags.imageAddress !== true) continue;
    const addr = layout.imageSymbol(s.name);
    if (addr !== undefined) s.addr = addr;
  }
}
