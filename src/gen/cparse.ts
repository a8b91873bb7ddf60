// The declaration parser: C prototypes and typedefs → FuncDecl records.
//
// It accepts the declarations one finds in headers once macros are gone:
// `ssize_t write(int fd, const void *buf, size_t n);`, function pointers
// (`void (*fn)(int)`), arrays in parameters (decay to pointers), `...`,
// qualifiers, `extern`, `__attribute__((...))`, `__asm__("name")` labels,
// `struct tag;` forward declarations and `typedef`s of anything it can parse.
// Struct bodies are skipped (only pointers to structs cross the boundary).
// Preprocessor conditionals are followed over the target's predefined macros
// and the header's #defines (cpp-conditions.ts), so include guards, `#ifdef
// __cplusplus` and per-OS or per-arch blocks work; the header's object-like
// macros are expanded in declarations (`MYLIB_API int f(void);`).
//
// Generator options ride on comments, so a header stays valid C:
//   //asmlink:varargs 4                    four word-sized variadic arguments
//   //asmlink:varargs int, const char *    variadic arguments of these types
//   //asmlink:callback [SYMBOL]            the next prototype describes a
//                                          function C calls back (see emit)
//   //asmlink:version GLIBC_2.1 [OS/ARCH...]  import the next prototype's
//                                          symbol at this ELF version
//                                          (`name#GLIBC_2.1`), only for the
//                                          targets listed (default: all)
//   //asmlink:library NAME [OS/ARCH...]    the imports declared after it, to
//                                          the next such line or the end of
//                                          its file, come from library NAME
//                                          on the targets listed (default:
//                                          all); without NAME, from the
//                                          default library again
// A target is OS/ARCH or an OS alone (`linux`: every linux architecture).
// `callback` as a leading keyword is the same as the directive without SYMBOL.

import { DiagnosticSink, type SourcePos } from '../diag.js';
import type { Target } from '../target.js';
import { CLexError, tokenizeC, type CToken } from './clex.js';
import { basicInt, boolType, builtinTypedefs, ptrTo, typeName, VOID, type CType } from './ctypes.js';
import { ConditionError, evaluateCondition, predefinedMacros } from './cpp-conditions.js';

export interface CParam {
  /** The parameter's name in the prototype, if it has one. */
  name?: string;
  type: CType;
  pos: SourcePos;
}

export type VarArgs = { kind: 'words'; count: number } | { kind: 'types'; types: CParam[] };

export interface FuncDecl {
  /** The name declared in C. */
  name: string;
  /** The symbol looked up in the library (the `__asm__("...")` label, else the name); for callbacks, the assembly function called. */
  remote: string;
  /** True when `__asm__("...")` or a callback directive named `remote` explicitly. */
  remoteGiven: boolean;
  pos: SourcePos;
  ret: CType;
  retPos: SourcePos;
  params: CParam[];
  variadic: boolean;
  /** How the variadic part is instantiated (from `//asmlink:varargs`); undefined means the default. */
  varargs?: VarArgs;
  /** Set for `//asmlink:callback` / `callback` declarations. */
  callback: boolean;
  /** ELF symbol version to import (from `//asmlink:version`, when it applies to the target). */
  version?: string;
  /** Library to import from (from `//asmlink:library`, when it applies to the target); absent: the generator's default. */
  library?: string;
}

export interface ParseOptions {
  file: string;
  target: Target;
  /**
   * Resolves `#include "name"` seen in file `from`; returns the file's path (for
   * diagnostics) and text, or undefined. Absent: #include is an error.
   */
  readInclude?: (name: string, from: string) => { file: string; text: string } | undefined;
  errorLimit?: number;
}

/**
 * Whether `name` is a symbol as the assembler reads one (`main·cmp`,
 * `example.com∕pkg·f`: a path's / is written ∕), so that a CALL of it assembles.
 */
export function isGoSymbol(name: string): boolean {
  return /^[\p{L}_\u00b7\u2215](?:[\p{L}\p{N}_\u00b7\u2215]|\.(?=[\p{L}\p{N}_\u00b7\u2215]))*$/u.test(name);
}

const MAX_MACRO_DEPTH = 200;
const MAX_EXPANSION = 1_000_000;

/** An open #if, #ifdef or #ifndef of a file. */
interface Conditional {
  word: string;
  pos: SourcePos;
  /** Whether the region around it is read. */
  outerActive: boolean;
  /** Whether the current branch is read. */
  active: boolean;
  /** Whether a branch has been read already (the rest are left out). */
  taken: boolean;
  sawElse: boolean;
}

