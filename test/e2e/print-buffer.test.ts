// The runtime's buffered standard output (runtime/common/runtime_*.s): fd 1
// goes through a 4096-byte buffer, written out when it would overflow (a
// string larger than the buffer is written directly), in runtime·printflush,
// in runtime·exit and — only when fd 1 is a terminal — at each newline, as C's
// stdio does; fd 2 is written immediately and does not flush fd 1. Checked on
// linux/amd64 (native), linux/386 (natively or under qemu-i386) and
// linux/arm64 (natively or under qemu-aarch64), for both runtime variants
// (libc and raw), with stdout a pipe and, through script(1), a terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which } from '../helpers.js';
import { checkThreads, linuxPrefix, runWith, type LinuxArch } from './threads-check.js';

const dir = tempDir('asmlink-printbuf-');
const threads = path.join(repoRoot, 'examples', 'threads.s');

type Arch = LinuxArch;
type Variant = 'libc' | 'raw';
const arches: Arch[] = ['amd64', '386', 'arm64'];
const variants: Variant[] = ['libc', 'raw'];

// partial: "partial" to stdout with no newline, "err\n" to stderr, then
// runtime·exit(3): the exit flushes stdout, and stderr went out first.
// many: 1000 lines "line I", then 500 nine-byte pieces with no newline (4500
// bytes: the buffer overflows once), a newline, printflush, and "end" with no
// newline before main returns.
// big: "head:", printflush, one 5000-byte string (4999 'x' and a newline),
// larger than the buffer, then "tail\n".
const programs = String.raw`#include "textflag.h"

DATA msg_partial<>+0(SB)/7, $"partial"
GLOBL msg_partial<>(SB), RODATA, $7
DATA msg_err<>+0(SB)/4, $"err\n"
GLOBL msg_err<>(SB), RODATA, $4
DATA msg_line<>+0(SB)/5, $"line "
GLOBL msg_line<>(SB), RODATA, $5
DATA msg_piece<>+0(SB)/9, $"abcdefghi"
GLOBL msg_piece<>(SB), RODATA, $9
DATA msg_end<>+0(SB)/3, $"end"
GLOBL msg_end<>(SB), RODATA, $3
DATA msg_head<>+0(SB)/5, $"head:"
GLOBL msg_head<>(SB), RODATA, $5
DATA msg_tail<>+0(SB)/5, $"tail\n"
GLOBL msg_tail<>(SB), RODATA, $5
GLOBL big<>(SB), NOPTR, $5000

// race: 4 workers, each printing its own 32-byte line 2000 times, each line in
// one printstring; main waits for all of them through notes.
#define WORKERS	4
#define LINES	2000
DATA msgs<>+0(SB)/8, $"worker 0"
DATA msgs<>+8(SB)/8, $" prints "
DATA msgs<>+16(SB)/8, $"one whol"
DATA msgs<>+24(SB)/8, $"e line!\n"
DATA msgs<>+32(SB)/8, $"worker 1"
DATA msgs<>+40(SB)/8, $" prints "
DATA msgs<>+48(SB)/8, $"one whol"
DATA msgs<>+56(SB)/8, $"e line!\n"
DATA msgs<>+64(SB)/8, $"worker 2"
DATA msgs<>+72(SB)/8, $" prints "
DATA msgs<>+80(SB)/8, $"one whol"
DATA msgs<>+88(SB)/8, $"e line!\n"
DATA msgs<>+96(SB)/8, $"worker 3"
DATA msgs<>+104(SB)/8, $" prints "
DATA msgs<>+112(SB)/8, $"one whol"
DATA msgs<>+120(SB)/8, $"e line!\n"
GLOBL msgs<>(SB), RODATA, $128
GLOBL notes<>(SB), NOPTR, $32

#ifdef GOARCH_amd64
#ifdef PROG_partial
TEXT ·main(SB),NOSPLIT,$32-0
	LEAQ	msg_partial<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$7, 8(SP)
	CALL	runtime·printstring(SB)
	MOVQ	$2, 0(SP)
	LEAQ	msg_err<>(SB), AX
	MOVQ	AX, 8(SP)
	MOVQ	$4, 16(SP)
	CALL	runtime·printstring_fd(SB)
	MOVQ	$3, 0(SP)
	CALL	runtime·exit(SB)
	RET
#endif
#ifdef PROG_many
TEXT ·main(SB),NOSPLIT,$32-0
	MOVQ	$0, 24(SP)
line:
	CMPQ	24(SP), $1000
	JGE	pieces
	LEAQ	msg_line<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$5, 8(SP)
	CALL	runtime·printstring(SB)
	MOVQ	24(SP), AX
	MOVQ	AX, 0(SP)
	CALL	runtime·printint(SB)
	CALL	runtime·printnl(SB)
	INCQ	24(SP)
	JMP	line
pieces:
	MOVQ	$0, 24(SP)
piece:
	CMPQ	24(SP), $500
	JGE	finish
	LEAQ	msg_piece<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$9, 8(SP)
	CALL	runtime·printstring(SB)
	INCQ	24(SP)
	JMP	piece
finish:
	CALL	runtime·printnl(SB)
	CALL	runtime·printflush(SB)
	LEAQ	msg_end<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$3, 8(SP)
	CALL	runtime·printstring(SB)
	RET
#endif
#ifdef PROG_big
TEXT ·main(SB),NOSPLIT,$32-0
	LEAQ	big<>(SB), DI
	MOVQ	$4999, CX
fill:
	MOVB	$120, (DI)
	INCQ	DI
	DECQ	CX
	JNE	fill
	MOVB	$10, (DI)
	LEAQ	msg_head<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$5, 8(SP)
	CALL	runtime·printstring(SB)
	CALL	runtime·printflush(SB)
	LEAQ	big<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$5000, 8(SP)
	CALL	runtime·printstring(SB)
	LEAQ	msg_tail<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$5, 8(SP)
	CALL	runtime·printstring(SB)
	RET
#endif
#ifdef PROG_race
TEXT ·main(SB),NOSPLIT,$32-0
	MOVQ	$0, 24(SP)
spawn:
	CMPQ	24(SP), $WORKERS
	JGE	waitall
	CALL	runtime·newnote(SB)
	MOVQ	0(SP), AX
	MOVQ	24(SP), CX
	LEAQ	notes<>(SB), DX
	MOVQ	AX, (DX)(CX*8)
	LEAQ	·worker(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	CX, 8(SP)
	MOVQ	$65536, 16(SP)
	CALL	runtime·newthread(SB)
	INCQ	24(SP)
	JMP	spawn
waitall:
	MOVQ	$0, 24(SP)
wait:
	CMPQ	24(SP), $WORKERS
	JGE	finish
	MOVQ	24(SP), CX
	LEAQ	notes<>(SB), DX
	MOVQ	(DX)(CX*8), AX
	MOVQ	AX, 0(SP)
	CALL	runtime·notesleep(SB)
	INCQ	24(SP)
	JMP	wait
finish:
	RET

TEXT ·worker(SB),NOSPLIT,$32-8
	MOVQ	$0, 24(SP)
loop:
	CMPQ	24(SP), $LINES
	JGE	finish
	MOVQ	i+0(FP), AX
	SHLQ	$5, AX
	LEAQ	msgs<>(SB), CX
	ADDQ	CX, AX
	MOVQ	AX, 0(SP)
	MOVQ	$32, 8(SP)
	CALL	runtime·printstring(SB)
	INCQ	24(SP)
	JMP	loop
finish:
	MOVQ	i+0(FP), CX
	LEAQ	notes<>(SB), DX
	MOVQ	(DX)(CX*8), AX
	MOVQ	AX, 0(SP)
	CALL	runtime·notewakeup(SB)
	RET
#endif
#endif

#ifdef GOARCH_386
#ifdef PROG_partial
TEXT ·main(SB),NOSPLIT,$16-0
	LEAL	msg_partial<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$7, 4(SP)
	CALL	runtime·printstring(SB)
	MOVL	$2, 0(SP)
	LEAL	msg_err<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$4, 8(SP)
	CALL	runtime·printstring_fd(SB)
	MOVL	$3, 0(SP)
	CALL	runtime·exit(SB)
	RET
#endif
#ifdef PROG_many
TEXT ·main(SB),NOSPLIT,$16-0
	MOVL	$0, 12(SP)
line:
	CMPL	12(SP), $1000
	JGE	pieces
	LEAL	msg_line<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$5, 4(SP)
	CALL	runtime·printstring(SB)
	MOVL	12(SP), AX
	MOVL	AX, 0(SP)
	MOVL	$0, 4(SP)
	CALL	runtime·printint(SB)
	CALL	runtime·printnl(SB)
	INCL	12(SP)
	JMP	line
pieces:
	MOVL	$0, 12(SP)
piece:
	CMPL	12(SP), $500
	JGE	finish
	LEAL	msg_piece<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$9, 4(SP)
	CALL	runtime·printstring(SB)
	INCL	12(SP)
	JMP	piece
finish:
	CALL	runtime·printnl(SB)
	CALL	runtime·printflush(SB)
	LEAL	msg_end<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$3, 4(SP)
	CALL	runtime·printstring(SB)
	RET
#endif
#ifdef PROG_big
TEXT ·main(SB),NOSPLIT,$16-0
	LEAL	big<>(SB), DI
	MOVL	$4999, CX
fill:
	MOVB	$120, (DI)
	INCL	DI
	DECL	CX
	JNE	fill
	MOVB	$10, (DI)
	LEAL	msg_head<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$5, 4(SP)
	CALL	runtime·printstring(SB)
	CALL	runtime·printflush(SB)
	LEAL	big<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$5000, 4(SP)
	CALL	runtime·printstring(SB)
	LEAL	msg_tail<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$5, 4(SP)
	CALL	runtime·printstring(SB)
	RET
#endif
#ifdef PROG_race
TEXT ·main(SB),NOSPLIT,$16-0
	MOVL	$0, 12(SP)
spawn:
	CMPL	12(SP), $WORKERS
	JGE	waitall
	CALL	runtime·newnote(SB)
	MOVL	0(SP), AX
	MOVL	12(SP), CX
	LEAL	notes<>(SB), DX
	MOVL	AX, (DX)(CX*4)
	LEAL	·worker(SB), AX
	MOVL	AX, 0(SP)
	MOVL	CX, 4(SP)
	MOVL	$65536, 8(SP)
	CALL	runtime·newthread(SB)
	INCL	12(SP)
	JMP	spawn
waitall:
	MOVL	$0, 12(SP)
wait:
	CMPL	12(SP), $WORKERS
	JGE	finish
	MOVL	12(SP), CX
	LEAL	notes<>(SB), DX
	MOVL	(DX)(CX*4), AX
	MOVL	AX, 0(SP)
	CALL	runtime·notesleep(SB)
	INCL	12(SP)
	JMP	wait
finish:
	RET

TEXT ·worker(SB),NOSPLIT,$16-4
	MOVL	$0, 12(SP)
loop:
	CMPL	12(SP), $LINES
	JGE	finish
	MOVL	i+0(FP), AX
	SHLL	$5, AX
	LEAL	msgs<>(SB), CX
	ADDL	CX, AX
	MOVL	AX, 0(SP)
	MOVL	$32, 4(SP)
	CALL	runtime·printstring(SB)
	INCL	12(SP)
	JMP	loop
finish:
	MOVL	i+0(FP), CX
	LEAL	notes<>(SB), DX
	MOVL	(DX)(CX*4), AX
	MOVL	AX, 0(SP)
	CALL	runtime·notewakeup(SB)
	RET
#endif
#endif

#ifdef GOARCH_arm64
#ifdef PROG_partial
TEXT ·main(SB),NOSPLIT,$32-0
	MOVD	$msg_partial<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$7, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	MOVD	$2, R0
	MOVD	R0, 8(RSP)
	MOVD	$msg_err<>(SB), R0
	MOVD	R0, 16(RSP)
	MOVD	$4, R0
	MOVD	R0, 24(RSP)
	CALL	runtime·printstring_fd(SB)
	MOVD	$3, R0
	MOVD	R0, 8(RSP)
	CALL	runtime·exit(SB)
	RET
#endif
#ifdef PROG_many
TEXT ·main(SB),NOSPLIT,$32-0
	MOVD	ZR, 32(RSP)
line:
	MOVD	32(RSP), R1
	CMP	$1000, R1
	BGE	pieces
	MOVD	$msg_line<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$5, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	MOVD	32(RSP), R0
	MOVD	R0, 8(RSP)
	CALL	runtime·printint(SB)
	CALL	runtime·printnl(SB)
	MOVD	32(RSP), R1
	ADD	$1, R1
	MOVD	R1, 32(RSP)
	B	line
pieces:
	MOVD	ZR, 32(RSP)
piece:
	MOVD	32(RSP), R1
	CMP	$500, R1
	BGE	finish
	MOVD	$msg_piece<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$9, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	MOVD	32(RSP), R1
	ADD	$1, R1
	MOVD	R1, 32(RSP)
	B	piece
finish:
	CALL	runtime·printnl(SB)
	CALL	runtime·printflush(SB)
	MOVD	$msg_end<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$3, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	RET
#endif
#ifdef PROG_big
TEXT ·main(SB),NOSPLIT,$32-0
	MOVD	$big<>(SB), R1
	MOVD	$4999, R2
	MOVD	$120, R3
fill:
	MOVB	R3, (R1)
	ADD	$1, R1
	SUB	$1, R2
	CBNZ	R2, fill
	MOVD	$10, R3
	MOVB	R3, (R1)
	MOVD	$msg_head<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$5, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	CALL	runtime·printflush(SB)
	MOVD	$big<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$5000, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	MOVD	$msg_tail<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$5, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	RET
#endif
#ifdef PROG_race
TEXT ·main(SB),NOSPLIT,$32-0
	MOVD	ZR, 32(RSP)
spawn:
	MOVD	32(RSP), R1
	CMP	$WORKERS, R1
	BGE	waitall
	CALL	runtime·newnote(SB)
	MOVD	8(RSP), R2
	MOVD	32(RSP), R1
	MOVD	$notes<>(SB), R0
	ADD	R1<<3, R0, R0
	MOVD	R2, (R0)
	MOVD	$·worker(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	R1, 16(RSP)
	MOVD	$131072, R0
	MOVD	R0, 24(RSP)
	CALL	runtime·newthread(SB)
	MOVD	32(RSP), R1
	ADD	$1, R1
	MOVD	R1, 32(RSP)
	B	spawn
waitall:
	MOVD	ZR, 32(RSP)
wait:
	MOVD	32(RSP), R1
	CMP	$WORKERS, R1
	BGE	finish
	MOVD	$notes<>(SB), R0
	ADD	R1<<3, R0, R0
	MOVD	(R0), R2
	MOVD	R2, 8(RSP)
	CALL	runtime·notesleep(SB)
	MOVD	32(RSP), R1
	ADD	$1, R1
	MOVD	R1, 32(RSP)
	B	wait
finish:
	RET

TEXT ·worker(SB),NOSPLIT,$32-8
	MOVD	ZR, 32(RSP)
loop:
	MOVD	32(RSP), R1
	CMP	$LINES, R1
	BGE	finish
	MOVD	i+0(FP), R1
	MOVD	$msgs<>(SB), R0
	ADD	R1<<5, R0, R0
	MOVD	R0, 8(RSP)
	MOVD	$32, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	MOVD	32(RSP), R1
	ADD	$1, R1
	MOVD	R1, 32(RSP)
	B	loop
finish:
	MOVD	i+0(FP), R1
	MOVD	$notes<>(SB), R0
	ADD	R1<<3, R0, R0
	MOVD	(R0), R2
	MOVD	R2, 8(RSP)
	CALL	runtime·notewakeup(SB)
	RET
#endif
#endif
`;

