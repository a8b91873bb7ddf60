// Position-independent executables (--pie, linux amd64 and arm64): ET_DYN at
// 0 with DF_1_PIE; every pointer in data a RELATIVE relocation the loader
// slides, read-only data that holds pointers moved to .data.rel.ro inside
// RELRO, and GOT slots of the program's own symbols slid too. Checked by
// running programs that reach data through each kind of pointer, internal
// and external link, and by reading the files with readelf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticError, link } from '../../src/index.js';
import { asmlink, repoRoot, run, tempDir, which } from '../helpers.js';
import { checkThreadCounts, linuxPrefix, runWith } from '../e2e/threads-check.js';
import { libcProgram } from './programs.js';

const dir = tempDir();
const threads = path.join(repoRoot, 'examples', 'threads.s');

/** A string, and pointers to it and to a function in read-only data and in data. */
const DATA = `#include "textflag.h"
GLOBL msg<>(SB), RODATA, $6
DATA msg<>+0(SB)/6, $"slide\\n"
GLOBL table<>(SB), RODATA, $16
DATA table<>+0(SB)/8, $msg<>(SB)
DATA table<>+8(SB)/8, $·hello(SB)
GLOBL ptr<>(SB), NOPTR, $8
DATA ptr<>+0(SB)/8, $msg<>(SB)
`;

/**
 * Prints "slide" four times — through a pointer in read-only data, a
 * function pointer called there, a pointer in data, a GOT load — then its
 * own address. amd64's GOT load is an ADDQ, which keeps its slot (a MOVQ
 * would be relaxed to a LEAQ: got-relax.test.ts); arm64's ADRP + LDR of the
 * slot is relaxed, and has none.
 */
const PROGRAMS = {
  amd64: `${DATA}
TEXT ·hello(SB),NOSPLIT,$16-0
	LEAQ	msg<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$6, 8(SP)
	CALL	runtime·printstring(SB)
	RET

TEXT ·main(SB),NOSPLIT,$24-0
	MOVQ	table<>+0(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$6, 8(SP)
	CALL	runtime·printstring(SB)
	MOVQ	table<>+8(SB), AX
	CALL	AX
	MOVQ	ptr<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$6, 8(SP)
	CALL	runtime·printstring(SB)
	XORL	AX, AX
	ADDQ	msg<>@GOT(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$6, 8(SP)
	CALL	runtime·printstring(SB)
	LEAQ	·main(SB), AX
	MOVQ	AX, 0(SP)
	CALL	runtime·printint(SB)
	CALL	runtime·printnl(SB)
	RET
`,
  arm64: `${DATA}
TEXT ·hello(SB),NOSPLIT,$24-0
	MOVD	$msg<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$6, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	RET

TEXT ·main(SB),NOSPLIT,$24-0
	MOVD	$table<>(SB), R1
	MOVD	0(R1), R0
	MOVD	R0, 8(RSP)
	MOVD	$6, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	MOVD	$table<>(SB), R1
	MOVD	8(R1), R0
	CALL	(R0)
	MOVD	ptr<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$6, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	MOVD	msg<>@GOT(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$6, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	MOVD	$·main(SB), R0
	MOVD	R0, 8(RSP)
	CALL	runtime·printint(SB)
	CALL	runtime·printnl(SB)
	RET
`,
};

interface ElfFacts {
  type: string;
  flags1: string;
  relative: number;
  dataRelRo: boolean;
  /** .data.rel.ro lies inside PT_GNU_RELRO. */
  dataRelRoInRelro: boolean;
}

function elfFacts(exe: string): ElfFacts {
  const r = run('readelf', ['-hlSdrW', exe]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'readelf prints no warnings');
  const sec = /\] \.data\.rel\.ro\s+PROGBITS\s+([0-9a-f]+) [0-9a-f]+ ([0-9a-f]+)/.exec(r.stdout);
  const relro = /GNU_RELRO\s+0x[0-9a-f]+ 0x([0-9a-f]+) 0x[0-9a-f]+ 0x[0-9a-f]+ 0x([0-9a-f]+)/.exec(r.stdout);
  const inRelro = !!sec && !!relro && parseInt(sec[1]!, 16) >= parseInt(relro[1]!, 16) && parseInt(sec[1]!, 16) + parseInt(sec[2]!, 16) <= parseInt(relro[1]!, 16) + parseInt(relro[2]!, 16);
  return {
    type: /Type:\s+(\w+)/.exec(r.stdout)?.[1] ?? '',
    flags1: /\(FLAGS_1\)\s+Flags: (.*)/.exec(r.stdout)?.[1]?.trim() ?? '',
    relative: [...r.stdout.matchAll(/R_(X86_64|AARCH64)_RELATIV/g)].length,
    dataRelRo: !!sec,
    dataRelRoInRelro: inRelro,
  };
}

