// The unwind information of a Mach-O executable (__TEXT,__unwind_info),
// made from the compact unwind records that compilers put in their 64-bit
// objects (__LD,__compact_unwind). The unwinder (libunwind in libSystem:
// C++ exceptions, backtraces, debuggers) finds a program counter's
// function in it by two binary searches, a first-level index over pages of
// entries, then the page, and reads the function's compact encoding: how
// its frame was built, and the personality routine and language-specific
// data area (LSDA) C++ exceptions need. Without it no frame of the program
// can be unwound, and a C++ `throw` ends in std::terminate.
//
// The section, as <mach-o/compact_unwind_encoding.h> lays it out (all
// fields u32 unless said, offsets from the section's start, function
// offsets from the image's start):
//   header: version 1, common encodings (offset, count: none here),
//           personalities (offset, count), first-level index (offset, count)
//   personalities: each the image offset of a GOT slot dyld binds to the routine
//   first-level index: per page { first function, page offset, its first LSDA entry },
//           then a sentinel { end of the last function, 0, end of the LSDA entries }
//   LSDA index: { function, LSDA } for the functions that have one, by function
//   pages ("regular": kind 2, u16 entry offset, u16 count, then { function, encoding })
// Every function of __text has an entry (those without a record, asmlink's
// own, encoding 0: nothing to unwind by), so that none is taken for the
// function before it; consecutive entries of one encoding without an LSDA
// are one, as ld64 folds them.

import { plainError } from '../diag.js';
import { isImport, type Import, type LSym, type Program } from './program.js';
import { relocAt, scratchReloc } from './reloc-cols.js';

/** A record's size and its fields: function address (8), length (4), encoding (4), personality (8), LSDA (8). */
export const UNWIND_RECORD = 32;
const FIELD_LENGTH = 8;
const FIELD_ENCODING = 12;
export const UNWIND_PERSONALITY = 16;
const FIELD_LSDA = 24;

const HAS_LSDA = 0x40000000;
const PERSONALITY_SHIFT = 28;
const PERSONALITY_MASK = 0x30000000;
const MODE_MASK = 0x0f000000;
/** The mode of a function described only by DWARF (__eh_frame), per architecture. */
const DWARF_MODE: Record<string, number> = { amd64: 0x04000000, arm64: 0x03000000 };
const REGULAR_PAGE = 2;
/** Entries of a regular page, as a 4 KiB page holds them after its 8-byte header. */
const PAGE_ENTRIES = 511;
const HEADER = 28;

/** The entries, personalities and size of a program's __unwind_info, known before addresses are. */
export interface UnwindPlan {
  /** Per entry: where its function starts in the text section, its encoding (personality bits included), its LSDA (address as a target and addend) or null. */
  starts: number[];
  encodings: number[];
  lsdas: ({ sym: LSym; add: number } | null)[];
  /** The personality routines, in the order of their indexes (1-based in encodings). */
  personalities: (LSym | Import)[];
  pages: number;
  lsdaCount: number;
  /** Where the last entry's reach ends, in the text section. */
  end: number;
  size: number;
}

interface RecordFacts {
  start: number;
  length: number;
  encoding: number;
  personality: LSym | Import | null;
  lsda: { sym: LSym; add: number } | null;
}

/**
 * The plan of __unwind_info from the program's compact unwind records, or
 * null when it has none. Records of a function whose copy another object's
 * took the place of (a C++ inline function in several objects) describe
 * nothing in the program and are dropped.
 */
