// The preprocessor conditionals of a declarations header: #if, #ifdef,
// #ifndef, #elif, #else and #endif over the macros a C compiler predefines
// for the target and those the header #defines. Real headers need them for
// include guards, `#ifdef __cplusplus extern "C" {` and per-OS or per-arch
// declarations. The parser expands the header's own object-like macros in
// declarations; the predefined ones matter to #if only.

import type { SourcePos } from '../diag.js';
import type { Target } from '../target.js';

/** What a C compiler for the target predefines that headers test, with GCC's and clang's values. */
export function predefinedMacros(t: Target): Map<string, string> {
  const lp64 = t.arch !== '386';
  const m = new Map<string, string>([
    ['__STDC__', '1'],
    ['__STDC_VERSION__', '201710L'],
    ['__STDC_HOSTED__', '1'],
    // Headers gate __attribute__ on it; gen reads attributes.
    ['__GNUC__', '4'],
    ['__CHAR_BIT__', '8'],
    ['__SIZEOF_POINTER__', lp64 ? '8' : '4'],
    ['__SIZEOF_LONG__', lp64 ? '8' : '4'],
    ['__SIZEOF_INT__', '4'],
    ['__SIZEOF_LONG_LONG__', '8'],
  ]);
  if (lp64) for (const k of ['__LP64__', '_LP64']) m.set(k, '1');
  const names =
    // Not GNU C's `linux`, `unix` and `i386`, which standard C modes leave undefined.
    t.os === 'linux' ? ['__linux__', '__linux', '__gnu_linux__', '__unix__', '__unix', '__ELF__'] : ['__APPLE__', '__MACH__'];
  if (t.arch === 'amd64') names.push('__x86_64__', '__x86_64', '__amd64__', '__amd64');
  if (t.arch === '386') names.push('__i386__', '__i386');
  if (t.arch === 'arm64') names.push('__aarch64__', ...(t.os === 'darwin' ? ['__arm64__', '__arm64'] : []));
  for (const k of names) m.set(k, '1');
  return m;
}

export class ConditionError extends Error {
  constructor(
    readonly pos: SourcePos,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The value of a #if or #elif expression: integers (decimal, hex, octal,
 * with U and L suffixes), `defined NAME` and `defined(NAME)`, macros whose
 * value is such an expression (an unknown name is 0, as in C), the unary
 * operators ! ~ - +, C's binary operators and ?:.
 */
export function evaluateCondition(text: string, macros: ReadonlyMap<string, string>, pos: SourcePos): bigint {
  return evaluate(text, macros, pos, { depth: 0, lookups: 0 });
}

/** What one #if may spend on macros in macros: a hostile header's doubling chain would otherwise run for ever. */
interface Budget {
  depth: number;
  lookups: number;
}

/** A spent budget: the #if is in error, whatever macro it happened in. */
class BudgetError extends ConditionError {}

function evaluate(text: string, macros: ReadonlyMap<string, string>, pos: SourcePos, budget: Budget): bigint {
  const toks = tokens(text, pos);
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const take = (want?: string): string => {
    const t = toks[i];
    if (t === undefined || (want !== undefined && t !== want)) throw new ConditionError(pos, `#if ${text}: expected ${want ?? 'an operand'}${t === undefined ? ' at its end' : `, found '${t}'`}`);
    i++;
    return t;
  };
  // Parentheses and unary operators nest calls: a bound keeps a hostile line from the stack's end.
  let nesting = 0;
  const primary = (): bigint => {
    if (++nesting > 256) throw new ConditionError(pos, `#if: expression nested more than 256 deep`);
    try {
      return operand();
    } finally {
      nesting--;
    }
  };
  const operand = (): bigint => {
    const t = take();
    if (t === '(') {
      const v = ternary();
      take(')');
      return v;
    }
    if (t === '!') return primary() === 0n ? 1n : 0n;
    if (t === '~') return ~primary();
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === 'defined') {
      const paren = peek() === '(';
      if (paren) take('(');
      const name = take();
      if (!/^[A-Za-z_]\w*$/.test(name)) throw new ConditionError(pos, `#if ${text}: defined needs a macro name, not '${name}'`);
      if (paren) take(')');
      return macros.has(name) ? 1n : 0n;
    }
    if (/^\d/.test(t)) return number(t, text, pos);
    if (/^[A-Za-z_]\w*$/.test(t)) {
      const v = macros.get(t);
      // An unknown name, or one defined empty or as something other than a number, counts as 0 (C's rule for names #if leaves).
      if (v === undefined || v.trim() === '') return 0n;
      if (++budget.lookups > 100_000 || budget.depth >= 64) throw new BudgetError(pos, `#if ${text}: macros nested too deeply or expanding too far`);
      budget.depth++;
      try {
        return evaluate(v, macros, pos, budget);
      } catch (e) {
        if (e instanceof ConditionError && !(e instanceof BudgetError)) return 0n;
        throw e;
      } finally {
        budget.depth--;
      }
    }
    throw new ConditionError(pos, `#if ${text}: unexpected '${t}'`);
  };
  // Binary operators by precedence, loosest first.
  const LEVELS: string[][] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
  const binary = (level: number): bigint => {
    if (level === LEVELS.length) return primary();
    let v = binary(level + 1);
    for (;;) {
      const op = peek();
      if (op === undefined || !LEVELS[level]!.includes(op)) return v;
      i++;
      const r = binary(level + 1);
      v = apply(op, v, r, text, pos);
    }
  };
  const ternary = (): bigint => {
    const c = binary(0);
    if (peek() !== '?') return c;
    take('?');
    const a = ternary();
    take(':');
    const b = ternary();
    return c !== 0n ? a : b;
  };
  const v = ternary();
  if (i < toks.length) throw new ConditionError(pos, `#if ${text}: unexpected '${toks[i]}'`);
  return v;
}

