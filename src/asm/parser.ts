// The statement parser: logical source lines → labels, instructions and the
// TEXT/GLOBL/DATA directives, with operands in Go's assembler syntax. It knows
// nothing about instruction sets beyond what the backend tells it: which names
// are registers and which ops take branch targets.

import type { SourcePos } from '../diag.js';
import { DiagnosticSink } from '../diag.js';
import { ASCII_CLASS, bigOf, DIVISION_SLASH, LexError, MIDDLE_DOT, plainDecimalEnd, plainDecimalValue, START, tokenize, tokens } from './lexer.js';
import { ParseError, TokenCursor, parseExpr, startsExpr, toSigned } from './expr.js';
import { newMemRef, type MemRef, type NameKind, type Operand, type Prog } from './prog.js';
import type { SourceLine } from './preprocess.js';

export interface ParserArch {
  isRegister(name: string): boolean;
  isBranch(op: string): boolean;
}

export interface SymRef {
  name: string;
  local: boolean;
}

export type Statement =
  | { kind: 'label'; name: string; pos: SourcePos }
  | { kind: 'inst'; prog: Prog }
  | { kind: 'text'; sym: SymRef; flags: number; frameSize: number; argsSize?: number; pos: SourcePos }
  | { kind: 'globl'; sym: SymRef; flags: number; size: number; pos: SourcePos }
  | { kind: 'data'; sym: SymRef; off: number; size: number; value: Operand; pos: SourcePos; valuePos: SourcePos };

const CONDITIONS = new Set(['EQ', 'NE', 'CS', 'HS', 'CC', 'LO', 'MI', 'PL', 'VS', 'VC', 'HI', 'LS', 'GE', 'LT', 'GT', 'LE', 'AL', 'NV']);
const EXTENSIONS = new Set(['UXTB', 'UXTH', 'UXTW', 'UXTX', 'SXTB', 'SXTH', 'SXTW', 'SXTX']);
const PSEUDO_BASES = new Set(['SB', 'FP', 'PC']);

/** Whether s holds a `·` or `∕` at or after from. */
function hasGoDots(s: string, from: number): boolean {
  return s.indexOf('\u00b7', from) >= 0 || s.indexOf('\u2215', from) >= 0;
}

/** Turns Go's `·` and `∕` into `.` and `/`, and qualifies a leading `·` with the package. */
export function qualifyName(name: string, pkg: string): string {
  // The common case, `·name` with no other dot or slash (nor one in pkg), without regular expressions.
  if (name.charCodeAt(0) === 0xb7 && !hasGoDots(name, 1) && !hasGoDots(pkg, 0)) return pkg + '.' + name.slice(1);
  let n = name;
  if (n.startsWith('\u00b7')) n = pkg + n;
  if (n.includes('\u00b7')) n = n.replace(/\u00b7/g, '.');
  if (n.includes('\u2215')) n = n.replace(/\u2215/g, '/');
  return n;
}

export function parseLines(lines: SourceLine[], arch: ParserArch, pkg: string, diag: DiagnosticSink): Statement[] {
  const out: Statement[] = [];
  for (const line of lines) parseLine(line, arch, pkg, diag, (st) => out.push(st));
  return out;
}

/** The cursor over the lexer's pool, reused for every statement (the parser is not re-entrant). */
const cursor = new TokenCursor(tokens, 0, 0, 0);

/** Receives statements as they are parsed. */
export type StatementSink = (st: Statement) => void;

/** Parses one logical line, handing its statements to out. */
export function parseLine(line: SourceLine, arch: ParserArch, pkg: string, diag: DiagnosticSink, out: StatementSink): void {
  let n = line.lexed;
  try {
    if (n < 0) n = tokenize(line.text);
  } catch (e) {
    if (e instanceof LexError) {
      diag.error(posIn(line, e.pos), e.message);
      return;
    }
    throw e;
  }
  // Statements on one line are separated by semicolons.
  let start = 0;
  for (let k = 0; k <= n; k++) {
    if (k < n && !(tokens[k]!.kind === 'op' && tokens[k]!.text === ';')) continue;
    const end = k < n ? tokens[k]!.pos : line.text.length;
    const lo = start;
    start = k + 1;
    if (k === lo) continue;
    try {
      cursor.reset(lo, k, end);
      parseStatement(cursor, line, arch, pkg, out);
    } catch (e) {
      if (e instanceof ParseError) diag.error(posIn(line, e.pos), e.message);
      else throw e;
    }
  }
}

/** The source position of index i of a logical line. */
function posIn(line: SourceLine, i: number): SourcePos {
  const col = line.colMap ? (line.colMap[Math.min(i, line.colMap.length - 1)] ?? 1) : i + 1;
  return { file: line.file, line: line.line, col };
}

/**
 * An instruction as parsed. The statement's text and its operands' positions
 * are needed only for listings and diagnostics, so they are worked out from
 * the source when asked for rather than for every instruction. src is either
 * one logical line (lineStart 0, colMap from the preprocessor) or, for a line
 * the fast path parsed, the whole file text with the line starting at
 * lineStart (colMap null): indices first, end and argStarts are into src.
 */
