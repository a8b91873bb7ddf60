// The prebuilt runtime objects (src/host/runtime-cache.ts): used when fresh,
// giving executables byte-identical to assembling the runtime, with the same
// symbols, files and lines; never used once asmlink's code or a runtime file
// changed. Each test works on its own copy of the package, so the objects the
// repository's build made are not touched.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, tempDir } from '../helpers.js';

/** A copy of the package (code, runtime, examples) with its runtime prebuilt. */
function preparedCopy(): string {
  const dir = tempDir('asmlink-rtobj-');
  for (const p of ['package.json', 'runtime', 'examples', path.join('dist', 'src')]) fs.cpSync(path.join(repoRoot, p), path.join(dir, p), { recursive: true });
  const r = spawnSync(process.execPath, [path.join(dir, 'dist', 'src', 'host', 'prebuild-runtime.js')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return dir;
}

function cli(pkg: string, mode: string, args: string[]) {
  return spawnSync(process.execPath, [path.join(pkg, 'dist', 'src', 'cli', 'main.js'), ...args], { encoding: 'utf8', cwd: pkg, env: { ...process.env, ASMLINK_RUNTIME_OBJECTS: mode } });
}

/** Builds examples/threads.s and returns the executable's sha256. */
function build(pkg: string, mode: string, flags: string[]): string {
  const out = path.join(tempDir(), 'threads');
  const r = cli(pkg, mode, ['build', ...flags, path.join(pkg, 'examples', 'threads.s'), '-o', out]);
  assert.equal(r.status, 0, `${mode} ${flags.join(' ')}: ${r.stderr}`);
  return createHash('sha256').update(fs.readFileSync(out)).digest('hex');
}

/** Each runtime symbol's name, kind, size, flags, file and line, prebuilt or assembled. */
function runtimeSymbols(pkg: string, mode: string, os: string, arch: string, threads: string): string {
  const script = `
    const { runtimeObjects } = await import(${JSON.stringify(path.join(pkg, 'dist', 'src', 'host', 'build-exec.js'))});
    const objs = await runtimeObjects({ target: { os: '${os}', arch: '${arch}' }, threads: '${threads}', noRuntime: false });
    console.log(JSON.stringify(objs.map((o) => [o.name, o.dynimports, o.symbols.filter((s) => s.kind !== 'undef' && s.kind !== 'dynimport').map((s) => [s.name, s.kind, s.size, s.align, s.flags, s.file, s.line, s.frameSize, s.argsSize, Buffer.from(s.data).toString('hex'), s.relocs.filter((r) => r.type !== 'R_CALLIND').map((r) => [r.off, r.type, r.sym, r.add, r.line])])])));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ASMLINK_RUNTIME_OBJECTS: mode }, maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const TARGETS: [string, string, string][] = [
  ['linux', 'amd64', 'libc'],
  ['linux', 'amd64', 'raw'],
  ['linux', '386', 'libc'],
  ['linux', '386', 'raw'],
  ['linux', 'arm64', 'libc'],
  ['linux', 'arm64', 'raw'],
  ['darwin', 'amd64', 'libc'],
  ['darwin', '386', 'libc'],
  ['darwin', 'arm64', 'libc'],
];

test('prebuilt runtime: executables byte-identical to an assembled runtime on every target', () => {
  const pkg = preparedCopy();
  for (const [os, arch, threads] of TARGETS) {
    const flags = ['--os', os, '--arch', arch, '--threads', threads];
    assert.equal(build(pkg, 'require', flags), build(pkg, 'off', flags), `${os}/${arch} ${threads}`);
  }
  assert.equal(build(pkg, 'require', ['--os', 'linux', '--arch', 'amd64', '--linkmode', 'external']), build(pkg, 'off', ['--os', 'linux', '--arch', 'amd64', '--linkmode', 'external']));
});

test('prebuilt runtime: symbols keep their files and lines, also in a package moved elsewhere', () => {
  const built = preparedCopy();
  // Moved: other root, other ctimes (runtime files are compared with the build's copies).
  const moved = tempDir('asmlink-rtobj-moved-');
  fs.cpSync(built, moved, { recursive: true });
  for (const pkg of [built, moved]) {
    for (const [os, arch, threads] of [TARGETS[4]!, TARGETS[6]!]) {
      const cached = runtimeSymbols(pkg, 'require', os, arch, threads);
      assert.equal(cached, runtimeSymbols(pkg, 'off', os, arch, threads));
      assert.ok(cached.includes(JSON.stringify(path.join(pkg, 'runtime', 'common', `runtime_${arch}.s`))));
    }
  }
});

const helloFlags = ['--os', 'linux', '--arch', 'amd64'];
const buildHello = (pkg: string, mode: string) => cli(pkg, mode, ['build', ...helloFlags, path.join(pkg, 'examples', 'hello.s'), '-o', path.join(tempDir(), 'hello')]);

/** Asserts that the prebuilt runtime of `pkg` is refused as stale, and that without `require` the runtime is assembled instead. */
function assertStale(pkg: string, what: string): void {
  const r = buildHello(pkg, 'require');
  assert.notEqual(r.status, 0, `${what}: prebuilt runtime still used`);
  assert.match(r.stderr, /stale/);
  const auto = buildHello(pkg, 'auto');
  assert.equal(auto.status, 0, auto.stderr);
}

test('prebuilt runtime: unused once a runtime source or asmlink code changes', () => {
  const pkg = preparedCopy();
  const fresh = buildHello(pkg, 'require');
  assert.equal(fresh.status, 0, fresh.stderr);
  // A header no source of this target names directly still counts.
  const header = path.join(pkg, 'runtime', 'include', 'runtime.h');
  const headerText = fs.readFileSync(header);
  fs.appendFileSync(header, '// changed\n');
  assertStale(pkg, 'runtime header');
  fs.writeFileSync(header, headerText);
  const again = buildHello(pkg, 'require');
  assert.equal(again.status, 0, `restored header: ${again.stderr}`);
  // Any file of dist/src, not only the assembler's.
  const code = path.join(pkg, 'dist', 'src', 'target.js');
  fs.appendFileSync(code, '\n// changed\n');
  assertStale(pkg, 'asmlink code');
});

test('prebuilt runtime in a package moved elsewhere: runtime sources are still checked, its compiled code is trusted', () => {
  const moved = tempDir('asmlink-rtobj-moved-');
  fs.cpSync(preparedCopy(), moved, { recursive: true });
  // An installed package's code is not recompiled in place (a source tree rebuilds its objects), so it is not hashed on every link.
  fs.appendFileSync(path.join(moved, 'dist', 'src', 'target.js'), '\n// changed\n');
  const r = buildHello(moved, 'require');
  assert.equal(r.status, 0, r.stderr);
  // Its runtime sources are plain files a user may edit. Every file has a new
  // ctime here, so each one the set was assembled from is compared with the
  // build's copy: a file the linux/amd64 runtime does not read may change...
  const darwinOnly = path.join(moved, 'runtime', 'libc', 'os_darwin_amd64.s');
  fs.appendFileSync(darwinOnly, '// changed\n');
  const other = buildHello(moved, 'require');
  assert.equal(other.status, 0, other.stderr);
  // ...but not one it reads, even with the same size,
  const header = path.join(moved, 'runtime', 'include', 'runtime.h');
  const text = fs.readFileSync(header, 'latin1');
  fs.writeFileSync(header, text.slice(0, -1) + (text.endsWith(' ') ? '\t' : ' '), 'latin1');
  assertStale(moved, 'runtime header in a moved package');
  fs.writeFileSync(header, text, 'latin1');
  assert.equal(buildHello(moved, 'require').status, 0, 'restored header');
  // and no file may come or go.
  fs.writeFileSync(path.join(moved, 'runtime', 'include', 'extra.h'), '');
  assertStale(moved, 'a new runtime file');
});
