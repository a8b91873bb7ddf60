// Other projects' Go assembly linked into asmlink programs and run: the
// Keccak permutation of golang.org/x/crypto/sha3 and cespare/xxhash on amd64,
// x/crypto's BLAKE2s compression on amd64 and 386, and minio/sha256-simd's
// SHA-256 block function (the ARMv8 SHA2 instructions, written as WORDs) on
// arm64. Each file is assembled with -p its import path, as the go command
// would, and a main in this test calls it by that path (golang.org∕x∕...·f);
// the digests are checked against Node's crypto (SHA3-256, SHA-256) or
// published values (XXH64; BLAKE2s-256 from RFC 7693's test vector). And on
// darwin, the seed's pattern as golang.org/x/sys ships it: 150 libSystem
// trampolines (`JMP libc_getpid(SB)`) and their address table, with the
// imports its Go file declares, linked and run under macho-run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, writeTemp } from '../helpers.js';
import { linuxPrefix, runWith, type LinuxArch } from './threads-check.js';

const SRC = '/usr/share/gocode/src';
const dir = tempDir('asmlink-gomod-');

/** Assembles each [import path, file] with -p, builds main with the objects, runs it; returns the printed numbers. */
function buildAndRun(t: { skip(msg: string): void }, arch: LinuxArch, main: string, modules: [string, string][]): bigint[] | undefined {
  for (const [, file] of modules) {
    if (!existsSync(path.join(SRC, file))) {
      t.skip(`needs ${path.join(SRC, file)} (the golang-*-dev Debian packages .ci/run installs)`);
      return undefined;
    }
  }
  const prefix = linuxPrefix(arch);
  if (typeof prefix === 'string') {
    t.skip(prefix);
    return undefined;
  }
  const objects = modules.map(([pkg, file], i) => {
    const o = path.join(dir, `${arch}-${i}.o`);
    const r = asmlink(['asm', '--os', 'linux', '--arch', arch, '-p', pkg, '-o', o, path.join(SRC, file)]);
    assert.equal(r.status, 0, r.stderr);
    return o;
  });
  const exe = path.join(dir, `${arch}-prog`);
  const r = asmlink(['build', '--os', 'linux', '--arch', arch, '-o', exe, writeTemp(dir, `${arch}-main.s`, main), ...objects]);
  assert.equal(r.status, 0, r.stderr);
  const run = runWith(prefix, exe, []);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim().split('\n').map((l) => BigInt(l));
}

/** The numbers as unsigned words of the given width. */
const words = (ns: bigint[], bits: number): bigint[] => ns.map((n) => BigInt.asUintN(bits, n));
const le = (buf: Buffer, size: 4 | 8): bigint[] => Array.from({ length: buf.length / size }, (_, i) => (size === 8 ? buf.readBigUInt64LE(8 * i) : BigInt(buf.readUInt32LE(4 * i))));
const be32 = (buf: Buffer): bigint[] => Array.from({ length: buf.length / 4 }, (_, i) => BigInt(buf.readUInt32BE(4 * i)));

// BLAKE2s-256("abc") from RFC 7693, appendix B.
const BLAKE2S_ABC = Buffer.from('508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982', 'hex');

// SHA-256's initial hash value, which BLAKE2s's IV is too.
const SHA256_IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** DATA lines putting 32-bit words at name<>. */
const words32 = (name: string, values: readonly number[]): string => values.map((v, i) => `DATA ${name}<>+${4 * i}(SB)/4, $0x${(v >>> 0).toString(16)}`).join('\n');

// The IV with the parameter block's first word (32-byte digest, no key) in
// h[0], and one 64-byte block holding "abc": BLAKE2s pads with zeros.
const BLAKE2S_DATA = `
${words32('iv', [SHA256_IV[0]! ^ 0x01010020, ...SHA256_IV.slice(1)])}
GLOBL iv<>(SB), NOPTR, $32
// The counter before the last block, as x/crypto's finalize leaves it: it adds 64 per block, 3 bytes in all.
DATA counter<>+0(SB)/4, $0xffffffc3
DATA counter<>+4(SB)/4, $0xffffffff
GLOBL counter<>(SB), NOPTR, $8
DATA block<>+0(SB)/3, $"abc"
GLOBL block<>(SB), NOPTR, $64
`;