class ParsedProg implements Prog {
  constructor(
    readonly op: string,
    readonly args: Operand[],
    // The position's parts, not a SourcePos object per instruction: encoders
    // ask for it only to report an error or to record a relocation's line.
    private readonly file: string,
    private readonly line: number,
    private readonly col: number,
    private readonly src: string,
    private readonly lineStart: number,
    private readonly colMap: readonly number[] | null,
    private readonly first: number,
    private readonly end: number,
    /** The operands' start indices, or (packArgStarts) up to three of them packed in one small integer. */
    private readonly argStarts: number[] | number,
  ) {}
  get pos(): SourcePos {
    return { file: this.file, line: this.line, col: this.col };
  }
  get text(): string {
    return this.src.slice(this.first, this.end).trim();
  }
  get argPos(): SourcePos[] {
    const { colMap, lineStart, argStarts } = this;
    const pos = this.pos;
    const starts = typeof argStarts === 'number' ? unpackArgStarts(argStarts, this.first, this.args.length) : argStarts;
    return starts.map((i) => ({ file: pos.file, line: pos.line, col: colMap ? (colMap[Math.min(i, colMap.length - 1)] ?? 1) : i - lineStart + 1 }));
  }
}

/**
 * Up to three operand starts, each less than 1024 past the statement's
 * first index, packed 10 bits apiece into one small integer; -1 when they do
 * not fit. An instruction then carries no array of them: they are needed
 * only for diagnostics.
 */
function packArgStarts(starts: readonly number[], n: number, first: number): number {
  if (n > 3) return -1;
  let packed = 0;
  for (let k = n - 1; k >= 0; k--) {
    const d = starts[k]! - first;
    if (d < 0 || d >= 1024) return -1;
    packed = packed * 1024 + d;
  }
  return packed;
}

function unpackArgStarts(packed: number, first: number, n: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    out.push(first + (packed % 1024));
    packed = Math.floor(packed / 1024);
  }
  return out;
}

/** One context object, reused: the parser is not re-entrant. */
const ctx: OperandContext = { arch: { isRegister: () => false, isBranch: () => false }, pkg: '', op: '', branch: false };

function parseStatement(c: TokenCursor, line: SourceLine, arch: ParserArch, pkg: string, out: StatementSink): void {
  // Labels: `name:` (possibly several, possibly followed by an instruction).
  while (c.peek()?.kind === 'ident' && c.isOp(':', 1)) {
    const t = c.next()!;
    c.next();
    out({ kind: 'label', name: t.text, pos: posIn(line, t.pos) });
  }
  if (c.done) return;
  const opTok = c.next()!;
  if (opTok.kind !== 'ident') throw new ParseError(opTok.pos, `expected an instruction, found '${opTok.text}'`);
  const op = opTok.text;
  const pos = posIn(line, opTok.pos);
  ctx.arch = arch;
  ctx.pkg = pkg;
  ctx.op = op;
  ctx.branch = arch.isBranch(op);
  switch (op) {
    case 'TEXT':
      out(parseText(c, ctx, pos));
      return;
    case 'GLOBL':
      out(parseGlobl(c, ctx, pos));
      return;
    case 'DATA':
      out(parseData(c, ctx, pos, (i) => posIn(line, i)));
      return;
    case 'PCDATA':
    case 'FUNCDATA':
      // Garbage-collector metadata in Go; nothing to do here. Operands are still parsed so typos are caught.
      parseOperandList(c, ctx);
      return;
  }
  const { args, positions } = parseOperandList(c, ctx);
  out({ kind: 'inst', prog: new ParsedProg(op, args, pos.file, pos.line, pos.col, line.text, 0, line.colMap, c.toks[c.lo]!.pos, c.endPos, positions) });
}

interface OperandContext {
  arch: ParserArch;
  pkg: string;
  op: string;
  branch: boolean;
}

/**
 * Scratch lists for parseOperandList, written by index (emptying an array by
 * `length = 0` drops its storage); the results are copied out at their exact
 * length.
 */
const argScratch: Operand[] = [];
const posScratch: number[] = [];

function parseOperandList(c: TokenCursor, ctx: OperandContext): { args: Operand[]; positions: number[] } {
  let n = 0;
  if (!c.done) {
    for (;;) {
      posScratch[n] = c.pos;
      argScratch[n] = parseOperand(c, ctx);
      n++;
      if (c.done) break;
      c.expect(',', "',' between operands");
    }
  }
  return { args: firstN(argScratch, n), positions: firstN(posScratch, n) };
}

/** The first n entries of a as a new array; literals for the usual counts (a builtin slice costs more). */
function firstN<T>(a: T[], n: number): T[] {
  switch (n) {
    case 0: return [];
    case 1: return [a[0]!];
    case 2: return [a[0]!, a[1]!];
    case 3: return [a[0]!, a[1]!, a[2]!];
    default: return a.slice(0, n);
  }
}

function expectEnd(c: TokenCursor): void {
  const t = c.peek();
  if (t) throw new ParseError(t.pos, `unexpected '${t.text}' after operand`);
}

function parseSymbolOperand(c: TokenCursor, ctx: OperandContext, what: string): { sym: SymRef; mem: MemRef; pos: number } {
  const pos = c.pos;
  const op = parseOperand(c, ctx);
  if (op.kind !== 'mem' || (op.mem.name !== 'extern' && op.mem.name !== 'static') || !op.mem.sym) {
    throw new ParseError(pos, `${what} needs a symbol operand like name(SB)`);
  }
  return { sym: { name: op.mem.sym, local: op.mem.name === 'static' }, mem: op.mem, pos };
}

function parseText(c: TokenCursor, ctx: OperandContext, pos: SourcePos): Statement {
  const { sym, mem, pos: symPos } = parseSymbolOperand(c, ctx, 'TEXT');
  if (mem.offset !== 0) throw new ParseError(symPos, 'TEXT symbol cannot have an offset');
  c.expect(',');
  let flags = 0;
  if (!c.isOp('$')) {
    flags = Number(toSigned(parseExpr(c)));
    c.expect(',');
  }
  // `$frame-args`: the minus separates two numbers, it is not a subtraction.
  c.expect('$', "'$frame-args'");
  const negative = c.eat('-');
  const frameTok = c.next();
  if (!frameTok || frameTok.kind !== 'int') throw new ParseError(frameTok?.pos ?? c.endPos, 'expected frame size after $');
  let frameSize = Number(frameTok.int!);
  if (negative) frameSize = -frameSize;
  let argsSize: number | undefined;
  if (c.eat('-')) {
    const argsTok = c.next();
    if (!argsTok || argsTok.kind !== 'int') throw new ParseError(argsTok?.pos ?? c.endPos, 'expected argument size after $frame-');
    argsSize = Number(argsTok.int!);
  }
  expectEnd(c);
  return { kind: 'text', sym, flags, frameSize, argsSize, pos };
}

