// The library API's build(): sources to an executable with the runtime, no
// files. It must make the very bytes `asmlink build` makes for every target
// and runtime variant, run, refuse what the CLI refuses, and — being core —
// run where there is no Node.js: bundled for a browser and run in a bare
// JavaScript context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as esbuild from 'esbuild';
import { build, DiagnosticError, runtimeObjectsFor, runtimeSourcesFor, writeObject, type ThreadsVariant } from '../../src/index.js';
import { runtimeSourceFiles } from '../../src/host/runtime-files.js';
import { runtimeSets } from '../../src/runtime/select.js';
import type { Target } from '../../src/target.js';
import { asmlink, repoRoot, tempDir } from '../helpers.js';
import { checkThreadCounts, linuxPrefix, runWith, type LinuxArch } from './threads-check.js';

const dir = tempDir();
const threadsFile = path.join(repoRoot, 'examples', 'threads.s');
const threadsText = fs.readFileSync(threadsFile, 'utf8');

const builds = runtimeSets();

/** What `asmlink build` writes for the threads example (the signature of darwin/arm64 names the output a.out, as build() does). */
function cliBuild(t: Target, variant: ThreadsVariant): Buffer {
  const out = path.join(dir, `cli-${t.os}-${t.arch}-${variant}`, 'a.out');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const r = asmlink(['build', '--os', t.os, '--arch', t.arch, '--threads', variant, '-o', out, threadsFile]);
  assert.equal(r.status, 0, r.stderr);
  return fs.readFileSync(out);
}

for (const [t, variant] of builds) {
  test(`build() of examples/threads.s for ${t.os}/${t.arch} (${variant}) makes the bytes asmlink build makes`, () => {
    const out = build([{ file: threadsFile, text: threadsText }], { target: t, runtime: variant });
    assert.equal(out.kind, 'executable');
    assert.ok(Buffer.from(out.bytes).equals(cliBuild(t, variant)), 'same executable');
  });
}

for (const arch of ['amd64', '386', 'arm64'] as LinuxArch[]) {
  test(`build() for linux/${arch}: the executable runs`, (t) => {
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const out = build([{ file: 'threads.s', text: threadsText }], { target: { os: 'linux', arch } });
    assert.equal(out.kind, 'executable');
    const exe = path.join(dir, `api-threads-${arch}`);
    fs.writeFileSync(exe, out.bytes, { mode: 0o755 });
    checkThreadCounts(prefix, exe, [5]);
  });
}

test('build() runs the runtime sources the CLI reads from runtime/, in the same order', () => {
  for (const [t, variant] of builds) {
    const embedded = runtimeSourcesFor(t, variant);
    const files = runtimeSourceFiles(t, variant);
    assert.deepEqual(
      embedded.map((s) => s.file.replace('<asmlink>/runtime/', '')),
      files.map((f) => path.relative(path.join(repoRoot, 'runtime'), f).split(path.sep).join('/')),
    );
    for (let i = 0; i < files.length; i++) assert.equal(embedded[i]!.text, fs.readFileSync(files[i]!, 'utf8'), `${files[i]} as built`);
  }
});

