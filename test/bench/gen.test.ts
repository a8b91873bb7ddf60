// The benchmark generators must produce input the reference tools accept, and
// the Go-syntax and GNU-syntax files must hold the same instructions: checked
// by comparing every function's size as GNU as (or llvm-mc) encodes the GNU
// file with its size as Go's assembler encodes the Go file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { genAsmFiles, type AsmArch } from '../../bench/gen/asmfile.js';
import { genProgram, LIBC_IMPORTS } from '../../bench/gen/program.js';
import { which } from '../../bench/lib/exec.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asmlink-bench-test-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function sh(cmd: string, args: string[], env?: Record<string, string>): { ok: boolean; out: string; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  return { ok: r.status === 0, out: r.stdout ?? '', err: r.stderr ?? '' };
}

function goAsm(): { asm: string; include: string } | undefined {
  if (!which('go')) return undefined;
  const r = sh('go', ['env', 'GOTOOLDIR', 'GOROOT']);
  if (!r.ok) return undefined;
  const [tooldir, goroot] = r.out.trim().split('\n');
  return { asm: path.join(tooldir!, 'asm'), include: path.join(goroot!, 'pkg/include') };
}

/** Function sizes from `go tool asm -S`: name → size. */
function goSizes(go: { asm: string; include: string }, arch: AsmArch, file: string): Map<string, number> {
  const r = sh(go.asm, ['-S', '-p', 'main', '-I', go.include, '-o', path.join(dir, 'go.o'), file], { GOOS: 'linux', GOARCH: arch });
  assert.ok(r.ok, `go tool asm rejected ${file}:\n${r.err.slice(0, 2000)}`);
  const sizes = new Map<string, number>();
  for (const m of (r.out + r.err).matchAll(/^"?(?:"")?\.?(f\d+) STEXT .*?size=(\d+)/gm)) sizes.set(`main.${m[1]}`, Number(m[2]));
  return sizes;
}

/** Function sizes from an ELF object's symbol table. */
function elfSizes(obj: string): Map<string, number> {
  const r = sh('nm', ['-S', obj]);
  assert.ok(r.ok, r.err);
  const sizes = new Map<string, number>();
  for (const m of r.out.matchAll(/^[0-9a-f]+ ([0-9a-f]+) T (main\.f\d+)$/gm)) sizes.set(m[2]!, parseInt(m[1]!, 16));
  return sizes;
}

const gnuAssemblers: Record<AsmArch, { tool: string; args: (o: string, s: string) => string[]; pkg: string }[]> = {
  amd64: [{ tool: 'as', args: (o, s) => ['--64', '-o', o, s], pkg: 'binutils' }],
  '386': [{ tool: 'as', args: (o, s) => ['--32', '-o', o, s], pkg: 'binutils' }],
  arm64: [
    { tool: 'aarch64-linux-gnu-as', args: (o, s) => ['-o', o, s], pkg: 'binutils-aarch64-linux-gnu' },
    { tool: 'llvm-mc', args: (o, s) => ['-triple', 'aarch64-linux-gnu', '-filetype=obj', '-o', o, s], pkg: 'llvm' },
  ],
};

test('generated assembly is deterministic and depends on the seed', () => {
  const a = genAsmFiles({ arch: 'amd64', funcs: 40, seed: 7 });
  const b = genAsmFiles({ arch: 'amd64', funcs: 40, seed: 7 });
  const c = genAsmFiles({ arch: 'amd64', funcs: 40, seed: 8 });
  assert.equal(a.go, b.go);
  assert.equal(a.gnu, b.gnu);
  assert.notEqual(a.go, c.go);
  assert.ok(a.goLines > 40 * 20, `${a.goLines} lines for 40 functions`);
  const p = genProgram({ funcs: 100, seed: 3 });
  assert.deepEqual(p, genProgram({ funcs: 100, seed: 3 }));
  // The darwin variant differs only in the library its imports name.
  const d = genProgram({ funcs: 100, seed: 3, library: '/usr/lib/libSystem.B.dylib' });
  assert.equal(d.files[0]!.source, p.files[0]!.source.replaceAll('"libc.so.6"', '"/usr/lib/libSystem.B.dylib"'));
  assert.notEqual(d.files[0]!.source, p.files[0]!.source);
  assert.deepEqual(d.files.slice(1), p.files.slice(1));
});

for (const arch of ['amd64', '386', 'arm64'] as const) {
  test(`${arch}: GNU-syntax file assembles and matches the Go file instruction for instruction`, (t) => {
    const files = genAsmFiles({ arch, funcs: 60 });
    const goFile = path.join(dir, `b_${arch}.s`);
    const gnuFile = path.join(dir, `b_${arch}.gnu.s`);
    fs.writeFileSync(goFile, files.go);
    fs.writeFileSync(gnuFile, files.gnu);
    const peers = gnuAssemblers[arch].filter((p) => which(p.tool));
    if (peers.length === 0) return t.skip(`needs ${gnuAssemblers[arch].map((p) => `${p.tool} (Debian ${p.pkg})`).join(' or ')}`);
    for (const p of peers) {
      const obj = path.join(dir, `b_${arch}_${p.tool}.o`);
      const r = sh(p.tool, p.args(obj, gnuFile));
      assert.ok(r.ok, `${p.tool} rejected the ${arch} file:\n${r.err.slice(0, 2000)}`);
    }
    const go = goAsm();
    if (!go) return t.skip('needs go tool asm (Debian golang-go) to compare with the Go-syntax file');
    if (!which('nm')) return t.skip('needs nm (Debian binutils)');
    const want = goSizes(go, arch, goFile);
    const got = elfSizes(path.join(dir, `b_${arch}_${peers[0]!.tool}.o`));
    assert.equal(want.size, 60);
    assert.equal(got.size, 60);
    for (const [name, size] of want) {
      const gnu = got.get(name);
      // Go pads arm64 functions to 16 bytes.
      const gnuPadded = arch === 'arm64' && gnu !== undefined ? Math.ceil(gnu / 16) * 16 : gnu;
      assert.equal(gnuPadded, size, `${name}: Go encodes ${size} bytes, ${peers[0]!.tool} ${gnu}`);
    }
  });
}

test('program generator: every file assembles with go tool asm; imports and the function table are there', (t) => {
  const p = genProgram({ funcs: 300, files: 3 });
  assert.equal(p.files.length, 3);
  const main = p.files[0]!.source;
  assert.match(main, /^\/\/go:cgo_import_dynamic _ _ "libc\.so\.6"$/m);
  for (const f of LIBC_IMPORTS) assert.ok(main.includes(`//go:cgo_import_dynamic blibc_${f} ${f} "libc.so.6"`), f);
  assert.equal((main.match(/^DATA ·functab\+/gm) ?? []).length, 300);
  assert.ok(p.relocs > 300 * 5, `${p.relocs} relocations for 300 functions`);
  const go = goAsm();
  if (!go) return t.skip('needs go tool asm (Debian golang-go)');
  for (const f of p.files) {
    const file = path.join(dir, `prog_${f.name}`);
    fs.writeFileSync(file, f.source);
    const r = sh(go.asm, ['-p', 'main', '-I', go.include, '-o', path.join(dir, 'prog.o'), file], { GOOS: 'linux', GOARCH: 'amd64' });
    assert.ok(r.ok, `go tool asm rejected ${f.name}:\n${r.err.slice(0, 2000)}`);
  }
});

test('bench/c/threads.c builds in all three variants and prints what examples/threads.s prints', (t) => {
  if (!which('gcc')) return t.skip('needs gcc (Debian gcc)');
  const src = path.join(process.cwd(), 'bench/c/threads.c');
  for (const v of ['SEED', 'DEFAULT', 'CLONE']) {
    const exe = path.join(dir, `threads_${v}`);
    const c = sh('gcc', ['-O2', '-Wall', '-Werror', `-DVARIANT_${v}`, '-o', exe, src, '-lpthread']);
    assert.ok(c.ok, c.err);
    const r = sh(exe, ['3', '65536', '10']);
    assert.ok(r.ok, r.err);
    assert.match(r.out, /^thread 0: sum=45 tid=\d+\nthread 1: sum=145 tid=\d+\nthread 2: sum=245 tid=\d+\ntotal=435\n$/);
  }
  const bad = sh(path.join(dir, 'threads_SEED'), ['1', '1024']);
  assert.ok(!bad.ok);
  assert.match(bad.err, /^runtime: failed to create new OS thread/);
});