function parseGlobl(c: TokenCursor, ctx: OperandContext, pos: SourcePos): Statement {
  const { sym, mem, pos: symPos } = parseSymbolOperand(c, ctx, 'GLOBL');
  if (mem.offset !== 0) throw new ParseError(symPos, 'GLOBL symbol cannot have an offset');
  c.expect(',');
  let flags = 0;
  if (!c.isOp('$')) {
    flags = Number(toSigned(parseExpr(c)));
    c.expect(',');
  }
  c.expect('$', "'$size'");
  const sizePos = c.pos;
  const size = toSigned(parseExpr(c));
  if (size < 0n || size > 0x7fffffffn) throw new ParseError(sizePos, `GLOBL size ${size} out of range`);
  expectEnd(c);
  return { kind: 'globl', sym, flags, size: Number(size), pos };
}

function parseData(c: TokenCursor, ctx: OperandContext, pos: SourcePos, posOf: (i: number) => SourcePos): Statement {
  const { sym, mem } = parseSymbolOperand(c, ctx, 'DATA');
  c.expect('/', "'/size' after the DATA symbol");
  const sizeTok = c.next();
  if (!sizeTok || sizeTok.kind !== 'int') throw new ParseError(sizeTok?.pos ?? c.endPos, 'expected a size after /');
  const size = Number(sizeTok.int!);
  if (![1, 2, 4, 8].includes(size) && size > 4096) throw new ParseError(sizeTok.pos, `bad DATA size ${size}`);
  c.expect(',');
  const valuePos = c.pos;
  const value = parseOperand(c, ctx);
  expectEnd(c);
  return { kind: 'data', sym, off: mem.offset, size, value, pos, valuePos: posOf(valuePos) };
}

function parseOperand(c: TokenCursor, ctx: OperandContext): Operand {
  const t = c.peek();
  if (!t) throw new ParseError(c.endPos, 'missing operand');
  if (t.kind === 'op' && t.text === '$') {
    c.next();
    return parseImmediate(c, ctx);
  }
  if (t.kind === 'op' && t.text === '[') return parseRegList(c, ctx);
  if (t.kind === 'op' && t.text === '*' && ctx.branch) {
    // `CALL *sym(SB)`: through the pointer stored at sym, a memory operand.
    c.next();
    ctx.branch = false;
    try {
      const m = parseOperand(c, ctx);
      if (m.kind !== 'mem') throw new ParseError(t.pos, 'expected a memory operand after *');
      m.mem.indirect = true;
      return m;
    } finally {
      ctx.branch = true;
    }
  }
  if (t.kind === 'ident' && isRegisterName(t.text, ctx)) return parseRegisterOperand(c, ctx);
  if (t.kind === 'op' && t.text === '(' && c.peek(1)?.kind === 'ident' && isRegisterName(c.peek(1)!.text, ctx) && c.isOp(',', 2)) {
    // `(R1, R2)`: a register pair.
    c.next();
    const a = c.next()!.text;
    c.next();
    const b = c.next();
    if (!b || b.kind !== 'ident' || !isRegisterName(b.text, ctx)) throw new ParseError(b?.pos ?? c.endPos, 'expected a register in register pair');
    c.expect(')');
    return { kind: 'regpair', regs: [a, b.text] };
  }
  if (t.kind === 'ident') {
    // A symbol, a label, a condition or a special name.
    c.next();
    let name = t.text;
    let isStatic = false;
    if (c.isOp('<>')) {
      c.next();
      isStatic = true;
    }
    // Go's ABI selector, `sym<ABIInternal>(SB)`: there is one ABI here, so it is accepted and ignored.
    if (c.isOp('<') && c.peek(1)?.kind === 'ident' && /^ABI(0|Internal)$/.test(c.peek(1)!.text) && c.isOp('>', 2)) c.i += 3;
    if (c.done || c.isOp(',')) {
      if (isStatic) throw new ParseError(t.pos, `${name}<> must be followed by (SB)`);
      if (ctx.branch) return { kind: 'branch', label: name };
      if (CONDITIONS.has(name)) return { kind: 'cond', cond: name };
      return { kind: 'special', name };
    }
    let offset = 0n;
    if (c.isOp('+') || c.isOp('-')) offset = parseExpr(c);
    let gotRef = false;
    if (c.eat('@')) {
      const g = c.next();
      if (!g || g.text !== 'GOT') throw new ParseError(g?.pos ?? c.endPos, 'expected GOT after @');
      gotRef = true;
    }
    const baseTok = c.peek();
    if (!c.isOp('(')) throw new ParseError(baseTok?.pos ?? c.endPos, `expected (SB), (FP) or (SP) after ${name}`);
    c.next();
    const base = c.next();
    if (!base || base.kind !== 'ident') throw new ParseError(base?.pos ?? c.endPos, 'expected SB, FP or SP');
    c.expect(')');
    const off = checkOffset(offset, t.pos);
    switch (base.text) {
      case 'SB': {
        // File-local symbols keep their `<>` in the name: the linker scopes them per object.
        const sym = qualifyName(name, ctx.pkg) + (isStatic ? '<>' : '');
        if (ctx.branch && !gotRef && c.done) return { kind: 'branch', sym, symStatic: isStatic, offset: off };
        const mem = newMemRef(isStatic ? 'static' : 'extern', off, 0);
        mem.sym = sym;
        mem.gotRef = gotRef || undefined;
        // `sym(SB)(AX*4)`: a symbol indexed by a register.
        if (c.isOp('(') && c.peek(1)?.kind === 'ident') {
          c.next();
          parseIndex(c, ctx, mem);
        }
        return { kind: 'mem', mem };
      }
      case 'FP':
      case 'SP': {
        if (isStatic || gotRef) throw new ParseError(t.pos, `bad ${base.text} reference`);
        const mem = namedRef(base.text === 'FP' ? 'param' : 'auto', name, off);
        // `x+8(FP)(SI*1)`: an argument slot indexed by a register, as Go allows.
        if (c.isOp('(') && c.peek(1)?.kind === 'ident') {
          c.next();
          parseIndex(c, ctx, mem);
        }
        return { kind: 'mem', mem };
      }
      default:
        throw new ParseError(base.pos, `a named reference must use SB, FP or SP, not ${base.text}`);
    }
  }
  if (t.kind === 'float') throw new ParseError(t.pos, 'floating-point constant needs a $ prefix');
  if (startsExpr(c) || (t.kind === 'op' && t.text === '(')) {
    // `off(base)(index*scale)`, `(base)`, `off(PC)`.
    let offset = 0n;
    if (!(c.isOp('(') && c.peek(1)?.kind === 'ident')) offset = parseExpr(c);
    if (!c.isOp('(')) {
      // A bare number is an absolute memory address (`MOVL $1, 0x40`), as in Go.
      if (ctx.branch) throw new ParseError(t.pos, 'a branch target must be a label, sym(SB) or off(PC)');
      return { kind: 'mem', mem: newMemRef('none', checkOffset(offset, t.pos), 0) };
    }
    return parseMemory(c, ctx, checkOffset(offset, t.pos), t.pos);
  }
  throw new ParseError(t.pos, `unexpected '${t.text}' in operand`);
}

