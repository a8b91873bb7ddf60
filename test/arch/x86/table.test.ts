// The x86 table compiles each mnemonic's rows on first use. Compile them all
// here, so a malformed row is caught by the tests and not by whoever first
// assembles that instruction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupForms, x86Mnemonics } from '../../../src/arch/x86/table.js';
import '../../../src/arch/x86/encoder.js';

test('every x86 table row compiles', () => {
  const names = x86Mnemonics();
  assert.ok(names.length > 1000, `only ${names.length} mnemonics`);
  for (const n of names) assert.ok(lookupForms(n)!.length > 0, n);
});

test('lookups compile once: the same forms come back', () => {
  assert.equal(lookupForms('MOVQ'), lookupForms('MOVQ'));
  assert.equal(lookupForms('NOSUCHOP'), undefined);
});
