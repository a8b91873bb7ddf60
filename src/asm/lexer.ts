// Tokens of one logical line of Go-style assembly. Identifiers may contain the
// middle dot `·` (package separator) and the division slash `∕` (path
// separator), as in Go; a `.` joins identifier parts (`B.EQ`, `V1.B16`,
// `R1.UXTW`, `MOVD.P`). Comments were removed by the preprocessor.

export type TokenKind = 'ident' | 'int' | 'float' | 'string' | 'op';

/**
 * A token. The lexer reuses one pool of them from line to line (a token
 * object per token of a million-line file is most of the parser's garbage),
 * so a token is valid only until the next line is tokenized: the parser
 * copies out what it keeps.
 */
export class Token {
  kind: TokenKind = 'op';
  /** Source text: the identifier, the operator, the literal as written. */
  text = '';
  /** 0-based index into the logical line. */
  pos = 0;
  /** Value of an int or char literal. */
  int: bigint | undefined = undefined;
  /** Value of a float literal. */
  float: number | undefined = undefined;
  /** Bytes of a string literal. */
  bytes: Uint8Array | undefined = undefined;
}

/** The token pool: tokenize fills its first entries. */
export const tokens: Token[] = [];
let count = 0;

function push(kind: TokenKind, text: string, pos: number, int?: bigint, float?: number, bytes?: Uint8Array): void {
  let t = tokens[count];
  if (t === undefined) {
    t = new Token();
    tokens.push(t);
  }
  count++;
  t.kind = kind;
  t.text = text;
  t.pos = pos;
  t.int = int;
  t.float = float;
  t.bytes = bytes;
}

/** Small non-negative integers as BigInts, made once: most literals are offsets and small constants. */
const SMALL = Array.from({ length: 1024 }, (_, i) => BigInt(i));

/** v (a non-negative safe integer) as a BigInt, from the cache when small. */
export function bigOf(v: number): bigint {
  return v < 1024 ? SMALL[v]! : BigInt(v);
}

export class LexError {
  constructor(
    readonly pos: number,
    readonly message: string,
  ) {}
}

export const MIDDLE_DOT = 0xb7;
export const DIVISION_SLASH = 0x2215;

/**
 * ASCII character classes, looked up rather than compared (the lexer's inner
 * loop; the parser's fast path shares them): START for a letter or `_`, DIGIT,
 * 0 for anything else.
 */
export const START = 1;
const DIGIT = 2;
export const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f) ASCII_CLASS[c] = START;
  else if (c >= 0x30 && c <= 0x39) ASCII_CLASS[c] = DIGIT;
}

function isIdentStart(c: number): boolean {
  if (c < 0x80) return ASCII_CLASS[c] === START;
  return c === MIDDLE_DOT || c === DIVISION_SLASH || /\p{L}/u.test(String.fromCharCode(c));
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isIdentPart(c: number): boolean {
  if (c < 0x80) return ASCII_CLASS[c] !== 0;
  return isIdentStart(c);
}

/** The value of the literal plainDecimalEnd last accepted. */
export let plainDecimalValue = 0;

/**
 * The common literal read without a regex, a string or BigInt parsing: a
 * plain decimal at s[start] (before end) — digits, no leading zero, under 16
 * of them, not followed by anything that could continue it (`.`, a letter or
 * digit, a non-ASCII character: 1.5, 1e3, 0x10, 12ab). Returns its end, with
 * the value in plainDecimalValue, or -1 for anything else (the general path).
 */
export function plainDecimalEnd(s: string, start: number, end: number): number {
  let i = start;
  let v = 0;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + (c - 0x30);
    i++;
  }
  const len = i - start;
  if (len === 0 || len >= 16 || (len > 1 && s.charCodeAt(start) === 0x30)) return -1;
  if (i < end) {
    const c = s.charCodeAt(i);
    if (c === 0x2e || c >= 0x80 || ASCII_CLASS[c] !== 0) return -1;
  }
  plainDecimalValue = v;
  return i;
}

/** Single-character operators by character code (shared strings, no allocation per token). */
const OPERATORS: (string | undefined)[] = [];
for (const ch of '+-*/%&|^~()[],$:;@<>=!#.{}') OPERATORS[ch.charCodeAt(0)] = ch;

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };

/** Reads an escape sequence at s[i] (just after the backslash); returns [byte value, next index]. */
function readEscape(s: string, i: number, start: number): [number, number] {
  const c = s[i];
  if (c === 'x') {
    const hex = s.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new LexError(start, 'invalid \\x escape');
    return [parseInt(hex, 16), i + 3];
  }
  if (c !== undefined && c >= '0' && c <= '7' && /^[0-7]{3}$/.test(s.slice(i, i + 3))) {
    return [parseInt(s.slice(i, i + 3), 8) & 0xff, i + 3];
  }
  const v = c === undefined ? undefined : ESCAPES[c];
  if (v === undefined) throw new LexError(start, `unknown escape sequence \\${c ?? ''}`);
  return [v, i + 1];
}

