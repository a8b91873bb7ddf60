// Builds the two programs the end-to-end test compares: a Go-style assembly
// program that makes a list of C calls through generated trampolines, and a C
// program that makes the same calls directly. Both write the same binary
// record to stdout: the output of the `write` call, then two 8-byte words per
// call (result widened to 64 bits, errno), then the buffers the calls filled.

import type { Binding, Slot } from '../../src/gen/index.js';
import type { ArchName } from '../../src/target.js';

export type Buf = 'copy' | 'fmt' | 'arr' | 'cbuf';
/** An immediate; a string's address; a buffer's address (plus off); a callback stub's address; an earlier result; the word stored at a buffer (plus off). */
export type Arg = bigint | { str: string } | { buf: Buf; off?: number } | { cb: string } | { res: number } | { word: Buf; off?: number } | { f64: number } | { f32: number };

/** The bits of a floating-point immediate, as the integer an assembly program stores. */
function floatBits(a: { f64: number } | { f32: number }): bigint {
  if ('f64' in a) return new BigUint64Array(new Float64Array([a.f64]).buffer)[0]!;
  return BigInt(new Uint32Array(new Float32Array([a.f32]).buffer)[0]!);
}

export type Check = 'same' | 'pid' | 'mmap' | 'nonneg' | 'none' | 'errno';

export interface Call {
  fn: string;
  args: Arg[];
  check: Check;
}

export const ARR = [5, -3, 9, 0, 12, -8, 7, 1];
export const BUFS = { copy: 16, fmt: 64, arr: 32, cbuf: 80 } as const;

export const LIBC_CALLS: Call[] = [
  { fn: 'getpid', args: [], check: 'pid' },
  { fn: 'strlen', args: [{ str: 'hello, world' }], check: 'same' },
  { fn: 'memcpy', args: [{ buf: 'copy' }, { str: 'hello, world' }, 13n], check: 'none' },
  { fn: 'write', args: [1n, { str: 'hi\n' }, 3n], check: 'same' },
  { fn: 'abs', args: [-77n], check: 'same' },
  { fn: 'llabs', args: [-1234567890123n], check: 'same' },
  { fn: 'open', args: [{ str: '/proc/self/exe' }, 0n, 0n], check: 'nonneg' },
  { fn: 'lseek64', args: [{ res: 6 }, 0x200000005n, 0n], check: 'same' },
  { fn: 'mmap', args: [0n, 65536n, 3n, 0x22n, -1n, 0n], check: 'mmap' },
  { fn: 'munmap', args: [{ res: 8 }, 65536n], check: 'same' },
  { fn: 'open', args: [{ str: '/nonexistent-asmlink/x' }, 0n, 0n], check: 'errno' },
  { fn: 'snprintf', args: [{ buf: 'fmt' }, 64n, { str: '%d|%lld|%s|%c|%u' }, -42n, -1234567890123n, { str: 'str' }, 90n, 4000000000n], check: 'same' },
  { fn: 'qsort', args: [{ buf: 'arr' }, 8n, 4n, { cb: 'cmp' }], check: 'none' },
  { fn: 'strtod', args: [{ str: '2.5' }, 0n], check: 'same' },
  { fn: 'snprintf_d', args: [{ buf: 'copy' }, 16n, { str: '%g|%d|%g' }, { f64: 2.5 }, 7n, { f64: -0.125 }], check: 'same' },
];

export const LIB_CALLS: Call[] = [
  { fn: 'ret_schar', args: [], check: 'same' },
  { fn: 'ret_uchar', args: [], check: 'same' },
  { fn: 'ret_short', args: [], check: 'same' },
  { fn: 'ret_ushort', args: [], check: 'same' },
  { fn: 'ret_bool', args: [], check: 'same' },
  { fn: 'ret_int', args: [], check: 'same' },
  { fn: 'ret_uint', args: [], check: 'same' },
  { fn: 'sum9', args: [-5n, -300n, -70000n, -123456n, 200n, 60000n, 4000000000n, 0x10000000003n, -7n], check: 'same' },
  { fn: 'mix64', args: [-3n, 0x123456789n, 7n, -0x987654321n], check: 'same' },
  { fn: 'dmix', args: [-3n, { f64: 1.5 }, { f32: 0.25 }, -7n, { f64: 8.125 }], check: 'same' },
  { fn: 'fhalf', args: [{ f32: 3.5 }], check: 'same' },
  { fn: 'dsum10', args: [{ f64: 1.5 }, { f64: 2.5 }, { f64: -3 }, { f64: 4.25 }, { f64: 5 }, { f64: 6.5 }, { f64: -7.75 }, { f64: 8 }, { f64: 9.5 }, { f32: 0.75 }], check: 'same' },
  { fn: 'call_fcb', args: [{ cb: 'fcb' }], check: 'same' },
  { fn: 'call_cb9', args: [{ cb: 'cb9' }], check: 'same' },
];

