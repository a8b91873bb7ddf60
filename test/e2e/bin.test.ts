// The README's main job is `npm ci && npx asmlink run examples/threads.s` on a
// fresh clone: the package's bin must run as a command by itself (executable
// bit and shebang), not only as `node dist/src/cli/main.js`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, tempDir, which } from '../helpers.js';

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

test('the bin runs through a chain of symbolic links, as npm links it into node_modules/.bin', () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, '.bin'));
  // A relative link to an absolute one, as `npm link` and npm's .bin make them.
  fs.symlinkSync(bin, path.join(dir, 'asmlink-abs'));
  fs.symlinkSync('../asmlink-abs', path.join(dir, '.bin', 'asmlink'));
  const v = spawnSync(path.join(dir, '.bin', 'asmlink'), ['--version'], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^asmlink \d+\.\d+\.\d+\n$/);
});

/**
 * Writes dir/name, a command that runs the shell lines `record` (what it
 * saw), then `then` with its arguments; `dir` goes first on PATH in the
 * environment returned, so the bin's `node` (or an external linker) is it.
 */
function recordingCommand(dir: string, name: string, record: string, then: string): NodeJS.ProcessEnv {
  fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${record}exec ${then} "$@"\n`, { mode: 0o755 });
  return { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` };
}

/**
 * The GLIBC_TUNABLES that Node.js started with under the bin (a `node` first
 * on PATH records it, then runs the real one) and the one a program asmlink
 * runs gets (an external linker that records it, then runs cc).
 */
function tunablesSeen(callerValue: string | undefined): { asmlink: string | undefined; child: string | undefined; childHasSaved: boolean } {
  const dir = tempDir();
  const record = (name: string, then: string) =>
    recordingCommand(
      dir,
      name,
      `if [ "\${GLIBC_TUNABLES+set}" = set ]; then printf "%s" "$GLIBC_TUNABLES" > "${dir}/${name}.tunables"; fi\n` +
        `if [ "\${ASMLINK_GLIBC_TUNABLES+set}" = set ]; then : > "${dir}/${name}.saved"; fi\n`,
      then,
    );
  record('capture', 'cc');
  const env = record('node', JSON.stringify(process.execPath));
  delete env.GLIBC_TUNABLES;
  delete env.ASMLINK_GLIBC_TUNABLES;
  if (callerValue !== undefined) env.GLIBC_TUNABLES = callerValue;
  const r = spawnSync(bin, ['build', '--linkmode', 'external', '--extld', path.join(dir, 'capture'), '-o', path.join(dir, 'hello'), path.join(repoRoot, 'examples', 'hello.s')], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : undefined);
  assert.ok(fs.existsSync(path.join(dir, 'hello')), 'linked');
  return { asmlink: read('node.tunables'), child: read('capture.tunables'), childHasSaved: read('capture.saved') !== undefined };
}

test('asmlink runs with glibc.malloc.hugetlb=1 and top_pad=32 MiB, and what it runs gets the caller\'s GLIBC_TUNABLES back', (t) => {
  if (!which('cc')) return t.skip('needs cc (external link mode)');
  const ours = 'glibc.malloc.hugetlb=1:glibc.malloc.top_pad=33554432';
  // Unset: asmlink gets its tunables alone; the linker gets no variable.
  assert.deepEqual(tunablesSeen(undefined), { asmlink: ours, child: undefined, childHasSaved: false });
  // The caller's tunables are kept, and passed on unchanged.
  assert.deepEqual(tunablesSeen('glibc.malloc.arena_max=2'), { asmlink: `glibc.malloc.arena_max=2:${ours}`, child: 'glibc.malloc.arena_max=2', childHasSaved: false });
  // A setting of the caller's for either tunable wins, wherever it is in the list.
  assert.deepEqual(tunablesSeen('glibc.malloc.hugetlb=0'), { asmlink: 'glibc.malloc.hugetlb=0:glibc.malloc.top_pad=33554432', child: 'glibc.malloc.hugetlb=0', childHasSaved: false });
  assert.deepEqual(tunablesSeen('glibc.malloc.arena_max=2:glibc.malloc.top_pad=0'), { asmlink: 'glibc.malloc.arena_max=2:glibc.malloc.top_pad=0:glibc.malloc.hugetlb=1', child: 'glibc.malloc.arena_max=2:glibc.malloc.top_pad=0', childHasSaved: false });
  // Set but empty stays set but empty.
  assert.deepEqual(tunablesSeen(''), { asmlink: ours, child: '', childHasSaved: false });
});

