// The ELF executable writer for Linux: ET_EXEC at the arch's base address
// (0x400000 on x86-64, as Go's linker does), or with LinkOptions.format.pie a
// position-independent executable (ET_DYN at 0, DF_1_PIE; amd64 and arm64),
// whose pointers in data the loader slides with RELATIVE relocations; read-only
// data holding pointers then moves to .data.rel.ro, in RELRO, since the loader
// writes it.
//
// File and memory layout, one PT_LOAD per permission so no segment is both
// writable and executable:
//
//   R    ELF header, program headers, .interp, .gnu.hash, .dynsym, .dynstr,
//        .gnu.version, .gnu.version_r, .rela.dyn, .rela.plt, .rodata
//   R+X  .plt, .text
//   RW   .tdata, .dynamic, .got, .got.plt, .tbss      ← PT_GNU_RELRO (to the page end)
//   RW   .data, .bss    (.bss alone: no PT_LOAD of its own, it continues the
//                        RELRO segment's memory from the next page)
//   (not loaded) .symtab, .strtab, .shstrtab, section headers
//
// Segments are not padded to page boundaries in the file: each one starts on a
// fresh page in memory at an address congruent to its file offset modulo the
// page size, which is all the loader needs and keeps small programs small.
// The RELRO segment (and its GNU_RELRO) extends to the end of its last page,
// because the loader rounds the end of RELRO down, and the data segment starts
// on the next page. Everything the loader writes before the program runs (.dynamic's
// DT_DEBUG, .got's GLOB_DAT slots, .got.plt's JUMP_SLOTs, resolved eagerly
// since the executable asks for BIND_NOW) is in RELRO.
//
// A program that names no library is static: no PT_INTERP, no PT_DYNAMIC, no
// dynamic sections. The TLS block (PT_TLS) is .tdata when some TLS symbol has
// initial contents, else .tbss.
//
// With LinkOptions.format.buildId, a .note.gnu.build-id (PT_NOTE) holds 20
// bytes that name the file's contents (what debuginfod, eu-unstrip and the
// distributions' debug-symbol packages look executables up by): SHA-256's
// first 20 bytes over the whole file with those bytes zero, so the same
// inputs give the same ID, and the same bytes.
//
// Symbol versions (`remote#VERSION` imports): .gnu.version and .gnu.version_r
// are written only when some dynamic symbol has a version, so unversioned
// programs stay as they were. Without them the loader binds a reference to
// the library's oldest version of the symbol (on i386 glibc,
// pthread_create@GLIBC_2.0); with them, unversioned imports get index 1
// (global), which the loader treats exactly as before.

import { DiagnosticError, DiagnosticSink, plainError } from '../../diag.js';
import { shownName, type ExecWriter, type GotEntry, type Import, type Layout, type LSym, type OutSection, type Program } from '../../link/program.js';
import { scanAbsoluteAddresses } from '../../link/absolute-addresses.js';
import { linkerObjectIndex } from '../../link/init-arrays.js';
import { EH_FRAME_HDR_ENTRY, EH_FRAME_HDR_HEAD, ehFrameHdr, programFrames, relocatedFrames, type ProgramFrames } from '../../link/eh-frame.js';
import type { ElfExecArch } from '../../link/arch.js';
import { cLibraryLast, interpreter, pageSize } from '../../target.js';
import * as C from './consts.js';
import { ByteWriter, StrTab, SYM_WORDS, alignUp, symWords, wordBytes, writeEhdr, writePhdr, writeReloc, writeShdr, writeSym, type Phdr } from './bytes.js';
import { HOST_LITTLE_ENDIAN, setU64 } from '../../obj/bytes.js';
import { sha256 } from '../sha256.js';

/** The build ID note: namesz, descsz, type, "GNU\0", then the 20-byte ID. */
const BUILD_ID_SIZE = 20;
const BUILD_ID_NOTE_SIZE = 16 + BUILD_ID_SIZE;

interface Chunk {
  name: string;
  type: number;
  flags: number;
  align: number;
  size: number;
  addr: number;
  offset: number;
  link: string;
  info: number | string;
  entsize: number;
  data: Uint8Array | null;
  /** Takes no addresses of its segment (the zero-filled tail of the TLS block after .tdata). */
  overlaid?: boolean;
}

interface Seg {
  flags: number;
  chunks: Chunk[];
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
}

interface ElfLayout extends Layout {
  ea: ElfExecArch;
  chunks: Map<string, Chunk>;
  order: Chunk[];
  segs: { r: Seg; rx: Seg; relro: Seg | null; data: Seg | null };
  /** Where PT_GNU_RELRO ends (a page boundary); the RELRO segment may hold .bss beyond it. */
  relroEnd: number;
  phnum: number;
  /** A dynamic section: a loader's program, or a static PIE that relocates itself. */
  dynamic: boolean;
  /** Loaded by the program interpreter (PT_INTERP), with the libraries it names. */
  interpreted: boolean;
  /** DT_NEEDED, in the loader's search order (target.ts cLibraryLast). */
  needed: string[];
  dynstr: StrTab;
  /** A position-independent executable: its lowest address is 0 (else the arch's base). */
  pie: boolean;
  /** The absolute addresses the loader slides (PIE). */
  relative: RelativeReloc[];
  /** Where read-only data goes: .rodata, or .data.rel.ro when the loader slides pointers in it. */
  rodataName: string;
  /** The frame descriptions of .eh_frame, found before layout (link/eh-frame.ts), or null without one. */
  frames: ProgramFrames | null;
  /** DT_RUNPATH's string, when asked for. */
  rpath: string | undefined;
  /** The dynamic symbols the executable does not define (after the null symbol). */
  dynsyms: Import[];
  /** Then the defined ones, which .gnu.hash hashes, in its buckets' order, and their GNU hashes. */
  defined: DefinedDynsym[];
  hashes: number[];
  /** .gnu.hash's bucket and bloom word counts. */
  nbuckets: number;
  maskWords: number;
  versions: VersionPlan | null;
  hdrSize: number;
  /** The end of the loaded sections' bytes in the file, where .symtab goes (aligned). */
  loadedEnd: number;
  /** Entries of .symtab: the null symbol and every live symbol with a section. */
  nsyms: number;
  /**
   * The output file, allocated at layout so that section contents are filled
   * into it (Layout.sectionBuffer) and relocated there: as long as the file
   * can be, since .strtab and .shstrtab share repeated names (write() returns
   * the part it used).
   */
  file: Uint8Array;
}

/**
 * A dynamic symbol the executable defines: an import it holds a copy of or
 * whose PLT entry is its address, a library's other name for a copy
 * (CopyEntry.aliases, with the copy's index), or one of its own symbols
 * that it exports (LinkOptions.format.exportDynamic).
 */
interface DefinedDynsym {
  name: string;
  imp?: Import;
  alias?: number;
  sym?: LSym & { section: OutSection };
}

/** The GNU hash of a symbol name (ELF GNU_HASH: h = h * 33 + c from 5381, 32 bits). */
const utf8 = new TextEncoder();

function gnuHash(name: string): number {
  let h = 5381;
  for (const b of utf8.encode(name)) h = (h * 33 + b) >>> 0;
  return h;
}

/** The versions the dynamic symbols need: per library, its version names with their indices. */
interface VersionPlan {
  needs: { library: string; versions: { name: string; index: number }[] }[];
  /** Per dynsym entry (0 included): its version index. */
  versym: Uint16Array;
  naux: number;
}