for (const arch of ['amd64', 'arm64'] as const) {
  test(`linux/${arch} --pie: pointers in data, read-only data and the GOT are slid; internal and external link run`, (t) => {
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
    const src = path.join(dir, `pie-${arch}.s`);
    fs.writeFileSync(src, PROGRAMS[arch]);
    const exe = path.join(dir, `pie-${arch}`);
    const b = asmlink(['build', '--arch', arch, '--pie', '-o', exe, src]);
    assert.equal(b.status, 0, b.stderr);
    const f = elfFacts(exe);
    assert.equal(f.type, 'DYN');
    assert.equal(f.flags1, 'NOW PIE');
    assert.equal(f.relative, arch === 'amd64' ? 4 : 3, 'table (2), ptr, and on amd64 the GOT slot of msg');
    assert.ok(f.dataRelRo && f.dataRelRoInRelro, 'read-only data with pointers is in .data.rel.ro, inside RELRO');
    const r = runWith(prefix, exe, []);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^(slide\n){4}\d+\n$/);
    // The same program without --pie: ET_EXEC, nothing to slide.
    const fixed = path.join(dir, `nopie-${arch}`);
    assert.equal(asmlink(['build', '--arch', arch, '-o', fixed, src]).status, 0);
    assert.deepEqual([elfFacts(fixed).type, elfFacts(fixed).relative, elfFacts(fixed).dataRelRo], ['EXEC', 0, false]);
    assert.equal(runWith(prefix, fixed, []).stdout.split('\n').slice(0, 4).join('\n'), 'slide\nslide\nslide\nslide');
    for (const mode of ['internal', 'external']) {
      const th = path.join(dir, `threads-pie-${arch}-${mode}`);
      const tb = asmlink(['build', '--arch', arch, '--pie', '--linkmode', mode, '-o', th, threads]);
      assert.equal(tb.status, 0, tb.stderr);
      assert.equal(elfFacts(th).type, 'DYN', mode);
      checkThreadCounts(prefix, th, [8]);
    }
    const ext = path.join(dir, `pie-${arch}-external`);
    const eb = asmlink(['build', '--arch', arch, '--pie', '--linkmode', 'external', '-o', ext, src]);
    assert.equal(eb.status, 0, eb.stderr);
    assert.match(runWith(prefix, ext, []).stdout, /^(slide\n){4}\d+\n$/);
  });
}

test('linux/amd64 --pie: the program lands at a different address each run (ASLR)', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  const aslr = fs.existsSync('/proc/sys/kernel/randomize_va_space') ? fs.readFileSync('/proc/sys/kernel/randomize_va_space', 'utf8').trim() : '0';
  if (aslr === '0') return t.skip('address space randomisation is off on this machine (/proc/sys/kernel/randomize_va_space is 0)');
  const src = path.join(dir, 'pie-aslr.s');
  fs.writeFileSync(src, PROGRAMS.amd64);
  const exe = path.join(dir, 'pie-aslr');
  assert.equal(asmlink(['build', '--pie', '-o', exe, src]).status, 0);
  const addresses = new Set([0, 1, 2, 3].map(() => run(exe, []).stdout.split('\n')[4]));
  assert.ok(addresses.size > 1, `main.main at ${[...addresses].join(', ')} in four runs`);
});

test('--pie: what cannot be position-independent is refused, with the place', () => {
  const hello = path.join(repoRoot, 'examples', 'hello.s');
  const x = path.join(dir, 'x');
  const i386 = asmlink(['build', '--arch', '386', '--pie', '-o', x, hello]);
  assert.equal(i386.status, 1);
  assert.match(i386.stderr, /--pie: position-independent executables are made for amd64 and arm64; 386 code reaches data by absolute address/);
  const raw = asmlink(['build', '--threads', 'raw', '--pie', '-o', x, hello]);
  assert.equal(raw.status, 1);
  assert.match(raw.stderr, /which nothing would relocate \(a static PIE relocates itself with the C library's start-up: --static --pie/);
  const narrow = path.join(dir, 'narrow.s');
  fs.writeFileSync(narrow, '#include "textflag.h"\nGLOBL p<>(SB), NOPTR, $4\nDATA p<>+0(SB)/4, $·main(SB)\nTEXT ·main(SB),NOSPLIT,$0\n\tMOVL p<>(SB), AX\n\tRET\n');
  const n = asmlink(['build', '--pie', '-o', x, narrow]);
  assert.equal(n.status, 1);
  assert.match(n.stderr, /narrow\.s:3:\d+: p<>\+0x0: a 4-byte absolute address of main\.main cannot be relocated in a position-independent executable \(pointers are 8 bytes\)/);
  assert.ok(!fs.existsSync(x), 'no output');
  // An absolute address in code (a hand-made object: the amd64 assembler writes such moves pc-relative).
  assert.throws(
    () => link([libcProgram()], { target: { os: 'linux', arch: 'amd64' }, linkmode: 'internal', entry: '_rt0_amd64_linux', format: { pie: true } }),
    (e: unknown) => e instanceof DiagnosticError && /_rt0_amd64_linux\+0x43: absolute address of exitptr in code, which a position-independent executable cannot relocate \(take the address pc-relatively/.test(e.message),
  );
});

test('--pie with a C object compiled -fno-pic: refused, saying to compile it with -fPIE, with its names as C spells them', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const c = path.join(dir, 'nopic.c');
  fs.writeFileSync(c, 'static int counter;\nint *cmain_counter(void) { return &counter; }\n');
  const o = path.join(dir, 'nopic.o');
  assert.equal(run('cc', ['-O2', '-fno-pic', '-c', '-o', o, c]).status, 0);
  const main = path.join(dir, 'nopic-main.s');
  fs.writeFileSync(main, '#include "textflag.h"\nTEXT ·main(SB),NOSPLIT,$0-0\n\tCALL\tcmain_counter(SB)\n\tRET\n');
  const x = path.join(dir, 'nopic');
  const r = asmlink(['build', '--pie', '-o', x, main, o]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /nopic\.o: cmain_counter\+0x1: absolute address of counter in code, which a position-independent executable cannot relocate \(compile it with -fPIE or -fPIC\)/);
  assert.ok(!fs.existsSync(x), 'no output');
  assert.equal(asmlink(['build', '-o', x, main, o]).status, 0, 'it links as a fixed-address executable');
});