/**
 * A Go-convention function for a callback binding that stores each of its
 * arguments, sign-extended to 8 bytes, at cbuf<>+8k, and returns 1000.
 */
export function storeArgsFunction(arch: ArchName, b: Binding): string {
  const L: string[] = [`TEXT ${b.callee}(SB),NOSPLIT,$0-${b.argsSize}`];
  const op = (s: string) => L.push('\t' + s);
  b.args.forEach((a, k) => {
    const src = `${a.name}+${a.off}(FP)`;
    if (arch === 'amd64') {
      op(`${a.size === 8 ? 'MOVQ' : a.size === 4 ? 'MOVLQSX' : a.size === 2 ? 'MOVWQSX' : 'MOVBQSX'} ${src}, AX`);
      op(`MOVQ AX, cbuf<>+${8 * k}(SB)`);
    } else if (arch === '386') {
      if (a.size === 8) {
        op(`MOVL ${src}, AX`);
        op(`MOVL AX, cbuf<>+${8 * k}(SB)`);
        op(`MOVL ${a.name}+${a.off + 4}(FP), AX`);
        op(`MOVL AX, cbuf<>+${8 * k + 4}(SB)`);
        return;
      }
      op(`${a.size === 4 ? 'MOVL' : a.size === 2 ? 'MOVWLSX' : 'MOVBLSX'} ${src}, AX`);
      op(`MOVL AX, cbuf<>+${8 * k}(SB)`);
      op('SARL $31, AX');
      op(`MOVL AX, cbuf<>+${8 * k + 4}(SB)`);
    } else {
      op(`${a.size === 8 ? 'MOVD' : a.size === 4 ? 'MOVW' : a.size === 2 ? 'MOVH' : 'MOVB'} ${src}, R0`);
      op('MOVD $cbuf<>(SB), R1');
      op(`MOVD R0, ${8 * k}(R1)`);
    }
  });
  const ret = b.ret!;
  if (arch === 'amd64') op(`MOVQ $1000, ${ret.name}+${ret.off}(FP)`);
  else if (arch === '386') op(`MOVL $1000, ${ret.name}+${ret.off}(FP)`), op(`MOVL $0, ${ret.name}+${ret.off + 4}(FP)`);
  else op('MOVD $1000, R0'), op(`MOVD R0, ${ret.name}+${ret.off}(FP)`);
  op('RET');
  return L.join('\n') + '\n';
}

function strings(calls: readonly Call[]): string[] {
  const out: string[] = [];
  for (const c of calls) for (const a of c.args) if (typeof a === 'object' && 'str' in a && !out.includes(a.str)) out.push(a.str);
  return out;
}

function dataBytes(sym: string, bytes: Uint8Array, flags: string): string[] {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 8) {
    const chunk = bytes.subarray(off, Math.min(off + 8, bytes.length));
    const v = chunk.reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
    lines.push(`DATA ${sym}+${off}(SB)/${chunk.length}, $${v}`);
  }
  lines.push(`GLOBL ${sym}(SB), ${flags}, $${bytes.length}`);
  return lines;
}

const COMPARATORS: Record<ArchName, string> = {
  amd64: `TEXT main·cmp(SB),NOSPLIT,$0-24
	MOVQ	a+0(FP), AX
	MOVL	(AX), AX
	MOVQ	b+8(FP), CX
	MOVL	(CX), CX
	MOVL	$0, DX
	CMPL	AX, CX
	JEQ	done
	MOVL	$1, DX
	JGT	done
	MOVL	$-1, DX
done:
	MOVL	DX, ret+16(FP)
	RET
`,
  '386': `TEXT main·cmp(SB),NOSPLIT,$0-12
	MOVL	a+0(FP), AX
	MOVL	(AX), AX
	MOVL	b+4(FP), CX
	MOVL	(CX), CX
	MOVL	$0, DX
	CMPL	AX, CX
	JEQ	done
	MOVL	$1, DX
	JGT	done
	MOVL	$-1, DX
done:
	MOVL	DX, ret+8(FP)
	RET
`,
  arm64: `TEXT main·cmp(SB),NOSPLIT,$0-24
	MOVD	a+0(FP), R0
	MOVW	(R0), R0
	MOVD	b+8(FP), R1
	MOVW	(R1), R1
	MOVD	$0, R2
	CMPW	R1, R0
	BEQ	done
	MOVD	$1, R2
	BGT	done
	MOVD	$-1, R2
done:
	MOVW	R2, ret+16(FP)
	RET
`,
};

