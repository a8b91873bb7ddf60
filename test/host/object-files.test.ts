// `asmlink link` reads its objects with readObjectFiles into views of one
// buffer (see there): ELF objects the parts linking needs, anything else
// whole. What it gives must be what reading each file by itself gives.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assembleAll } from '../../src/build.js';
import { DiagnosticError } from '../../src/diag.js';
import { readElfObject } from '../../src/formats/elf/read-object.js';
import { writeElfObject } from '../../src/formats/elf/write-object.js';
import { writeMachOObject } from '../../src/formats/macho/object.js';
import { readObjectFiles } from '../../src/host/object-files.js';
import { readObject } from '../../src/formats/read-objects.js';
import { columnsOf } from '../../src/obj/columns.js';
import { tempDir } from '../helpers.js';

function objectBytes(os: 'linux' | 'darwin', name: string, text: string): Uint8Array {
  const obj = assembleAll([{ file: `${name}.s`, text }], { target: { os, arch: 'amd64' } })[0]!;
  return os === 'linux' ? writeElfObject(obj) : writeMachOObject(obj);
}

test('readObjectFiles reads every object into one buffer, each as reading it alone does', () => {
  const dir = tempDir();
  const files = [
    ['a.o', objectBytes('linux', 'a', 'TEXT ·a(SB),0,$0\n\tCALL ·b(SB)\n\tRET\n')],
    ['m.o', objectBytes('darwin', 'm', 'TEXT ·m(SB),0,$0\n\tRET\n')],
    // Not a multiple of the page size: the next image still starts 8-aligned.
    ['b.o', objectBytes('linux', 'b', 'TEXT ·b(SB),0,$0\n\tRET\nDATA ·d+0(SB)/8, $1\nGLOBL ·d(SB), 0, $8\n')],
  ] as const;
  const paths = files.map(([name, bytes]) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    return p;
  });
  const objs = readObjectFiles(paths);
  assert.deepEqual(
    objs.map((o) => o.symbols.map((s) => s.name)),
    [['main.a'], ['main.m'], ['main.b', 'main.d']],
  );
  const alone = readElfObject(files[2][1], paths[2]!);
  assert.deepEqual(JSON.stringify(objs[2]!.symbols), JSON.stringify(alone.symbols));
  assert.equal(objs[1]!.target.os, 'darwin');
  assert.deepEqual(JSON.stringify(objs[1]!.symbols), JSON.stringify(readObject(files[1][1], paths[1]!).symbols));
  // Read again without asking for the symbols: the ELF objects' columns are views of one buffer.
  const [a, , b] = readObjectFiles(paths).map(columnsOf);
  assert.ok(a && b);
  assert.equal(a.bytes.buffer, b.bytes.buffer);
  assert.equal(b.bytes.byteOffset % 8, 0);
});

test('readObjectFiles names the file it cannot read', () => {
  const dir = tempDir();
  const good = path.join(dir, 'a.o');
  fs.writeFileSync(good, objectBytes('linux', 'a', 'TEXT ·a(SB),0,$0\n\tRET\n'));
  assert.throws(
    () => readObjectFiles([good, path.join(dir, 'missing.o')]),
    (e: unknown) => e instanceof DiagnosticError && /missing\.o: cannot read file \(no such file\)/.test(e.message),
  );
});
