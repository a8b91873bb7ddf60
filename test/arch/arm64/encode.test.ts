// Encoding tests: every line of testdata/enc.txt was produced by Go's own
// assembler (`go tool asm -S`, go1.19, GOARCH=arm64) by gen-enc.mjs from
// enc-input.s. Each instruction is assembled as the only instruction of a
// NOFRAME function and the whole function (literal pool and 16-byte padding
// included) must match byte for byte, relocations too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assemble } from '../../../src/asm/assemble.js';
import { DiagnosticError } from '../../../src/diag.js';

const RELOC_T: Record<string, number> = { R_ADDR: 1, R_ADDRARM64: 3, R_CALLARM64: 9, R_CALLIND: 10 };

interface Case {
  inst: string;
  hex: string;
  rel: string;
}

function loadCases(): Case[] {
  const text = readFileSync(new URL('../../../../test/arch/arm64/testdata/enc.txt', import.meta.url), 'utf8');
  const out: Case[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('//')) continue;
    const i = line.lastIndexOf(' // ');
    const inst = line.slice(0, i);
    const rest = line.slice(i + 4).split(' rel ');
    out.push({ inst, hex: rest[0]!, rel: rest.slice(1).map((r) => 'rel ' + r).join(' ') });
  }
  return out;
}

export function assembleFn(body: string): { hex: string; rel: string } {
  const src = `TEXT t(SB),4|512,$0-0\n\t${body}\n`;
  const obj = assemble(src, { target: { os: 'linux', arch: 'arm64' }, file: 't.s' });
  const sym = obj.symbols.find((s) => s.kind === 'text')!;
  const rel = sym.relocs.map((r) => `rel ${r.off}+${r.size} t=${RELOC_T[r.type] ?? r.type} ${r.sym}+${r.add}`).join(' ');
  return { hex: Buffer.from(sym.data).toString('hex'), rel };
}

test('arm64 encodings match go tool asm (testdata/enc.txt)', () => {
  const cases = loadCases();
  assert.ok(cases.length > 400, `expected hundreds of cases, got ${cases.length}`);
  const failures: string[] = [];
  for (const c of cases) {
    try {
      const got = assembleFn(c.inst);
      if (got.hex !== c.hex || got.rel !== c.rel) failures.push(`${c.inst}: want ${c.hex} ${c.rel} got ${got.hex} ${got.rel}`);
    } catch (e) {
      if (e instanceof DiagnosticError) failures.push(`${c.inst}: ${e.message}`);
      else throw e;
    }
  }
  assert.deepEqual(failures, []);
});