/** `dynsyms`: the import of each dynamic symbol after the null one, in order (null: the executable's own, unversioned). */
function planVersions(libraries: readonly string[], dynsyms: readonly (Import | null)[]): VersionPlan | null {
  if (!dynsyms.some((i) => i?.version !== undefined)) return null;
  const byLib = new Map<string, Map<string, number>>();
  for (const l of libraries) byLib.set(l, new Map());
  const versym = new Uint16Array(dynsyms.length + 1).fill(C.VER_NDX_GLOBAL);
  versym[0] = C.VER_NDX_LOCAL;
  // Indices in library order, then first use: deterministic output.
  const pending = dynsyms.filter((i): i is Import => i?.version !== undefined);
  let next = 2;
  for (const l of libraries)
    for (const imp of pending)
      if (imp.library === l) {
        const vs = byLib.get(l)!;
        if (!vs.has(imp.version!)) vs.set(imp.version!, next++);
      }
  dynsyms.forEach((imp, i) => (versym[i + 1] = imp?.version === undefined ? C.VER_NDX_GLOBAL : byLib.get(imp.library)!.get(imp.version)!));
  const needs = [...byLib]
    .filter(([, vs]) => vs.size > 0)
    .map(([library, vs]) => ({ library, versions: [...vs].map(([name, index]) => ({ name, index })) }));
  return { needs, versym, naux: next - 2 };
}

function elfHash(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) {
    h = ((h << 4) + (name.charCodeAt(i) & 0xff)) >>> 0;
    const g = h & 0xf0000000;
    if (g) h ^= g >>> 24;
    h &= ~g >>> 0;
    h >>>= 0;
  }
  return h;
}

/** An absolute address in a position-independent executable, which the loader stores as its load address plus the target's. */
interface RelativeReloc {
  place: LSym;
  off: number;
  target: LSym | Import;
  /** An import's address taken as its PLT entry's. */
  viaPlt: boolean;
  add: number;
}

/** A position-independent executable's absolute addresses (link/absolute-addresses.ts), each a RELATIVE relocation. */
function relativeRelocs(prog: Program, ptr: number): RelativeReloc[] {
  const out: RelativeReloc[] = [];
  const diag = new DiagnosticSink();
  scanAbsoluteAddresses(
    prog,
    ptr,
    (place, off, target, viaPlt, add) => out.push({ place, off, target, viaPlt, add }),
    (why, pos, where, name, size, compiled) => {
      const fix = compiled ? 'compile it with -fPIE or -fPIC' : `take the address pc-relatively: LEAQ ${name}(SB), or MOVD $${name}(SB) on arm64`;
      if (why === 'code') diag.error(pos, `${where}: absolute address of ${name} in code, which a position-independent executable cannot relocate (${fix})`);
      else diag.error(pos, `${where}: a ${size}-byte absolute address of ${name} cannot be relocated in a position-independent executable (pointers are ${ptr} bytes)`);
    },
  );
  diag.check();
  return out;
}

