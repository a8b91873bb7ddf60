// The examples with the real runtime, linked for darwin and checked
// structurally (llvm-objdump, the npm macho parser, re-hashed signature): every
// import bound to libSystem's ordinal, every stub through its own slot, every
// call site into a stub; the internal and external links import the same
// symbols and enter at the same symbol. (test/e2e runs them under macho-run.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildExecutable, type ExecOptions } from '../../src/host/build-exec.js';
import { objdump } from '../formats/macho/objdump.js';
import { tmpPath } from '../formats/macho/tools.js';
import { checkExecutable } from './macho-check.js';
import { ld64 } from './macho-helpers.js';

const root = process.cwd();

async function build(arch: 'amd64' | 'arm64', example: string, o: Partial<ExecOptions>, out: string): Promise<void> {
  const file = path.join(root, 'examples', `${example}.s`);
  await buildExecutable([file], {
    target: { os: 'darwin', arch },
    linkmode: 'internal',
    threads: 'libc',
    noRuntime: false,
    codesign: false,
    fixups: 'dyld-info',
    includeDirs: [],
    defines: {},
    ...o,
  }, out);
}

for (const arch of ['amd64', 'arm64'] as const) {
  test(`darwin/${arch} examples/threads.s: structure of internal (both fixup kinds) and external links`, async (t) => {
    if (!objdump()) return t.skip('needs llvm-objdump (Debian package llvm)');
    const signed = arch === 'arm64';
    const facts = [];
    for (const fixups of ['dyld-info', 'chained'] as const) {
      const out = tmpPath(`threads-${arch}-${fixups}`);
      await build(arch, 'threads', { fixups, codesign: true }, out);
      facts.push(checkExecutable(out, { arch, signed: true, chained: fixups === 'chained', expectImports: ['_pthread_create', '_write'] }));
    }
    assert.deepEqual(facts[0]!.imports, facts[1]!.imports);
    assert.ok(facts[0]!.imports.length >= 5, `imports: ${facts[0]!.imports.join(' ')}`);
    if (!ld64()) return t.skip('needs ld64.lld (Debian package lld) for the external half');
    const ext = tmpPath(`threads-${arch}-ext`);
    await build(arch, 'threads', { linkmode: 'external' }, ext);
    const theirs = checkExecutable(ext, { arch, signed, chained: false, expectImports: ['_pthread_create'], producer: 'lld' });
    assert.deepEqual(facts[0]!.imports, theirs.imports);
    assert.equal(facts[0]!.entrySymbol, theirs.entrySymbol);
  });
}