/** main·fcb(a float32, b float64, c int32) (ret float64): stores a's bits at fmt+48 and c at fmt+52, returns b. */
const FCB: Record<ArchName, string> = {
  amd64: `TEXT main·fcb(SB),NOSPLIT,$0-32
	MOVL	a+0(FP), AX
	MOVL	AX, fmt<>+48(SB)
	MOVL	c+16(FP), AX
	MOVL	AX, fmt<>+52(SB)
	MOVQ	b+8(FP), AX
	MOVQ	AX, ret+24(FP)
	RET
`,
  '386': `TEXT main·fcb(SB),NOSPLIT,$0-20
	MOVL	a+0(FP), AX
	MOVL	AX, fmt<>+48(SB)
	MOVL	c+12(FP), AX
	MOVL	AX, fmt<>+52(SB)
	MOVL	b+4(FP), AX
	MOVL	AX, ret+16(FP)
	MOVL	b+8(FP), AX
	MOVL	AX, ret+20(FP)
	RET
`,
  arm64: `TEXT main·fcb(SB),NOSPLIT,$0-32
	MOVD	$fmt<>(SB), R1
	MOVW	a+0(FP), R0
	MOVW	R0, 48(R1)
	MOVW	c+16(FP), R0
	MOVW	R0, 52(R1)
	MOVD	b+8(FP), R0
	MOVD	R0, ret+24(FP)
	RET
`,
};