function apply(op: string, a: bigint, b: bigint, text: string, pos: SourcePos): bigint {
  const bool = (x: boolean): bigint => (x ? 1n : 0n);
  switch (op) {
    case '||':
      return bool(a !== 0n || b !== 0n);
    case '&&':
      return bool(a !== 0n && b !== 0n);
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '&':
      return a & b;
    case '==':
      return bool(a === b);
    case '!=':
      return bool(a !== b);
    case '<':
      return bool(a < b);
    case '>':
      return bool(a > b);
    case '<=':
      return bool(a <= b);
    case '>=':
      return bool(a >= b);
    case '<<':
      return BigInt.asIntN(64, a << b);
    case '>>':
      return a >> b;
    case '+':
      return BigInt.asIntN(64, a + b);
    case '-':
      return BigInt.asIntN(64, a - b);
    case '*':
      return BigInt.asIntN(64, a * b);
    default:
      if (b === 0n) throw new ConditionError(pos, `#if ${text}: division by zero`);
      return op === '/' ? a / b : a % b;
  }
}

function number(t: string, text: string, pos: SourcePos): bigint {
  const digits = t.replace(/[uUlL]+$/, '');
  try {
    if (/^0[xX][0-9a-fA-F]+$/.test(digits)) return BigInt(digits);
    if (/^0[0-7]*$/.test(digits)) return BigInt(`0o${digits.slice(1) || '0'}`);
    if (/^[1-9]\d*$/.test(digits)) return BigInt(digits);
  } catch {
    // falls through to the diagnostic
  }
  throw new ConditionError(pos, `#if ${text}: malformed number ${t}`);
}

const OPERATORS = ['||', '&&', '==', '!=', '<=', '>=', '<<', '>>', '(', ')', '!', '~', '-', '+', '*', '/', '%', '<', '>', '&', '|', '^', '?', ':'];

function tokens(text: string, pos: SourcePos): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const word = /^(?:[A-Za-z_]\w*|\d\w*)/.exec(text.slice(i));
    if (word) {
      out.push(word[0]);
      i += word[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new ConditionError(pos, `#if ${text}: unexpected '${c}'`);
    out.push(op);
    i += op.length;
  }
  return out;
}
