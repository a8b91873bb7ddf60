// Coverage test on real code: Go's own amd64 and 386 runtime assembly (memmove, memclr,
// duff devices, rt0, syscalls, internal/bytealg, runtime/internal/atomic),
// read from the installed Go tree, assembled by asmlink and by `go tool asm`,
// compared function by function (test/arch/go-source.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compareGoSources } from '../go-source.js';
import { findGo, goRoot } from '../x86/goasm.js';

const FILES_386: [string, string][] = [
  ['runtime/memmove_386.s', 'runtime'],
  ['runtime/memclr_386.s', 'runtime'],
  ['runtime/duff_386.s', 'runtime'],
  ['runtime/rt0_linux_386.s', 'runtime'],
  ['runtime/vlop_386.s', 'runtime'],
  ['runtime/sys_linux_386.s', 'runtime'],
  ['runtime/asm_386.s', 'runtime'],
  ['runtime/internal/atomic/atomic_386.s', 'runtime/internal/atomic'],
  ['internal/bytealg/compare_386.s', 'internal/bytealg'],
  ['internal/bytealg/equal_386.s', 'internal/bytealg'],
  ['internal/bytealg/indexbyte_386.s', 'internal/bytealg'],
];

const FILES: [string, string][] = [
  ['runtime/memmove_amd64.s', 'runtime'],
  ['runtime/memclr_amd64.s', 'runtime'],
  ['runtime/duff_amd64.s', 'runtime'],
  ['runtime/rt0_linux_amd64.s', 'runtime'],
  ['runtime/time_linux_amd64.s', 'runtime'],
  ['runtime/sys_linux_amd64.s', 'runtime'],
  ['runtime/asm_amd64.s', 'runtime'],
  ['runtime/internal/atomic/atomic_amd64.s', 'runtime/internal/atomic'],
  ['internal/bytealg/compare_amd64.s', 'internal/bytealg'],
  ['internal/bytealg/count_amd64.s', 'internal/bytealg'],
  ['internal/bytealg/equal_amd64.s', 'internal/bytealg'],
  ['internal/bytealg/index_amd64.s', 'internal/bytealg'],
  ['internal/bytealg/indexbyte_amd64.s', 'internal/bytealg'],
];

for (const [arch, files, min] of [['amd64', FILES, 170], ['386', FILES_386, 150]] as const)
test(`${arch}: Go's runtime assembly encodes as go tool asm does`, (t) => {
  const go = findGo();
  const root = goRoot();
  if (!go || !root || !existsSync(join(root, 'src/runtime/memmove_amd64.s'))) {
    t.skip('needs go (Debian package golang-go) and its runtime sources');
    return;
  }
  const { same, total, notes, diffs } = compareGoSources(go, root, files, arch);
  t.diagnostic(`${same}/${total} runtime functions identical to go tool asm`);
  for (const n of notes) t.diagnostic(n);
  assert.deepEqual(diffs, []);
  // Files asmlink cannot read yet are listed above as notes; the floor is near today's count.
  assert.ok(total >= min, `only ${total} functions compared`);
});
