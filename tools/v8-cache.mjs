// Writes V8's code caches for the CLI bundle, dist/v8-cache/KIND (see
// bin/asmlink.cjs), as the last step of every build (package.json): after
// the bundle, which the caches must match, and the prebuilt runtime, which a
// link reads. Run from the package root.
//
// Each cache holds what V8 compiled while the CLI ran one command of its
// kind on examples/threads.s: `--version` (start-up, ~115 KB), `asm` (the
// assembler and the object writer), `link` of the object that made (the
// object reader, the linker, the executable writer) and `build` (the
// assembler, the linker and the executable writer, ~550 KB).
//
// The commands target the host, as users' commands mostly do, so the caches
// hold its architecture's encoder; on a host asmlink has no default target
// for, they target linux/amd64.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const dir = 'dist/v8-cache';
// Caches of an older bundle would not be used (they bear another name); none is clearer.
fs.rmSync(dir, { recursive: true, force: true });
fs.rmSync('dist/cli.v8-cache', { force: true }); // where builds before per-command caches wrote one
fs.mkdirSync(dir, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asmlink-v8-cache-'));
const env = { ...process.env, ASMLINK_V8_CACHE: 'write' };
const object = path.join(tmp, 'threads.o');

/** Runs the CLI with the request to write its command's cache: whether it did, for a command that succeeded. */
function run(kind, args) {
  const r = spawnSync(process.execPath, ['bin/asmlink.cjs', ...args], { env, encoding: 'utf8' });
  return { r, ok: r.status === 0 && fs.existsSync(path.join(dir, kind)) };
}

/** run(), saying what failed. */
function train(kind, args) {
  const { r, ok } = run(kind, args);
  if (!ok) process.stderr.write(`v8-cache: ${kind}: asmlink ${args.join(' ')} failed (status ${r.status}): ${r.stderr}\n`);
  return ok;
}

try {
  let ok = train('start', ['--version']);
  // The host first; a host without a default target gets linux/amd64's code
  // (its run replaces the cache the failed one may have left).
  const asm = (target) => ['asm', ...target, '-o', object, 'examples/threads.s'];
  let target = [];
  if (!run('asm', asm(target)).ok) {
    target = ['--os', 'linux', '--arch', 'amd64'];
    ok = train('asm', asm(target)) && ok;
  }
  ok = train('link', ['link', '-o', path.join(tmp, 'threads-linked'), object]) && ok;
  ok = train('build', ['build', ...target, '-o', path.join(tmp, 'threads'), 'examples/threads.s']) && ok;
  if (!ok) process.exitCode = 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
