// The TLS access sequences compilers write, rewritten to local exec
// (src/formats/elf/tls-relax.ts): each result is disassembled by llvm-mc, an
// independent decoder, and compared with the instructions the psABIs give
// (the linked programs run in test/link/tls-models.test.ts); sequences other
// than the psABI's, and damaged ones, are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as C from '../../../src/formats/elf/consts.js';
import { rewriteTls, type NextEntry } from '../../../src/formats/elf/tls-relax.js';
import type { ArchName } from '../../../src/target.js';
import { run, which } from '../../helpers.js';

interface Step {
  type: number;
  off: number;
  next?: NextEntry;
}

const names = ['', '__tls_get_addr', '___tls_get_addr', 'other'];

/** Rewrites `bytes` (a code section) at each step, storing 16 in each field left for R_TLS_LE on x86 as the linker would. */
function rewrite(arch: ArchName, bytes: number[], steps: Step[]): Uint8Array {
  const buf = Uint8Array.from(bytes);
  for (const s of steps) {
    const r = rewriteTls(arch, s.type, { buf, start: 0, size: buf.length, code: true }, s.off, 0, s.next, (i) => names[i]!);
    if (typeof r === 'string') assert.fail(r);
    if (r.at >= 0 && arch !== 'arm64') buf.set([16, 0, 0, 0], r.at);
  }
  return buf;
}

function refusal(arch: ArchName, bytes: number[], s: Step): string {
  const r = rewriteTls(arch, s.type, { buf: Uint8Array.from(bytes), start: 0, size: bytes.length, code: true }, s.off, 0, s.next, (i) => names[i]!);
  assert.equal(typeof r, 'string', 'refused');
  return r as string;
}

const mc = which('llvm-mc') ?? which('llvm-mc-14');
const TRIPLE: Record<ArchName, string> = { amd64: 'x86_64', '386': 'i386', arm64: 'aarch64' };

function disassemble(arch: ArchName, code: Uint8Array): string[] {
  const r = run(mc!, ['--disassemble', `-triple=${TRIPLE[arch]}`], { input: [...code].map((b) => `0x${b.toString(16)}`).join(' ') });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout.split('\n').map((l) => l.trim().replace(/\s+/g, ' ')).filter((l) => l && !l.startsWith('.'));
}

const le32 = [0, 0, 0, 0];

test('amd64: initial exec, general and local dynamic (direct and through the GOT) and descriptors become local exec', (t) => {
  if (!mc) return t.skip('needs llvm-mc (Debian package llvm)');
  const cases: [number[], Step[], string[]][] = [
    [[0x48, 0x8b, 0x05, ...le32], [{ type: C.R_X86_64_GOTTPOFF, off: 3 }], ['movq $16, %rax']],
    [[0x4c, 0x8b, 0x2d, ...le32], [{ type: C.R_X86_64_GOTTPOFF, off: 3 }], ['movq $16, %r13']],
    [[0x48, 0x03, 0x15, ...le32], [{ type: C.R_X86_64_GOTTPOFF, off: 3 }], ['addq $16, %rdx']],
    [
      [0x66, 0x48, 0x8d, 0x3d, ...le32, 0x66, 0x66, 0x48, 0xe8, ...le32],
      [{ type: C.R_X86_64_TLSGD, off: 4, next: { type: C.R_X86_64_PLT32, off: 12, sym: 1 } }],
      ['movq %fs:0, %rax', 'leaq 16(%rax), %rax'],
    ],
    [
      [0x66, 0x48, 0x8d, 0x3d, ...le32, 0x66, 0x48, 0xff, 0x15, ...le32],
      [{ type: C.R_X86_64_TLSGD, off: 4, next: { type: C.R_X86_64_GOTPCRELX, off: 12, sym: 1 } }],
      ['movq %fs:0, %rax', 'leaq 16(%rax), %rax'],
    ],
    [[0x48, 0x8d, 0x3d, ...le32, 0xe8, ...le32], [{ type: C.R_X86_64_TLSLD, off: 3, next: { type: C.R_X86_64_PLT32, off: 8, sym: 1 } }], ['movq %fs:0, %rax', 'nopl (%rax)']],
    [[0x48, 0x8d, 0x3d, ...le32, 0xff, 0x15, ...le32], [{ type: C.R_X86_64_TLSLD, off: 3, next: { type: C.R_X86_64_GOTPCRELX, off: 9, sym: 1 } }], ['movq %fs:0, %rax', 'nopl (%rax)']],
    [
      [0x48, 0x8d, 0x05, ...le32, 0xff, 0x10],
      [
        { type: C.R_X86_64_GOTPC32_TLSDESC, off: 3 },
        { type: C.R_X86_64_TLSDESC_CALL, off: 7 },
      ],
      ['movq $16, %rax', 'nop'],
    ],
  ];
  for (const [bytes, steps, want] of cases) assert.deepEqual(disassemble('amd64', rewrite('amd64', bytes, steps)), want);
});

