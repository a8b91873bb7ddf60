// `--static --pie`: a static position-independent executable, as cc
// -static-pie links one. The C library is linked in from its libc.a
// (glibc's or musl's), the entry is its rcrt1.o's _start, and the program
// has no interpreter and names no library, but has a dynamic section:
// before anything else runs, the C library's start-up (glibc's
// _dl_relocate_static_pie, musl's _dlstart_c) finds it through _DYNAMIC and
// applies its RELATIVE relocations (and glibc's indirect functions'
// IRELATIVE ones) at the address the kernel chose. amd64 and arm64 (386
// makes no PIEs); internal and external link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which, writeTemp } from '../helpers.js';
import { checkStackTooSmall, checkThreadCounts, linuxPrefix, runWith } from './threads-check.js';
import { buildCProgram, C_WANT, staticArchives } from './static-inputs.js';

const dir = tempDir('asmlink-static-pie-');
const threads = path.join(repoRoot, 'examples', 'threads.s');

/** What readelf says of a static PIE: ET_DYN, no interpreter and no library, a dynamic section flagged PIE, relocations to apply. */
function assertStaticPie(exe: string): void {
  const r = run('readelf', ['-hldrW', exe]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'readelf prints no warnings');
  assert.match(r.stdout, /Type:\s+DYN /);
  assert.doesNotMatch(r.stdout, /INTERP|\(NEEDED\)|Requesting program interpreter/, 'no interpreter, no library');
  assert.match(r.stdout, /^ +DYNAMIC /m, 'a dynamic section the start-up reads');
  assert.match(r.stdout, /\(FLAGS_1\)\s+Flags: (NOW )?PIE/, 'flagged PIE (GNU ld\'s without NOW)');
  assert.match(r.stdout, /R_(X86_64|AARCH64)_RELATIV/, 'RELATIVE relocations');
  assert.match(r.stdout, /^ +TLS /m);
  assert.match(r.stdout, /^ +GNU_RELRO /m);
}

/** Prints the address of its main.main. */
const WHERE = `#include "textflag.h"
TEXT ·main(SB),NOSPLIT,$8-0
	LEAQ	·main(SB), AX
	MOVQ	AX, 0(SP)
	CALL	runtime·printint(SB)
	CALL	runtime·printnl(SB)
	RET
`;

for (const libc of ['glibc', 'musl'] as const)
for (const arch of ['amd64', 'arm64'] as const) {
  test(`linux/${arch} --static --pie --libc ${libc}: the threads example and a C program relocate themselves and run`, (t) => {
    if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const dirs = staticArchives(arch, libc);
    if (typeof dirs === 'string') return t.skip(dirs);
    const flags = ['--arch', arch, '--static', '--pie', '--libc', libc, ...dirs.flatMap((d) => ['-L', d])];
    const name = `${libc}-${arch}`;

    const exe = path.join(dir, `threads-${name}`);
    const b = asmlink(['build', ...flags, '-o', exe, threads]);
    assert.equal(b.status, 0, b.stderr);
    assertStaticPie(exe);
    checkThreadCounts(prefix, exe, [1, 8]);
    checkStackTooSmall(prefix, exe);
    const again = path.join(dir, `threads-${name}-again`);
    assert.equal(asmlink(['build', ...flags, '-o', again, threads]).status, 0);
    assert.ok(fs.readFileSync(exe).equals(fs.readFileSync(again)), 'deterministic');

    const c = buildCProgram(dir, arch, name, ['-fPIE'], flags);
    if (typeof c !== 'string') return t.diagnostic(`C program not built: ${c.skip}`);
    assertStaticPie(c);
    const r = runWith(prefix, c, []);
    assert.equal(r.stdout, C_WANT, r.stderr);
    assert.equal(r.status, 3);
  });
}

test('linux/amd64 --static --pie: the program lands at a different address each run; cc -static-pie links the external object alike', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  const dirs = staticArchives('amd64', 'glibc');
  if (typeof dirs === 'string') return t.skip(dirs);
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const src = writeTemp(dir, 'where.s', WHERE);
  const aslr = fs.existsSync('/proc/sys/kernel/randomize_va_space') ? fs.readFileSync('/proc/sys/kernel/randomize_va_space', 'utf8').trim() : '0';
  for (const mode of ['internal', 'external']) {
    const exe = path.join(dir, `where-${mode}`);
    const b = asmlink(['build', '--static', '--pie', '--linkmode', mode, '-o', exe, src]);
    assert.equal(b.status, 0, `${mode}: ${b.stderr}`);
    assertStaticPie(exe);
    const addresses = new Set([0, 1, 2, 3].map(() => run(exe, []).stdout));
    for (const a of addresses) assert.match(a, /^\d+\n$/, mode);
    if (aslr !== '0') assert.ok(addresses.size > 1, `${mode}: main.main at ${[...addresses].join(', ')} in four runs`);
  }
  if (aslr === '0') t.diagnostic('address space randomisation is off on this machine: the addresses were not compared');
  const th = path.join(dir, 'threads-external');
  assert.equal(asmlink(['build', '--static', '--pie', '--linkmode', 'external', '-o', th, threads]).status, 0);
  checkThreadCounts([], th, [8]);
});

test('--static --pie: what cannot be a static PIE is refused, saying why', () => {
  const out = path.join(dir, 'refused');
  const i386 = asmlink(['build', '--arch', '386', '--static', '--pie', '-o', out, threads]);
  assert.equal(i386.status, 1);
  assert.match(i386.stderr, /--pie: position-independent executables are made for amd64 and arm64/);
  const raw = asmlink(['build', '--threads', 'raw', '--pie', '-o', out, threads]);
  assert.equal(raw.status, 1);
  assert.match(raw.stderr, /the raw runtime makes a static executable, which nothing would relocate/);
  // glibc's start-up of a static PIE with a DT_RUNPATH crashes (GNU ld's too): a static program names no library path.
  const rpath = asmlink(['build', '--static', '--pie', '--rpath', '/opt/lib', '-o', out, threads]);
  assert.equal(rpath.status, 1);
  assert.match(rpath.stderr, /--rpath: a static executable \(--static\) has no loader to look for libraries/);
  const interp = asmlink(['build', '--static', '--pie', '--interp', '/lib/ld.so', '-o', out, threads]);
  assert.equal(interp.status, 1);
  assert.match(interp.stderr, /--interp: a static executable \(--static\) has no program interpreter/);
  // A program of its own start-up that imports nothing has nothing to relocate it either.
  const bare = writeTemp(dir, 'bare.s', '#include "textflag.h"\nTEXT start(SB),NOSPLIT,$0-0\n\tRET\n');
  const alone = asmlink(['build', '--arch', 'amd64', '--no-runtime', '--entry', 'start', '--pie', '-o', out, bare]);
  assert.equal(alone.status, 1);
  assert.match(alone.stderr, /a position-independent executable needs the dynamic loader to relocate it, or the C library linked in \(--static\)/);
  assert.ok(!fs.existsSync(out), 'no output');
});
