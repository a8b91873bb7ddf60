// The Mach-O reader takes asmlink's own objects straight into the linker's
// columns (read-columns.ts) and makes Symbol objects only when asked. These
// tests hold the columns to the Symbol objects of the same file, definition
// by definition and relocation by relocation, for the runtime, the examples
// and objects with every kind of relocation on each arch; and check that an
// object the columns reader does not take is still read (by the other reader).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { assembleAll, type SourceInput } from '../../../src/build.js';
import { writeMachOObject } from '../../../src/formats/macho/object.js';
import { readMachOObject } from '../../../src/formats/macho/read-object.js';
import { objectLayout } from '../../../src/formats/macho/object-layout.js';
import { readMachOIndex } from '../../../src/formats/macho/read-index.js';
import { readTextFile } from '../../../src/host/files.js';
import { runtimeIncludeDir, runtimeSources } from '../../../src/host/runtime-files.js';
import { columnsOf } from '../../../src/obj/columns.js';
import type { ObjectFile } from '../../../src/obj/symbol.js';
import type { ArchName } from '../../../src/target.js';
import { repoRoot } from '../../helpers.js';
import { columnsAgainstSymbols } from './columns-diff.js';

const ARCHES: ArchName[] = ['amd64', 'arm64', '386'];

/**
 * Reads `bytes` into columns, then asks the same object for its Symbol
 * objects, and expects them to agree: once from the link index (which the
 * object must have) and once from its tables.
 */
function agree(bytes: Uint8Array, name: string): void {
  assert.ok(readMachOIndex(bytes, name, objectLayout(bytes), () => []), `${name}: read from its link index`);
  for (const index of [true, false]) {
    const what = `${name} (${index ? 'index' : 'tables'})`;
    const obj = readMachOObject(bytes, name, { index });
    const cols = columnsOf(obj);
    assert.ok(cols, `${what}: read into columns`);
    const syms = obj.symbols;
    assert.equal(columnsOf(obj), null, `${what}: the columns are dropped once the symbols are made`);
    assert.deepEqual(columnsAgainstSymbols(cols, syms), [], what);
  }
}

function assembled(sources: SourceInput[], arch: ArchName, pkg?: string): ObjectFile[] {
  return assembleAll(sources, { target: { os: 'darwin', arch }, pkg, includeDirs: [runtimeIncludeDir()], readFile: readTextFile });
}

test('Mach-O columns agree with the Symbol objects for the runtime and the examples on every arch', () => {
  let n = 0;
  for (const arch of ARCHES) {
    const examples: SourceInput[] = ['hello.s', 'threads.s'].map((f) => {
      const file = path.join(repoRoot, 'examples', f);
      return { file, text: readFileSync(file, 'utf8') };
    });
    for (const o of [...assembled(runtimeSources({ os: 'darwin', arch }, 'libc'), arch, 'runtime'), ...assembled(examples, arch)]) {
      agree(writeMachOObject(o), `${arch}:${path.basename(o.name)}`);
      n++;
    }
  }
  assert.ok(n >= 15, `${n} objects compared`);
});

const EDGE: Record<ArchName, string> = {
  amd64: `#include "textflag.h"
//go:cgo_import_dynamic libc_write write "/usr/lib/libSystem.B.dylib"
TEXT ·empty(SB),NOSPLIT,$0
TEXT ·f(SB),NOSPLIT,$0
	CALL ·empty(SB)
	CALL libc_write(SB)
	MOVQ $local<>(SB), AX
	MOVQ ·g(SB), BX
	LEAQ ·g+8(SB), CX
	LEAQ libc_write(SB), DX
	RET
TEXT local2<>(SB),NOSPLIT,$0
	RET
TEXT ·tail(SB),NOSPLIT,$0
	JMP ·f(SB)
DATA local<>+0(SB)/8, $·f(SB)
DATA local<>+8(SB)/8, $7
GLOBL local<>(SB), RODATA, $16
DATA ·g+0(SB)/8, $local<>+8(SB)
GLOBL ·g(SB), NOPTR, $16
GLOBL ·zero(SB), NOPTR, $64
`,
  arm64: `#include "textflag.h"
//go:cgo_import_dynamic libc_write write "/usr/lib/libSystem.B.dylib"
TEXT ·empty(SB),NOSPLIT,$0
TEXT ·f(SB),NOSPLIT,$0
	BL ·empty(SB)
	BL libc_write(SB)
	MOVD $local<>(SB), R0
	MOVD ·g(SB), R1
	MOVD $·g+8(SB), R2
	MOVD $libc_write(SB), R3
	RET
TEXT ·tail(SB),NOSPLIT,$0
	JMP ·f(SB)
DATA local<>+0(SB)/8, $·f(SB)
DATA local<>+8(SB)/8, $7
GLOBL local<>(SB), RODATA, $16
DATA ·g+0(SB)/8, $local<>+8(SB)
GLOBL ·g(SB), NOPTR, $16
GLOBL ·zero(SB), NOPTR, $64
`,
  '386': `#include "textflag.h"
TEXT ·empty(SB),NOSPLIT,$0
TEXT ·f(SB),NOSPLIT,$0
	CALL ·empty(SB)
	MOVL $local<>(SB), AX
	MOVL ·g(SB), BX
	LEAL ·g+4(SB), CX
	RET
TEXT ·tail(SB),NOSPLIT,$0
	JMP ·f(SB)
DATA local<>+0(SB)/4, $·f(SB)
DATA local<>+4(SB)/4, $7
GLOBL local<>(SB), RODATA, $8
DATA ·g+0(SB)/4, $local<>+4(SB)
GLOBL ·g(SB), NOPTR, $8
GLOBL ·zero(SB), NOPTR, $64
`,
};

