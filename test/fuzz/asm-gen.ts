// Random assembly: token soup from a grammar of plausible Go-style assembly
// (directives, instructions with operands of every addressing form,
// preprocessor lines, labels), and mutations of real source files.

import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ArchName } from '../../src/target.js';
import { repoRoot } from '../helpers.js';

const MNEMONICS: Record<ArchName, string[]> = {
  amd64: [
    'MOVQ', 'MOVL', 'MOVW', 'MOVB', 'LEAQ', 'ADDQ', 'SUBQ', 'ANDQ', 'ORQ', 'XORL', 'XORQ', 'CMPQ', 'CMPL', 'TESTQ', 'TESTL',
    'CALL', 'JMP', 'JEQ', 'JNE', 'JLT', 'JGE', 'JHI', 'JCS', 'RET', 'PUSHQ', 'POPQ', 'SYSCALL', 'INT', 'NEGQ', 'INCQ', 'DECQ',
    'SHLQ', 'SARL', 'IMULQ', 'DIVQ', 'MOVLQSX', 'MOVBQZX', 'XCHGL', 'CLD', 'MOVOU', 'MOVUPS', 'PXOR', 'VMOVDQU', 'LOCK',
    'CMPXCHGQ', 'XADDL', 'BYTE', 'WORD', 'LONG', 'QUAD', 'NOP', 'PCDATA', 'FUNCDATA', 'CMOVQEQ', 'SETEQ', 'BSWAPQ', 'REP', 'STOSQ',
  ],
  '386': [
    'MOVL', 'MOVW', 'MOVB', 'LEAL', 'ADDL', 'SUBL', 'ANDL', 'ORL', 'XORL', 'CMPL', 'TESTL', 'CALL', 'JMP', 'JEQ', 'JNE', 'JLT',
    'RET', 'PUSHL', 'POPL', 'INT', 'NEGL', 'INCL', 'DECL', 'SHLL', 'SARL', 'IMULL', 'DIVL', 'MOVBLZX', 'XCHGL', 'CLD', 'ADCL',
    'CMPB', 'BYTE', 'LONG', 'NOP', 'PCDATA', 'MOVQ', 'SYSCALL', 'CMPXCHGL', 'LOCK', 'MOVSL', 'REP',
  ],
  arm64: [
    'MOVD', 'MOVW', 'MOVWU', 'MOVB', 'MOVBU', 'MOVH', 'ADD', 'SUB', 'AND', 'ORR', 'EOR', 'CMP', 'CMN', 'B', 'BL', 'BEQ', 'BNE',
    'BLT', 'BGE', 'BHI', 'BHS', 'CBZ', 'CBNZ', 'TBZ', 'RET', 'CALL', 'JMP', 'STP', 'LDP', 'LSL', 'LSR', 'ASR', 'MUL', 'UDIV',
    'SDIV', 'NEG', 'BRK', 'SVC', 'ADR', 'ADRP', 'LDAR', 'STLR', 'LDAXR', 'STLXR', 'CSEL', 'CSET', 'MSR', 'MRS', 'DMB', 'WORD',
    'NOP', 'MOVK', 'MOVZ', 'FMOVD', 'VMOV', 'SUBS', 'ADDS', 'TST', 'UBFX', 'PCDATA',
  ],
};

const REGISTERS: Record<ArchName, string[]> = {
  amd64: ['AX', 'BX', 'CX', 'DX', 'SI', 'DI', 'BP', 'SP', 'R8', 'R9', 'R10', 'R15', 'X0', 'X15', 'Y3', 'FS', 'GS', 'PC', 'R16', 'AL', 'AH', 'K1'],
  '386': ['AX', 'BX', 'CX', 'DX', 'SI', 'DI', 'BP', 'SP', 'X0', 'X7', 'GS', 'FS', 'PC', 'R8', 'AL'],
  arm64: ['R0', 'R1', 'R7', 'R15', 'R29', 'R30', 'RSP', 'ZR', 'R31', 'R32', 'LR', 'g', 'F0', 'F31', 'V1', 'V1.B16', 'R3.UXTW', 'R4<<3', 'R5>>2', 'R6->1', 'PC', 'SP'],
};

const IDENTS = ['main', '·main', 'runtime·printstring', 'foo<>', 'x', 'libc·write', 'loop', 'done', 'a∕b·c', '_rt0_amd64_linux', 'L1', 'tls_g', 'SB', 'FP'];
const FLAGS = ['NOSPLIT', 'DUPOK', 'RODATA', 'NOPTR', 'TOPFRAME', 'WRAPPER', 'NOFRAME', '7', '0', '$0', 'NOSPLIT|NOFRAME', 'TLSBSS'];

