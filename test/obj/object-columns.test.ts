// The assembler keeps its definitions in columns (obj/object-columns.ts) and
// makes Symbol objects only when asked. These tests hold the two ways to an
// ELF object to the same bytes, and check that symbols once asked for (and
// perhaps changed) are what gets written.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../../src/asm/assemble.js';
import { assembleAll } from '../../src/build.js';
import { writeElfObject } from '../../src/formats/elf/write-object.js';
import { readElfObject } from '../../src/formats/elf/read-object.js';
import { readTextFile } from '../../src/host/files.js';
import { runtimeIncludeDir, runtimeSources } from '../../src/host/runtime-files.js';
import { columnsFromSymbols, objectColumnsOf, symbolsFromColumns } from '../../src/obj/object-columns.js';
import type { ObjectFile } from '../../src/obj/symbol.js';
import type { ArchName } from '../../src/target.js';

const ARCHES: ArchName[] = ['amd64', '386', 'arm64'];

function assembleRuntime(arch: ArchName): ObjectFile[] {
  const target = { os: 'linux', arch } as const;
  return assembleAll(runtimeSources(target, 'libc'), { target, pkg: 'runtime', includeDirs: [runtimeIncludeDir()], readFile: readTextFile, insts: true });
}

/** The object's symbols as plain data, for deep comparison (insts are not the writer's concern). */
function plain(obj: ObjectFile): unknown[] {
  return obj.symbols.map((s) => ({
    name: s.name,
    kind: s.kind,
    size: s.size,
    align: s.align,
    data: Array.from(s.data),
    relocs: s.relocs.map((r) => ({ ...r })),
    flags: { ...s.flags },
    file: s.file,
    line: s.line,
    frameSize: s.frameSize,
    argsSize: s.argsSize,
  }));
}

for (const arch of ARCHES) {
  test(`${arch}: an object written from the assembler's columns equals one written from its symbols`, () => {
    const objs = assembleRuntime(arch);
    assert.ok(objs.length > 3);
    let relocs = 0;
    for (const obj of objs) {
      assert.ok(objectColumnsOf(obj), `${obj.name}: columns before anyone asks for symbols`);
      const fromColumns = writeElfObject(obj);
      // Asking for the symbols drops the columns: the writer then takes the symbols.
      const syms = obj.symbols;
      assert.equal(objectColumnsOf(obj), null);
      relocs += syms.reduce((n, s) => n + s.relocs.length, 0);
      assert.deepEqual(writeElfObject(obj), fromColumns, obj.name);
      // And columns made again from those symbols give the same symbols back.
      assert.deepEqual(plain({ ...obj, symbols: symbolsFromColumns(columnsFromSymbols(syms)) }), plain(obj), obj.name);
      // The assembler's per-instruction records come through the columns.
      for (const s of syms) if (s.kind === 'text') assert.ok(s.insts && s.insts.length > 0, `${s.name}: insts`);
    }
    assert.ok(relocs > 50, `only ${relocs} relocations`);
  });
}

test('symbols changed after they were asked for are what the writer writes', () => {
  const target = { os: 'linux', arch: 'amd64' } as const;
  const src = 'TEXT ·f(SB),4,$0\n\tCALL ·g(SB)\n\tRET\nTEXT ·g(SB),4,$0\n\tRET\n';
  const a = assemble(src, { target, file: 'x.s' });
  const b = assemble(src, { target, file: 'x.s' });
  b.symbols[0].name = 'main.renamed';
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
  assert.ok(text(writeElfObject(a)).includes('main.f\0'));
  assert.ok(!text(writeElfObject(b)).includes('main.f\0'));
  assert.ok(text(writeElfObject(b)).includes('main.renamed\0'));
  // Replacing the list works the same way.
  const c = assemble(src, { target, file: 'x.s' });
  c.symbols = c.symbols.slice(1);
  assert.ok(!text(writeElfObject(c)).includes('main.f\0'));
});

test('a duplicate definition names the first place, through the columns', () => {
  const target = { os: 'linux', arch: 'amd64' } as const;
  assert.throws(
    () => assemble('TEXT ·f(SB),4,$0\n\tRET\nGLOBL ·f(SB),8,$8\n', { target, file: 'dup.s' }),
    (e: Error) => /dup\.s:3:\d+: symbol main\.f redefined/.test(e.message) && /previous definition at dup\.s:1:1/.test(e.message),
  );
});

test('a symbol after one whose contents have a buffer of their own keeps its bytes', () => {
  const target = { os: 'linux', arch: 'amd64' } as const;
  // 70,000 bytes of contents (more than a shared chunk takes), then small symbols in both orders.
  const src = [
    'TEXT ·f(SB),4,$0\n\tMOVQ $0x1234, AX\n\tRET',
    'DATA ·big+69992(SB)/8, $0x1122334455667788\nGLOBL ·big(SB),8,$70000',
    'DATA ·small(SB)/8, $0x0102030405060708\nGLOBL ·small(SB),8,$8',
    'TEXT ·g(SB),4,$0\n\tMOVL $0x5678, BX\n\tRET',
  ].join('\n');
  const check = (obj: ObjectFile, how: string) => {
    const byName = new Map(obj.symbols.map((s) => [s.name, s]));
    assert.deepEqual(Array.from(byName.get('main.small')!.data), [8, 7, 6, 5, 4, 3, 2, 1], `${how}: small`);
    assert.deepEqual(Array.from(byName.get('main.big')!.data.subarray(69992)), [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11], `${how}: big`);
    assert.deepEqual(Array.from(byName.get('main.g')!.data.subarray(0, 5)), [0xbb, 0x78, 0x56, 0, 0], `${how}: g`);
  };
  const obj = assemble(src, { target, file: 'big.s' });
  const written = writeElfObject(obj);
  check(obj, 'assembled');
  check(readElfObject(written, 'big.o'), 'written and read back');
});
