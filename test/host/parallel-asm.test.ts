// A large file assembled in parts on several threads (host/parallel-asm.ts,
// asm/parts.ts) must make exactly the object its assembly as one makes —
// whatever the slices, however many threads, whichever thread steals which
// slice — and must give up (so that the assembly as one reports what is
// wrong) whenever the parts could differ from the whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assemble } from '../../src/asm/assemble.js';
import { preprocess } from '../../src/asm/preprocess.js';
import { DiagnosticSink } from '../../src/diag.js';
import { blocksCutting, prefixEnd, textLineAfter } from '../../src/asm/parts.js';
import { writeElfObject } from '../../src/formats/elf/write-object.js';
import { writeMachOObject } from '../../src/formats/macho/object.js';
import { assembleInParts, type PartOptions } from '../../src/host/parallel-asm.js';
import type { PartLimits } from '../../src/host/workers.js';
import { readTextFile } from '../../src/host/files.js';
import { runtimeIncludeDir } from '../../src/host/runtime-files.js';
import { genAsmFiles } from '../../bench/gen/asmfile.js';
import type { Target } from '../../src/target.js';
import type { ObjectFile } from '../../src/obj/symbol.js';
import { asmlink, tempDir, writeTemp } from '../helpers.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

test('the prefix ends at the first line that is not blank, a // comment or a # directive', () => {
  assert.equal(prefixEnd(bytes('// c\n#include "textflag.h"\n\n\t#define X 1\nTEXT ·f(SB), $0\n')), 41);
  // A backslash continues a directive (or a comment) onto the next line, which is then prefix too.
  assert.equal(prefixEnd(bytes('#define A \\\n  MOVQ AX, BX\nTEXT x\n')), 26);
  assert.equal(prefixEnd(bytes('GLOBL x(SB), $8\n')), 0);
  assert.equal(prefixEnd(bytes('\r\n// c\r\nDATA x+0(SB)/8, $1\r\n')), 8);
  // No statement line seen whole, or a block comment first: no prefix to copy.
  assert.equal(prefixEnd(bytes('// c\nTEXT ·f(SB), $0')), -1);
  assert.equal(prefixEnd(bytes('/* licence */\nTEXT ·f(SB), $0\n')), -1);
  assert.equal(prefixEnd(bytes('#define A /* x */ 1\nTEXT ·f(SB), $0\n')), -1);
});

test('slices start at a TEXT line in the first column that does not continue the line before', () => {
  const w = bytes('RET\nTEXTX\n\tTEXT ·a(SB), $0\nMOVQ AX, \\\nTEXT ·b(SB), $0\nRET\nTEXT\t·c(SB), $0\nRET\n');
  const c = w.indexOf(bytes('TEXT\t·c'));
  assert.equal(textLineAfter(w, 0), c);
  assert.equal(textLineAfter(w, c), -1);
  // The line before must be seen: a TEXT at the window's first byte is not taken.
  assert.equal(textLineAfter(bytes('TEXT ·a(SB), $0\nRET\n'), 0), -1);
  assert.equal(textLineAfter(bytes('x\r\nTEXT ·a(SB), $0\n'), 0), 3);
  assert.equal(textLineAfter(bytes('\r\nTEXT ·a(SB), $0\n'), 0), -1);
  assert.equal(textLineAfter(bytes('x\\\r\nTEXT ·a(SB), $0\n'), 0), -1);
});

test('a # directive or a /* after the prefix stops the file from being cut; a # elsewhere on a line does not', () => {
  assert.equal(blocksCutting(bytes('MOVQ AX, BX // a / b, see #3\n\tMOVD $#3, R0\n')), false);
  assert.equal(blocksCutting(bytes('MOVQ AX, BX\n#define X 1\n')), true);
  assert.equal(blocksCutting(bytes('#undef X\nRET\n')), true);
  assert.equal(blocksCutting(bytes('RET\n \t\r#ifdef X\n')), true);
  // The preprocessor trims Unicode blanks before a directive too.
  assert.equal(blocksCutting(bytes('RET\n\xa0#endif\n')), true);
  assert.equal(blocksCutting(bytes('MOVQ AX, BX /* c */\n')), true);
  assert.equal(blocksCutting(bytes('DATA x+0(SB)/8, $"a//b/*"\n')), true);
});

const amd64: Target = { os: 'linux', arch: 'amd64' };