/**
 * x86 code that compresses block<> into iv<> with x/crypto's hashBlocksSSE2
 * (its arguments: h, c, flag, blocks as a slice) and prints iv<>'s eight
 * words; the caller's frame holds six pointer-sized arguments and a counter.
 */
function blake2sX86(arch: 'amd64' | '386'): string {
  const [w, p] = arch === 'amd64' ? ['Q', 8] : ['L', 4];
  // printint takes an int64: on 386 the word and a zero high half.
  const printArg = arch === 'amd64' ? '\tMOVQ AX, 0(SP)' : '\tMOVL AX, 0(SP)\n\tMOVL $0, 4(SP)';
  return `\tLEA${w} iv<>(SB), AX
\tMOV${w} AX, 0(SP)
\tLEA${w} counter<>(SB), AX
\tMOV${w} AX, ${p}(SP)
\tMOVL $0xffffffff, ${2 * p}(SP)
\tLEA${w} block<>(SB), AX
\tMOV${w} AX, ${3 * p}(SP)
\tMOV${w} $64, ${4 * p}(SP)
\tMOV${w} $64, ${5 * p}(SP)
\tCALL golang.org∕x∕crypto∕blake2s·hashBlocksSSE2(SB)
\tMOV${w} $0, CX
loop:
\tLEA${w} iv<>(SB), AX
\tMOVL (AX)(CX*4), AX
\tMOV${w} CX, ${6 * p}(SP)
${printArg}
\tCALL runtime·printint(SB)
\tCALL runtime·printnl(SB)
\tMOV${w} ${6 * p}(SP), CX
\tINC${w} CX
\tCMP${w} CX, $8
\tJLT loop
`;
}

test('linux/amd64: x/crypto Keccak, xxhash and BLAKE2s assembly linked into a program and run', (t) => {
  const main = `#include "textflag.h"
// SHA3-256(""): the padded empty message absorbed into a zero state, permuted once.
GLOBL state<>(SB), NOPTR, $200
DATA abc<>+0(SB)/3, $"abc"
GLOBL abc<>(SB), RODATA, $3
DATA spam<>+0(SB)/8, $"Nobody i"
DATA spam<>+8(SB)/8, $"nspects "
DATA spam<>+16(SB)/8, $"the spam"
DATA spam<>+24(SB)/8, $"mish rep"
DATA spam<>+32(SB)/7, $"etition"
GLOBL spam<>(SB), RODATA, $39
// xxhash's primes, which its Go code defines as variables for the assembly to load.
DATA github.com∕cespare∕xxhash·prime1v(SB)/8, $11400714785074694791
DATA github.com∕cespare∕xxhash·prime2v(SB)/8, $14029467366897019727
DATA github.com∕cespare∕xxhash·prime3v(SB)/8, $1609587929392839161
DATA github.com∕cespare∕xxhash·prime4v(SB)/8, $9650029242287828579
DATA github.com∕cespare∕xxhash·prime5v(SB)/8, $2870177450012600261
GLOBL github.com∕cespare∕xxhash·prime1v(SB), NOPTR, $8
GLOBL github.com∕cespare∕xxhash·prime2v(SB), NOPTR, $8
GLOBL github.com∕cespare∕xxhash·prime3v(SB), NOPTR, $8
GLOBL github.com∕cespare∕xxhash·prime4v(SB), NOPTR, $8
GLOBL github.com∕cespare∕xxhash·prime5v(SB), NOPTR, $8
${BLAKE2S_DATA}
#define PRINT(x) MOVQ x, 0(SP); CALL runtime·printint(SB); CALL runtime·printnl(SB)
#define XXH(p, n) LEAQ p, AX; MOVQ AX, 0(SP); MOVQ $n, 8(SP); MOVQ $n, 16(SP); CALL github.com∕cespare∕xxhash·Sum64(SB); MOVQ 24(SP), AX; PRINT(AX)

TEXT ·main(SB),NOSPLIT,$56-0
	LEAQ state<>(SB), AX
	MOVQ $0x06, 0(AX)
	MOVQ $0x8000000000000000, BX
	MOVQ BX, 128(AX)
	MOVQ AX, 0(SP)
	CALL golang.org∕x∕crypto∕sha3·keccakF1600(SB)
	MOVQ state<>+0(SB), AX; PRINT(AX)
	MOVQ state<>+8(SB), AX; PRINT(AX)
	MOVQ state<>+16(SB), AX; PRINT(AX)
	MOVQ state<>+24(SB), AX; PRINT(AX)
	XXH(abc<>(SB), 0)
	XXH(abc<>(SB), 3)
	XXH(spam<>(SB), 39)
${blake2sX86('amd64')}	RET
`;
  const out = buildAndRun(t, 'amd64', main, [
    ['golang.org/x/crypto/sha3', 'golang.org/x/crypto/sha3/keccakf_amd64.s'],
    ['github.com/cespare/xxhash', 'github.com/cespare/xxhash/xxhash_amd64.s'],
    ['golang.org/x/crypto/blake2s', 'golang.org/x/crypto/blake2s/blake2s_amd64.s'],
  ]);
  if (!out) return;
  const u = words(out, 64);
  assert.deepEqual(u.slice(0, 4), le(createHash('sha3-256').update('').digest(), 8), 'SHA3-256("") through keccakF1600');
  // XXH64 of "", "abc" and python-xxhash's example sentence.
  assert.deepEqual(u.slice(4, 7), [0xef46db3751d8e999n, 0x44bc2cf5ad770999n, 0xfbcea83c8a378bf1n]);
  assert.deepEqual(u.slice(7), le(BLAKE2S_ABC, 4), 'BLAKE2s-256("abc") through hashBlocksSSE2');
});