/** `name+off(FP)` or `name-off(SP)`. */
function namedRef(name: NameKind, argName: string, offset: number): MemRef {
  const mem = newMemRef(name, offset, 0);
  mem.argName = argName;
  return mem;
}

const MIN_OFFSET = -(1n << 53n);
const MAX_OFFSET = 1n << 53n;

function checkOffset(v: bigint, pos: number): number {
  const s = toSigned(v);
  if (s < MIN_OFFSET || s > MAX_OFFSET) throw new ParseError(pos, `offset ${s} out of range`);
  return Number(s);
}

/** After the offset: `(base)`, `(base)(index*scale)`, `(PC)`, `(FP)` / `(SP)` without a name. */
function parseMemory(c: TokenCursor, ctx: OperandContext, offset: number, startPos: number): Operand {
  c.expect('(');
  const base = c.next();
  if (!base || base.kind !== 'ident') throw new ParseError(base?.pos ?? c.endPos, 'expected a register after (');
  if (c.isOp('*')) {
    // `off(index*scale)`: an index without a base register.
    if (!isRegisterName(base.text, ctx)) throw new ParseError(base.pos, `${base.text} is not a register`);
    const mem = newMemRef('none', offset, 1);
    c.i--;
    parseIndex(c, ctx, mem);
    return { kind: 'mem', mem };
  }
  c.expect(')');
  if (base.text === 'PC') return { kind: 'branch', pcrel: offset };
  if (base.text === 'FP') throw new ParseError(startPos, 'FP must be referenced with a symbol name, as in x+8(FP)');
  if (base.text === 'SB') throw new ParseError(startPos, 'SB must be referenced with a symbol name, as in sym(SB)');
  if (!isRegisterName(base.text, ctx) && base.text !== 'SP') throw new ParseError(base.pos, `${base.text} is not a register`);
  const mem = newMemRef('none', offset, 0);
  mem.base = base.text;
  if (c.isOp('(')) {
    c.next();
    parseIndex(c, ctx, mem);
  }
  return { kind: 'mem', mem };
}

/** The index part after `(`: `R*scale)`, `R<<shift)` or `R)`. */
function parseIndex(c: TokenCursor, ctx: OperandContext, mem: MemRef): void {
  const idx = c.next();
  if (!idx || idx.kind !== 'ident' || !isRegisterName(idx.text, ctx)) throw new ParseError(idx?.pos ?? c.endPos, 'expected an index register');
  mem.index = idx.text;
  mem.scale = 1;
  if (c.eat('*')) {
    const s = c.next();
    if (!s || s.kind !== 'int' || ![1n, 2n, 4n, 8n].includes(s.int!)) throw new ParseError(s?.pos ?? c.endPos, 'scale must be 1, 2, 4 or 8');
    mem.scale = Number(s.int!);
  } else if (c.eat('<<')) {
    const s = c.next();
    if (!s || s.kind !== 'int' || s.int! > 4n) throw new ParseError(s?.pos ?? c.endPos, 'index shift must be 0 to 4');
    mem.scale = 1 << Number(s.int!);
    // arm64 encodes `(R1)(R2<<0)` differently from `(R1)(R2)`, so the shift is kept as written.
    mem.indexShift = Number(s.int!);
  }
  c.expect(')');
}

function isRegisterName(name: string, ctx: OperandContext): boolean {
  if (ctx.arch.isRegister(name)) return true;
  const dot = name.indexOf('.');
  return dot > 0 && ctx.arch.isRegister(name.slice(0, dot));
}

