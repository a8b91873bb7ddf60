// The README's main job is `npm ci && npx asmlink run examples/threads.s` on a
// fresh clone: the package's bin must run as a command by itself (executable
// bit and shebang), not only as `node dist/src/cli/main.js`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers.js';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const bin = path.join(repoRoot, pkg.bin.asmlink!);

test('the asmlink bin is executable and committed that way', (t) => {
  assert.ok(fs.statSync(bin).mode & 0o111, `${pkg.bin.asmlink} is not executable`);
  const git = spawnSync('git', ['ls-files', '-s', pkg.bin.asmlink!], { cwd: repoRoot, encoding: 'utf8' });
  if (git.status !== 0 || git.stdout === '') return t.skip('not a git checkout (needs git to read the committed file mode)');
  assert.match(git.stdout, /^100755 /, 'the bin must be committed with mode 100755, or a fresh clone cannot run it');
});

test('the asmlink bin runs by itself: --version and the threads example', () => {
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^asmlink \d+\.\d+\.\d+\n$/);
  const r = spawnSync(bin, ['run', path.join(repoRoot, 'examples', 'threads.s'), '2'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^thread 0: sum=499999500000 tid=\d+\nthread 1: sum=1499999500000 tid=\d+\ntotal=1999999000000\n$/);
});
