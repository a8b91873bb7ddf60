// The assembler driver: preprocess → parse → group into functions and data →
// encode each function with the target's backend → an ObjectFile. All errors
// of a file are collected (up to a limit) and thrown together.

import { DiagnosticSink, type SourcePos } from '../diag.js';
import { getBackend } from '../arch/registry.js';
import type { ArchBackend } from '../arch/arch.js';
import type { DynImport, ObjectFile, Symbol, SymKind } from '../obj/symbol.js';
import { naturalAlign } from '../obj/symbol.js';
import { FLAG_BITS, LOCAL_BIT, ObjectColumnsBuilder, objectFromColumns, sharedFlags } from '../obj/object-columns.js';
import type { Reloc } from '../obj/reloc.js';
import type { Target } from '../target.js';
import { Flag } from './headers.js';
import { parseFastLine, parseLine, type Statement, type SymRef } from './parser.js';
import { preprocess, type PreprocessOptions, type SourcePieces } from './preprocess.js';
import type { TextBlock } from './prog.js';

export type { SourcePieces } from './preprocess.js';

export interface AssembleOptions extends PreprocessOptions {
  target: Target;
  /** Name of the source, used in diagnostics and as the object's name. */
  file: string;
  /** Package that a leading `·` refers to (Go's -p); default `main`. */
  pkg?: string;
  /** Maximum number of diagnostics before giving up. */
  errorLimit?: number;
  /**
   * Record each instruction's line and bytes in Symbol.insts (default true).
   * Listings and Mach-O objects need them; an ELF object alone does not, and
   * a large file assembles faster without.
   */
  insts?: boolean;
}

/** The largest symbol whose bytes are stored in the object file. */
const MAX_FILE_BACKED = 256 << 20;

interface DataDef {
  sym: SymRef;
  flags: number;
  size: number;
  pos: SourcePos;
  bytes: Uint8Array | null;
  relocs: Reloc[];
  written: Uint8Array | null;
}

/**
 * Assembles one source file, given as one string or in pieces (a large file
 * then never exists as one string). Throws DiagnosticError with every error found.
 */
export function assemble(source: string | SourcePieces, opts: AssembleOptions): ObjectFile {
  const part = assemblePart(source, opts);
  addData(part);
  part.diag.check();
  return objectFromColumns(opts.target, opts.file, part.out.finish(), part.dynimports);
}

/** Defines and adds a part's data symbols, after the functions; a name defined before is an error. */
export function addData(part: AssembledPart): void {
  for (const d of part.data) {
    const id = part.out.define(d.name, d.pos);
    if (id < 0) reportRedefinition(part.out, part.diag, d.name, d.pos);
    else part.out.add(d, undefined, id);
  }
}

/** A data symbol, with where its GLOBL is. */
export type DataSymbol = Symbol & { pos: SourcePos };

/**
 * A source assembled up to its data symbols, which the object has after
 * every function: so the assembly of a part of a large file can go on with
 * the other parts' functions before its data (src/asm/parts.ts).
 */
export interface AssembledPart {
  /** The functions, each followed by the float constants it made first. */
  out: ObjectColumnsBuilder;
  /** The data symbols, in the order their GLOBLs came, not yet defined in `out`. */
  data: DataSymbol[];
  /** The errors so far. */
  diag: DiagnosticSink;
  /** The names of the float constants in `out`. */
  constants: ReadonlySet<string>;
  dynimports: DynImport[];
  /** Newlines in the source. */
  newlines: number;
  /** Whether a GLOBL declared a thread-local symbol, which an arm64 function's encoding depends on. */
  declaresTls: boolean;
}

function reportRedefinition(out: ObjectColumnsBuilder, diag: DiagnosticSink, name: string, pos: SourcePos): void {
  const prev = out.definedAt(name);
  diag.error(pos, `symbol ${name} redefined`, [`previous definition at ${prev.file}:${prev.line}:${prev.col}`]);
}