/** The assembly program: `main·main` makes every call, then writes the record. */
export function asmProgram(arch: ArchName, calls: readonly Call[], bindings: ReadonlyMap<string, Binding>, extra = ''): string {
  const strs = strings(calls);
  const strSym = (s: string) => `str${strs.indexOf(s)}<>`;
  const enc = new TextEncoder();
  const L: string[] = ['#include "textflag.h"', ''];
  strs.forEach((s) => L.push(...dataBytes(strSym(s), enc.encode(s + '\0'), 'RODATA')));
  const arr = new Uint8Array(new Int32Array(ARR).buffer);
  L.push(...dataBytes('arr<>', arr, 'NOPTR'));
  L.push(`GLOBL copy<>(SB), NOPTR, $${BUFS.copy}`, `GLOBL fmt<>(SB), NOPTR, $${BUFS.fmt}`, `GLOBL cbuf<>(SB), NOPTR, $${BUFS.cbuf}`, `GLOBL res<>(SB), NOPTR, $${16 * calls.length}`, '');
  L.push(COMPARATORS[arch], FCB[arch], extra);

  const maxArgs = Math.max(32, ...calls.map((c) => bindings.get(c.fn)!.argsSize));
  const frame = Math.ceil(maxArgs / 16) * 16;
  const body: string[] = [];
  const op = (s: string) => body.push('\t' + s);
  const addrOf = (a: { str: string } | { buf: Buf; off?: number } | { cb: string }): string => ('str' in a ? strSym(a.str) : 'buf' in a ? `${a.buf}<>+${a.off ?? 0}` : `libc·${a.cb}_cb`);
  // The caller's outgoing area: 0(SP) on x86, 8(RSP) on arm64 (0(RSP) holds the saved LR).
  const base = arch === 'arm64' ? 8 : 0;
  const st = (size: number) => (arch === 'arm64' ? { 1: 'MOVB', 2: 'MOVH', 4: 'MOVW', 8: 'MOVD' } : { 1: 'MOVB', 2: 'MOVW', 4: 'MOVL', 8: 'MOVQ' })[size as 1 | 2 | 4 | 8];

  const storeArg = (slot: Slot, arg: Arg): void => {
    const a = typeof arg === 'object' && ('f64' in arg || 'f32' in arg) ? floatBits(arg) : arg;
    const at = `${base + slot.off}(${arch === 'arm64' ? 'RSP' : 'SP'})`;
    if (arch === 'amd64') {
      if (typeof a === 'bigint') op(`MOVQ $${BigInt.asIntN(64, a)}, AX`);
      else if ('res' in a) op(`MOVQ res<>+${16 * a.res}(SB), AX`);
      else if ('word' in a) op(`MOVQ ${a.word}<>+${a.off ?? 0}(SB), AX`);
      else op(`LEAQ ${addrOf(a)}(SB), AX`);
      op(`${st(slot.size)} AX, ${at}`);
    } else if (arch === '386') {
      if (typeof a === 'bigint') {
        const v = BigInt.asUintN(64, a);
        op(`MOVL $${v & 0xffffffffn}, AX`);
        op(`${slot.size === 8 ? 'MOVL' : st(slot.size)} AX, ${at}`);
        if (slot.size === 8) {
          op(`MOVL $${v >> 32n}, AX`);
          op(`MOVL AX, ${base + slot.off + 4}(SP)`);
        }
        return;
      }
      if ('res' in a) op(`MOVL res<>+${16 * a.res}(SB), AX`);
      else if ('word' in a) op(`MOVL ${a.word}<>+${a.off ?? 0}(SB), AX`);
      else op(`LEAL ${addrOf(a)}(SB), AX`);
      op(`MOVL AX, ${at}`);
    } else {
      if (typeof a === 'bigint') op(`MOVD $${BigInt.asIntN(64, a)}, R0`);
      else if ('res' in a) {
        op(`MOVD $res<>(SB), R1`);
        op(`MOVD ${16 * a.res}(R1), R0`);
      } else if ('word' in a) {
        op(`MOVD $${a.word}<>(SB), R1`);
        op(`MOVD ${a.off ?? 0}(R1), R0`);
      } else op(`MOVD $${addrOf(a)}(SB), R0`);
      op(`${st(slot.size)} R0, ${at}`);
    }
  };
  const saveResult = (slot: Slot, k: number, word: number): void => {
    const dst = 16 * k + 8 * word;
    if (arch === 'amd64') {
      op(`MOVQ ${slot.off}(SP), AX`);
      op(`MOVQ AX, res<>+${dst}(SB)`);
    } else if (arch === '386') {
      op(`MOVL ${slot.off}(SP), AX`);
      op(`MOVL AX, res<>+${dst}(SB)`);
      if (slot.size === 8) {
        op(`MOVL ${slot.off + 4}(SP), AX`);
        op(`MOVL AX, res<>+${dst + 4}(SB)`);
      }
    } else {
      op(`MOVD ${8 + slot.off}(RSP), R0`);
      op(`MOVD $res<>(SB), R1`);
      op(`MOVD R0, ${dst}(R1)`);
    }
  };
  const call = (sym: string) => op(`${arch === 'arm64' ? 'BL' : 'CALL'} ${sym}(SB)`);

  calls.forEach((c, k) => {
    const b = bindings.get(c.fn)!;
    body.push(`\t// ${k}: ${c.fn}`);
    c.args.forEach((a, i) => storeArg(b.args[i]!, a));
    call(`libc·${c.fn}`);
    if (b.ret) saveResult(b.ret, k, 0);
    if (b.errno) saveResult(b.errno, k, 1);
  });
  const w = bindings.get('write')!;
  const dump = (sym: string, n: number) => {
    body.push(`\t// write(1, ${sym}, ${n})`);
    storeArg(w.args[0]!, 1n);
    if (arch === 'amd64') op(`LEAQ ${sym}(SB), AX`), op(`MOVQ AX, ${w.args[1]!.off}(SP)`);
    else if (arch === '386') op(`LEAL ${sym}(SB), AX`), op(`MOVL AX, ${w.args[1]!.off}(SP)`);
    else op(`MOVD $${sym}(SB), R0`), op(`MOVD R0, ${8 + w.args[1]!.off}(RSP)`);
    storeArg(w.args[2]!, BigInt(n));
    call('libc·write');
  };
  dump('res<>', 16 * calls.length);
  dump('copy<>', BUFS.copy);
  dump('fmt<>', BUFS.fmt);
  dump('arr<>', BUFS.arr);
  dump('cbuf<>', BUFS.cbuf);
  L.push(`TEXT ·main(SB),NOSPLIT,$${frame}-0`, ...body, '\tRET', '');
  return L.join('\n');
}

function cString(s: string): string {
  return JSON.stringify(s);
}

