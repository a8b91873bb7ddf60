// .asmlink.link repeats what the reader would decode from an object's ELF
// tables; linking takes it as it is. These tests hold the two ways to the
// same columns, and check that an index the reader cannot trust is either
// set aside (a rewritten object) or a diagnostic (a corrupted one).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { assembleAll, type SourceInput } from '../../../src/build.js';
import { DiagnosticError } from '../../../src/diag.js';
import { readElfObject, readElfObjectAt, readElfObjectTables } from '../../../src/formats/elf/read-object.js';
import { writeElfObject } from '../../../src/formats/elf/write-object.js';
import { LINK_INDEX_SECTION, SYMINFO_SECTION } from '../../../src/formats/elf/consts.js';
import { readTextFile } from '../../../src/host/files.js';
import { runtimeIncludeDir, runtimeSources } from '../../../src/host/runtime-files.js';
import { columnsOf, type SymbolColumns } from '../../../src/obj/columns.js';
import type { ArchName } from '../../../src/target.js';
import { repoRoot, run, tempDir, which } from '../../helpers.js';

const ARCHES: ArchName[] = ['amd64', '386', 'arm64'];

const contents = (c: SymbolColumns, k: number) => c.bytes.subarray(c.dataOff[k], c.dataOff[k] + c.dataLen[k]);

/** Every difference between two objects' linker columns, as text. */
function differences(x: SymbolColumns, y: SymbolColumns): string[] {
  const out: string[] = [];
  if (x.count !== y.count) out.push(`count ${x.count} vs ${y.count}`);
  if (x.nameCount !== y.nameCount) out.push(`nameCount ${x.nameCount} vs ${y.nameCount}`);
  const cols = ['nameId', 'kind', 'size', 'align', 'file', 'line', 'dataLen', 'relocCount'] as const;
  for (let k = 0; k < Math.min(x.count, y.count); k++) {
    for (const c of cols) if (x[c][k] !== y[c][k]) out.push(`${c}[${k}] ${x[c][k]} vs ${y[c][k]}`);
    // The contents, not where they lie: a tool that rewrites the file may move sections.
    if (Buffer.compare(contents(x, k), contents(y, k)) !== 0) out.push(`contents of symbol ${k}`);
    assert.deepEqual(x.flags[k], y.flags[k], `flags of symbol ${k}`);
    for (let q = 0; q < x.relocCount[k]; q++) {
      const i = x.relocStart[k] + q;
      const j = y.relocStart[k] + q;
      for (const c of ['off', 'size', 'type', 'add', 'line'] as const) if (x.relocs[c][i] !== y.relocs[c][j]) out.push(`relocation ${k}.${q} ${c}`);
      if (x.name(x.relocs.sym[i]) !== y.name(y.relocs.sym[j])) out.push(`relocation ${k}.${q} target`);
    }
  }
  for (let id = 0; id < Math.min(x.nameCount, y.nameCount); id++) if (x.name(id) !== y.name(id)) out.push(`name ${id}`);
  return out;
}

/** Reads `bytes` both ways and expects the index to be used and to agree with the tables. */
function agree(bytes: Uint8Array, name: string): void {
  const viaIndex = columnsOf(readElfObject(bytes, name));
  const viaTables = columnsOf(readElfObjectTables(bytes, name));
  assert.ok(viaIndex && viaTables, `${name}: columns`);
  // Only the table decoder records respelled names; the index path has none to record.
  assert.equal(viaIndex.respelled, null, `${name}: read through its index`);
  assert.deepEqual(differences(viaIndex, viaTables), [], name);
}

test('the link index agrees with the ELF tables for the runtime and the examples on every arch', () => {
  let n = 0;
  for (const arch of ARCHES) {
    const target = { os: 'linux' as const, arch };
    const examples: SourceInput[] = ['hello.s', 'threads.s'].map((f) => {
      const file = path.join(repoRoot, 'examples', f);
      return { file, text: readFileSync(file, 'utf8') };
    });
    for (const [sources, pkg] of [[runtimeSources(target, 'libc'), 'runtime'], [examples, undefined]] as const) {
      for (const o of assembleAll(sources, { target, pkg, includeDirs: [runtimeIncludeDir()], readFile: readTextFile })) {
        agree(writeElfObject(o), `${arch}:${path.basename(o.name)}`);
        n++;
      }
    }
  }
  assert.ok(n >= 20, `${n} objects compared`);
});

