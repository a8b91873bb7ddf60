// Encodings checked against an independent assembler: each line of
// testdata/llvm-pairs.txt pairs Go syntax with the GNU/LLVM syntax of the same
// instruction; llvm-mc (-triple aarch64 -mattr=+lse) assembles the GNU side at
// test time and asmlink must produce the same bytes for the Go side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { assembleOne } from './oracle.js';

function llvmEncodings(lines: string[]): string[] {
  const out = execFileSync('llvm-mc', ['-triple=aarch64', '-mattr=+lse', '-show-encoding'], { input: lines.join('\n') + '\n', encoding: 'utf8' });
  const enc: string[] = [];
  for (const m of out.matchAll(/encoding: \[([^\]]*)\]/g)) enc.push(m[1]!.split(',').map((b) => b.trim().replace(/^0x/, '').padStart(2, '0')).join(''));
  return enc;
}

test('arm64 encodings agree with llvm-mc', (t) => {
  try {
    execFileSync('llvm-mc', ['--version'], { stdio: 'ignore' });
  } catch {
    t.skip('needs llvm-mc (Debian package llvm)');
    return;
  }
  const pairs = readFileSync(new URL('../../../../test/arch/arm64/testdata/llvm-pairs.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split('|').map((s) => s.trim()) as [string, string]);
  const want = llvmEncodings(pairs.map((p) => p[1]));
  assert.equal(want.length, pairs.length, 'llvm-mc encoded every line');
  const bad: string[] = [];
  pairs.forEach(([go, gnu], i) => {
    const got = assembleOne(go);
    if (got.error !== undefined || got.hex !== want[i]) bad.push(`${go} (${gnu}): want ${want[i]} got ${got.hex ?? got.error}`);
  });
  t.diagnostic(`${pairs.length - bad.length}/${pairs.length} instructions identical to llvm-mc`);
  assert.deepEqual(bad, []);
});
