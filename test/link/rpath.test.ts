// Programs that import from a library of their own: --rpath tells the loader
// where it is (ELF DT_RUNPATH, Mach-O LC_RPATH), --extldflags tells the
// external linker (-L). Checked by running the programs (linux amd64, 386, arm64)
// and by reading the load commands with llvm-objdump beside ld64.lld's (darwin).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { splitFlags } from '../../src/cli/verbs.js';
import { asmlink, repoRoot, run, tempDir, which } from '../helpers.js';
import { linuxPrefix, runWith } from '../e2e/threads-check.js';

const dir = tempDir();

/** A program that calls twice(21) from libtw.so and exits with the result. */
const PROGRAMS = {
  amd64: `#include "textflag.h"
//go:cgo_import_dynamic libc_twice twice "libtw.so"
TEXT ·main(SB),NOSPLIT,$16-0
	MOVQ	$21, DI
	MOVQ	SP, BX
	ANDQ	$~15, SP
	CALL	libc_twice(SB)
	MOVQ	BX, SP
	MOVQ	AX, 0(SP)
	CALL	runtime·exit(SB)
	RET
`,
  arm64: `#include "textflag.h"
//go:cgo_import_dynamic libc_twice twice "libtw.so"
TEXT ·main(SB),NOSPLIT,$16-0
	MOVD	$21, R0
	CALL	libc_twice(SB)
	MOVD	R0, 8(RSP)
	CALL	runtime·exit(SB)
	RET
`,
  '386': `#include "textflag.h"
//go:cgo_import_dynamic libc_twice twice "libtw.so"
TEXT ·main(SB),NOSPLIT,$16-0
	MOVL	SP, BX
	ANDL	$~15, SP
	SUBL	$16, SP
	MOVL	$21, 0(SP)
	CALL	libc_twice(SB)
	MOVL	BX, SP
	MOVL	AX, 0(SP)
	CALL	runtime·exit(SB)
	RET
`,
};

type Arch = keyof typeof PROGRAMS;

/** What builds the library for an architecture: gcc, or for arm64 (no aarch64 gcc here) the cross binutils. */
const LIB_TOOLS: Record<Arch, string> = { amd64: 'gcc', '386': 'gcc and gcc-multilib', arm64: 'binutils-aarch64-linux-gnu' };

/** dir/ARCH/lib/libtw.so, dir/ARCH/p.s; undefined when the tools cannot build the library. */
function setUp(arch: Arch): { src: string; libDir: string } | undefined {
  const base = path.join(dir, arch);
  const libDir = path.join(base, 'lib');
  const so = path.join(libDir, 'libtw.so');
  fs.mkdirSync(libDir, { recursive: true });
  if (arch === 'arm64') {
    if (!which('aarch64-linux-gnu-as') || !which('aarch64-linux-gnu-ld')) return undefined;
    fs.writeFileSync(path.join(base, 'tw.s'), '\t.text\n\t.globl twice\n\t.type twice, %function\ntwice:\n\tlsl w0, w0, #1\n\tret\n');
    if (run('aarch64-linux-gnu-as', ['-o', path.join(base, 'tw.o'), path.join(base, 'tw.s')]).status !== 0) return undefined;
    if (run('aarch64-linux-gnu-ld', ['-shared', '-o', so, path.join(base, 'tw.o')]).status !== 0) return undefined;
  } else {
    if (!which('gcc')) return undefined;
    fs.writeFileSync(path.join(base, 'tw.c'), 'int twice(int x) { return 2 * x; }\n');
    const cc = run('gcc', [...(arch === '386' ? ['-m32'] : []), '-shared', '-fPIC', '-o', so, path.join(base, 'tw.c')]);
    if (cc.status !== 0) return undefined;
  }
  const src = path.join(base, 'p.s');
  fs.writeFileSync(src, PROGRAMS[arch]);
  return { src, libDir };
}

function runpath(exe: string): string | undefined {
  const d = run('readelf', ['-dW', exe]);
  assert.equal(d.status, 0, d.stderr);
  return /\(RUNPATH\)\s+Library runpath: \[([^\]]*)\]/.exec(d.stdout)?.[1];
}

for (const arch of ['amd64', '386', 'arm64'] as const) {
  test(`linux/${arch}: --rpath '$ORIGIN/lib' finds the program's own library, internal and external link`, (t) => {
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
    const s = setUp(arch);
    if (!s) return t.skip(`needs ${LIB_TOOLS[arch]} to build the test library`);
    const base = path.dirname(s.src);
    // Without a run path the loader does not find libtw.so.
    const bare = path.join(base, 'bare');
    assert.equal(asmlink(['build', '--arch', arch, '-o', bare, s.src]).status, 0);
    assert.equal(runpath(bare), undefined);
    const r0 = runWith(prefix, bare, []);
    assert.notEqual(r0.status, 42);
    assert.match(r0.stderr, /libtw\.so/);
    for (const mode of ['internal', 'external'] as const) {
      const exe = path.join(base, `p-${mode}`);
      const extra = mode === 'external' ? ['--linkmode', 'external', '--extldflags', `-L '${s.libDir}'`] : [];
      const b = asmlink(['build', '--arch', arch, ...extra, '--rpath', '$ORIGIN/lib', '--rpath', '/nonexistent', '-o', exe, s.src]);
      assert.equal(b.status, 0, b.stderr);
      assert.equal(runpath(exe), '$ORIGIN/lib:/nonexistent', mode);
      assert.equal(runWith(prefix, exe, []).status, 42, mode);
    }
  });
}

