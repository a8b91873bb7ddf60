// Differential test against Go's assembler: testdata/diff.s (frames, FP and
// SP pseudo-registers, labels, branches, calls, data references, big
// constants, the literal pool, atomics) is assembled by asmlink and by
// `go tool asm` at test time; every function's bytes and relocations agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assemble } from '../../../src/asm/assemble.js';
import { goAsm, haveGo } from './goasm.js';
import { asmlinkRelocLine, relocLine } from '../go-listing.js';

const testdata = new URL('../../../../test/arch/arm64/testdata/', import.meta.url);

test('arm64: asmlink and go tool asm agree on testdata/diff.s', (t) => {
  if (!haveGo()) {
    t.skip('needs go (Debian package golang-go)');
    return;
  }
  const src = readFileSync(new URL('diff.s', testdata), 'utf8');
  const ours = assemble(src, { target: { os: 'linux', arch: 'arm64' }, file: 'diff.s' });
  const theirs = goAsm(src);
  const texts = ours.symbols.filter((s) => s.kind === 'text');
  assert.equal(texts.length, theirs.size, 'same number of functions');
  for (const s of texts) {
    const g = theirs.get(s.name);
    assert.ok(g, `go has no ${s.name}`);
    assert.equal(Buffer.from(s.data).toString('hex'), g.hex, `bytes of ${s.name}`);
    const rel = s.relocs.map(asmlinkRelocLine);
    assert.deepEqual(rel, g.relocs.map(relocLine), `relocations of ${s.name}`);
  }
});

test('arm64: far conditional branches get veneers exactly as go tool asm', (t) => {
  if (!haveGo()) {
    t.skip('needs go (Debian package golang-go)');
    return;
  }
  // TBZ reaches ±32KiB: 8200 instructions away needs a veneer, both ways.
  const nops = '\tNOOP\n'.repeat(8200);
  const src = `TEXT ·far(SB),4|512,$0-0\nback:\n\tTBZ $3, R1, fwd\n\tCBZ R2, fwd\n${nops}fwd:\n\tTBNZ $1, R1, back\n\tBEQ back\n\tRET\n`;
  const ours = assemble(src, { target: { os: 'linux', arch: 'arm64' }, file: 'far.s' });
  const g = goAsm(src).get('main.far')!;
  assert.equal(Buffer.from(ours.symbols[0]!.data).toString('hex'), g.hex);
});