type Prog = 'partial' | 'many' | 'big' | 'race';

const manyExpected =
  Array.from({ length: 1000 }, (_, i) => `line ${i}\n`).join('') + 'abcdefghi'.repeat(500) + '\nend';
const bigExpected = 'head:' + 'x'.repeat(4999) + '\ntail\n';

const built = new Map<string, string>();
function build(arch: Arch, variant: Variant, prog: Prog | 'threads'): string {
  const key = `${prog}-${arch}-${variant}`;
  const have = built.get(key);
  if (have) return have;
  let src = threads;
  if (prog !== 'threads') {
    src = path.join(dir, `${prog}.s`);
    fs.writeFileSync(src, `#define PROG_${prog}\n${programs}`);
  }
  const out = path.join(dir, key);
  const r = asmlink(['build', '--os', 'linux', '--arch', arch, '--threads', variant, '-o', out, src]);
  assert.equal(r.status, 0, `build ${key} failed: ${r.stderr}`);
  built.set(key, out);
  return out;
}

/** strace, or why it cannot trace here (missing, or ptrace refused). */
let straceMemo: string | { path: string } | undefined;
function strace(): string | { path: string } {
  if (straceMemo !== undefined) return straceMemo;
  const s = which('strace');
  if (!s) straceMemo = 'strace is not installed (Debian package strace): write counts not checked';
  else {
    const probe = run(s, ['-f', '-e', 'trace=write', '-o', '/dev/null', '/bin/true']);
    straceMemo = probe.status === 0 ? { path: s } : `strace cannot trace here: ${probe.stderr.trim()}`;
  }
  return straceMemo;
}

