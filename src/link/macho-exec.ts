// Mach-O executables (MH_EXECUTE) for darwin/amd64, darwin/arm64 and (as a
// classic non-PIE image, checked structurally only: no macOS runs 32-bit code
// any more) darwin/386: the internal link mode's writer, plugged into the
// core linker's format seam (ExecWriter in program.ts).
//
// What dyld wants, and how this writer gives it:
// - every 64-bit executable is PIE: a 4 GiB __PAGEZERO, then __TEXT at 0x100000000
//   starting at file offset 0 (the header and load commands are inside it);
// - code reaches a library function through a stub in __TEXT,__stubs that
//   jumps through a non-lazy pointer in __DATA_CONST,__got; address loads of
//   an import use the same kind of slot. dyld binds the slots at launch, then
//   makes __DATA_CONST read-only (SG_READ_ONLY);
// - absolute pointers in data are rebased (dyld adds the slide) and pointers
//   to imports in data are bound — with rebase/bind opcode streams
//   (LC_DYLD_INFO_ONLY) or, with `fixups: 'chained'`, with chains threaded
//   through the pointers themselves (LC_DYLD_CHAINED_FIXUPS);
// - the indirect symbol table says which symbol each stub and slot stands
//   for; LC_MAIN names the C-convention entry; LC_LOAD_DYLIB lists the
//   libraries whose 1-based order is the ordinal every bind uses;
// - on arm64 a code signature is mandatory (ad-hoc is enough), and it is
//   computed last, over every byte before it, UUID included.
// Segments are aligned to 4 KiB on x86_64 and 16 KiB on arm64. Output is
// deterministic: no timestamps, the UUID is a hash of the contents.

import { DiagnosticSink, plainError } from '../diag.js';
import { libcName, pageSize as targetPageSize } from '../target.js';
import { ByteWriter, alignUp } from '../formats/macho/bytes.js';
import * as C from '../formats/macho/consts.js';
import { dwarfSectionName } from '../formats/macho/sections.js';
import { isZerofill } from '../formats/macho/object-layout.js';
import { encodeBinds, encodeSortedRebases } from '../formats/macho/dyld-info.js';
import type { Bind } from '../formats/macho/dyld-info.js';
import { buildChainedFixups } from '../formats/macho/chained.js';
import type { ChainFixup } from '../formats/macho/chained.js';
import { encodeExportTrie } from '../formats/macho/trie.js';
import { encodeFunctionStarts } from '../formats/macho/function-starts.js';
import { codeSignatureSize, writeCodeSignature } from '../formats/macho/codesign.js';
import { contentUuid } from '../formats/macho/uuid.js';
import { darwinLibrary, machoName } from '../formats/macho/imports.js';
import { SDK_VERSION, defaultMacosMin, parseMacosVersion } from '../formats/macho/version.js';
import { scanAbsoluteAddresses } from './absolute-addresses.js';
import { isImport, relocPos, type ExecWriter, type Import, type Layout, type LSym, type OutSection, type Program } from './program.js';
import { relocAt, scratchReloc } from './reloc-cols.js';
import { RELOC_TYPE_INDEX } from '../obj/reloc-table.js';
import { buildMachOSymtab, type UndefinedSymbol } from './macho-symtab.js';

const R_ADDR = RELOC_TYPE_INDEX.R_ADDR;
const R_TLS_LE = RELOC_TYPE_INDEX.R_TLS_LE;
import { ARM64_STUB, I386_STUB, X86_64_STUB } from './macho-stubs.js';
import type { MachOStubArch } from './macho-stubs.js';
import { planUnwindInfo, writeUnwindInfo, type UnwindPlan } from './macho-unwind.js';


export interface MachOExecOptions {
  /** Write LC_CODE_SIGNATURE (always on for arm64). */
  codesign: boolean;
  fixups: 'dyld-info' | 'chained';
  /** Deployment target ('11.0' by default). */
  macosMin: string;
  /** The code signature's identifier (ld64 uses the output's file name). */
  identifier: string;
  /** LC_RPATH directories, where dyld resolves `@rpath/` library names. */
  rpaths: string[];
}

/** Reads the format options the core passes through (LinkOptions.format). */
export function machOExecOptions(prog: Program): MachOExecOptions {
  const f = prog.opts.format ?? {};
  const arch = prog.target.arch;
  const fixups = f['fixups'] ?? 'dyld-info';
  if (fixups !== 'dyld-info' && fixups !== 'chained') throw plainError(`unknown fixups kind "${String(fixups)}" (dyld-info or chained)`);
  const macosMin = typeof f['macosMin'] === 'string' ? f['macosMin'] : defaultMacosMin(arch);
  return {
    codesign: arch === 'arm64' || f['codesign'] === true,
    fixups,
    macosMin,
    identifier: typeof f['identifier'] === 'string' && f['identifier'] !== '' ? f['identifier'] : 'a.out',
    rpaths: typeof f['rpath'] === 'string' ? f['rpath'].split(':').filter((p) => p !== '') : [],
  };
}

interface ArchFacts {
  cputype: number;
  cpusubtype: number;
  stub: MachOStubArch;
  /** Chained-fixup pointer format; undefined where chains do not exist (i386). */
  chainFormat?: typeof C.DYLD_CHAINED_PTR_64 | typeof C.DYLD_CHAINED_PTR_64_OFFSET;
  textAlign: number;
  is64: boolean;
  ptr: 4 | 8;
  /** Position-independent (slid by dyld, so absolute pointers are rebased). */
  pie: boolean;
  /** Address of the Mach-O header; __PAGEZERO covers everything below it. */
  base: number;
  /** __DATA_CONST with SG_READ_ONLY exists (it postdates 32-bit macOS). */
  dataConst: boolean;
}

