// darwin bad input through the CLI: a clear diagnostic, exit status 1, no output file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cliPath, repoRoot, tempDir } from '../helpers.js';

const hello = path.join(repoRoot, 'examples', 'hello.s');

function build(args: string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stderr: string; out: string } {
  const out = path.join(tempDir(), 'prog');
  const r = spawnSync(process.execPath, [cliPath, 'build', '--os', 'darwin', ...args, '-o', out, hello], { encoding: 'utf8', env });
  return { status: r.status, stderr: r.stderr, out };
}

test('an unknown --macos-min is a diagnostic and writes nothing', () => {
  for (const v of ['banana', '9.0', '11.99.99.1']) {
    const r = build(['--arch', 'amd64', '--macos-min', v]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /macOS|macos/i);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
    assert.ok(!fs.existsSync(r.out), v);
  }
});

test('external linking for darwin without ld64.lld names the missing tool and writes nothing', () => {
  const r = build(['--arch', 'amd64', '--linkmode', 'external'], { ...process.env, PATH: '/nonexistent' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /needs ld64\.lld \(Debian package lld/);
  assert.ok(!fs.existsSync(r.out));
  assert.deepEqual(fs.readdirSync(path.dirname(r.out)), [], 'no temporary files left');
});

test('darwin/386 external linking is refused with the reason', () => {
  const r = build(['--arch', '386', '--linkmode', 'external', '--extld', 'ld64.lld-14']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /cannot link i386 Mach-O/);
  assert.ok(!fs.existsSync(r.out));
});