/** The V8 options the bin gives Node.js (a `node` first on PATH records its arguments), with NODE_OPTIONS set to `nodeOptions`. */
function v8PoolFlags(nodeOptions: string | undefined): string[] {
  const dir = tempDir();
  const env = recordingCommand(dir, 'node', `printf "%s\\n" "$@" > "${dir}/args"\n`, JSON.stringify(process.execPath));
  delete env.NODE_OPTIONS;
  if (nodeOptions !== undefined) env.NODE_OPTIONS = nodeOptions;
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  return fs.readFileSync(path.join(dir, 'args'), 'utf8').split('\n').filter((a) => a.startsWith('--v8-pool-size'));
}

test("the bin gives V8's thread pool one thread fewer than the CPUs, on up to 4, unless NODE_OPTIONS sizes it", (t) => {
  let online: string;
  try {
    online = fs.readFileSync('/sys/devices/system/cpu/online', 'utf8').trim();
  } catch {
    return t.skip('no /sys/devices/system/cpu/online (not Linux): the bin leaves the pool as Node.js sizes it');
  }
  // Counted here independently of the bin's shell arithmetic: "0-3,6" is 5 CPUs.
  const cpus = online.split(',').reduce((n, r) => {
    const [a, b] = r.split('-').map(Number);
    return n + (b === undefined ? 1 : b - a! + 1);
  }, 0);
  assert.deepEqual(v8PoolFlags(undefined), cpus <= 4 ? [`--v8-pool-size=${Math.max(1, cpus - 1)}`] : []);
  assert.deepEqual(v8PoolFlags('--v8-pool-size=3'), []);
  assert.deepEqual(v8PoolFlags('--max-old-space-size=4096'), cpus <= 4 ? [`--v8-pool-size=${Math.max(1, cpus - 1)}`] : []);
});

test("each command starts from the V8 code cache the build wrote for its kind, and without it", () => {
  const env = { ...process.env, ASMLINK_V8_CACHE: 'check' };
  const cli = (root: string, args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin', 'asmlink.cjs'), ...args], { encoding: 'utf8', env });
  const version = (root: string) => cli(root, ['--version']);
  const used = version(repoRoot);
  assert.equal(used.status, 0, used.stderr);
  assert.equal(used.stderr, 'asmlink: V8 code cache (start) used\n');
  // Each command takes its kind's cache: the help of each verb runs nothing else.
  for (const [verb, kind] of [['asm', 'asm'], ['link', 'link'], ['build', 'build'], ['run', 'build'], ['gen', 'start']]) {
    const r = cli(repoRoot, [verb!, '--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, `asmlink: V8 code cache (${kind}) used\n`, verb);
  }
  // A copy of the package, whose cache and bundle are changed below: each still runs.
  const dir = tempDir();
  for (const f of ['bin/asmlink.cjs', 'dist/cli.cjs', 'dist/v8-cache/start', 'package.json']) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, f), path.join(dir, f));
  }
  fs.mkdirSync(path.join(dir, 'runtime')); // with package.json, how the CLI knows its package root
  const runsWith = (cache: string) => {
    const r = version(dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, `asmlink: V8 code cache (start) ${cache}\n`);
    assert.equal(r.stdout, used.stdout);
  };
  runsWith('used');
  // V8 would take a cache made for any bundle of the same length and run its
  // code: a bundle of another name (another build) must not get this one.
  const bundle = path.join(dir, 'dist', 'cli.cjs');
  const text = fs.readFileSync(bundle, 'utf8');
  fs.writeFileSync(bundle, text.replace(/asmlink-bundle=[0-9a-f]{64}/, `asmlink-bundle=${'0'.repeat(64)}`));
  runsWith('for another bundle');
  fs.writeFileSync(bundle, text);
  // A cache V8 cannot use (another Node.js's, say).
  const cacheFile = path.join(dir, 'dist', 'v8-cache', 'start');
  const cache = fs.readFileSync(cacheFile);
  fs.writeFileSync(cacheFile, Buffer.concat([cache.subarray(0, 64), Buffer.alloc(4096, 7)]));
  runsWith('rejected');
  fs.rmSync(cacheFile);
  runsWith('missing');
  // Without the bundle: one line that says what to do, no stack trace.
  fs.rmSync(bundle);
  const none = version(dir);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /^asmlink: cannot read the CLI bundle \(ENOENT[^\n]*\); `npm run build` in the package makes it\n$/);
});
