// A tokenizer for the subset of C that prototypes are written in. Comments
// vanish except `//asmlink:` directives, which become tokens so a declaration
// can carry generator options and the header stays valid C. A preprocessor
// line is one token; the parser decides which ones it accepts.

import type { SourcePos } from '../diag.js';

export type CTokenKind = 'ident' | 'number' | 'string' | 'punct' | 'directive' | 'pp';

export interface CToken {
  kind: CTokenKind;
  /** Identifier/punctuator text; a string's contents without quotes; a directive's text after `//asmlink:`; a pp line after `#`. */
  text: string;
  pos: SourcePos;
}

export class CLexError extends Error {
  constructor(
    readonly pos: SourcePos,
    message: string,
  ) {
    super(message);
  }
}

const PUNCT = ['...', '(', ')', '[', ']', '{', '}', '*', ',', ';', '=', ':', '&', '+', '-', '<', '>', '.', '|', '~', '!', '/', '%', '^', '?'];

export function tokenizeC(text: string, file: string): CToken[] {
  const out: CToken[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let atLineStart = true;
  const pos = (at: number): SourcePos => ({ file, line, col: at - lineStart + 1 });
  const newline = (at: number): void => {
    line++;
    lineStart = at + 1;
    atLineStart = true;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      newline(i);
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const start = pos(i);
      i += 2;
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] === '\n') newline(i);
        i++;
      }
      if (i >= text.length) throw new CLexError(start, 'unterminated /* comment');
      i += 2;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const start = pos(i);
      let end = text.indexOf('\n', i);
      if (end < 0) end = text.length;
      const body = text.slice(i + 2, end);
      if (body.startsWith('asmlink:')) out.push({ kind: 'directive', text: body.slice('asmlink:'.length).trim(), pos: start });
      i = end;
      continue;
    }
    if (c === '#' && atLineStart) {
      const start = pos(i);
      // A preprocessor line runs to the end of the line, with backslash continuations.
      let s = '';
      i++;
      while (i < text.length && text[i] !== '\n') {
        if (text[i] === '\\' && text[i + 1] === '\n') {
          newline(i + 1);
          i += 2;
          continue;
        }
        s += text[i];
        i++;
      }
      out.push({ kind: 'pp', text: s.replace(/\/\/.*$/, '').replace(/\/\*.*?\*\//g, '').trim(), pos: start });
      continue;
    }
    atLineStart = false;
    if (/[A-Za-z_$]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_$]/.test(text[i]!)) i++;
      out.push({ kind: 'ident', text: text.slice(start, i), pos: pos(start) });
      continue;
    }
    if (/[0-9]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_.]/.test(text[i]!)) i++;
      out.push({ kind: 'number', text: text.slice(start, i), pos: pos(start) });
      continue;
    }
    if (c === '"') {
      const start = pos(i);
      let s = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\n') throw new CLexError(start, 'unterminated string');
        if (text[i] === '\\' && i + 1 < text.length) {
          s += text[i + 1];
          i += 2;
          continue;
        }
        s += text[i];
        i++;
      }
      if (i >= text.length) throw new CLexError(start, 'unterminated string');
      i++;
      out.push({ kind: 'string', text: s, pos: start });
      continue;
    }
    const p = PUNCT.find((q) => text.startsWith(q, i));
    if (!p) throw new CLexError(pos(i), `unexpected character ${JSON.stringify(c)}`);
    out.push({ kind: 'punct', text: p, pos: pos(i) });
    i += p.length;
  }
  return out;
}