/** Runs the program under `strace -f -e trace=write`; returns its result and each write(fd, ..., n) as [fd, n]. */
function traceWrites(s: string, prefix: string[], exe: string, args: string[]): { r: ReturnType<typeof run>; writes: [number, number][] } {
  const log = path.join(dir, `strace-${path.basename(exe)}-${args.join('_')}.txt`);
  const r = run(s, ['-f', '-qq', '-e', 'trace=write', '-e', 'signal=none', '-o', log, ...prefix, exe, ...args]);
  const writes: [number, number][] = [];
  for (const line of fs.readFileSync(log, 'utf8').split('\n')) {
    const m = /write\((\d+),.*\)\s+=\s+(-?\d+)/.exec(line);
    if (m) writes.push([Number(m[1]), Number(m[2])]);
  }
  return { r, writes };
}

/** The number of write calls from a `strace -c` summary. */
function writeCalls(summary: string): number {
  const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?write\s*$/m.exec(summary);
  assert.ok(m, `no write line in the strace summary:\n${summary}`);
  return Number(m[1]);
}

/**
 * The write sizes the runtime's buffer makes for a sequence of printstring
 * calls (strings) and printflush calls (null), with the flush at exit: the
 * reference the traced writes are compared with.
 */
function bufferModel(ops: (string | null)[], terminal: boolean): number[] {
  const size = 4096;
  const writes: number[] = [];
  let len = 0;
  const flush = () => {
    if (len > 0) writes.push(len);
    len = 0;
  };
  for (const op of ops) {
    if (op === null) {
      flush();
      continue;
    }
    if (op.length === 0) continue;
    if (len + op.length > size) {
      flush();
      if (op.length > size) {
        writes.push(op.length);
        continue;
      }
    }
    len += op.length;
    if (terminal && op.endsWith('\n')) flush();
  }
  flush();
  return writes;
}