/** assemble()'s work up to the data symbols; errors are collected, not thrown, up to the sink's limit. */
export function assemblePart(source: string | SourcePieces, opts: AssembleOptions): AssembledPart {
  const diag = new DiagnosticSink(opts.errorLimit ?? 20);
  const backend = getBackend(opts.target.arch);
  const pkg = opts.pkg ?? 'main';
  // Definitions go into columns as they are made (object-columns.ts): kept
  // as objects to the end, they were most of what the garbage collector copied.
  const out = new ObjectColumnsBuilder();
  /** The name's id, or -1 (reported) when it is defined already. */
  const define = (name: string, pos: SourcePos): number => {
    const id = out.define(name, pos);
    if (id < 0) reportRedefinition(out, diag, name, pos);
    return id;
  };
  // Each function is encoded as soon as the next TEXT (or the end) closes it,
  // so its statements die young instead of piling up for the whole file —
  // except in a file that mentions TLSBSS. A backend that addresses TLS with
  // its own instruction sequence (arm64: MOVZ + R_TLS_LE instead of ADRP/LDR)
  // must know a symbol is thread-local before it encodes a use, and Go lets the
  // GLOBL come later in the file, possibly under #ifdef (runtime/tls_arm64.s),
  // so such a file is encoded at its end, once every active declaration is
  // known (ArchBackend.tlsDeclaredFirst; x86 backends need not wait).
  const tlsSymbols = new Set<string>();
  // Float constants (`$f64.…`) the backends made, each added to the object once.
  const constants = new Set<string>();
  const deferred: TextBlock[] | null = backend.tlsDeclaredFirst && source.includes('TLSBSS') ? [] : null;
  const encode = (block: TextBlock): void => {
    const id = define(block.name, block.pos);
    if (id < 0) return;
    const fn = backend.assemble(block, { target: opts.target, diag, tlsSymbols, insts: opts.insts ?? true });
    const sym: Symbol = {
      name: block.name,
      kind: 'text',
      size: fn.data.length,
      align: opts.target.arch === 'arm64' ? 4 : 1,
      data: fn.data,
      relocs: fn.relocs,
      flags: flagsOf(block.flags, block.local),
      file: block.pos.file,
      line: block.pos.line,
      frameSize: block.frameSize,
      argsSize: block.argsSize,
    };
    // The backend keeps instructions compactly until someone asks for them.
    out.add(sym, fn.insts ?? undefined, id);
    if (fn.constants) {
      for (const [name, data] of fn.constants) {
        if (constants.has(name)) continue;
        constants.add(name);
        out.add({ name, kind: 'rodata', size: data.length, align: data.length, data, relocs: [], flags: { dupok: true, rodata: true }, file: block.pos.file, line: block.pos.line });
      }
    }
  };
  const grouper = new Grouper(diag, (block) => (deferred ? deferred.push(block) : encode(block)));
  const add = (st: Statement): void => {
    // A declaration from an #include counts for the functions after it.
    if (st.kind === 'globl' && st.flags & Flag.TLSBSS) tlsSymbols.add(st.sym.name);
    grouper.add(st);
  };
  const pre = preprocess(
    source,
    opts.file,
    opts,
    diag,
    (line) => parseLine(line, backend, pkg, diag, add),
    (src, lineStart, first, end, file, line, macros) => parseFastLine(src, lineStart, first, end, file, line, backend, pkg, macros, add),
  );
  const data = grouper.finish();
  if (deferred) for (const block of deferred) encode(block);
  return {
    out,
    data: [...data.values()].map((d) => ({ ...dataSymbol(d, backend), pos: d.pos })),
    diag,
    constants,
    dynimports: pre.dynimports,
    newlines: pre.newlines,
    declaresTls: tlsSymbols.size > 0,
  };
}

