// DWARF 4 debugging information for assembly sources: which source line each
// instruction came from, and where each function starts and ends. This is what
// gdb needs to break at FILE:LINE, step by source line and list the source,
// what addr2line and `objdump -dl` print, and what backtraces name. It is
// format-neutral (ELF and Mach-O keep the same bytes in differently named
// sections) and free of I/O.
//
// One compilation unit per source file given to the assembler, holding:
//   .debug_info    a DW_TAG_compile_unit (producer, DW_LANG_Mips_Assembler,
//                  name, comp_dir, stmt_list, low_pc 0 and ranges) with one
//                  DW_TAG_subprogram per function (name, low_pc, high_pc as a
//                  length, external)
//   .debug_abbrev  the two abbreviations those use, shared by every unit
//   .debug_line    a version 4 line program per unit; each function is a
//                  sequence of its own (set_address ... end_sequence), so a
//                  linker can drop or move functions without decoding others
//   .debug_ranges  each unit's functions as [start, end) pairs
//   .debug_frame   one CIE, then an FDE per function that says where the
//                  frame is at each instruction: the CFA as SP (or BP) plus
//                  an offset, and where the frame saved the caller's BP (x86)
//                  or LR and FP (arm64), so debuggers unwind through
//                  Go-style frames, which their prologue heuristics misread
//
// Addresses are absolute in an executable. In a relocatable object they are
// relative to their function, and the caller turns `fixups` into relocations:
// every address field names the function it points into, every cross-section
// offset the section it points into.

export interface DebugRow {
  /** Offset of the instruction in its function. */
  offset: number;
  /** Index in the unit's `files` (0 is the unit's own source). */
  file: number;
  line: number;
}

/**
 * From `offset` on (until the next change), SP is `sp` bytes below its
 * value at the call (on x86 the return address not counted) — or, onBp, BP
 * is where SP was `sp` bytes below it; `saved` says what the frame saved,
 * as InstInfo.saved does (0: nothing).
 */
export interface DebugFrameRow {
  offset: number;
  sp: number;
  saved: number;
  onBp: boolean;
}

export interface DebugFunction {
  name: string;
  /** Absolute address, or 0 in an object (see DwarfFixup). */
  address: number;
  size: number;
  external: boolean;
  /** In offset order. */
  rows: readonly DebugRow[];
  /** Where its frame changes, in offset order (none: no call-frame information). */
  frames?: readonly DebugFrameRow[];
}

export interface DebugUnit {
  /** files[0] is the unit's source; the others are files its code was #included from. */
  files: readonly string[];
  functions: readonly DebugFunction[];
}

export interface DwarfOptions {
  /** 4 or 8. */
  addressSize: number;
  /** The instruction size every code offset is a multiple of: 1 on x86, 4 on arm64. */
  minInstLength: number;
  /** Directory the file names are relative to (DW_AT_comp_dir); relative names stay as given. */
  compDir?: string;
  producer: string;
  /** How the target's calls and frames look, for .debug_frame (none: no .debug_frame). */
  cfi?: CallFrameConventions;
}

/** DWARF register numbers and factors of an architecture's frames. */
export interface CallFrameConventions {
  codeAlign: number;
  dataAlign: number;
  /** The stack pointer, the return address's column, the frame pointer. */
  spReg: number;
  raReg: number;
  bpReg: number;
  /** The CFA's offset from SP at a function's first instruction: the return address's size on x86 (saved just below the CFA), 0 on arm64 (in LR). */
  entryCfa: number;
  /** Where the registers a frame saved (DebugFrameRow.saved, non-zero) are: [register, offset below the CFA]. */
  savedAt(saved: number): [number, number][];
  /** The inverse, for a reader: the `saved` a rule for `reg` at CFA-off says (0: the rule is implied by another of the set), or undefined when savedAt makes no such rule. */
  savedFrom(reg: number, off: number): number | undefined;
}

/** x86-64 (rsp 7, rbp 6, return address 16) and i386 (esp 4, ebp 5, eip 8), from the psABIs: BP is saved just below the return address. */
export const CFI_AMD64: CallFrameConventions = x86Conventions(8, 7, 16, 6);
export const CFI_386: CallFrameConventions = x86Conventions(4, 4, 8, 5);