/** A file whose functions, data, float constants and imports spread over many slices. */
function mixedSource(funcs: number): string {
  const out = ['// generated for the test', '#include "textflag.h"', '#include "imports.h"', '#define SUM(a, b) ADDQ a, b', '//go:cgo_import_dynamic libc_write write "libc.so.6"', ''];
  for (let i = 0; i < funcs; i++) {
    out.push(`TEXT ·f${i}(SB), NOSPLIT, $16-8`);
    // A '#' that is no directive does not stop the cutting.
    out.push(`\tSUM(AX, BX) // step #${i}`);
    // Float constants: $1.5 in every function (made once, in the first part), others now and then.
    out.push('\tMOVSD $1.5, X0');
    if (i % 7 === 3) out.push(`\tMOVSD $${i}.25, X1`);
    out.push(`\tCALL ·f${(i * 7 + 3) % funcs}(SB)`);
    out.push(`\tLEAQ ·d${i}(SB), CX`);
    out.push('loop:', '\tDECQ CX', '\tJNE loop');
    out.push(`\tMOVQ AX, ret+0(FP)`, '\tRET');
    // Data beside its function, and DATA before its GLOBL (as Go allows).
    out.push(`DATA ·d${i}+0(SB)/8, $·f${i}(SB)`, `DATA ·d${i}+8(SB)/8, $${i}`, `GLOBL ·d${i}(SB), RODATA, $16`);
    if (i % 50 === 10) out.push(`//go:cgo_import_dynamic libc_f${i} f${i} "libc.so.6"`);
    out.push('');
  }
  return out.join('\n');
}

function optionsFor(file: string, target = amd64): PartOptions {
  return { target, file, includeDirs: [runtimeIncludeDir()], defines: {} };
}

type Writer = (o: ObjectFile) => Uint8Array;

/** An object written, with its symbols' and relocations' lines and its imports, to compare. */
function written(obj: ObjectFile, write: Writer): { bytes: Buffer; lines: string } {
  const lines = JSON.stringify([obj.symbols.map((s) => [s.name, s.line, s.relocs.map((r) => r.line)]), obj.dynimports]);
  return { bytes: Buffer.from(write(obj)), lines };
}

/** The file assembled as one. */
function whole(opts: PartOptions, write: Writer): { bytes: Buffer; lines: string } {
  return written(assemble(fs.readFileSync(opts.file, 'utf8'), { ...opts, readFile: readTextFile }), write);
}

async function inParts(opts: PartOptions, limits: PartLimits, write: Writer): Promise<{ bytes: Buffer; lines: string } | null> {
  const obj = await assembleInParts(opts, { limits });
  return obj && written(obj, write);
}

test('preprocessing counts the newlines of the main file, whatever its last line', () => {
  for (const text of ['', 'A', 'A\n', 'A\nB', '\n\n', 'A\r\nB\r\n', '#define X \\\n  1\nX\n', '// c\n/* a\nb */\n']) {
    const r = preprocess(text, 'x.s', {}, new DiagnosticSink(), () => {});
    assert.equal(r.newlines, text.split('\n').length - 1, JSON.stringify(text));
  }
});

test('a file assembled in parts makes the bytes of its assembly as one (2 to 4 threads, slices of many sizes)', async () => {
  const dir = tempDir();
  // Every part reads the prefix's #include: its imports are the object's once.
  writeTemp(dir, 'imports.h', '// imports\n\n\n\n\n\n\n\n//go:cgo_import_dynamic libc_exit exit "libc.so.6"\n');
  const file = writeTemp(dir, 'mixed.s', mixedSource(400));
  const opts = optionsFor(file);
  const want = whole(opts, writeElfObject);
  for (const [threads, sliceBytes] of [
    [2, 300],
    [3, 2000],
    [2, 20000],
    [4, 1],
  ] as const) {
    const got = await inParts(opts, { threads, minThreadBytes: 1, sliceBytes }, writeElfObject);
    assert.ok(got, `${threads} threads, slices of ${sliceBytes} bytes: not assembled in parts`);
    assert.equal(got.lines, want.lines, `${threads} threads, ${sliceBytes}`);
    assert.ok(got.bytes.equals(want.bytes), `${threads} threads, ${sliceBytes}: the object differs`);
  }
  // A Mach-O object from the same columns.
  const darwin = optionsFor(file, { os: 'darwin', arch: 'amd64' });
  const got = await inParts(darwin, { threads: 2, minThreadBytes: 1, sliceBytes: 5000 }, writeMachOObject);
  assert.ok(got?.bytes.equals(whole(darwin, writeMachOObject).bytes));
  fs.rmSync(dir, { recursive: true });
});

test('the bench generator\'s files assemble in parts to the same bytes on 386 and arm64', async () => {
  const dir = tempDir();
  for (const arch of ['386', 'arm64'] as const) {
    const file = writeTemp(dir, `${arch}.s`, genAsmFiles({ arch, funcs: 300 }).go);
    const opts = optionsFor(file, { os: 'linux', arch });
    const got = await inParts(opts, { threads: 2, minThreadBytes: 1, sliceBytes: 4000 }, writeElfObject);
    assert.ok(got, arch);
    assert.ok(got.bytes.equals(whole(opts, writeElfObject).bytes), arch);
  }
  fs.rmSync(dir, { recursive: true });
});

