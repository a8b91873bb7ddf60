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

import { Bytes } from './bytes.js';
import { DW_CFA_nop, writeCie, writeFrameRows, type CallFrameConventions } from './call-frames.js';
import { writeLineProgram } from './line-program.js';

export { CFI_386, CFI_AMD64, CFI_ARM64, cfiOf, type CallFrameConventions } from './call-frames.js';

/** The DW_AT_producer asmlink writes. */
export const DWARF_PRODUCER = 'asmlink';

export interface DebugRow {
  /** Offset of the instruction in its function. */
  offset: number;
  /** Index in the unit's `files` (0 is the unit's own source). */
  file: number;
  line: number;
  /** The first instruction after the prologue the assembler inserted: debuggers stop here for `break FUNCTION`. */
  prologueEnd?: boolean;
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
    writeLineProgram(line, unit, opts, (b, fn, value) => address('.debug_line', b, u, fn, value));
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
