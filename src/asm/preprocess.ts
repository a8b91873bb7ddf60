// The preprocessor: #include, #define (with and without arguments), #undef,
// #ifdef/#ifndef/#else/#endif, backslash continuation and comments — the
// subset of cpp that Go's assembler implements. It also picks up the
// `//go:cgo_import_dynamic` comment directives before comments are dropped.
//
// Output is a list of logical lines, each remembering the file and line it
// came from, so every later diagnostic points at the original source, through
// includes and macro expansion.

import type { SourcePos } from '../diag.js';
import { DiagnosticSink } from '../diag.js';
import type { DynImport } from '../obj/symbol.js';
import { bundledHeaders } from './headers.js';
import { LexError, tokenize, tokens } from './lexer.js';

export interface SourceLine {
  text: string;
  file: string;
  line: number;
  /**
   * Column (1-based) of each character of text in the original line; null when
   * they coincide (col = index + 1). A plain array: it is small and dies young,
   * where a typed array would need a backing store of its own.
   */
  colMap: readonly number[] | null;
  /**
   * When the preprocessor lexed the line itself (to look for macro names) and
   * handed it straight to onLine, the number of tokens it left in the lexer's
   * pool, which the parser then uses as they are; otherwise -1.
   */
  lexed: number;
}

export interface PreprocessOptions {
  /** Directories searched by #include after the including file's own directory. */
  includeDirs?: readonly string[];
  /** Reads a file; undefined when it does not exist. Absent: only bundled headers can be included. */
  readFile?: (path: string) => string | undefined;
  /** Predefined macros (`-D NAME=value`). */
  defines?: Readonly<Record<string, string>>;
}

/**
 * Takes a plain line straight from the file text: src[lineStart:end) is the
 * line (without its newline), first its first non-blank index. Returns true
 * when it handled the line, false to have it go through the general path
 * (comments, macro expansion, then onLine). Called only for an active line
 * outside a block comment, holding no `/`, not continued by a backslash and
 * not a directive.
 */
export type FastLine = (src: string, lineStart: number, first: number, end: number, file: string, line: number, macros: MacroTable) => boolean;

export interface PreprocessResult {
  lines: SourceLine[];
  dynimports: DynImport[];
  /** Newlines in the main source (not its #includes): its last line's number is one more. */
  newlines: number;
}

interface Macro {
  name: string;
  params: string[] | null; // null: object-like
  body: string;
  pos: SourcePos;
}

interface Cond {
  /** Whether lines in the current branch are kept. */
  active: boolean;
  /** Whether the enclosing region is active. */
  parentActive: boolean;
  seenElse: boolean;
  pos: SourcePos;
}

const MAX_INCLUDE_DEPTH = 64;
const MAX_EXPANSION = 1 << 20;

function isIdStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}

function isIdPart(c: number): boolean {
  return isIdStart(c) || (c >= 0x30 && c <= 0x39);
}

/**
 * The macro table, with a filter on (length, first character) of the names it
 * holds, so the scan of a line can pass over an identifier that names no macro
 * without cutting it out as a string: most lines hold no macro at all.
 */
export class MacroTable extends Map<string, Macro> {
  private readonly counts = new Uint16Array(64 * 128);
  private static key(len: number, first: number): number {
    return (len < 63 ? len : 63) * 128 + (first & 127);
  }
  override set(name: string, m: Macro): this {
    if (!this.has(name)) this.counts[MacroTable.key(name.length, name.charCodeAt(0))]++;
    return super.set(name, m);
  }
  override delete(name: string): boolean {
    if (!super.delete(name)) return false;
    this.counts[MacroTable.key(name.length, name.charCodeAt(0))]--;
    return true;
  }
  /** Whether s[i:j] names a macro (without cutting the name out when the filter says no). */
  names(s: string, i: number, j: number): boolean {
    return this.size !== 0 && this.mayName(s, i, j) && this.has(s.slice(i, j));
  }
  /** The value of an object-like macro whose body is a plain decimal below 2^31 (NOSPLIT), else -1. */
  number(s: string, i: number, j: number): number {
    if (!this.mayName(s, i, j)) return -1;
    const m = this.get(s.slice(i, j));
    return m !== undefined && m.params === null && /^(0|[1-9][0-9]{0,8})$/.test(m.body) ? Number(m.body) : -1;
  }
  /** False when no macro can be named s[i:j]. */
  mayName(s: string, i: number, j: number): boolean {
    return this.counts[MacroTable.key(j - i, s.charCodeAt(i))] !== 0;
  }
}

