// Mach-O relocatable objects (MH_OBJECT) for x86_64, arm64 and i386: what the
// external linker (ld64.lld, Apple's ld) completes. One unnamed LC_SEGMENT(_64)
// holds every section at object addresses starting from 0; LC_SYMTAB and
// LC_DYSYMTAB list locals, then defined externals, then undefined externals
// (both sorted by name, as linkers expect); LC_BUILD_VERSION names the
// platform. Every relocation is "extern" (against a symbol-table entry), which
// keeps section contents independent of where sections land; calls into a
// library stay relocations against the library's symbol (`_write`), which is
// the seed's whole point for darwin external linking.

import type { ObjectFile, Symbol } from '../../obj/symbol.js';
import { ptrSize, type ArchName } from '../../target.js';
import { DiagnosticSink } from '../../diag.js';
import { ByteWriter, alignUp } from './bytes.js';
import * as C from './consts.js';
import { collectImports, machoName } from './imports.js';
import type { Lowered, RelocEntry, RelocLowering, RelocSite } from './object-reloc.js';
import { encodeRelocInfo } from './object-reloc.js';
import { lowerX86_64 } from './object-reloc-x86_64.js';
import { lowerArm64 } from './object-reloc-arm64.js';
import { lowerI386 } from './object-reloc-i386.js';
import { COMPACT_UNWIND, OBJECT_SECTION_ORDER, THREAD_BSS, THREAD_DATA, THREAD_VARS, dwarfSectionName, sectionOf } from './sections.js';
import { DYNIMPORT_SECTION, decodeDynimports, encodeDynimports } from './dynimport-note.js';
import { Arm64Raise, raiseX86Entry, raised } from './read-columns.js';
import { getI64 } from '../../obj/bytes.js';
import { SYMINFO_SECTION, encodeSyminfo } from './syminfo-note.js';
import type { SectionKind } from './sections.js';
import { defaultMacosMin, parseMacosVersion } from './version.js';
import type { DwarfOutput } from '../dwarf/dwarf.js';
import { dwarfOfFunctions, type DebugSource } from '../dwarf/units.js';
import { encodeLinkIndex } from '../../obj/link-index.js';
import { LINK_INDEX_ALIGN, LINK_INDEX_SECTION, planLinkIndex } from './link-index.js';

export interface MachOObjectOptions {
  /** Deployment target, e.g. '11.0' (the default; '10.14' for 386). */
  macosMin?: string;
  /** Whether to write the link index (link-index.ts; the default): an object only a system linker reads needs none. */
  linkIndex?: boolean;
}

interface ArchInfo {
  cputype: number;
  cpusubtype: number;
  is64: boolean;
  lower: RelocLowering;
  /** Byte used to pad between functions. */
  textPad: number;
}

const ARCHES: Record<'amd64' | '386' | 'arm64', ArchInfo> = {
  amd64: { cputype: C.CPU_TYPE_X86_64, cpusubtype: C.CPU_SUBTYPE_X86_ALL, is64: true, lower: lowerX86_64, textPad: 0xcc },
  arm64: { cputype: C.CPU_TYPE_ARM64, cpusubtype: C.CPU_SUBTYPE_ARM64_ALL, is64: true, lower: lowerArm64, textPad: 0 },
  '386': { cputype: C.CPU_TYPE_X86, cpusubtype: C.CPU_SUBTYPE_X86_ALL, is64: false, lower: lowerI386, textPad: 0xcc },
};

interface PlacedSym {
  sym: Symbol;
  /** Offset within its section. */
  off: number;
}

interface Section {
  kind: SectionKind;
  align: number;
  size: number;
  addr: number;
  fileOff: number;
  data: Uint8Array;
  syms: PlacedSym[];
  relocs: RelocEntry[];
  ordinal: number;
}

/** One nlist entry before it is written (objects and executables alike). */
export interface SymEntry {
  name: string;
  type: number;
  sect: number;
  desc: number;
  value: number;
}

/** The object's DWARF, at the functions' object addresses (their offsets in __text, which is at 0). */
function objectDwarf(obj: ObjectFile, defined: Map<string, { placed: PlacedSym }>): DwarfOutput {
  const fns: DebugSource[] = [];
  for (const s of obj.symbols) {
    const d = defined.get(s.name);
    if (s.kind !== 'text' || d?.placed.sym !== s || !s.insts || s.insts.length === 0) continue;
    fns.push({ name: s.name, file: s.file, address: d.placed.off, size: Math.max(s.size, s.data.length), external: !s.flags.local, line: s.line, insts: s.insts });
  }
  return dwarfOfFunctions(fns, obj.target.arch, obj.debug?.compDir, true);
}