test('linux/386: x/crypto BLAKE2s assembly linked into a program and run', (t) => {
  const main = `#include "textflag.h"
${BLAKE2S_DATA}
TEXT ·main(SB),NOSPLIT,$28-0
${blake2sX86('386')}	RET
`;
  const out = buildAndRun(t, '386', main, [['golang.org/x/crypto/blake2s', 'golang.org/x/crypto/blake2s/blake2s_386.s']]);
  if (!out) return;
  assert.deepEqual(words(out, 32), le(BLAKE2S_ABC, 4));
});

test('linux/arm64: minio/sha256-simd block function (SHA2 instructions) linked into a program and run', (t) => {
  const main = `#include "textflag.h"
${words32('h', SHA256_IV)}
GLOBL h<>(SB), NOPTR, $32
// "abc" padded: 0x80, zeros, the length in bits (24) big-endian at the end.
DATA msg<>+0(SB)/4, $"abc\\x80"
DATA msg<>+63(SB)/1, $0x18
GLOBL msg<>(SB), NOPTR, $64

TEXT ·main(SB),NOSPLIT,$64-0
	MOVD $h<>(SB), R0
	MOVD R0, 8(RSP)
	MOVD $8, R0
	MOVD R0, 16(RSP)
	MOVD R0, 24(RSP)
	MOVD $msg<>(SB), R0
	MOVD R0, 32(RSP)
	MOVD $64, R0
	MOVD R0, 40(RSP)
	MOVD R0, 48(RSP)
	CALL sha256simd·blockArm(SB)
	MOVD $0, R2
loop:
	MOVD R2, 56(RSP)
	MOVD $h<>(SB), R0
	MOVWU (R0)(R2<<2), R1
	MOVD R1, 8(RSP)
	CALL runtime·printint(SB)
	CALL runtime·printnl(SB)
	MOVD 56(RSP), R2
	ADD $1, R2
	CMP $8, R2
	BLT loop
	RET
`;
  const out = buildAndRun(t, 'arm64', main, [['sha256simd', 'github.com/minio/sha256-simd/sha256block_arm64.s']]);
  if (!out) return;
  assert.deepEqual(words(out, 32), be32(createHash('sha256').update('abc').digest()));
});

