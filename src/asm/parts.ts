// Assembling one large file in parts, at once: where a file may be cut,
// and joining the parts' assemblies into the object assemble() would have
// made of the whole (host/parallel-asm.ts runs the parts on threads).
//
// A part is the file's bytes from one TEXT line to the next cut, assembled
// after the file's prefix: its leading blank, comment and # directive lines,
// which every part preprocesses for the macros and #includes they set up.
// That gives each part the state the whole file's assembly would have at its
// first line only when nothing after the prefix changes the state of the
// preprocessor: so a file is cut only if no # directive and no "/*" (a
// block comment a cut could fall into) follows its prefix, and only at a TEXT
// line that does not continue the line before (a trailing backslash). A
// function then lies whole in one part (it ends at the next TEXT), and so
// does each data symbol's GLOBL, or the parts are not joined: every other
// way the parts could differ from the whole (a name defined in two parts, a
// DATA in one part for a GLOBL in another, any error at all, an arm64 TLS
// declaration) makes joinParts give up, and the caller assembles the whole
// file as one, which reports what is wrong as it always does.

import { addData, type AssembledPart } from './assemble.js';
import { getBackend } from '../arch/registry.js';
import { objectFromColumns, type ObjectColumns } from '../obj/object-columns.js';
import type { DynImport, ObjectFile } from '../obj/symbol.js';
import type { Target } from '../target.js';

const NL = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;
const TILDE = 0x7e;
const TEXT = [0x54, 0x45, 0x58, 0x54]; // "TEXT"

/** Whether the line bytes[start, end) ends with a backslash (before a carriage return). */
function continues(bytes: Uint8Array, start: number, end: number): boolean {
  let e = end;
  if (e > start && bytes[e - 1] === CR) e--;
  return e > start && bytes[e - 1] === BACKSLASH;
}

/**
 * Where the prefix of a file whose first bytes are `head` ends: the start of
 * its first line that is not blank, a // comment, a # directive or the
 * continuation of one. -1 when that line is not in `head`, continues the
 * line before, or a block comment comes first.
 */
export function prefixEnd(head: Uint8Array): number {
  let lineStart = 0;
  let continued = false;
  while (lineStart < head.length) {
    const nl = head.indexOf(NL, lineStart);
    if (nl < 0) return -1; // the line may go on past head
    let first = lineStart;
    while (first < nl && (head[first] === SPACE || head[first] === TAB)) first++;
    const blank = first === nl || (first === nl - 1 && head[first] === CR);
    const directive = head[first] === HASH;
    const comment = head[first] === SLASH && head[first + 1] === SLASH;
    // "/*" anywhere in the prefix: not worth following where it ends.
    for (let i = head.indexOf(SLASH, lineStart); i >= 0 && i < nl; i = head.indexOf(SLASH, i + 1)) if (head[i + 1] === STAR) return -1;
    if (!(blank || directive || comment || continued)) return lineStart;
    continued = continues(head, lineStart, nl);
    lineStart = nl + 1;
  }
  return -1;
}

/**
 * Whether lines (whole lines of the file after its prefix) hold what stops
 * the file from being cut: a # directive, or a "/*" anywhere. A '#' is a
 * directive when nothing but blanks comes before it on its line (any byte
 * below '!' or above '~' counts as one: the preprocessor trims Unicode
 * blanks too); in an operand or a // comment it is not.
 */
export function blocksCutting(lines: Uint8Array): boolean {
  for (let i = lines.indexOf(HASH); i >= 0; i = lines.indexOf(HASH, i + 1)) {
    let j = i - 1;
    while (j >= 0 && lines[j] !== NL && (lines[j] <= SPACE || lines[j] > TILDE)) j--;
    if (j < 0 || lines[j] === NL) return true;
  }
  for (let i = lines.indexOf(SLASH); i >= 0; i = lines.indexOf(SLASH, i + 1)) if (lines[i + 1] === STAR) return true;
  return false;
}

/**
 * The start of the first line that begins after window[from] (window holds
 * bytes of the file), starts with TEXT and a blank, and does not continue
 * the line before; -1 when the window holds none.
 */
