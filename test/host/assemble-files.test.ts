// The files of a build assembled on several threads (host/assemble-files.ts)
// must give the objects, and the errors, that one thread gives, in the
// command line's order whichever thread made each; a worker that fails
// leaves its files to the main thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeElfObject } from '../../src/formats/elf/write-object.js';
import { assembleFiles, type FilesOptions } from '../../src/host/assemble-files.js';
import { runtimeIncludeDir } from '../../src/host/runtime-files.js';
import { predefinedMacros } from '../../src/build.js';
import { DiagnosticError } from '../../src/diag.js';
import { genProgram } from '../../bench/gen/program.js';
import { FILES_WORKER_ARG, PART_WORKER_ARG } from '../../src/host/worker-args.js';
import { asmlink, tempDir, writeTemp } from '../helpers.js';

const target = { os: 'linux', arch: 'amd64' } as const;
const opts: FilesOptions = { target, includeDirs: [runtimeIncludeDir()], defines: predefinedMacros(target) };

/** The generated program's files (of different sizes: the largest-first order is not the command line's). */
function programFiles(dir: string, funcs: number): string[] {
  return genProgram({ funcs, files: 5 }).files.map((f) => writeTemp(dir, f.name, f.source));
}

/** The objects' bytes; `workers` alone: this thread only waits for them, and assembles what they left. */
async function objectBytes(files: string[], threads: number, sharing: { workers?: 'alone'; workerScript?: string } = {}): Promise<Buffer[]> {
  const limits = { threads, minThreadBytes: 1, sliceBytes: 1 };
  const objects = await assembleFiles(files, opts, { limits, workerScript: sharing.workerScript, thisThreadTakes: sharing.workers !== 'alone' });
  assert.deepEqual(
    objects.map((o) => o.name),
    files,
  );
  return objects.map((o) => Buffer.from(writeElfObject(o)));
}

async function diagnostics(files: string[], threads: number, thisThreadTakes = true): Promise<string> {
  try {
    await assembleFiles(files, opts, { limits: { threads, minThreadBytes: 1, sliceBytes: 1 }, thisThreadTakes });
  } catch (e) {
    if (e instanceof DiagnosticError) return e.message;
    throw e;
  }
  assert.fail('no errors');
}

test('a build\'s files on 2 and 3 threads: the objects one thread makes, in command-line order', async () => {
  const dir = tempDir();
  const files = programFiles(dir, 1500);
  const want = await objectBytes(files, 1);
  for (const [threads, workers] of [[2, 'alone'], [3, 'alone'], [2], [3]] as const) {
    const got = await objectBytes(files, threads, { workers });
    for (let i = 0; i < files.length; i++) assert.ok(got[i].equals(want[i]), `${threads} threads${workers ? ', workers alone' : ''}: ${path.basename(files[i])} differs`);
  }
  // Workers that cannot start leave every file to this thread.
  const left = await objectBytes(files, 3, { workers: 'alone', workerScript: path.join(dir, 'no-such-script.cjs') });
  for (let i = 0; i < files.length; i++) assert.ok(left[i].equals(want[i]), `without workers: ${path.basename(files[i])} differs`);
});

test('errors in files assembled on different threads are reported as one thread reports them', async () => {
  const dir = tempDir();
  const files = programFiles(dir, 1500);
  // An error in the first and in the last file, and a file that is fine between.
  for (const i of [0, files.length - 1]) fs.appendFileSync(files[i], `TEXT ·bad${i}(SB), $0\n\tBOGUS AX\n\tMOVQ $1, (\n`);
  const want = await diagnostics(files, 1);
  assert.match(want, /main\.s:\d+:\d+: .*BOGUS[\s\S]*part4\.s:\d+:\d+: /);
  for (const threads of [2, 4]) {
    assert.equal(await diagnostics(files, threads), want, `${threads} threads`);
    assert.equal(await diagnostics(files, threads, false), want, `${threads} threads, workers alone`);
  }
  // A file that cannot be read is reported before any is assembled.
  await assert.rejects(assembleFiles([...files, path.join(dir, 'missing.s')], opts, { limits: { threads: 2, minThreadBytes: 1, sliceBytes: 1 } }), /missing\.s: cannot read file \(no such file\)/);
});

test('asmlink build of a large program: the same executable on 1 and 2 threads, which runs', () => {
  const dir = tempDir();
  // ~2.3 MB of source: 2 threads when asked for (by default a build needs 16 MiB).
  const files = programFiles(dir, 5000);
  assert.ok(files.reduce((n, f) => n + fs.statSync(f).size, 0) >= 2 << 20);
  const exes: Buffer[] = [];
  for (const threads of ['1', '2']) {
    const out = path.join(dir, `prog${threads}`);
    const r = asmlink(['build', '--os', 'linux', '--arch', 'amd64', '-o', out, ...files], { env: { ASMLINK_ASM_THREADS: threads, ASMLINK_TRACE: 'phases' } });
    assert.equal(r.status, 0, r.stderr);
    if (threads === '1') assert.doesNotMatch(r.stderr, /assembling \d+ files on/);
    else assert.match(r.stderr, /assembling 5 files on 2 threads[\s\S]*workers assembled \d of 5 files/);
    exes.push(fs.readFileSync(out));
    if (process.arch === 'x64' && process.platform === 'linux') {
      const run = asmlink(['run', '--os', 'linux', '--arch', 'amd64', ...files], { env: { ASMLINK_ASM_THREADS: threads } });
      assert.equal(run.status, 0, run.stderr);
    }
  }
  assert.ok(exes[0].equals(exes[1]), 'the two executables differ');
});

test('the worker threads\' arguments are unknown flags on the command line', () => {
  for (const [verb, arg] of [
    ['asm', PART_WORKER_ARG],
    ['build', FILES_WORKER_ARG],
  ]) {
    const r = asmlink([verb, arg, 'x.s']);
    assert.equal(r.status, 2, `${verb} ${arg}`);
    assert.match(r.stderr, new RegExp(`asmlink ${verb}: unknown flag ${arg}`));
  }
});