function layout(prog: Program): Layout {
  const ea = prog.hooks.elf;
  if (!ea) throw new Error(`internal: no ELF facts for ${prog.target.arch}`);
  const cls = ea.cls;
  const ptr = cls / 8;
  const page = pageSize(prog.target);
  const interpreted = prog.libraries.length > 0;
  const secs = prog.sections;
  const pie = prog.opts.format?.['pie'] === true;
  if (pie && ea.rRelative === undefined) throw plainError(`position-independent executables are made for amd64 and arm64: ${prog.target.arch} code reaches data by absolute address, which would need text relocations`);
  // A static PIE: no loader and no libraries, but a dynamic section all the
  // same, from which the C library's start-up (rcrt1.o's) relocates the
  // program (glibc's _dl_relocate_static_pie finds it through _DYNAMIC).
  const dynamic = interpreted || (pie && prog.opts.staticLibc === true);
  if (pie && !dynamic) throw plainError('a position-independent executable needs the dynamic loader to relocate it, or the C library linked in (--static), and this program imports nothing (it is static)');
  const base = pie ? 0 : ea.base;
  const relative = pie ? relativeRelocs(prog, ptr) : [];
  // Read-only data that holds pointers the loader writes (a PIE's own
  // addresses, or a library's: -fno-pic C++'s vtable pointers, personality
  // routines in .eh_frame) goes to RELRO, as GNU ld's .data.rel.ro.
  const loaderWrites = new Set<string | undefined>();
  for (const x of relative) loaderWrites.add(x.place.section?.kind);
  for (const d of prog.dynRelocs) loaderWrites.add(d.sym.section?.kind);
  const rodataName = loaderWrites.has('rodata') ? '.data.rel.ro' : '.rodata';
  const ehFrameInRelro = loaderWrites.has('eh_frame');

  // Dynamic symbols: every import some relocation reaches; those the
  // executable holds a copy of, or whose PLT entry is the function's
  // address, are defined here, and come last, where .gnu.hash hashes them
  // (its symoffset).
  const inDyn = new Set(prog.dynRelocs.map((d) => d.imp));
  const reachedAll = prog.imports.filter((i) => i.plt >= 0 || i.got >= 0 || inDyn.has(i) || i.copy >= 0);
  // The program's indirect functions (Import.ifunc) are no library's: their
  // slots get R_*_IRELATIVE, without a dynamic symbol; only a loader applies them.
  const ifunc = reachedAll.find((i) => i.ifunc !== undefined);
  // In a static executable glibc's start-up applies them itself (between __rela_iplt_start and __rela_iplt_end: image-symbols.ts).
  const libcAppliesIrel = prog.opts.staticLibc === true && prog.opts.libc !== 'musl';
  if (ifunc && !dynamic && !libcAppliesIrel) throw new DiagnosticError([{ file: ifunc.file, line: ifunc.line, col: 0, message: `${ifunc.local} is an indirect function, whose resolver the dynamic loader calls, and this program imports nothing from a library (a static executable, which no loader relocates): import a C library function, or link glibc statically (--static)` }]);
  if (ifunc && prog.opts.libc === 'musl') throw new DiagnosticError([{ file: ifunc.file, line: ifunc.line, col: 0, message: `${ifunc.local} is an indirect function, which musl's loader does not call resolvers for (R_*_IRELATIVE): link for glibc` }]);
  const reached = reachedAll.filter((i) => i.ifunc === undefined);
  // Defined in the executable, so hashed and last: the copies and the
  // functions whose PLT entry is their canonical address (Import.canonicalPlt).
  const isDefined = (i: Import) => i.copy >= 0 || i.canonicalPlt === true;
  const dynsyms = reached.filter((i) => !isDefined(i));
  // The copies' places in .dynbss (an import's data, which the loader copies there: R_*_COPY).
  const copyOff: number[] = [];
  let dynbssSize = 0;
  let dynbssAlign = 1;
  for (const c of prog.copies) {
    const align = Math.min(ptr, 1 << Math.floor(Math.log2(Math.max(1, c.size))));
    dynbssSize = alignUp(dynbssSize, align);
    copyOff.push(dynbssSize);
    dynbssSize += c.size;
    dynbssAlign = Math.max(dynbssAlign, align);
  }
  if (!dynamic && reached.length) throw new Error('internal: imports without libraries');
  // The defined dynamic symbols, last in .dynsym, which .gnu.hash hashes:
  // each import held as a copy (several may share one) or at its PLT entry,
  // the copies' other names, then what the program exports.
  const defined: DefinedDynsym[] = [
    ...reached.filter(isDefined).map((imp) => ({ name: imp.remote, imp })),
    ...prog.copies.flatMap((c) => c.aliases.map((name) => ({ name, alias: c.imp.copy }))),
    ...(dynamic ? exportedSymbols(prog).map((sym) => ({ name: sym.name, sym })) : []),
  ];
  // One bucket and one bloom word while there are only a few (copies); for
  // exports about four symbols a bucket and 12 bloom bits a symbol, as lld
  // sizes them. A bucket's symbols are consecutive.
  let hashes = defined.map((d) => gnuHash(d.name));
  const many = defined.some((d) => d.sym !== undefined);
  const nbuckets = many ? Math.max(1, Math.floor(defined.length / 4)) : 1;
  const maskWords = many ? nextPowerOfTwo(Math.ceil((defined.length * 12) / cls)) : 1;
  if (nbuckets > 1) {
    const order = defined.map((_, k) => k).sort((a, b) => (hashes[a]! % nbuckets) - (hashes[b]! % nbuckets) || a - b);
    defined.splice(0, defined.length, ...order.map((k) => defined[k]!));
    hashes = order.map((k) => hashes[k]!);
  }
  dynsyms.forEach((imp, i) => (imp.dynIndex = i + 1));
  defined.forEach((d, k) => {
    if (d.imp) d.imp.dynIndex = dynsyms.length + 1 + k;
  });
  const nDynsym = dynsyms.length + defined.length + 1;
  const needed = cLibraryLast(prog.libraries);
  const dynstr = new StrTab();
  for (const l of needed) dynstr.add(l);
  // LinkOptions.format.rpath: DT_RUNPATH, where the loader looks for the libraries (after LD_LIBRARY_PATH).
  const rpathOpt = prog.opts.format?.['rpath'];
  const rpath = interpreted && typeof rpathOpt === 'string' && rpathOpt !== '' ? rpathOpt : undefined;
  if (rpath !== undefined) dynstr.add(rpath);
  for (const imp of dynsyms) dynstr.add(imp.remote);
  for (const d of defined) dynstr.add(d.name);
  const versions = dynamic ? planVersions(needed, [...dynsyms, ...defined.map((d) => d.imp ?? null)]) : null;
  for (const n of versions?.needs ?? []) for (const v of n.versions) dynstr.add(v.name);
  const nGotImports = prog.got.filter((g) => 'imp' in g).length;
  // A PIE's GOT slots of its own symbols hold absolute addresses too (a weak reference to nothing holds 0, not slid).
  const nLocalGot = pie ? prog.got.filter(slidGotSlot).length : 0;
  const nRelaDyn = relative.length + nLocalGot + nGotImports + prog.dynRelocs.length + prog.copies.length;
  const nplt = prog.plt.length;
  const relEnt = ea.rela ? C.RELA_SIZE[cls] : C.REL_SIZE[cls];
  // DT_NEEDED per library, RUNPATH; GNU_HASH, STRTAB, SYMTAB, STRSZ, SYMENT, DEBUG; the
  // PLT's four, .rela.dyn's three, the versions' three, two per array; FLAGS, FLAGS_1; NULL.
  const nArrays = ARRAYS.filter((a) => secs[a.kind].size).length;
  const nDynEntries = dynamic ? needed.length + (rpath !== undefined ? 1 : 0) + 6 + (nplt ? 4 : 0) + (nRelaDyn ? 3 : 0) + (versions ? 3 : 0) + 2 * nArrays + 2 + 1 : 0;

  const chunks = new Map<string, Chunk>();
  const order: Chunk[] = [];
  const mk = (name: string, type: number, flags: number, align: number, size: number, extra: Partial<Chunk> = {}): Chunk => {
    const c: Chunk = { name, type, flags, align, size, addr: 0, offset: 0, link: '', info: 0, entsize: 0, data: null, ...extra };
    chunks.set(name, c);
    return c;
  };
  const A = C.SHF_ALLOC;
  const buildId = prog.opts.format?.['buildId'] === true;
  // LinkOptions.format.interp names another program interpreter; by default, the C library's loader.
  const chosen = prog.opts.format?.['interp'];
  const interp = new TextEncoder().encode((typeof chosen === 'string' && chosen !== '' ? chosen : interpreter(prog.target, prog.opts.libc)) + '\0');
  const r: Chunk[] = [];
  const rx: Chunk[] = [];
  const relro: Chunk[] = [];
  const data: Chunk[] = [];
  if (interpreted) r.push(mk('.interp', C.SHT_PROGBITS, A, 1, interp.length, { data: interp }));
  if (buildId) r.push(mk('.note.gnu.build-id', C.SHT_NOTE, A, 4, BUILD_ID_NOTE_SIZE));
  // A static executable's R_*_IRELATIVE relocations, all in one table that the C library walks (no loader,
  // no dynamic symbols: its symbol table is .symtab's, as GNU ld links it, for tools).
  const nIrel = dynamic ? 0 : nplt + prog.got.filter((g) => 'imp' in g && g.imp.ifunc !== undefined).length + prog.dynRelocs.filter((d) => d.imp.ifunc !== undefined).length;
  if (nIrel) r.push(mk(ea.rela ? '.rela.plt' : '.rel.plt', ea.rela ? C.SHT_RELA : C.SHT_REL, A | (nplt ? C.SHF_INFO_LINK : 0), ptr, relEnt * nIrel, { link: '.symtab', ...(nplt ? { info: '.got.plt' } : {}), entsize: relEnt }));
  if (dynamic) {
    // GNU hash (what GNU ld writes by default) rather than SysV .hash: an
    // executable defines few of its dynamic symbols, if any, so the table is
    // a header, one bloom word and one bucket — 24 or 28 bytes, not 8 per
    // symbol — unless it exports its own.
    // Its words are 4 bytes in ELF32; ELF64's bloom words are 8 and its
    // buckets 4, so no one size (0), as GNU ld writes them.
    // One chain word per hashed (defined) symbol.
    r.push(mk('.gnu.hash', C.SHT_GNU_HASH, A, ptr, 16 + ptr * maskWords + 4 * nbuckets + 4 * defined.length, { link: '.dynsym', entsize: ptr === 4 ? 4 : 0 }));
    r.push(mk('.dynsym', C.SHT_DYNSYM, A, ptr, C.SYM_SIZE[cls] * nDynsym, { link: '.dynstr', info: 1, entsize: C.SYM_SIZE[cls] }));
    r.push(mk('.dynstr', C.SHT_STRTAB, A, 1, dynstr.size));
    if (versions) {
      r.push(mk('.gnu.version', C.SHT_GNU_VERSYM, A, 2, 2 * nDynsym, { link: '.dynsym', entsize: 2 }));
      const size = versions.needs.length * C.VERNEED_SIZE + versions.naux * C.VERNAUX_SIZE;
      // sh_info: the number of Verneed records.
      r.push(mk('.gnu.version_r', C.SHT_GNU_VERNEED, A, 4, size, { link: '.dynstr', info: versions.needs.length }));
    }
    if (nRelaDyn) r.push(mk(ea.rela ? '.rela.dyn' : '.rel.dyn', ea.rela ? C.SHT_RELA : C.SHT_REL, A, ptr, relEnt * nRelaDyn, { link: '.dynsym', entsize: relEnt }));
    if (nplt)
      r.push(mk(ea.rela ? '.rela.plt' : '.rel.plt', ea.rela ? C.SHT_RELA : C.SHT_REL, A | C.SHF_INFO_LINK, ptr, relEnt * nplt, { link: '.dynsym', info: '.got.plt', entsize: relEnt }));
  }
  if (secs.rodata.size && rodataName === '.rodata') r.push(mk('.rodata', C.SHT_PROGBITS, A, secs.rodata.align, secs.rodata.size));
  // Compiled code's call frames (link/eh-frame.ts), pc-relative throughout,
  // with the search table the unwinder looks in and the zero length that
  // ends the records (crtend.o's, in a program cc links).
  const ehFrame = secs.eh_frame.size > 0;
  const frames = ehFrame ? programFrames(prog) : null;
  if (frames) r.push(mk('.eh_frame_hdr', C.SHT_PROGBITS, A, 4, EH_FRAME_HDR_HEAD + EH_FRAME_HDR_ENTRY * frames.kept.length));

  if (nplt) rx.push(mk('.plt', C.SHT_PROGBITS, A | C.SHF_EXECINSTR, ea.pltEntrySize, ea.pltHeaderSize + nplt * ea.pltEntrySize));
  if (secs.text.size) rx.push(mk('.text', C.SHT_PROGBITS, A | C.SHF_EXECINSTR, secs.text.align, secs.text.size));
  const tlsData = secs.tls.fileSize > 0;
  const tlsBss = secs.tls.size > 0 && !tlsData;
  const W = C.SHF_WRITE;
  if (tlsData) {
    relro.push(mk('.tdata', C.SHT_PROGBITS, A | W | C.SHF_TLS, secs.tls.align, secs.tls.fileSize));
    // The zero-filled rest of the TLS block: in PT_TLS's memory size only,
    // at the addresses that follow (as GNU ld's .tbss, it takes none of the
    // segment's: the loader copies the template into each thread's block).
    if (secs.tls.size > secs.tls.fileSize) relro.push(mk('.tbss', C.SHT_NOBITS, A | W | C.SHF_TLS, 1, secs.tls.size - secs.tls.fileSize, { overlaid: true }));
  }
  if (secs.rodata.size && rodataName !== '.rodata') relro.push(mk(rodataName, C.SHT_PROGBITS, A | W, secs.rodata.align, secs.rodata.size));
  if (ehFrame) (ehFrameInRelro ? relro : r).push(mk('.eh_frame', C.SHT_PROGBITS, ehFrameInRelro ? A | C.SHF_WRITE : A, secs.eh_frame.align, secs.eh_frame.size + 4));
  // Static constructors and destructors (link/init-arrays.ts): read-only once the loader has relocated them, as GNU ld places them.
  for (const a of ARRAYS) if (secs[a.kind].size) relro.push(mk(a.name, a.type, A | W, secs[a.kind].align, secs[a.kind].size, { entsize: ptr }));
  if (dynamic) relro.push(mk('.dynamic', C.SHT_DYNAMIC, A | W, ptr, nDynEntries * C.DYN_SIZE[cls], { link: '.dynstr', entsize: C.DYN_SIZE[cls] }));
  if (prog.got.length) relro.push(mk('.got', C.SHT_PROGBITS, A | W, ptr, prog.got.length * ptr, { entsize: ptr }));
  if (nplt) relro.push(mk('.got.plt', C.SHT_PROGBITS, A | W, ptr, (3 + nplt) * ptr, { entsize: ptr }));
  if (tlsBss) relro.push(mk('.tbss', C.SHT_NOBITS, A | W | C.SHF_TLS, secs.tls.align, secs.tls.size));
  if (secs.data.size) data.push(mk('.data', C.SHT_PROGBITS, A | W, secs.data.align, secs.data.size));
  if (secs.bss.size) data.push(mk('.bss', C.SHT_NOBITS, A | W, secs.bss.align, secs.bss.size));
  if (dynbssSize) data.push(mk('.dynbss', C.SHT_NOBITS, A | W, dynbssAlign, dynbssSize));

  const hasTls = secs.tls.size > 0;
  const hasRelro = relro.length > 0;
  const hasData = data.length > 0;
  const dataInRelroSeg = hasRelro && hasData && data.every((c) => c.type === C.SHT_NOBITS);
  const phnum = (interpreted ? 2 : 0) + 2 + (hasRelro ? 1 : 0) + (hasData && !dataInRelroSeg ? 1 : 0) + (dynamic ? 1 : 0) + (buildId ? 1 : 0) + (hasTls ? 1 : 0) + 1 + (dynamic && hasRelro ? 1 : 0) + (ehFrame ? 1 : 0);
  const hdrSize = C.EHDR_SIZE[cls] + phnum * C.PHDR_SIZE[cls];

  // Place the segments: addresses congruent to file offsets modulo the page size.
  let off = hdrSize;
  let addr = base + off;
  const placeChunks = (list: Chunk[]) => {
    for (const c of list) {
      const pad = (c.align - (addr % c.align)) % c.align;
      addr += pad;
      c.addr = addr;
      if (c.type === C.SHT_NOBITS) {
        c.offset = off;
      } else {
        off += pad;
        c.offset = off;
        off += c.size;
      }
      if (!c.overlaid) addr += c.size;
      order.push(c);
    }
  };
  const placeSeg = (flags: number, list: Chunk[], first: boolean): Seg => {
    if (!first) {
      // Align the file offset to the first section first, so that the segment
      // start is congruent to its offset even when that section is NOBITS.
      if (list.length) off = alignUp(off, list[0].align);
      addr = alignUp(addr, page) + (off % page);
    }
    const seg: Seg = { flags, chunks: list, offset: first ? 0 : off, vaddr: first ? base : addr, filesz: 0, memsz: 0 };
    placeChunks(list);
    if (list.length && !first) {
      seg.offset = list[0].offset;
      seg.vaddr = list[0].addr;
    }
    seg.filesz = off - seg.offset;
    seg.memsz = addr - seg.vaddr;
    return seg;
  };
  const segR = placeSeg(C.PF_R, r, true);
  const segRX = placeSeg(C.PF_R | C.PF_X, rx, false);
  const segRelro = hasRelro ? placeSeg(C.PF_R | C.PF_W, relro, false) : null;
  let relroEnd = 0;
  let segData: Seg | null = null;
  if (segRelro) {
    // The loader write-protects RELRO in whole pages, rounding the end down:
    // extend the segment (zero-filled, no file bytes) to its last page's end
    // so that every byte of it is covered, and mapped, whatever the kernel's
    // page size up to the one we align to.
    addr = alignUp(addr, page);
    relroEnd = addr;
    if (dynamic) segRelro.memsz = addr - segRelro.vaddr;
  }
  if (dataInRelroSeg) {
    // .bss alone has no file bytes: it continues the RELRO segment's memory,
    // zero-filled, from the page after RELRO, without a PT_LOAD of its own.
    placeChunks(data);
    segRelro!.memsz = addr - segRelro!.vaddr;
  } else if (hasData) {
    segData = placeSeg(C.PF_R | C.PF_W, data, false);
  }

  secs.text.addr = chunks.get('.text')?.addr ?? 0;
  secs.rodata.addr = chunks.get(rodataName)?.addr ?? 0;
  secs.data.addr = chunks.get('.data')?.addr ?? 0;
  secs.bss.addr = chunks.get('.bss')?.addr ?? 0;
  secs.tls.addr = (chunks.get('.tdata') ?? chunks.get('.tbss'))?.addr ?? 0;
  for (const a of ARRAYS) secs[a.kind].addr = chunks.get(a.name)?.addr ?? 0;
  secs.eh_frame.addr = chunks.get('.eh_frame')?.addr ?? 0;

  const pltAddr = chunks.get('.plt')?.addr ?? 0;
  const gotAddr = chunks.get('.got')?.addr ?? 0;
  const tls = secs.tls;
  // The largest the non-loaded tail can be (see write()): .symtab, .strtab
  // without shared names, the core's extra sections (DWARF), .shstrtab, the
  // section headers, and alignment. A stripped executable (LinkOptions.strip) has no symbols to count.
  let nsyms = 1;
  let strBytes = 1;
  const syms = prog.opts.strip === true ? [] : prog.syms;
  const { listed, fileLocal } = symtabRules(prog);
  for (let i = 0; i < syms.length; i++) {
    const s = syms[i];
    if (!listed(s)) continue;
    nsyms++;
    // As write() adds them: a file-local name as its string's UTF-8 (which
    // differs from the input's bytes where those are not UTF-8), a global
    // one as the input's bytes when it has them.
    const keys = fileLocal(s) ? null : s.nameKeys;
    strBytes += (keys !== null ? keyLength(keys, s.nameKeyOffset) : utf8Length(s.name)) + 1;
  }
  let shstrBytes = 1;
  for (const c of order) shstrBytes += c.name.length + 1;
  for (const n of TAIL_SECTIONS) shstrBytes += n.length + 1;
  let extraBytes = 0;
  for (const e of prog.extraSections) {
    shstrBytes += e.name.length + 1;
    extraBytes += e.data.length;
  }
  const loadedEnd = order.reduce((m, c) => (c.type === C.SHT_NOBITS ? m : Math.max(m, c.offset + c.size)), hdrSize);
  const nshdr = 1 + order.length + TAIL_SECTIONS.length + prog.extraSections.length;
  const fileBound = loadedEnd + ptr + nsyms * C.SYM_SIZE[cls] + strBytes + extraBytes + shstrBytes + ptr + nshdr * C.SHDR_SIZE[cls];
  const file = new Uint8Array(fileBound);
  const contentsChunk: Record<string, string> = { text: '.text', rodata: rodataName, data: '.data', tls: '.tdata', eh_frame: '.eh_frame', ...ARRAY_NAMES };
  const gotBase = (prog.target.arch === 'arm64' ? chunks.get('.got')?.addr ?? chunks.get('.got.plt')?.addr : chunks.get('.got.plt')?.addr ?? chunks.get('.got')?.addr) ?? base;
  const L: ElfLayout = {
    // The section's contents, where they go in the file (.eh_frame's chunk holds its terminator too).
    sectionBuffer: (kind) => {
      const c = chunks.get(contentsChunk[kind] ?? '');
      return c ? file.subarray(c.offset, c.offset + secs[kind].fileSize) : null;
    },
    bias: 0,
    pltAddr: (i) => pltAddr + ea.pltHeaderSize + i * ea.pltEntrySize,
    gotAddr: (i) => gotAddr + i * ptr,
    copyAddr: (i) => chunks.get('.dynbss')!.addr + copyOff[i]!,
    // _GLOBAL_OFFSET_TABLE_ (i386 psABI: .got.plt's start). A program without
    // a PLT has none: any address serves, as position-independent code only
    // counts from it (R_GOTPC puts it in a register, R_GOTOFF and R_GOT count from it).
    // arm64's is .got's start (-fpic reaches slots there from its page, R_ARM64_GOTPAGE_LO15).
    gotBase,
    imageSymbol: (name) => {
      if (name === '__ehdr_start') return base;
      if (name === '_GLOBAL_OFFSET_TABLE_') return gotBase;
      if (name === '_DYNAMIC') return chunks.get('.dynamic')?.addr ?? 0;
      const loaded = [segR, segRX, segRelro, segData].filter((g): g is Seg => g !== null);
      // The end of the code, of the file's data (where .bss starts), of the image.
      if (name === 'etext' || name === '_etext' || name === '__etext') return segRX.vaddr + segRX.filesz;
      const last = loaded[loaded.length - 1]!;
      if (name === 'edata' || name === '_edata' || name === '__bss_start') return last.vaddr + last.filesz;
      if (name === 'end' || name === '_end') return Math.max(...loaded.map((g) => g.vaddr + g.memsz));
      // A static executable's own R_*_IRELATIVE table (empty elsewhere, where the loader applies them).
      const irel = nIrel ? chunks.get(ea.rela ? '.rela.plt' : '.rel.plt') : undefined;
      if (/^__rela?_iplt_start$/.test(name)) return irel?.addr ?? 0;
      if (/^__rela?_iplt_end$/.test(name)) return irel ? irel.addr + irel.size : 0;
      return undefined;
    },
    tlsOffset: (s: LSym) => ea.tlsOffset(s.addr - tls.addr, tls.size, Math.max(1, tls.align)),
    ea,
    chunks,
    order,
    segs: { r: segR, rx: segRX, relro: segRelro, data: segData },
    relroEnd,
    phnum,
    dynamic,
    interpreted,
    needed,
    dynstr,
    pie,
    relative,
    rodataName,
    frames,
    rpath,
    dynsyms,
    defined,
    hashes,
    nbuckets,
    maskWords,
    versions,
    hdrSize,
    loadedEnd,
    nsyms,
    file,
  };
  return L;
}

