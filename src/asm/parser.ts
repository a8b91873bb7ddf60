// The statement parser: logical source lines → labels, instructions and the
// TEXT/GLOBL/DATA directives, with operands in Go's assembler syntax. It knows
// nothing about instruction sets beyond what the backend tells it: which names
// are registers and which ops take branch targets.

import type { SourcePos } from '../diag.js';
import { DiagnosticSink } from '../diag.js';
import { LexError, tokenize, tokens } from './lexer.js';
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

/** Turns Go's `·` and `∕` into `.` and `/`, and qualifies a leading `·` with the package. */
export function qualifyName(name: string, pkg: string): string {
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
 * the line when asked for rather than for every instruction.
 */
class ParsedProg implements Prog {
  constructor(
    readonly op: string,
    readonly args: Operand[],
    readonly pos: SourcePos,
    private readonly line: SourceLine,
    private readonly first: number,
    private readonly end: number,
    private readonly argStarts: number[],
  ) {}
  get text(): string {
    return this.line.text.slice(this.first, this.end).trim();
  }
  get argPos(): SourcePos[] {
    return this.argStarts.map((i) => posIn(this.line, i));
  }
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
  out({ kind: 'inst', prog: new ParsedProg(op, args, pos, line, c.toks[c.lo]!.pos, c.endPos, positions) });
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
        if (isStatic || gotRef) throw new ParseError(t.pos, 'bad FP reference');
        return { kind: 'mem', mem: namedRef('param', name, off) };
      case 'SP':
        if (isStatic || gotRef) throw new ParseError(t.pos, 'bad SP reference');
        return { kind: 'mem', mem: namedRef('auto', name, off) };
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
