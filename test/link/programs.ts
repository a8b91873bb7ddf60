// Hand-encoded x86-64 test programs (bytes checked against GNU as while
// writing them; the assembly is beside each group).

import type { ObjectFile } from '../../src/obj/symbol.js';
import { bytesOf, hex, imp, obj, sym } from './helpers.js';

export const MSG = 'hello, world\n';

/**
 * _rt0_amd64_linux: write(1, msg, 13) through a PLT call to libc; store 42 in
 * a TLS variable and load it back as the exit status; load exit's address
 * three ways — a GOT load, a LEAQ of the import (rewritten into a GOT load),
 * and a pointer in data (a dynamic relocation) — and exit through it only if
 * all three agree (otherwise HLT, which faults). Exits with status 42.
 */
export function libcProgram(): ObjectFile {
  const text = hex(`
    bf 01 00 00 00          /* 0  movl $1, %edi */
    48 8d 35 00 00 00 00    /* 5  leaq msg(%rip), %rsi          R_PCREL msg @8 */
    ba 0d 00 00 00          /* 12 movl $13, %edx */
    e8 00 00 00 00          /* 17 call libc_write               R_CALL @18 */
    64 48 c7 04 25 00 00 00 00 2a 00 00 00  /* 22 movq $42, %fs:tlsvar   R_TLS_LE @27 */
    64 48 8b 3c 25 00 00 00 00              /* 35 movq %fs:tlsvar, %rdi  R_TLS_LE @40 */
    48 8b 05 00 00 00 00    /* 44 movq libc_exit@GOT(%rip), %rax R_GOTPCREL @47 */
    48 8d 0d 00 00 00 00    /* 51 leaq libc_exit(%rip), %rcx    R_PCREL to an import @54 */
    48 39 c8                /* 58 cmpq %rcx, %rax */
    75 0f                   /* 61 jne 78 */
    48 8b 0c 25 00 00 00 00 /* 63 movq exitptr, %rcx            R_ADDR size 4 @67 */
    48 39 c8                /* 71 cmpq %rcx, %rax */
    75 02                   /* 74 jne 78 */
    ff d0                   /* 76 call *%rax   exit(42) */
    f4                      /* 78 hlt */
  `);
  const relocs = [
    { off: 8, size: 4, type: 'R_PCREL' as const, sym: 'msg<>', add: 0, line: 3 },
    { off: 18, size: 4, type: 'R_CALL' as const, sym: 'libc_write', add: 0, line: 5 },
    { off: 27, size: 4, type: 'R_TLS_LE' as const, sym: 'tlsvar', add: 0, line: 6 },
    { off: 40, size: 4, type: 'R_TLS_LE' as const, sym: 'tlsvar', add: 0, line: 7 },
    { off: 47, size: 4, type: 'R_GOTPCREL' as const, sym: 'libc_exit', add: 0, line: 8 },
    { off: 54, size: 4, type: 'R_PCREL' as const, sym: 'libc_exit', add: 0, line: 9 },
    { off: 67, size: 4, type: 'R_ADDR' as const, sym: 'exitptr', add: 0, line: 12 },
  ];
  return obj(
    'prog.s',
    [
      sym('_rt0_amd64_linux', 'text', text, relocs),
      sym('msg<>', 'rodata', bytesOf(MSG), [], { flags: { local: true }, align: 1 }),
      sym('tlsvar', 'tls', new Uint8Array(0), [], { size: 8 }),
      sym('exitptr', 'data', new Uint8Array(8), [{ off: 0, size: 8, type: 'R_ADDR', sym: 'libc_exit', add: 0 }]),
      sym('unused', 'text', hex('e8 00000000 c3'), [{ off: 1, size: 4, type: 'R_CALL', sym: 'nowhere', add: 0 }]),
    ],
    [imp('libc_write', 'write'), imp('libc_exit', 'exit'), imp('_', '_'), imp('libc_write', 'write')],
  );
}

