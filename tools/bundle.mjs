// Bundles the CLI (dist/src/cli/main.js, compiled by tsc) into one CommonJS
// script, dist/cli.cjs, and writes V8's code cache for it, dist/cli.v8-cache:
// what bin/asmlink.cjs loads (see there for why). `npm run bundle`, part of
// every build; run from the package root.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as esbuild from 'esbuild';

const bundle = 'dist/cli.cjs';
const cache = 'dist/cli.v8-cache';

await esbuild.build({
  entryPoints: ['dist/src/cli/main.js'],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  minifyWhitespace: true,
  charset: 'ascii',
  logLevel: 'warning',
  // The one use of import.meta (runtime-files.ts finds the package root from
  // its own URL) becomes the bundle's URL: bin/asmlink.cjs passes its path.
  define: { 'import.meta.url': '__asmlinkBundleUrl' },
  banner: { js: 'var __asmlinkBundleUrl=require("node:url").pathToFileURL(__filename).href;' },
});

// A cache made for an older bundle would only be rejected, but none is better.
fs.rmSync(cache, { force: true });
// The cache holds what V8 compiled by the time the CLI has started and
// answered --version: the bundle's top level and its modules' set-up
// (115 KB). Measured against it, a cache taken after a build of
// examples/threads.s (570 KB, with the assembler's and linker's functions)
// made a small assembly ~10 ms faster, --version ~20 ms slower and a
// 5,000-function link no faster: V8 reads every function in the cache,
// used or not.
const r = spawnSync(process.execPath, ['bin/asmlink.cjs', '--version'], { env: { ...process.env, ASMLINK_V8_CACHE: 'write' }, encoding: 'utf8' });
if (r.status !== 0 || !fs.existsSync(cache)) {
  process.stderr.write(`bundle: writing ${cache} failed (status ${r.status}): ${r.stderr}\n`);
  process.exit(1);
}