test('a file whose parts could differ from the whole is not assembled in parts', async () => {
  const dir = tempDir();
  writeTemp(dir, 'imports.h', '');
  const base = mixedSource(40);
  const cases: [string, string, Target?][] = [
    ['a directive after the prefix', base.replace('TEXT ·f30(SB)', '#define LATE 1\nTEXT ·f30(SB)')],
    ['an indented directive', base.replace('TEXT ·f30(SB)', '\t #undef SUM\nTEXT ·f30(SB)')],
    ['a block comment', base.replace('TEXT ·f30(SB)', '/* a comment */\nTEXT ·f30(SB)')],
    ['a name defined in two parts', base.replace('TEXT ·f30(SB)', 'TEXT ·f2(SB)')],
    ['a data symbol defined in one part and a function of that name in another', base.replace('TEXT ·f30(SB)', 'TEXT ·d2(SB)')],
    ['DATA in one part for a GLOBL in another', base.replace('DATA ·d30+8(SB)', 'DATA ·d2+8(SB)')],
    ['an error in a later part', base.replace('TEXT ·f30(SB), NOSPLIT, $16-8\n', 'TEXT ·f30(SB), NOSPLIT, $16-8\n\tBOGUS AX\n')],
    ['an error in the first part', base.replace('TEXT ·f1(SB), NOSPLIT, $16-8\n', 'TEXT ·f1(SB), NOSPLIT, $16-8\n\tBOGUS AX\n')],
    ['an arm64 thread-local symbol', `#include "textflag.h"\n${[0, 1, 2, 3].map((i) => `TEXT ·a${i}(SB), NOSPLIT, $0\n\tMOVD ·t(SB), R0\n\tRET\n`).join('')}GLOBL ·t(SB), TLSBSS, $8\n`, { os: 'linux', arch: 'arm64' }],
  ];
  const limits = { threads: 2, minThreadBytes: 1, sliceBytes: 100 };
  for (const [what, text, target] of cases) {
    const file = writeTemp(dir, 'case.s', text);
    assert.equal(await assembleInParts(optionsFor(file, target), { limits }), null, what);
  }
  // The same files without what stops them are assembled in parts.
  const controls: [string, Target?][] = [[base], [cases[cases.length - 1][1].replace('TLSBSS', 'NOPTR'), { os: 'linux', arch: 'arm64' }]];
  for (const [text, target] of controls) assert.ok(await assembleInParts(optionsFor(writeTemp(dir, 'control.s', text), target), { limits }));
  fs.rmSync(dir, { recursive: true });
});

test('asmlink asm of a large file: the same object on 1 and 2 threads, and the errors of the assembly as one', () => {
  const dir = tempDir();
  // ~4.4 MB: cut in two when two threads are asked for (by default only a file of 16 MiB or more is).
  const file = writeTemp(dir, 'big.s', genAsmFiles({ arch: 'amd64', funcs: 8000 }).go);
  assert.ok(fs.statSync(file).size >= 4 << 20);
  const objects: Buffer[] = [];
  for (const threads of ['1', '2']) {
    const out = path.join(dir, `big${threads}.o`);
    const r = asmlink(['asm', '--os', 'linux', '--arch', 'amd64', file, '-o', out], { env: { ASMLINK_ASM_THREADS: threads, ASMLINK_TRACE: 'phases' } });
    assert.equal(r.status, 0, r.stderr);
    // The trace says how the file was shared out: not at all on one thread.
    if (threads === '1') assert.doesNotMatch(r.stderr, /planned/);
    else assert.match(r.stderr, /planned 2 threads, \d+ slices/);
    objects.push(fs.readFileSync(out));
  }
  assert.ok(objects[0].equals(objects[1]), 'the two objects differ');
  // A function defined twice, far apart: reported as by the assembly as one.
  const text = fs.readFileSync(file, 'utf8').replace('TEXT ·f7000(SB)', 'TEXT ·f10(SB)');
  fs.writeFileSync(file, text);
  const r = asmlink(['asm', '--os', 'linux', '--arch', 'amd64', file, '-o', path.join(dir, 'bad.o')], { env: { ASMLINK_ASM_THREADS: '2', ASMLINK_TRACE: 'phases' } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /one thread after all: the parts do not join into the whole file/);
  const line = text.slice(0, text.indexOf('TEXT ·f10(SB)', text.indexOf('TEXT ·f10(SB)') + 1)).split('\n').length;
  assert.match(r.stderr, new RegExp(`big\\.s:${line}:\\d+: symbol main\\.f10 redefined`));
  assert.equal(fs.existsSync(path.join(dir, 'bad.o')), false);
  fs.rmSync(dir, { recursive: true });
});
