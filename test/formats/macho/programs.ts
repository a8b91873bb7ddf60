// Hand-encoded test programs (the encoders are written elsewhere): a C-style
// `main` that writes "hello\n" to fd 1 through libSystem's write and returns 0.

import type { ObjectFile } from '../../../src/obj/symbol.js';
import { hex, imp, objFile, sym } from './tools.js';

export const HELLO = 'hello\n';

export function helloAmd64(): ObjectFile {
  const main = sym('main', 'text', hex(`
    55                    # push %rbp
    48 89 e5              # mov %rsp,%rbp
    bf 01000000           # mov $1,%edi
    48 8d 35 00000000     # lea msg(%rip),%rsi     R_PCREL msg
    ba 06000000           # mov $6,%edx
    e8 00000000           # call write             R_CALL libc_write
    31 c0                 # xor %eax,%eax
    5d                    # pop %rbp
    c3                    # ret
  `.replace(/#.*$/gm, '')), [
    { off: 12, size: 4, type: 'R_PCREL', sym: 'msg<>', add: 0 },
    { off: 22, size: 4, type: 'R_CALL', sym: 'libc_write', add: 0 },
  ]);
  const msg = sym('msg<>', 'rodata', new TextEncoder().encode(HELLO), [], { align: 1, flags: { local: true } });
  return objFile('amd64', [main, msg], [imp('libc_write', 'write')]);
}

export function helloArm64(): ObjectFile {
  const main = sym('main', 'text', hex(`
    fd 7b bf a9   # stp x29, x30, [sp, #-16]!
    fd 03 00 91   # mov x29, sp
    20 00 80 d2   # mov x0, #1
    01 00 00 90   # adrp x1, msg               R_ADDRARM64 msg (pair)
    21 00 00 91   # add x1, x1, :lo12:msg
    c2 00 80 d2   # mov x2, #6
    00 00 00 94   # bl write                   R_CALLARM64 libc_write
    00 00 80 52   # mov w0, #0
    fd 7b c1 a8   # ldp x29, x30, [sp], #16
    c0 03 5f d6   # ret
  `.replace(/#.*$/gm, '')), [
    { off: 12, size: 8, type: 'R_ADDRARM64', sym: 'msg<>', add: 0 },
    { off: 24, size: 4, type: 'R_CALLARM64', sym: 'libc_write', add: 0 },
  ], { align: 4 });
  const msg = sym('msg<>', 'rodata', new TextEncoder().encode(HELLO), [], { align: 1, flags: { local: true } });
  return objFile('arm64', [main, msg], [imp('libc_write', 'write')]);
}

/**
 * amd64, every kind of fixup: a pointer table in read-only data (rebase to
 * msg, bind to write) reached pc-relatively, a GOT slot for a defined symbol
 * (len), a pointer in writable data, bss. Prints "hello\n" by calling write
 * through the bound pointer.
 */
export function fixupsAmd64(): ObjectFile {
  const main = sym('main', 'text', hex(`
    55                    # push %rbp
    48 89 e5              # mov %rsp,%rbp
    bf 01000000           # mov $1,%edi
    48 8b 35 00000000     # mov tab(%rip),%rsi          R_PCREL tab     (rebased pointer to msg)
    48 8b 15 00000000     # mov len@GOTPCREL(%rip),%rdx R_GOTPCREL len  (GOT slot of a defined symbol)
    48 8b 12              # mov (%rdx),%rdx
    48 8d 0d 00000000     # lea counter(%rip),%rcx      R_PCREL counter
    48 8d 0d 00000000     # lea buf(%rip),%rcx          R_PCREL buf
    48 8b 05 00000000     # mov tab+8(%rip),%rax        R_PCREL tab+8   (bound pointer to write)
    48 8d 0d 00000000     # lea write(%rip),%rcx        R_PCREL libc_write (the linker makes it a GOT load)
    48 39 c8              # cmp %rcx,%rax               both ways to write's address agree
    75 06                 # jne bad
    ff d1                 # call *%rcx
    31 c0                 # xor %eax,%eax
    5d                    # pop %rbp
    c3                    # ret
    0f 0b                 # bad: ud2
  `.replace(/#.*$/gm, '')), [
    { off: 12, size: 4, type: 'R_PCREL', sym: 'tab', add: 0 },
    { off: 19, size: 4, type: 'R_GOTPCREL', sym: 'len', add: 0 },
    { off: 29, size: 4, type: 'R_PCREL', sym: 'counter', add: 0 },
    { off: 36, size: 4, type: 'R_PCREL', sym: 'buf', add: 0 },
    { off: 43, size: 4, type: 'R_PCREL', sym: 'tab', add: 8 },
    { off: 50, size: 4, type: 'R_PCREL', sym: 'libc_write', add: 0 },
    { off: 59, size: 0, type: 'R_CALLIND', sym: '', add: 0 },
  ]);
  const tab = sym('tab', 'rodata', new Uint8Array(16), [
    { off: 0, size: 8, type: 'R_ADDR', sym: 'msg<>', add: 0 },
    { off: 8, size: 8, type: 'R_ADDR', sym: 'libc_write', add: 0 },
  ]);
  const len = sym('len', 'noptrdata', hex('0600000000000000'));
  const counter = sym('counter', 'data', new Uint8Array(8), [{ off: 0, size: 8, type: 'R_ADDR', sym: 'main', add: 3 }]);
  const buf = sym('buf', 'bss', new Uint8Array(0), [], { size: 0x3000, align: 16 });
  const msg = sym('msg<>', 'rodata', new TextEncoder().encode(HELLO), [], { align: 1, flags: { local: true } });
  return objFile('amd64', [main, tab, len, counter, buf, msg], [imp('libc_write', 'write')]);
}

/** arm64 twin of fixupsAmd64. */
export function fixupsArm64(): ObjectFile {
  const main = sym('main', 'text', hex(`
    fd7bbfa9   # stp x29, x30, [sp, #-16]!
    fd030091   # mov x29, sp
    200080d2   # mov x0, #1
    08000090   # adrp x8, tab                  R_ADDRARM64 tab
    010140f9   # ldr x1, [x8, :lo12:tab]       (rebased pointer to msg)
    09000090   # adrp x9, len@GOT              R_ARM64_GOTPCREL len
    290140f9   # ldr x9, [x9, len@GOT]
    220140f9   # ldr x2, [x9]
    0a000090   # adrp x10, tab+8               R_ADDRARM64 tab+8
    500140f9   # ldr x16, [x10, :lo12:tab+8]   (bound pointer to write)
    0d000090   # adrp x13, write               R_ADDRARM64 libc_write (the linker makes it a GOT load)
    ad010091   # add x13, x13, :lo12:write
    1f020deb   # cmp x16, x13                  both ways to write's address agree
    21010054   # b.ne bad
    00023fd6   # blr x16
    0b000090   # adrp x11, counter             R_ADDRARM64 counter
    6b010091   # add x11, x11, :lo12:counter
    0c000090   # adrp x12, buf                 R_ADDRARM64 buf
    8c010091   # add x12, x12, :lo12:buf
    00008052   # mov w0, #0
    fd7bc1a8   # ldp x29, x30, [sp], #16
    c0035fd6   # ret
    200020d4   # bad: brk #1
  `.replace(/#.*$/gm, '')), [
    { off: 12, size: 8, type: 'R_ADDRARM64', sym: 'tab', add: 0 },
    { off: 20, size: 8, type: 'R_ARM64_GOTPCREL', sym: 'len', add: 0 },
    { off: 32, size: 8, type: 'R_ADDRARM64', sym: 'tab', add: 8 },
    { off: 40, size: 8, type: 'R_ADDRARM64', sym: 'libc_write', add: 0 },
    { off: 56, size: 4, type: 'R_CALLIND', sym: '', add: 0 },
    { off: 60, size: 8, type: 'R_ADDRARM64', sym: 'counter', add: 0 },
    { off: 68, size: 8, type: 'R_ADDRARM64', sym: 'buf', add: 0 },
  ], { align: 4 });
  const tab = sym('tab', 'rodata', new Uint8Array(16), [
    { off: 0, size: 8, type: 'R_ADDR', sym: 'msg<>', add: 0 },
    { off: 8, size: 8, type: 'R_ADDR', sym: 'libc_write', add: 0 },
  ]);
  const len = sym('len', 'noptrdata', hex('0600000000000000'));
  const counter = sym('counter', 'data', new Uint8Array(8), [{ off: 0, size: 8, type: 'R_ADDR', sym: 'main', add: 4 }]);
  const buf = sym('buf', 'bss', new Uint8Array(0), [], { size: 0x5000, align: 16 });
  const msg = sym('msg<>', 'rodata', new TextEncoder().encode(HELLO), [], { align: 1, flags: { local: true } });
  return objFile('arm64', [main, tab, len, counter, buf, msg], [imp('libc_write', 'write')]);
}

/** i386, cdecl: write(1, msg, 6) with the stack 16-byte aligned at the call, return 0. */
export function helloI386(): ObjectFile {
  const main = sym('main', 'text', hex(`
    55              # push %ebp
    89 e5           # mov %esp,%ebp
    83 ec 0c        # sub $12,%esp
    6a 06           # push $6
    68 00000000     # push $msg              R_ADDR msg
    6a 01           # push $1
    e8 00000000     # call write             R_CALL libc_write
    83 c4 18        # add $24,%esp
    31 c0           # xor %eax,%eax
    5d              # pop %ebp
    c3              # ret
  `.replace(/#.*$/gm, '')), [
    { off: 9, size: 4, type: 'R_ADDR', sym: 'msg<>', add: 0 },
    { off: 16, size: 4, type: 'R_CALL', sym: 'libc_write', add: 0 },
  ]);
  const ptrs = sym('ptrs', 'data', new Uint8Array(8), [
    { off: 0, size: 4, type: 'R_ADDR', sym: 'main', add: 0 },
    { off: 4, size: 4, type: 'R_ADDR', sym: 'libc_write', add: 0 },
  ], { align: 4 });
  const msg = sym('msg<>', 'rodata', new TextEncoder().encode(HELLO), [{ off: 0, size: 0, type: 'R_CALLIND', sym: '', add: 0 }], { align: 1, flags: { local: true } });
  // main references ptrs so it stays live.
  main.relocs.push({ off: 4, size: 0, type: 'R_CALLIND', sym: 'ptrs', add: 0 });
  return objFile('386', [main, ptrs, msg], [imp('libc_write', 'write')]);
}