test('symbols without a size, file-local names, data and relocations of every kind agree', () => {
  const src = `#include "textflag.h"
TEXT ·empty(SB),NOSPLIT,$0
TEXT ·f(SB),NOSPLIT,$0
	CALL ·empty(SB)
	MOVQ $local<>(SB), AX
	MOVQ ·g(SB), BX
	LEAQ ·g+8(SB), CX
	RET
TEXT local2<>(SB),NOSPLIT,$0
TEXT ·tail(SB),NOSPLIT,$0
	JMP ·f(SB)
DATA local<>+0(SB)/8, $·f(SB)
DATA local<>+8(SB)/8, $7
GLOBL local<>(SB), RODATA, $16
DATA ·g+0(SB)/8, $local<>+8(SB)
GLOBL ·g(SB), NOPTR, $16
GLOBL ·zero(SB), NOPTR, $64
`;
  const [o] = assembleAll([{ file: 'edge.s', text: src }], { target: { os: 'linux', arch: 'amd64' }, includeDirs: [runtimeIncludeDir()], readFile: readTextFile });
  const bytes = writeElfObject(o!);
  agree(bytes, 'edge.o');
});

/** The file offset of a section, found by name. */
/** A section's file offset and size, by name (ELF64 little-endian). */
function section(b: Uint8Array, name: string): { offset: number; size: number } {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shoff = Number(dv.getBigUint64(40, true));
  const shnum = dv.getUint16(60, true);
  const strOff = Number(dv.getBigUint64(shoff + dv.getUint16(62, true) * 64 + 24, true));
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * 64;
    const at = strOff + dv.getUint32(h, true);
    if (new TextDecoder().decode(b.subarray(at, at + name.length + 1)) === `${name}\0`) return { offset: Number(dv.getBigUint64(h + 24, true)), size: Number(dv.getBigUint64(h + 32, true)) };
  }
  throw new Error(`no section ${name}`);
}

function sectionOffset(b: Uint8Array, name: string): number {
  return section(b, name).offset;
}

function runtimeObject(): Uint8Array {
  const target = { os: 'linux' as const, arch: 'amd64' as const };
  const objs = assembleAll(runtimeSources(target, 'libc'), { target, pkg: 'runtime', includeDirs: [runtimeIncludeDir()], readFile: readTextFile });
  return writeElfObject(objs.reduce((a, b) => (a.symbols.length >= b.symbols.length ? a : b)));
}

test('a corrupted link index is a diagnostic naming the section', () => {
  const good = runtimeObject();
  const at = sectionOffset(good, LINK_INDEX_SECTION);
  const n = new DataView(good.buffer, good.byteOffset).getUint32(at + 4, true);
  // The first name column entry (after the header, the f64 sizes and addends): a .symtab index far out of range.
  const r = new DataView(good.buffer, good.byteOffset).getUint32(at + 12, true);
  const nameAt = at + 32 + ((8 * n + 7) & ~7) + 8 * r;
  const b = good.slice();
  new DataView(b.buffer).setInt32(nameAt, 0x7fffffff, true);
  assert.throws(
    () => readElfObject(b, 'bad.o'),
    (e: unknown) => e instanceof DiagnosticError && /^bad\.o: malformed ELF object: \.asmlink\.link: symbol 0 has no name/.test(e.message),
  );
});

test('an object another tool rewrote is read from its tables', (t) => {
  if (!which('objcopy')) return t.skip('needs objcopy (binutils)');
  const dir = tempDir();
  const src = path.join(dir, 'rt.o');
  const out = path.join(dir, 'rt2.o');
  const good = runtimeObject();
  writeFileSync(src, good);
  // Removing a section renumbers the others: the index no longer matches them.
  const r = run('objcopy', ['--remove-section', '.note.GNU-stack', src, out]);
  assert.equal(r.status, 0, r.stderr);
  const rewritten = new Uint8Array(readFileSync(out));
  const c = columnsOf(readElfObject(rewritten, 'rt2.o'));
  assert.ok(c);
  assert.notEqual(c.respelled, null, 'decoded from the tables');
  // objcopy rebuilds .strtab; the source files are found through their
  // STT_FILE symbols, whose indexes it keeps (version 1 of .asmlink.syminfo
  // kept .strtab offsets, which then named other strings).
  assert.deepEqual(differences(c, columnsOf(readElfObject(good, 'rt.o'))!), []);
  assert.ok(c.file.every((f) => f.endsWith('.s')), `source files: ${[...new Set(c.file)].join(', ')}`);
});