function parseRegisterOperand(c: TokenCursor, ctx: OperandContext): Operand {
  const t = c.next()!;
  let name = t.text;
  // An arm64 vector element, `V1.D[0]`, is one register name.
  if (name.includes('.') && c.isOp('[') && c.peek(1)?.kind === 'int' && c.isOp(']', 2)) {
    name = `${name}[${c.peek(1)!.int!}]`;
    c.i += 3;
  }
  const dot = name.indexOf('.');
  if (dot > 0 && !ctx.arch.isRegister(name)) {
    const ext = name.slice(dot + 1);
    if (EXTENSIONS.has(ext)) {
      let amount = 0;
      if (c.eat('<<')) amount = Number(parseExpr(c));
      return { kind: 'ext', reg: name.slice(0, dot), ext, amount };
    }
  }
  const shiftTok = c.peek();
  if (shiftTok && shiftTok.kind === 'op' && (shiftTok.text === '<<' || shiftTok.text === '>>' || shiftTok.text === '->' || shiftTok.text === '@>')) {
    c.next();
    const amountPos = c.pos;
    const amount = toSigned(parseExpr(c));
    if (amount < 0n || amount > 63n) throw new ParseError(amountPos, `shift amount ${amount} out of range`);
    return { kind: 'shift', reg: name, op: shiftTok.text, amount: Number(amount) };
  }
  if (c.isOp('(') && c.peek(1)?.kind === 'ident' && c.isOp(')', 2)) {
    // `R(R1)`-style indexed register forms are not part of this syntax.
    throw new ParseError(c.pos, `unexpected '(' after register ${name}`);
  }
  return { kind: 'reg', reg: name };
}

function parseRegList(c: TokenCursor, ctx: OperandContext): Operand {
  c.expect('[');
  const regs: string[] = [];
  while (!c.isOp(']')) {
    const r = c.next();
    if (!r || r.kind !== 'ident' || !isRegisterName(r.text, ctx)) throw new ParseError(r?.pos ?? c.endPos, 'expected a register in list');
    regs.push(r.text);
    // A range [Z0-Z3] (x86 AVX512_4FMAPS/4VNNIW) lists the registers it spans.
    if (c.eat('-')) {
      const hi = c.next();
      const a = /^([A-Z]+)(\d+)$/.exec(r.text);
      const b = hi && hi.kind === 'ident' ? /^([A-Z]+)(\d+)$/.exec(hi.text) : null;
      if (!a || !b || a[1] !== b[1] || !isRegisterName(hi!.text, ctx) || Number(b[2]) < Number(a[2]))
        throw new ParseError(hi?.pos ?? c.endPos, 'expected a register range like [Z0-Z3]');
      for (let k = Number(a[2]) + 1; k <= Number(b[2]); k++) regs.push(`${a[1]}${k}`);
    }
    if (!c.eat(',')) break;
  }
  c.expect(']');
  return { kind: 'reglist', regs };
}

function parseImmediate(c: TokenCursor, ctx: OperandContext): Operand {
  const t = c.peek();
  if (!t) throw new ParseError(c.endPos, 'expected a constant after $');
  if (t.kind === 'string') {
    c.next();
    return { kind: 'str', value: t.bytes! };
  }
  // Floating-point: `$1.5`, `$-1.5`, `$(1.5)`, `$(-1.5)`.
  const save = c.i;
  const paren = c.eat('(');
  const neg = c.eat('-');
  const f = c.peek();
  if (f && f.kind === 'float') {
    c.next();
    if (paren) c.expect(')');
    return { kind: 'fimm', value: neg ? -f.float! : f.float! };
  }
  c.i = save;
  if (t.kind === 'ident' && !isRegisterName(t.text, ctx)) {
    const op = parseOperand(c, ctx);
    if (op.kind === 'mem') return { kind: 'addr', mem: op.mem };
    if (op.kind === 'branch' && op.sym) {
      const mem = newMemRef(op.symStatic ? 'static' : 'extern', op.offset ?? 0, 0);
      mem.sym = op.sym;
      return { kind: 'addr', mem };
    }
    throw new ParseError(t.pos, `$${t.text}: expected a constant or a symbol address like $name(SB)`);
  }
  const value = parseExpr(c);
  if (c.isOp('(')) {
    const m = parseMemory(c, ctx, checkOffset(value, t.pos), t.pos);
    if (m.kind !== 'mem') throw new ParseError(t.pos, 'bad address operand');
    return { kind: 'addr', mem: m.mem };
  }
  return { kind: 'imm', value: toSigned(value) };
}

// ---------------------------------------------------------------------------
// The fast path. Most lines of a large file are a label or an instruction with
// register, small-constant and simple memory operands. parseFastLine reads such
// a line straight from the file text by index — no line string, no tokens —
// and builds exactly the statements the general path (tokenize, then
// parseStatement) would. At the first thing it does not handle (a macro name,
// an expression, a comment, a string, a `;`, a non-ASCII letter, anything
// unusual) it gives up without side effects and the caller sends the line
// through the general path, which also makes every diagnostic.

/** What the fast path asks the preprocessor's macro table. */
export interface MacroNames {
  /** Whether s[i:j] names a macro. */
  names(s: string, i: number, j: number): boolean;
  /**
   * The value of the macro s[i:j] when it is object-like and its body a plain
   * decimal literal below 2^31 (textflag.h's NOSPLIT and the like); -1
   * otherwise.
   */
  number(s: string, i: number, j: number): number;
}

/** The fast path's state: the file text, the cursor and the end of the line. Not re-entrant, like the rest of the parser. */
let fsrc = '';
let fi = 0;
let fend = 0;
/** Index of the first `.` in the identifier scanIdent just read, or -1. */
let fdot = -1;

