// Encoding tests for the amd64 backend. Expected bytes come from Go's own
// assembler: testdata/encodings.s was generated once by
// test/arch/x86/gen-testdata.mjs (command recorded in its header), and Go's
// amd64enc.s test corpus is read from the installed Go tree at test time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkCases, parseCases, type EncResult } from '../x86/enccheck.js';
import { goRoot } from '../x86/goasm.js';

function describe(r: EncResult): string {
  const lines = r.mismatches.slice(0, 20).map((m) => `line ${m.c.line}: ${m.c.text}: got ${m.got}, want ${m.c.want.join(' or ')}`);
  return lines.join('\n');
}

test('amd64: every table row encodes as go tool asm does (testdata/encodings.s)', () => {
  const cases = parseCases(readFileSync('test/arch/amd64/testdata/encodings.s', 'utf8'));
  assert.ok(cases.length > 3000, `only ${cases.length} cases`);
  const r = checkCases(cases, 'amd64');
  assert.deepEqual(r.unsupported.map((u) => `${u.c.text}: ${u.message}`), []);
  assert.equal(r.mismatches.length, 0, describe(r));
  assert.equal(r.ok, cases.length);
});

test("amd64: Go's AVX-512 corpus (testdata/avx512enc/*.s): every supported line matches", (t) => {
  const root = goRoot();
  const dir = root && join(root, 'src/cmd/asm/internal/asm/testdata/avx512enc');
  if (!dir || !existsSync(dir)) {
    t.skip('needs go (Debian package golang-go) for its assembler test corpus');
    return;
  }
  let total = 0;
  let supported = 0;
  const bad: string[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.s')).sort()) {
    const r = checkCases(parseCases(readFileSync(join(dir, f), 'utf8')), 'amd64');
    total += r.total;
    supported += r.total - r.unsupported.length;
    t.diagnostic(`${f}: ${r.total - r.unsupported.length}/${r.total} supported`);
    if (r.mismatches.length) bad.push(`${f}:\n${describe(r)}`);
  }
  t.diagnostic(`AVX-512 total: ${supported}/${total} lines supported, all of them identical to go tool asm`);
  assert.deepEqual(bad, []);
  // Go 1.19's corpus has 14,200 lines, all supported.
  assert.ok(supported >= 14200, `only ${supported} AVX-512 lines supported`);
  assert.equal(supported, total);
});

for (const name of ['amd64enc.s', 'amd64enc_extra.s']) {
  test(`amd64: Go's ${name} corpus: every supported line matches`, (t) => {
    const root = goRoot();
    const file = root && join(root, 'src/cmd/asm/internal/asm/testdata', name);
    if (!file || !existsSync(file)) {
      t.skip('needs go (Debian package golang-go) for its assembler test corpus');
      return;
    }
    const r = checkCases(parseCases(readFileSync(file, 'utf8')), 'amd64');
    const supported = r.total - r.unsupported.length;
    t.diagnostic(`${name}: ${supported}/${r.total} lines supported, ${r.ok} match`);
    assert.equal(r.mismatches.length, 0, describe(r));
    // Both are fully covered: amd64enc.s (legacy, VEX) and the extra corpus
    // (VSIB gathers and scatters, AVX-512 corner cases, negative VEX immediates).
    assert.equal(r.unsupported.length, 0, r.unsupported.slice(0, 10).map((u) => `${u.c.text}: ${u.message}`).join('\n'));
    assert.equal(r.ok, r.total);
  });
}