test('an object stripped of its debugging symbols (objcopy --strip-debug, with and without -g) is read with its records moved', (t) => {
  if (!which('objcopy')) return t.skip('needs objcopy (binutils)');
  const dir = tempDir();
  const target = { os: 'linux' as const, arch: 'amd64' as const };
  const objs = assembleAll(runtimeSources(target, 'libc'), { target, pkg: 'runtime', includeDirs: [runtimeIncludeDir()], readFile: readTextFile });
  const obj = objs.reduce((a, b) => (a.symbols.length >= b.symbols.length ? a : b));
  for (const debug of [false, true]) {
    if (debug) obj.debug = { compDir: '/src' };
    const good = writeElfObject(obj);
    const src = path.join(dir, `rt-${debug}.o`);
    const out = path.join(dir, `rt-${debug}-stripped.o`);
    writeFileSync(src, good);
    const r = run('objcopy', ['--strip-debug', src, out]);
    assert.equal(r.status, 0, r.stderr);
    const stripped = new Uint8Array(readFileSync(out));
    // The tool removed symbols (the files', and with -g the debugging sections'): indexes moved.
    assert.ok(section(stripped, '.symtab').size < section(good, '.symtab').size);
    const x = readElfObject(stripped, 'rt.o').symbols;
    const y = readElfObject(good, 'rt.o').symbols;
    assert.equal(x.length, y.length);
    x.forEach((s, k) => {
      const want = y[k];
      assert.deepEqual([s.name, s.kind, s.size, s.align, s.line, s.flags, s.frameSize, s.argsSize], [want.name, want.kind, want.size, want.align, want.line, want.flags, want.frameSize, want.argsSize], want.name);
      assert.deepEqual(s.relocs.map((q) => [q.off, q.type, q.sym, q.add, q.line]), want.relocs.map((q) => [q.off, q.type, q.sym, q.add, q.line]), want.name);
      // The source files went with their symbols: the object names them.
      assert.equal(s.file, 'rt.o');
    });
  }
});

test('an object whose .asmlink.syminfo names files by .strtab offset (version 1) is still read', () => {
  const good = runtimeObject();
  const old = good.slice();
  const dv = new DataView(old.buffer);
  // Set the index aside (another version), so the tables and syminfo are decoded.
  old[sectionOffset(old, LINK_INDEX_SECTION)] ^= 0xff;
  // Version 1: each record's file is the .strtab offset of the name its STT_FILE symbol has.
  const { offset: info, size } = section(old, SYMINFO_SECTION);
  const symtab = sectionOffset(old, '.symtab');
  assert.equal(dv.getUint32(info, true), 2);
  dv.setUint32(info, 1, true);
  const end = info + size;
  let records = 0;
  for (let at = info + 4; at < end; at += 4 * (8 + dv.getUint32(at + 28, true)), records++) {
    const fileSym = dv.getUint32(at + 24, true);
    assert.equal(old[symtab + 24 * fileSym + 4] & 0xf, 4, 'an STT_FILE symbol');
    dv.setUint32(at + 24, dv.getUint32(symtab + 24 * fileSym, true), true);
  }
  assert.ok(records > 10);
  const x = columnsOf(readElfObject(old, 'rt.o'))!;
  assert.notEqual(x.respelled, null, 'decoded from the tables');
  assert.deepEqual(differences(x, columnsOf(readElfObject(good, 'rt.o'))!), []);
});

test('reading for a link asks only for what the index path uses, and the rest when Symbol objects are wanted', () => {
  const good = runtimeObject();
  let asked = 0;
  const readAt = (dst: Uint8Array, pos: number) => {
    asked += dst.length;
    dst.set(good.subarray(pos, pos + dst.length));
  };
  const o = readElfObjectAt(good.length, readAt, 'rt.o');
  assert.ok(asked < good.length * 0.8, `read ${asked} of ${good.length} bytes`);
  assert.deepEqual(differences(columnsOf(o)!, columnsOf(readElfObject(good, 'rt.o'))!), []);
  // Symbol objects need the tables: the rest of the file is read for them, once.
  assert.deepEqual(JSON.stringify(o.symbols), JSON.stringify(readElfObject(good, 'rt.o').symbols));
  assert.equal(asked, good.length);
  // Without an index there is nothing to skip.
  const plain = writeElfObject(assembleAll([{ file: 'x.s', text: 'TEXT ·x(SB),0,$0\n\tRET\n' }], { target: { os: 'linux', arch: 'amd64' } })[0]!);
  const noIndex = plain.slice();
  const at = sectionOffset(noIndex, LINK_INDEX_SECTION);
  noIndex[at] ^= 0xff; // another version: set aside
  asked = 0;
  const p = readElfObjectAt(noIndex.length, (dst, pos) => {
    asked += dst.length;
    dst.set(noIndex.subarray(pos, pos + dst.length));
  }, 'x.o');
  assert.equal(asked, noIndex.length);
  assert.equal(p.symbols[0]!.name, 'main.x');
});
