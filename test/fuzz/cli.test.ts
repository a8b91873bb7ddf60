// The CLI on fuzzed files, as a subprocess: diagnostics are exit status 1
// with `file:line:col: message` lines, never a stack trace.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { asmlink, tempDir, writeTemp } from '../helpers.js';
import { asmSoup } from './asm-gen.js';
import { byteMutationArb, corpus, mutateBytes } from './obj-gen.js';
import { fuzzParams } from './harness.js';

test('fuzz: asmlink asm and build on token soup exit 0 or 1 without a stack trace', () => {
  const dir = tempDir();
  const { seed } = fuzzParams(1);
  const arches = ['amd64', '386', 'arm64'] as const;
  const files = arches.flatMap((arch) => fc.sample(asmSoup(arch, 12), { seed, numRuns: 2 }).map((text, i) => ({ arch, file: writeTemp(dir, `soup-${arch}-${i}.s`, text) })));
  for (const [k, { arch, file }] of files.entries()) {
    const verb = k % 3 === 0 ? 'build' : 'asm';
    const r = asmlink([verb, '--os', 'linux', '--arch', arch, '-o', path.join(dir, `out${k}`), file]);
    assert.ok(r.status === 0 || r.status === 1, `${verb} ${file}: status ${r.status}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /^\s+at /m, `${verb} ${file} printed a stack trace`);
    if (r.status === 1) for (const line of r.stderr.trimEnd().split('\n')) assert.match(line, /^(\t|\S+:\d+:\d+: \S|\S+: \S|asmlink \w+: )/, `${file}: ${line}`);
  }
});

test('fuzz: asmlink link on mutated objects exits 0 or 1 without a stack trace', () => {
  const dir = tempDir();
  const { seed } = fuzzParams(1);
  const c = corpus({ os: 'linux', arch: 'amd64' });
  const muts = fc.sample(fc.array(byteMutationArb, { minLength: 1, maxLength: 4 }), { seed, numRuns: 4 });
  muts.forEach((m, k) => {
    const o = c.bytes[k % c.bytes.length]!;
    const file = path.join(dir, `m${k}.o`);
    fs.writeFileSync(file, mutateBytes(o.bytes, m));
    const r = asmlink(['link', '--os', 'linux', '--arch', 'amd64', '-o', path.join(dir, `prog${k}`), file]);
    assert.ok(r.status === 0 || r.status === 1, `link ${JSON.stringify(m)}: status ${r.status}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  });
});