const ARCH: Record<'amd64' | 'arm64' | '386', ArchFacts> = {
  amd64: {
    cputype: C.CPU_TYPE_X86_64, cpusubtype: C.CPU_SUBTYPE_X86_ALL, stub: X86_64_STUB, chainFormat: C.DYLD_CHAINED_PTR_64, textAlign: 16,
    is64: true, ptr: 8, pie: true, base: 0x100000000, dataConst: true,
  },
  // arm64 userland binaries carry header-relative rebase targets.
  arm64: {
    cputype: C.CPU_TYPE_ARM64, cpusubtype: C.CPU_SUBTYPE_ARM64_ALL, stub: ARM64_STUB, chainFormat: C.DYLD_CHAINED_PTR_64_OFFSET, textAlign: 16,
    is64: true, ptr: 8, pie: true, base: 0x100000000, dataConst: true,
  },
  // i386 code takes absolute addresses (there is no pc-relative data
  // addressing), so a darwin/386 program is a classic non-PIE executable at
  // 0x1000 behind a one-page __PAGEZERO: nothing to rebase, and stubs jump
  // through absolute slot addresses.
  '386': {
    cputype: C.CPU_TYPE_X86, cpusubtype: C.CPU_SUBTYPE_X86_ALL, stub: I386_STUB, textAlign: 16,
    is64: false, ptr: 4, pie: false, base: 0x1000, dataConst: false,
  },
};

/** One section of the executable. */
interface MSect {
  segname: string;
  sectname: string;
  flags: number;
  align: number;
  /** Its address less the image base (the header's address), as the core holds addresses (Layout.bias). */
  vmoff: number;
  size: number;
  /** File offset (0 for zero-fill). */
  fileOff: number;
  /** The core's section laid out here, if any. */
  out?: OutSection;
  reserved1: number;
  reserved2: number;
  ordinal: number;
}

interface MSeg {
  name: string;
  /** Its address less the image base (__PAGEZERO's is minus the base). */
  vmoff: number;
  vmsize: number;
  fileoff: number;
  filesize: number;
  prot: number;
  flags: number;
  sects: MSect[];
}

/** A GOT slot: the core's entries first (their indexes are the core's), then slots only stubs use. */
type Slot = { imp: Import } | { sym: LSym };

/** The layout this writer computes; write() reads it back. */
export class MachOLayout implements Layout {
  constructor(
    readonly prog: Program,
    readonly opts: MachOExecOptions,
    readonly facts: ArchFacts,
    readonly minos: number,
    readonly segs: MSeg[],
    readonly sections: MSect[],
    readonly stubs: MSect | undefined,
    readonly got: MSect | undefined,
    readonly slots: Slot[],
    /** GOT slot index of each stub. */
    readonly stubSlot: number[],
    readonly libraries: string[],
    readonly linkedit: MSeg,
    readonly sizeofcmds: number,
    /** __unwind_info, from the objects' compact unwind records (macho-unwind.ts). */
    readonly unwind: { plan: UnwindPlan; sect: MSect } | undefined,
  ) {}

  /** Addresses the core holds are offsets from the Mach-O header (see Layout.bias). */
  get bias(): number {
    return this.facts.base;
  }
  pltAddr(index: number): number {
    if (!this.stubs) throw new Error('no __stubs');
    return this.stubs.vmoff + index * this.facts.stub.size;
  }
  gotAddr(index: number): number {
    if (!this.got) throw new Error('no __got');
    return this.got.vmoff + index * this.facts.ptr;
  }
  /** A descriptor's third word: where the variable's initial value lies in the template (layout refused any other R_TLS_LE). */
  tlsOffset(sym: LSym): number {
    return sym.addr - this.prog.sections.tls.addr;
  }
}

/**
 * Thread-local data is C's, reached only through its descriptors (an
 * R_TLS_LE of 8 bytes in __thread_vars: the offset into the template).
 * Anything else, Go-style assembly's TLS symbols above all, would read the
 * template itself or an offset from a thread pointer darwin does not give:
 * Go keeps g in a TSD slot there.
 */
function checkThreadLocals(prog: Program, diag: DiagnosticSink): void {
  const why = "(darwin keeps g in a TSD slot; C's __thread variables are reached through their descriptors in __thread_vars)";
  if (prog.sections.tlv.syms.length === 0) {
    for (const s of prog.sections.tls.syms) diag.error({ file: s.file, line: s.line, col: 0 }, `thread-local symbol ${s.name} cannot be linked into a Mach-O executable ${why}`);
    return;
  }
  const scratch = scratchReloc();
  for (const sec of Object.values(prog.sections)) {
    for (const s of sec.syms) {
      for (let i = 0; i < s.rn; i++) {
        const type = s.rt.type[s.ri + i];
        const t = prog.relocs.target(s.r0 + i);
        const toTls = t !== null && !isImport(t) && t.section?.kind === 'tls';
        if (!toTls && type !== R_TLS_LE) continue;
        if (toTls && type === R_TLS_LE && sec.kind === 'tlv' && s.rt.size[s.ri + i] === 8) continue;
        const r = relocAt(s, i, scratch);
        const name = t === null ? '?' : isImport(t) ? t.local : t.name;
        diag.error(relocPos(s, r), `${s.name}+0x${r.off.toString(16)}: ${r.type} reaches thread-local ${name} other than through a descriptor, which a Mach-O executable cannot do ${why}`);
      }
    }
  }
}