export function planUnwindInfo(prog: Program): UnwindPlan | null {
  const syms = prog.sections.unwind.syms;
  if (syms.length === 0) return null;
  const dwarfMode = DWARF_MODE[prog.target.arch];
  const records: RecordFacts[] = [];
  const r = scratchReloc();
  for (const s of syms) {
    const n = Math.floor(s.data.length / UNWIND_RECORD);
    if (s.data.length % UNWIND_RECORD !== 0) throw plainError(`${s.name}: compact unwind records of ${s.data.length} bytes, not a multiple of ${UNWIND_RECORD}`, s.file);
    const fn: (LSym | null)[] = new Array(n).fill(null);
    const fnAdd: number[] = new Array(n).fill(0);
    const personality: (LSym | Import | null)[] = new Array(n).fill(null);
    const lsda: ({ sym: LSym; add: number } | null)[] = new Array(n).fill(null);
    for (let i = 0; i < s.rn; i++) {
      relocAt(s, i, r);
      const t = prog.relocs.target(s.r0 + i);
      if (t === null) continue;
      const j = Math.floor(r.off / UNWIND_RECORD);
      const field = r.off % UNWIND_RECORD;
      if (field === UNWIND_PERSONALITY) personality[j] = t;
      else if (isImport(t)) continue; // refused in planning (dynimport.ts)
      else if (field === 0) {
        fn[j] = t;
        fnAdd[j] = r.add;
      } else if (field === FIELD_LSDA) lsda[j] = { sym: t, add: r.add };
    }
    const dv = new DataView(s.data.buffer, s.data.byteOffset, s.data.byteLength);
    for (let j = 0; j < n; j++) {
      const f = fn[j];
      if (f === null) throw plainError(`${s.name}+0x${(j * UNWIND_RECORD).toString(16)}: a compact unwind record without a function`, s.file);
      if (f.obj !== s.obj) continue;
      if (f.section?.kind !== 'text') throw plainError(`${s.name}+0x${(j * UNWIND_RECORD).toString(16)}: a compact unwind record of ${f.name}, which is not code`, s.file);
      const encoding = dv.getUint32(j * UNWIND_RECORD + FIELD_ENCODING, true);
      // Its frame is described in __eh_frame alone, which is not linked for darwin: nothing to unwind by.
      const dwarf = (encoding & MODE_MASK) === dwarfMode;
      records.push({
        start: f.off + fnAdd[j],
        length: dv.getUint32(j * UNWIND_RECORD + FIELD_LENGTH, true),
        encoding: dwarf ? 0 : encoding & ~(HAS_LSDA | PERSONALITY_MASK),
        personality: dwarf ? null : personality[j],
        lsda: dwarf ? null : lsda[j],
      });
    }
  }
  // By address; of two records of one function the first read is kept.
  records.sort((a, b) => a.start - b.start);

  const personalities: (LSym | Import)[] = [];
  const starts: number[] = [];
  const encodings: number[] = [];
  const lsdas: ({ sym: LSym; add: number } | null)[] = [];
  const add = (start: number, encoding: number, lsda: { sym: LSym; add: number } | null): void => {
    const last = starts.length - 1;
    if (last >= 0 && starts[last] === start) return;
    if (last >= 0 && lsda === null && lsdas[last] === null && encodings[last] === encoding) return;
    starts.push(start);
    encodings.push(encoding);
    lsdas.push(lsda);
  };
  const text = prog.sections.text.syms;
  let covered = 0;
  let k = 0;
  const takeRecord = (): void => {
    const rec = records[k++];
    let enc = rec.encoding;
    if (rec.personality !== null) {
      let p = personalities.indexOf(rec.personality);
      if (p < 0) {
        p = personalities.push(rec.personality) - 1;
        if (p >= 3) throw plainError(`compact unwind: more than 3 personality routines (${personalities.map(personalityName).join(', ')}); __unwind_info has room for 3`);
      }
      enc |= (p + 1) << PERSONALITY_SHIFT;
    }
    if (rec.lsda !== null) enc |= HAS_LSDA;
    add(rec.start, enc, rec.lsda);
    covered = Math.max(covered, rec.start + rec.length);
  };
  for (let i = 0; i < text.length; i++) {
    const t = text[i];
    while (k < records.length && records[k].start <= t.off) takeRecord();
    if (t.off >= covered) add(t.off, 0, null);
  }
  while (k < records.length) takeRecord();
  const last = text[text.length - 1];
  const end = Math.max(covered, last ? last.off + Math.max(last.size, last.dataLen) : 0);

  const pages = Math.ceil(starts.length / PAGE_ENTRIES);
  const lsdaCount = lsdas.filter((l) => l !== null).length;
  const size = HEADER + 4 * personalities.length + 12 * (pages + 1) + 8 * lsdaCount + 8 * pages + 8 * starts.length;
  return { starts, encodings, lsdas, personalities, pages, lsdaCount, end, size };
}

function personalityName(p: LSym | Import): string {
  return isImport(p) ? p.local : p.name;
}

/**
 * The section's bytes, once addresses exist: `textOff` is the text
 * section's image offset, `slotOf` the image offset of a personality's GOT
 * slot, `imageOff` a definition's image offset.
 */
export function writeUnwindInfo(plan: UnwindPlan, textOff: number, slotOf: (p: LSym | Import) => number, imageOff: (s: LSym) => number): Uint8Array {
  const out = new Uint8Array(plan.size);
  const dv = new DataView(out.buffer);
  const nP = plan.personalities.length;
  const personalitiesAt = HEADER;
  const indexAt = personalitiesAt + 4 * nP;
  const lsdaAt = indexAt + 12 * (plan.pages + 1);
  const pagesAt = lsdaAt + 8 * plan.lsdaCount;
  dv.setUint32(0, 1, true);
  dv.setUint32(4, HEADER, true);
  dv.setUint32(8, 0, true);
  dv.setUint32(12, personalitiesAt, true);
  dv.setUint32(16, nP, true);
  dv.setUint32(20, indexAt, true);
  dv.setUint32(24, plan.pages + 1, true);
  plan.personalities.forEach((p, i) => dv.setUint32(personalitiesAt + 4 * i, slotOf(p), true));
  let lsdaN = 0;
  let pageAt = pagesAt;
  const n = plan.starts.length;
  for (let page = 0; page < plan.pages; page++) {
    const first = page * PAGE_ENTRIES;
    const count = Math.min(PAGE_ENTRIES, n - first);
    const ix = indexAt + 12 * page;
    dv.setUint32(ix, textOff + plan.starts[first], true);
    dv.setUint32(ix + 4, pageAt, true);
    dv.setUint32(ix + 8, lsdaAt + 8 * lsdaN, true);
    dv.setUint32(pageAt, REGULAR_PAGE, true);
    dv.setUint16(pageAt + 4, 8, true);
    dv.setUint16(pageAt + 6, count, true);
    for (let e = 0; e < count; e++) {
      const i = first + e;
      const fn = textOff + plan.starts[i];
      dv.setUint32(pageAt + 8 + 8 * e, fn, true);
      dv.setUint32(pageAt + 12 + 8 * e, plan.encodings[i] >>> 0, true);
      const l = plan.lsdas[i];
      if (l !== null) {
        dv.setUint32(lsdaAt + 8 * lsdaN, fn, true);
        dv.setUint32(lsdaAt + 8 * lsdaN + 4, imageOff(l.sym) + l.add, true);
        lsdaN++;
      }
    }
    pageAt += 8 + 8 * count;
  }
  // The sentinel: where the last function ends; its LSDA entries end the array.
  const sentinel = indexAt + 12 * plan.pages;
  dv.setUint32(sentinel, textOff + plan.end, true);
  dv.setUint32(sentinel + 4, 0, true);
  dv.setUint32(sentinel + 8, lsdaAt + 8 * lsdaN, true);
  return out;
}
