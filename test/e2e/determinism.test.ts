// Same inputs, same bytes: each example built twice per target and mode, from
// different working directories and environments, must be byte-identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cliPath, repoRoot, tempDir, which } from '../helpers.js';

const configs: string[][] = [
  ['--os', 'linux', '--arch', 'amd64'],
  ['--os', 'linux', '--arch', 'amd64', '--threads', 'raw'],
  ['--os', 'darwin', '--arch', 'amd64'],
  ['--os', 'darwin', '--arch', 'amd64', '--fixups', 'chained', '--codesign'],
  // The system linker sees the same object and the same file names every time.
  ['--os', 'linux', '--arch', 'amd64', '--linkmode', 'external'],
  ['--os', 'darwin', '--arch', 'arm64', '--linkmode', 'external'],
];

/** Why a configuration cannot be built here, or undefined. */
function missingTool(flags: string[]): string | undefined {
  if (!flags.includes('external')) return undefined;
  if (flags.includes('darwin')) return which('ld64.lld') || which('ld64.lld-14') ? undefined : 'ld64.lld is not installed (Debian package lld)';
  return which('cc') ? undefined : 'cc is not installed (Debian package gcc)';
}

function build(flags: string[], src: string, out: string, cwd: string, env: NodeJS.ProcessEnv): Buffer {
  const r = spawnSync(process.execPath, [cliPath, 'build', ...flags, '-o', out, src], { cwd, env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return fs.readFileSync(out);
}

for (const flags of configs) {
  test(`deterministic output: ${flags.join(' ')}`, (t) => {
    const why = missingTool(flags);
    if (why) return t.skip(why);
    const a = tempDir();
    const b = tempDir();
    for (const ex of ['hello', 'threads']) {
      const src = path.join(repoRoot, 'examples', `${ex}.s`);
      const one = build(flags, src, path.join(a, ex), repoRoot, { ...process.env, TZ: 'UTC', LANG: 'C' });
      const two = build(flags, src, path.join(b, ex), b, { ...process.env, TZ: 'Asia/Tokyo', LANG: 'de_DE.UTF-8', SOURCE_DATE_EPOCH: '1' });
      assert.ok(one.equals(two), `${ex}: two builds differ`);
    }
  });
}