function headerSize(f: ArchFacts): number {
  return f.is64 ? 32 : 28;
}

function segCmdSize(f: ArchFacts, nsects: number): number {
  return f.is64 ? 72 + 80 * nsects : 56 + 68 * nsects;
}

/** Bytes of a load command holding a C string after a fixed part, padded to 8. */
function strCmdSize(fixed: number, s: string): number {
  return alignUp(fixed + new TextEncoder().encode(s).length + 1, 8);
}

/** Read-only data holding absolute pointers must be writable while dyld fixes it up: __DATA_CONST, not __TEXT. */
function hasPointers(sec: OutSection): boolean {
  return sec.syms.some((s) => {
    for (let j = s.ri; j < s.ri + s.rn; j++) if (s.rt.type[j] === R_ADDR) return true;
    return false;
  });
}

export function layoutMachO(prog: Program): MachOLayout {
  const t = prog.target;
  const facts = ARCH[t.arch];
  const opts = machOExecOptions(prog);
  if (opts.fixups === 'chained' && !facts.chainFormat) throw plainError(`chained fixups do not exist for ${t.arch} Mach-O (use dyld-info)`);
  const v = parseMacosVersion(opts.macosMin, t.arch);
  if ('error' in v) throw plainError(v.error);
  if (opts.fixups === 'chained' && v.value < 0x0b0000) throw plainError(`chained fixups need macOS 11.0 or later (macosMin is ${opts.macosMin})`);
  const diag = new DiagnosticSink();
  if (prog.sections.tls.syms.length) checkThreadLocals(prog, diag);
  diag.check();

  const page = targetPageSize(t);
  // Libraries: the program's, each once, libSystem always (dyld needs it for LC_MAIN).
  const libraries: string[] = [];
  for (const l of prog.libraries) {
    const d = darwinLibrary(l);
    if (!libraries.includes(d)) libraries.push(d);
  }
  for (const imp of prog.imports) {
    const d = darwinLibrary(imp.library);
    if (imp.used && !libraries.includes(d)) libraries.push(d);
  }
  if (!libraries.includes(libcName('darwin'))) libraries.push(libcName('darwin'));

  // GOT slots: the core's, then one per stub whose import has none.
  const slots: Slot[] = [...prog.got];
  const stubSlot = prog.plt.map((imp) => {
    if (imp.got >= 0) return imp.got;
    slots.push({ imp });
    return slots.length - 1;
  });

  const S = (segname: string, sectname: string, flags: number, align: number, size: number, out?: OutSection): MSect => ({
    segname, sectname, flags, align, vmoff: 0, size, fileOff: 0, out, reserved1: 0, reserved2: 0, ordinal: 0,
  });
  const { text, rodata, data, bss } = prog.sections;
  const rodataPtrs = rodata.size > 0 && hasPointers(rodata);
  const textSects: MSect[] = [S('__TEXT', '__text', C.S_REGULAR | C.S_ATTR_PURE_INSTRUCTIONS | C.S_ATTR_SOME_INSTRUCTIONS, Math.max(text.align, facts.textAlign), text.size, text)];
  let stubs: MSect | undefined;
  if (prog.plt.length) {
    stubs = S('__TEXT', '__stubs', C.S_SYMBOL_STUBS | C.S_ATTR_PURE_INSTRUCTIONS | C.S_ATTR_SOME_INSTRUCTIONS, 1 << facts.stub.alignLog2, prog.plt.length * facts.stub.size);
    stubs.reserved1 = 0;
    stubs.reserved2 = facts.stub.size;
    textSects.push(stubs);
  }
  if (rodata.size > 0 && !rodataPtrs) textSects.push(S('__TEXT', '__const', C.S_REGULAR, rodata.align, rodata.size, rodata));
  const unwindPlan = planUnwindInfo(prog);
  const unwind = unwindPlan ? { plan: unwindPlan, sect: S('__TEXT', '__unwind_info', C.S_REGULAR, 4, unwindPlan.size) } : undefined;
  if (unwind) textSects.push(unwind.sect);
  const constSects: MSect[] = [];
  let got: MSect | undefined;
  if (slots.length) {
    got = facts.dataConst
      ? S('__DATA_CONST', '__got', C.S_NON_LAZY_SYMBOL_POINTERS, facts.ptr, slots.length * facts.ptr)
      : S('__DATA', '__nl_symbol_ptr', C.S_NON_LAZY_SYMBOL_POINTERS, facts.ptr, slots.length * facts.ptr);
    got.reserved1 = prog.plt.length;
    constSects.push(got);
  }
  if (rodataPtrs) constSects.push(S(facts.dataConst ? '__DATA_CONST' : '__DATA', '__const', C.S_REGULAR, rodata.align, rodata.size, rodata));
  // A compiler's static constructors: dyld calls each pointer, in order, before main (rebased like any pointer in data).
  const init = prog.sections.init_array;
  if (init.size > 0) constSects.push(S(facts.dataConst ? '__DATA_CONST' : '__DATA', '__mod_init_func', C.S_MOD_INIT_FUNC_POINTERS, facts.ptr, init.size, init));
  const dataSects: MSect[] = [];
  if (!facts.dataConst) dataSects.push(...constSects.splice(0));
  if (data.size > 0) dataSects.push(S('__DATA', '__data', C.S_REGULAR, data.align, data.size, data));
  // C's thread-local variables: the descriptors, then the template each
  // thread's copy starts as (where ld64 puts them, zero-fill last).
  const { tlv, tls } = prog.sections;
  if (tlv.size > 0) dataSects.push(S('__DATA', '__thread_vars', C.S_THREAD_LOCAL_VARIABLES, tlv.align, tlv.size, tlv));
  // The variables without contents come last (sections.ts): they are the
  // zero-filled __thread_bss, which continues the template from where
  // __thread_data's contents end (alignment 1: the symbols' offsets are
  // the template's).
  if (tls.fileSize > 0) {
    dataSects.push(S('__DATA', '__thread_data', C.S_THREAD_LOCAL_REGULAR, tls.align, tls.fileSize, tls));
    if (tls.size > tls.fileSize) dataSects.push(S('__DATA', '__thread_bss', C.S_THREAD_LOCAL_ZEROFILL, 1, tls.size - tls.fileSize));
  } else if (tls.size > 0) dataSects.push(S('__DATA', '__thread_bss', C.S_THREAD_LOCAL_ZEROFILL, tls.align, tls.size, tls));
  if (bss.size > 0) dataSects.push(S('__DATA', '__bss', C.S_ZEROFILL, bss.align, bss.size, bss));

  const segs: MSeg[] = [];
  const seg = (name: string, prot: number, flags: number, sects: MSect[]): MSeg => {
    const sg = { name, vmoff: 0, vmsize: 0, fileoff: 0, filesize: 0, prot, flags, sects };
    segs.push(sg);
    return sg;
  };
  const pagezero = seg('__PAGEZERO', C.VM_PROT_NONE, 0, []);
  pagezero.vmoff = -facts.base;
  pagezero.vmsize = facts.base;
  const textSeg = seg('__TEXT', C.VM_PROT_READ | C.VM_PROT_EXECUTE, 0, textSects);
  const constSeg = constSects.length ? seg('__DATA_CONST', C.VM_PROT_READ | C.VM_PROT_WRITE, C.SG_READ_ONLY, constSects) : undefined;
  const dataSeg = dataSects.length ? seg('__DATA', C.VM_PROT_READ | C.VM_PROT_WRITE, 0, dataSects) : undefined;
  // -g: DWARF (Program.extraSections) in a __DWARF segment before
  // __LINKEDIT, as Go's linker puts it (debuggers read it from the
  // executable; no dSYM needed): no memory (vmsize 0, no access),
  // page-aligned in the file.
  const dwarfSects = prog.extraSections.map((d) => S('__DWARF', dwarfSectionName(d.name), C.S_REGULAR | C.S_ATTR_DEBUG, 1, d.data.length));
  const dwarfSeg = dwarfSects.length ? seg('__DWARF', C.VM_PROT_NONE, 0, dwarfSects) : undefined;
  const linkedit = seg('__LINKEDIT', C.VM_PROT_READ, 0, []);
  const sections = [...textSects, ...constSects, ...dataSects, ...dwarfSects];
  sections.forEach((s, i) => (s.ordinal = i + 1));

  // Load command sizes are known before any address is.
  const cmdSizes: number[] = segs.map((sg) => segCmdSize(facts, sg.sects.length));
  if (opts.fixups === 'chained') cmdSizes.push(16, 16);
  else cmdSizes.push(48);
  cmdSizes.push(24 /* LC_SYMTAB */, 80 /* LC_DYSYMTAB */, strCmdSize(12, '/usr/lib/dyld'), 24 /* LC_UUID */, 32 /* LC_BUILD_VERSION + 1 tool */, 16 /* LC_SOURCE_VERSION */, 24 /* LC_MAIN */);
  for (const l of libraries) cmdSizes.push(strCmdSize(24, l));
  for (const p of opts.rpaths) cmdSizes.push(strCmdSize(12, p));
  cmdSizes.push(16 /* LC_FUNCTION_STARTS */, 16 /* LC_DATA_IN_CODE */);
  if (opts.codesign) cmdSizes.push(16);
  const sizeofcmds = cmdSizes.reduce((a, b) => a + b, 0);

  // Addresses: segments one after another from the image base; file offsets
  // mirror addresses up to __LINKEDIT (zero-fill takes no file space). All
  // of it is reckoned from the base, so that the numbers stay small integers.
  const place = (sg: MSeg, start: number, fileStart: number, firstFree: number): void => {
    sg.vmoff = start;
    sg.fileoff = fileStart;
    let cur = firstFree;
    let fileEnd = firstFree;
    for (const s of sg.sects) {
      cur = alignUp(cur, s.align);
      s.vmoff = cur;
      cur += s.size;
      if (!isZerofill(s.flags)) {
        s.fileOff = fileStart + (s.vmoff - start);
        fileEnd = cur;
      }
    }
    sg.vmsize = alignUp(cur - start, page) || page;
    sg.filesize = alignUp(fileEnd - start, page);
  };
  place(textSeg, 0, 0, headerSize(facts) + sizeofcmds);
  let next = textSeg.vmoff + textSeg.vmsize;
  let nextFile = textSeg.fileoff + textSeg.filesize;
  for (const sg of [constSeg, dataSeg]) {
    if (!sg) continue;
    place(sg, next, nextFile, next);
    next = sg.vmoff + sg.vmsize;
    nextFile = sg.fileoff + sg.filesize;
  }
  if (dwarfSeg) {
    dwarfSeg.vmoff = next;
    dwarfSeg.fileoff = nextFile;
    let at = nextFile;
    for (const s of dwarfSects) {
      s.fileOff = at;
      s.vmoff = next + (at - nextFile);
      at += s.size;
    }
    dwarfSeg.filesize = at - nextFile;
    nextFile = alignUp(at, page);
  }
  linkedit.vmoff = next;
  linkedit.fileoff = nextFile;

  for (const s of sections) if (s.out) s.out.addr = s.vmoff;
  return new MachOLayout(prog, opts, facts, v.value, segs, sections, stubs, got, slots, stubSlot, libraries, linkedit, sizeofcmds, unwind);
}