function x86Conventions(ptr: number, spReg: number, raReg: number, bpReg: number): CallFrameConventions {
  return {
    codeAlign: 1,
    dataAlign: -ptr,
    spReg,
    raReg,
    bpReg,
    entryCfa: ptr,
    savedAt: () => [[bpReg, 2 * ptr]],
    savedFrom: (reg, off) => (reg === bpReg && off === 2 * ptr ? 1 : undefined),
  };
}
/** AArch64 (sp 31, x29 frame pointer, x30 link register): Go's frames save LR at their bottom and the caller's FP just below it. */
export const CFI_ARM64: CallFrameConventions = {
  codeAlign: 4,
  dataAlign: -8,
  spReg: 31,
  raReg: 30,
  bpReg: 29,
  entryCfa: 0,
  savedAt: (n) => [
    [30, n],
    [29, n + 8],
  ],
  savedFrom: (reg, off) => (reg === 30 ? off : reg === 29 ? 0 : undefined),
};

export function cfiOf(arch: string): CallFrameConventions | undefined {
  return arch === 'amd64' ? CFI_AMD64 : arch === '386' ? CFI_386 : arch === 'arm64' ? CFI_ARM64 : undefined;
}

export type DwarfSectionName = '.debug_abbrev' | '.debug_info' | '.debug_line' | '.debug_ranges' | '.debug_frame';

/** A field a relocatable object must relocate: an address in function `fn` of `unit`, or an offset into `target`. */
export type DwarfFixup =
  | { section: DwarfSectionName; offset: number; size: number; kind: 'address'; unit: number; fn: number }
  | { section: DwarfSectionName; offset: number; size: number; kind: 'section'; target: DwarfSectionName };

export interface DwarfOutput {
  sections: { name: DwarfSectionName; data: Uint8Array }[];
  fixups: DwarfFixup[];
}

const DW_TAG_compile_unit = 0x11;
const DW_TAG_subprogram = 0x2e;
const DW_CHILDREN_no = 0;
const DW_CHILDREN_yes = 1;
const DW_AT_name = 0x03;
const DW_AT_stmt_list = 0x10;
const DW_AT_low_pc = 0x11;
const DW_AT_high_pc = 0x12;
const DW_AT_language = 0x13;
const DW_AT_comp_dir = 0x1b;
const DW_AT_producer = 0x25;
const DW_AT_external = 0x3f;
const DW_AT_ranges = 0x55;
const DW_FORM_addr = 0x01;
const DW_FORM_data2 = 0x05;
const DW_FORM_data4 = 0x06;
const DW_FORM_string = 0x08;
const DW_FORM_flag = 0x0c;
const DW_FORM_sec_offset = 0x17;
const DW_LANG_Mips_Assembler = 0x8001;

const ABBREV_UNIT = 1;
const ABBREV_FUNCTION = 2;
/** The abbreviation table: [code, tag, children, [attribute, form]...]. */
const ABBREVS: [number, number, number, [number, number][]][] = [
  [
    ABBREV_UNIT,
    DW_TAG_compile_unit,
    DW_CHILDREN_yes,
    [
      [DW_AT_producer, DW_FORM_string],
      [DW_AT_language, DW_FORM_data2],
      [DW_AT_name, DW_FORM_string],
      [DW_AT_comp_dir, DW_FORM_string],
      [DW_AT_stmt_list, DW_FORM_sec_offset],
      [DW_AT_low_pc, DW_FORM_addr],
      [DW_AT_ranges, DW_FORM_sec_offset],
    ],
  ],
  [
    ABBREV_FUNCTION,
    DW_TAG_subprogram,
    DW_CHILDREN_no,
    [
      [DW_AT_name, DW_FORM_string],
      [DW_AT_low_pc, DW_FORM_addr],
      [DW_AT_high_pc, DW_FORM_data4],
      [DW_AT_external, DW_FORM_flag],
    ],
  ],
];

// The line program's parameters (those GNU as uses): special opcodes cover
// line steps of -5..8 with an address step in the same byte.
const LINE_BASE = -5;
const LINE_RANGE = 14;
const OPCODE_BASE = 13;
const STANDARD_OPCODE_LENGTHS = [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1];
const DW_LNS_copy = 1;
const DW_LNS_advance_pc = 2;
const DW_LNS_advance_line = 3;
const DW_LNS_set_file = 4;
const DW_LNE_end_sequence = 1;
const DW_LNE_set_address = 2;