/** The same calls made by a C program compiled with gcc. */
export function cProgram(calls: readonly Call[], bindings: ReadonlyMap<string, Binding>): string {
  const strs = strings(calls);
  const L: string[] = [
    '#define _GNU_SOURCE',
    '#define _LARGEFILE64_SOURCE',
    '#include <ctype.h>',
    '#include <errno.h>',
    '#include <fcntl.h>',
    '#include <stdint.h>',
    '#include <stdio.h>',
    '#include <stdlib.h>',
    '#include <string.h>',
    '#include <sys/mman.h>',
    '#include <unistd.h>',
    '#include "testlib.h"',
    '',
    ...strs.map((s, i) => `static const char str${i}[] = ${cString(s)};`),
    `static char copy[${BUFS.copy}], fmt[${BUFS.fmt}];`,
    `static int64_t cbuf[${BUFS.cbuf / 8}];`,
    `static int arr[8] = {${ARR.join(', ')}};`,
    `static uint64_t res[${2 * calls.length}];`,
    'static int cmp(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return x < y ? -1 : x > y; }',
    'double fcb(float a, double b, int c) { memcpy(fmt + 48, &a, 4); memcpy(fmt + 52, &c, 4); return b; }',
    'long long cb9(int a, long long b, signed char c, short d, int e, int f, int g, int h, int i, long long j) {',
    '\tint64_t v[10] = {a, b, c, d, e, f, g, h, i, j}; memcpy(cbuf, v, sizeof v); return 1000;',
    '}',
    '',
    'int main(void) {',
  ];
  calls.forEach((c, k) => {
    const b = bindings.get(c.fn)!;
    const args = c.args.map((a, i) => {
      if (typeof a === 'bigint') return `(${b.args[i]!.ctype})${a}LL`;
      if ('f64' in a) return `(double)${a.f64}`;
      if ('f32' in a) return `(float)${a.f32}`;
      if ('str' in a) return `str${strs.indexOf(a.str)}`;
      if ('buf' in a) return `((char *)${a.buf} + ${a.off ?? 0})`;
      if ('word' in a) return `*(${b.args[i]!.ctype} *)((char *)${a.word} + ${a.off ?? 0})`;
      if ('cb' in a) return a.cb;
      const ct = b.args[i]!.ctype;
      return ct.endsWith('*') ? `(${ct})(uintptr_t)res[${2 * a.res}]` : `(${ct})res[${2 * a.res}]`;
    });
    const expr = `${b.decl.remote}(${args.join(', ')})`;
    L.push('\terrno = 0;');
    if (!b.ret) L.push(`\t${expr};`);
    else if (b.ret.float) L.push(`\t{ ${b.ret.csize === 4 ? 'float' : 'double'} v = ${expr}; memcpy(&res[${2 * k}], &v, sizeof v); }`);
    else if (b.ret.ctype.endsWith('*')) L.push(`\tres[${2 * k}] = (uint64_t)(uintptr_t)${expr};`);
    else L.push(`\tres[${2 * k}] = (uint64_t)(${b.ret.signed ? 'int64_t' : 'uint64_t'})${expr};`);
    L.push(`\tres[${2 * k + 1}] = (uint64_t)(int64_t)errno;`);
  });
  L.push(
    '\twrite(1, res, sizeof res);',
    `\twrite(1, copy, ${BUFS.copy});`,
    `\twrite(1, fmt, ${BUFS.fmt});`,
    `\twrite(1, arr, ${BUFS.arr});`,
    `\twrite(1, cbuf, ${BUFS.cbuf});`,
    '\treturn 0;',
    '}',
    '',
  );
  return L.join('\n');
}

/** Decodes a record; on 386, 4-byte result slots are extended as the layout says. */
export function decode(out: Buffer, calls: readonly Call[], bindings: ReadonlyMap<string, Binding>, arch: ArchName | 'c'): { prefix: string; res: bigint[][]; tail: Buffer } {
  const prefix = out.subarray(0, 3).toString('latin1');
  const res: bigint[][] = [];
  let off = 3;
  calls.forEach((c) => {
    const b = bindings.get(c.fn)!;
    let r = out.readBigUInt64LE(off);
    let e = out.readBigUInt64LE(off + 8);
    if (b.ret?.float) r = BigInt.asUintN(b.ret.csize * 8, r);
    else if (arch === '386') {
      if (b.ret && b.ret.size === 4) r = b.ret.signed ? BigInt.asUintN(64, BigInt.asIntN(32, r)) : BigInt.asUintN(32, r);
    }
    if (arch === '386') e = BigInt.asUintN(64, BigInt.asIntN(32, e));
    res.push([r, e]);
    off += 16;
  });
  return { prefix, res, tail: out.subarray(off) };
}
