// Executables for musl systems (Alpine): `--libc musl` gives them musl's
// loader as their interpreter and drops glibc's symbol versions, which musl
// does not have. The runtime's threads run on musl on every linux
// architecture (Debian's musl packages: musl, and musl:i386 and musl:arm64
// for the others, which qemu runs); the external link goes through musl-gcc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from '../../src/index.js';
import { interpreter, machineLibc, type Target } from '../../src/target.js';
import { asmlink, repoRoot, run, tempDir, which } from '../helpers.js';
import { checkStackTooSmall, checkThreadCounts, checkThreads, linuxPrefix, runWith, type LinuxArch } from './threads-check.js';

const dir = tempDir();
const threads = path.join(repoRoot, 'examples', 'threads.s');
const hello = path.join(repoRoot, 'examples', 'hello.s');
const muslPackage: Record<LinuxArch, string> = { amd64: 'musl', '386': 'musl:i386', arm64: 'musl:arm64' };

/** Why musl programs of arch cannot run here, or the emulator prefix that runs them. */
function muslRunner(arch: LinuxArch): string[] | string {
  const prefix = linuxPrefix(arch);
  if (typeof prefix === 'string') return prefix;
  const loader = interpreter({ os: 'linux', arch }, 'musl');
  if (!fs.existsSync(loader)) return `needs ${loader} (Debian package ${muslPackage[arch]})`;
  return prefix;
}

/** The program interpreter and the symbol-version sections readelf sees. */
function elfFacts(exe: string): { interp: string; versionSections: string[] } {
  const l = run('readelf', ['-lSW', exe]);
  assert.equal(l.status, 0, l.stderr);
  assert.equal(l.stderr, '', 'readelf prints no warnings');
  return {
    interp: /Requesting program interpreter: ([^\]]+)\]/.exec(l.stdout)?.[1] ?? '',
    versionSections: [...l.stdout.matchAll(/\] (\.gnu\.version\w*)/g)].map((m) => m[1]!),
  };
}