/** A little-endian byte sink with the LEB128 encodings. */
class Bytes {
  private buf = new Uint8Array(256);
  len = 0;

  private room(n: number): number {
    if (this.len + n > this.buf.length) {
      const nb = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
      nb.set(this.buf.subarray(0, this.len));
      this.buf = nb;
    }
    const at = this.len;
    this.len += n;
    return at;
  }
  u8(v: number): void {
    const at = this.room(1); // before this.buf is read: room() may replace it
    this.buf[at] = v;
  }
  /** An unsigned little-endian integer of `size` bytes (up to 8; exact below 2^53). */
  uint(v: number, size: number): void {
    const at = this.room(size);
    for (let i = 0; i < size; i++) {
      this.buf[at + i] = v % 256;
      v = Math.floor(v / 256);
    }
  }
  /** Overwrites `size` bytes at `at` (a length known only later). */
  patch(at: number, v: number, size: number): void {
    for (let i = 0; i < size; i++) {
      this.buf[at + i] = v % 256;
      v = Math.floor(v / 256);
    }
  }
  uleb(v: number): void {
    do {
      const b = v % 128;
      v = Math.floor(v / 128);
      this.u8(v > 0 ? b | 0x80 : b);
    } while (v > 0);
  }
  sleb(v: number): void {
    for (;;) {
      const b = ((v % 128) + 128) % 128;
      v = Math.floor(v / 128);
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.u8(done ? b : b | 0x80);
      if (done) return;
    }
  }
  /** A NUL-terminated UTF-8 string. */
  str(s: string): void {
    const b = new TextEncoder().encode(s);
    const at = this.room(b.length); // before this.buf is read: room() may replace it
    this.buf.set(b, at);
    this.u8(0);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** The DWARF sections for `units` (units without functions are left out). */
export function writeDwarf(units: readonly DebugUnit[], opts: DwarfOptions): DwarfOutput {
  const fixups: DwarfFixup[] = [];
  const A = opts.addressSize;
  const info = new Bytes();
  const line = new Bytes();
  const ranges = new Bytes();
  const address = (section: DwarfSectionName, b: Bytes, unit: number, fn: number, value: number): void => {
    fixups.push({ section, offset: b.len, size: A, kind: 'address', unit, fn });
    b.uint(value, A);
  };
  const sectionOffset = (b: Bytes, target: DwarfSectionName, value: number, section: DwarfSectionName = '.debug_info'): void => {
    fixups.push({ section, offset: b.len, size: 4, kind: 'section', target });
    b.uint(value, 4);
  };
  const frame = new Bytes();
  const cfi = opts.cfi;
  if (cfi && units.some((u) => u.functions.some((f) => f.frames))) writeCie(frame, cfi, A);
  units.forEach((unit, u) => {
    if (unit.functions.length === 0) return;
    const stmtList = line.len;
    writeLineProgram(line, unit, u, opts, (b, fn, value) => address('.debug_line', b, u, fn, value));
    const rangesAt = ranges.len;
    unit.functions.forEach((f, i) => {
      address('.debug_ranges', ranges, u, i, f.address);
      address('.debug_ranges', ranges, u, i, f.address + f.size);
    });
    ranges.uint(0, A);
    ranges.uint(0, A);

    const start = info.len;
    info.uint(0, 4); // unit_length, patched below
    info.uint(4, 2); // version
    sectionOffset(info, '.debug_abbrev', 0);
    info.u8(A);
    info.uleb(ABBREV_UNIT);
    info.str(opts.producer);
    info.uint(DW_LANG_Mips_Assembler, 2);
    info.str(unit.files[0]);
    info.str(opts.compDir ?? '');
    sectionOffset(info, '.debug_line', stmtList);
    info.uint(0, A); // low_pc: the base the ranges are relative to
    sectionOffset(info, '.debug_ranges', rangesAt);
    unit.functions.forEach((f, i) => {
      info.uleb(ABBREV_FUNCTION);
      info.str(f.name);
      address('.debug_info', info, u, i, f.address);
      info.uint(f.size, 4);
      info.u8(f.external ? 1 : 0);
    });
    info.u8(0); // end of the unit's children
    info.patch(start, info.len - start - 4, 4);
    if (cfi)
      unit.functions.forEach((f, i) => {
        if (!f.frames) return;
        const at = frame.len;
        frame.uint(0, 4); // length, patched below
        sectionOffset(frame, '.debug_frame', 0, '.debug_frame'); // the CIE, at the start
        address('.debug_frame', frame, u, i, f.address);
        frame.uint(f.size, A);
        writeFrameRows(frame, f, cfi);
        while ((frame.len - at) % A !== 0) frame.u8(DW_CFA_nop);
        frame.patch(at, frame.len - at - 4, 4);
      });
  });
  const abbrev = new Bytes();
  for (const [code, tag, children, attrs] of ABBREVS) {
    abbrev.uleb(code);
    abbrev.uleb(tag);
    abbrev.u8(children);
    for (const [at, form] of attrs) {
      abbrev.uleb(at);
      abbrev.uleb(form);
    }
    abbrev.u8(0);
    abbrev.u8(0);
  }
  abbrev.u8(0);
  return {
    sections: [
      { name: '.debug_abbrev', data: abbrev.finish() },
      { name: '.debug_info', data: info.finish() },
      { name: '.debug_line', data: line.finish() },
      { name: '.debug_ranges', data: ranges.finish() },
      ...(frame.len > 0 ? [{ name: '.debug_frame' as const, data: frame.finish() }] : []),
    ],
    fixups,
  };
}

/** One unit's line program: its header, then a sequence per function. */
function writeLineProgram(b: Bytes, unit: DebugUnit, u: number, opts: DwarfOptions, address: (b: Bytes, fn: number, value: number) => void): void {
  const start = b.len;
  b.uint(0, 4); // unit_length, patched below
  b.uint(4, 2); // version
  const headerLengthAt = b.len;
  b.uint(0, 4); // header_length, patched below
  b.u8(opts.minInstLength);
  b.u8(1); // maximum_operations_per_instruction
  b.u8(1); // default_is_stmt
  b.u8(LINE_BASE & 0xff);
  b.u8(LINE_RANGE);
  b.u8(OPCODE_BASE);
  for (const n of STANDARD_OPCODE_LENGTHS) b.u8(n);
  b.u8(0); // no include_directories: file names are as the assembler was given them
  for (const f of unit.files) {
    b.str(f);
    b.uleb(0); // directory: the compilation directory
    b.uleb(0); // modification time: unknown
    b.uleb(0); // length: unknown
  }
  b.u8(0);
  b.patch(headerLengthAt, b.len - headerLengthAt - 4, 4);
  const step = opts.minInstLength;
  unit.functions.forEach((f, i) => {
    b.u8(0);
    b.uleb(1 + opts.addressSize);
    b.u8(DW_LNE_set_address);
    address(b, i, f.address);
    // The state machine starts each sequence at file 1, line 1.
    let file = 0;
    let line = 1;
    let offset = 0;
    for (const r of f.rows) {
      // Rows the encoding cannot say (out of order or outside the function,
      // between instructions, no line or file) are left out: whatever made
      // them, the program stays well formed.
      const fits = isIndex(r.offset, f.size) && r.offset >= offset && r.offset % step === 0 && isIndex(r.line, 2 ** 31) && isIndex(r.file, unit.files.length);
      if (!fits) continue;
      if (r.file !== file) {
        b.u8(DW_LNS_set_file);
        b.uleb(r.file + 1);
        file = r.file;
      }
      emitRow(b, (r.offset - offset) / step, r.line - line);
      offset = r.offset;
      line = r.line;
    }
    const end = Number.isFinite(f.size) ? Math.floor(f.size / step) * step : offset;
    if (end > offset) {
      b.u8(DW_LNS_advance_pc);
      b.uleb((end - offset) / step);
    }
    b.u8(0);
    b.uleb(1);
    b.u8(DW_LNE_end_sequence);
  });
  b.patch(start, b.len - start - 4, 4);
}

const DW_CFA_advance_loc = 0x40;
const DW_CFA_offset = 0x80;
const DW_CFA_restore = 0xc0;
const DW_CFA_nop = 0x00;
const DW_CFA_advance_loc1 = 0x02;
const DW_CFA_advance_loc2 = 0x03;
const DW_CFA_advance_loc4 = 0x04;
const DW_CFA_def_cfa = 0x0c;
const DW_CFA_def_cfa_offset = 0x0e;

/** The one CIE (version 1): at a call, CFA = SP + entryCfa and the return address is just below it. */
function writeCie(b: Bytes, c: CallFrameConventions, addressSize: number): void {
  b.uint(0, 4); // length, patched below
  b.uint(0xffffffff, 4); // CIE_id
  b.u8(1); // version
  b.u8(0); // no augmentation
  b.uleb(c.codeAlign);
  b.sleb(c.dataAlign);
  b.u8(c.raReg);
  b.u8(DW_CFA_def_cfa);
  b.uleb(c.spReg);
  b.uleb(c.entryCfa);
  // On x86 the call pushed the return address just below the CFA; on arm64 it is in LR.
  if (c.entryCfa > 0) {
    b.u8(DW_CFA_offset | c.raReg);
    b.uleb(c.entryCfa / -c.dataAlign);
  }
  while (b.len % addressSize !== 0) b.u8(DW_CFA_nop);
  b.patch(0, b.len - 4, 4);
}

/** An FDE's instructions: each change of the frame, at its offset. Rows that cannot be (out of order, outside the function, between instructions) are left out. */
function writeFrameRows(b: Bytes, f: DebugFunction, c: CallFrameConventions): void {
  let at = 0;
  let sp = 0;
  let saved = 0;
  let onBp = false;
  for (const r of f.frames ?? []) {
    if (!isIndex(r.offset, f.size) || r.offset < at || r.offset % c.codeAlign !== 0 || !isIndex(r.sp + c.entryCfa, 2 ** 31) || !isIndex(r.saved, 2 ** 31)) continue;
    if (r.sp === sp && r.saved === saved && r.onBp === onBp) continue;
    const step = (r.offset - at) / c.codeAlign;
    if (step > 0 && step < 64) b.u8(DW_CFA_advance_loc | step);
    else if (step > 0 && step < 0x100) {
      b.u8(DW_CFA_advance_loc1);
      b.u8(step);
    } else if (step > 0 && step < 0x10000) {
      b.u8(DW_CFA_advance_loc2);
      b.uint(step, 2);
    } else if (step > 0) {
      b.u8(DW_CFA_advance_loc4);
      b.uint(step, 4);
    }
    at = r.offset;
    if (r.onBp !== onBp) {
      b.u8(DW_CFA_def_cfa);
      b.uleb(r.onBp ? c.bpReg : c.spReg);
      b.uleb(r.sp + c.entryCfa);
      onBp = r.onBp;
      sp = r.sp;
    } else if (r.sp !== sp) {
      b.u8(DW_CFA_def_cfa_offset);
      b.uleb(r.sp + c.entryCfa);
      sp = r.sp;
    }
    if (r.saved !== saved) {
      if (r.saved === 0) for (const [reg] of c.savedAt(saved)) b.u8(DW_CFA_restore | reg);
      else
        for (const [reg, off] of c.savedAt(r.saved)) {
          b.u8(DW_CFA_offset | reg);
          b.uleb(off / -c.dataAlign);
        }
      saved = r.saved;
    }
  }
}

/** Whether v is an integer in [0, limit). */
function isIndex(v: number, limit: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < limit;
}

/** Appends a row `addrStep` instructions and `lineStep` lines on: one special opcode where one fits. */
function emitRow(b: Bytes, addrStep: number, lineStep: number): void {
  if (lineStep < LINE_BASE || lineStep >= LINE_BASE + LINE_RANGE) {
    b.u8(DW_LNS_advance_line);
    b.sleb(lineStep);
    lineStep = 0;
  }
  const special = lineStep - LINE_BASE + LINE_RANGE * addrStep + OPCODE_BASE;
  if (special <= 255) {
    b.u8(special);
    return;
  }
  b.u8(DW_LNS_advance_pc);
  b.uleb(addrStep);
  if (lineStep === 0) {
    b.u8(DW_LNS_copy);
    return;
  }
  b.u8(lineStep - LINE_BASE + OPCODE_BASE);
}