export function textLineAfter(window: Uint8Array, from: number): number {
  for (let nl = window.indexOf(NL, from); nl >= 0; nl = window.indexOf(NL, nl + 1)) {
    const at = nl + 1;
    if (at + TEXT.length >= window.length) return -1;
    if (window[at] !== TEXT[0] || window[at + 1] !== TEXT[1] || window[at + 2] !== TEXT[2] || window[at + 3] !== TEXT[3]) continue;
    const after = window[at + 4];
    if (after !== SPACE && after !== TAB) continue;
    let end = nl;
    if (end > 0 && window[end - 1] === CR) end--;
    // The line before must be seen to end without a backslash.
    if (end > 0 && window[end - 1] !== BACKSLASH) return at;
  }
  return -1;
}

/**
 * A part after the first, assembled whole (functions, then data) after a
 * copy of the file's prefix, as a worker thread sends it.
 */
export interface LaterPart {
  cols: ObjectColumns;
  /** How many of the definitions are functions and float constants. */
  textCount: number;
  /** The names of the float constants among them. */
  constants: ReadonlySet<string>;
  dynimports: DynImport[];
  /** Newlines in the prefix and the part. */
  newlines: number;
  declaresTls: boolean;
}

/** A part after the first as a LaterPart: its data defined after its functions; null on any error. */
export function laterPart(part: AssembledPart): LaterPart | null {
  const textCount = part.out.count;
  addData(part);
  if (part.diag.hasErrors) return null;
  return { cols: part.out.finish(), textCount, constants: part.constants, dynimports: part.dynimports, newlines: part.newlines, declaresTls: part.declaresTls };
}

/**
 * The object assemble() makes of the whole file, from its first part
 * (assembled from the file's start) and the later parts in file order,
 * each assembled after a copy of the prefix, which held prefixNewlines
 * newlines; null when they cannot be joined into exactly that (see above).
 * The first part's columns are built on.
 */
export function joinParts(target: Target, file: string, first: AssembledPart, later: readonly LaterPart[], prefixNewlines: number): ObjectFile | null {
  if (first.diag.hasErrors) return null;
  if (getBackend(target.arch).tlsDeclaredFirst && (first.declaresTls || later.some((p) => p.declaresTls))) return null;
  // A later part's lines move by the newlines of the parts before it, less the prefix's.
  const offsets: number[] = [];
  let before = first.newlines;
  for (const p of later) {
    offsets.push(before - prefixNewlines);
    before += p.newlines - prefixNewlines;
  }
  const out = first.out;
  const constants = new Set(first.constants);
  const chunkBases = later.map((p) => out.adoptChunks(p.cols));
  const ids = later.map((p) => new Int32Array(p.cols.names.length).fill(-1));
  // A float constant is added once, after the first function that loads it.
  const constant = (made: ReadonlySet<string>) => (name: string) => {
    if (!made.has(name)) return undefined;
    if (constants.has(name)) return 'skip';
    constants.add(name);
    return 'add';
  };
  // The whole file's order: its functions (and constants), then its data.
  // A name defined in two parts gives up: the whole file's assembly reports it.
  for (let k = 0; k < later.length; k++) {
    const p = later[k];
    if (out.addFrom(p.cols, 0, p.textCount, chunkBases[k], ids[k], offsets[k], p.constants.size ? constant(p.constants) : undefined) >= 0) return null;
  }
  addData(first);
  if (first.diag.hasErrors) return null;
  for (let k = 0; k < later.length; k++) {
    const p = later[k];
    if (out.addFrom(p.cols, p.textCount, p.cols.count, chunkBases[k], ids[k], offsets[k]) >= 0) return null;
  }
  // Every part read the prefix's //go:cgo_import_dynamic lines, and those of the files it #includes.
  const dynimports: DynImport[] = [...first.dynimports];
  later.forEach((p, k) => {
    for (const d of p.dynimports) if (d.file === file && d.line > prefixNewlines) dynimports.push({ ...d, line: d.line + offsets[k] });
  });
  return objectFromColumns(target, file, out.finish(), dynimports);
}
