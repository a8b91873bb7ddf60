// Objects read from a file keep their relocations in columns (RelocTable,
// TableSymbol) and the linker takes them from there. Whatever form the
// relocations are in — still in the table, made into objects, changed after
// that, or carried by a spread copy of the symbol — the link must see exactly
// the relocations the symbol has.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link } from '../../src/link/index.js';
import { readElfObject, writeElfObject } from '../../src/formats/elf/index.js';
import { TableSymbol } from '../../src/obj/reloc-table.js';
import type { ObjectFile } from '../../src/obj/symbol.js';
import { libcProgram, staticProgram } from './programs.js';

const opts = { target: { os: 'linux', arch: 'amd64' }, linkmode: 'internal', entry: '_rt0_amd64_linux' } as const;

function linked(objs: ObjectFile[]): Uint8Array {
  const r = link(objs, opts);
  assert.equal(r.kind, 'executable');
  return r.bytes;
}

function reread(o: ObjectFile): ObjectFile {
  return readElfObject(writeElfObject(o), o.name);
}

for (const [name, make] of [
  ['libc program', libcProgram],
  ['static program', staticProgram],
] as const) {
  test(`${name}: relocations in the table, made into objects, or carried by a spread copy link the same`, () => {
    // Writing an object regroups its symbols by section: compare read objects with each other.
    const read = reread(make());
    assert.ok(read.symbols.some((s) => TableSymbol.tableOf(s) !== null), 'relocations stay in the table');
    const fromTable = linked([read]);
    const made = reread(make());
    for (const s of made.symbols) void s.relocs;
    assert.ok(made.symbols.every((s) => TableSymbol.tableOf(s) === null));
    assert.deepEqual(linked([made]), fromTable);
    const copied = reread(make());
    copied.symbols = copied.symbols.map((s) => ({ ...s, relocs: s.relocs.map((r) => ({ ...r })) }));
    assert.deepEqual(linked([copied]), fromTable);
  });
}

test('a relocation changed after reading is the one linked', () => {
  const read = reread(staticProgram());
  const before = linked([read]);
  const withRelocs = read.symbols.find((s) => s.relocs.some((r) => r.type === 'R_CALL' || r.type === 'R_PCREL'))!;
  const r = withRelocs.relocs.find((x) => x.type === 'R_CALL' || x.type === 'R_PCREL')!;
  r.add += 1;
  assert.notDeepEqual(linked([read]), before);
  r.add -= 1;
  withRelocs.relocs = withRelocs.relocs.slice();
  assert.deepEqual(linked([read]), before);
});

test('an undefined target in a read object is reported at its relocation', () => {
  const o = staticProgram();
  const caller = o.symbols.find((s) => s.relocs.length > 0)!;
  caller.relocs[0]!.sym = 'nowhere';
  const read = reread(o);
  assert.throws(() => link([read], opts), (e: Error & { diagnostics?: { message: string }[] }) => {
    assert.match(e.diagnostics?.[0]?.message ?? '', /undefined: nowhere/);
    return true;
  });
});