/**
 * `$n` and `$-n` operands for small n, one object each, made on first use
 * and shared like register operands (no object and no BigInt per constant).
 */
const SMALL_IMMS = 256;
const posImms: (Operand | undefined)[] = [];
const negImms: (Operand | undefined)[] = [];
function posImm(v: number): Operand {
  return (posImms[v] ??= { kind: 'imm', value: bigOf(v) });
}
function negImm(v: number): Operand {
  return (negImms[v] ??= { kind: 'imm', value: -bigOf(v) });
}

/**
 * One register operand object per name, shared by every instruction that
 * names it: operands are never modified once parsed (a rewrite makes new
 * ones), so sharing is safe and saves an object per register operand.
 */
const regOperands = new Map<string, RegOperand>();
/**
 * Short names (up to four ASCII characters: most mnemonics, registers and
 * labels), one entry per name, found by a number made from the name's
 * characters, seven bits each: finding a number in a map costs less than
 * making a string per use and hashing it, and every use then shares one
 * string, which later lookups find by identity. The entry also keeps what
 * the architecture last said of the name: its register operand, or null.
 */
interface ShortName {
  readonly name: string;
  /** The architecture `reg` answers for (the parser serves one at a time). */
  regArch: ParserArch | null;
  reg: RegOperand | null;
}
const shortNames = new Map<number, ShortName>();

/** The entry for s[start, end), or null when that is not a short name. */
function shortName(s: string, start: number, end: number): ShortName | null {
  if (end - start > 4) return null;
  let key = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return null;
    key = key * 128 + c;
  }
  let e = shortNames.get(key);
  if (e === undefined) {
    e = { name: internalized(s.slice(start, end)), regArch: null, reg: null };
    shortNames.set(key, e);
  }
  return e;
}

/** The same characters as V8's one string for them (what literals are), so comparisons with literals are by identity. */
function internalized(name: string): string {
  const o: Record<string, number> = {};
  o[name] = 0;
  return Object.keys(o)[0]!;
}

/** s[start, end) as a string, the same one for every use of a short name. */
function nameAt(s: string, start: number, end: number): string {
  return shortName(s, start, end)?.name ?? s.slice(start, end);
}

/** The register operand a short name names on arch, or null. */
function registerOf(e: ShortName, arch: ParserArch): RegOperand | null {
  if (e.regArch !== arch) {
    e.reg = arch.isRegister(e.name) ? regOperand(e.name) : null;
    e.regArch = arch;
  }
  return e.reg;
}

type RegOperand = Extract<Operand, { kind: 'reg' }>;

function regOperand(name: string): RegOperand {
  let o = regOperands.get(name);
  if (o === undefined) {
    o = { kind: 'reg', reg: name };
    regOperands.set(name, o);
  }
  return o;
}

function skipBlanks(): void {
  while (fi < fend) {
    const c = fsrc.charCodeAt(fi);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0c) return;
    fi++;
  }
}

/** An identifier character the fast path accepts: ASCII letter, digit, `_`, `·` or `∕` (other letters take the general path). */
function isFastIdentPart(c: number): boolean {
  return c < 0x80 ? ASCII_CLASS[c] !== 0 : c === MIDDLE_DOT || c === DIVISION_SLASH;
}

/**
 * Reads the identifier at fi (whose first character the caller checked can
 * start one) as the lexer would, dots joining parts. Returns its end, or -1
 * when it holds a character only the general path judges.
 */
function scanIdent(): number {
  let j = fi + 1;
  fdot = -1;
  for (;;) {
    while (j < fend) {
      const c = fsrc.charCodeAt(j);
      if (isFastIdentPart(c)) j++;
      else if (c >= 0x80) return -1;
      else break;
    }
    if (j + 1 < fend && fsrc.charCodeAt(j) === 0x2e) {
      const c = fsrc.charCodeAt(j + 1);
      if (isFastIdentPart(c)) {
        if (fdot < 0) fdot = j;
        j++;
        continue;
      }
      if (c >= 0x80) return -1;
    }
    return j;
  }
}

function isFastIdentStart(c: number): boolean {
  return c < 0x80 ? ASCII_CLASS[c] === START : c === MIDDLE_DOT || c === DIVISION_SLASH;
}

/** The plain decimal literal at fi (lexer.ts's plainDecimalEnd), moving past it; or -1, not moving. */
function scanDecimal(): number {
  const end = plainDecimalEnd(fsrc, fi, fend);
  if (end < 0) return -1;
  fi = end;
  return plainDecimalValue;
}

/** The fast path's instruction statement, reused (parseFastLine): one object less per line. */
const fastInst: { kind: 'inst'; prog: Prog } = { kind: 'inst', prog: null as unknown as Prog };

/** Fast-path scratch: label names and positions, operands and their starts, written by index. */
const fastLabels: string[] = [];
const fastLabelAt: number[] = [];
const fastArgs: Operand[] = [];
const fastArgAt: number[] = [];

/** Whether only blanks are left on the line: `sym(SB)` is a branch target only as the last thing in the statement (parseOperand's c.done). */
function atStatementEnd(): boolean {
  let j = fi;
  while (j < fend) {
    const c = fsrc.charCodeAt(j);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0c) return false;
    j++;
  }
  return true;
}

/**
 * One operand at fi, or null to give up. Mirrors parseOperand for: registers,
 * `$n` and `$-n`, `off(R)`, `off(R)(I*s)`, labels, conditions and special
 * names, `name+off(FP)`, `name-off(SP)` and `sym+off(SB)`.
 */
