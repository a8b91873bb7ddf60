// Reading Mach-O objects: the undefined symbols of an object (the external
// link driver writes the .tbd from them, so the stub library exports exactly
// what the program imports), and whole objects back into asmlink's model.

import type { ComdatGroup, ObjectFile, Symbol } from '../../obj/symbol.js';
import type { Reloc, RelocType } from '../../obj/reloc.js';
import { lastAtOrBefore } from '../../obj/search.js';
import { getAddend64, pointerTag } from '../../obj/bytes.js';
import { libcName } from '../../target.js';
import { DiagnosticError } from '../../diag.js';
import * as C from './consts.js';
import { importLocalNames, readDynimportNotes } from './dynimport-note.js';
import { SYMINFO_SECTION, decodeSyminfo } from './syminfo-note.js';
import { Malformed, fail, isCommonSymbol, isThreadLocal, isWhole, isZerofill, kindOf, objectLayout, sectionNamed, unlinkedInitializers, type ObjectLayout, type RSect } from './object-layout.js';
import { readMachOColumns } from './read-columns.js';
import { constructorsRefused } from '../constructors.js';
import { readMachOIndex } from './read-index.js';
import { machoLineTables } from './line-tables.js';
import { setLineTables, type Insts } from '../../obj/line-tables.js';
import { columnsOf } from '../../obj/columns.js';

function cstr(b: Uint8Array, at: number): string {
  let e = at;
  while (e < b.length && b[e] !== 0) e++;
  return new TextDecoder().decode(b.subarray(at, e));
}

/** Names of the undefined external symbols of a Mach-O object (MH_OBJECT, 32- or 64-bit), as stored. */
export function machoUndefinedSymbols(b: Uint8Array): string[] {
  return undefinedEntries(b, objectLayout(b)).map((e) => e.name);
}