const num = fc.oneof(
  fc.integer({ min: -8, max: 64 }),
  fc.constantFrom(0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, -0x80000000, 2 ** 53),
  fc.integer(),
).map(String);
const numText = fc.oneof(
  num,
  num.map((n) => (n.startsWith('-') ? n : '0x' + Number(n).toString(16))),
  fc.constantFrom('0x7fffffffffffffff', '0xffffffffffffffff', '18446744073709551616', '1<<63', '(1<<31)-1', '07', '0b101', "'a'", '1e3', '0x', '99999999999999999999999'),
);
const expr = fc.oneof(
  { weight: 4, arbitrary: numText },
  fc.tuple(numText, fc.constantFrom('+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '&^'), numText).map(([a, o, b]) => `${a}${o}${b}`),
  fc.tuple(fc.constantFrom('(', '-', '~', '^', '+'), numText).map(([p, a]) => (p === '(' ? `(${a})` : `${p}${a}`)),
  fc.constantFrom('PAGESIZE', 'g_stack', 'm_stacksize', 'UNDEFINED_MACRO'),
);

function operand(arch: ArchName): fc.Arbitrary<string> {
  const reg = fc.constantFrom(...REGISTERS[arch]);
  const id = fc.constantFrom(...IDENTS);
  return fc.oneof(
    { weight: 4, arbitrary: reg },
    { weight: 3, arbitrary: expr.map((e) => `$${e}`) },
    fc.tuple(expr, reg).map(([e, r]) => `${e}(${r})`),
    fc.tuple(expr, reg, reg, fc.constantFrom('1', '2', '4', '8', '3', '16')).map(([e, a, b, s]) => `${e}(${a})(${b}*${s})`),
    fc.tuple(id, expr).map(([i, e]) => `${i}+${e}(SB)`),
    id.map((i) => `${i}(SB)`),
    id.map((i) => `$${i}(SB)`),
    fc.tuple(id, expr).map(([i, e]) => `${i}+${e}(FP)`),
    fc.tuple(id, expr).map(([i, e]) => `${i}-${e}(SP)`),
    id,
    fc.string({ maxLength: 10 }).map((s) => `$"${s.replace(/["\n\\]/g, '')}"`),
    fc.tuple(reg, reg).map(([a, b]) => `[${a}-${b}]`),
    fc.tuple(reg, reg).map(([a, b]) => `(${a}, ${b})`),
    fc.constantFrom('$(0)', '(R0)', '$f64.3ff0000000000000', '$-1', '$(1<<63)', '-8(FS)', '0x30(GS)', '(SP)', '8(RSP)', '-16(RSP)!', '16(RSP)!', '#3', 'EQ', 'LT'),
  );
}

function instruction(arch: ArchName): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...MNEMONICS[arch]), fc.array(operand(arch), { maxLength: 4 }))
    .map(([m, ops]) => `\t${m}\t${ops.join(', ')}`);
}

function directive(): fc.Arbitrary<string> {
  const id = fc.constantFrom(...IDENTS);
  const flags = fc.constantFrom(...FLAGS);
  return fc.oneof(
    fc.tuple(id, flags, expr, expr).map(([i, f, a, b]) => `TEXT ${i}(SB),${f},$${a}-${b}`),
    fc.tuple(id, flags).map(([i, f]) => `TEXT ${i}(SB),${f},$0`),
    id.map((i) => `TEXT ${i}(SB)`),
    fc.tuple(id, expr, fc.constantFrom('1', '2', '4', '8', '3', '0', '16'), operand('amd64')).map(([i, o, s, v]) => `DATA ${i}+${o}(SB)/${s}, ${v}`),
    fc.tuple(id, flags, expr).map(([i, f, s]) => `GLOBL ${i}(SB), ${f}, $${s}`),
    fc.tuple(id, expr).map(([i, s]) => `GLOBL ${i}(SB), $${s}`),
    fc.tuple(id, id, fc.constantFrom('"libc.so.6"', '"/usr/lib/libSystem.B.dylib"', '""', '"', 'libc')).map(([a, b, l]) => `//go:cgo_import_dynamic ${a} ${b} ${l}`),
    id.map((i) => `//go:cgo_import_dynamic ${i}`),
    id.map((i) => `${i}:`),
  );
}

export function preprocessorLine(): fc.Arbitrary<string> {
  const id = fc.constantFrom('X', 'Y', 'GOARCH_amd64', 'GOOS_linux', 'NOSPLIT', 'F', 'REC');
  return fc.oneof(
    fc.tuple(id, expr).map(([i, e]) => `#define ${i} ${e}`),
    fc.tuple(id, id, operand('amd64')).map(([i, p, b]) => `#define ${i}(${p}) ${b} ${p}`),
    fc.constantFrom(
      '#define REC REC',
      '#define F(a) F(a)',
      '#define X(a,b) a##b',
      '#define A B\n#define B A',
      '#include "textflag.h"',
      '#include "runtime.h"',
      '#include <nosuch.h>',
      '#include "self.s"',
      '#include',
      '#ifdef',
      '#else',
      '#endif',
      '#if 1',
      '#undef X',
      '#line 5',
      '#pragma once',
      '\\',
      '/*',
      '*/',
      '// comment',
    ),
    id.map((i) => `#ifdef ${i}`),
    id.map((i) => `#ifndef ${i}`),
  );
}