/** System headers that declare only types (and macros) the generator knows without them: `#include <stddef.h>` is skipped. */
const TYPE_HEADERS = new Set(['<stddef.h>', '<stdint.h>', '<stdbool.h>', '<stdarg.h>', '<inttypes.h>', '<sys/types.h>']);

class ParseError extends Error {
  constructor(
    readonly pos: SourcePos,
    message: string,
  ) {
    super(message);
  }
}

const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict', '__restrict__', '__const', '__volatile__', '_Noreturn', '__extension__', 'extern', '__THROW', '__wur', '__inline']);
/** Words followed by a parenthesized argument list that does not change the type. */
const ATTRIBUTE_WORDS = new Set(['__attribute__', '__attribute', '__nonnull', '__declspec', '_Alignas']);
const ASM_WORDS = new Set(['__asm__', '__asm', 'asm']);
const BASIC_WORDS = new Set(['void', 'char', 'short', 'int', 'long', 'signed', 'unsigned', '_Bool', 'bool', 'float', 'double', '__int128', '_Complex', '__signed__', '__signed']);

interface Pending {
  callback?: { target?: string; pos: SourcePos };
  varargs?: { value: VarArgs; pos: SourcePos };
  /** value undefined: the directive names other targets. */
  version?: { value: string | undefined; pos: SourcePos };
}

/** Parses a header; throws DiagnosticError with every problem found. */
export function parseDeclarations(source: string, opts: ParseOptions): FuncDecl[] {
  const diag = new DiagnosticSink(opts.errorLimit ?? 20);
  const decls = parseInto(source, opts, diag);
  diag.check();
  return decls;
}

/** Parses a header, reporting problems to diag; returns the declarations that parsed. */
export function parseInto(source: string, opts: ParseOptions, diag: DiagnosticSink): FuncDecl[] {
  const p = new Parser(opts, diag);
  p.parseFile(source, opts.file, 0);
  if (p.pending.callback) diag.error(p.pending.callback.pos, '//asmlink:callback is not followed by a declaration');
  if (p.pending.varargs) diag.error(p.pending.varargs.pos, '//asmlink:varargs is not followed by a declaration');
  if (p.pending.version) diag.error(p.pending.version.pos, '//asmlink:version is not followed by a declaration');
  return p.decls;
}

/** Parses one C type name (`const char *`, `unsigned long`), as used in `//asmlink:varargs`. */
function typesOfDirective(p: Parser, text: string, pos: SourcePos): CParam[] {
  let toks: CToken[];
  try {
    toks = tokenizeC(text, pos.file);
  } catch (e) {
    if (e instanceof CLexError) throw new ParseError(pos, e.message);
    throw e;
  }
  // Directive tokens are positioned relative to the directive's text; map them onto its line.
  const shift = pos.col + 'asmlink:varargs '.length + 1;
  for (const t of toks) t.pos = { file: pos.file, line: pos.line, col: t.pos.col + shift };
  const sub = p.sub(toks, pos);
  const out: CParam[] = [];
  for (;;) {
    const start = sub.peekPos();
    const base = sub.specifiers();
    if (!base.type) throw new ParseError(start, 'expected a type in //asmlink:varargs');
    const d = sub.declarator(true);
    out.push({ type: decay(d.build(base.type)), pos: start });
    if (sub.atEnd()) break;
    sub.expect(',');
  }
  return out;
}

class Parser {
  readonly decls: FuncDecl[] = [];
  readonly typedefs: Map<string, CType>;
  pending: Pending = {};
  /** The library `//asmlink:library` set for this file's declarations that follow (undefined: the default). */
  private library: string | undefined;
  private toks: CToken[] = [];
  private i = 0;
  private endPos: SourcePos = { file: '', line: 1, col: 1 };
  /** The macros #if sees: the target's predefined ones and the header's #defines, across its #includes. */
  private readonly macros: Map<string, string>;
  /**
   * The header's #defines, by name: an object-like one's tokens, which a
   * declaration's use of it stands for; null for a function-like one, which
   * is not expanded (a use is an error).
   */
  private readonly bodies = new Map<string, CToken[] | null>();

  constructor(
    private readonly opts: ParseOptions,
    private readonly diag: DiagnosticSink,
    typedefs?: Map<string, CType>,
  ) {
    this.typedefs = typedefs ?? builtinTypedefs(opts.target);
    this.macros = predefinedMacros(opts.target);
  }

  /** A parser over other tokens sharing this one's typedefs (for directive arguments). */
  sub(toks: CToken[], end: SourcePos): Parser {
    const s = new Parser(this.opts, this.diag, this.typedefs);
    s.toks = toks;
    s.endPos = end;
    return s;
  }

