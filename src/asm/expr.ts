// Go's constant expressions: + - * / % & | ^ &^ << >> and unary - + ~, with
// parentheses and character literals, evaluated in 64-bit unsigned arithmetic
// as Go's assembler does (results are reinterpreted as signed by the caller).

import type { Token } from './lexer.js';
import { TEXTFLAG_NAMES } from './headers.js';

export class ParseError {
  constructor(
    /** Index into the line of the offending token. */
    readonly pos: number,
    readonly message: string,
  ) {}
}

/** A cursor over toks[lo, hi): one statement of the lexer's token pool. */
export class TokenCursor {
  i: number;
  constructor(
    readonly toks: readonly Token[],
    public lo: number,
    public hi: number,
    public endPos: number,
  ) {
    this.i = lo;
  }
  /** Points the cursor at another range (the parser reuses one cursor). */
  reset(lo: number, hi: number, endPos: number): void {
    this.lo = lo;
    this.hi = hi;
    this.endPos = endPos;
    this.i = lo;
  }
  peek(k = 0): Token | undefined {
    const j = this.i + k;
    return j < this.hi ? this.toks[j] : undefined;
  }
  next(): Token | undefined {
    const j = this.i++;
    return j < this.hi ? this.toks[j] : undefined;
  }
  isOp(text: string, k = 0): boolean {
    const j = this.i + k;
    if (j >= this.hi) return false;
    const t = this.toks[j]!;
    return t.kind === 'op' && t.text === text;
  }
  eat(text: string): boolean {
    if (this.isOp(text)) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(text: string, what?: string): Token {
    const t = this.peek();
    if (!t || t.kind !== 'op' || t.text !== text) {
      throw new ParseError(t ? t.pos : this.endPos, `expected ${what ?? `'${text}'`}${t ? `, found '${t.text}'` : ' at end of line'}`);
    }
    this.i++;
    return t;
  }
  get done(): boolean {
    return this.i >= this.hi;
  }
  get pos(): number {
    const t = this.peek();
    return t ? t.pos : this.endPos;
  }
}

const MASK = (1n << 64n) - 1n;
const SIGN = 1n << 63n;

/** True when the token can start a constant expression. */
export function startsExpr(c: TokenCursor): boolean {
  const t = c.peek();
  if (!t) return false;
  if (t.kind === 'int') return true;
  return t.kind === 'op' && (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '(');
}

export function parseExpr(c: TokenCursor): bigint {
  let v = parseTerm(c);
  for (;;) {
    const t = c.peek();
    if (!t || t.kind !== 'op') return v;
    if (t.text === '+') (c.next(), (v = (v + parseTerm(c)) & MASK));
    else if (t.text === '-') (c.next(), (v = (v - parseTerm(c)) & MASK));
    else if (t.text === '|') (c.next(), (v = v | parseTerm(c)));
    else if (t.text === '^') (c.next(), (v = v ^ parseTerm(c)));
    else return v;
  }
}

function parseTerm(c: TokenCursor): bigint {
  let v = parseFactor(c);
  for (;;) {
    const t = c.peek();
    if (!t || t.kind !== 'op') return v;
    switch (t.text) {
      case '*':
        c.next();
        v = (v * parseFactor(c)) & MASK;
        break;
      case '/':
      case '%': {
        c.next();
        const r = parseFactor(c);
        if (r === 0n) throw new ParseError(t.pos, 'division by zero in constant expression');
        v = t.text === '/' ? v / r : v % r;
        break;
      }
      case '<<': {
        c.next();
        const r = parseFactor(c);
        v = r >= 64n ? 0n : (v << r) & MASK;
        break;
      }
      case '>>': {
        c.next();
        const r = parseFactor(c);
        v = r >= 64n ? 0n : v >> r;
        break;
      }
      case '&':
        c.next();
        v = v & parseFactor(c);
        break;
      case '&^':
        c.next();
        v = v & ~parseFactor(c) & MASK;
        break;
      default:
        return v;
    }
  }
}

function parseFactor(c: TokenCursor): bigint {
  const t = c.next();
  if (!t) throw new ParseError(c.endPos, 'expected a constant expression at end of line');
  // A literal is already in range unless it is wider than 64 bits (comparing allocates no BigInt; masking does).
  if (t.kind === 'int') return t.int! <= MASK ? t.int! : t.int! & MASK;
  if (t.kind === 'op') {
    switch (t.text) {
      case '-':
        return -parseFactor(c) & MASK;
      case '+':
        return parseFactor(c);
      case '~':
        return ~parseFactor(c) & MASK;
      case '(': {
        const v = parseExpr(c);
        c.expect(')');
        return v;
      }
    }
  }
  const hint = t.kind === 'ident' && TEXTFLAG_NAMES.has(t.text) ? ` (${t.text} is defined in textflag.h: #include "textflag.h")` : '';
  throw new ParseError(t.pos, `unexpected '${t.text}' in constant expression${hint}`);
}

/** Interprets a 64-bit pattern as a signed value. */
export function toSigned(v: bigint): bigint {
  return v >= 0n && v < SIGN ? v : BigInt.asIntN(64, v);
}