function fastOperand(arch: ParserArch, pkg: string, branch: boolean, macros: MacroNames): Operand | null {
  const c = fsrc.charCodeAt(fi);
  if (c === 0x24 /* $ */) {
    fi++;
    const neg = fi < fend && fsrc.charCodeAt(fi) === 0x2d;
    if (neg) fi++;
    const v = scanDecimal();
    if (v < 0) return null;
    // `$5(R1)` is an address: the general path.
    skipBlanks();
    if (fi < fend && fsrc.charCodeAt(fi) === 0x28) return null;
    if (v < SMALL_IMMS) return neg ? negImm(v) : posImm(v);
    return { kind: 'imm', value: neg ? -bigOf(v) : bigOf(v) }; // BigInt has no -0
  }
  if (isFastIdentStart(c)) {
    const start = fi;
    const end = scanIdent();
    if (end < 0 || macros.names(fsrc, start, fdot < 0 ? end : fdot)) return null;
    const hasDot = fdot >= 0;
    const short = hasDot ? null : shortName(fsrc, start, end);
    const name = short !== null ? short.name : fsrc.slice(start, end);
    fi = end;
    skipBlanks();
    const next = fi < fend ? fsrc.charCodeAt(fi) : 0x2c;
    const reg = short !== null ? registerOf(short, arch) : arch.isRegister(name) ? regOperand(name) : null;
    // A register alone (shifts, extensions, vector elements take the general path).
    if (reg !== null) return next === 0x2c ? reg : null;
    if (hasDot) return null;
    if (next === 0x2c) {
      if (branch) return { kind: 'branch', label: name };
      if (CONDITIONS.has(name)) return { kind: 'cond', cond: name };
      return { kind: 'special', name };
    }
    let offset = 0;
    if (next === 0x2b || next === 0x2d) {
      fi++;
      const v = scanDecimal();
      if (v < 0) return null;
      offset = next === 0x2d ? 0 - v : v; // 0 - 0 is +0, as the general path's Number(0n)
    }
    if (fi >= fend || fsrc.charCodeAt(fi) !== 0x28) return null;
    fi++;
    const b = fi;
    if (b >= fend || !isFastIdentStart(fsrc.charCodeAt(b))) return null;
    const bend = scanIdent();
    if (bend !== b + 2 || fsrc.charCodeAt(bend) !== 0x29 || macros.names(fsrc, b, bend)) return null;
    const b0 = fsrc.charCodeAt(b);
    const b1 = fsrc.charCodeAt(b + 1);
    fi = bend + 1;
    const isSB = b0 === 0x53 && b1 === 0x42;
    if (isSB && branch && atStatementEnd()) return { kind: 'branch', sym: qualifyName(name, pkg), symStatic: false, offset };
    // An indexed reference, `sym(SB)(AX*4)` or `x+8(FP)(SI*1)`, takes the general path.
    skipBlanks();
    if (fi < fend && fsrc.charCodeAt(fi) === 0x28) return null;
    if (isSB) {
      const sym = qualifyName(name, pkg);
      const mem = newMemRef('extern', offset, 0);
      mem.sym = sym;
      return { kind: 'mem', mem };
    }
    if (b0 === 0x46 && b1 === 0x50 /* FP */) return { kind: 'mem', mem: namedRef('param', name, offset) };
    if (b0 === 0x53 && b1 === 0x50 /* SP */) return { kind: 'mem', mem: namedRef('auto', name, offset) };
    return null;
  }
  if (c === 0x28 || c === 0x2d || (c >= 0x30 && c <= 0x39)) {
    // `off(base)` and `off(base)(index*scale)`.
    let offset = 0;
    if (c !== 0x28) {
      const neg = c === 0x2d;
      if (neg) fi++;
      const v = scanDecimal();
      if (v < 0) return null;
      offset = neg ? 0 - v : v;
      if (fi >= fend || fsrc.charCodeAt(fi) !== 0x28) return null;
    }
    fi++;
    const base = fastRegister(arch, macros, true);
    if (base === null || fi >= fend || fsrc.charCodeAt(fi) !== 0x29) return null;
    fi++;
    const mem = newMemRef('none', offset, 0);
    mem.base = base;
    if (fi < fend && fsrc.charCodeAt(fi) === 0x28) {
      fi++;
      const index = fastRegister(arch, macros, false);
      if (index === null) return null;
      mem.index = index;
      mem.scale = 1;
      if (fi < fend && fsrc.charCodeAt(fi) === 0x2a /* * */) {
        const s = fi + 1 < fend ? fsrc.charCodeAt(fi + 1) - 0x30 : 0;
        if (s !== 1 && s !== 2 && s !== 4 && s !== 8) return null;
        mem.scale = s;
        fi += 2;
      }
      if (fi >= fend || fsrc.charCodeAt(fi) !== 0x29) return null;
      fi++;
    }
    return { kind: 'mem', mem };
  }
  return null;
}

/**
 * A register name at fi inside parentheses: a plain register (no dot), or SP
 * as a base (which parseMemory accepts whatever the architecture says). PC,
 * FP and SB (pseudo bases with rules of their own) and anything else give
 * null.
 */
function fastRegister(arch: ParserArch, macros: MacroNames, base: boolean): string | null {
  const start = fi;
  if (start >= fend || !isFastIdentStart(fsrc.charCodeAt(start))) return null;
  const end = scanIdent();
  if (end < 0 || fdot >= 0 || macros.names(fsrc, start, end)) return null;
  const short = shortName(fsrc, start, end);
  const name = short !== null ? short.name : fsrc.slice(start, end);
  const isReg = short !== null ? registerOf(short, arch) !== null : arch.isRegister(name);
  if (!isReg && !(base && name === 'SP')) return null;
  if (PSEUDO_BASES.has(name)) return null;
  fi = end;
  return name;
}

