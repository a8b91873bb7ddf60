// What a Mach-O symbol table cannot say about asmlink's symbols — their
// order as the assembler gave them (which decides the layout when linking;
// the symbol table puts locals first), size, alignment, flags, source file
// and line, frame and argument sizes, the source line of each relocation — travels in a debug section,
// __DWARF,__asmlink_syms, which ld64 and lld keep out of the linked program
// like any debug section (as the import note, dynimport-note.ts). asmlink's
// reader uses it so that an object it wrote links exactly as the source does.

import type { Symbol, SymFlags } from '../../obj/symbol.js';
import * as C from './consts.js';
import type { SectionKind } from './sections.js';

/** The note's first field, and the number of fields of each record after it (read-columns.ts parses the note as bytes). */
export const SYMINFO_MAGIC = 'asmlink-syminfo-v1';
export const SYMINFO_FIELDS = 9;

export const SYMINFO_SECTION: SectionKind = {
  segname: '__DWARF',
  sectname: '__asmlink_syms',
  flags: C.S_REGULAR | C.S_ATTR_DEBUG,
  zerofill: false,
};

export interface SymInfo {
  name: string;
  size: number;
  align: number;
  flags: SymFlags;
  file: string;
  line: number;
  frameSize?: number;
  argsSize?: number;
  /** Source line of each relocation, in offset order. */
  relocLines: number[];
}

/**
 * NUL-separated: the magic, then per defined symbol in order: name, size,
 * align, flags (comma-separated names), file, line, frame, args ('' when
 * absent), and the relocations' source lines in offset order (comma-separated).
 */
export function encodeSyminfo(defined: readonly Symbol[]): Uint8Array {
  const parts = [SYMINFO_MAGIC];
  for (const s of defined) {
    const flags = Object.keys(s.flags).filter((k) => s.flags[k as keyof SymFlags]);
    const lines = [...s.relocs].sort((a, b) => a.off - b.off).map((r) => r.line ?? 0);
    parts.push(s.name, String(s.size), String(s.align), flags.join(','), s.file, String(s.line), s.frameSize === undefined ? '' : String(s.frameSize), s.argsSize === undefined ? '' : String(s.argsSize), lines.join(','));
  }
  return new TextEncoder().encode(parts.join('\0') + '\0');
}

/** Decodes the section; undefined when it is not ours. */
export function decodeSyminfo(b: Uint8Array): SymInfo[] | undefined {
  const parts = new TextDecoder().decode(b).split('\0');
  if (parts[0] !== SYMINFO_MAGIC) return undefined;
  const out: SymInfo[] = [];
  for (let i = 1; i + SYMINFO_FIELDS <= parts.length; i += SYMINFO_FIELDS) {
    const [name, size, align, flags, file, line, frame, args, lines] = parts.slice(i, i + SYMINFO_FIELDS) as string[];
    const f: SymFlags = {};
    for (const k of flags!.split(',')) if (k) f[k as keyof SymFlags] = true;
    const relocLines = lines ? lines.split(',').map((l) => Number(l) || 0) : [];
    const info: SymInfo = { name: name!, size: Number(size) || 0, align: Number(align) || 1, flags: f, file: file!, line: Number(line) || 0, relocLines };
    if (frame !== '') info.frameSize = Number(frame);
    if (args !== '') info.argsSize = Number(args);
    out.push(info);
  }
  return out;
}