for (const arch of ARCHES) {
  test(`Mach-O columns agree on symbols without a size, file-local names, data, imports and relocations of every kind (${arch})`, () => {
    const [o] = assembled([{ file: 'edge.s', text: EDGE[arch] }], arch);
    agree(writeMachOObject(o!), `edge-${arch}.o`);
  });
}

test('an object without the symbol note is read by the Symbol reader, as another assembler would write it', () => {
  const [o] = assembled([{ file: 'edge.s', text: EDGE.amd64 }], 'amd64');
  const bytes = writeMachOObject(o!, { linkIndex: false });
  assert.equal(Buffer.from(bytes).indexOf('__asmlink_link'), -1);
  // Rename the note's section so that it is not recognised (same length: nothing moves).
  const at = Buffer.from(bytes).indexOf('__asmlink_syms');
  assert.ok(at > 0);
  bytes.set(Buffer.from('__asmlink_symz'), at);
  const obj = readMachOObject(bytes, 'foreign.o');
  assert.equal(columnsOf(obj), null);
  const names = obj.symbols.filter((s) => s.kind !== 'undef' && s.kind !== 'dynimport').map((s) => s.name);
  assert.deepEqual([...names].sort(), ['empty', 'f', 'g', 'local2<>', 'local<>', 'tail', 'zero'].map((n) => (n.includes('<>') ? n : `main.${n}`)).sort());
});

test('an object whose sections reach 2 GiB is read by the Symbol reader (the columns hold 32-bit offsets)', () => {
  const text = 'TEXT f(SB),4,$0\n\tRET\nGLOBL big(SB), $0x7ffffff0\nGLOBL big2(SB), $0x100\n';
  for (const arch of ['amd64', 'arm64'] as const) {
    const [o] = assembled([{ file: 'big.s', text }], arch);
    const obj = readMachOObject(writeMachOObject(o!), `big-${arch}.o`);
    assert.equal(columnsOf(obj), null, arch);
    const sizes = Object.fromEntries(obj.symbols.filter((s) => s.kind === 'bss' || s.kind === 'noptrbss').map((s) => [s.name, s.size]));
    assert.deepEqual(sizes, { big: 0x7ffffff0, big2: 0x100 }, arch);
  }
  // Just under: the columns reader takes it.
  const [small] = assembled([{ file: 'small.s', text: 'TEXT f(SB),4,$0\n\tRET\nGLOBL big(SB), $0x7fff0000\n' }], 'amd64');
  agree(writeMachOObject(small!), 'small.o');
});

test('x86 relocations in another order than asmlink writes them (reversed in the file) give the same columns', () => {
  // (arm64's must keep each page relocation before its page offset one: its order is not free.)
  for (const arch of ['amd64', '386'] as const) {
    const [o] = assembled([{ file: 'edge.s', text: EDGE[arch] }], arch);
    const bytes = writeMachOObject(o!);
    // Reverse each section's relocation entries (8 bytes each) in place.
    let reversed = 0;
    for (const { reloff, nreloc } of objectLayout(bytes).sects) {
      const entries: Uint8Array[] = [];
      for (let i = 0; i < nreloc; i++) entries.push(bytes.slice(reloff + 8 * i, reloff + 8 * i + 8));
      entries.reverse().forEach((e, i) => bytes.set(e, reloff + 8 * i));
      if (nreloc > 1) reversed++;
    }
    assert.ok(reversed > 0, `${arch}: some section has relocations to reverse`);
    agree(bytes, `edge-reversed-${arch}.o`);
  }
});

