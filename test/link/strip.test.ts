// -s: no symbol table and no debugging information, as strip(1) leaves an
// executable (Go's -s). The ELF outputs lose .symtab and .strtab and stay
// within a few bytes of what strip(1) makes of the full ones; the Mach-O ones
// keep only __mh_execute_header and the imports dyld binds. All still run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which } from '../helpers.js';
import { checkThreadCounts, linuxPrefix } from '../e2e/threads-check.js';

const dir = tempDir();
const threads = path.join(repoRoot, 'examples', 'threads.s');
const hello = path.join(repoRoot, 'examples', 'hello.s');

function sectionNames(exe: string): string[] {
  const r = run('readelf', ['-SW', exe]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'readelf prints no warnings');
  return [...r.stdout.matchAll(/^\s*\[\s*\d+\] (\S+)/gm)].map((m) => m[1]!);
}

for (const arch of ['amd64', '386', 'arm64'] as const) {
  test(`linux/${arch} -s: no symbol table, the size strip(1) gives, and the program runs`, (t) => {
    // arm64 ELF needs the cross binutils' strip (or llvm-strip).
    const stripTool = arch === 'arm64' ? ['aarch64-linux-gnu-strip', 'llvm-strip'].find((s) => which(s)) : 'strip';
    if (!which('readelf') || !stripTool) return t.skip(`needs readelf and ${arch === 'arm64' ? 'aarch64-linux-gnu-strip (Debian package binutils-aarch64-linux-gnu)' : 'strip'} (binutils)`);
    const full = path.join(dir, `full-${arch}`);
    const stripped = path.join(dir, `s-${arch}`);
    assert.equal(asmlink(['build', '--arch', arch, '-o', full, threads]).status, 0);
    assert.equal(asmlink(['build', '--arch', arch, '-s', '-o', stripped, threads]).status, 0);
    const names = sectionNames(stripped);
    assert.ok(!names.includes('.symtab') && !names.includes('.strtab'), names.join(' '));
    assert.deepEqual(names, sectionNames(full).filter((n) => n !== '.symtab' && n !== '.strtab'));
    // binutils' strip of the full executable: the same sections, within a few bytes (.shstrtab's packing).
    const byStrip = path.join(dir, `strip-${arch}`);
    const st = run(stripTool, ['-o', byStrip, full]);
    assert.equal(st.status, 0, st.stderr);
    const size = fs.statSync(stripped).size;
    assert.ok(Math.abs(size - fs.statSync(byStrip).size) <= 16, `${size} bytes against strip's ${fs.statSync(byStrip).size}`);
    if (which('eu-elflint')) assert.equal(run('eu-elflint', ['--gnu-ld', stripped]).stdout.trim(), 'No errors');
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(`${prefix} (the run)`);
    checkThreadCounts(prefix, stripped, [4]);
  });
}

test('-s in external mode, and -s with -g refused', (t) => {
  if (!which('readelf') || !which('cc')) return t.skip('needs readelf and cc (Debian packages binutils, gcc)');
  const exe = path.join(dir, 'external');
  const b = asmlink(['build', '--linkmode', 'external', '-s', '-o', exe, hello]);
  assert.equal(b.status, 0, b.stderr);
  assert.ok(!sectionNames(exe).includes('.symtab'));
  assert.equal(run(exe, []).stdout, 'hello, world\n');
  const g = asmlink(['build', '-s', '-g', '-o', path.join(dir, 'x'), hello]);
  assert.equal(g.status, 1);
  assert.match(g.stderr, /-s writes no debugging information, and -g asks for it/);
  assert.ok(!fs.existsSync(path.join(dir, 'x')));
});

test('darwin -s: only __mh_execute_header and the imports stay, and the program runs under macho-run', (t) => {
  if (!which('llvm-objdump')) return t.skip('needs llvm-objdump (Debian package llvm)');
  for (const arch of ['amd64', 'arm64']) {
    const exe = path.join(dir, `hello-darwin-${arch}`);
    assert.equal(asmlink(['build', '--os', 'darwin', '--arch', arch, '-s', '-o', exe, hello]).status, 0);
    const d = run('llvm-objdump', ['--macho', '--syms', exe]);
    assert.equal(d.stderr, '');
    const defined = [...d.stdout.matchAll(/^[0-9a-f]{16} .* (\S+)$/gm)].filter((m) => !m[0].includes('*UND*')).map((m) => m[1]);
    assert.deepEqual(defined, ['__mh_execute_header'], arch);
    assert.match(d.stdout, /\*UND\* _write$/m);
    const machoRun = path.join(repoRoot, '..', 'shared', 'tools', 'macho-run', 'macho-run');
    const python = ['python3', '/usr/bin/python3'].find((p) => run(p, ['-c', 'import unicorn']).status === 0);
    if (!fs.existsSync(machoRun) || !python) return t.skip('needs macho-run (../shared/tools/macho-run) and python3-unicorn (the run)');
    const r = run(python, [machoRun, exe]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'hello, world\n');
  }
});
