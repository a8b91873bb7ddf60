// Writes an ObjectFile as an ELF relocatable object (ET_REL): ELF64 RELA for
// x86-64 and AArch64, ELF32 REL for i386.
//
// Layout: one section per symbol kind (.text, .rodata, .data, .noptrdata, .bss,
// .noptrbss, .tdata or .tbss), each followed by its relocation section; then
// asmlink's two non-allocated sections, an empty .note.GNU-stack (without it
// GNU ld assumes the code needs an executable stack and warns), .symtab,
// .strtab, .shstrtab, and the section header table last.
//
// asmlink information that ELF has no place for travels in two non-ALLOC
// PROGBITS sections that other linkers ignore:
//
//   .asmlink.dynimport   UTF-8 text, one line per `//go:cgo_import_dynamic`
//       directive (`_ _ "lib"` included), fields separated by TAB:
//       local  remote  library  file  line  [version]
//   .asmlink.syminfo     little-endian 32-bit words (binary, because a large
//       program has one word per relocation here and reading text is slow):
//       a version word (1), then one record per defined symbol, in the
//       order the object gives its symbols (the linker lays symbols out in
//       that order, and .symtab cannot keep it: locals come first there):
//         symindex  align  flags  frame  args  line  file  n  line[0..n)
//       symindex is the .symtab index; flags are bits in FLAG_BITS order
//       (dupok, local, nosplit, noframe, wrapper, topframe, rodata, noptr),
//       plus 0x100 when frame is set and 0x200 when args is set; file is a
//       .strtab offset, 0 meaning the object's own name; line[i] is the
//       source line of the symbol's i-th relocation entry (in .rela order, an
//       arm64 pair counting once).
//
// File-local `<>` symbols are STB_LOCAL, DUPOK ones STB_WEAK (GNU ld keeps the
// first of several weak definitions, which is DUPOK's meaning).

import type { ObjectFile, Symbol } from '../../obj/symbol.js';
import { DiagnosticSink } from '../../diag.js';
import * as C from './consts.js';
import { ByteWriter, StrTab, alignUp, writeEhdr, writeReloc, writeShdr, writeSym, type Shdr } from './bytes.js';
import { elfArch, relocScratch, type ElfArch } from './relocs.js';
import { SECTION_SPECS, type SectionSpec } from './sections.js';

interface OutSec {
  spec: SectionSpec;
  syms: Symbol[];
  offs: number[];
  size: number;
  align: number;
  /** Relocation entries: offset in section, symbol name, ELF type, addend, source line. */
  relOff: number[];
  relSym: string[];
  relType: number[];
  relAdd: number[];
  /** Per symbol (as syms): the source line of each of its relocation entries. */
  lines: number[][];
}

const FLAG_BITS: (keyof Symbol['flags'])[] = ['dupok', 'local', 'nosplit', 'noframe', 'wrapper', 'topframe', 'rodata', 'noptr'];
export const SYMINFO_HAS_FRAME = 0x100;
export const SYMINFO_HAS_ARGS = 0x200;
export const SYMINFO_VERSION = 1;

export function flagsToBits(f: Symbol['flags']): number {
  let b = 0;
  for (let i = 0; i < FLAG_BITS.length; i++) if (f[FLAG_BITS[i]]) b |= 1 << i;
  return b;
}

export function bitsToFlags(b: number): Symbol['flags'] {
  const f: Symbol['flags'] = {};
  for (let i = 0; i < FLAG_BITS.length; i++) if (b & (1 << i)) f[FLAG_BITS[i]] = true;
  return f;
}

function isDefined(s: Symbol): boolean {
  return s.kind !== 'dynimport' && s.kind !== 'undef';
}

function hasBytes(s: Symbol): boolean {
  for (let i = 0; i < s.data.length; i++) if (s.data[i] !== 0) return true;
  return false;
}

function clean(s: string): string {
  return s.replace(/[\t\n]/g, ' ');
}