/**
 * Which live symbols .symtab lists — not the linker's own (bounds, which name
 * places), nor the pieces of .eh_frame — and which of them as file-local: the
 * file-local ones, and definitions another took the place of
 * (Program.shadowed), so that each global name has one entry.
 */
function symtabRules(prog: Program): { listed: (s: LSym) => s is LSym & { section: OutSection }; fileLocal: (s: LSym) => boolean } {
  const linkers = linkerObjectIndex(prog);
  // Most programs have none: a Set lookup per symbol of a large one is spared.
  const shadowed = prog.shadowed?.size ? prog.shadowed : null;
  return {
    // Nor the stand-ins for weak references to nothing (link/weak-undefined.ts).
    listed: (s): s is LSym & { section: OutSection } => !!s.section && s.obj !== linkers && s.section.kind !== 'eh_frame' && s.flags.undefinedWeak !== true,
    fileLocal: (s) => s.local || (shadowed !== null && shadowed.has(s)),
  };
}

/**
 * What a symbol table entry of a live symbol says of its place: its value (a
 * thread-local's offset in the TLS block), its type and its section's index,
 * in one object reused for every symbol (.symtab makes no object per symbol
 * of a large program).
 */
function symbolPlaces(L: ElfLayout, prog: Program): (s: LSym & { section: OutSection }) => { value: number; type: number; shndx: number } {
  const index = (name: string) => L.order.findIndex((c) => c.name === name) + 1 || C.SHN_ABS;
  const tdata = L.chunks.has('.tdata');
  const secName: Record<string, string> = { text: '.text', rodata: L.rodataName, data: '.data', bss: '.bss', tls: tdata ? '.tdata' : '.tbss', ...ARRAY_NAMES };
  const shndxOf: Record<string, number> = {};
  for (const k of Object.keys(secName)) shndxOf[k] = index(secName[k]!);
  // Thread-locals past .tdata's contents are in the .tbss that follows it.
  const tlsTail = tdata && L.chunks.has('.tbss') ? index('.tbss') : -1;
  const tls = prog.sections.tls;
  const place = { value: 0, type: 0, shndx: 0 };
  return (s) => {
    const k = s.section.kind;
    place.value = k === 'tls' ? s.addr - tls.addr : s.addr;
    place.type = k === 'text' ? (s.flags.ifunc ? C.STT_GNU_IFUNC : C.STT_FUNC) : k === 'tls' ? C.STT_TLS : C.STT_OBJECT;
    place.shndx = tlsTail >= 0 && k === 'tls' && s.off >= tls.fileSize ? tlsTail : shndxOf[k]!;
    return place;
  };
}

