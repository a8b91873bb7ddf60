// Go assembly from outside the Go tree — golang.org/x/sys's darwin libc
// trampolines (the seed's pattern, 150 per architecture), x/crypto, and the
// avo-generated and hand-written kernels of klauspost/compress, reedsolomon,
// cloudflare/circl, minio's hashes, blake3 and others — as Debian ships their
// sources under /usr/share/gocode/src. Every file the go command would build
// for the target is assembled by asmlink and by `go tool asm`, and every
// function both assemble must be the same bytes (go-source.ts). Files go tool
// asm itself refuses (avo's test fixtures carry no build constraint but are
// amd64 code) are listed, not failed; a file asmlink refuses where Go does
// not is a failure. The floors sit at today's counts, so a lost file fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { compareGoSources, moduleSourcesFor, type GoOS } from './go-source.js';
import { findGo, goRoot } from './x86/goasm.js';
import type { ArchName } from '../../src/target.js';

const SRC = '/usr/share/gocode/src';

const FLOORS: [GoOS, ArchName, number][] = [
  ['linux', 'amd64', 648],
  ['linux', '386', 31],
  ['linux', 'arm64', 54],
  ['darwin', 'amd64', 796],
  ['darwin', 'arm64', 203],
];

for (const [os, arch, floor] of FLOORS) {
  test(`${os}/${arch}: Go modules' assembly encodes as go tool asm does`, (t) => {
    const go = findGo();
    const root = goRoot();
    if (!go || !root) return t.skip('needs go (Debian package golang-go)');
    if (!existsSync(`${SRC}/golang.org/x/sys/unix`) || !existsSync(`${SRC}/github.com/klauspost/reedsolomon`)) return t.skip(`needs the Go module sources in ${SRC} (the golang-*-dev Debian packages .ci/run installs)`);
    const files = moduleSourcesFor(SRC, os, arch);
    const r = compareGoSources(go, root, files, arch, { os, srcRoot: SRC });
    t.diagnostic(`${files.length} files: ${r.same}/${r.total} functions identical to go tool asm; ${r.notes.length} files not compared`);
    for (const n of r.notes) t.diagnostic(n);
    assert.deepEqual(r.diffs, []);
    assert.deepEqual(r.notes.filter((n) => !n.includes(': go tool asm failed:')), [], 'files asmlink refuses and Go takes');
    assert.ok(r.total >= floor, `only ${r.total} functions compared, was ${floor}`);
  });
}
