// The front end: preprocessor, parser, directives and diagnostics, through
// the public assemble() API on amd64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../../src/asm/assemble.js';
import { DiagnosticError, type Diagnostic } from '../../src/diag.js';
import type { ObjectFile } from '../../src/obj/symbol.js';

const target = { os: 'linux', arch: 'amd64' } as const;

function asm(src: string, files: Record<string, string> = {}, extra: { pkg?: string } = {}): ObjectFile {
  return assemble(src, { target, file: 'x.s', readFile: (p) => files[p], includeDirs: ['inc'], ...extra });
}

function errors(src: string, files: Record<string, string> = {}): Diagnostic[] {
  try {
    asm(src, files);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
  assert.fail('expected diagnostics');
}

function hex(obj: ObjectFile, name: string): string {
  const s = obj.symbols.find((x) => x.name === name);
  assert.ok(s, `symbol ${name}`);
  return Buffer.from(s.data).toString('hex');
}

test('TEXT, package qualification and bundled textflag.h', () => {
  const o = asm('#include "textflag.h"\nTEXT ·main(SB),NOSPLIT,$0-0\n\tRET\nTEXT runtime·x(SB),NOSPLIT|NOFRAME,$0\n\tRET\n');
  assert.deepEqual(o.symbols.map((s) => s.name), ['main.main', 'runtime.x']);
  assert.equal(o.symbols[0]!.flags.nosplit, true);
  assert.equal(o.symbols[1]!.flags.noframe, true);
  assert.equal(hex(o, 'main.main'), 'c3');
  const p = asm('TEXT ·f(SB),$0\n\tRET\n', {}, { pkg: 'mypkg' });
  assert.equal(p.symbols[0]!.name, 'mypkg.f');
  const slash = asm('TEXT a∕b·f(SB),$0\n\tRET\n');
  assert.equal(slash.symbols[0]!.name, 'a/b.f');
});

test('#define with and without arguments, #undef, #ifdef/#ifndef/#else, continuation', () => {
  const src = [
    '#define FOUR 4',
    '#define ADD(a, b) ADDQ a, b',
    '#define TWO \\',
    '  2',
    'TEXT f(SB),4,$0',
    '\tADD($FOUR, AX)',
    '\tADDQ $TWO, AX',
    '#ifdef FOUR',
    '\tINCQ AX',
    '#else',
    '\tDECQ AX',
    '#endif',
    '#undef FOUR',
    '#ifndef FOUR',
    '\tCLD',
    '#endif',
    '\tRET',
  ].join('\n');
  const o = asm(src);
  // addq $4,%rax; addq $2,%rax; incq %rax; cld; ret
  assert.equal(hex(o, 'f'), '4883c0044883c00248ffc0fcc3');
});

test('#include from the including directory and -I paths; diagnostics point into the included file', () => {
  const o = asm('#include "a.h"\nTEXT f(SB),$0\n\tMOVQ $VAL, AX\n\tRET\n', { 'inc/a.h': '#define VAL 7\n' });
  assert.equal(hex(o, 'f'), '48c7c007000000c3');
  const d = errors('#include "bad.h"\nTEXT f(SB),$0\n\tBAD\n', { 'bad.h': '\n\tTEXT g(SB),$0\n\tFROB AX\n' });
  assert.ok(d.some((x) => x.file === 'bad.h' && x.line === 3), JSON.stringify(d));
  assert.ok(d.some((x) => x.file === 'x.s' && x.line === 3));
});

test('constant expressions follow Go: precedence, &^, shifts, unary, characters', () => {
  const o = asm("TEXT f(SB),$0\n\tMOVQ $(1+2*3), AX\n\tMOVQ $(0xff &^ 0x0f), AX\n\tMOVQ $(1<<4|1), AX\n\tMOVQ $-(~0), AX\n\tMOVQ $'a', AX\n\tMOVQ $(7%4), AX\n\tRET\n");
  assert.equal(hex(o, 'f'), '48c7c007000000' + '48c7c0f0000000' + '48c7c011000000' + '48c7c001000000' + '48c7c061000000' + '48c7c003000000' + 'c3');
});

test('DATA and GLOBL: strings, integers, addresses, RODATA/NOPTR kinds, file-local symbols', () => {
  const o = asm('#include "textflag.h"\nDATA s<>+0(SB)/8, $"hello, w"\nDATA s<>+8(SB)/4, $"orld"\nGLOBL s<>(SB), RODATA, $12\nDATA n+0(SB)/4, $0x01020304\nDATA n+8(SB)/8, $s<>+2(SB)\nGLOBL n(SB), $16\nGLOBL z(SB), NOPTR, $32\n');
  const s = o.symbols.find((x) => x.name === 's<>')!;
  assert.equal(Buffer.from(s.data).toString(), 'hello, world');
  assert.equal(s.kind, 'rodata');
  assert.equal(s.flags.local, true);
  const n = o.symbols.find((x) => x.name === 'n')!;
  assert.equal(n.kind, 'data');
  assert.equal(Buffer.from(n.data).toString('hex').slice(0, 8), '04030201');
  assert.deepEqual(n.relocs.map((r) => [r.off, r.size, r.type, r.sym, r.add]), [[8, 8, 'R_ADDR', 's<>', 2]]);
  assert.equal(o.symbols.find((x) => x.name === 'z')!.kind, 'noptrbss');
});

test('dynamic-import directives are recorded, including the library-only form', () => {
  const o = asm('//go:cgo_import_dynamic libc_write write "libc.so.6"\n//go:cgo_import_dynamic _ _ "libm.so.6"\nTEXT f(SB),$0\n\tRET\n');
  assert.deepEqual(
    o.dynimports.map((d) => [d.local, d.remote, d.library, d.line]),
    [
      ['libc_write', 'write', 'libc.so.6', 1],
      ['_', '_', 'libm.so.6', 2],
    ],
  );
});

test('labels, branches and several statements on a line', () => {
  const o = asm('TEXT f(SB),$0\nloop: DECQ AX; JNE loop\n\tRET\n');
  assert.equal(hex(o, 'f'), '48ffc875fbc3');
});

test('FP and SP pseudo-registers versus the hardware SP', () => {
  const o = asm('TEXT f(SB),4,$16-16\n\tMOVQ a+0(FP), AX\n\tMOVQ x-8(SP), BX\n\tMOVQ 8(SP), CX\n\tRET\n');
  const f = o.symbols[0]!;
  // Frame 16 + saved BP: a+0(FP) is at 16+8+8 = 32(SP); x-8(SP) at 16-8 = 8(SP).
  assert.match(Buffer.from(f.data).toString('hex'), /488b442420488b5c2408488b4c2408/);
});

test('diagnostics: every error of a file, with file:line:col', () => {
  const d = errors('TEXT f(SB),$0\n\tFROB AX\n\tMOVQ $1\n\tJMP nowhere\n\tADDQ $0x1ffffffff, (AX)\n\tRET\n');
  const lines = d.map((x) => x.line);
  assert.ok(lines.includes(2), 'unknown instruction');
  assert.ok(lines.includes(3), 'bad operand combination');
  assert.ok(lines.includes(4), 'undefined label');
  assert.ok(lines.includes(5), 'immediate out of range');
  for (const x of d) assert.equal(x.file, 'x.s');
  assert.ok(d.find((x) => x.line === 2)!.col >= 2);
});

test('diagnostics come in source order, whichever pass found them', () => {
  // Line 3's operand is a parse error, found as the line is read; line 2's
  // unknown instruction and line 4's undefined label are found when the
  // block is encoded, after it ends. The second file is an #include.
  const d = errors('TEXT f(SB),$0\n\tFROB AX\n\tMOVQ (AX)(BX*3), AX\n\tJMP nowhere\n#include "inc/b.h"\n\tRET\nTEXT g(SB),$0\n\tMOVQ (AX)(BX*5), AX\n\tFROB\n\tRET\n', {
    'inc/b.h': '\tMOVQ (AX)(BX*7), AX\n\tFROB BX\n',
  });
  assert.deepEqual(
    d.map((x) => `${x.file}:${x.line}`),
    ['x.s:2', 'x.s:3', 'x.s:4', 'x.s:8', 'x.s:9', 'inc/b.h:1', 'inc/b.h:2'],
  );
});

test('diagnostics: hints for a missing textflag.h and for Intel register names', () => {
  const flag = errors('TEXT f(SB),NOSPLIT,$0\n\tRET\n');
  assert.equal(flag[0]!.message, `unexpected 'NOSPLIT' in constant expression (NOSPLIT is defined in textflag.h: #include "textflag.h")`);
  const regs = errors('TEXT f(SB),$0\n\tMOVQ $1, RAX\n\tMOVL $1, R9D\n\tMOVUPS XMM1, X0\n\tMOVL $2, ESP\n\tMOVQ foo, AX\n\tRET\n');
  assert.deepEqual(
    regs.map((x) => `${x.line}:${x.col}: ${x.message}`),
    [
      '2:11: RAX is not a register name in Go assembly: write AX',
      '3:11: R9D is not a register name in Go assembly: write R9',
      '4:9: XMM1 is not a register name in Go assembly: write X1',
      '5:11: ESP is not a register name in Go assembly: write SP',
      '6:7: foo is not a register, a constant ($foo) or a memory operand (foo(SB))',
    ],
  );
});

test('diagnostics: duplicate symbol names both places', () => {
  const d = errors('TEXT f(SB),$0\n\tRET\nTEXT f(SB),$0\n\tRET\n');
  assert.equal(d.length, 1);
  assert.match(d[0]!.message, /redefined/);
  assert.equal(d[0]!.line, 3);
  assert.match(d[0]!.notes![0]!, /x\.s:1/);
});

test('diagnostics: FP without a name, unterminated #ifdef, unterminated macro call, bad include', () => {
  assert.match(errors('TEXT f(SB),$0-8\n\tMOVQ 8(FP), AX\n\tRET\n')[0]!.message, /FP/);
  const unterminated = errors('#ifdef X\nTEXT f(SB),$0\n');
  assert.equal(unterminated[0]!.line, 1);
  assert.match(unterminated[0]!.message, /unterminated #ifdef/);
  assert.match(errors('#define M(a) a\nTEXT f(SB),$0\n\tM(NOP\n')[0]!.message, /unterminated call of macro M/);
  assert.match(errors('#include "missing.h"\n')[0]!.message, /not found/);
  assert.match(errors('#define A 1\n#define A 2\n')[0]!.message, /redefined/);
  assert.match(errors('#else\n')[0]!.message, /#else without #ifdef/);
});

test('diagnostics: lexical errors and instruction outside TEXT', () => {
  assert.match(errors('TEXT f(SB),$0\n\tMOVQ $"abc, AX\n')[0]!.message, /unterminated string/);
  assert.match(errors('\tRET\n')[0]!.message, /outside of a TEXT/);
  assert.match(errors('DATA q+0(SB)/8, $1\n')[0]!.message, /without a GLOBL/);
  assert.match(errors('DATA q+8(SB)/8, $1\nGLOBL q(SB), $8\n')[0]!.message, /outside its 8-byte GLOBL/);
});

test('the error limit stops a flood of errors', () => {
  const src = 'TEXT f(SB),$0\n' + '\tFROB\n'.repeat(100);
  const d = errors(src);
  assert.ok(d.length <= 21 && d.length >= 20, String(d.length));
  assert.match(d[d.length - 1]!.message, /too many errors/);
});

test('arm64 syntax the front end must keep: index shift as written, vector elements, ABI selectors, TLS declarations', () => {
  const src = '#include "textflag.h"\nGLOBL tlsv(SB), TLSBSS, $8\nTEXT ·f<ABIInternal>(SB),NOSPLIT,$0\n\tVMOV V1.D[0], R2\n\tMOVD (R1)(R2<<0), R3\n\tMOVD (R1)(R2), R3\n\tMOVD tlsv(SB), R4\n\tRET\n';
  const o = assemble(src, { target: { os: 'linux', arch: 'arm64' }, file: 'a.s' });
  const f = o.symbols.find((s) => s.name === 'main.f')!;
  // Bytes from go tool asm (go1.19, GOARCH=arm64).
  assert.equal(Buffer.from(f.data.subarray(0, 16)).toString('hex'), '223c084e237862f8236862f8040080d2');
  assert.deepEqual(f.relocs.map((r) => [r.type, r.sym]), [['R_TLS_LE', 'tlsv']]);
});

test('arm64: a TLS declaration in an #include counts for the functions after it', () => {
  const files: Record<string, string> = { 'tls.h': '#include "textflag.h"\nGLOBL runtime·tlsg(SB), TLSBSS|DUPOK, $8\n' };
  const src = '#include "tls.h"\nTEXT ·f(SB),NOSPLIT,$0\n\tMOVD runtime·tlsg(SB), R27\n\tRET\n';
  const o = assemble(src, { target: { os: 'linux', arch: 'arm64' }, file: 'a.s', readFile: (p) => files[p.split('/').pop()!] });
  const f = o.symbols.find((s) => s.name === 'main.f')!;
  // MOVZ R27, #0 (go tool asm, go1.19) with the offset left to the linker.
  assert.equal(Buffer.from(f.data.subarray(0, 4)).toString('hex'), '1b0080d2');
  assert.deepEqual(f.relocs.map((r) => [r.type, r.sym]), [['R_TLS_LE', 'runtime.tlsg']]);
});

test('multi-line #define keeps statement boundaries; absolute and base-less indexed addresses', () => {
  const src = '#define PUSHX() \\\n\tPUSHFQ \\\n\tCLD \\\n\tADJSP $8\nTEXT f(SB),4,$0\n\tPUSHX()\n\tMOVL $0xf1, 0xf1\n\tMOVQ -1(AX*2), BX\n\tADJSP $-8\n\tPOPFQ\n\tRET\n';
  // Bytes from go tool asm (go1.19, GOARCH=amd64).
  assert.equal(hex(asm(src), 'f'), '9cfc4883ec08c70425f1000000f1000000488b1c45ffffffff4883c4089dc3');
});

// C-preprocessor rules that Go's own assembly relies on (crypto/sha1,
// crypto/sha256, runtime/libfuzzer_amd64.s, math/big/arith_arm64.s). Expected
// bytes from `go tool asm -S` on the same source.
test('macros: an alias of a function-like macro, arguments expanded first, \\ before a comment', () => {
  const src = `#include "textflag.h"
#define FUNC2(a, b) MOVQ a, b
#define FUNC4 FUNC2
#define R2(a) a \\
  a
#define R8(a) R2(R2(R2(a)))
#define TWO(x, y) \\
	MOVQ	x, y; \\ // a comment after the backslash
	ADDQ	$1, y   \\
	// and a comment line inside the body
TEXT ·f(SB),NOSPLIT,$0
	FUNC4(AX, BX)
	R8(INCQ CX)
	TWO(DX, SI)
	RET
`;
  assert.equal(hex(asm(src), 'main.f'), '4889c3' + '48ffc1'.repeat(8) + '4889d6' + '4883c601' + 'c3');
});
