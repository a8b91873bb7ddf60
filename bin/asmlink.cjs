'use strict';
// The asmlink command as a Node.js script (bin/asmlink, the package's bin,
// runs it): runs the CLI bundle, dist/cli.cjs, compiled with the help of
// V8's code cache for it, dist/v8-cache/. The build makes both
// (tools/bundle.mjs, tools/v8-cache.mjs).
//
// Node.js 20 keeps no compiled code between runs by itself, so every
// command would parse and compile the 500 KB bundle, and then each function
// it calls, before doing anything. A vm.Script given the cache skips most of
// that (measured against the ES-module bundle before it, 25 paired runs):
// --version ~8 ms faster, an assembly of examples/threads.s ~20 ms, a build
// of it ~25 ms, a 5,000-function link ~15 ms.
//
// V8 takes a cache made for its own version and flags (a V8 flag in
// NODE_OPTIONS means compiling as without one) and for any source of the
// same length, whose code it would then run instead. So each cache file
// starts with the name the bundle's last line gives it (the hash of its
// text, written by the build) and is used only for the bundle of that name.
//
// There is one cache per kind of command, dist/v8-cache/KIND: V8 reads every
// function in a cache, used or not, so a cache of what the command runs is
// the fastest (measured against one cache of a build for all, paired runs:
// a 20,000-function link ~15 ms faster with the link's own cache,
// --version ~3 ms). `run` runs a build; other commands (gen, help) start
// from the start-up cache.
//
// Nothing is written at run time: ASMLINK_V8_CACHE=write is the build's
// request to write the command's cache, and ASMLINK_V8_CACHE=check prints on
// stderr whether V8 took it.
//
// The bundle is a CommonJS script rather than an ES module because a
// vm.Script takes only scripts (a vm module needs an experimental flag).

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
const CACHE_KINDS = { asm: 'asm', link: 'link', build: 'build', run: 'build' };
const kind = Object.hasOwn(CACHE_KINDS, process.argv[2]) ? CACHE_KINDS[process.argv[2]] : 'start';
const cacheFile = path.join(__dirname, '..', 'dist', 'v8-cache', kind);
let source;
try {
  source = fs.readFileSync(bundle, 'utf8');
} catch (e) {
  process.stderr.write(`asmlink: cannot read the CLI bundle (${e.message}); \`npm run build\` in the package makes it\n`);
  process.exit(1);
}
// The bundle's name, in its last line (tools/bundle.mjs writes it).
const NAME_TAG = '//# asmlink-bundle=';
const nameAt = source.lastIndexOf(NAME_TAG);
const name = nameAt < 0 ? '' : source.slice(nameAt + NAME_TAG.length, nameAt + NAME_TAG.length + 64);

let cache = 'missing';
let cachedData;
try {
  const file = fs.readFileSync(cacheFile);
  if (name.length === 64 && file.length > 64 && file.toString('latin1', 0, 64) === name) cachedData = file.subarray(64);
  else cache = 'for another bundle';
} catch {
  // No cache: compiled from source.
}
// The wrapper starts on the bundle's first line, so stack traces keep the
// bundle's line numbers.
const script = new vm.Script(`(function (require, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
if (cachedData !== undefined) cache = script.cachedDataRejected ? 'rejected' : 'used';
const request = process.env.ASMLINK_V8_CACHE;
delete process.env.ASMLINK_V8_CACHE;
if (request === 'write') process.once('exit', () => fs.writeFileSync(cacheFile, Buffer.concat([Buffer.from(name, 'latin1'), script.createCachedData()])));
if (request === 'check') process.stderr.write(`asmlink: V8 code cache (${kind}) ${cache}\n`);
script.runInThisContext()(require, bundle, path.dirname(bundle));
