// --build-id: a .note.gnu.build-id that names the executable's contents, as
// debuginfod, eu-unstrip and the distributions' debug-symbol packages expect.
// The ID is recomputed here with node:crypto (SHA-256 of the file with the
// ID zeroed, its first 20 bytes), read back with readelf and eu-unstrip, and
// the executables still run and pass eu-elflint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which } from '../helpers.js';
import { checkThreadCounts, linuxPrefix } from '../e2e/threads-check.js';

const dir = tempDir();
const threads = path.join(repoRoot, 'examples', 'threads.s');
const hello = path.join(repoRoot, 'examples', 'hello.s');

/** The build ID readelf reports, and the file offset of the note's section. */
function readBuildId(exe: string): { id: string; noteOffset: number } {
  const r = run('readelf', ['-nSW', exe]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'readelf prints no warnings');
  const id = /Build ID: ([0-9a-f]+)/.exec(r.stdout)?.[1] ?? '';
  const off = /\] \.note\.gnu\.build-id\s+NOTE\s+[0-9a-f]+ ([0-9a-f]+)/.exec(r.stdout)?.[1];
  return { id, noteOffset: off === undefined ? -1 : parseInt(off, 16) };
}

for (const arch of ['amd64', '386', 'arm64'] as const) {
  test(`linux/${arch} --build-id: the note names the contents, and the program runs`, (t) => {
    if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
    const exe = path.join(dir, `threads-${arch}`);
    assert.equal(asmlink(['build', '--arch', arch, '--build-id', '-o', exe, threads]).status, 0);
    const { id, noteOffset } = readBuildId(exe);
    assert.match(id, /^[0-9a-f]{40}$/);
    const bytes = fs.readFileSync(exe);
    const idAt = noteOffset + 16;
    assert.equal(bytes.subarray(idAt, idAt + 20).toString('hex'), id);
    bytes.fill(0, idAt, idAt + 20);
    assert.equal(createHash('sha256').update(bytes).digest('hex').slice(0, 40), id, 'SHA-256 of the file without the ID');
    // The same inputs give the same file; another program another ID.
    const again = path.join(dir, `threads-${arch}-again`);
    assert.equal(asmlink(['build', '--arch', arch, '--build-id', '-o', again, threads]).status, 0);
    assert.ok(fs.readFileSync(again).equals(fs.readFileSync(exe)));
    const other = path.join(dir, `hello-${arch}`);
    assert.equal(asmlink(['build', '--arch', arch, '--build-id', '-o', other, hello]).status, 0);
    assert.notEqual(readBuildId(other).id, id);
    if (which('eu-unstrip')) assert.match(run('eu-unstrip', ['-n', '-e', exe]).stdout, new RegExp(`\\b${id}@`));
    if (which('eu-elflint')) assert.equal(run('eu-elflint', ['--gnu-ld', exe]).stdout.trim(), 'No errors');
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(`${prefix} (the run)`);
    checkThreadCounts(prefix, exe, [3]);
  });
}

test('--build-id in external mode: the system linker writes its own', (t) => {
  if (!which('readelf') || !which('cc')) return t.skip('needs readelf and cc (Debian packages binutils, gcc)');
  const exe = path.join(dir, 'external');
  const b = asmlink(['build', '--linkmode', 'external', '--build-id', '-o', exe, hello]);
  assert.equal(b.status, 0, b.stderr);
  assert.match(readBuildId(exe).id, /^[0-9a-f]{40}$/);
  // Without the flag, an internal link writes no note (the examples' size goal counts every byte).
  const plain = path.join(dir, 'plain');
  assert.equal(asmlink(['build', '-o', plain, hello]).status, 0);
  assert.equal(readBuildId(plain).id, '');
});