/** Go's TEXT/GLOBL flags and the FLAG_BITS bit each sets. */
const TEXT_FLAG_BITS = (
  [
    [Flag.DUPOK, 'dupok'],
    [Flag.NOSPLIT, 'nosplit'],
    [Flag.NOFRAME, 'noframe'],
    [Flag.WRAPPER, 'wrapper'],
    [Flag.TOPFRAME, 'topframe'],
    [Flag.RODATA, 'rodata'],
    [Flag.NOPTR, 'noptr'],
  ] as const
).map(([flag, name]) => [flag, 1 << FLAG_BITS.indexOf(name)] as const);

/** A symbol's flags from its TEXT/GLOBL flags (shared objects, as every symbol's). */
function flagsOf(flags: number, local: boolean): Symbol['flags'] {
  let bits = local ? LOCAL_BIT : 0;
  for (const [flag, bit] of TEXT_FLAG_BITS) if (flags & flag) bits |= bit;
  return sharedFlags(bits);
}

function dataSymbol(d: DataDef, backend: ArchBackend): Symbol {
  const hasContents = d.written !== null;
  let kind: SymKind;
  if (d.flags & Flag.TLSBSS) kind = 'tls';
  else if (d.flags & Flag.RODATA) kind = 'rodata';
  else if (d.flags & Flag.NOPTR) kind = hasContents ? 'noptrdata' : 'noptrbss';
  else kind = hasContents ? 'data' : 'bss';
  return {
    name: d.sym.name,
    kind,
    size: d.size,
    align: naturalAlign(d.size, backend.ptrSize),
    data: hasContents ? d.bytes! : new Uint8Array(0),
    relocs: d.relocs,
    flags: flagsOf(d.flags, d.sym.local),
    file: d.pos.file,
    line: d.pos.line,
  };
}

/** Groups the statement stream into functions (TEXT … up to the next TEXT) and data definitions. */
class Grouper {
  private readonly data = new Map<string, DataDef>();
  private readonly pendingData: Extract<Statement, { kind: 'data' }>[] = [];
  private cur: TextBlock | null = null;

  constructor(
    private readonly diag: DiagnosticSink,
    private readonly onFunction: (block: TextBlock) => void,
  ) {}

  add(s: Statement): void {
    const diag = this.diag;
    const cur = this.cur;
    switch (s.kind) {
      case 'text':
        if (cur) this.onFunction(cur);
        this.cur = {
          name: s.sym.name,
          local: s.sym.local,
          flags: s.flags,
          frameSize: s.frameSize,
          argsSize: s.argsSize,
          pos: s.pos,
          progs: [],
          labels: new Map(),
          labelPos: new Map(),
        };
        return;
      case 'label':
        if (!cur) return diag.error(s.pos, `label ${s.name} outside of a TEXT block`);
        if (cur.labels.has(s.name)) {
          const prev = cur.labelPos.get(s.name)!;
          return diag.error(s.pos, `label ${s.name} defined twice in ${cur.name}`, [`previous definition at ${prev.file}:${prev.line}:${prev.col}`]);
        }
        cur.labels.set(s.name, cur.progs.length);
        cur.labelPos.set(s.name, s.pos);
        return;
      case 'inst':
        if (!cur) return diag.error(s.prog.pos, `instruction ${s.prog.op} outside of a TEXT block`);
        cur.progs.push(s.prog);
        return;
      case 'globl': {
        // File-backed data is written out byte for byte; a typo in a size must not
        // become gigabytes of zeros in the object (bss and TLS take no file space).
        if (s.size > MAX_FILE_BACKED && !(s.flags & Flag.TLSBSS) && (s.flags & Flag.RODATA)) {
          return diag.error(s.pos, `GLOBL ${s.sym.name}: ${s.size} bytes of read-only data is more than the ${MAX_FILE_BACKED >> 20} MiB limit`);
        }
        const prev = this.data.get(s.sym.name);
        if (prev) {
          return diag.error(s.pos, `GLOBL ${s.sym.name} declared twice`, [`previous declaration at ${prev.pos.file}:${prev.pos.line}:${prev.pos.col}`]);
        }
        this.data.set(s.sym.name, { sym: s.sym, flags: s.flags, size: s.size, pos: s.pos, bytes: null, relocs: [], written: null });
        return;
      }
      case 'data':
        this.pendingData.push(s);
        return;
    }
  }

