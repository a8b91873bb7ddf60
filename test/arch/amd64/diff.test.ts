// Differential tests against Go's assembler: frames, FP/SP pseudo-registers,
// labels and branch relaxation, calls, data and TLS references (testdata/diff.s).
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { diffAgainstGo } from '../x86/difftest.js';

const source = readFileSync('test/arch/amd64/testdata/diff.s', 'utf8');

test('amd64: diff.s matches go tool asm byte for byte (linux)', (t) => diffAgainstGo(t, source, 'linux', 'amd64'));
test('amd64: diff.s matches go tool asm byte for byte (darwin: TLS through GS)', (t) => diffAgainstGo(t, source, 'darwin', 'amd64'));

// A long body forces forward branches over 127 bytes to the long form, and
// backward ones that start short to grow as the code between them grows.
test('amd64: branch relaxation reaches the same fixed point as go tool asm', (t) => {
  const lines = ['TEXT ·relax(SB), 4, $0-0'];
  for (let i = 0; i < 40; i++) {
    lines.push(`l${i}:`, `\tCMPQ AX, $${i}`, `\tJEQ l${(i * 7) % 40}`, `\tJLT m${(i * 3) % 40}`);
    for (let k = 0; k < (i % 5) * 3; k++) lines.push('\tADDQ $1, BX');
    lines.push(`m${i}:`, `\tJMP l${(i * 11) % 40}`);
  }
  lines.push('\tRET', '');
  diffAgainstGo(t, lines.join('\n'), 'linux', 'amd64');
});