  parseFile(text: string, file: string, depth: number): void {
    let toks: CToken[];
    try {
      toks = tokenizeC(text, file);
    } catch (e) {
      if (e instanceof CLexError) {
        this.diag.error(e.pos, e.message);
        return;
      }
      throw e;
    }
    const savedToks = this.toks;
    const savedI = this.i;
    const savedEnd = this.endPos;
    // A library region ends with its file: an included header's does not leak into the includer.
    const savedLibrary = this.library;
    this.toks = toks;
    this.i = 0;
    // "At end of input" points just past the last token.
    const last = toks[toks.length - 1];
    this.endPos = last ? { file, line: last.pos.line, col: last.pos.col + (last.kind === 'string' ? last.text.length + 2 : last.text.length) } : { file, line: 1, col: 1 };
    // This file's open conditionals, innermost last: a file's #if and #endif pair up within it.
    const conds: Conditional[] = [];
    // Tokens before this index have had the header's macros expanded (macros change only at # lines).
    let expanded = 0;
    while (!this.atEnd()) {
      if (this.i >= expanded && this.bodies.size > 0) {
        try {
          expanded = this.expandMacros(this.i);
        } catch (e) {
          if (!(e instanceof ParseError)) throw e;
          // The stretch up to the next # line is not read.
          this.diag.error(e.pos, e.message);
          while (!this.atEnd() && this.toks[this.i]!.kind !== 'pp' && this.toks[this.i]!.kind !== 'directive') this.i++;
          continue;
        }
        // What was left may have expanded to nothing (a function-like macro's use at the end).
        if (this.atEnd()) break;
      }
      const t = this.toks[this.i]!;
      try {
        if (t.kind === 'pp') {
          this.i++;
          this.preprocessorLine(t, depth, conds);
        } else if (conds.length > 0 && !conds[conds.length - 1]!.active) {
          // A region #if leaves out: its tokens are not read.
          this.i++;
        } else if (t.kind === 'directive') {
          this.i++;
          this.directive(t);
        } else if (t.kind === 'punct' && t.text === ';') {
          this.i++;
        } else {
          this.declaration();
        }
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.diag.error(e.pos, e.message);
        this.pending = {};
        // A bad directive or preprocessor line is one token; a bad declaration runs to its ';'.
        if (t.kind !== 'pp' && t.kind !== 'directive') this.recover();
      }
    }
    for (const c of conds) this.diag.error(c.pos, `#${c.word} without #endif in its file`);
    this.toks = savedToks;
    this.i = savedI;
    this.endPos = savedEnd;
    this.library = savedLibrary;
  }

  /** Skips to just after the next `;` outside braces and parentheses. */
  private recover(): void {
    let depth = 0;
    while (!this.atEnd()) {
      const t = this.toks[this.i]!;
      if (t.kind === 'pp' || t.kind === 'directive') return;
      this.i++;
      if (t.kind !== 'punct') continue;
      if (t.text === '(' || t.text === '{' || t.text === '[') depth++;
      else if (t.text === ')' || t.text === '}' || t.text === ']') depth = Math.max(0, depth - 1);
      else if (t.text === ';' && depth === 0) return;
    }
  }

  /**
   * Replaces the uses of the header's object-like macros in the tokens from
   * `start` to the next # line or //asmlink: directive by what they stand for
   * (a macro is not expanded inside its own expansion, as in C); returns where
   * that stretch now ends.
   */
  private expandMacros(start: number): number {
    let end = start;
    while (end < this.toks.length && this.toks[end]!.kind !== 'pp' && this.toks[end]!.kind !== 'directive') end++;
    // Bounds on what a hostile header can make of a few lines: macros in
    // macros (each level a JavaScript call) and what they expand to.
    let made = 0;
    const expand = (t: CToken, active: ReadonlySet<string>): CToken[] => {
      const body = t.kind === 'ident' && !active.has(t.text) ? this.bodies.get(t.text) : undefined;
      if (!body) return [t];
      if (active.size >= MAX_MACRO_DEPTH) throw new ParseError(t.pos, `${t.text}: macros nested more than ${MAX_MACRO_DEPTH} deep`);
      made += body.length;
      if (made > MAX_EXPANSION) throw new ParseError(t.pos, `${t.text}: macros expand to more than ${MAX_EXPANSION} tokens`);
      const inner = new Set(active).add(t.text);
      // The expansion's tokens point at the use, where a problem with them shows.
      return body.flatMap((b) => expand({ ...b, pos: t.pos }, inner));
    };
    const isPunct = (j: number, text: string): boolean => this.toks[j]!.kind === 'punct' && this.toks[j]!.text === text;
    const none: ReadonlySet<string> = new Set();
    const out: CToken[] = [];
    for (let k = start; k < end; k++) {
      const t = this.toks[k]!;
      if (t.kind === 'ident' && this.bodies.get(t.text) === null) {
        // Said once, and the use with its arguments left out, so that the declaration around it is not misread too.
        this.diag.error(t.pos, `${t.text} is a function-like macro, which gen does not expand: write the declaration without it`);
        if (k + 1 < end && isPunct(k + 1, '(')) {
          let depth = 0;
          while (++k < end) {
            if (isPunct(k, '(')) depth++;
            else if (isPunct(k, ')') && --depth === 0) break;
          }
        }
        continue;
      }
      out.push(...expand(t, none));
    }
    this.toks.splice(start, end - start, ...out);
    return start + out.length;
  }