/**
 * The program's symbols the executable exports besides its entry
 * (LinkOptions.format.exportDynamic, as ld64 exports an executable's
 * globals), for the bundles and libraries it loads to bind to: the global
 * ones its symbol table lists, but hidden (private external) ones.
 */
function exportedSymbols(prog: Program, sectOrdinal: (s: LSym & { section: OutSection }) => number | undefined): (LSym & { section: OutSection })[] {
  if (prog.opts.format?.['exportDynamic'] !== true) return [];
  return prog.syms.filter((s): s is LSym & { section: OutSection } => !!s.section && !s.local && !s.flags.hidden && sectOrdinal(s as LSym & { section: OutSection }) !== undefined);
}

export function writeMachO(prog: Program, layoutIn: Layout): Uint8Array {
  if (!(layoutIn instanceof MachOLayout)) throw new Error('writeMachO: layout from another writer');
  const L = layoutIn;
  const { facts, opts, segs, sections, linkedit } = L;
  const diag = new DiagnosticSink();
  const ptr = facts.ptr;
  const base = facts.base;

  // Addresses here are offsets from the header, as the core's are (Layout.bias).
  const segIndexOf = (addr: number): number => {
    for (let i = 0; i < segs.length; i++) {
      const sg = segs[i]!;
      if (sg.sects.length && addr >= sg.vmoff && addr < sg.vmoff + sg.vmsize) return i;
    }
    throw new Error(`address 0x${(addr + base).toString(16)} is in no segment`);
  };
  const segOf = (addr: number): { seg: number; off: number } => {
    const seg = segIndexOf(addr);
    return { seg, off: addr - segs[seg]!.vmoff };
  };
  const ordinalOf = (imp: Import): number => L.libraries.indexOf(darwinLibrary(imp.library)) + 1;
  const textSeg = segs.find((s) => s.name === '__TEXT')!;

  // Fixups: rebases of absolute pointers, binds of imports' addresses. A
  // large program has a rebase per function pointer in its data: they are
  // kept as two arrays of numbers (address, target: offsets from the
  // header), not an object each.
  const rebaseAddr: number[] = [];
  const rebaseTarget: number[] = [];
  // A tagged pointer's top byte (arm64 RTTI's non-unique name bit), which a chained rebase carries as high8.
  const rebaseHigh = new Map<number, number>();
  const binds: { addr: number; imp: Import; addend: number }[] = [];
  // A non-PIE image is never slid: absolute addresses stay as linked.
  if (facts.pie) {
    scanAbsoluteAddresses(
      prog,
      ptr,
      (place, off, t, viaPlt, add) => {
        rebaseAddr.push(place.addr + off);
        rebaseTarget.push((viaPlt ? L.pltAddr((t as Import).plt) : (t as LSym).addr) + add);
        const high = place.section?.data?.[place.off + off + 7] ?? 0;
        if (high !== 0) rebaseHigh.set(place.addr + off, high);
      },
      (why, pos, where, name, size, compiled) => {
        const fix = compiled ? 'compile it as position-independent code, the default, without -fno-pic or -mdynamic-no-pic' : 'take the address pc-relatively, with LEAQ or ADRP+ADD';
        if (why === 'code') diag.error(pos, `${where}: absolute address of ${name} in code needs a text relocation, which a Mach-O executable cannot have (${fix})`);
        else diag.error(pos, `${where}: a ${size}-byte absolute address cannot be rebased in a Mach-O executable (pointers are ${ptr} bytes)`);
      },
    );
  }
  for (const d of prog.dynRelocs) {
    const where = `${d.sym.name}+0x${d.off.toString(16)}`;
    if (d.size !== ptr) {
      diag.error({ file: d.sym.file, line: d.sym.line, col: 0 }, `${where}: a ${d.size}-byte pointer to imported ${d.imp.local} cannot be bound (pointers are ${ptr} bytes)`);
      continue;
    }
    if (d.sym.section?.kind === 'text') {
      diag.error({ file: d.sym.file, line: d.sym.line, col: 0 }, `${where}: address of imported ${d.imp.local} in code cannot be bound`);
      continue;
    }
    binds.push({ addr: d.sym.addr + d.off, imp: d.imp, addend: d.add });
  }
  const fixedSlots: { addr: number; target: number }[] = [];
  L.slots.forEach((slot, i) => {
    const addr = L.gotAddr(i);
    if ('imp' in slot) binds.push({ addr, imp: slot.imp, addend: 0 });
    else if (facts.pie) {
      rebaseAddr.push(addr);
      rebaseTarget.push(slot.sym.addr);
    } else fixedSlots.push({ addr, target: slot.sym.addr });
  });
  diag.check();

  // Symbol table: locals, defined externals, undefined (imports), by name within each group.
  const ordinals = new Map<OutSection, number>();
  for (const s of sections) if (s.out) ordinals.set(s.out, s.ordinal);
  // Thread-locals past __thread_data's contents are in the __thread_bss that follows it.
  const { tls } = prog.sections;
  const tlsTail = sections.find((s) => s.flags === C.S_THREAD_LOCAL_ZEROFILL && !s.out);
  const sectOrdinal = (s: LSym & { section: OutSection }): number | undefined => (tlsTail && s.section === tls && s.off >= tls.fileSize ? tlsTail.ordinal : ordinals.get(s.section));
  const importSymName = (imp: Import) => machoName(imp.remote);
  const undefByName = new Map<string, UndefinedSymbol>();
  const usedImports = new Set<Import>([...L.slots.flatMap((s) => ('imp' in s ? [s.imp] : [])), ...prog.plt, ...binds.map((b) => b.imp)]);
  for (const imp of usedImports) {
    const name = importSymName(imp);
    // A weak import (DynImport.weak) is N_WEAK_REF, as ld64 marks it.
    if (!undefByName.has(name)) undefByName.set(name, { name, desc: C.setLibraryOrdinal(imp.weak ? C.N_WEAK_REF : 0, ordinalOf(imp)) });
  }
  // Stripped (LinkOptions.strip): only __mh_execute_header and the imports dyld binds by name.
  const symtab = buildMachOSymtab(prog.opts.strip ? [] : prog.syms, sectOrdinal, [...undefByName.values()]);
  const undefIndex = symtab.undefIndex;
  // Indirect symbols: one per stub, then one per GOT slot.
  const indirect: number[] = [
    ...prog.plt.map((imp) => undefIndex.get(importSymName(imp))!),
    ...L.slots.map((s) => ('imp' in s ? undefIndex.get(importSymName(s.imp))! : C.INDIRECT_SYMBOL_LOCAL)),
  ];

  // LINKEDIT contents.
  const entry = prog.entry;
  const exported = exportedSymbols(prog, sectOrdinal);
  const weakExports = exported.some((s) => s.flags.dupok);
  const exportsTrie = encodeExportTrie([
    { name: '__mh_execute_header', address: 0, flags: C.EXPORT_SYMBOL_FLAGS_KIND_REGULAR },
    ...(entry.local || exported.some((s) => s === entry) ? [] : [{ name: machoName(entry.name), address: entry.addr, flags: C.EXPORT_SYMBOL_FLAGS_KIND_REGULAR }]),
    ...exported.map((s) => ({
      name: machoName(s.name),
      address: s.addr,
      flags: (s.section === prog.sections.tlv ? C.EXPORT_SYMBOL_FLAGS_KIND_THREAD_LOCAL : C.EXPORT_SYMBOL_FLAGS_KIND_REGULAR) | (s.flags.dupok ? C.EXPORT_SYMBOL_FLAGS_WEAK_DEFINITION : 0),
    })),
  ]);
  let rebaseBlob: Uint8Array = new Uint8Array(0);
  let bindBlob: Uint8Array = new Uint8Array(0);
  let chainedBlob: Uint8Array = new Uint8Array(0);
  let chainEntries: { seg: number; off: number; value: bigint }[] = [];
  if (opts.fixups === 'chained') {
    const fixups: ChainFixup[] = [
      ...rebaseAddr.map((addr, i): ChainFixup => ({ kind: 'rebase', ...segOf(addr), target: rebaseTarget[i]! + base, high8: rebaseHigh.get(addr) })),
      ...binds.map((b): ChainFixup => ({ kind: 'bind', ...segOf(b.addr), ordinal: ordinalOf(b.imp), symbol: importSymName(b.imp), addend: b.addend, ...(b.imp.weak ? { weak: true } : {}) })),
    ];
    const out = buildChainedFixups({
      format: facts.chainFormat!,
      segments: segs.map((s) => ({ vmOffset: s.name === '__PAGEZERO' ? 0 : s.vmoff, vmSize: s.vmsize })),
      pageSize: targetPageSize(prog.target),
      imageBase: base,
      fixups,
    });
    chainedBlob = out.data;
    chainEntries = out.entries;
  } else {
    // Segments are in address order, so address order is (segment, offset) order.
    const sorted = new Float64Array(rebaseAddr.length);
    sorted.set(rebaseAddr);
    sorted.sort();
    const locSeg = new Int32Array(sorted.length);
    const locOff = new Float64Array(sorted.length);
    for (let i = 0; i < sorted.length; i++) {
      const seg = segIndexOf(sorted[i]!);
      locSeg[i] = seg;
      locOff[i] = sorted[i]! - segs[seg]!.vmoff;
    }
    rebaseBlob = encodeSortedRebases(locSeg, locOff, ptr);
    bindBlob = encodeBinds(binds.map((b): Bind => ({ ...segOf(b.addr), ordinal: ordinalOf(b.imp), symbol: importSymName(b.imp), addend: b.addend, ...(b.imp.weak ? { weak: true } : {}) })), ptr);
  }
  const textSyms = prog.sections.text.syms;
  const starts = new Float64Array(textSyms.length);
  for (let i = 0; i < textSyms.length; i++) starts[i] = textSyms[i]!.addr;
  const funcStarts = encodeFunctionStarts(starts, ptr);
  const strBytes = symtab.strings;
  const nsyms = symtab.nlocal + symtab.nextdef + symtab.nundef;

  let cur = linkedit.fileoff;
  const put = (n: number, align = 8): number => {
    cur = alignUp(cur, align);
    const at = cur;
    cur += n;
    return at;
  };
  const rebaseOff = put(rebaseBlob.length);
  const bindOff = put(bindBlob.length);
  const chainedOff = put(chainedBlob.length);
  const exportOff = put(exportsTrie.length);
  const fsOff = put(funcStarts.length);
  const dicOff = put(0);
  const nlist = facts.is64 ? 16 : 12;
  const symOff = put(nsyms * nlist);
  const indOff = put(indirect.length * 4);
  const strOff = put(strBytes.length);
  let sigOff = 0;
  let sigSize = 0;
  if (opts.codesign) {
    sigOff = put(0, 16);
    sigSize = codeSignatureSize(sigOff, opts.identifier);
    cur += sigSize;
  }
  const fileSize = cur;
  linkedit.filesize = fileSize - linkedit.fileoff;
  linkedit.vmsize = alignUp(linkedit.filesize, targetPageSize(prog.target));

  // Load commands.
  const w = new ByteWriter(true, headerSize(facts) + L.sizeofcmds);
  const word = (v: number) => (facts.is64 ? w.u64(v) : w.u32(v));
  const ncmds = { n: 0 };
  const cmd = (c: number, size: number): void => {
    w.u32(c).u32(size);
    ncmds.n++;
  };
  w.u32(facts.is64 ? C.MH_MAGIC_64 : C.MH_MAGIC).u32(facts.cputype).u32(facts.cpusubtype).u32(C.MH_EXECUTE).u32(0).u32(L.sizeofcmds);
  const weakFlags = weakExports ? C.MH_WEAK_DEFINES | C.MH_BINDS_TO_WEAK : 0;
  w.u32(C.MH_NOUNDEFS | C.MH_DYLDLINK | C.MH_TWOLEVEL | weakFlags | (facts.pie ? C.MH_PIE : 0) | (prog.sections.tlv.size > 0 ? C.MH_HAS_TLV_DESCRIPTORS : 0));
  if (facts.is64) w.u32(0);
  for (const sg of segs) {
    cmd(facts.is64 ? C.LC_SEGMENT_64 : C.LC_SEGMENT, segCmdSize(facts, sg.sects.length));
    w.fixedString(sg.name, 16);
    word(sg.vmoff + base);
    word(sg.vmsize);
    word(sg.fileoff);
    word(sg.filesize);
    w.u32(sg.prot).u32(sg.prot).u32(sg.sects.length).u32(sg.flags);
    for (const s of sg.sects) {
      w.fixedString(s.sectname, 16).fixedString(s.segname, 16);
      word(s.vmoff + base);
      word(s.size);
      w.u32(s.fileOff).u32(Math.log2(s.align)).u32(0).u32(0).u32(s.flags).u32(s.reserved1).u32(s.reserved2);
      if (facts.is64) w.u32(0);
    }
  }
  if (opts.fixups === 'chained') {
    cmd(C.LC_DYLD_CHAINED_FIXUPS, 16);
    w.u32(chainedOff).u32(chainedBlob.length);
    cmd(C.LC_DYLD_EXPORTS_TRIE, 16);
    w.u32(exportOff).u32(exportsTrie.length);
  } else {
    cmd(C.LC_DYLD_INFO_ONLY, 48);
    w.u32(rebaseBlob.length ? rebaseOff : 0).u32(rebaseBlob.length);
    w.u32(bindBlob.length ? bindOff : 0).u32(bindBlob.length);
    w.u32(0).u32(0); // weak bind
    w.u32(0).u32(0); // lazy bind: every import is bound at launch
    w.u32(exportOff).u32(exportsTrie.length);
  }
  cmd(C.LC_SYMTAB, 24);
  w.u32(symOff).u32(nsyms).u32(strOff).u32(strBytes.length);
  cmd(C.LC_DYSYMTAB, 80);
  w.u32(0).u32(symtab.nlocal).u32(symtab.nlocal).u32(symtab.nextdef).u32(symtab.nlocal + symtab.nextdef).u32(symtab.nundef);
  w.u32(0).u32(0).u32(0).u32(0).u32(0).u32(0); // toc, modtab, extref
  w.u32(indirect.length ? indOff : 0).u32(indirect.length);
  w.u32(0).u32(0).u32(0).u32(0); // extrel, locrel
  const dylinker = '/usr/lib/dyld';
  cmd(C.LC_LOAD_DYLINKER, strCmdSize(12, dylinker));
  const dlStart = w.length - 8;
  w.u32(12).cstring(dylinker);
  w.zeros(dlStart + strCmdSize(12, dylinker) - w.length);
  cmd(C.LC_UUID, 24);
  const uuidAt = w.length;
  w.zeros(16);
  cmd(C.LC_BUILD_VERSION, 32);
  const sdk = parseMacosVersion(SDK_VERSION, prog.target.arch);
  w.u32(C.PLATFORM_MACOS).u32(L.minos).u32(Math.max('value' in sdk ? sdk.value : 0, L.minos)).u32(1);
  w.u32(C.TOOL_LD).u32(0);
  cmd(C.LC_SOURCE_VERSION, 16);
  w.u64(0);
  cmd(C.LC_MAIN, 24);
  w.u64(entry.addr).u64(0);
  for (const lib of L.libraries) {
    const size = strCmdSize(24, lib);
    const start = w.length;
    cmd(C.LC_LOAD_DYLIB, size);
    // libSystem's current version as ld64 records it (1311.0.0); compatibility 1.0.0.
    w.u32(24).u32(2).u32(lib === libcName('darwin') ? 1311 << 16 : 1 << 16).u32(1 << 16).cstring(lib);
    w.zeros(start + size - w.length);
  }
  for (const p of opts.rpaths) {
    const size = strCmdSize(12, p);
    const start = w.length;
    cmd(C.LC_RPATH, size);
    w.u32(12).cstring(p);
    w.zeros(start + size - w.length);
  }
  cmd(C.LC_FUNCTION_STARTS, 16);
  w.u32(fsOff).u32(funcStarts.length);
  cmd(C.LC_DATA_IN_CODE, 16);
  w.u32(dicOff).u32(0);
  if (opts.codesign) {
    cmd(C.LC_CODE_SIGNATURE, 16);
    w.u32(sigOff).u32(sigSize);
  }
  if (w.length !== headerSize(facts) + L.sizeofcmds) throw new Error(`load commands: wrote ${w.length - headerSize(facts)} bytes, planned ${L.sizeofcmds}`);
  const header = w.finish();
  new DataView(header.buffer).setUint32(16, ncmds.n, true);
  const textStart = sections[0]!.vmoff;
  if (header.length > textStart) throw new Error('load commands overlap __text');

  // The file.
  const file = new Uint8Array(fileSize);
  const dv = new DataView(file.buffer);
  file.set(header, 0);
  for (const s of sections) {
    if (s.out?.data && !isZerofill(s.flags)) file.set(s.out.data, s.fileOff);
  }
  for (const e of prog.extraSections) {
    const s = sections.find((x) => x.segname === '__DWARF' && x.sectname === dwarfSectionName(e.name));
    if (!s || s.size !== e.data.length) throw new Error(`internal: ${e.name} is ${e.data.length} bytes, laid out ${s?.size}`);
    file.set(e.data, s.fileOff);
  }
  if (L.unwind) {
    const { plan, sect } = L.unwind;
    const slotOf = (p: LSym | Import): number => L.gotAddr(p.got);
    file.set(writeUnwindInfo(plan, prog.sections.text.addr, slotOf, (s) => s.addr), sect.fileOff);
  }
  if (L.stubs) {
    prog.plt.forEach((_imp, i) => facts.stub.write(dv, L.stubs!.fileOff + i * facts.stub.size, L.pltAddr(i) + base, L.gotAddr(L.stubSlot[i]!) + base));
  }
  const fileOffOf = (addr: number): number => {
    const seg = segIndexOf(addr);
    return segs[seg]!.fileoff + addr - segs[seg]!.vmoff;
  };
  // The virtual address of an offset from the header, as a pointer. The
  // 64-bit base is 2^32: its low word is 0, so no sum above 2^31 is made
  // (V8 would box each such number in code it has not optimized yet).
  const baseLow = base % 4294967296;
  const baseHigh = Math.floor(base / 4294967296);
  const putAddress = (at: number, off: number): void => {
    const low = off + baseLow;
    if (facts.is64) {
      dv.setUint32(at, low >>> 0, true);
      dv.setUint32(at + 4, baseHigh + Math.floor(low / 4294967296), true);
    } else dv.setUint32(at, low >>> 0, true);
  };
  // Classic fixups: rebased pointers hold their unslid target; bound ones 0 (dyld writes them).
  for (let i = 0; i < rebaseAddr.length; i++) putAddress(fileOffOf(rebaseAddr[i]!), rebaseTarget[i]!);
  // dyld slides the whole word: a tagged pointer keeps its top byte.
  for (const [addr, high] of rebaseHigh) file[fileOffOf(addr) + 7] = high;
  for (const b of binds) {
    const at = fileOffOf(b.addr);
    dv.setUint32(at, 0, true);
    if (facts.is64) dv.setUint32(at + 4, 0, true);
  }
  // Non-PIE: GOT slots of defined symbols hold their final address.
  for (const f of fixedSlots) putAddress(fileOffOf(f.addr), f.target);
  for (let i = 0; i < chainEntries.length; i++) {
    const e = chainEntries[i]!;
    dv.setBigUint64(segs[e.seg]!.fileoff + e.off, e.value, true);
  }
  file.set(rebaseBlob, rebaseOff);
  file.set(bindBlob, bindOff);
  file.set(chainedBlob, chainedOff);
  file.set(exportsTrie, exportOff);
  file.set(funcStarts, fsOff);
  symtab.write(dv, symOff, facts.is64, putAddress);
  indirect.forEach((v, i) => dv.setUint32(indOff + 4 * i, v >>> 0, true));
  file.set(strBytes, strOff);

  // UUID from everything before the signature; then the signature over everything before it.
  const signedEnd = opts.codesign ? sigOff : fileSize;
  file.set(contentUuid(file.subarray(0, signedEnd)), uuidAt);
  if (opts.codesign) {
    const sig = writeCodeSignature(file, sigOff, {
      identifier: opts.identifier,
      execSegBase: textSeg.fileoff,
      execSegLimit: textSeg.filesize,
      mainBinary: true,
    });
    if (sig.length !== sigSize) throw new Error('code signature size changed');
    file.set(sig, sigOff);
  }
  return file;
}

export const machoExecWriter: ExecWriter = {
  layout: layoutMachO,
  write: writeMachO,
};