test('386: initial exec (absolute and GOT-relative), general and local dynamic (direct and through the GOT) and descriptors become local exec', (t) => {
  if (!mc) return t.skip('needs llvm-mc (Debian package llvm)');
  const cases: [number[], Step[], string[]][] = [
    [[0xa1, ...le32], [{ type: C.R_386_TLS_IE, off: 1 }], ['movl $16, %eax']],
    [[0x8b, 0x0d, ...le32], [{ type: C.R_386_TLS_IE, off: 2 }], ['movl $16, %ecx']],
    [[0x8b, 0x80, ...le32], [{ type: C.R_386_TLS_GOTIE, off: 2 }], ['movl $16, %eax']],
    [[0x03, 0x93, ...le32], [{ type: C.R_386_TLS_GOTIE, off: 2 }], ['addl $16, %edx']],
    [
      [0x8d, 0x04, 0x1d, ...le32, 0xe8, ...le32],
      [{ type: C.R_386_TLS_GD, off: 3, next: { type: C.R_386_PLT32, off: 8, sym: 2 } }],
      ['movl %gs:0, %eax', 'addl $16, %eax'],
    ],
    [
      [0x8d, 0x83, ...le32, 0xe8, ...le32, 0x90],
      [{ type: C.R_386_TLS_GD, off: 2, next: { type: C.R_386_PLT32, off: 7, sym: 2 } }],
      ['movl %gs:0, %eax', 'addl $16, %eax'],
    ],
    [
      [0x8d, 0x83, ...le32, 0xff, 0x93, ...le32],
      [{ type: C.R_386_TLS_GD, off: 2, next: { type: C.R_386_GOT32X, off: 8, sym: 2 } }],
      ['movl %gs:0, %eax', 'addl $16, %eax'],
    ],
    [[0x8d, 0x83, ...le32, 0xe8, ...le32], [{ type: C.R_386_TLS_LDM, off: 2, next: { type: C.R_386_PLT32, off: 7, sym: 2 } }], ['movl %gs:0, %eax', 'nopl (%eax,%eax)']],
    [[0x8d, 0x83, ...le32, 0xff, 0x93, ...le32], [{ type: C.R_386_TLS_LDM, off: 2, next: { type: C.R_386_GOT32X, off: 8, sym: 2 } }], ['movl %gs:0, %eax', 'nopw (%eax,%eax)']],
    [
      [0x8d, 0x83, ...le32, 0xff, 0x10],
      [
        { type: C.R_386_TLS_GOTDESC, off: 2 },
        { type: C.R_386_TLS_DESC_CALL, off: 6 },
      ],
      ['leal 16, %eax', 'nop'],
    ],
  ];
  for (const [bytes, steps, want] of cases) assert.deepEqual(disassemble('386', rewrite('386', bytes, steps)), want);
});

const words = (...ws: number[]): number[] => ws.flatMap((w) => [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24]);

test('arm64: descriptors and initial exec become MOVZ/MOVK of the offset; the rest of a descriptor sequence becomes NOPs', (t) => {
  if (!mc) return t.skip('needs llvm-mc (Debian package llvm)');
  // adrp x0; ldr x1, [x0]; add x0, x0, #0; blr x1
  const desc = rewrite('arm64', words(0x90000000, 0xf9400001, 0x91000000, 0xd63f0020), [
    { type: C.R_AARCH64_TLSDESC_ADR_PAGE21, off: 0 },
    { type: C.R_AARCH64_TLSDESC_LD64_LO12, off: 4 },
    { type: C.R_AARCH64_TLSDESC_ADD_LO12, off: 8 },
    { type: C.R_AARCH64_TLSDESC_CALL, off: 12 },
  ]);
  assert.deepEqual(disassemble('arm64', desc), ['movz x0, #0, lsl #16', 'movk x0, #0', 'nop', 'nop']);
  // adrp x9; ldr x9, [x9]
  const ie = rewrite('arm64', words(0x90000009, 0xf9400129), [
    { type: C.R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21, off: 0 },
    { type: C.R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC, off: 4 },
  ]);
  assert.deepEqual(disassemble('arm64', ie), ['movz x9, #0, lsl #16', 'movk x9, #0']);
});

test('other sequences than the psABI\'s, and damaged ones, are refused, nothing rewritten', () => {
  assert.match(refusal('amd64', [0x8b, 0x05, ...le32], { type: C.R_X86_64_GOTTPOFF, off: 2 }), /not on a movq or addq/);
  const gd = [0x66, 0x48, 0x8d, 0x3d, ...le32, 0x66, 0x66, 0x48, 0xe8, ...le32];
  assert.match(refusal('amd64', gd, { type: C.R_X86_64_TLSGD, off: 4, next: { type: C.R_X86_64_PLT32, off: 12, sym: 3 } }), /general-dynamic sequence/);
  assert.match(refusal('amd64', gd, { type: C.R_X86_64_TLSGD, off: 4 }), /general-dynamic sequence/);
  // The call's field is cut off by the end of the section.
  assert.equal(refusal('amd64', gd.slice(0, 12), { type: C.R_X86_64_TLSGD, off: 4, next: { type: C.R_X86_64_PLT32, off: 12, sym: 1 } }), 'the thread-local access sequence runs past the end of its section');
  assert.match(refusal('386', [0x8d, 0x83, ...le32, 0xe8, ...le32], { type: C.R_386_TLS_GD, off: 2, next: { type: C.R_386_PLT32, off: 7, sym: 2 } }), /general-dynamic sequence/);
  assert.match(refusal('arm64', words(0xf940012a), { type: C.R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC, off: 0 }), /same register/);
  assert.match(refusal('arm64', words(0xd503201f), { type: C.R_AARCH64_TLSDESC_CALL, off: 0 }), /not on a BLR/);
  // Nothing was written by a refusal.
  const buf = Uint8Array.from(gd);
  rewriteTls('amd64', C.R_X86_64_TLSGD, { buf, start: 0, size: buf.length, code: true }, 4, 0, { type: C.R_X86_64_PLT32, off: 12, sym: 3 }, (i) => names[i]!);
  assert.deepEqual([...buf], gd);
  // An offset in data after a local-dynamic sequence is not code's.
  const d = rewriteTls('amd64', C.R_X86_64_DTPOFF32, { buf: new Uint8Array(8), start: 0, size: 8, code: false }, 0, 0, undefined, () => '');
  assert.match(d as string, /outside code/);
});
