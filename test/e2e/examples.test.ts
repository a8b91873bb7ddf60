// The examples, built and run for real: both runtime variants, both link modes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which } from '../helpers.js';
import { checkThreads } from './threads-check.js';

const dir = tempDir();
const hello = path.join(repoRoot, 'examples', 'hello.s');
const threads = path.join(repoRoot, 'examples', 'threads.s');

interface Variant {
  name: string;
  flags: string[];
  needs?: string;
}

const variants: Variant[] = [
  { name: 'libc-internal', flags: [] },
  { name: 'libc-external', flags: ['--linkmode', 'external'], needs: 'cc' },
  { name: 'raw-internal', flags: ['--threads', 'raw'] },
];

function build(src: string, v: Variant, extra: string[] = []): string {
  const out = path.join(dir, `${path.basename(src, '.s')}-${v.name}`);
  const r = asmlink(['build', '--os', 'linux', '--arch', 'amd64', ...v.flags, ...extra, '-o', out, src]);
  assert.equal(r.status, 0, `build failed: ${r.stderr}`);
  return out;
}

for (const v of variants) {
  test(`hello (${v.name})`, (t) => {
    if (v.needs && !which(v.needs)) return t.skip(`needs ${v.needs}`);
    const exe = build(hello, v);
    const r = run(exe, []);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'hello, world\n');
  });

  test(`threads with N = 0, 1, 8, 500 (${v.name})`, (t) => {
    if (v.needs && !which(v.needs)) return t.skip(`needs ${v.needs}`);
    const exe = build(threads, v);
    for (const n of [0, 1, 8, 500]) {
      const r = run(exe, [String(n)]);
      assert.equal(r.status, 0, r.stderr);
      checkThreads(r.stdout, n);
      // Thread ids differ from the process id: read it from /proc through a child that execs the program is racy, so compare with the smallest possible: the main thread's tid equals the pid, and no worker may report it.
    }
    const def = run(exe, []);
    checkThreads(def.stdout, 8);
  });
}

test('threads: a stack below the C library minimum runs the error path (libc runtime)', () => {
  const exe = build(threads, variants[0]!);
  const r = run(exe, ['2', '1000']);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^runtime: failed to create new OS thread \(errno 22\)\n$/);
});

test('threads: a bad argument prints usage and exits 2', () => {
  const exe = build(threads, variants[0]!);
  const r = run(exe, ['x']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /usage: threads \[N \[STACK\]\]/);
});

test('asmlink run passes arguments and the exit status through', () => {
  const r = asmlink(['run', threads, '3']);
  assert.equal(r.status, 0, r.stderr);
  checkThreads(r.stdout, 3);
  const bad = asmlink(['run', threads, 'nope']);
  assert.equal(bad.status, 2);
});

test('worker threads report ids different from the process id', () => {
  // The process id is the main thread's id; print it through a one-thread run's
  // /proc view: compare against the pid the spawned process had.
  const exe = build(threads, variants[0]!);
  const r = run('/bin/sh', ['-c', `echo $$; exec ${exe} 4`]);
  const [pid, ...rest] = r.stdout.trimEnd().split('\n');
  for (const line of rest.slice(0, 4)) assert.ok(!line.endsWith(` tid=${pid}`), line);
});

test('the raw runtime refuses programs that import from libc', () => {
  const src = path.join(dir, 'imports.s');
  fs.writeFileSync(src, '//go:cgo_import_dynamic libc_getpid getpid "libc.so.6"\nTEXT ·main(SB),4,$0\n\tCALL libc_getpid(SB)\n\tRET\n');
  const r = asmlink(['build', '--os', 'linux', '--arch', 'amd64', '--threads', 'raw', '-o', path.join(dir, 'imports'), src]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--threads raw .* imports getpid from libc\.so\.6/);
  assert.ok(!fs.existsSync(path.join(dir, 'imports')), 'no output file');
  // So are the members of a static library the program takes, which are read only then.
  const helper = path.join(dir, 'helper.s');
  fs.writeFileSync(helper, '//go:cgo_import_dynamic libc_getpid getpid "libc.so.6"\nTEXT ·helper(SB),4,$0\n\tCALL libc_getpid(SB)\n\tRET\n');
  const obj = path.join(dir, 'helper.o');
  assert.equal(asmlink(['asm', '--os', 'linux', '--arch', 'amd64', '-o', obj, helper]).status, 0);
  const lib = path.join(dir, 'libhelper.a');
  fs.rmSync(lib, { force: true });
  assert.equal(run('ar', ['rcs', lib, obj]).status, 0);
  const main = path.join(dir, 'calls-helper.s');
  fs.writeFileSync(main, 'TEXT ·main(SB),4,$0\n\tCALL ·helper(SB)\n\tRET\n');
  const viaLib = asmlink(['build', '--os', 'linux', '--arch', 'amd64', '--threads', 'raw', '-o', path.join(dir, 'imports-lib'), main, lib]);
  assert.equal(viaLib.status, 1);
  assert.match(viaLib.stderr, /--threads raw .* imports getpid from libc\.so\.6/);
});