const machoRun = path.join(repoRoot, '..', 'shared', 'tools', 'macho-run', 'macho-run');
// Debian's python3-unicorn belongs to the system python, which may not be the first python3 on PATH.
const python = ['python3', '/usr/bin/python3'].find((p) => run(p, ['-c', 'import unicorn']).status === 0);

// getpid and write(1, "pid ok\n", 7) called through x/sys's trampolines, with the C convention.
const DARWIN_MAIN: Record<'amd64' | 'arm64', string> = {
  amd64: `
// Calls the function at the address in slot with the C convention (on a 16-byte aligned stack) and prints its result.
#define CALL_PRINT(slot) MOVQ slot, AX; MOVQ SP, BX; ANDQ $~15, SP; CALL AX; MOVQ BX, SP; MOVQ AX, 0(SP); CALL runtime·printint(SB); CALL runtime·printnl(SB)
TEXT ·main(SB),NOSPLIT,$16-0
	CALL_PRINT(golang.org∕x∕sys∕unix·libc_getpid_trampoline_addr(SB))
	CALL runtime·printflush(SB)
	MOVQ $1, DI
	LEAQ msg<>(SB), SI
	MOVQ $7, DX
	CALL_PRINT(golang.org∕x∕sys∕unix·libc_write_trampoline_addr(SB))
	RET
`,
  arm64: `
// Calls the function at the address in slot with the C convention (Go's stack is aligned already) and prints its result.
#define CALL_PRINT(slot) MOVD slot, R8; CALL (R8); MOVD R0, 8(RSP); CALL runtime·printint(SB); CALL runtime·printnl(SB)
TEXT ·main(SB),NOSPLIT,$16-0
	CALL_PRINT(golang.org∕x∕sys∕unix·libc_getpid_trampoline_addr(SB))
	CALL runtime·printflush(SB)
	MOVD $1, R0
	MOVD $msg<>(SB), R1
	MOVD $7, R2
	CALL_PRINT(golang.org∕x∕sys∕unix·libc_write_trampoline_addr(SB))
	RET
`,
};

for (const arch of ['amd64', 'arm64'] as const) {
  test(`darwin/${arch}: golang.org/x/sys's libSystem trampolines linked into a program and run under macho-run`, (t) => {
    const unix = path.join(SRC, 'golang.org/x/sys/unix');
    if (!existsSync(path.join(unix, `zsyscall_darwin_${arch}.s`))) return t.skip(`needs ${unix} (Debian package golang-golang-x-sys-dev)`);
    if (!existsSync(machoRun)) return t.skip('needs macho-run (../shared/tools/macho-run)');
    if (!python) return t.skip('needs python3-unicorn (Debian package python3-unicorn)');
    // The imports live in x/sys's Go file; asmlink reads the same directives from assembly.
    const imports = readFileSync(path.join(unix, `zsyscall_darwin_${arch}.go`), 'utf8').split('\n').filter((l) => l.startsWith('//go:cgo_import_dynamic '));
    assert.ok(imports.length >= 140, `${imports.length} imports`);
    const main = `${imports.join('\n')}\n#include "textflag.h"\nDATA msg<>+0(SB)/8, $"pid ok\\n\\x00"\nGLOBL msg<>(SB), RODATA, $8\n${DARWIN_MAIN[arch]}`;
    const obj = path.join(dir, `darwin-${arch}-zsyscall.o`);
    let r = asmlink(['asm', '--os', 'darwin', '--arch', arch, '-p', 'golang.org/x/sys/unix', '-o', obj, path.join(unix, `zsyscall_darwin_${arch}.s`)]);
    assert.equal(r.status, 0, r.stderr);
    const exe = path.join(dir, `darwin-${arch}-xsys`);
    r = asmlink(['build', '--os', 'darwin', '--arch', arch, '-o', exe, writeTemp(dir, `darwin-${arch}-main.s`, main), obj]);
    assert.equal(r.status, 0, r.stderr);
    const ran = run(python, [machoRun, exe]);
    assert.equal(ran.status, 0, ran.stderr);
    const [pid, text, written] = ran.stdout.split('\n');
    assert.ok(Number(pid) > 0, `getpid gave ${pid}`);
    assert.equal(text, 'pid ok');
    assert.equal(written, '7');
  });
}