/**
 * The program's symbols an executable exports (LinkOptions.format.exportDynamic,
 * GNU ld's --export-dynamic), for the libraries it loads to bind to: the
 * global ones .symtab lists, but hidden ones.
 */
function exportedSymbols(prog: Program): (LSym & { section: OutSection })[] {
  if (prog.opts.format?.['exportDynamic'] !== true) return [];
  const { listed, fileLocal } = symtabRules(prog);
  return prog.syms.filter((s): s is LSym & { section: OutSection } => listed(s) && !fileLocal(s) && !s.flags.hidden);
}

/** Whether a PIE's GOT slot holds an address of its own image, which the loader slides: its own symbols' but weak references' to nothing (0). */
function slidGotSlot(g: GotEntry): g is { sym: LSym } {
  return 'sym' in g && g.sym.flags.undefinedWeak !== true;
}

/**
 * A symbol's size in the symbol tables: the size it has (another
 * assembler's function without the padding its piece runs on with, as the
 * object gave it), or its contents' length when it has none.
 */
function tableSize(s: LSym): number {
  return s.size > 0 ? s.size : s.dataLen;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Appends `data` to the file, unless it was built in place there (contents filled through sectionBuffer, .symtab, .strtab). */
function put(out: ByteWriter, data: Uint8Array): void {
  if (data.buffer === out.buf.buffer && data.byteOffset === out.buf.byteOffset + out.len) out.reserve(data.length);
  else out.bytes(data);
}

/** The sections after the loaded ones, in file order. */
const TAIL_SECTIONS = ['.symtab', '.strtab', '.shstrtab'] as const;

/** The static constructor and destructor arrays, in address order, with their dynamic tags. */
const ARRAYS = [
  { kind: 'preinit_array', name: '.preinit_array', type: C.SHT_PREINIT_ARRAY, tag: C.DT_PREINIT_ARRAY, sizeTag: C.DT_PREINIT_ARRAYSZ },
  { kind: 'init_array', name: '.init_array', type: C.SHT_INIT_ARRAY, tag: C.DT_INIT_ARRAY, sizeTag: C.DT_INIT_ARRAYSZ },
  { kind: 'fini_array', name: '.fini_array', type: C.SHT_FINI_ARRAY, tag: C.DT_FINI_ARRAY, sizeTag: C.DT_FINI_ARRAYSZ },
] as const;
const ARRAY_NAMES: Record<string, string> = Object.fromEntries(ARRAYS.map((a) => [a.kind, a.name]));

/** Bytes of a NUL-terminated name. */
function keyLength(keys: Uint8Array, off: number): number {
  let end = off;
  while (keys[end] !== 0) end++;
  return end - off;
}

/** Bytes of a string in UTF-8. */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Two bytes from 0x80, three from 0x800; a surrogate pair (two units) makes four.
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}