/**
 * Finds the next identifier at or after i that names a macro, skipping string
 * and character literals, numbers, and identifier parts after a dot (`B.EQ`).
 * Returns [start, end] or null. This is the preprocessor's hot loop: most
 * lines hold no macro at all and leave it without allocating.
 */
function nextMacro(s: string, i: number, macros: MacroTable, skip?: ReadonlySet<string>): [number, number] | null {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      let j = i + 1;
      while (j < n && s.charCodeAt(j) !== c) j += s.charCodeAt(j) === 0x5c ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (c >= 0x30 && c <= 0x39) {
      while (i < n && (isIdPart(s.charCodeAt(i)) || s.charCodeAt(i) === 0x2e)) i++;
      continue;
    }
    if (!isIdStart(c)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isIdPart(s.charCodeAt(j))) j++;
    if ((i === 0 || s.charCodeAt(i - 1) !== 0x2e) && macros.mayName(s, i, j)) {
      const name = s.slice(i, j);
      if (macros.has(name) && !(skip && skip.has(name))) return [i, j];
    }
    i = j;
  }
  return null;
}

/**
 * Lexes a line and checks its identifiers for macro names, as nextMacro
 * would: the first dot-separated part of each identifier not preceded by a
 * dot. Returns the number of tokens (left in the lexer's pool) when no macro
 * is named, or -1 when one is or the line does not lex (the general path then
 * expands it, and the parser reports any error). One scan instead of two for
 * the common line.
 */
function lexWithoutMacros(line: string, macros: MacroTable): number {
  let n: number;
  try {
    n = tokenize(line);
  } catch (e) {
    if (e instanceof LexError) return -1;
    throw e;
  }
  if (macros.size === 0) return n;
  for (let k = 0; k < n; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'ident' || (t.pos > 0 && line.charCodeAt(t.pos - 1) === 0x2e)) continue;
    const text = t.text;
    const dot = text.indexOf('.');
    const end = dot < 0 ? text.length : dot;
    if (macros.mayName(text, 0, end) && macros.has(dot < 0 ? text : text.slice(0, end))) return -1;
  }
  return n;
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : i === 0 ? '/' : path.slice(0, i);
}

