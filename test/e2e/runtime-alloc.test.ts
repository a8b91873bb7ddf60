// runtime·sysAlloc on linux, every architecture, both runtime variants: a
// request for 0 bytes gets usable memory (mmap itself refuses a length of 0,
// which once made `threads 0` report a failed thread creation), and a request
// the system cannot meet ends the program with "runtime: out of memory" and
// status 1, after what it had printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { asmlink, tempDir, writeTemp } from '../helpers.js';
import { linuxPrefix, runWith, type LinuxArch } from './threads-check.js';

const dir = tempDir('asmlink-alloc-');

// sysAlloc(0), a store into what it returned, "zero ok\n", then sysAlloc(HUGE),
// more than the address space has room for.
const SOURCE = `#include "textflag.h"

DATA msg<>+0(SB)/8, $"zero ok\\n"
GLOBL msg<>(SB), RODATA, $8

#ifdef GOARCH_amd64
TEXT ·main(SB),NOSPLIT,$24-0
	MOVQ	$0, 0(SP)
	CALL	runtime·sysAlloc(SB)
	MOVQ	8(SP), AX
	MOVB	$1, (AX)
	LEAQ	msg<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$8, 8(SP)
	CALL	runtime·printstring(SB)
	MOVQ	$0x4000000000000000, AX
	MOVQ	AX, 0(SP)
	CALL	runtime·sysAlloc(SB)
	RET
#endif
#ifdef GOARCH_386
TEXT ·main(SB),NOSPLIT,$12-0
	MOVL	$0, 0(SP)
	CALL	runtime·sysAlloc(SB)
	MOVL	4(SP), AX
	MOVB	$1, (AX)
	LEAL	msg<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$8, 4(SP)
	CALL	runtime·printstring(SB)
	MOVL	$0xfffff000, 0(SP)
	CALL	runtime·sysAlloc(SB)
	RET
#endif
#ifdef GOARCH_arm64
TEXT ·main(SB),NOSPLIT,$24-0
	MOVD	ZR, 8(RSP)
	CALL	runtime·sysAlloc(SB)
	MOVD	16(RSP), R0
	MOVD	$1, R1
	MOVB	R1, (R0)
	MOVD	$msg<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$8, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	MOVD	$0x4000000000000000, R0
	MOVD	R0, 8(RSP)
	CALL	runtime·sysAlloc(SB)
	RET
#endif
`;

for (const arch of ['amd64', '386', 'arm64'] as LinuxArch[]) {
  for (const variant of ['libc', 'raw'] as const) {
    test(`linux/${arch} (${variant} runtime): sysAlloc of 0 bytes works; one the system cannot meet says out of memory`, (t) => {
      const p = linuxPrefix(arch);
      if (typeof p === 'string') return t.skip(p);
      const src = writeTemp(dir, 'alloc.s', SOURCE);
      const exe = path.join(dir, `alloc-${arch}-${variant}`);
      const b = asmlink(['build', '--os', 'linux', '--arch', arch, ...(variant === 'raw' ? ['--threads', 'raw'] : []), '-o', exe, src]);
      assert.equal(b.status, 0, b.stderr);
      const r = runWith(p, exe, []);
      assert.equal(r.stdout, 'zero ok\n');
      assert.equal(r.stderr, 'runtime: out of memory (errno 12)\n');
      assert.equal(r.status, 1);
    });
  }
}