/** The undefined external entries of an object's symbol table (not stabs): name as stored, n_desc and value (a common's size). */
function undefinedEntries(b: Uint8Array, layout: ObjectLayout): { name: string; desc: number; value: number }[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const size = layout.is64 ? 16 : 12;
  const out: { name: string; desc: number; value: number }[] = [];
  if (layout.symoff + layout.nsyms * size > b.length) return out;
  for (let k = 0; k < layout.nsyms; k++) {
    const e = layout.symoff + k * size;
    const type = dv.getUint8(e + 4);
    if ((type & 0xe0) !== 0 || (type & C.N_TYPE) !== C.N_UNDF || (type & C.N_EXT) === 0) continue;
    const strx = dv.getUint32(e, true);
    if (strx >= layout.strsize) continue;
    const value = layout.is64 ? Number(dv.getBigUint64(e + 8, true)) : dv.getUint32(e + 8, true);
    out.push({ name: cstr(b, layout.stroff + strx), desc: dv.getUint16(e + 6, true), value });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Reading whole objects back: asmlink's own MH_OBJECT files (and objects of
// the same shape: extern relocations, one symbol per piece of a section), so
// that `asmlink asm` output for darwin can be linked by asmlink. Relocations
// are raised to asmlink's format-neutral types with Go's addend convention,
// undoing what object-reloc-*.ts did; the import declarations come back from
// the __DWARF,__asmlink_dynimp note.


interface RSym {
  name: string;
  type: number;
  sect: number;
  desc: number;
  value: number;
}

export interface MachOReadOptions {
  /** Whether to read the link index where the object has one (the default); false decodes the tables (tests compare the two). */
  index?: boolean;
}

/** A Mach-O symbol's name as the link knows it: C's leading underscore dropped (`_printf` is printf). */
export function definedName(n: string): string {
  return n.startsWith('_') ? n.slice(1) : n;
}

/** Reads a relocatable Mach-O object (x86_64, arm64, i386) into asmlink's object model. */
export function readMachOObject(bytes: Uint8Array, name: string, opts: MachOReadOptions = {}): ObjectFile {
  return diagnosed(name, () => {
    // asmlink's own objects go straight into columns, from their link index
    // (read-index.ts) or else their tables (read-columns.ts); this reader
    // makes their Symbol objects only if something asks for them.
    const layout = objectLayout(bytes);
    const symbols = () => diagnosed(name, () => readUnchecked(bytes, name, layout).symbols);
    const indexed = opts.index !== false ? readMachOIndex(bytes, name, layout, symbols) : null;
    const obj = indexed ?? readMachOColumns(bytes, name, layout, symbols) ?? readUnchecked(bytes, name, layout);
    // An indexed object has no weak references (the writer leaves the index out of one that has).
    const weakRefs = indexed ? [] : weakReferences(bytes, layout);
    if (weakRefs.length) obj.weakRefs = weakRefs;
    // -g objects: each function's lines, decoded when a linker writing debugging information first asks.
    if (sectionNamed(layout.sects, { segname: '__DWARF', sectname: '__debug_line' })) {
      let tables: Map<string, Insts> | null = null;
      setLineTables(obj, (_k, fn) => (tables ??= diagnosed(name, () => machoLineTables(bytes, layout, symbolSizes(obj)) ?? new Map())).get(fn));
    }
    return obj;
  });
}

/**
 * The names of the object's weak undefined references (N_WEAK_REF: C's
 * `__attribute__((weak_import))`; a common's value is its size, not a
 * reference), as the link names them (ObjectFile.weakRefs).
 */
function weakReferences(b: Uint8Array, layout: ObjectLayout): string[] {
  return undefinedEntries(b, layout)
    .filter((e) => (e.desc & C.N_WEAK_REF) !== 0 && e.value === 0)
    .map((e) => definedName(e.name));
}

/** The sizes of an object's definitions by name, from its columns while it has them (asking for its symbols would drop them). */
function symbolSizes(obj: ObjectFile): (name: string) => number {
  const c = columnsOf(obj);
  const sizes = new Map<string, number>();
  if (c) for (let k = 0; k < c.count; k++) sizes.set(c.name(c.nameId[k]!), c.size[k]!);
  else for (const s of obj.symbols) sizes.set(s.name, s.size);
  return (name) => sizes.get(name) ?? 0;
}

/** What `read` returns; a malformed object is a diagnostic naming the file. */
function diagnosed<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    if (e instanceof Malformed || e instanceof RangeError) {
      throw new DiagnosticError([{ file: name, line: 0, col: 0, message: `malformed Mach-O object: ${e instanceof Malformed ? e.message : 'a structure lies outside the file'}` }]);
    }
    throw e;
  }
}