export function writeMachOObject(obj: ObjectFile, opts: MachOObjectOptions = {}): Uint8Array {
  const diag = new DiagnosticSink();
  const t = obj.target;
  const pos = (s: Symbol, line?: number) => ({ file: s.file || obj.name, line: line || s.line, col: 1 });
  const noPos = { file: obj.name, line: 0, col: 0 };
  if (t.os !== 'darwin') diag.error(noPos, `Mach-O objects are for darwin, not ${t.os}`);
  const arch = ARCHES[t.arch];
  const ver = parseMacosVersion(opts.macosMin ?? defaultMacosMin(t.arch), t.arch);
  if ('error' in ver) diag.error(noPos, ver.error);
  diag.check();
  const minos = 'value' in ver ? ver.value : 0;

  // Place defined symbols in sections.
  const sections: Section[] = [];
  const byKind = new Map<SectionKind, Section>();
  const defined = new Map<string, { sec: Section; placed: PlacedSym }>();
  // Thread-local data is C's, reached through its descriptors (__thread_vars): without them (Go-style TLS) there is nothing to reach it by.
  const descriptors = t.arch !== '386' && obj.symbols.some((s) => s.kind === 'tlv');
  for (const s of obj.symbols) {
    if (s.kind === 'undef' || s.kind === 'dynimport') continue;
    if ((s.kind === 'tls' && !descriptors) || (s.kind === 'tlv' && t.arch === '386')) {
      diag.error(pos(s), `thread-local symbol ${s.name} cannot be placed in a${t.arch === '386' ? 'n i386' : ''} Mach-O object (darwin keeps g in a TSD slot; C's __thread variables are reached through their descriptors in __thread_vars)`);
      continue;
    }
    const kind = sectionOf(s);
    if (!kind) continue;
    if (kind.zerofill && (s.relocs.length > 0 || s.data.some((b) => b !== 0))) {
      diag.error(pos(s), `zero-filled symbol ${s.name} has contents`);
      continue;
    }
    if (defined.has(s.name)) {
      diag.error(pos(s), `duplicate symbol ${s.name}`);
      continue;
    }
    let sec = byKind.get(kind);
    if (!sec) {
      sec = { kind, align: 1, size: 0, addr: 0, fileOff: 0, data: new Uint8Array(0), syms: [], relocs: [], ordinal: 0 };
      byKind.set(kind, sec);
    }
    const align = Math.max(1, s.align || 1);
    // Mach-O stores alignment as a power of two in a byte, but no loader honours
    // more than a page-ish; a larger request is a corrupt input, not padding to make.
    if (align > 0x10000 || (align & (align - 1)) !== 0) {
      diag.error(pos(s), `symbol ${s.name}: alignment ${align} is not a power of two up to 65536`);
      continue;
    }
    sec.align = Math.max(sec.align, align);
    const off = alignUp(sec.size, align);
    const placed = { sym: s, off };
    sec.syms.push(placed);
    sec.size = off + Math.max(s.size, s.data.length);
    defined.set(s.name, { sec, placed });
  }
  diag.check();
  // There is always a __text, even when empty, as assemblers write it.
  if (!byKind.has(OBJECT_SECTION_ORDER[0]!)) {
    byKind.set(OBJECT_SECTION_ORDER[0]!, {
      kind: OBJECT_SECTION_ORDER[0]!, align: 1, size: 0, addr: 0, fileOff: 0, data: new Uint8Array(0), syms: [], relocs: [], ordinal: 0,
    });
  }
  // For asmlink's own reader: the import declarations (dynimport-note.ts),
  // what the symbol table cannot say about the symbols (syminfo-note.ts) and
  // the link index (link-index.ts). Debug sections: other linkers leave them
  // out of the program.
  const notes: SectionKind[] = [];
  const note = (kind: SectionKind, data: Uint8Array) => {
    byKind.set(kind, { kind, align: 1, size: data.length, addr: 0, fileOff: 0, data, syms: [], relocs: [], ordinal: 0 });
    notes.push(kind);
  };
  const dynimportNote = obj.dynimports.length > 0 ? encodeDynimports(obj.dynimports) : null;
  if (dynimportNote) note(DYNIMPORT_SECTION, dynimportNote);
  // Compact unwind records are named by no symbol (ld64.lld drops the
  // section, and a symbol in it crashes lld 14's symbol table): the reader
  // gives the section a piece of its own (read-object.ts).
  const noted = obj.symbols.filter((s) => s.kind !== 'unwind' && defined.get(s.name)?.placed.sym === s);
  if (defined.size > 0) note(SYMINFO_SECTION, encodeSyminfo(noted));
  // -g: DWARF in __DWARF sections. As in any Mach-O object, its addresses
  // are the object's own: __text comes first, at 0, so a function's is its
  // offset there. Each address field gets a section relocation (below).
  const dwarf = obj.debug ? objectDwarf(obj, defined) : null;
  const dwarfSections = new Map<string, Section>();
  for (const d of dwarf?.sections ?? []) {
    note({ segname: '__DWARF', sectname: dwarfSectionName(d.name), flags: C.S_REGULAR | C.S_ATTR_DEBUG, zerofill: false }, d.data);
    dwarfSections.set(d.name, byKind.get(notes[notes.length - 1]!)!);
  }
  // The index, empty until the relocations are lowered (it is made from
  // them), is the last of the notes, so that filling it moves only what
  // follows: __bss.
  let indexSection: Section | null = null;
  // The index readers leave thread-local variables and compact unwind records to the Symbol reader (object-layout.ts): no index for them.
  const threadLocal = byKind.has(THREAD_VARS) || byKind.has(THREAD_DATA) || byKind.has(THREAD_BSS) || byKind.has(COMPACT_UNWIND);
  if (opts.linkIndex !== false && defined.size > 0 && !threadLocal) {
    note(LINK_INDEX_SECTION, new Uint8Array(0));
    indexSection = byKind.get(LINK_INDEX_SECTION)!;
    indexSection.align = LINK_INDEX_ALIGN;
  }
  // Zero-fill sections follow the notes, as they follow every section with bytes.
  const order = [...OBJECT_SECTION_ORDER.filter((k) => !k.zerofill), ...notes, ...OBJECT_SECTION_ORDER.filter((k) => k.zerofill)];
  let addr = 0;
  for (const kind of order) {
    const sec = byKind.get(kind);
    if (!sec) continue;
    sec.addr = alignUp(addr, sec.align);
    addr = sec.addr + sec.size;
    // An i386 object's addresses and sizes are 32-bit fields: what does not fit would wrap.
    if (!arch.is64 && addr > 0xffffffff) {
      // The symbol that passes the limit, or (padding, a note) the section's last one; a note has none.
      const over = sec.syms.find((p) => sec.addr + p.off + Math.max(p.sym.size, p.sym.data.length) > 0xffffffff) ?? sec.syms.at(-1);
      const what = over ? over.sym.name : `section ${kind.sectname}`;
      diag.error(over ? pos(over.sym) : noPos, `${what} ends past 4 GiB into the object's sections (which would be ${sec.addr + sec.size} bytes): more than a 32-bit Mach-O object can hold`);
      diag.check();
    }
    sec.ordinal = sections.length + 1;
    sections.push(sec);
    if (!kind.zerofill && !notes.includes(kind)) {
      sec.data = new Uint8Array(sec.size);
      if (kind === OBJECT_SECTION_ORDER[0]) sec.data.fill(arch.textPad);
      for (const p of sec.syms) {
        sec.data.fill(0, p.off, p.off + Math.max(p.sym.size, p.sym.data.length));
        sec.data.set(p.sym.data, p.off);
      }
    }
  }

  // Symbol table: locals, defined externals, undefined externals.
  const imports = collectImports(obj);
  const locals: SymEntry[] = [];
  const extdefs: SymEntry[] = [];
  // Values are set when the file is laid out (the index moves __bss).
  const placedEntries: { e: SymEntry; sec: Section; off: number; sym: Symbol }[] = [];
  for (const sec of sections) {
    if (sec.kind === COMPACT_UNWIND) continue;
    for (const p of sec.syms) {
      const s = p.sym;
      const e: SymEntry = {
        name: machoName(s.name),
        type: C.N_SECT | (s.flags.local ? 0 : s.flags.hidden ? C.N_PEXT | C.N_EXT : C.N_EXT),
        sect: sec.ordinal,
        desc: s.flags.dupok && !s.flags.local ? C.N_WEAK_DEF : 0,
        value: 0,
      };
      (s.flags.local ? locals : extdefs).push(e);
      placedEntries.push({ e, sec, off: p.off, sym: s });
    }
  }
  // Undefined: every relocation target that is not defined here.
  const undefNames = new Set<string>();
  // Each name once (a large object has tens of thousands of relocations, most to a few hundred names).
  const targets = new Map<string, { mname: string; isImport: boolean }>();
  const targetName = (name: string): { mname: string; isImport: boolean } => {
    let t = targets.get(name);
    if (t === undefined) {
      const imp = defined.has(name) ? undefined : imports.get(name);
      targets.set(name, (t = imp ? { mname: imp.cname, isImport: true } : { mname: machoName(name), isImport: false }));
    }
    return t;
  };
  for (const sec of sections) {
    for (const p of sec.syms) {
      for (const r of p.sym.relocs) {
        if (r.type === 'R_CALLIND') continue;
        if (defined.has(r.sym)) continue;
        undefNames.add(targetName(r.sym).mname);
      }
    }
  }
  // An import is named by its library name, in one namespace with this
  // object's external symbols: a definition of the same name would take the
  // import's references when the object is linked.
  const extdefNames = new Set(extdefs.map((e) => e.name));
  for (const imp of imports.values()) {
    if (!undefNames.has(imp.cname) || !extdefNames.has(imp.cname)) continue;
    const d = imp.decl;
    diag.error(
      { file: d.file || obj.name, line: d.line, col: 1 },
      `import ${imp.local} names ${d.remote} in ${d.library || 'the C library'}, and this object defines ${imp.cname.slice(1)} too: in a Mach-O object both are named ${imp.cname}, so the linker would bind the import's references to that definition`,
    );
  }
  diag.check();
  const byName = (a: SymEntry, b: SymEntry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  extdefs.sort(byName);
  // Weak references (ObjectFile.weakRefs, by the link's names) stay N_WEAK_REF.
  const weak = new Set((obj.weakRefs ?? []).map(machoName));
  const undefs: SymEntry[] = [...undefNames].map((name) => ({ name, type: C.N_UNDF | C.N_EXT, sect: 0, desc: weak.has(name) ? C.N_WEAK_REF : 0, value: 0 }));
  undefs.sort(byName);
  const symtab = [...locals, ...extdefs, ...undefs];
  const symIndex = new Map<string, number>();
  symtab.forEach((e, i) => {
    if (!symIndex.has(e.name)) symIndex.set(e.name, i);
  });

  // Relocations, lowered per architecture; for the link index, raised back
  // as the reader raises them (each definition's: off, size, type, target, addend).
  const raisedAll: number[] = [];
  const raisedRun = new Map<Symbol, [number, number]>();
  // The index has no place for weak references: an object with some is read from its tables.
  let indexable = indexSection !== null && !obj.weakRefs?.length;
  for (const sec of sections) {
    const pairs = new Arm64Raise();
    const dv = new DataView(sec.data.buffer, sec.data.byteOffset, sec.data.byteLength);
    for (const p of sec.syms) {
      const s = p.sym;
      const from = raisedAll.length / 5;
      for (const r of s.relocs) {
        if (r.type === 'R_CALLIND') continue;
        if (r.off < 0 || r.off + r.size > s.data.length) {
          diag.error(pos(s, r.line), `relocation at offset ${r.off} lies outside ${s.name}`);
          continue;
        }
        const tn = targetName(r.sym);
        if (defined.get(r.sym)?.placed.sym.kind === 'tls' && !(s.kind === 'tlv' && r.type === 'R_TLS_LE' && r.size === 8)) {
          diag.error(pos(s, r.line), `${s.name}: ${r.type} reaches thread-local ${r.sym} other than through a descriptor, which Mach-O cannot express`);
          continue;
        }
        const site: RelocSite = {
          reloc: r,
          data: sec.data,
          secOff: p.off + r.off,
          addr: sec.addr + p.off + r.off,
          symIndex: symIndex.get(tn.mname)!,
          isImport: tn.isImport,
          tlv: defined.get(r.sym)?.placed.sym.kind === 'tlv',
        };
        const out: Lowered = arch.lower(site);
        if ('error' in out) {
          diag.error(pos(s, r.line), `${s.name}: ${out.error}`);
          continue;
        }
        sec.relocs.push(...out.entries);
        if (indexable) indexable = raiseLowered(t.arch, sec.addr, dv, p.off, out.entries, pairs, raisedAll);
      }
      raisedRun.set(s, [from, raisedAll.length / 5]);
    }
    if (!pairs.complete()) indexable = false;
  }
  diag.check();
  // DWARF addresses: an UNSIGNED relocation (type 0 on every arch) against
  // __text (section-based: the field holds the object address). Offsets
  // between the debugging sections need none: they stay within this object's.
  if (dwarf) {
    const text = byKind.get(OBJECT_SECTION_ORDER[0]!)!;
    if (text.addr !== 0) throw new Error('internal: __text is not at 0');
    for (const f of dwarf.fixups) {
      if (f.kind !== 'address') continue;
      dwarfSections.get(f.section)!.relocs.push({ address: f.offset, symbolnum: text.ordinal, pcrel: false, length: f.size === 8 ? 3 : 2, extern: false, type: 0 });
    }
  }

  const names = new ByteWriter();
  names.u8(0); // index 0 is the empty name
  const strx = symtab.map((e) => {
    const at = names.length;
    names.cstring(e.name);
    return at;
  });
  names.align(ptrSize(t.arch));
  const nameBytes = names.finish();

  const nlistOf = new Map<Symbol, number>();
  if (indexable) {
    const entryIndex = new Map(symtab.map((e, i) => [e, i]));
    for (const p of placedEntries) nlistOf.set(p.sym, entryIndex.get(p.e)!);
  }
  let index =
    indexable && indexSection
      ? planLinkIndex({
          defs: noted.map((s) => {
            const { sec, placed } = defined.get(s.name)!;
            const [relocFrom, relocTo] = raisedRun.get(s)!;
            return { sym: s, sect: sec.ordinal, off: placed.off, nlist: nlistOf.get(s)!, relocFrom, relocTo };
          }),
          relocs: raisedAll,
          sections: sections.map((x) => ({ size: x.size, zerofill: x.kind.zerofill })),
          names: symtab.map((e) => e.name),
          strx,
          strsize: nameBytes.length,
          firstUndefined: locals.length + extdefs.length,
          // As the reader will decode them from the note.
          imports: (dynimportNote && decodeDynimports(dynimportNote, obj.name)) ?? [],
        })
      : null;
  // The index's strings follow the names. Filling its section moves what
  // follows it (__bss); an i386 object it would push past 4 GiB keeps it empty.
  if (index) {
    const strsize = alignUp(nameBytes.length + index.strings.length, ptrSize(t.arch));
    const data = encodeLinkIndex(index.arrays, { table: symtab.length, strings: strsize, sections: sections.length });
    const following = sections.slice(sections.indexOf(indexSection!) + 1);
    // Sets the index's size and places what follows; returns where that ends.
    const place = (size: number): number => {
      indexSection!.size = size;
      let addr = indexSection!.addr + size;
      for (const sec of following) {
        sec.addr = alignUp(addr, sec.align);
        addr = sec.addr + sec.size;
      }
      return addr;
    };
    const end = place(data.length);
    if (arch.is64 || end <= 0xffffffff) indexSection!.data = data;
    else {
      place(0);
      index = null;
    }
  }
  const strtab = new ByteWriter();
  strtab.bytes(nameBytes);
  if (index) strtab.bytes(index.strings).align(ptrSize(t.arch));
  for (const p of placedEntries) p.e.value = p.sec.addr + p.off;

  // Sizes of the load commands.
  const headerSize = arch.is64 ? 32 : 28;
  const segCmdSize = arch.is64 ? 72 : 56;
  const sectHdrSize = arch.is64 ? 80 : 68;
  const segSize = segCmdSize + sections.length * sectHdrSize;
  const cmds = [segSize, 24 /* build version */, 24 /* symtab */, 80 /* dysymtab */];
  const sizeofcmds = cmds.reduce((a, b) => a + b, 0);
  const maxAlign = Math.max(...sections.map((s) => s.align), 8);
  const dataStart = alignUp(headerSize + sizeofcmds, Math.min(maxAlign, 4096));
  let fileEnd = dataStart;
  let vmEnd = 0;
  let fileSize = 0;
  for (const sec of sections) {
    vmEnd = Math.max(vmEnd, sec.addr + sec.size);
    if (sec.kind.zerofill) continue;
    sec.fileOff = dataStart + sec.addr;
    fileEnd = Math.max(fileEnd, sec.fileOff + sec.size);
    fileSize = Math.max(fileSize, sec.addr + sec.size);
  }
  let relOff = alignUp(fileEnd, 4);
  const relOffs = sections.map((sec) => {
    const o = sec.relocs.length ? relOff : 0;
    relOff += sec.relocs.length * 8;
    return o;
  });
  const nlistSize = arch.is64 ? 16 : 12;
  const symOff = alignUp(relOff, arch.is64 ? 8 : 4);
  const strOff = symOff + symtab.length * nlistSize;

  const w = new ByteWriter(true, strOff + strtab.length);
  // mach_header(_64)
  w.u32(arch.is64 ? C.MH_MAGIC_64 : C.MH_MAGIC).u32(arch.cputype).u32(arch.cpusubtype).u32(C.MH_OBJECT);
  w.u32(cmds.length).u32(sizeofcmds).u32(0);
  if (arch.is64) w.u32(0);
  // The one segment.
  w.u32(arch.is64 ? C.LC_SEGMENT_64 : C.LC_SEGMENT).u32(segSize).fixedString('', 16);
  const word = (v: number) => (arch.is64 ? w.u64(v) : w.u32(v));
  word(0);
  word(vmEnd);
  word(dataStart);
  word(fileSize);
  w.u32(7).u32(7).u32(sections.length).u32(0);
  sections.forEach((sec, i) => {
    w.fixedString(sec.kind.sectname, 16).fixedString(sec.kind.segname, 16);
    word(sec.addr);
    word(sec.size);
    w.u32(sec.fileOff).u32(Math.log2(sec.align)).u32(relOffs[i]!).u32(sec.relocs.length);
    w.u32(sec.kind.flags).u32(0).u32(0);
    if (arch.is64) w.u32(0);
  });
  // LC_BUILD_VERSION: macOS, no SDK, no tools.
  w.u32(C.LC_BUILD_VERSION).u32(24).u32(C.PLATFORM_MACOS).u32(minos).u32(0).u32(0);
  w.u32(C.LC_SYMTAB).u32(24).u32(symtab.length ? symOff : 0).u32(symtab.length).u32(strOff).u32(strtab.length);
  w.u32(C.LC_DYSYMTAB).u32(80);
  w.u32(0).u32(locals.length).u32(locals.length).u32(extdefs.length).u32(locals.length + extdefs.length).u32(undefs.length);
  w.zeros(4 * 12);
  // Section contents.
  w.zeros(dataStart - w.length);
  for (const sec of sections) {
    if (sec.kind.zerofill) continue;
    w.zeros(sec.fileOff - w.length);
    w.bytes(sec.data);
  }
  w.zeros(alignUp(w.length, 4) - w.length);
  for (const sec of sections) {
    for (const e of sec.relocs) {
      const [a, b] = encodeRelocInfo(e);
      w.u32(a).u32(b);
    }
  }
  w.zeros(symOff - w.length);
  symtab.forEach((e, i) => {
    w.u32(strx[i]!).u8(e.type).u8(e.sect).u16(e.desc);
    word(e.value);
  });
  w.bytes(strtab.finish());
  return w.finish();
}

/**
 * Raises one relocation's lowered entries as read-columns.ts raises them
 * from the file, appending off (in its symbol), size, type, target and
 * addend to `out`; false when the reader would not take them. `dv` views
 * the section's contents, at `secAddr`.
 */
function raiseLowered(arch: ArchName, secAddr: number, dv: DataView, symOff: number, entries: readonly RelocEntry[], pairs: Arm64Raise, out: number[]): boolean {
  for (const e of entries) {
    if (arch === 'arm64') {
      if (e.type !== C.ARM64_RELOC_ADDEND && !e.extern) return false;
      const field = e.type === C.ARM64_RELOC_UNSIGNED && e.length === 3 ? getI64(dv, e.address) : 0;
      const got = pairs.entry(e.address, e.symbolnum, e.length, e.type, field, sameTarget);
      if (got < 0) return false;
      if (got > 0) out.push(raised.at - symOff, raised.size, raised.type, raised.sym, raised.add);
      continue;
    }
    const amd64 = arch === 'amd64';
    if (!e.extern) return false;
    const value = amd64 && e.length === 3 ? getI64(dv, e.address) : dv.getInt32(e.address, true);
    if (!raiseX86Entry(amd64, e.type, e.length, e.pcrel, value, secAddr + e.address + 4)) return false;
    out.push(e.address - symOff, raised.size, raised.type, e.symbolnum, raised.add);
  }
  return true;
}

/** The writer names both halves of an arm64 page pair by one symbol table index. */
const sameTarget = (a: number, b: number): boolean => a === b;