for (const arch of ['amd64', '386', 'arm64'] as LinuxArch[]) {
  test(`linux/${arch} --libc musl: the threads example runs on musl, with musl's loader and no glibc versions`, (t) => {
    if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
    const prefix = muslRunner(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const exe = path.join(dir, `threads-musl-${arch}`);
    const b = asmlink(['build', '--arch', arch, '--libc', 'musl', '-o', exe, threads]);
    assert.equal(b.status, 0, b.stderr);
    const facts = elfFacts(exe);
    assert.equal(facts.interp, interpreter({ os: 'linux', arch }, 'musl'));
    assert.deepEqual(facts.versionSections, [], 'no symbol versions');
    checkThreadCounts(prefix, exe, [0, 1, 8, 100]);
    // Below musl's minimum stack (2 KiB) too.
    checkStackTooSmall(prefix, exe);
    const h = path.join(dir, `hello-musl-${arch}`);
    assert.equal(asmlink(['build', '--arch', arch, '--libc', 'musl', '-o', h, hello]).status, 0);
    assert.equal(runWith(prefix, h, []).stdout, 'hello, world\n');
  });
}

test('--interp names any interpreter; the default stays glibc\'s on a glibc machine', (t) => {
  if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
  const exe = path.join(dir, 'interp');
  assert.equal(asmlink(['build', '--arch', 'amd64', '--interp', '/opt/ld.so', '-o', exe, hello]).status, 0);
  assert.equal(elfFacts(exe).interp, '/opt/ld.so');
  if (fs.existsSync('/lib64/ld-linux-x86-64.so.2')) {
    assert.equal(asmlink(['build', '--arch', 'amd64', '-o', exe, threads]).status, 0);
    const facts = elfFacts(exe);
    assert.equal(facts.interp, '/lib64/ld-linux-x86-64.so.2');
    assert.deepEqual(facts.versionSections, ['.gnu.version', '.gnu.version_r'], 'glibc: the runtime asks for GLIBC_2.3.2 condition variables');
  }
});

test('the machine\'s C library: musl where only musl\'s loader is present', () => {
  const t: Target = { os: 'linux', arch: 'amd64' };
  const has = (files: string[]) => (p: string) => files.includes(p);
  assert.equal(machineLibc(t, has(['/lib64/ld-linux-x86-64.so.2', '/lib/ld-musl-x86_64.so.1'])), 'glibc');
  assert.equal(machineLibc(t, has(['/lib/ld-musl-x86_64.so.1'])), 'musl');
  assert.equal(machineLibc(t, has([])), 'glibc');
  assert.equal(machineLibc({ os: 'linux', arch: 'arm64' }, has(['/lib/ld-musl-aarch64.so.1'])), 'musl');
  assert.equal(machineLibc({ os: 'linux', arch: '386' }, has(['/lib/ld-linux.so.2', '/lib/ld-musl-i386.so.1'])), 'glibc');
});

test('--libc musl in external mode: versionless undefined symbols, linked by musl-gcc', (t) => {
  const obj = path.join(dir, 'musl-ext.o');
  const exe = path.join(dir, 'threads-musl-ext');
  const mg = which('musl-gcc');
  const args = ['build', '--arch', 'amd64', '--libc', 'musl', '--linkmode', 'external', '--keep-object', obj, '-o', exe, threads];
  if (!mg) return t.skip('needs musl-gcc (Debian package musl-tools)');
  const b = asmlink(args);
  assert.equal(b.status, 0, b.stderr);
  const syms = run('readelf', ['-sW', obj]).stdout;
  assert.match(syms, / UND pthread_cond_wait$/m);
  assert.doesNotMatch(syms, /@GLIBC/);
  assert.equal(elfFacts(exe).interp, '/lib/ld-musl-x86_64.so.1');
  const r = run(exe, ['3']);
  assert.equal(r.status, 0, r.stderr);
  checkThreads(r.stdout, 3);
});

test('--libc and --interp: what is refused', () => {
  // Usage errors exit with status 2, as the CLI's other flag errors do.
  const bad = asmlink(['build', '--libc', 'uclibc', '-o', path.join(dir, 'x'), hello]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown --libc uclibc \(want glibc or musl\)/);
  const rel = asmlink(['build', '--interp', 'lib/ld.so', '-o', path.join(dir, 'x'), hello]);
  assert.equal(rel.status, 2);
  assert.match(rel.stderr, /--interp lib\/ld\.so: want an absolute path/);
  const darwin = asmlink(['build', '--os', 'darwin', '--libc', 'musl', '-o', path.join(dir, 'x'), hello]);
  assert.equal(darwin.status, 1);
  assert.match(darwin.stderr, /--interp and --libc are for linux executables/);
  // No musl C driver builds for linux/386 here: said, not guessed.
  const ext = asmlink(['build', '--arch', '386', '--libc', 'musl', '--linkmode', 'external', '-o', path.join(dir, 'x'), hello]);
  assert.equal(ext.status, 1);
  assert.match(ext.stderr, /--libc musl with --linkmode external needs a C driver that links against musl for linux\/386/);
  assert.ok(!fs.existsSync(path.join(dir, 'x')), 'no output');
});

test('build() with libc musl makes the bytes asmlink build --libc musl makes', () => {
  const text = fs.readFileSync(threads, 'utf8');
  for (const arch of ['amd64', '386', 'arm64'] as LinuxArch[]) {
    const out = build([{ file: threads, text }], { target: { os: 'linux', arch }, libc: 'musl' });
    const exe = path.join(dir, `cli-musl-${arch}`);
    assert.equal(asmlink(['build', '--arch', arch, '--libc', 'musl', '-o', exe, threads]).status, 0);
    assert.ok(Buffer.from(out.bytes).equals(fs.readFileSync(exe)), arch);
  }
  assert.throws(() => build([{ file: threads, text }], { target: { os: 'darwin', arch: 'arm64' }, libc: 'musl' }), /chosen for linux targets only/);
});

test('on a machine whose only C library is musl, musl is the default', (t) => {
  // A mount namespace hides glibc's loader (an empty /lib64), as on Alpine;
  // asmlink's own Node.js is started through the loader's real path.
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (process.getuid?.() !== 0 || !which('unshare')) return t.skip('needs root and unshare (util-linux) to make a mount namespace');
  if (!fs.existsSync('/lib/ld-musl-x86_64.so.1')) return t.skip('needs /lib/ld-musl-x86_64.so.1 (Debian package musl)');
  if (!fs.existsSync('/lib64/ld-linux-x86-64.so.2')) return t.skip('this machine has no glibc loader to hide');
  const loader = fs.realpathSync('/lib64/ld-linux-x86-64.so.2');
  const exe = path.join(dir, 'hello-default');
  const cli = path.join(repoRoot, 'dist', 'src', 'cli', 'main.js');
  const script = `mount -t tmpfs none /lib64 || exit 99
"$0" "$1" "$2" build -o "$3" "$4" || exit 98
"$0" "$1" "$2" run "$4"`;
  const r = run('unshare', ['--mount', '/bin/sh', '-c', script, loader, process.execPath, cli, exe, hello]);
  if (r.status === 99) return t.skip(`cannot mount in a new namespace here: ${r.stderr.trim()}`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'hello, world\n', 'asmlink run, in the namespace');
  assert.equal(elfFacts(exe).interp, '/lib/ld-musl-x86_64.so.1');
  assert.equal(run(exe, []).stdout, 'hello, world\n');
});