/**
 * Parses the line src[lineStart:end) of file (line number lineNo) when it is
 * one of the common forms, handing its statements to out; returns false,
 * having done nothing, otherwise. The caller has checked that the line is
 * outside a comment and a false #ifdef branch, holds no `/` (so no comment)
 * and is not a directive; `first` is its first non-blank index. An
 * instruction comes in a statement object that is reused for the next one:
 * out takes what it keeps (the prog) during the call.
 */
export function parseFastLine(src: string, lineStart: number, first: number, end: number, file: string, lineNo: number, arch: ParserArch, pkg: string, macros: MacroNames, out: StatementSink): boolean {
  fsrc = src;
  fi = first;
  fend = end;
  let nLabels = 0;
  let opStart: number;
  let opEnd: number;
  // Labels, then the mnemonic.
  for (;;) {
    opStart = fi;
    if (!isFastIdentStart(fsrc.charCodeAt(fi))) return false;
    opEnd = scanIdent();
    if (opEnd < 0 || macros.names(src, opStart, fdot < 0 ? opEnd : fdot)) return false;
    fi = opEnd;
    skipBlanks();
    if (fi < fend && src.charCodeAt(fi) === 0x3a /* : */) {
      fastLabels[nLabels] = nameAt(src, opStart, opEnd);
      fastLabelAt[nLabels] = opStart;
      nLabels++;
      fi++;
      skipBlanks();
      if (fi === fend) {
        opEnd = -1;
        break;
      }
      continue;
    }
    break;
  }
  let op = '';
  let nArgs = 0;
  if (opEnd >= 0) {
    op = nameAt(src, opStart, opEnd);
    if (op === 'TEXT' && nLabels === 0) return fastText(arch, pkg, macros, { file, line: lineNo, col: opStart - lineStart + 1 }, out);
    // Directives and GC metadata have parsers of their own.
    if (op === 'TEXT' || op === 'GLOBL' || op === 'DATA' || op === 'PCDATA' || op === 'FUNCDATA') return false;
    const branch = arch.isBranch(op);
    if (fi < fend) {
      for (;;) {
        fastArgAt[nArgs] = fi;
        const a = fastOperand(arch, pkg, branch, macros);
        if (a === null) return false;
        fastArgs[nArgs++] = a;
        skipBlanks();
        if (fi === fend) break;
        if (src.charCodeAt(fi) !== 0x2c) return false;
        fi++;
        skipBlanks();
        if (fi === fend) return false;
      }
    }
  }
  for (let k = 0; k < nLabels; k++) out({ kind: 'label', name: fastLabels[k]!, pos: { file, line: lineNo, col: fastLabelAt[k]! - lineStart + 1 } });
  if (opEnd < 0) return true;
  // The statement text starts at its first token, a label if there is one (as the general path has it).
  const packed = packArgStarts(fastArgAt, nArgs, first);
  fastInst.prog = new ParsedProg(op, firstN(fastArgs, nArgs), file, lineNo, opStart - lineStart + 1, src, lineStart, null, first, end, packed >= 0 ? packed : firstN(fastArgAt, nArgs));
  out(fastInst);
  return true;
}

/**
 * `TEXT sym(SB), flags, $frame-args` after the mnemonic, as parseText reads
 * it once the preprocessor has expanded the flags: flags are decimal numbers
 * or macros whose body is one (NOSPLIT|NOFRAME), joined by `|`; frame and
 * argument sizes are decimal. Anything else gives false.
 */
function fastText(arch: ParserArch, pkg: string, macros: MacroNames, pos: SourcePos, out: StatementSink): boolean {
  if (fi >= fend) return false;
  const symOp = fastOperand(arch, pkg, arch.isBranch('TEXT'), macros);
  if (symOp === null || symOp.kind !== 'mem' || symOp.mem.name !== 'extern' || symOp.mem.offset !== 0) return false;
  const name = symOp.mem.sym!;
  skipBlanks();
  if (fi >= fend || fsrc.charCodeAt(fi) !== 0x2c) return false;
  fi++;
  skipBlanks();
  let flags = 0;
  if (fi < fend && fsrc.charCodeAt(fi) !== 0x24 /* $ */) {
    for (;;) {
      let v: number;
      const c = fi < fend ? fsrc.charCodeAt(fi) : 0;
      if (c >= 0x30 && c <= 0x39) v = scanDecimal();
      else if (isFastIdentStart(c)) {
        const start = fi;
        const end = scanIdent();
        if (end < 0 || fdot >= 0) return false;
        v = macros.number(fsrc, start, end);
        fi = end;
      } else return false;
      if (v < 0 || v > 0x7fffffff) return false;
      flags |= v;
      skipBlanks();
      if (fi < fend && fsrc.charCodeAt(fi) === 0x7c /* | */) {
        fi++;
        skipBlanks();
        continue;
      }
      break;
    }
    if (fi >= fend || fsrc.charCodeAt(fi) !== 0x2c) return false;
    fi++;
    skipBlanks();
  }
  if (fi >= fend || fsrc.charCodeAt(fi) !== 0x24) return false;
  fi++;
  const negative = fi < fend && fsrc.charCodeAt(fi) === 0x2d;
  if (negative) fi++;
  const frame = scanDecimal();
  if (frame < 0) return false;
  // As parseText: Number(int), then negated (so `$-0` is -0 there too).
  const frameSize = negative ? -frame : frame;
  let argsSize: number | undefined;
  if (fi < fend && fsrc.charCodeAt(fi) === 0x2d) {
    fi++;
    const a = scanDecimal();
    if (a < 0) return false;
    argsSize = a;
  }
  skipBlanks();
  if (fi !== fend) return false;
  out({ kind: 'text', sym: { name, local: false }, flags, frameSize, argsSize, pos });
  return true;
}
