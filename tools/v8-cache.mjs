// Writes V8's code cache for the CLI bundle, dist/cli.v8-cache (see
// bin/asmlink.cjs), as the last step of every build (package.json): after
// the bundle, which the cache must match, and the prebuilt runtime, which a
// link reads. Run from the package root.
//
// The cache holds what V8 compiled while the CLI built examples/threads.s
// for this machine: start-up, the assembler, the linker and the writers
// (~570 KB). Measured against a cache of start-up alone (115 KB, what
// `--version` compiles), 25 paired runs each: an assembly of the example
// ~7 ms faster, a build of it ~12 ms, a 5,000-function link ~10 ms, and
// --version ~9 ms slower (V8 reads every function in the cache, used or not).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const cache = 'dist/cli.v8-cache';
// The cache of an older bundle would not be used (it bears another name); none is clearer.
fs.rmSync(cache, { force: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asmlink-v8-cache-'));
const env = { ...process.env, ASMLINK_V8_CACHE: 'write' };
const cli = (args) => spawnSync(process.execPath, ['bin/asmlink.cjs', ...args], { env, encoding: 'utf8' });
try {
  let r = cli(['build', '-o', path.join(tmp, 'threads'), 'examples/threads.s']);
  if (r.status !== 0) {
    // A host asmlink has no default target for: start-up is still worth caching.
    process.stderr.write(`v8-cache: building examples/threads.s failed, caching start-up only: ${r.stderr}`);
    r = cli(['--version']);
  }
  if (r.status !== 0 || !fs.existsSync(cache)) {
    process.stderr.write(`v8-cache: writing ${cache} failed (status ${r.status}): ${r.stderr}\n`);
    process.exitCode = 1;
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