const encoder = new TextEncoder();

/** Tokenizes one logical line into the pool; returns the number of tokens. */
export function tokenize(line: string): number {
  count = 0;
  const n = line.length;
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0c) {
      i++;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      i++;
      for (;;) {
        while (i < n && isIdentPart(line.charCodeAt(i))) i++;
        // A dot followed by an identifier character continues the identifier.
        if (i + 1 < n && line.charCodeAt(i) === 0x2e && isIdentPart(line.charCodeAt(i + 1))) {
          i++;
          continue;
        }
        break;
      }
      push('ident', line.slice(start, i), start);
      continue;
    }
    if (isDigit(c) || (c === 0x2e && i + 1 < n && isDigit(line.charCodeAt(i + 1)))) {
      i = readNumber(line, i);
      continue;
    }
    if (c === 0x27 /* ' */) {
      i++;
      let value: number;
      if (line[i] === '\\') [value, i] = readEscape(line, i + 1, start);
      else {
        const cp = line.codePointAt(i);
        if (cp === undefined || cp === 0x27) throw new LexError(start, 'empty character literal');
        value = cp;
        i += cp > 0xffff ? 2 : 1;
      }
      if (line[i] !== "'") throw new LexError(start, 'unterminated character literal');
      i++;
      push('int', line.slice(start, i), start, BigInt(value));
      continue;
    }
    if (c === 0x22 /* " */) {
      i++;
      const bytes: number[] = [];
      for (;;) {
        if (i >= n) throw new LexError(start, 'unterminated string literal');
        const ch = line[i]!;
        if (ch === '"') {
          i++;
          break;
        }
        if (ch === '\\') {
          let v: number;
          [v, i] = readEscape(line, i + 1, start);
          bytes.push(v);
          continue;
        }
        const cp = line.codePointAt(i)!;
        const len = cp > 0xffff ? 2 : 1;
        for (const b of encoder.encode(line.slice(i, i + len))) bytes.push(b);
        i += len;
      }
      push('string', line.slice(start, i), start, undefined, undefined, Uint8Array.from(bytes));
      continue;
    }
    const next = i + 1 < n ? line.charCodeAt(i + 1) : 0;
    if ((c === 0x3c && (next === 0x3c || next === 0x3e)) || (c === 0x3e && next === 0x3e) || (c === 0x26 && next === 0x5e) || (c === 0x2d && next === 0x3e) || (c === 0x40 && next === 0x3e)) {
      push('op', line.slice(i, i + 2), start);
      i += 2;
      continue;
    }
    const op = c < 128 ? OPERATORS[c] : undefined;
    if (op !== undefined) {
      push('op', op, start);
      i++;
      continue;
    }
    throw new LexError(start, `unexpected character ${JSON.stringify(line[i])}`);
  }
  return count;
}

const NUMBER = /0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][+-]?\d+)?/y;

/** Reads the number at line[start]; returns the index after it. */
function readNumber(line: string, start: number): number {
  const fast = plainDecimalEnd(line, start, line.length);
  if (fast >= 0) {
    push('int', line.slice(start, fast), start, bigOf(plainDecimalValue));
    return fast;
  }
  NUMBER.lastIndex = start;
  const m = NUMBER.exec(line);
  const text = m ? m[0] : '';
  if (text === '' || text === '.') throw new LexError(start, 'malformed number');
  const end = start + text.length;
  // An identifier character right after a number is an error (`12ab`).
  const after = line.charCodeAt(end);
  if (!Number.isNaN(after) && isIdentPart(after)) {
    throw new LexError(start, `malformed number ${JSON.stringify(line.slice(start, end + 1))}`);
  }
  let plain = text.length < 16;
  for (let k = 0; plain && k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x30 || c > 0x39) plain = false;
  }
  if (plain && (text.length === 1 || text.charCodeAt(0) !== 0x30)) {
    push('int', text, start, BigInt(Number(text)));
    return end;
  }
  const clean = text.replace(/_/g, '');
  if (/^0[xXbBoO]/.test(clean)) {
    if (clean.length === 2) throw new LexError(start, `malformed number ${text}`);
    push('int', text, start, BigInt(clean));
    return end;
  }
  if (/[.eE]/.test(clean)) {
    push('float', text, start, undefined, Number(clean));
    return end;
  }
  // A leading zero means octal, as in C and Go's assembler.
  if (clean.length > 1 && clean[0] === '0') {
    if (!/^[0-7]+$/.test(clean)) throw new LexError(start, `malformed octal number ${text}`);
    push('int', text, start, BigInt('0o' + clean.slice(1)));
    return end;
  }
  push('int', text, start, BigInt(clean));
  return end;
}