  /** A macro's body as tokens, placed at its #define. */
  private macroTokens(body: string, pos: SourcePos): CToken[] {
    try {
      return tokenizeC(body, pos.file).filter((b) => b.kind !== 'pp' && b.kind !== 'directive');
    } catch (e) {
      if (e instanceof CLexError) throw new ParseError(pos, `#define: ${e.message}`);
      throw e;
    }
  }

  private preprocessorLine(t: CToken, depth: number, conds: Conditional[]): void {
    const m = /^(\w*)\s*(.*)$/.exec(t.text)!;
    const word = m[1]!;
    const rest = m[2]!.trim();
    const top = conds[conds.length - 1];
    const active = top === undefined || top.active;
    const name = (): string => {
      if (!/^[A-Za-z_]\w*$/.test(rest)) throw new ParseError(t.pos, `#${word} needs one macro name, not ${JSON.stringify(rest)}`);
      return rest;
    };
    const holds = (): boolean => {
      try {
        return evaluateCondition(rest, this.macros, t.pos) !== 0n;
      } catch (e) {
        if (e instanceof ConditionError) throw new ParseError(e.pos, e.message);
        throw e;
      }
    };
    switch (word) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        // Inside a region left out, nothing is evaluated: only the nesting counts.
        // A condition in error is false, and still pairs with its #endif.
        const c: Conditional = { word, pos: t.pos, outerActive: active, active: false, taken: false, sawElse: false };
        conds.push(c);
        c.active = c.taken = active && (word === 'if' ? holds() : word === 'ifdef' ? this.macros.has(name()) : !this.macros.has(name()));
        return;
      }
      case 'elif':
      case 'else': {
        if (top === undefined) throw new ParseError(t.pos, `#${word} without #if`);
        if (top.sawElse) throw new ParseError(t.pos, `#${word} after #else`);
        // A condition in error leaves the branch out.
        top.active = false;
        top.sawElse = word === 'else';
        const v = top.outerActive && !top.taken && (word === 'else' || holds());
        top.active = v;
        top.taken ||= v;
        return;
      }
      case 'endif':
        if (top === undefined) throw new ParseError(t.pos, '#endif without #if');
        conds.pop();
        return;
    }
    if (!active) return;
    switch (word) {
      case 'include': {
        // The types these headers declare are built in (builtinTypedefs), so a
        // header that is also valid C for a compiler may include them.
        if (TYPE_HEADERS.has(rest)) return;
        const q = /^"([^"]+)"$/.exec(rest);
        if (!q) throw new ParseError(t.pos, `#include ${rest}: only #include "file" and the type headers ${[...TYPE_HEADERS].join(', ')} (whose types are built in) are supported; other system headers are not read: declare the prototypes you need`);
        if (depth >= 16) throw new ParseError(t.pos, `#include nested too deeply`);
        const found = this.opts.readInclude?.(q[1]!, t.pos.file);
        if (!found) throw new ParseError(t.pos, `#include file not found: ${q[1]}`);
        this.parseFile(found.text, found.file, depth + 1);
        return;
      }
      case 'define': {
        // Defined for #if; an object-like macro also stands for its tokens in
        // declarations (MYLIB_API, MYLIB_CALL). A function-like one is not
        // expanded: a declaration using it is refused (expandMacros).
        const d = /^([A-Za-z_]\w*)(\()?\s*(.*)$/.exec(rest);
        if (!d) throw new ParseError(t.pos, `#define needs a macro name, not ${JSON.stringify(rest)}`);
        this.macros.set(d[1]!, d[2] ? '' : d[3]!);
        this.bodies.set(d[1]!, d[2] ? null : this.macroTokens(d[3]!, t.pos));
        return;
      }
      case 'undef':
        this.macros.delete(name());
        this.bodies.delete(rest);
        return;
      case 'error':
        throw new ParseError(t.pos, `#error ${rest}`);
      case 'pragma':
      case 'warning':
        return;
    }
    throw new ParseError(t.pos, `#${word}: preprocessor directives other than #include, #define, #undef, #if, #ifdef, #ifndef, #elif, #else, #endif, #error and #pragma are not supported`);
  }

  private directive(t: CToken): void {
    const m = /^(\S+)\s*(.*)$/.exec(t.text);
    const word = m?.[1] ?? '';
    const arg = (m?.[2] ?? '').trim();
    if (word === 'callback') {
      // The name lands in a CALL: it must be one the assembler reads (pkg·name, a path's / written ∕).
      if (arg !== '' && !isGoSymbol(arg)) throw new ParseError(t.pos, `//asmlink:callback takes at most one symbol name as Go assembly writes it (letters, digits, _, ·, ∕ and inner dots), not ${JSON.stringify(arg)}`);
      this.pending.callback = { target: arg === '' ? undefined : arg, pos: t.pos };
      return;
    }
    if (word === 'varargs') {
      if (/^\d+$/.test(arg)) {
        const n = Number(arg);
        if (n > 32) throw new ParseError(t.pos, `//asmlink:varargs ${n}: at most 32 variadic words`);
        this.pending.varargs = { value: { kind: 'words', count: n }, pos: t.pos };
        return;
      }
      if (arg === '') throw new ParseError(t.pos, '//asmlink:varargs needs a count or a list of types');
      this.pending.varargs = { value: { kind: 'types', types: typesOfDirective(this, arg, t.pos) }, pos: t.pos };
      return;
    }
    if (word === 'version') {
      const [version, ...targets] = arg.split(/\s+/).filter((x) => x !== '');
      if (version === undefined || !/^[^\s#@"]+$/.test(version)) throw new ParseError(t.pos, '//asmlink:version needs a version name (e.g. GLIBC_2.1)');
      this.pending.version = { value: this.appliesHere('version', targets, t.pos) ? version : undefined, pos: t.pos };
      return;
    }
    if (word === 'library') {
      const [library, ...targets] = arg.split(/\s+/).filter((x) => x !== '');
      if (library === undefined) {
        this.library = undefined;
        return;
      }
      if (/["#]/.test(library)) throw new ParseError(t.pos, `//asmlink:library: ${JSON.stringify(library)} is not a library name`);
      if (this.appliesHere('library', targets, t.pos)) this.library = library;
      return;
    }
    throw new ParseError(t.pos, `unknown directive //asmlink:${word} (want callback, varargs, version or library)`);
  }

  /** Whether a directive naming `targets` (OS/ARCH or OS; none: every target) applies to the target being generated. */
  private appliesHere(directive: string, targets: readonly string[], pos: SourcePos): boolean {
    for (const x of targets) if (!/^[a-z]+(\/[a-z0-9]+)?$/.test(x)) throw new ParseError(pos, `//asmlink:${directive}: ${JSON.stringify(x)} is not a target (OS/ARCH or OS)`);
    const { os, arch } = this.opts.target;
    return targets.length === 0 || targets.includes(os) || targets.includes(`${os}/${arch}`);
  }

  // ---- token helpers

  atEnd(): boolean {
    return this.i >= this.toks.length;
  }

  private peek(k = 0): CToken | undefined {
    return this.toks[this.i + k];
  }

  peekPos(): SourcePos {
    return this.peek()?.pos ?? this.endPos;
  }

  private isPunct(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }

  private isIdent(k = 0): boolean {
    return this.peek(k)?.kind === 'ident';
  }

  expect(text: string): CToken {
    const t = this.peek();
    if (!t || t.kind !== 'punct' || t.text !== text) throw new ParseError(this.peekPos(), `expected '${text}'${t ? `, found '${t.text}'` : ' at end of input'}`);
    this.i++;
    return t;
  }

  /** Skips a balanced parenthesized group starting at the current `(`. */
  private skipParens(): void {
    this.expect('(');
    let depth = 1;
    while (depth > 0) {
      const t = this.peek();
      if (!t) throw new ParseError(this.endPos, "unbalanced '(': missing ')'");
      this.i++;
      if (t.kind === 'punct' && t.text === '(') depth++;
      else if (t.kind === 'punct' && t.text === ')') depth--;
    }
  }

  /** Skips attributes and reads an `__asm__("label")`, which may follow a declarator. */
  private trailing(): { label?: string } {
    let label: string | undefined;
    for (;;) {
      const t = this.peek();
      if (!t || t.kind !== 'ident') return { label };
      if (ATTRIBUTE_WORDS.has(t.text)) {
        this.i++;
        if (this.isPunct('(')) this.skipParens();
        continue;
      }
      if (ASM_WORDS.has(t.text)) {
        this.i++;
        this.expect('(');
        const s = this.peek();
        if (!s || s.kind !== 'string') throw new ParseError(this.peekPos(), `${t.text} expects a string: ${t.text}("symbol")`);
        this.i++;
        this.expect(')');
        label = s.text;
        continue;
      }
      if (QUALIFIERS.has(t.text)) {
        this.i++;
        continue;
      }
      return { label };
    }
  }

  // ---- declarations

  /** Declaration specifiers: storage class, qualifiers and exactly one type. */
  specifiers(): { type?: CType; typedef: boolean; callback: boolean; pos: SourcePos } {
    const start = this.peekPos();
    let typedef = false;
    let callback = false;
    const words: CToken[] = [];
    let named: CType | undefined;
    for (;;) {
      const t = this.peek();
      if (!t || t.kind !== 'ident') break;
      const w = t.text;
      if (QUALIFIERS.has(w)) {
        this.i++;
        continue;
      }
      if (ATTRIBUTE_WORDS.has(w)) {
        this.i++;
        if (this.isPunct('(')) this.skipParens();
        continue;
      }
      if (w === 'typedef') {
        typedef = true;
        this.i++;
        continue;
      }
      if (w === 'callback' && words.length === 0 && !named && !this.typedefs.has('callback')) {
        callback = true;
        this.i++;
        continue;
      }
      if (w === 'static' || w === 'inline' || w === '__inline__' || w === 'register' || w === 'auto' || w === '_Thread_local' || w === '__thread') {
        throw new ParseError(t.pos, `'${w}' declarations have no symbol to import: declare the function as extern`);
      }
      if (BASIC_WORDS.has(w)) {
        if (named) throw new ParseError(t.pos, `'${w}' after a complete type: ${typeName(named)}`);
        words.push(t);
        this.i++;
        continue;
      }
      if (w === 'struct' || w === 'union' || w === 'enum') {
        if (named || words.length > 0) throw new ParseError(t.pos, `'${w}' after another type specifier`);
        this.i++;
        named = this.tagged(w, t.pos);
        continue;
      }
      if (named || words.length > 0) break;
      const td = this.typedefs.get(w);
      if (td) {
        named = td;
        this.i++;
        continue;
      }
      // An identifier where a type must be: followed by a declarator, it is an unknown type name.
      const next = this.peek(1);
      if (!next || next.kind === 'ident' || (next.kind === 'punct' && (next.text === '*' || next.text === ')' || next.text === ',' || next.text === ';'))) {
        throw new ParseError(t.pos, `unknown type name '${w}' (declare it with a typedef)`);
      }
      break;
    }
    if (named) return { type: named, typedef, callback, pos: start };
    if (words.length === 0) return { typedef, callback, pos: start };
    return { type: this.basicType(words), typedef, callback, pos: start };
  }

  /** `struct tag`, `struct tag { ... }` (body skipped), `enum tag { ... }`. */
  private tagged(kw: 'struct' | 'union' | 'enum', pos: SourcePos): CType {
    let tag = '';
    if (this.isIdent()) tag = this.toks[this.i++]!.text;
    if (this.isPunct('{')) {
      // Members never matter: a struct crosses a call only by pointer, an enum is an int.
      let depth = 0;
      do {
        const t = this.peek();
        if (!t) throw new ParseError(pos, `unterminated ${kw} body`);
        this.i++;
        if (t.kind === 'punct' && t.text === '{') depth++;
        else if (t.kind === 'punct' && t.text === '}') depth--;
      } while (depth > 0);
    } else if (tag === '') throw new ParseError(this.peekPos(), `expected a tag name or '{' after '${kw}'`);
    if (kw === 'enum') return { kind: 'int', size: 4, signed: true, name: `enum ${tag}`.trimEnd() };
    return { kind: 'record', tag, union: kw === 'union', name: `${kw} ${tag || '<anonymous>'}` };
  }

  private basicType(words: CToken[]): CType {
    const count = new Map<string, number>();
    for (const w of words) {
      const k = w.text === '__signed__' || w.text === '__signed' ? 'signed' : w.text === 'bool' ? '_Bool' : w.text;
      count.set(k, (count.get(k) ?? 0) + 1);
    }
    const n = (k: string): number => count.get(k) ?? 0;
    const pos = words[0]!.pos;
    const spelled = words.map((w) => w.text).join(' ');
    const bad = (): never => {
      throw new ParseError(pos, `invalid type '${spelled}'`);
    };
    for (const [k, v] of count) if (v > 1 && !(k === 'long' && v === 2)) bad();
    if (n('signed') && n('unsigned')) bad();
    const target = this.opts.target;
    if (n('__int128')) throw new ParseError(pos, `unsupported type '${spelled}': 128-bit integers are not supported`);
    if (n('_Complex')) throw new ParseError(pos, `unsupported type '${spelled}': complex numbers are not supported`);
    if (n('void')) {
      if (words.length > 1) bad();
      return VOID;
    }
    if (n('_Bool')) {
      if (words.length > 1) bad();
      return boolType();
    }
    if (n('float') || n('double')) {
      if (n('float') && words.length > 1) bad();
      if (n('double') && words.length - n('long') > 1) bad();
      if (n('long') > 1) bad();
      return { kind: 'float', size: n('float') ? 4 : n('long') ? 16 : 8, name: spelled };
    }
    const unsigned = n('unsigned') > 0;
    const signed = n('signed') > 0;
    if (n('char')) {
      if (n('short') || n('long') || n('int')) bad();
      return { ...(unsigned ? basicInt(target, 'unsigned char') : signed ? basicInt(target, 'signed char') : basicInt(target, 'char')), name: spelled } as CType;
    }
    if (n('short')) {
      if (n('long')) bad();
      return { ...basicInt(target, unsigned ? 'unsigned short' : 'short'), name: spelled } as CType;
    }
    if (n('long') === 2) return { ...basicInt(target, unsigned ? 'unsigned long long' : 'long long'), name: spelled } as CType;
    if (n('long') === 1) return { ...basicInt(target, unsigned ? 'unsigned long' : 'long'), name: spelled } as CType;
    return { ...basicInt(target, unsigned ? 'unsigned int' : 'int'), name: spelled } as CType;
  }

  /**
   * A (possibly abstract) declarator. Returns the declared name and a function
   * that wraps the base type the way C's inside-out reading does.
   */
  declarator(abstractOk: boolean): { name?: string; pos: SourcePos; build: (base: CType) => CType } {
    const pos = this.peekPos();
    let ptrs = 0;
    for (;;) {
      if (this.isPunct('*')) {
        this.i++;
        ptrs++;
        continue;
      }
      const t = this.peek();
      if (t && t.kind === 'ident' && (QUALIFIERS.has(t.text) || ATTRIBUTE_WORDS.has(t.text))) {
        this.i++;
        if (ATTRIBUTE_WORDS.has(t.text) && this.isPunct('(')) this.skipParens();
        continue;
      }
      break;
    }
    let name: string | undefined;
    let namePos = this.peekPos();
    let inner: ((base: CType) => CType) | undefined;
    const t = this.peek();
    if (t && t.kind === 'ident' && !this.typedefs.has(t.text) && !BASIC_WORDS.has(t.text) && !ASM_WORDS.has(t.text)) {
      name = t.text;
      namePos = t.pos;
      this.i++;
    } else if (this.isPunct('(') && this.startsNestedDeclarator()) {
      this.i++;
      const d = this.declarator(abstractOk);
      this.expect(')');
      name = d.name;
      namePos = d.pos;
      inner = d.build;
    } else if (!abstractOk) {
      throw new ParseError(this.peekPos(), `expected a name${t ? `, found '${t.text}'` : ''}`);
    }
    const suffixes: ((b: CType) => CType)[] = [];
    for (;;) {
      if (this.isPunct('(')) {
        const f = this.paramList();
        suffixes.push((ret) => ({ kind: 'func', ret, params: f.params, variadic: f.variadic, paramPos: f.pos }) as CType);
        continue;
      }
      if (this.isPunct('[')) {
        this.i++;
        while (!this.isPunct(']')) {
          if (this.atEnd()) throw new ParseError(this.endPos, "expected ']'");
          this.i++;
        }
        this.i++;
        suffixes.push((of) => ({ kind: 'array', of }));
        continue;
      }
      break;
    }
    const build = (base: CType): CType => {
      let ty = base;
      for (let k = 0; k < ptrs; k++) ty = ptrTo(ty);
      for (let k = suffixes.length - 1; k >= 0; k--) ty = suffixes[k]!(ty);
      return inner ? inner(ty) : ty;
    };
    return { name, pos: name ? namePos : pos, build };
  }

  /** After `(` in a declarator: a nested declarator `(*f)` rather than a parameter list `(int)`. */
  private startsNestedDeclarator(): boolean {
    const t = this.peek(1);
    if (!t) return false;
    if (t.kind === 'punct') return t.text === '*' || t.text === '(' || t.text === '[';
    if (t.kind === 'ident') return !this.typedefs.has(t.text) && !BASIC_WORDS.has(t.text) && !QUALIFIERS.has(t.text) && t.text !== 'struct' && t.text !== 'union' && t.text !== 'enum' && !ATTRIBUTE_WORDS.has(t.text) && !this.looksLikeUnknownType(1);
    return false;
  }

  /** An identifier followed by another identifier or `*`: a type name, possibly unknown. */
  private looksLikeUnknownType(k: number): boolean {
    const n = this.peek(k + 1);
    return n !== undefined && (n.kind === 'ident' || (n.kind === 'punct' && n.text === '*'));
  }

  private paramList(): { params: CParam[]; variadic: boolean; pos: SourcePos } {
    const open = this.expect('(');
    const params: CParam[] = [];
    let variadic = false;
    if (this.isPunct(')')) {
      this.i++;
      return { params, variadic, pos: open.pos };
    }
    for (;;) {
      if (this.isPunct('...')) {
        if (params.length === 0) throw new ParseError(this.peekPos(), "'...' needs at least one named parameter before it");
        this.i++;
        variadic = true;
        this.expect(')');
        break;
      }
      const start = this.peekPos();
      const spec = this.specifiers();
      if (spec.typedef || spec.callback) throw new ParseError(start, 'storage class in a parameter');
      if (!spec.type) {
        const t = this.peek();
        throw new ParseError(start, t ? `expected a parameter type, found '${t.text}'` : 'expected a parameter type');
      }
      const d = this.declarator(true);
      this.trailing();
      let ty = d.build(spec.type);
      if (ty.kind === 'void' && d.name === undefined && params.length === 0 && this.isPunct(')')) {
        this.i++;
        break;
      }
      ty = decay(ty);
      params.push({ name: d.name, type: ty, pos: start });
      if (this.isPunct(',')) {
        this.i++;
        continue;
      }
      this.expect(')');
      break;
    }
    return { params, variadic, pos: open.pos };
  }

  private declaration(): void {
    const start = this.peekPos();
    const spec = this.specifiers();
    const pending = this.pending;
    this.pending = {};
    if (!spec.type) {
      const t = this.peek();
      if (t && t.kind === 'ident' && this.isPunct('(', 1)) throw new ParseError(t.pos, `missing return type for '${t.text}' (implicit int is not C)`);
      throw new ParseError(start, t ? `expected a declaration, found '${t.text}'` : 'expected a declaration');
    }
    // `struct tag;` or `struct tag { ... };` declares only the tag.
    if (this.isPunct(';') && (spec.type.kind === 'record' || spec.type.kind === 'int')) {
      this.i++;
      if (pending.callback || pending.varargs || pending.version)
        throw new ParseError((pending.callback ?? pending.varargs ?? pending.version)!.pos, 'this directive must precede a function declaration');
      return;
    }
    const callback = spec.callback || pending.callback !== undefined;
    let first = true;
    for (;;) {
      const d = this.declarator(false);
      const { label } = this.trailing();
      const ty = d.build(spec.type);
      const name = d.name!;
      if (spec.typedef) {
        if (callback) throw new ParseError(d.pos, 'a typedef cannot be a callback');
        this.typedefs.set(name, renamed(ty, name));
      } else if (ty.kind === 'func') {
        if (!first && (callback || pending.varargs || pending.version)) throw new ParseError(d.pos, 'a directive applies to one declaration: declare this function separately');
        const f = ty as Extract<CType, { kind: 'func' }> & { paramPos?: SourcePos };
        if (pending.varargs && !f.variadic) throw new ParseError(pending.varargs.pos, `//asmlink:varargs on ${name}, which is not variadic`);
        if (callback && f.variadic) throw new ParseError(d.pos, `callback ${name} cannot be variadic`);
        if (callback && pending.version) throw new ParseError(pending.version.pos, `//asmlink:version on callback ${name}, which is not imported`);
        const target = pending.callback?.target;
        if (callback && target !== undefined && label !== undefined) throw new ParseError(d.pos, `callback ${name} names its target twice (directive and __asm__)`);
        const remote = target ?? label;
        this.decls.push({
          name,
          remote: remote ?? name,
          remoteGiven: remote !== undefined,
          pos: d.pos,
          ret: f.ret,
          retPos: spec.pos,
          params: f.params as CParam[],
          variadic: f.variadic,
          varargs: pending.varargs?.value,
          callback,
          ...(pending.version?.value === undefined ? {} : { version: pending.version.value }),
          ...(callback || this.library === undefined ? {} : { library: this.library }),
        });
      } else {
        throw new ParseError(d.pos, `'${name}' is not a function: only function prototypes and typedefs are supported`);
      }
      first = false;
      if (this.isPunct(',')) {
        this.i++;
        continue;
      }
      this.expect(';');
      return;
    }
  }
}

/** Arrays and functions as parameters are pointers. */
function decay(t: CType): CType {
  if (t.kind === 'array') return ptrTo(t.of);
  if (t.kind === 'func') return ptrTo(t);
  return t;
}

/** A typedef keeps its own name in messages for scalars and records. */
function renamed(t: CType, name: string): CType {
  if (t.kind === 'int' || t.kind === 'float' || t.kind === 'record') return { ...t, name };
  return t;
}