function readUnchecked(b: Uint8Array, name: string, layout: ObjectLayout): ObjectFile {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const { arch, is64, sects, symoff, nsyms, stroff, strsize } = layout;
  const str = (x: number): string => {
    if (x >= strsize) fail('symbol name outside the string table');
    const s0 = stroff + x;
    let e = s0;
    while (e < stroff + strsize && b[e] !== 0) e++;
    return new TextDecoder().decode(b.subarray(s0, e));
  };
  const syms: RSym[] = [];
  const nl = is64 ? 16 : 12;
  for (let i = 0; i < nsyms; i++) {
    const e = symoff + i * nl;
    syms.push({
      name: str(dv.getUint32(e, true)), type: dv.getUint8(e + 4), sect: dv.getUint8(e + 5), desc: dv.getUint16(e + 6, true),
      value: is64 ? Number(dv.getBigUint64(e + 8, true)) : dv.getUint32(e + 8, true),
    });
  }

  const dynimports = readDynimportNotes(b, sects, name) ?? fail('import note outside the file');
  // Library symbols are referenced by their local names again.
  const localOf = importLocalNames(dynimports);
  const plain = (y: { name: string; type: number }): string => ((y.type & C.N_TYPE) === C.N_UNDF ? localOf.get(y.name) : undefined) ?? definedName(y.name);

  // Another compiler's object (no symbol note) is linked whole: it names a
  // piece of a section by any of the symbols there (LLVM's arm64 code starts
  // each section with an `ltmpN` label, beside the string's own `l_.str`),
  // so a symbol's extent up to the next one says nothing about what it reaches.
  const foreign = sectionNamed(sects, SYMINFO_SECTION) === undefined;
  // With MH_SUBSECTIONS_VIA_SYMBOLS (clang's default), no code relies on
  // the distance between two pieces: a weak definition's losing copy (a C++
  // inline function, template or typeinfo, which every object using it has)
  // may be left out, as an ELF COMDAT group's is (ObjectFile.comdat).
  const atoms = foreign && (dv.getUint32(24, true) & C.MH_SUBSECTIONS_VIA_SYMBOLS) !== 0;
  const comdat: ComdatGroup[] = [];

  // Constructors (__mod_init_func) are linked as init_array symbols; the other forms are not.
  const refused = sects.find(unlinkedInitializers);
  if (refused) throw constructorsRefused(name, `${refused.segname},${refused.sectname}`, 'destructor pointers and initializer offsets are not linked (clang writes constructors to __mod_init_func, which is, and destructors go through __cxa_atexit)');

  // C's thread-local variables (clang's __thread_vars descriptors and their
  // template in __thread_data and __thread_bss) are linked for the 64-bit
  // targets; i386 macOS, and a linker's own pointers to a library's
  // descriptors, are not.
  const tlvRefused = sects.find((s) => isThreadLocal(s) && (arch === '386' || (s.flags & 0xff) === C.S_THREAD_LOCAL_VARIABLE_POINTERS));
  if (tlvRefused) fail(`section ${tlvRefused.segname},${tlvRefused.sectname}: thread-local variables are linked for darwin/amd64 and darwin/arm64 objects, from __thread_vars, __thread_data and __thread_bss`);
  // Each descriptor's thunk is libSystem's _tlv_bootstrap, which dyld
  // replaces as it sets the descriptors up: the object imports it itself,
  // as ld64 finds it in libSystem, which every program links.
  if (sects.some((s) => kindOf(s) === 'tlv'))
    dynimports.push({ local: TLV_BOOTSTRAP, remote: TLV_BOOTSTRAP, library: libcName('darwin'), file: name, line: 0 });

  // Split every section at its symbols.
  const out: Symbol[] = [];
  const bySect = new Map<number, { sym: Symbol; start: number }[]>();
  // Each arm64 symbol's piece, for intoPiece (below).
  const pieceOf = new Map<RSym, { sym: Symbol; start: number }>();
  sects.forEach((s, idx) => {
    const kind = kindOf(s);
    // i386 records (20 bytes each) are not linked: macOS runs no i386 program since 10.15.
    if (!kind || (kind === 'unwind' && !is64)) return;
    const zerofill = isZerofill(s.flags);
    if (!zerofill && s.offset + s.size > b.length) fail(`section ${s.segname},${s.sectname} lies outside the file`);
    const mine = syms.filter((y) => (y.type & 0xe0) === 0 && (y.type & 0x0e) === C.N_SECT && y.sect === idx + 1).sort((p, q) => p.value - q.value);
    // A compiler's bytes before a section's first symbol (or in a section
    // without one: x86_64 string literals are reached by section-relative
    // relocations) belong to a local symbol named after the section; so do
    // compact unwind records, which no symbol names in asmlink's objects either.
    if ((foreign || kind === 'unwind') && s.size > 0 && (mine.length === 0 || mine[0]!.value !== s.addr))
      mine.unshift({ name: `${s.segname},${s.sectname}`, type: C.N_SECT, sect: idx + 1, desc: 0, value: s.addr });
    if (mine.length === 0) {
      if (s.size > 0) fail(`section ${s.segname},${s.sectname} has contents but no symbol`);
      return;
    }
    if (mine[0]!.value !== s.addr && s.size > 0) fail(`section ${s.segname},${s.sectname} has bytes before its first symbol`);
    const list: { sym: Symbol; start: number }[] = [];
    mine.forEach((y, k) => {
      const start = y.value - s.addr;
      const end = (k + 1 < mine.length ? mine[k + 1]!.value : s.addr + s.size) - s.addr;
      if (start < 0 || end > s.size || end < start) fail(`symbol ${y.name} lies outside its section`);
      const local = (y.type & C.N_EXT) === 0;
      if (s.align > 31) fail(`section ${s.segname},${s.sectname} has alignment 2^${s.align}`); // 2 ** huge is Infinity: the loop below would not end
      let align = 2 ** s.align;
      while (align > 1 && start % align !== 0) align /= 2;
      const sym: Symbol = {
        name: definedName(y.name),
        kind,
        size: end - start,
        align,
        // A copy even when b is a Buffer (whose slice is a view): the relocation fields are zeroed in it.
        data: zerofill ? new Uint8Array(0) : Uint8Array.prototype.slice.call(b, s.offset + start, s.offset + end),
        relocs: [],
        flags: { ...(local ? { local: true } : (y.type & C.N_PEXT) !== 0 ? { hidden: true } : {}), ...((y.desc & C.N_WEAK_DEF) !== 0 ? { dupok: true } : {}), ...(kind === 'rodata' ? { rodata: true } : {}) },
        file: name,
        line: 0,
      };
      list.push({ sym, start });
      if (atoms && arch === 'arm64') pieceOf.set(y, list[list.length - 1]!);
      out.push(sym);
      if (atoms && !local && (y.desc & C.N_WEAK_DEF) !== 0 && kind !== 'unwind') comdat.push({ signature: sym.name, defs: [out.length - 1] });
    });
    bySect.set(idx, list);
  });

  // C tentative definitions compiled with -fcommon: undefined external
  // symbols whose value is their size (n_desc's bits 8–11 the log of their
  // alignment). Each becomes a zero-filled definition, DUPOK, so that the
  // link keeps one and an initialized definition takes their place, as the
  // ELF reader lays them out (placeCommons).
  for (const y of syms)
    if (isCommonSymbol(y.type, y.value))
      out.push({ name: definedName(y.name), kind: 'bss', size: y.value, align: 2 ** ((y.desc >> 8) & 0xf), data: new Uint8Array(0), relocs: [], flags: { dupok: true }, file: name, line: 0 });

  // An arm64 relocation is always extern: it names a place by a symbol and
  // an offset. LLVM's assembler takes the symbol of the place's own piece
  // (the section's `ltmpN` before its first symbol), but an offset may reach
  // past that piece (another assembler's, a label before a weak copy):
  // pointed at the piece the place lies in, the reference stays right when
  // a weak copy between them is left out (atoms).
  const intoPiece = (y: RSym, name: string, add: number): [string, number] => {
    const own = pieceOf.get(y);
    if (own === undefined || (y.type & C.N_EXT) !== 0) return [name, add];
    const place = own.start + add;
    const list = bySect.get(y.sect - 1)!;
    if ((place >= own.start && place <= own.start + own.sym.size) || place < 0 || place >= sects[y.sect - 1]!.size) return [name, add];
    const there = pieceAt(list, place);
    return [there.sym.name, place - there.start];
  };

  // Relocations, raised.
  bySect.forEach((list, idx) => {
    const s = sects[idx]!;
    if (s.reloff + s.nreloc * 8 > b.length) fail(`relocations of ${s.sectname} lie outside the file`);
    const descriptors = kindOf(s) === 'tlv';
    const owner = (off: number) => pieceAt(list, off);
    let addend: number | undefined;
    // The page entry just read (an ADDEND entry aside), which the next entry may complete into a pair.
    let page: { reloc: Reloc; address: number; target: string; got: boolean } | undefined;
    for (let i = 0; i < s.nreloc; i++) {
      const e = s.reloff + 8 * i;
      const address = dv.getInt32(e, true);
      const word = dv.getUint32(e + 4, true);
      if (address < 0) fail('scattered relocations are not supported');
      const symnum = word & 0xffffff;
      const pcrel = (word >>> 24) & 1;
      const length = (word >>> 25) & 3;
      const ext = (word >>> 27) & 1;
      const type = word >>> 28;
      if (arch === 'arm64' && type === C.ARM64_RELOC_ADDEND) {
        addend = (symnum << 8) >> 8;
        continue;
      }
      const p = owner(address);
      const off = address - p.start;
      const field = s.offset + address;
      if (!ext) {
        // A section-relative x86_64 relocation (a compiler's reference to an
        // unnamed piece, such as a string literal) has the target's address
        // in its field: it becomes a reference to the symbol there. On arm64
        // only compact unwind records' pointers are section-relative.
        const arm64Pointer = arch === 'arm64' && type === C.ARM64_RELOC_UNSIGNED && length === 3;
        if ((arch !== 'amd64' && !arm64Pointer) || !foreign) fail(`section-relative relocation at ${s.sectname}+0x${address.toString(16)} (asmlink reads objects with extern relocations)`);
        const content = length === 3 ? Number(dv.getBigInt64(field, true)) : dv.getInt32(field, true);
        const bias = pcSigned(type);
        if (bias === undefined && !(type === C.X86_64_RELOC_UNSIGNED && length === 3)) fail(`section-relative x86_64 relocation type ${type} at ${s.sectname}+0x${address.toString(16)} is not supported`);
        // Where it points, in the object's addresses: a pc-relative one from the end of its instruction.
        const at = bias === undefined ? content : content + s.addr + address + 4 + bias;
        const into = bySect.get(symnum - 1);
        const ts = sects[symnum - 1];
        if (!into || !ts || at < ts.addr || at > ts.addr + ts.size) fail(`section-relative relocation at ${s.sectname}+0x${address.toString(16)} points outside section ${symnum}`);
        const there = pieceAt(into!, at - ts!.addr);
        // Go's convention: an absolute address is S + A; a pc-relative field holds S + A - (its end).
        const size = bias === undefined ? 8 : 4;
        const rt: RelocType = bias === undefined ? 'R_ADDR' : type === C.X86_64_RELOC_BRANCH ? 'R_CALL' : 'R_PCREL';
        p.sym.relocs.push({ off, size, type: rt, sym: there.sym.name, add: at - (bias ?? 0) - (ts!.addr + there.start) });
        if (off + size <= p.sym.data.length) p.sym.data.fill(0, off, off + size);
        continue;
      }
      const y = syms[symnum];
      if (!y) fail(`relocation names symbol ${symnum}, which does not exist`);
      const target = plain(y!);
      // The addend moves into the Reloc; the field is left zero, as the assembler leaves it.
      const push = (rt: RelocType, size: number, add: number) => {
        let to = target;
        if (atoms && arch === 'arm64' && !GOT_TYPES.has(rt)) [to, add] = intoPiece(y!, target, add);
        p.sym.relocs.push({ off, size, type: rt, sym: to, add });
        if (arch !== 'arm64' && off + size <= p.sym.data.length) p.sym.data.fill(0, off, off + size);
      };
      if (arch === 'amd64') {
        const wide = length === 3 ? addend64(dv, field) : null;
        const content = wide ? wide.add : dv.getInt32(field, true);
        if (type === C.X86_64_RELOC_BRANCH) push('R_CALL', 4, content);
        else if (type === C.X86_64_RELOC_SIGNED || (type >= C.X86_64_RELOC_SIGNED_1 && type <= C.X86_64_RELOC_SIGNED_4)) push('R_PCREL', 4, content);
        // A thread-local variable's descriptor is reached as a GOT entry is: `movq _v@TLVP(%rip), %rdi` loads its address.
        else if (type === C.X86_64_RELOC_GOT_LOAD || type === C.X86_64_RELOC_GOT || type === C.X86_64_RELOC_TLV) push('R_GOTPCREL', 4, content);
        else if (type === C.X86_64_RELOC_UNSIGNED && wide) {
          push(descriptors && tlvOffsetField(address) ? 'R_TLS_LE' : 'R_ADDR', 8, content);
          // The field (zeroed) keeps the tag alone, which the linker puts back on the pointer it writes.
          if (wide.tag !== 0 && off + 8 <= p.sym.data.length) p.sym.data[off + 7] = wide.tag;
        }
        else fail(`x86_64 relocation type ${type} is not supported`);
      } else if (arch === '386') {
        if (type !== C.GENERIC_RELOC_VANILLA || length !== 2) fail(`i386 relocation type ${type} is not supported`);
        const content = dv.getInt32(field, true);
        if (pcrel) push('R_CALL', 4, content + (s.addr + address + 4));
        else push('R_ADDR', 4, content);
      } else {
        const add = addend ?? 0;
        addend = undefined;
        if (type === C.ARM64_RELOC_BRANCH26) push('R_CALLARM64', 4, add);
        // The distance from a word in data to a symbol's GOT slot (clang's
        // LSDA type tables). The field holds the addend less the field's
        // offset in its section (LLVM's assembler counts from the section's
        // start; -16 for `_ZTI1E@GOT - .` at offset 16, which is 0).
        else if (type === C.ARM64_RELOC_POINTER_TO_GOT && pcrel && length === 2) push('R_GOTPCREL', 4, add + dv.getInt32(field, true) + address);
        // The field keeps its contents, a tag among them, which the linker puts back on the pointer it writes.
        else if (type === C.ARM64_RELOC_UNSIGNED && length === 3) push(descriptors && tlvOffsetField(address) ? 'R_TLS_LE' : 'R_ADDR', 8, add + addend64(dv, field).add);
        else if (type === C.ARM64_RELOC_PAGE21 || type === C.ARM64_RELOC_GOT_LOAD_PAGE21 || type === C.ARM64_RELOC_TLVP_LOAD_PAGE21) {
          // A thread-local variable's descriptor is reached as a GOT entry is (ADRP + LDR of its address).
          const got = type !== C.ARM64_RELOC_PAGE21;
          push(got ? 'R_ARM64_GOTPAGE' : 'R_ARM64_PAGE', 4, add);
          page = { reloc: p.sym.relocs[p.sym.relocs.length - 1]!, address, target, got };
          continue;
        } else if (type === C.ARM64_RELOC_PAGEOFF12 || type === C.ARM64_RELOC_GOT_LOAD_PAGEOFF12 || type === C.ARM64_RELOC_TLVP_LOAD_PAGEOFF12) {
          // A page offset right after its page entry (as asmlink writes a
          // pair: the next instruction, the same symbol) completes it, with
          // the page entry's addend, as the columns reader takes it; halves
          // apart (another compiler's) stay each on its own.
          const got = type !== C.ARM64_RELOC_PAGEOFF12;
          if (page && page.address + 4 === address && page.target === target && page.got === got && owner(page.address) === p) {
            page.reloc.size = 8;
            page.reloc.type = got ? 'R_ARM64_GOTPCREL' : 'R_ADDRARM64';
          } else push(got ? 'R_ARM64_GOTPAGEOFF' : 'R_ARM64_PAGEOFF', 4, add);
        } else fail(`arm64 relocation type ${type} is not supported`);
      }
      page = undefined;
    }
  });
  for (const sym of out) sym.relocs.sort((p: Reloc, q: Reloc) => p.off - q.off);
  // An object with compact unwind records (asmlink's external object of a
  // program with compiled code) is linked whole too: no symbol refers to the
  // records, which keep the functions they describe.
  const whole = foreign || out.some((s) => s.kind === 'unwind');
  return { target: { os: 'darwin', arch: arch! }, name, symbols: withSyminfo(out, sects, b, fail), dynimports, ...(whole ? { indivisible: true } : {}), ...(comdat.length ? { comdat } : {}) };
}