function write(prog: Program, layout: Layout): Uint8Array {
  const L = layout as ElfLayout;
  const ea = L.ea;
  const cls = ea.cls;
  const ptr = cls / 8;
  const page = pageSize(prog.target);
  const ch = (n: string) => L.chunks.get(n);
  const secs = prog.sections;
  /** An indirect function's resolver (Import.ifunc): what its R_*_IRELATIVE relocations carry. */
  const resolverOf = (imp: Import): number => prog.relocs.defs[imp.ifunc!]!.addr;

  // REL: what a pointer's field holds is the addend (the loader adds the symbol's address), or the resolver's address.
  const setField = (d: (typeof prog.dynRelocs)[number], v: number) => {
    const sec = d.sym.section;
    if (!ea.rela && sec?.data) new DataView(sec.data.buffer, sec.data.byteOffset).setUint32(d.sym.off + d.off, v >>> 0, true);
  };

  const gotplt = ch('.got.plt');
  const plt = ch('.plt');
  /** The R_*_IRELATIVE relocations of indirect functions' GOT slots and pointers (in .rela.dyn, or a static executable's table). */
  const writeIrelatives = (w: ByteWriter): void => {
    prog.got.forEach((g, i) => {
      if ('imp' in g && g.imp.ifunc !== undefined) writeReloc(w, cls, ea.rela, layout.gotAddr(i), 0, ea.rIrelative, resolverOf(g.imp));
    });
    for (const d of prog.dynRelocs) {
      if (d.imp.ifunc === undefined) continue;
      writeReloc(w, cls, ea.rela, d.sym.addr + d.off, 0, ea.rIrelative, resolverOf(d.imp));
      setField(d, resolverOf(d.imp));
    }
  };

  // Contents of the synthesized sections.
  if (L.dynamic) {
    // Only defined symbols are hashed, the last ones (symoffset): the
    // functions whose PLT entry is their address, the imports the
    // executable holds copies of, what it exports. Without them the bloom
    // word and the bucket are zero, so every lookup in this object misses at
    // once. Bloom shift 6.
    const hashes = L.hashes;
    const symoffset = 1 + L.dynsyms.length;
    const { nbuckets, maskWords } = L;
    const bits = cls;
    // Bloom words as 32-bit halves (ELF64's words are 8 bytes, low half first).
    const bloom = new Uint32Array((maskWords * bits) / 32);
    for (const h of hashes) {
      const word = Math.floor(h / bits) % maskWords;
      for (const bit of [h % bits, (h >>> 6) % bits]) bloom[(word * bits + bit) >>> 5] |= 1 << (bit & 31);
    }
    const buckets = new Uint32Array(nbuckets);
    for (let k = hashes.length - 1; k >= 0; k--) buckets[hashes[k]! % nbuckets] = symoffset + k;
    const hw = new ByteWriter(ch('.gnu.hash')!.size);
    hw.u32(nbuckets);
    hw.u32(symoffset);
    hw.u32(maskWords);
    hw.u32(6);
    for (const half of bloom) hw.u32(half >>> 0);
    for (const b of buckets) hw.u32(b);
    // A chain ends (bit 0) where the next symbol is in another bucket.
    hashes.forEach((h, k) => hw.u32(((h & ~1) | (k === hashes.length - 1 || hashes[k + 1]! % nbuckets !== h % nbuckets ? 1 : 0)) >>> 0));
    ch('.gnu.hash')!.data = hw.finish();

    const sw = new ByteWriter(ch('.dynsym')!.size);
    writeSym(sw, cls, { name: 0, value: 0, size: 0, bind: 0, type: 0, other: 0, shndx: 0 });
    const dynbssIndex = L.order.findIndex((c) => c.name === '.dynbss') + 1;
    const copySym = (name: string, copy: number) =>
      writeSym(sw, cls, { name: L.dynstr.add(name), value: layout.copyAddr!(copy), size: prog.copies[copy]!.size, bind: C.STB_GLOBAL, type: C.STT_OBJECT, other: 0, shndx: dynbssIndex });
    const importSym = (imp: Import) => {
      if (imp.copy >= 0) copySym(imp.remote, imp.copy);
      else writeSym(sw, cls, { name: L.dynstr.add(imp.remote), value: imp.canonicalPlt ? layout.pltAddr(imp.plt) : 0, size: 0, bind: imp.weak ? C.STB_WEAK : C.STB_GLOBAL, type: imp.plt >= 0 ? C.STT_FUNC : imp.tls ? C.STT_TLS : C.STT_NOTYPE, other: 0, shndx: C.SHN_UNDEF });
    };
    for (const imp of L.dynsyms) importSym(imp);
    const where = symbolPlaces(L, prog);
    for (const d of L.defined) {
      if (d.imp) importSym(d.imp);
      else if (d.alias !== undefined) copySym(d.name, d.alias);
      else {
        const sym = d.sym!;
        const { value, type, shndx } = where(sym);
        writeSym(sw, cls, { name: L.dynstr.add(d.name), value, size: tableSize(sym), bind: sym.flags.dupok ? C.STB_WEAK : C.STB_GLOBAL, type, other: 0, shndx });
      }
    }
    ch('.dynsym')!.data = sw.finish();
    if (L.versions) writeVersions(L, L.versions);
    ch('.dynstr')!.data = L.dynstr.finish();

    const relaDyn = ch(ea.rela ? '.rela.dyn' : '.rel.dyn');
    if (relaDyn) {
      const w = new ByteWriter(relaDyn.size);
      // RELATIVE first, as GNU ld sorts them (no symbol: the loader adds its load address).
      for (const x of L.relative) {
        const target = x.viaPlt ? layout.pltAddr((x.target as Import).plt) : (x.target as LSym).addr;
        writeReloc(w, cls, ea.rela, x.place.addr + x.off, 0, ea.rRelative!, target + x.add);
      }
      if (L.pie) prog.got.forEach((g, i) => {
        if (slidGotSlot(g)) writeReloc(w, cls, ea.rela, layout.gotAddr(i), 0, ea.rRelative!, g.sym.addr);
      });
      prog.got.forEach((g, i) => {
        if ('imp' in g && g.imp.ifunc === undefined) writeReloc(w, cls, ea.rela, layout.gotAddr(i), g.imp.dynIndex, g.imp.tls ? ea.rTpoff! : ea.rGlobDat, 0);
      });
      // The loader fills each copy from the library's data before anything runs.
      for (const c of prog.copies) writeReloc(w, cls, ea.rela, layout.copyAddr!(c.imp.copy), c.imp.dynIndex, ea.rCopy, 0);
      for (const d of prog.dynRelocs) {
        if (d.imp.ifunc !== undefined) continue;
        writeReloc(w, cls, ea.rela, d.sym.addr + d.off, d.imp.dynIndex, ea.rAbs, d.add);
        setField(d, d.add);
      }
      // Indirect functions last, as GNU ld puts them: their resolvers may
      // need the program's other relocations done (the loaders also defer them).
      writeIrelatives(w);
      relaDyn.data = w.finish();
    }

    const dw = new ByteWriter(ch('.dynamic')!.size);
    const dyn = (tag: number, v: number) => {
      dw.word(cls, tag);
      dw.word(cls, v);
    };
    for (const l of L.needed) dyn(C.DT_NEEDED, L.dynstr.add(l));
    if (L.rpath !== undefined) dyn(C.DT_RUNPATH, L.dynstr.add(L.rpath));
    dyn(C.DT_GNU_HASH, ch('.gnu.hash')!.addr);
    dyn(C.DT_STRTAB, ch('.dynstr')!.addr);
    dyn(C.DT_SYMTAB, ch('.dynsym')!.addr);
    dyn(C.DT_STRSZ, ch('.dynstr')!.size);
    dyn(C.DT_SYMENT, C.SYM_SIZE[cls]);
    dyn(C.DT_DEBUG, 0);
    if (gotplt && plt) {
      const relaPlt = ch(ea.rela ? '.rela.plt' : '.rel.plt')!;
      dyn(C.DT_PLTGOT, gotplt.addr);
      dyn(C.DT_PLTRELSZ, relaPlt.size);
      dyn(C.DT_PLTREL, ea.rela ? C.DT_RELA : C.DT_REL);
      dyn(C.DT_JMPREL, relaPlt.addr);
    }
    if (relaDyn) {
      dyn(ea.rela ? C.DT_RELA : C.DT_REL, relaDyn.addr);
      dyn(ea.rela ? C.DT_RELASZ : C.DT_RELSZ, relaDyn.size);
      dyn(ea.rela ? C.DT_RELAENT : C.DT_RELENT, ea.rela ? C.RELA_SIZE[cls] : C.REL_SIZE[cls]);
    }
    if (L.versions) {
      dyn(C.DT_VERSYM, ch('.gnu.version')!.addr);
      dyn(C.DT_VERNEED, ch('.gnu.version_r')!.addr);
      dyn(C.DT_VERNEEDNUM, L.versions.needs.length);
    }
    for (const a of ARRAYS) {
      const c = ch(a.name);
      if (!c) continue;
      dyn(a.tag, c.addr);
      dyn(a.sizeTag, c.size);
    }
    // BIND_NOW as GNU ld's -z now writes it (DT_FLAGS and DT_FLAGS_1; glibc
    // treats DF_BIND_NOW as the older DT_BIND_NOW). The PLT relies on it.
    dyn(C.DT_FLAGS, C.DF_BIND_NOW);
    dyn(C.DT_FLAGS_1, L.pie ? C.DF_1_NOW | C.DF_1_PIE : C.DF_1_NOW);
    dyn(C.DT_NULL, 0);
    ch('.dynamic')!.data = dw.finish();
  }
  // The PLT's relocations; in a static executable every R_*_IRELATIVE (it may have them without a PLT).
  const relaPlt = ch(ea.rela ? '.rela.plt' : '.rel.plt');
  const w = relaPlt ? new ByteWriter(relaPlt.size) : null;
  if (gotplt && plt && w) {
    const code = new Uint8Array(plt.size);
    const slots = new Uint8Array(gotplt.size);
    const sdv = new DataView(slots.buffer);
    const put = (i: number, v: number) => (ptr === 8 ? setU64(sdv, i * 8, v) : sdv.setUint32(i * 4, v >>> 0, true));
    // GOT[0]: the dynamic section's address, which a static executable has none of.
    put(0, L.dynamic ? ch('.dynamic')!.addr : 0);
    ea.writePltHeader(code, 0, plt.addr, gotplt.addr);
    prog.plt.forEach((imp, i) => {
      const entry = layout.pltAddr(i);
      const slot = gotplt.addr + (3 + i) * ptr;
      ea.writePltEntry(code, ea.pltHeaderSize + i * ea.pltEntrySize, entry, slot, i, plt.addr);
      if (imp.ifunc !== undefined) {
        // The loader calls the resolver at once, lazily bound or not (REL: the slot holds its address).
        put(3 + i, resolverOf(imp));
        writeReloc(w, cls, ea.rela, slot, 0, ea.rIrelative, resolverOf(imp));
        return;
      }
      put(3 + i, ea.initialSlotValue(entry, plt.addr));
      writeReloc(w, cls, ea.rela, slot, imp.dynIndex, ea.rJumpSlot, 0);
    });
    plt.data = code;
    gotplt.data = slots;
  }
  if (relaPlt && w) {
    // A static executable's table also holds its GOT slots' and pointers' (last, as in .rela.dyn).
    if (!L.dynamic) writeIrelatives(w);
    relaPlt.data = w.finish();
  }
  const got = ch('.got');
  if (got) {
    const g = new Uint8Array(got.size);
    const gdv = new DataView(g.buffer);
    prog.got.forEach((e, i) => {
      // A symbol's address; an indirect function's resolver (REL: the loader reads it from the slot).
      const v = 'sym' in e ? e.sym.addr : e.imp.ifunc !== undefined ? resolverOf(e.imp) : undefined;
      if (v === undefined) return;
      if (ptr === 8) setU64(gdv, i * 8, v);
      else gdv.setUint32(i * 4, v >>> 0, true);
    });
    got.data = g;
  }
  if (ch('.text')) ch('.text')!.data = secs.text.data;
  if (ch(L.rodataName)) ch(L.rodataName)!.data = secs.rodata.data;
  if (ch('.data')) ch('.data')!.data = secs.data.data;
  if (ch('.tdata')) ch('.tdata')!.data = secs.tls.data;
  for (const a of ARRAYS) if (ch(a.name)) ch(a.name)!.data = secs[a.kind].data;
  const ehFrame = ch('.eh_frame');
  const ehHdr = ch('.eh_frame_hdr');
  if (ehFrame && ehHdr) {
    // The records as relocated, with the zero length after them (the file is zero-filled there).
    ehFrame.data = L.file.subarray(ehFrame.offset, ehFrame.offset + ehFrame.size);
    ehHdr.data = ehFrameHdr(relocatedFrames(prog, L.frames!, ehFrame.data, ehFrame.addr), ehFrame.addr, ehHdr.addr);
  }

  // Section header indices, in file order.
  const shIndex = new Map<string, number>();
  L.order.forEach((c, i) => shIndex.set(c.name, i + 1));

  // LinkOptions.strip: no symbol table (the pipeline made no debugging information either).
  const strip = prog.opts.strip === true;
  const symbolTable = (): { symData: Uint8Array; strData: Uint8Array; firstGlobal: number } => {
    // .symtab: locals first, then globals, right after the loaded bytes, and
    // .strtab right after it. Entries are built as words (the first, all zero,
    // is the null symbol): one store per field, no call or object per symbol of
    // a large program. On a little-endian host both are built where they go in
    // the file.
    const symOff = alignUp(L.loadedEnd, ptr);
    const symWordsPer = SYM_WORDS[cls];
    const symtabWords = HOST_LITTLE_ENDIAN ? new Uint32Array(L.file.buffer, L.file.byteOffset + symOff, symWordsPer * L.nsyms) : new Uint32Array(symWordsPer * L.nsyms);
    const strtab = HOST_LITTLE_ENDIAN ? new StrTab(L.file.subarray(symOff + L.nsyms * C.SYM_SIZE[cls])) : new StrTab();
    const where = symbolPlaces(L, prog);
    let nsyms = 1;
    const { listed, fileLocal } = symtabRules(prog);
    const emit = (local: boolean) => {
      const syms = prog.syms;
      for (let i = 0; i < syms.length; i++) {
        const s = syms[i];
        if (!listed(s)) continue;
        const ownFile = fileLocal(s);
        // A hidden symbol is the executable's own: local, and still marked
        // hidden, as the ELF specification asks of a link editor (and lld does).
        if ((ownFile || s.flags.hidden === true) !== local) continue;
        const { value, type, shndx } = where(s);
        // Global names are unique (resolution made them so), and copied as the
        // bytes the inputs hold (no string made for each); file-local ones may repeat.
        const keys = ownFile ? null : s.nameKeys;
        const name = ownFile ? strtab.add(shownName(prog, s)) : keys !== null ? strtab.addBytes(keys, s.nameKeyOffset) : strtab.addUnique(s.name);
        const bind = local ? C.STB_LOCAL : s.flags.dupok ? C.STB_WEAK : C.STB_GLOBAL;
        symWords(symtabWords, nsyms * symWordsPer, cls, name, value, tableSize(s), (bind << 4) | type, s.flags.hidden ? C.STV_HIDDEN : C.STV_DEFAULT, shndx);
        nsyms++;
      }
    };
    emit(true);
    const firstGlobal = nsyms;
    emit(false);
    if (nsyms !== L.nsyms) throw new Error(`internal: ${nsyms} symbols written, ${L.nsyms} counted`);
    const symData = wordBytes(symtabWords);
    const strData = strtab.finish();
    return { symData, strData, firstGlobal };
  };
  const table = strip ? null : symbolTable();

  // Program headers.
  const phdrs: Phdr[] = [];
  const segPh = (s: Seg): Phdr => ({ type: C.PT_LOAD, flags: s.flags, offset: s.offset, vaddr: s.vaddr, filesz: s.filesz, memsz: s.memsz, align: page });
  const { r, rx, relro, data } = L.segs;
  if (L.interpreted) {
    phdrs.push({ type: C.PT_PHDR, flags: C.PF_R, offset: C.EHDR_SIZE[cls], vaddr: r.vaddr + C.EHDR_SIZE[cls], filesz: L.phnum * C.PHDR_SIZE[cls], memsz: L.phnum * C.PHDR_SIZE[cls], align: ptr });
    const ip = ch('.interp')!;
    phdrs.push({ type: C.PT_INTERP, flags: C.PF_R, offset: ip.offset, vaddr: ip.addr, filesz: ip.size, memsz: ip.size, align: 1 });
  }
  phdrs.push(segPh(r), segPh(rx));
  if (relro) phdrs.push(segPh(relro));
  if (data) phdrs.push(segPh(data));
  if (L.dynamic) {
    const d = ch('.dynamic')!;
    phdrs.push({ type: C.PT_DYNAMIC, flags: C.PF_R | C.PF_W, offset: d.offset, vaddr: d.addr, filesz: d.size, memsz: d.size, align: ptr });
  }
  const note = ch('.note.gnu.build-id');
  if (note) {
    // The ID itself is written last, over the finished file (see the end).
    const nw = new ByteWriter(note.size);
    nw.u32(4);
    nw.u32(BUILD_ID_SIZE);
    nw.u32(C.NT_GNU_BUILD_ID);
    put(nw, new Uint8Array([0x47, 0x4e, 0x55, 0])); // "GNU"
    nw.zeros(BUILD_ID_SIZE);
    note.data = nw.finish();
    phdrs.push({ type: C.PT_NOTE, flags: C.PF_R, offset: note.offset, vaddr: note.addr, filesz: note.size, memsz: note.size, align: 4 });
  }
  const tlsChunk = ch('.tdata') ?? ch('.tbss');
  if (tlsChunk)
    phdrs.push({ type: C.PT_TLS, flags: C.PF_R, offset: tlsChunk.offset, vaddr: tlsChunk.addr, filesz: ch('.tdata') ? tlsChunk.size : 0, memsz: secs.tls.size, align: Math.max(1, secs.tls.align) });
  phdrs.push({ type: C.PT_GNU_STACK, flags: C.PF_R | C.PF_W, offset: 0, vaddr: 0, filesz: 0, memsz: 0, align: 16 });
  if (ehHdr) phdrs.push({ type: C.PT_GNU_EH_FRAME, flags: C.PF_R, offset: ehHdr.offset, vaddr: ehHdr.addr, filesz: ehHdr.size, memsz: ehHdr.size, align: 4 });
  if (L.dynamic && relro) phdrs.push({ type: C.PT_GNU_RELRO, flags: C.PF_R, offset: relro.offset, vaddr: relro.vaddr, filesz: relro.filesz, memsz: L.relroEnd - relro.vaddr, align: 1 });
  if (phdrs.length !== L.phnum) throw new Error(`internal: ${phdrs.length} program headers, expected ${L.phnum}`);

  // Non-loaded sections after the last loaded byte.
  const shstr = new StrTab();
  const extra: { name: string; type: number; data: Uint8Array; align: number; link: string; info: number; entsize: number; offset: number }[] = [
    ...(table
      ? [
          { name: '.symtab', type: C.SHT_SYMTAB, data: table.symData, align: ptr, link: '.strtab', info: table.firstGlobal, entsize: C.SYM_SIZE[cls], offset: 0 },
          { name: '.strtab', type: C.SHT_STRTAB, data: table.strData, align: 1, link: '', info: 0, entsize: 0, offset: 0 },
          ...prog.extraSections.map((e) => ({ name: e.name, type: C.SHT_PROGBITS, data: e.data, align: 1, link: '', info: 0, entsize: 0, offset: 0 })),
        ]
      : []),
    { name: '.shstrtab', type: C.SHT_STRTAB, data: new Uint8Array(0), align: 1, link: '', info: 0, entsize: 0, offset: 0 },
  ];
  extra.forEach((e, i) => shIndex.set(e.name, L.order.length + 1 + i));
  for (const c of L.order) shstr.add(c.name);
  for (const e of extra) shstr.add(e.name);
  extra[extra.length - 1].data = shstr.finish();
  let off = L.loadedEnd;
  for (const e of extra) {
    off = alignUp(off, e.align);
    e.offset = off;
    off += e.data.length;
  }
  const shoff = alignUp(off, ptr);
  const shnum = 1 + L.order.length + extra.length;

  const out = ByteWriter.over(L.file);
  const osabi = prog.imports.some((i) => i.ifunc !== undefined) ? C.ELFOSABI_GNU : C.ELFOSABI_SYSV;
  writeEhdr(out, cls, { type: L.pie ? C.ET_DYN : C.ET_EXEC, machine: ea.machine, entry: prog.entry.addr, phoff: C.EHDR_SIZE[cls], shoff, flags: 0, phnum: L.phnum, shnum, shstrndx: shnum - 1, osabi });
  for (const p of phdrs) writePhdr(out, cls, p);
  for (const c of L.order) {
    if (c.type === C.SHT_NOBITS) continue;
    out.padTo(c.offset);
    if (c.data) {
      if (c.data.length !== c.size) throw new Error(`internal: ${c.name} has ${c.data.length} bytes, laid out ${c.size}`);
      put(out, c.data);
    } else out.zeros(c.size);
  }
  for (const e of extra) {
    out.padTo(e.offset);
    put(out, e.data);
  }
  out.padTo(shoff);
  writeShdr(out, cls, { name: 0, type: 0, flags: 0, addr: 0, offset: 0, size: 0, link: 0, info: 0, addralign: 0, entsize: 0 });
  for (const c of L.order)
    writeShdr(out, cls, {
      name: shstr.add(c.name),
      type: c.type,
      flags: c.flags,
      addr: c.addr,
      offset: c.offset,
      size: c.size,
      link: c.link ? shIndex.get(c.link) ?? 0 : 0,
      info: typeof c.info === 'string' ? shIndex.get(c.info) ?? 0 : c.info,
      addralign: c.align,
      entsize: c.entsize,
    });
  for (const e of extra)
    writeShdr(out, cls, { name: shstr.add(e.name), type: e.type, flags: 0, addr: 0, offset: e.offset, size: e.data.length, link: e.link ? shIndex.get(e.link)! : 0, info: e.info, addralign: e.align, entsize: e.entsize });
  if (out.buf !== L.file) throw new Error('internal: the executable outgrew the size its layout bounded');
  const file = out.finish();
  if (note) file.set(sha256(file).subarray(0, BUILD_ID_SIZE), note.offset + 16);
  return file;
}

