'use strict';
// The asmlink command as a Node.js script (bin/asmlink, the package's bin,
// runs it): runs the CLI bundle, dist/cli.cjs, compiled with the help of
// V8's code cache for it, dist/cli.v8-cache. Both are made by the build
// (tools/bundle.mjs).
//
// Node.js 20 caches no compiled code between runs by itself, so every
// command would parse and compile the 500 KB bundle before doing anything.
// A vm.Script given the cache skips most of that: `asmlink --version` ~15 ms
// faster, as is a small link. V8 checks that the cache belongs to this very
// source, V8 version and flags; a cache it rejects (another Node.js, say)
// only means compiling as without one. Nothing is written at run time:
// ASMLINK_V8_CACHE=write is the build's request to write the cache, and
// ASMLINK_V8_CACHE=check prints on stderr whether V8 took it.
//
// The bundle is a CommonJS script rather than an ES module because a
// vm.Script takes only scripts (a vm module needs an experimental flag).

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
const cacheFile = path.join(__dirname, '..', 'dist', 'cli.v8-cache');

let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  // No cache: compiled from source.
}
// The wrapper starts on the bundle's first line, so stack traces keep the
// bundle's line numbers.
const script = new vm.Script(`(function (require, __filename, __dirname) {${fs.readFileSync(bundle, 'utf8')}\n})`, { filename: bundle, cachedData });
const request = process.env.ASMLINK_V8_CACHE;
delete process.env.ASMLINK_V8_CACHE;
if (request === 'write') process.once('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));
if (request === 'check') process.stderr.write(`asmlink: V8 code cache ${cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used'}\n`);
script.runInThisContext()(require, bundle, path.dirname(bundle));