const junk = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(';', ',', '$', '(', ')', '[', ']', '{', '}', '"', "'", '`', '·', '∕', '\u0000', '\t', '\r', '\uFEFF', '\uD800', '@', '!', '#', '+', '-'),
);

/** One line of plausible (or nearly plausible) assembly for arch; preprocessor lines too unless told otherwise. */
export function asmLine(arch: ArchName, preprocessor = true): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: instruction(arch) },
    { weight: 3, arbitrary: directive() },
    { weight: preprocessor ? 2 : 0, arbitrary: preprocessorLine() },
    { weight: 1, arbitrary: junk },
    { weight: 1, arbitrary: fc.tuple(instruction(arch), instruction(arch)).map(([a, b]) => `${a}; ${b}`) },
  );
}

/** A whole file of token soup, usually starting inside a TEXT so instructions are encoded. */
export function asmSoup(arch: ArchName, maxLines = 30): fc.Arbitrary<string> {
  return fc
    .tuple(fc.boolean(), fc.array(asmLine(arch), { maxLength: maxLines }))
    .map(([text, lines]) => (text ? ['#include "textflag.h"', 'TEXT ·f(SB),NOSPLIT,$16-8', ...lines] : lines).join('\n'));
}

/** Real sources: the examples and the runtime, with the architecture each is for. */
export interface RealSource {
  file: string;
  text: string;
  arch: ArchName;
}

function walk(dir: string, out: string[]): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.s')) out.push(p);
  }
}

export function realSources(): RealSource[] {
  const files: string[] = [];
  walk(path.join(repoRoot, 'examples'), files);
  walk(path.join(repoRoot, 'runtime'), files);
  const out: RealSource[] = [];
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const base = path.basename(f, '.s');
    const arches: ArchName[] = base.endsWith('_amd64') ? ['amd64'] : base.endsWith('_386') ? ['386'] : base.endsWith('_arm64') ? ['arm64'] : ['amd64', '386', 'arm64'];
    for (const arch of arches) out.push({ file: path.relative(repoRoot, f), text, arch });
  }
  return out;
}

export type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'dup'; at: number }
  | { op: 'swap'; at: number; to: number }
  | { op: 'char'; at: number; ch: string }
  | { op: 'cut'; at: number; len: number }
  | { op: 'truncate'; at: number }
  | { op: 'line'; at: number; line: string }
  | { op: 'token'; at: number; token: string };

const TOKENS = ['$', '(', ')', ',', '+', '-', '*', '<<', 'SB', 'FP', 'SP', '·', '<>', '"', '#', '\\', '/*', '\n', '0x', '9999999999999999999', 'AX', 'R0', 'NOSPLIT', '$-1', '8(SP)', 'TEXT', 'DATA', 'GLOBL', '#define', '#endif', '#ifdef'];

export function mutationArb(arch: ArchName): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  return fc.oneof(
    at.map((a) => ({ op: 'delete' as const, at: a })),
    at.map((a) => ({ op: 'dup' as const, at: a })),
    fc.tuple(at, at).map(([a, b]) => ({ op: 'swap' as const, at: a, to: b })),
    fc.tuple(at, fc.string({ minLength: 1, maxLength: 3 })).map(([a, ch]) => ({ op: 'char' as const, at: a, ch })),
    fc.tuple(at, fc.integer({ min: 1, max: 40 })).map(([a, len]) => ({ op: 'cut' as const, at: a, len })),
    at.map((a) => ({ op: 'truncate' as const, at: a })),
    fc.tuple(at, asmLine(arch)).map(([a, line]) => ({ op: 'line' as const, at: a, line })),
    fc.tuple(at, fc.constantFrom(...TOKENS)).map(([a, token]) => ({ op: 'token' as const, at: a, token })),
  );
}

/** Applies mutations to a source (line-level ones modulo the line count, char-level modulo the length). */
export function mutate(text: string, muts: readonly Mutation[]): string {
  let t = text;
  for (const m of muts) {
    const lines = t.split('\n');
    const li = lines.length ? m.at % lines.length : 0;
    const ci = t.length ? m.at % t.length : 0;
    switch (m.op) {
      case 'delete':
        lines.splice(li, 1);
        t = lines.join('\n');
        break;
      case 'dup':
        lines.splice(li, 0, lines[li] ?? '');
        t = lines.join('\n');
        break;
      case 'swap': {
        const j = lines.length ? m.to % lines.length : 0;
        [lines[li], lines[j]] = [lines[j] ?? '', lines[li] ?? ''];
        t = lines.join('\n');
        break;
      }
      case 'char':
        t = t.slice(0, ci) + m.ch + t.slice(ci + 1);
        break;
      case 'cut':
        t = t.slice(0, ci) + t.slice(ci + m.len);
        break;
      case 'truncate':
        t = t.slice(0, ci);
        break;
      case 'line':
        lines.splice(li, 0, m.line);
        t = lines.join('\n');
        break;
      case 'token':
        t = t.slice(0, ci) + m.token + t.slice(ci);
        break;
    }
  }
  return t;
}