/** .gnu.version (one index per .dynsym entry) and .gnu.version_r (Verneed records, each followed by its Vernaux records). */
function writeVersions(L: ElfLayout, v: VersionPlan): void {
  const sym = L.chunks.get('.gnu.version')!;
  const vw = new ByteWriter(sym.size);
  for (const x of v.versym) vw.u16(x);
  sym.data = vw.finish();

  const need = L.chunks.get('.gnu.version_r')!;
  const w = new ByteWriter(need.size);
  v.needs.forEach((n, i) => {
    const last = i === v.needs.length - 1;
    const auxBytes = n.versions.length * C.VERNAUX_SIZE;
    w.u16(1); // vn_version: the current (only) revision
    w.u16(n.versions.length); // vn_cnt
    w.u32(L.dynstr.add(n.library)); // vn_file: the DT_NEEDED name
    w.u32(C.VERNEED_SIZE); // vn_aux: its Vernaux records follow it
    w.u32(last ? 0 : C.VERNEED_SIZE + auxBytes); // vn_next
    n.versions.forEach((ver, k) => {
      w.u32(elfHash(ver.name)); // vna_hash: the loader compares it with the library's Verdef
      w.u16(0); // vna_flags: a hard requirement (not VER_FLG_WEAK)
      w.u16(ver.index); // vna_other: the index .gnu.version uses
      w.u32(L.dynstr.add(ver.name)); // vna_name
      w.u32(k === n.versions.length - 1 ? 0 : C.VERNAUX_SIZE); // vna_next
    });
  });
  need.data = w.finish();
}

export const elfExecWriter: ExecWriter = { layout, write };