test('build(): #include finds the caller\'s files first, then the runtime\'s headers', () => {
  const main = '#include "textflag.h"\n#include "runtime.h"\n#include "consts.h"\nTEXT ·main(SB),NOSPLIT,$0\n\tMOVQ\t$EXITCODE, 0(SP)\n\tCALL\truntime·exit(SB)\n\tRET\n';
  const read = (p: string) => (p === 'inc/consts.h' ? '#define EXITCODE 7\n' : undefined);
  const out = build([{ file: 'prog.s', text: main }], { target: { os: 'linux', arch: 'amd64' }, includeDirs: ['inc'], readFile: read });
  const exe = path.join(dir, 'api-exit7');
  fs.writeFileSync(exe, out.bytes, { mode: 0o755 });
  assert.equal(runWith([], exe, []).status, 7);
  // Without the caller's reader the header is not found, and the error names the caller's file.
  assert.throws(() => build([{ file: 'prog.s', text: main }], { target: { os: 'linux', arch: 'amd64' } }), (e: unknown) => {
    assert.ok(e instanceof DiagnosticError);
    assert.equal(e.diagnostics[0]!.file, 'prog.s');
    assert.equal(e.diagnostics[0]!.line, 3);
    assert.match(e.diagnostics[0]!.message, /#include file not found: consts\.h/);
    return true;
  });
});

test('build() refuses what the CLI refuses, with positions', () => {
  const importing = '//go:cgo_import_dynamic libc_getpid getpid "libc.so.6"\nTEXT ·main(SB),4,$0\n\tCALL libc_getpid(SB)\n\tRET\n';
  assert.throws(() => build([{ file: 'imp.s', text: importing }], { target: { os: 'linux', arch: 'amd64' }, runtime: 'raw' }), (e: unknown) => {
    assert.ok(e instanceof DiagnosticError);
    assert.deepEqual([e.diagnostics[0]!.file, e.diagnostics[0]!.line], ['imp.s', 1]);
    assert.match(e.diagnostics[0]!.message, /--threads raw builds a static program without libc, but this imports getpid from libc\.so\.6/);
    return true;
  });
  assert.throws(() => build([{ file: 't.s', text: threadsText }], { target: { os: 'darwin', arch: 'arm64' }, runtime: 'raw' }), /--threads raw exists only for linux/);
  assert.throws(() => build([{ file: 'f.s', text: 'TEXT ·f(SB),4,$0\n\tRET\n' }], { target: { os: 'linux', arch: 'amd64' }, runtime: false }), /no start-up code/);
});

test('build() in external mode gives the object and the libraries for the system linker', () => {
  const out = build([{ file: 'threads.s', text: threadsText }], { target: { os: 'linux', arch: 'amd64' }, linkmode: 'external' });
  assert.equal(out.kind, 'object');
  if (out.kind !== 'object') return;
  assert.deepEqual(out.libraries, ['libc.so.6', 'libpthread.so.0']);
  assert.deepEqual([...out.bytes.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46]);
  assert.equal(out.bytes[16], 1, 'ET_REL');
});

test('the core runs without Node.js: bundled for a browser, build() in a bare context makes the same bytes', async () => {
  // esbuild refuses a browser bundle that imports a Node.js module.
  const bundle = await esbuild.build({
    entryPoints: [path.join(repoRoot, 'dist', 'src', 'index.js')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'asmlink',
    write: false,
    logLevel: 'silent',
  });
  // A context with JavaScript's own globals and the two Web APIs the core
  // uses (text encoding, which browsers have too): no process, Buffer, require.
  const context = vm.createContext({ source: threadsText, TextEncoder, TextDecoder });
  vm.runInContext(bundle.outputFiles[0]!.text, context);
  assert.equal(vm.runInContext('typeof process + typeof Buffer + typeof require', context), 'undefinedundefinedundefined');
  const pick = (os: string, arch: string) => builds.find(([t, v]) => t.os === os && t.arch === arch && v === 'libc')!;
  for (const [t, variant] of [pick('linux', 'amd64'), pick('darwin', 'arm64')]) {
    const bytes = vm.runInContext(`asmlink.build([{ file: ${JSON.stringify(threadsFile)}, text: source }], { target: ${JSON.stringify(t)}, runtime: '${variant}' }).bytes`, context) as Uint8Array;
    assert.ok(Buffer.from(bytes).equals(cliBuild(t, variant)), `${t.os}/${t.arch}: same executable`);
  }
});

test('build() reuses the runtime it assembled: linking leaves the objects as they were, and every build is the same', () => {
  for (const [t, variant] of builds) {
    const runtime = runtimeObjectsFor(t, variant);
    const before = runtime.map((o) => writeObject(o));
    const first = build([{ file: threadsFile, text: threadsText }], { target: t, runtime: variant });
    const again = build([{ file: threadsFile, text: threadsText }], { target: t, runtime: variant });
    assert.strictEqual(runtimeObjectsFor(t, variant), runtime, 'assembled once');
    assert.ok(Buffer.from(again.bytes).equals(first.bytes), `${t.os}/${t.arch} ${variant}: same bytes twice`);
    runtime.forEach((o, i) => assert.ok(Buffer.from(writeObject(o)).equals(before[i]!), `${o.name} unchanged by linking`));
  }
});
