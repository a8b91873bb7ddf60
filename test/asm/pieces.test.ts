// A source given in pieces (SourcePieces, as the CLI reads a file with
// InputPieces) must assemble to exactly what the whole string does, with the
// same diagnostics, wherever the pieces are cut: inside a line, a comment, a
// backslash continuation or a CRLF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assemble, type SourcePieces } from '../../src/asm/assemble.js';
import { writeElfObject } from '../../src/formats/elf/write-object.js';
import { DiagnosticError } from '../../src/diag.js';
import { InputPieces } from '../../src/host/files.js';

const target = { os: 'linux', arch: 'amd64' } as const;

/** The object's bytes, or the diagnostics' text. */
function result(src: string | SourcePieces): string {
  try {
    return Buffer.from(writeElfObject(assemble(src, { target, file: 'x.s' }))).toString('hex');
  } catch (e) {
    if (e instanceof DiagnosticError) return e.message;
    throw e;
  }
}

/** text in pieces of the given lengths, cycled. */
function pieces(text: string, lengths: number[]): SourcePieces {
  let at = 0;
  let k = 0;
  return {
    next: () => (at < text.length ? text.slice(at, (at += lengths[k++ % lengths.length]!)) : undefined),
    includes: (s) => text.includes(s),
  };
}

const body = `#include "textflag.h"
#define TWICE(r) ADDQ r, r; \\
	ADDQ r, r
TEXT ·f(SB), NOSPLIT, $0-8
	MOVQ x+0(FP), AX /* a comment
	that spans lines */ MOVQ $1, BX
	TWICE(AX)
	MOVQ AX, \\
		ret+8(FP)
loop:
	DECQ BX\r
	JNE loop
	RET
`;

test('a source in pieces assembles as the whole string, wherever it is cut', () => {
  const src = body.repeat(3).replace(/·f\(SB\)/g, (() => {
    let n = 0;
    return () => `·f${n++}(SB)`;
  })());
  const want = result(src);
  assert.ok(!want.includes(':'), want);
  for (const lengths of [[1], [2, 3], [7], [40, 1, 13], [src.length]]) assert.equal(result(pieces(src, lengths)), want, String(lengths));
});

test('diagnostics are the same in pieces, line numbers included', () => {
  const src = `${body}\tBOGUS AX\n\tMOVQ AX\nTEXT ·f(SB), $0\n\tRET\n/* unterminated`;
  const want = result(src);
  assert.match(want, /x\.s:\d+:\d+: /);
  for (const lengths of [[1], [5, 2], [64]]) assert.equal(result(pieces(src, lengths)), want, String(lengths));
});

test('InputPieces reads a file back exactly, a long line and no final newline included', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asmlink-pieces-'));
  try {
    const file = path.join(dir, 'a.s');
    const text = `\ufeff// ${'x'.repeat(3 * InputPieces.READ)}\n${'\tMOVQ ·a∕b(SB), AX\r\n'.repeat(5000)}TLSBSS at the end`;
    fs.writeFileSync(file, text);
    const input = new InputPieces(file);
    try {
      assert.equal(input.includes('TLSBSS'), true);
      assert.equal(input.includes('TLSBSSX'), false);
      let got = '';
      for (let p = input.next(); p !== undefined; p = input.next()) got += p;
      assert.equal(got, text);
    } finally {
      input.close();
    }
    assert.throws(() => new InputPieces(path.join(dir, 'missing.s')), /missing\.s: cannot read file \(no such file\)/);
    assert.throws(() => new InputPieces(dir), /cannot read file \(is a directory\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