/** A static program: write(1, msg, 13) and exit(0) with raw system calls. */
export function staticProgram(): ObjectFile {
  const text = hex(`
    b8 01 00 00 00          /* movl $1, %eax (SYS_write) */
    bf 01 00 00 00          /* movl $1, %edi */
    48 8d 35 00 00 00 00    /* leaq msg(%rip), %rsi   R_PCREL @13 */
    ba 0d 00 00 00          /* movl $13, %edx */
    0f 05                   /* syscall */
    e8 00 00 00 00          /* call done               R_CALL @25 */
  `);
  const done = hex(`
    b8 3c 00 00 00          /* movl $60, %eax (SYS_exit) */
    8b 3c 25 00 00 00 00    /* movl status, %edi       R_ADDR size 4 @8 */
    0f 05                   /* syscall */
  `);
  return obj('static.s', [
    sym('_rt0_amd64_linux', 'text', text, [
      { off: 13, size: 4, type: 'R_PCREL', sym: 'msg<>', add: 0 },
      { off: 25, size: 4, type: 'R_CALL', sym: 'done', add: 0 },
    ]),
    sym('done', 'text', done, [{ off: 8, size: 4, type: 'R_ADDR', sym: 'status', add: 0 }]),
    sym('msg<>', 'rodata', bytesOf(MSG), [], { flags: { local: true }, align: 1 }),
    sym('status', 'noptrdata', hex('03 00 00 00'), [], { align: 4 }),
    sym('zeros', 'bss', new Uint8Array(0), [], { size: 4096 }),
  ]);
}

/** A C-convention `main` for external linking: write(1, msg, 13); return 0. */
export function cMainProgram(): ObjectFile {
  const text = hex(`
    48 83 ec 08             /* 0  subq $8, %rsp */
    bf 01 00 00 00          /* 4  movl $1, %edi */
    48 8d 35 00 00 00 00    /* 9  leaq msg(%rip), %rsi   R_PCREL @12 */
    ba 0d 00 00 00          /* 16 movl $13, %edx */
    e8 00 00 00 00          /* 21 call libc_write        R_CALL @22 */
    48 8b 05 00 00 00 00    /* 26 movq counter@GOT(%rip), %rax  R_GOTPCREL to defined @29 */
    8b 00                   /* 33 movl (%rax), %eax */
    48 83 c4 08             /* 35 addq $8, %rsp */
    c3                      /* 39 ret */
  `);
  return obj(
    'cmain.s',
    [
      sym('main', 'text', text, [
        { off: 12, size: 4, type: 'R_PCREL', sym: 'msg<>', add: 0 },
        { off: 22, size: 4, type: 'R_CALL', sym: 'libc_write', add: 0 },
        { off: 29, size: 4, type: 'R_GOTPCREL', sym: 'counter', add: 0 },
      ]),
      sym('msg<>', 'rodata', bytesOf(MSG), [], { flags: { local: true }, align: 1 }),
      sym('counter', 'data', hex('05 00 00 00 00 00 00 00')),
    ],
    [imp('libc_write', 'write')],
  );
}

/**
 * 386 (bytes from GNU as --32): write(1, msg, 13) through the PLT; 42 into a
 * TLS variable through %gs and back; exit(42) through a pointer in data that
 * the loader fills (R_386_32 dynamic relocation).
 */
export function i386Program(): ObjectFile {
  const text = hex(`
    83 ec 04                /* 0  sub $4, %esp */
    6a 0d                   /* 3  push $13 */
    68 00 00 00 00          /* 5  push $msg               R_ADDR @6 */
    6a 01                   /* a  push $1 */
    e8 00 00 00 00          /* c  call libc_write         R_CALL @d */
    65 c7 05 00 00 00 00 2a 00 00 00  /* 11 movl $42, %gs:tlsvar  R_TLS_LE @14 */
    65 8b 1d 00 00 00 00    /* 1c movl %gs:tlsvar, %ebx   R_TLS_LE @1f */
    a1 00 00 00 00          /* 23 movl exitptr, %eax      R_ADDR @24 */
    83 ec 08                /* 28 sub $8, %esp */
    53                      /* 2b push %ebx */
    ff d0                   /* 2c call *%eax */
    f4                      /* 2e hlt */
  `);
  return obj(
    'prog386.s',
    [
      sym('_rt0_386_linux', 'text', text, [
        { off: 0x6, size: 4, type: 'R_ADDR', sym: 'msg<>', add: 0 },
        { off: 0xd, size: 4, type: 'R_CALL', sym: 'libc_write', add: 0 },
        { off: 0x14, size: 4, type: 'R_TLS_LE', sym: 'tlsvar', add: 0 },
        { off: 0x1f, size: 4, type: 'R_TLS_LE', sym: 'tlsvar', add: 0 },
        { off: 0x24, size: 4, type: 'R_ADDR', sym: 'exitptr', add: 0 },
      ]),
      sym('msg<>', 'rodata', bytesOf(MSG), [], { flags: { local: true }, align: 1 }),
      sym('tlsvar', 'tls', new Uint8Array(0), [], { size: 4, align: 4 }),
      sym('exitptr', 'data', new Uint8Array(4), [{ off: 0, size: 4, type: 'R_ADDR', sym: 'libc_exit', add: 0 }], { align: 4 }),
    ],
    [imp('libc_write', 'write'), imp('libc_exit', 'exit')],
    '386',
  );
}