test('an object whose link index is not tied to its tables (another tool rewrote them), or says something out of place, is read from its tables', () => {
  for (const arch of ARCHES) {
    const [o] = assembled([{ file: 'edge.s', text: EDGE[arch] }], arch);
    const bytes = writeMachOObject(o!);
    const sect = objectLayout(bytes).sects.find((x) => x.sectname === '__asmlink_link')!;
    assert.ok(sect && sect.size > 32, arch);
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    // The header: version, n, m, r, then the tie (symbols, string table size, sections).
    const tie = bytes.slice(sect.offset + 16, sect.offset + 28);
    for (const [what, word, value] of [['the tie', 5, dv.getUint32(sect.offset + 20, true) + 8], ['a version', 0, 99]] as const) {
      const damaged = bytes.slice();
      new DataView(damaged.buffer).setUint32(sect.offset + 4 * word, value, true);
      assert.equal(readMachOIndex(damaged, 'x.o', objectLayout(damaged), () => []), null, `${arch}: ${what}`);
      agreeWithTables(damaged, `${arch}-${what}.o`);
    }
    // A relocation target past the symbol table (the index's first relocation).
    const m = dv.getUint32(sect.offset + 8, true);
    const n = dv.getUint32(sect.offset + 4, true);
    const r = dv.getUint32(sect.offset + 12, true);
    assert.ok(r > 0, arch);
    const good = columnsOf(readMachOIndex(bytes, 'x.o', objectLayout(bytes), () => [])!)!;
    assert.equal(dv.getInt32(rsymAt(sect.offset, n, m, r), true), good.relocs.sym[0], `${arch}: the first relocation's target`);
    const damaged = bytes.slice();
    new DataView(damaged.buffer).setInt32(rsymAt(sect.offset, n, m, r), m, true);
    assert.equal(readMachOIndex(damaged, 'x.o', objectLayout(damaged), () => []), null, `${arch}: bad target`);
    agreeWithTables(damaged, `${arch}-target.o`);
    assert.deepEqual(bytes.slice(sect.offset + 16, sect.offset + 28), tie);
  }
});

/** Where the index's rsym array starts (obj/link-index.ts: each array 8-aligned, in its order). */
function rsymAt(base: number, n: number, m: number, r: number): number {
  const sizes: [number, number][] = [[8, n], [8, r], [4, n], [4, n], [4, n], [4, n], [4, n], [4, n], [4, n], [4, n], [4, n], [4, m], [4, r]];
  let off = 32;
  for (const [bytes, count] of sizes) off = ((off + 7) & ~7) + bytes * count;
  return base + ((off + 7) & ~7);
}

/** The object is read into columns from its tables, and they agree with its Symbol objects. */
function agreeWithTables(bytes: Uint8Array, name: string): void {
  const obj = readMachOObject(bytes, name);
  const cols = columnsOf(obj);
  assert.ok(cols, `${name}: read into columns`);
  assert.deepEqual(columnsAgainstSymbols(cols, obj.symbols), [], name);
}

test('an i386 object the index would push past 4 GiB (its __bss follows the index) is written without one, and reads', () => {
  const text = 'TEXT f(SB),4,$0\n\tRET\nGLOBL big(SB), 16, $0x7fffff80\nGLOBL big2(SB), 16, $0x7fffff80\n';
  const [o] = assembled([{ file: 'big.s', text }], '386');
  const bytes = writeMachOObject(o!);
  const sects = objectLayout(bytes).sects;
  assert.equal(sects.find((s) => s.sectname === '__asmlink_link')!.size, 0);
  const bss = sects.find((s) => s.sectname === '__bss')!;
  assert.equal(bss.addr + bss.size <= 2 ** 32, true);
  const obj = readMachOObject(bytes, 'big.o');
  assert.deepEqual(obj.symbols.map((s) => [s.name, s.size]), [['f', 1], ['big', 0x7fffff80], ['big2', 0x7fffff80]]);
  // Just under the limit, the index is there.
  const [small] = assembled([{ file: 'small.s', text: text.replaceAll('0x7fffff80', '0x7ffffe00') }], '386');
  assert.ok(objectLayout(writeMachOObject(small!)).sects.find((s) => s.sectname === '__asmlink_link')!.size > 0);
});