// The printstring calls of the "many" program: "line ", the number (one
// printstring_fd of its digits), the newline; then the pieces, a newline, a
// printflush, and "end".
const manyOps: (string | null)[] = [
  ...Array.from({ length: 1000 }, (_, i) => ['line ', String(i), '\n']).flat(),
  ...Array.from({ length: 500 }, () => 'abcdefghi'),
  '\n',
  null,
  'end',
];

/** script(1), which runs a command with a pseudo-terminal as its standard output, or why it cannot. */
let scriptMemo: string | { path: string } | undefined;
function script(): string | { path: string } {
  if (scriptMemo !== undefined) return scriptMemo;
  const s = which('script');
  if (!s) scriptMemo = 'script is not installed (Debian package bsdutils): the terminal case is not checked';
  else {
    const probe = run(s, ['-qec', 'test -t 1', '/dev/null']);
    scriptMemo = probe.status === 0 ? { path: s } : `script cannot open a pseudo-terminal here: ${probe.stderr.trim()}`;
  }
  return scriptMemo;
}

/** Quotes argv for the shell command script(1) runs. */
function shellQuote(argv: string[]): string {
  return argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
}

for (const arch of arches) {
  for (const variant of variants) {
    const name = `linux/${arch} --threads ${variant}`;

    test(`${name}: a partial line is flushed by runtime·exit; stderr is immediate`, (t) => {
      const p = linuxPrefix(arch);
      if (typeof p === 'string') return t.skip(p);
      const exe = build(arch, variant, 'partial');
      const r = runWith(p, exe, []);
      assert.equal(r.status, 3, r.stderr);
      assert.equal(r.stdout, 'partial');
      assert.equal(r.stderr, 'err\n');
      // Both on one pipe: stderr was written before the buffered stdout.
      const merged = run('/bin/sh', ['-c', 'exec "$@" 2>&1', 'sh', ...p, exe]);
      assert.equal(merged.status, 3);
      assert.equal(merged.stdout, 'err\npartial');
    });

    test(`${name}: many lines, an overflowing partial line, printflush, and a partial line at return`, (t) => {
      const p = linuxPrefix(arch);
      if (typeof p === 'string') return t.skip(p);
      const exe = build(arch, variant, 'many');
      const r = runWith(p, exe, []);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(Buffer.byteLength(r.stdout), manyExpected.length);
      assert.equal(r.stdout, manyExpected);
      const s = strace();
      if (typeof s === 'string') return t.skip(s);
      // A pipe: fully buffered, so only full buffers, the printflush and the exit write.
      const { r: tr, writes } = traceWrites(s.path, p, exe, []);
      assert.equal(tr.status, 0);
      const piped = bufferModel(manyOps, false);
      assert.ok(piped.length < 10, `the model gives ${piped.length} writes`);
      assert.deepEqual(writes.filter(([fd]) => fd === 1).map(([, n]) => n), piped);
    });

    test(`${name}: on a terminal, stdout is written at each newline`, (t) => {
      const p = linuxPrefix(arch);
      if (typeof p === 'string') return t.skip(p);
      const s = strace();
      if (typeof s === 'string') return t.skip(s);
      const sc = script();
      if (typeof sc === 'string') return t.skip(sc);
      const exe = build(arch, variant, 'many');
      const log = path.join(dir, `strace-tty-${arch}-${variant}.txt`);
      const cmd = shellQuote([s.path, '-f', '-qq', '-e', 'trace=write', '-e', 'signal=none', '-o', log, ...p, exe]);
      const r = run(sc.path, ['-qec', cmd, '/dev/null']);
      assert.equal(r.status, 0, r.stderr);
      // The terminal turns each newline into CR LF.
      assert.equal(r.stdout.replace(/\r\n/g, '\n'), manyExpected);
      const writes: number[] = [];
      for (const line of fs.readFileSync(log, 'utf8').split('\n')) {
        const m = /write\(1,.*\)\s+=\s+(-?\d+)/.exec(line);
        if (m) writes.push(Number(m[1]));
      }
      // One write per line (1000), the overflow flush of 455 pieces (4095
      // bytes), the rest of them with the newline, and "end" at exit.
      const expected = bufferModel(manyOps, true);
      assert.equal(expected.length, 1003);
      assert.deepEqual(expected.slice(-3), [4095, 406, 3]);
      assert.deepEqual(writes, expected);
    });

    test(`${name}: a string larger than the buffer is written directly, in order`, (t) => {
      const p = linuxPrefix(arch);
      if (typeof p === 'string') return t.skip(p);
      const exe = build(arch, variant, 'big');
      const r = runWith(p, exe, []);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, bigExpected);
      const s = strace();
      if (typeof s === 'string') return t.diagnostic(s);
      const { r: tr, writes } = traceWrites(s.path, p, exe, []);
      assert.equal(tr.status, 0);
      assert.deepEqual(writes.filter(([fd]) => fd === 1), [[1, 5], [1, 5000], [1, 5]]);
    });

    test(`${name}: threads printing at once never mix bytes within a line`, (t) => {
      const p = linuxPrefix(arch);
      if (typeof p === 'string') return t.skip(p);
      const r = runWith(p, build(arch, variant, 'race'), []);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.length, 4 * 2000 * 32);
      const counts = [0, 0, 0, 0];
      for (const line of r.stdout.slice(0, -1).split('\n')) {
        const m = /^worker (\d) prints one whole line!$/.exec(line);
        assert.ok(m, `a mixed line: ${JSON.stringify(line)}`);
        counts[Number(m[1])]!++;
      }
      assert.deepEqual(counts, [2000, 2000, 2000, 2000]);
    });

    test(`${name}: threads with N = 50 writes its output in full buffers`, (t) => {
      const p = linuxPrefix(arch);
      if (typeof p === 'string') return t.skip(p);
      const exe = build(arch, variant, 'threads');
      const plain = runWith(p, exe, ['50']);
      assert.equal(plain.status, 0, plain.stderr);
      checkThreads(plain.stdout, 50);
      const s = strace();
      if (typeof s === 'string') return t.skip(s);
      const summary = path.join(dir, `strace-c-${arch}-${variant}.txt`);
      const r = run(s.path, ['-f', '-e', 'trace=write', '-c', '-o', summary, ...p, exe, '50']);
      assert.equal(r.status, 0, r.stderr);
      checkThreads(r.stdout, 50);
      const bytes = Buffer.byteLength(r.stdout);
      const calls = writeCalls(fs.readFileSync(summary, 'utf8'));
      t.diagnostic(`${calls} write calls for ${bytes} bytes in 51 lines`);
      // Every flush but the last happens when the next piece (under 32 bytes) would not fit.
      assert.ok(calls <= Math.ceil(bytes / (4096 - 32)), `${calls} write calls for ${bytes} bytes`);
    });
  }
}
