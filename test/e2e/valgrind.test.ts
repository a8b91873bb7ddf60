// Valgrind on the runtime's threads (linux/amd64): memcheck finds no invalid
// access, and helgrind and drd, which follow pthread mutexes and condition
// variables, find no data race in examples/threads: the notes order every
// thread's writes before the main thread's reads. A control shows the race
// checkers see through the runtime: the same two increments of a word, once
// ordered by a note and once not, are clean and a race (named by the
// executable's symbol table) respectively.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which, writeTemp } from '../helpers.js';

const threads = path.join(repoRoot, 'examples', 'threads.s');

/** Two threads increment `counter<>`; with RACE defined the main thread's increment is not ordered after the other's. */
const RACE_SOURCE = `#include "textflag.h"

GLOBL counter<>(SB), NOPTR, $8

TEXT ·racer(SB), $8-8
	INCQ	counter<>(SB)
	MOVQ	n+0(FP), AX
	MOVQ	AX, 0(SP)
	CALL	runtime·notewakeup(SB)
	RET

TEXT ·main(SB), $32-0
	CALL	runtime·newnote(SB)
	MOVQ	0(SP), AX
	MOVQ	AX, 24(SP)
	LEAQ	·racer(SB), CX
	MOVQ	CX, 0(SP)
	MOVQ	AX, 8(SP)
	MOVQ	$65536, 16(SP)
	CALL	runtime·newthread(SB)
#ifdef RACE
	INCQ	counter<>(SB)
#endif
	MOVQ	24(SP), AX
	MOVQ	AX, 0(SP)
	CALL	runtime·notesleep(SB)
#ifndef RACE
	INCQ	counter<>(SB)
#endif
	RET
`;

function skipWhy(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'runs linux/amd64 executables: needs a linux/amd64 host';
  if (!which('valgrind')) return 'needs valgrind (Debian package valgrind)';
  return undefined;
}

function valgrind(tool: string, exe: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  return run('valgrind', [`--tool=${tool}`, '--error-exitcode=9', '-q', exe, ...args]);
}

test('valgrind: memcheck, helgrind and drd find nothing wrong in examples/threads', (t) => {
  const why = skipWhy();
  if (why) return t.skip(why);
  // The libc runtime only. The raw one starts each clone at the very top of
  // its mapping, which memcheck reports as a thread starting with SP
  // unmapped ("!?"), and helgrind and drd cannot follow its futexes.
  const exe = path.join(tempDir(), 'threads');
  const b = asmlink(['build', '--os', 'linux', '--arch', 'amd64', '-o', exe, threads]);
  assert.equal(b.status, 0, b.stderr);
  for (const tool of ['memcheck', 'helgrind', 'drd']) {
    const r = valgrind(tool, exe, ['8']);
    assert.equal(r.stderr, '', tool);
    assert.equal(r.status, 0, tool);
    assert.match(r.stdout, /^total=31999996000000$/m, tool);
  }
});

test('valgrind: helgrind sees the runtime\'s notes order two threads\' writes, and reports them racing without the note', (t) => {
  const why = skipWhy();
  if (why) return t.skip(why);
  const dir = tempDir();
  const src = writeTemp(dir, 'race.s', RACE_SOURCE);
  for (const race of [false, true]) {
    const exe = path.join(dir, race ? 'race' : 'ordered');
    const b = asmlink(['build', '--os', 'linux', '--arch', 'amd64', ...(race ? ['-D', 'RACE'] : []), '-o', exe, src]);
    assert.equal(b.status, 0, b.stderr);
    const r = valgrind('helgrind', exe, []);
    if (race) {
      assert.equal(r.status, 9, r.stderr);
      assert.match(r.stderr, /Possible data race during (read|write) of size 8 .* by thread #\d+/);
      assert.match(r.stderr, /inside data symbol "counter<>"/);
    } else {
      assert.equal(r.stderr, '');
      assert.equal(r.status, 0);
    }
  }
});