/** An 8-byte field's addend, and the tag its top byte carries (pointerTag), which the addend then leaves out. */
function addend64(dv: DataView, field: number): { add: number; tag: number } {
  return { add: getAddend64(dv, field), tag: pointerTag(dv.getUint8(field + 7)) };
}

/** The thunk every descriptor names (`__tlv_bootstrap` in the symbol table). */
const TLV_BOOTSTRAP = '_tlv_bootstrap';

/**
 * Whether a pointer of __thread_vars is a descriptor's third word, the
 * offset of the variable's initial value in the thread-local template
 * (R_TLS_LE: the linker writes the offset, and nothing is rebased); the
 * first word, the thunk, is a pointer to _tlv_bootstrap that dyld binds.
 */
function tlvOffsetField(address: number): boolean {
  return address % 24 === 16;
}

/** Relocations to a symbol's GOT slot, which an offset into another piece cannot mean. */
const GOT_TYPES: ReadonlySet<RelocType> = new Set(['R_GOTPCREL', 'R_ARM64_GOTPAGE', 'R_ARM64_GOTPAGEOFF', 'R_ARM64_GOTPCREL']);

/** The piece of a section an offset falls in: the last one starting at or before it (`list` is in address order). */
function pieceAt(list: readonly { sym: Symbol; start: number }[], off: number): { sym: Symbol; start: number } {
  return list[lastAtOrBefore(list.length, (k) => list[k]!.start, off)]!;
}