test('external mode: a library the linker cannot find points at --extldflags and --rpath', (t) => {
  const s = setUp('amd64');
  if (!s) return t.skip('needs gcc to build the test library');
  const b = asmlink(['build', '--linkmode', 'external', '-o', path.join(dir, 'nolib'), s.src]);
  assert.equal(b.status, 1);
  assert.match(b.stderr, /p\.s:2:1: library libtw\.so not found by the external linker \(imported for twice\)/);
  assert.match(b.stderr, /--extldflags '-L DIR'/);
  assert.ok(!fs.existsSync(path.join(dir, 'nolib')));
});

test('darwin: --rpath writes LC_RPATH as ld64.lld does, and the program still runs under macho-run', (t) => {
  const ld = which('ld64.lld') ?? which('ld64.lld-14');
  if (!which('llvm-objdump')) return t.skip('needs llvm-objdump (Debian package llvm)');
  if (!ld) return t.skip('needs ld64.lld (Debian package lld)');
  const hello = path.join(repoRoot, 'examples', 'hello.s');
  const rpaths = (exe: string) => {
    const d = run('llvm-objdump', ['--macho', '--private-headers', exe]);
    assert.equal(d.stderr, '', 'llvm-objdump prints no warnings');
    return [...d.stdout.matchAll(/cmd LC_RPATH\n\s+cmdsize (\d+)\n\s+path (\S+) \(offset (\d+)\)/g)].map((m) => `${m[2]} ${m[1]} ${m[3]}`);
  };
  for (const arch of ['amd64', 'arm64']) {
    const flags = ['--os', 'darwin', '--arch', arch, '--rpath', '@executable_path/lib', '--rpath', '/opt/homebrew/lib'];
    const internal = path.join(dir, `hello-darwin-${arch}`);
    const external = path.join(dir, `hello-darwin-${arch}-ext`);
    assert.equal(asmlink(['build', ...flags, '-o', internal, hello]).status, 0);
    const e = asmlink(['build', ...flags, '--linkmode', 'external', '-o', external, hello]);
    assert.equal(e.status, 0, e.stderr);
    assert.deepEqual(rpaths(internal), ['@executable_path/lib 40 12', '/opt/homebrew/lib 32 12'], arch);
    assert.deepEqual(rpaths(internal), rpaths(external), `${arch}: as ld64.lld writes them`);
  }
});

test('darwin: a program with LC_RPATH runs under macho-run', (t) => {
  const machoRun = path.join(repoRoot, '..', 'shared', 'tools', 'macho-run', 'macho-run');
  const python = ['python3', '/usr/bin/python3'].find((p) => run(p, ['-c', 'import unicorn']).status === 0);
  if (!fs.existsSync(machoRun)) return t.skip('needs macho-run (../shared/tools/macho-run)');
  if (!python) return t.skip('needs python3-unicorn (Debian package python3-unicorn)');
  for (const arch of ['amd64', 'arm64']) {
    const exe = path.join(dir, `hello-rpath-${arch}`);
    assert.equal(asmlink(['build', '--os', 'darwin', '--arch', arch, '--rpath', '@executable_path/lib', '-o', exe, path.join(repoRoot, 'examples', 'hello.s')]).status, 0);
    const r = run(python, [machoRun, exe]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'hello, world\n');
  }
});

test('--extldflags splits as a shell splits plain words; --rpath refuses what DT_RUNPATH cannot hold', () => {
  assert.deepEqual(splitFlags(`-L /opt/lib  -Wl,-rpath,'$ORIGIN/a b' "-lx"`), ['-L', '/opt/lib', '-Wl,-rpath,$ORIGIN/a b', '-lx']);
  assert.deepEqual(splitFlags(''), []);
  assert.deepEqual(splitFlags(`''`), ['']);
  const r = asmlink(['build', '--rpath', '/a:/b', '-o', path.join(dir, 'x'), path.join(repoRoot, 'examples', 'hello.s')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--rpath "\/a:\/b": want a directory without ':'/);
  const q = asmlink(['build', '--linkmode', 'external', '--extldflags', "'-L", '-o', path.join(dir, 'x'), path.join(repoRoot, 'examples', 'hello.s')]);
  assert.equal(q.status, 2);
  assert.match(q.stderr, /unterminated '/);
});