export function joinPath(dir: string, name: string): string {
  if (name.startsWith('/') || dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/**
 * A source handed over in pieces, so that a large file is never held as one
 * string: each piece is decoded, scanned and dropped in turn. Pieces are
 * joined as they come; one ending inside a line is completed by the next.
 */
export interface SourcePieces {
  /** The next piece of the text, or undefined after the last. */
  next(): string | undefined;
  /** Whether the whole text contains s (the assembler asks before it reads the first piece). */
  includes(s: string): boolean;
}

/**
 * Preprocesses a file. With onLine, each logical line is handed over as soon
 * as it is ready (and `lines` comes back empty), so a large file streams
 * through the assembler without being held in memory twice (and, given
 * in pieces, without ever being one string).
 */
export function preprocess(source: string | SourcePieces, file: string, opts: PreprocessOptions, diag: DiagnosticSink, onLine?: (line: SourceLine) => void, fastLine?: FastLine): PreprocessResult {
  const macros = new MacroTable();
  for (const [name, body] of Object.entries(opts.defines ?? {})) {
    macros.set(name, { name, params: null, body, pos: { file: '<command line>', line: 0, col: 0 } });
  }
  const out: SourceLine[] = [];
  const dynimports: DynImport[] = [];
  const includeStack: string[] = [];

  /** Preprocesses one file; returns its number of newlines. */
  const processFile = (source: string | SourcePieces, fileName: string): number => {
    includeStack.push(fileName);
    const conds: Cond[] = [];
    // Physical lines are cut one at a time: an array of all of them would
    // outlive the young generation and be copied into the old one.
    let at = 0;
    let ln = 0;
    const pieces = typeof source === 'string' ? null : source;
    let text = pieces === null ? (source as string) : (pieces.next() ?? '');
    // With pieces, text is the current piece and lastNewline its last '\n':
    // a line starting after it may continue in the next piece, which is
    // joined to what is left of this one before that line is read.
    let lastNewline = pieces === null ? text.length : text.lastIndexOf('\n');
    let slash = -1;
    let ended = pieces === null;
    const refill = (): void => {
      for (;;) {
        const next = ended ? undefined : pieces!.next();
        if (next === undefined) {
          // After the last piece, what is left is the file's last line.
          ended = true;
          lastNewline = text.length;
          return;
        }
        text = text.slice(at) + next;
        at = 0;
        slash = -1;
        lastNewline = text.lastIndexOf('\n');
        if (lastNewline >= 0) return;
      }
    };
    const nextPhysical = (): string => {
      if (at > lastNewline && !ended) refill();
      let e = text.indexOf('\n', at);
      if (e < 0) e = text.length;
      const line = text.slice(at, e);
      at = e + 1;
      ln++;
      return line;
    };
    let inBlockComment: SourcePos | null = null;
    // slash (above) is the next '/' at or after `at` (text.length when none):
    // a line before it holds no comment, found without scanning each line for one.
    for (;;) {
      if (at > lastNewline) {
        if (!ended) refill();
        if (at > text.length) break;
      }
      // The fast path: a plain active line goes to fastLine by index, without
      // being cut out of the text.
      if (fastLine !== undefined && inBlockComment === null && (conds.length === 0 || conds[conds.length - 1]!.active)) {
        let e = text.indexOf('\n', at);
        if (e < 0) e = text.length;
        let le = e;
        if (le > at && text.charCodeAt(le - 1) === 0x0d) le--;
        if (slash < at) {
          slash = text.indexOf('/', at);
          if (slash < 0) slash = text.length;
        }
        if (slash >= le && (le === at || text.charCodeAt(le - 1) !== 0x5c)) {
          let first = at;
          let c = 0;
          while (first < le && ((c = text.charCodeAt(first)) === 0x20 || c === 0x09)) first++;
          if (first === le || (c !== 0x23 && fastLine(text, at, first, le, fileName, ln + 1, macros))) {
            at = e + 1;
            ln++;
            continue;
          }
        }
      }
      const lineNo = ln + 1;
      let raw = nextPhysical();
      if (raw.charCodeAt(raw.length - 1) === 0x0d) raw = raw.slice(0, -1);
      // Backslash continuation joins the next physical lines into this logical one.
      let joined = false;
      for (let bs = continuationAt(raw); bs >= 0; bs = continuationAt(raw)) {
        if (at > text.length) {
          diag.error({ file: fileName, line: lineNo, col: bs + 1 }, 'backslash continuation at end of file');
          raw = raw.slice(0, bs);
          break;
        }
        let next = nextPhysical();
        if (next.endsWith('\r')) next = next.slice(0, -1);
        // A newline is kept so a multi-line #define body keeps its statement
        // boundaries; in ordinary lines it is only a space (below).
        raw = raw.slice(0, bs) + '\n' + next;
        joined = true;
      }
      if (joined && !/^\s*#\s*define\b/.test(raw)) raw = raw.replace(/\n/g, ' ');
      const active = conds.length === 0 || conds[conds.length - 1]!.active;
      // Fast path for the common line: outside a block comment, no '/' (so no
      // comment and no //go: directive) and not a directive. Blank lines are
      // dropped; a streamed line that names no macro goes to onLine already
      // lexed; others go straight to macro expansion.
      if (inBlockComment === null) {
        const n = raw.length;
        let first = 0;
        let c = 0;
        while (first < n && ((c = raw.charCodeAt(first)) === 0x20 || c === 0x09)) first++;
        if (first === n) continue;
        if (c !== 0x23 && c > 0x20 && c < 0x80 && raw.indexOf('/') < 0) {
          if (!active) continue;
          if (onLine) {
            const count = lexWithoutMacros(raw, macros);
            if (count >= 0) {
              onLine({ text: raw, file: fileName, line: lineNo, colMap: null, lexed: count });
              continue;
            }
          }
          emitLine(raw, fileName, lineNo);
          continue;
        }
      }
      const pos = (col: number): SourcePos => ({ file: fileName, line: lineNo, col });

      if (active && inBlockComment === null && raw.includes('//go:')) {
        const m = /^\s*\/\/go:cgo_import_dynamic\b(.*)$/.exec(raw);
        if (m) {
          const d = parseDynImport(m[1]!, pos(raw.indexOf('//') + 1));
          if (typeof d === 'string') diag.error(pos(raw.indexOf('//') + 1), d);
          else dynimports.push(d);
          continue;
        }
      }
      let stripped: string;
      ({ text: stripped, inBlock: inBlockComment } = stripComments(raw, inBlockComment, pos));
      const trimmed = stripped.trimStart();
      if (trimmed.startsWith('#')) {
        const col = stripped.length - trimmed.length + 1;
        handleDirective(trimmed.slice(1), pos(col), conds, active, fileName);
        continue;
      }
      if (!active || trimmed === '') continue;
      emitLine(stripped, fileName, lineNo);
    }
    if (inBlockComment) diag.error(inBlockComment, 'unterminated /* comment');
    for (const c of conds) diag.error(c.pos, 'unterminated #ifdef/#ifndef (missing #endif)');
    includeStack.pop();
    // Every path above counts the (possibly empty) line after the last newline too.
    return ln - 1;
  };

  const emitLine = (text: string, fileName: string, lineNo: number): void => {
    let sl: SourceLine;
    try {
      sl = expandLine(text, fileName, lineNo, macros);
    } catch (e) {
      if (e instanceof ExpandError) {
        diag.error({ file: fileName, line: lineNo, col: e.col }, e.message);
        return;
      }
      throw e;
    }
    if (onLine) onLine(sl);
    else out.push(sl);
  };

  const handleDirective = (body: string, pos: SourcePos, conds: Cond[], active: boolean, fileName: string): void => {
    const m = /^\s*([A-Za-z_]+)\s*(.*)$/s.exec(body);
    if (!m) {
      if (active && body.trim() !== '') diag.error(pos, `malformed preprocessor directive #${body.trim()}`);
      return;
    }
    const [, name, rest] = m as unknown as [string, string, string];
    const top = conds[conds.length - 1];
    switch (name) {
      case 'ifdef':
      case 'ifndef': {
        const id = rest.trim();
        if (active && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(id)) diag.error(pos, `#${name} needs one macro name`);
        const defined = macros.has(id);
        conds.push({ active: active && (name === 'ifdef' ? defined : !defined), parentActive: active, seenElse: false, pos });
        return;
      }
      case 'else':
        if (!top) return diag.error(pos, '#else without #ifdef');
        if (top.seenElse) return diag.error(pos, 'second #else for the same #ifdef');
        top.seenElse = true;
        top.active = top.parentActive && !top.active;
        return;
      case 'endif':
        if (!top) return diag.error(pos, '#endif without #ifdef');
        conds.pop();
        return;
    }
    if (!active) return;
    switch (name) {
      case 'define': {
        const d = /^([A-Za-z_][A-Za-z0-9_]*)(\(([^)]*)\))?(.*)$/s.exec(rest);
        if (!d) return diag.error(pos, '#define needs a macro name');
        const params = d[2] !== undefined ? d[3]!.split(',').map((p) => p.trim()).filter((p) => p !== '') : null;
        if (params && params.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) return diag.error(pos, `bad parameter list in #define ${d[1]}`);
        const macro: Macro = { name: d[1]!, params, body: d[4]!.trim().replace(/\s*\n\s*/g, '; '), pos };
        const old = macros.get(macro.name);
        if (old && (old.body !== macro.body || String(old.params) !== String(macro.params))) {
          return diag.error(pos, `macro ${macro.name} redefined`, [`previous definition at ${old.pos.file}:${old.pos.line}`]);
        }
        macros.set(macro.name, macro);
        return;
      }
      case 'undef':
        macros.delete(rest.trim());
        return;
      case 'include': {
        const inc = /^(?:"([^"]+)"|<([^>]+)>)\s*$/.exec(rest);
        if (!inc) return diag.error(pos, '#include expects "file" or <file>');
        const target = (inc[1] ?? inc[2])!;
        if (includeStack.length >= MAX_INCLUDE_DEPTH) return diag.error(pos, `#include nested too deeply (recursive include of ${target}?)`);
        const found = findInclude(target, fileName, opts);
        if (!found) return diag.error(pos, `#include file not found: ${target}`);
        processFile(found.text, found.path);
        return;
      }
      case 'line':
        return;
      default:
        diag.error(pos, `unknown preprocessor directive #${name}`);
    }
  };

  const newlines = processFile(source, file);
  return { lines: out, dynimports, newlines };
}

function findInclude(name: string, from: string, opts: PreprocessOptions): { path: string; text: string } | undefined {
  const candidates = name.startsWith('/') ? [name] : [joinPath(dirname(from), name), ...(opts.includeDirs ?? []).map((d) => joinPath(d, name))];
  if (opts.readFile) {
    for (const c of candidates) {
      const text = opts.readFile(c);
      if (text !== undefined) return { path: c, text };
    }
  }
  const bundled = bundledHeaders.get(name);
  return bundled === undefined ? undefined : { path: `<asmlink>/${name}`, text: bundled };
}

/** `local remote "library"`, `local remote`, `local`, or `_ _ "library"`; remote may be `name#VERSION`. */
function parseDynImport(rest: string, pos: SourcePos): DynImport | string {
  const m = /^\s+(\S+)(?:\s+([^\s"]+))?(?:\s+"([^"]*)")?\s*$/.exec(rest);
  if (!m) return 'malformed //go:cgo_import_dynamic: want local [remote ["library"]]';
  const local = m[1]!;
  const remote = m[2] ?? local;
  const library = m[3] ?? '';
  if (local === '_' && (remote !== '_' || library === '')) return '//go:cgo_import_dynamic _ needs the form: _ _ "library"';
  const d: DynImport = { local: local.replace(/\u00b7/g, '.').replace(/\u2215/g, '/'), remote, library, file: pos.file, line: pos.line };
  // `remote#VERSION` (Go's form) asks for an ELF symbol version; split it
  // here so every consumer sees the plain name and the version apart.
  const hash = remote.indexOf('#');
  if (hash >= 0) {
    d.remote = remote.slice(0, hash);
    const version = remote.slice(hash + 1);
    if (d.remote === '' || version === '' || version.includes('#')) return `malformed symbol version in ${remote}: want name#VERSION`;
    d.version = version;
  }
  return d;
}

/** Removes `//` and `/* *\/` comments, leaving string and character literals alone. Keeps indices stable by blanking. */
function stripComments(line: string, inBlock: SourcePos | null, pos: (col: number) => SourcePos): { text: string; inBlock: SourcePos | null } {
  if (inBlock === null && !line.includes('/')) return { text: line, inBlock };
  let out = '';
  let i = 0;
  let plain = 0;
  const n = line.length;
  while (i < n) {
    if (inBlock) {
      const end = line.indexOf('*/', i);
      if (end < 0) return { text: out, inBlock };
      out += ' '.repeat(end + 2 - i);
      i = end + 2;
      plain = i;
      inBlock = null;
      continue;
    }
    const c = line.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      let j = i + 1;
      while (j < n && line.charCodeAt(j) !== c) j += line.charCodeAt(j) === 0x5c ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (c === 0x2f && line.charCodeAt(i + 1) === 0x2f) return { text: out + line.slice(plain, i), inBlock };
    if (c === 0x2f && line.charCodeAt(i + 1) === 0x2a) {
      out += line.slice(plain, i) + '  ';
      inBlock = pos(i + 1);
      i += 2;
      plain = i;
      continue;
    }
    i++;
  }
  return { text: out + line.slice(plain, Math.min(i, n)), inBlock };
}

/**
 * Where a physical line's continuation backslash is, or -1: the last
 * character outside comments, which Go's lexer drops first — a // comment
 * after it (`MOVL a, y3; \ // y3 = a` in Go's crypto/sha256) or block
 * comments around it (`MOVOU X6, X13 \ /* t0 = row4l;\ *\/` in minio's
 * blake2b-simd). A line that ends in a backslash continues whatever it holds.
 */
function continuationAt(raw: string): number {
  const n = raw.length;
  if (n > 0 && raw.charCodeAt(n - 1) === 0x5c) return n - 1;
  if (!raw.includes('\\')) return -1;
  // Without its comments (stripComments keeps the columns), the line's last character.
  const code = stripComments(raw, null, NOWHERE).text.trimEnd();
  return code.endsWith('\\') ? code.length - 1 : -1;
}

/** stripComments' place for a block comment's start, where none is reported. */
const NOWHERE = (col: number): SourcePos => ({ file: '', line: 0, col });

class ExpandError {
  constructor(
    readonly col: number,
    readonly message: string,
  ) {}
}

/**
 * Expands macros in one line. The result keeps, for every character, the
 * column it came from: an expansion maps to the column of the macro's name.
 */
function expandLine(line: string, file: string, lineNo: number, macros: MacroTable): SourceLine {
  let found = nextMacro(line, 0, macros);
  if (found === null) return { text: line, file, line: lineNo, colMap: null, lexed: -1 };
  let text = '';
  const cols: number[] = [];
  const emit = (s: string, col: number | null, from: number) => {
    text += s;
    for (let k = 0; k < s.length; k++) cols.push(col ?? from + k + 1);
  };
  let plainStart = 0;
  while (found !== null) {
    const [i, end] = found;
    const name = line.slice(i, end);
    const done = expandCall(line, end, macros.get(name)!, macros, NONE_ACTIVE, 0, i + 1);
    if (done === null) {
      found = nextMacro(line, end, macros);
      continue;
    }
    emit(line.slice(plainStart, i), null, plainStart);
    emit(done.text, i + 1, 0);
    plainStart = done.end;
    found = nextMacro(line, done.end, macros);
  }
  emit(line.slice(plainStart), null, plainStart);
  return { text, file, line: lineNo, colMap: cols, lexed: -1 };
}

/** Arguments of a function-like macro at s[i] (after its name), or null when it is not called. */
function invocation(s: string, i: number, macro: Macro, col: number): { args: string[]; end: number } | null {
  if (macro.params === null) return { args: [], end: i };
  let j = i;
  while (s[j] === ' ' || s[j] === '\t') j++;
  if (s[j] !== '(') return null;
  const args: string[] = [];
  let depth = 0;
  let start = j + 1;
  for (let k = j + 1; k < s.length; k++) {
    const ch = s[k];
    if (ch === '(') depth++;
    else if (ch === ')') {
      if (depth === 0) {
        args.push(s.slice(start, k).trim());
        if (args.length === 1 && args[0] === '' && macro.params.length === 0) args.length = 0;
        if (args.length !== macro.params.length) {
          throw new ExpandError(col, `macro ${macro.name} takes ${macro.params.length} argument(s), got ${args.length}`);
        }
        return { args, end: k + 1 };
      }
      depth--;
    } else if (ch === ',' && depth === 0) {
      args.push(s.slice(start, k).trim());
      start = k + 1;
    }
  }
  throw new ExpandError(col, `unterminated call of macro ${macro.name}`);
}

function substitute(macro: Macro, args: string[]): string {
  if (!macro.params || macro.params.length === 0) return macro.body;
  const params = macro.params;
  return macro.body.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (id) => {
    const k = params.indexOf(id);
    return k < 0 ? id : args[k]!;
  });
}

/** Rescans an expansion for further macros, never re-expanding one inside itself. */
function expandText(s: string, macros: MacroTable, active: ReadonlySet<string>, depth: number, col: number): string {
  if (depth > 64) throw new ExpandError(col, 'macro expansion nested too deeply');
  if (s.length > MAX_EXPANSION) throw new ExpandError(col, 'macro expansion too large');
  let out = '';
  let plain = 0;
  let found = nextMacro(s, 0, macros, active);
  while (found !== null) {
    const [i, end] = found;
    const name = s.slice(i, end);
    const done = expandCall(s, end, macros.get(name)!, macros, active, depth + 1, col);
    if (done === null) {
      found = nextMacro(s, end, macros, active);
      continue;
    }
    out += s.slice(plain, i) + done.text;
    if (out.length > MAX_EXPANSION) throw new ExpandError(col, 'macro expansion too large');
    plain = done.end;
    found = nextMacro(s, done.end, macros, active);
  }
  return out + s.slice(plain);
}

const NONE_ACTIVE: ReadonlySet<string> = new Set();

/**
 * The macro named just before s[end], when it is called there: its
 * expansion and where s continues after the call, or null. Arguments are
 * expanded before they are substituted, as in C, so an argument may call the
 * macro being expanded (Go's runtime/libfuzzer_amd64.s has
 * `#define REPEAT_512(a) REPEAT_8(REPEAT_8(REPEAT_8(a)))`); the body is then
 * rescanned with the macro itself no longer expandable (`active`).
 */
function expandCall(s: string, end: number, macro: Macro, macros: MacroTable, active: ReadonlySet<string>, depth: number, col: number): { text: string; end: number } | null {
  const call = invocation(s, end, macro, col);
  if (call === null) return null;
  const inner = new Set(active).add(macro.name);
  const args = call.args.map((a) => (nextMacro(a, 0, macros, active) === null ? a : expandText(a, macros, active, depth, col)));
  return callAfter(expandText(substitute(macro, args), macros, inner, depth, col), s, call.end, macros, inner, depth, col);
}

/**
 * An expansion that ends with the name of a function-like macro calls it with
 * the arguments that follow in the text, as a C preprocessor's rescan does:
 * with `#define FUNC4 FUNC2`, `FUNC4(a, b)` is `FUNC2(a, b)` (Go's
 * crypto/sha1). Returns the expansion and where the text continues.
 */
function callAfter(expansion: string, s: string, end: number, macros: MacroTable, active: ReadonlySet<string>, depth: number, col: number): { text: string; end: number } {
  const tail = /([A-Za-z_\u00b7\u2215][A-Za-z0-9_\u00b7\u2215]*)\s*$/.exec(expansion);
  const macro = tail ? macros.get(tail[1]!) : undefined;
  if (!tail || !macro || macro.params === null || active.has(macro.name)) return { text: expansion, end };
  const next = expandCall(s, end, macro, macros, active, depth + 1, col);
  return next === null ? { text: expansion, end } : { text: expansion.slice(0, tail.index) + next.text, end: next.end };
}
