// All of Go's own assembly for each architecture — every *_amd64.s, *_386.s
// and *_arm64.s under $GOROOT/src: runtime, internal/bytealg, crypto, math,
// syscall, reflect... — assembled by asmlink and by `go tool asm`, compared
// function by function (go-source.ts). Every function both assemble must be
// identical; files that cannot be compared are listed as diagnostics and
// counted, and the floors sit at today's counts (Go 1.19) so a lost form fails.
//
// Not compared today: files go tool asm itself refuses with a synthetic
// go_asm.h (other operating systems' macro redefinitions, `g` from headers the
// build generates, abi_*.h from cgo). asmlink reads every file Go reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareGoSources, goSourcesFor } from './go-source.js';
import { findGo, goRoot } from './x86/goasm.js';
import type { ArchName } from '../../src/target.js';

const FLOORS: Record<ArchName, { functions: number; uncompared: number }> = {
  amd64: { functions: 984, uncompared: 3 },
  '386': { functions: 482, uncompared: 1 },
  arm64: { functions: 708, uncompared: 9 },
};

for (const arch of ['amd64', '386', 'arm64'] as const) {
  test(`${arch}: all of Go's own assembly encodes as go tool asm does`, (t) => {
    const go = findGo();
    const root = goRoot();
    if (!go || !root) return t.skip('needs go (Debian package golang-go) and its sources');
    const files = goSourcesFor(root, arch);
    // go tool asm also defines a macro per default-on experiment: Go 1.19 has
    // the register ABI on amd64 and arm64 (runtime·sigtramp depends on it).
    const experiments: Record<string, string> = arch === '386' ? {} : { GOEXPERIMENT_regabiwrappers: '1', GOEXPERIMENT_regabiargs: '1' };
    const r = compareGoSources(go, root, files, arch, { defines: experiments });
    t.diagnostic(`${files.length} files: ${r.same}/${r.total} functions identical to go tool asm; ${r.notes.length} files not compared`);
    for (const n of r.notes) t.diagnostic(n);
    assert.deepEqual(r.diffs, []);
    assert.ok(r.total >= FLOORS[arch].functions, `only ${r.total} functions compared`);
    assert.ok(r.notes.length <= FLOORS[arch].uncompared, `${r.notes.length} files not compared, was ${FLOORS[arch].uncompared}`);
  });
}