/**
 * arm64 (words from GNU as for aarch64): write(1, msg, 13) through the PLT; 42
 * into a TLS variable (local-exec, TPIDR_EL0 + offset) and back as the status;
 * exit's address three ways (GOT load, ADRP+ADD of the import rewritten to a
 * GOT load, pointer in data) compared before calling it; BRK on mismatch.
 */
export function arm64Program(): ObjectFile {
  const words = [
    0xd2800020, 0x90000001, 0x91000021, 0xd28001a2, 0x94000000, 0xd53bd049, 0xd280000a, 0x8b0a0129, 0xd280054b, 0xf900012b, 0x90000008, 0xf9400108,
    0x9000000c, 0x9100018c, 0xeb0c011f, 0x540000e1, 0x9000000d, 0xf94001ad, 0xeb0d011f, 0x54000061, 0xf9400120, 0xd63f0100, 0xd4200000,
  ];
  const text = new Uint8Array(words.length * 4);
  const dv = new DataView(text.buffer);
  words.forEach((w, i) => dv.setUint32(4 * i, w, true));
  return obj(
    'proga64.s',
    [
      sym('_rt0_arm64_linux', 'text', text, [
        { off: 0x4, size: 8, type: 'R_ADDRARM64', sym: 'msg<>', add: 0 },
        { off: 0x10, size: 4, type: 'R_CALLARM64', sym: 'libc_write', add: 0 },
        { off: 0x18, size: 4, type: 'R_TLS_LE', sym: 'tlsvar', add: 0 },
        { off: 0x28, size: 8, type: 'R_ARM64_GOTPCREL', sym: 'libc_exit', add: 0 },
        { off: 0x30, size: 8, type: 'R_ADDRARM64', sym: 'libc_exit', add: 0 },
        { off: 0x40, size: 8, type: 'R_ADDRARM64', sym: 'exitptr', add: 0 },
      ]),
      sym('msg<>', 'rodata', bytesOf(MSG), [], { flags: { local: true }, align: 1 }),
      sym('tlsvar', 'tls', new Uint8Array(0), [], { size: 8 }),
      sym('exitptr', 'data', new Uint8Array(8), [{ off: 0, size: 8, type: 'R_ADDR', sym: 'libc_exit', add: 0 }]),
    ],
    [imp('libc_write', 'write'), imp('libc_exit', 'exit')],
    'arm64',
  );
}

/**
 * Initialized TLS (.tdata) with two variables, the second 16-byte aligned,
 * and a GOT slot for a defined symbol (filled at link time): exits with
 * b (43) + counter (2) = 45.
 */
export function tdataProgram(): ObjectFile {
  const text = hex(`
    64 48 8b 3c 25 00 00 00 00   /* 0  movq %fs:b, %rdi               R_TLS_LE @5 */
    48 8b 05 00 00 00 00         /* 9  movq counter@GOT(%rip), %rax    R_GOTPCREL @12 */
    48 03 38                     /* 16 addq (%rax), %rdi */
    e8 00 00 00 00               /* 19 call libc_exit                  R_CALL @20 */
    f4                           /* 24 hlt */
  `);
  return obj(
    'tdata.s',
    [
      sym('_rt0_amd64_linux', 'text', text, [
        { off: 5, size: 4, type: 'R_TLS_LE', sym: 'b', add: 0 },
        { off: 12, size: 4, type: 'R_GOTPCREL', sym: 'counter', add: 0 },
        { off: 20, size: 4, type: 'R_CALL', sym: 'libc_exit', add: 0 },
      ]),
      sym('a', 'tls', new Uint8Array(8), [], { align: 8 }),
      sym('b', 'tls', hex('2b 00 00 00 00 00 00 00'), [], { align: 16 }),
      sym('counter', 'data', hex('02 00 00 00 00 00 00 00')),
    ],
    [imp('libc_exit', 'exit')],
  );
}