/** For x86_64 pc-relative SIGNED relocations, the bytes of the instruction after the field (SIGNED_1/2/4); undefined for other types. */
function pcSigned(type: number): number | undefined {
  if (type === C.X86_64_RELOC_SIGNED || type === C.X86_64_RELOC_BRANCH) return 0;
  if (type === C.X86_64_RELOC_SIGNED_1) return 1;
  if (type === C.X86_64_RELOC_SIGNED_2) return 2;
  if (type === C.X86_64_RELOC_SIGNED_4) return 4;
  return undefined;
}

/**
 * An object asmlink wrote says in its __asmlink_syms note what the symbol
 * table cannot (syminfo-note.ts): the symbols come back in the assembler's
 * order, with their size, alignment, flags, file and lines. Without the
 * note (another assembler's object) they stay as the symbol table gives them.
 */
function withSyminfo(out: Symbol[], sects: readonly RSect[], b: Uint8Array, fail: (m: string) => never): Symbol[] {
  const sect = sectionNamed(sects, SYMINFO_SECTION);
  if (!sect) return out;
  if (sect.offset + sect.size > b.length) fail('symbol note outside the file');
  const infos = decodeSyminfo(b.subarray(sect.offset, sect.offset + sect.size));
  if (!infos) return out;
  const byName = new Map(out.map((s) => [s.name, s]));
  const ordered: Symbol[] = [];
  for (const info of infos) {
    const sym = byName.get(info.name);
    if (!sym) fail(`symbol note names ${info.name}, which the object does not define`);
    byName.delete(info.name);
    const lines = info.relocLines.length === sym!.relocs.length ? info.relocLines : [];
    if (!isWhole(info.size, 0, 2 ** 53) || !isWhole(info.align, 1) || !isWhole(info.line, 0) || !lines.every((l) => isWhole(l, 0))) {
      fail(`symbol note gives ${info.name} a size, alignment or line that is not a whole number`);
    }
    // The section split gave the symbol the bytes up to the next one: padding is not its own.
    if (info.size < sym!.data.length) sym!.data = sym!.data.slice(0, info.size);
    sym!.size = info.size;
    sym!.align = info.align;
    sym!.flags = info.flags;
    sym!.file = info.file;
    sym!.line = info.line;
    if (info.frameSize !== undefined) sym!.frameSize = info.frameSize;
    if (info.argsSize !== undefined) sym!.argsSize = info.argsSize;
    lines.forEach((l, i) => (sym!.relocs[i]!.line = l));
    ordered.push(sym!);
  }
  return [...ordered, ...byName.values()];
}