  /** Closes the last function and applies DATA, which may come before or after its GLOBL, as in Go. */
  finish(): Map<string, DataDef> {
    if (this.cur) this.onFunction(this.cur);
    this.cur = null;
    for (const s of this.pendingData) {
      const d = this.data.get(s.sym.name);
      if (!d) {
        this.diag.error(s.pos, `DATA for ${s.sym.name} without a GLOBL declaring its size`);
        continue;
      }
      applyData(d, s, this.diag);
    }
    return this.data;
  }
}

function applyData(d: DataDef, s: Extract<Statement, { kind: 'data' }>, diag: DiagnosticSink): void {
  if (d.size > MAX_FILE_BACKED) {
    diag.error(s.pos, `DATA for ${d.sym.name}: a ${d.size}-byte symbol with contents is more than the ${MAX_FILE_BACKED >> 20} MiB limit`);
    return;
  }
  if (d.flags & Flag.TLSBSS) {
    diag.error(s.pos, `DATA for thread-local ${d.sym.name}: TLS symbols are zero-initialized`);
    return;
  }
  if (s.off < 0 || s.off + s.size > d.size) {
    diag.error(s.pos, `DATA ${d.sym.name}+${s.off}/${s.size} is outside its ${d.size}-byte GLOBL`);
    return;
  }
  if (!d.bytes) {
    d.bytes = new Uint8Array(d.size);
    d.written = new Uint8Array(d.size);
  }
  const w = d.written!;
  for (let i = s.off; i < s.off + s.size; i++) {
    if (w[i]) {
      diag.error(s.pos, `DATA ${d.sym.name}+${s.off}/${s.size} overlaps earlier DATA`);
      return;
    }
  }
  w.fill(1, s.off, s.off + s.size);
  const view = new DataView(d.bytes.buffer, d.bytes.byteOffset);
  const v = s.value;
  switch (v.kind) {
    case 'imm': {
      const size = s.size;
      if (size > 8) {
        diag.error(s.valuePos, `integer DATA must have size 1, 2, 4 or 8, not ${size}`);
        return;
      }
      const bits = BigInt(size * 8);
      const min = -(1n << (bits - 1n));
      const max = (1n << bits) - 1n;
      if (v.value < min || v.value > max) {
        diag.error(s.valuePos, `value ${v.value} does not fit in ${size} byte(s)`);
        return;
      }
      let u = BigInt.asUintN(size * 8, v.value);
      for (let i = 0; i < size; i++) {
        d.bytes[s.off + i] = Number(u & 0xffn);
        u >>= 8n;
      }
      return;
    }
    case 'fimm':
      if (s.size === 8) view.setFloat64(s.off, v.value, true);
      else if (s.size === 4) view.setFloat32(s.off, v.value, true);
      else diag.error(s.valuePos, `floating-point DATA must have size 4 or 8`);
      return;
    case 'str':
      if (v.value.length > s.size) {
        diag.error(s.valuePos, `string of ${v.value.length} bytes does not fit in DATA size ${s.size}`);
        return;
      }
      d.bytes.set(v.value, s.off);
      return;
    case 'addr':
      if ((v.mem.name !== 'extern' && v.mem.name !== 'static') || !v.mem.sym) {
        diag.error(s.valuePos, 'DATA address must be $sym+off(SB)');
        return;
      }
      if (s.size !== 4 && s.size !== 8) {
        diag.error(s.valuePos, `address DATA must have size 4 or 8, not ${s.size}`);
        return;
      }
      d.relocs.push({ off: s.off, size: s.size, type: 'R_ADDR', sym: v.mem.sym, add: v.mem.offset, line: s.pos.line });
      return;
    default:
      diag.error(s.valuePos, 'DATA value must be $constant, $"string", $float or $sym(SB)');
  }
}