export function writeElfObject(obj: ObjectFile): Uint8Array {
  if (obj.target.os !== 'linux') throw new Error(`internal: ELF object for ${obj.target.os}`);
  const arch = elfArch(obj.target.arch);
  const cls = arch.cls;
  const diag = new DiagnosticSink();

  // Assign symbols to sections.
  const tlsHasData = obj.symbols.some((s) => s.kind === 'tls' && hasBytes(s));
  const secs: OutSec[] = [];
  const secOf = new Map<string, OutSec>();
  for (const spec of SECTION_SPECS) {
    if (spec.kind === 'tls' && (spec.name === '.tdata') !== tlsHasData) continue;
    const o: OutSec = { spec, syms: [], offs: [], size: 0, align: 1, relOff: [], relSym: [], relType: [], relAdd: [], lines: [] };
    secs.push(o);
    secOf.set(spec.kind, o);
  }
  for (const s of obj.symbols) {
    if (!isDefined(s)) continue;
    const o = secOf.get(s.kind)!;
    let a = 1;
    while (a < s.align && a < 0x10000) a *= 2;
    o.size = alignUp(o.size, a);
    o.offs.push(o.size);
    o.syms.push(s);
    o.size += Math.max(s.size, s.data.length);
    if (a > o.align) o.align = a;
  }

  // Relocations lowered to ELF types. Section contents are copied later,
  // straight into the output at their final offsets: no per-section buffer.
  const scratch = relocScratch();
  for (const o of secs) {
    if (o.spec.type === C.SHT_NOBITS) {
      for (const s of o.syms) if (s.relocs.length) diag.error({ file: s.file, line: s.line, col: 0 }, `${s.name}: relocations in a zero-filled symbol`);
      continue;
    }
    for (let i = 0; i < o.syms.length; i++) {
      const s = o.syms[i];
      const base = o.offs[i];
      const lines: number[] = [];
      let rs = s.relocs;
      for (let i = 1; i < rs.length; i++)
        if (rs[i].off < rs[i - 1].off) {
          rs = rs.slice().sort((a, b) => a.off - b.off);
          break;
        }
      const symSize = Math.max(s.size, s.data.length);
      for (const r of rs) {
        const low = r.off < 0 || r.off + r.size > symSize ? 'relocation outside the symbol' : arch.lower(r, s.data, s.kind === 'text', scratch);
        if (typeof low === 'string') {
          diag.error({ file: s.file, line: r.line || s.line, col: 0 }, `${s.name}+0x${r.off.toString(16)}: cannot write relocation to ${r.sym}: ${low}`);
          continue;
        }
        if (low === 0) continue;
        lines.push(r.line ?? 0);
        for (let k = 0; k < low; k++) {
          const e = scratch[k];
          o.relOff.push(base + r.off + e.delta);
          o.relSym.push(r.sym);
          o.relType.push(e.type);
          o.relAdd.push(e.addend);
        }
      }
      o.lines.push(lines);
    }
  }
  diag.check();

  // Drop empty sections so tools see only what is there.
  const live = secs.filter((o) => o.syms.length > 0);

  // Section indices: content section, then its relocation section if any.
  const shstr = new StrTab();
  const symstr = new StrTab();
  // A section's bytes are its data, or written in place from its OutSec: the
  // contents of `sec`, or the relocation entries of `rel`.
  const shdrs: (Shdr & { data: Uint8Array | null; sec: OutSec | null; rel: OutSec | null })[] = [];
  const nullShdr = { name: 0, type: 0, flags: 0, addr: 0, offset: 0, size: 0, link: 0, info: 0, addralign: 0, entsize: 0, data: null, sec: null, rel: null };
  shdrs.push(nullShdr);
  const secIndex = new Map<OutSec, number>();
  const relaIndex = new Map<OutSec, number>();
  for (const o of live) {
    secIndex.set(o, shdrs.length);
    shdrs.push({
      name: shstr.add(o.spec.name),
      type: o.spec.type,
      flags: o.spec.flags,
      addr: 0,
      offset: 0,
      size: o.size,
      link: 0,
      info: 0,
      addralign: o.align,
      entsize: 0,
      data: null,
      sec: o,
      rel: null,
    });
    if (o.relOff.length) {
      relaIndex.set(o, shdrs.length);
      const entsize = arch.rela ? C.RELA_SIZE[cls] : C.REL_SIZE[cls];
      shdrs.push({
        ...nullShdr,
        name: shstr.add((arch.rela ? '.rela' : '.rel') + o.spec.name),
        type: arch.rela ? C.SHT_RELA : C.SHT_REL,
        flags: C.SHF_INFO_LINK,
        size: entsize * o.relOff.length,
        info: secIndex.get(o)!,
        addralign: cls === 64 ? 8 : 4,
        entsize,
        rel: o,
      });
    }
  }

  // Symbol table: null, file, locals, then globals (defined, then undefined).
  const symw = new ByteWriter(24 * (obj.symbols.length + 4));
  const symIndex = new Map<string, number>();
  let nsym = 0;
  const addSym = (name: string, value: number, size: number, bind: number, type: number, shndx: number): number => {
    writeSym(symw, cls, { name: name ? symstr.add(name) : 0, value, size, bind, type, other: 0, shndx });
    return nsym++;
  };
  addSym('', 0, 0, 0, 0, 0);
  addSym(obj.name.replace(/^.*\//, ''), 0, 0, C.STB_LOCAL, C.STT_FILE, C.SHN_ABS);
  // Records are written after the symbols, in the object's symbol order.
  const records = new Map<Symbol, { idx: number; lines: readonly number[] }>();
  const emitDefined = (wantLocal: boolean) => {
    for (const o of live) {
      const shndx = secIndex.get(o)!;
      for (let i = 0; i < o.syms.length; i++) {
        const s = o.syms[i];
        if (!!s.flags.local !== wantLocal) continue;
        const type = s.kind === 'text' ? C.STT_FUNC : s.kind === 'tls' ? C.STT_TLS : C.STT_OBJECT;
        const bind = wantLocal ? C.STB_LOCAL : s.flags.dupok ? C.STB_WEAK : C.STB_GLOBAL;
        const idx = addSym(s.name, o.offs[i], Math.max(s.size, s.data.length), bind, type, shndx);
        symIndex.set(s.name, idx);
        records.set(s, { idx, lines: o.lines[i] ?? [] });
      }
    }
  };
  emitDefined(true);
  const firstGlobal = nsym;
  emitDefined(false);
  const syminfo = new ByteWriter(16 * obj.symbols.length + 64);
  syminfo.u32(SYMINFO_VERSION);
  for (const s of obj.symbols) {
    const r = records.get(s);
    if (!r) continue;
    const { idx, lines } = r;
    syminfo.u32(idx);
    syminfo.u32(s.align);
    syminfo.u32(flagsToBits(s.flags) | (s.frameSize !== undefined ? SYMINFO_HAS_FRAME : 0) | (s.argsSize !== undefined ? SYMINFO_HAS_ARGS : 0));
    syminfo.i32(s.frameSize ?? 0);
    syminfo.i32(s.argsSize ?? 0);
    syminfo.u32(s.line);
    syminfo.u32(symstr.add(s.file)); // always: the object is read back under its own name (x.o), and diagnostics must name the source (x.s)
    syminfo.u32(lines.length);
    for (const l of lines) syminfo.u32(l);
  }
  // Each entry's symbol index, with undefined symbols added in order of first
  // reference: one lookup per entry.
  const relIdx = new Map<OutSec, Int32Array>();
  for (const o of live) {
    const idx = new Int32Array(o.relSym.length);
    for (let i = 0; i < o.relSym.length; i++) {
      const name = o.relSym[i];
      let k = symIndex.get(name);
      if (k === undefined) {
        k = addSym(name, 0, 0, C.STB_GLOBAL, C.STT_NOTYPE, C.SHN_UNDEF);
        symIndex.set(name, k);
      }
      idx[i] = k;
    }
    relIdx.set(o, idx);
  }

  const enc = new TextEncoder();
  const addNote = (name: string, text: string) => {
    const data = enc.encode(text);
    shdrs.push({ ...nullShdr, name: shstr.add(name), type: C.SHT_PROGBITS, size: data.length, addralign: 1, data });
  };
  if (obj.dynimports.length)
    addNote(
      C.DYNIMPORT_SECTION,
      // The version is a sixth field, only when there is one: older readers take the first five.
      obj.dynimports.map((d) => [d.local, d.remote, clean(d.library), clean(d.file), d.line, ...(d.version === undefined ? [] : [d.version])].join('\t') + '\n').join(''),
    );
  if (syminfo.len > 4) shdrs.push({ ...nullShdr, name: shstr.add(C.SYMINFO_SECTION), type: C.SHT_PROGBITS, size: syminfo.len, addralign: 4, data: syminfo.finish() });
  shdrs.push({ ...nullShdr, name: shstr.add('.note.GNU-stack'), type: C.SHT_PROGBITS, addralign: 1, data: new Uint8Array(0) });

  const symtabIdx = shdrs.length;
  const symData = symw.finish();
  shdrs.push({ ...nullShdr, name: shstr.add('.symtab'), type: C.SHT_SYMTAB, size: symData.length, link: symtabIdx + 1, info: firstGlobal, addralign: cls === 64 ? 8 : 4, entsize: C.SYM_SIZE[cls], data: symData });
  const strData = symstr.finish();
  shdrs.push({ ...nullShdr, name: shstr.add('.strtab'), type: C.SHT_STRTAB, size: strData.length, addralign: 1, data: strData });
  for (const ri of relaIndex.values()) shdrs[ri].link = symtabIdx;
  const shstrIdx = shdrs.length;
  const shstrName = shstr.add('.shstrtab');
  const shstrData = shstr.finish();
  shdrs.push({ ...nullShdr, name: shstrName, type: C.SHT_STRTAB, size: shstrData.length, addralign: 1, data: shstrData });

  // Reserve, then write.
  let off: number = C.EHDR_SIZE[cls];
  for (let i = 1; i < shdrs.length; i++) {
    const h = shdrs[i];
    off = alignUp(off, Math.max(1, h.addralign));
    h.offset = off;
    if (h.type !== C.SHT_NOBITS) off += h.size;
  }
  const shoff = alignUp(off, 8);
  const out = new ByteWriter(shoff + shdrs.length * C.SHDR_SIZE[cls]);
  writeEhdr(out, cls, { type: C.ET_REL, machine: arch.machine, entry: 0, phoff: 0, shoff, flags: 0, phnum: 0, shnum: shdrs.length, shstrndx: shstrIdx });
  for (let i = 1; i < shdrs.length; i++) {
    const h = shdrs[i];
    if (h.type === C.SHT_NOBITS) continue;
    out.padTo(h.offset);
    if (h.data) out.bytes(h.data);
    else if (h.sec) writeContents(out, h.sec, arch.rela);
    else if (h.rel) {
      const o = h.rel;
      const idx = relIdx.get(o)!;
      for (let i = 0; i < o.relOff.length; i++) writeReloc(out, cls, arch.rela, o.relOff[i], idx[i], o.relType[i], o.relAdd[i]);
    }
  }
  out.padTo(shoff);
  for (const h of shdrs) writeShdr(out, cls, h);
  return out.finish();
}

/** A section's symbols at their offsets (the gaps are the new buffer's zeros); REL addends live in the field. */
function writeContents(out: ByteWriter, o: OutSec, rela: boolean): void {
  const at = out.reserve(o.size);
  const buf = out.buf;
  for (let i = 0; i < o.syms.length; i++) buf.set(o.syms[i].data, at + o.offs[i]);
  if (!rela) for (let i = 0; i < o.relOff.length; i++) out.dv.setInt32(at + o.relOff[i], o.relAdd[i], true);
}

export type { ElfArch };
