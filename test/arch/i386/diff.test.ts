// Differential tests against GOARCH=386 go tool asm: frames without a saved BP,
// 4-byte FP offsets, absolute R_ADDR symbol references, TLS through GS.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { diffAgainstGo } from '../x86/difftest.js';

const source = readFileSync('test/arch/i386/testdata/diff.s', 'utf8');

test('386: diff.s matches go tool asm byte for byte (linux)', (t) => diffAgainstGo(t, source, 'linux', '386'));
