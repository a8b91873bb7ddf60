// The symbol table of a darwin executable (src/link/macho-symtab.ts) and the
// addresses in it, read back by llvm-nm and llvm-objdump: local symbols in
// program order, then the defined external ones sorted by name with
// __mh_execute_header, then the imports sorted by name (LC_DYSYMTAB's three
// groups); every value the address the code has (the linker holds Mach-O
// addresses as offsets from the image base and adds it back when it writes
// them, see Layout.bias). Linked from the assembler's object in memory
// (names as strings) and from the object written and read back (local
// names copied as the bytes of the object's string table): the same bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../../src/asm/assemble.js';
import { link } from '../../src/link/link.js';
import { writeMachOObject } from '../../src/formats/macho/object.js';
import { readObject } from '../../src/formats/read-objects.js';
import type { ArchName } from '../../src/target.js';
import { run, which, writeTmp } from '../formats/macho/tools.js';
import { objdump, sectionAt } from '../formats/macho/objdump.js';

/** The program, in each arch's instructions: a call, and taking tab's address (on 386, as an absolute address in code). */
function source(arch: ArchName): string {
  const call = arch === 'arm64' ? 'BL' : 'CALL';
  const addr = { amd64: 'LEAQ tab(SB), AX', arm64: 'MOVD $tab(SB), R0', '386': 'LEAL tab(SB), AX' }[arch];
  const ptr = arch === '386' ? 4 : 8;
  return [
    '//go:cgo_import_dynamic libc_write write "/usr/lib/libSystem.B.dylib"',
    '//go:cgo_import_dynamic libc_exit exit "/usr/lib/libSystem.B.dylib"',
    'TEXT zeta<>(SB),4,$0', '\tRET',
    'TEXT zz(SB),4,$0', '\tRET',
    'TEXT main(SB),4,$0',
    ...['zeta<>', 'alpha<>', 'zz', 'aa'].map((f) => `\t${call} ${f}(SB)`),
    `\t${addr}`,
    `\t${call} libc_write(SB)`,
    `\t${call} libc_exit(SB)`,
    '\tRET',
    'TEXT alpha<>(SB),4,$0', '\tRET',
    'TEXT aa(SB),4,$0', '\tRET',
    'TEXT mm(SB),4,$0', '\tRET',
    `DATA tab+0(SB)/${ptr}, $mm(SB)`,
    `DATA tab+${ptr}(SB)/${ptr}, $zz+1(SB)`,
    `GLOBL tab(SB), 8, $${2 * ptr}`,
    '',
  ].join('\n');
}

for (const arch of ['amd64', 'arm64', '386'] as const satisfies readonly ArchName[]) {
  test(`darwin/${arch} symbol table: locals in program order, externals then imports by name, values are addresses (llvm-nm, llvm-objdump)`, (t) => {
    const nm = which('llvm-nm', 'llvm-nm-14', 'llvm-nm-16');
    if (!nm || !objdump()) return t.skip('needs llvm-nm and llvm-objdump (Debian package llvm)');
    const target = { os: 'darwin', arch } as const;
    const obj = assemble(source(arch), { target, file: 'syms.s' });
    const fromMemory = link([obj], { target, linkmode: 'internal', entry: 'main', format: {} });
    const fromFile = link([readObject(writeMachOObject(obj), 'syms.o')], { target, linkmode: 'internal', entry: 'main', format: {} });
    assert.equal(fromMemory.kind, 'executable');
    assert.equal(fromFile.kind, 'executable');
    assert.deepEqual(fromFile.bytes, fromMemory.bytes);
    const exe = writeTmp(`symtab-${arch}`, fromMemory.bytes);

    // -p: in symbol table order.
    const listing = run(nm, ['-p', exe]);
    assert.equal(listing.status, 0, listing.stderr);
    const rows = listing.stdout.trim().split('\n').map((l) => {
      const m = /^([0-9a-f]{8}|[0-9a-f]{16}|\s{8}|\s{16}) (\S) (\S+)$/.exec(l);
      assert.ok(m, `llvm-nm line: ${l}`);
      return { addr: m[1]!.trim() === '' ? undefined : parseInt(m[1]!, 16), type: m[2]!, name: m[3]! };
    });
    const names = rows.map((r) => r.name.replace(/<>$/, ''));
    assert.deepEqual(names, ['_zeta', '_alpha', '__mh_execute_header', '_aa', '_main', '_mm', '_tab', '_zz', '_exit', '_write']);
    assert.deepEqual(rows.map((r) => r.type), ['t', 't', 'T', 'T', 'T', 'T', 'S', 'T', 'U', 'U']);
    const addr = new Map(rows.map((r) => [r.name.replace(/<>$/, ''), r.addr]));
    const base = arch === '386' ? 0x1000 : 0x100000000;
    assert.equal(addr.get('__mh_execute_header'), base);
    for (const n of ['_zeta', '_alpha', '_aa', '_main', '_mm', '_tab', '_zz']) assert.ok(addr.get(n)! > base, `${n} at 0x${addr.get(n)?.toString(16)}`);

    // LC_DYSYMTAB's groups.
    const headers = run(objdump()!, ['--macho', '--private-headers', exe]).stdout;
    const field = (f: string) => Number(new RegExp(`\\b${f} (\\d+)`).exec(headers)?.[1]);
    assert.deepEqual(
      ['ilocalsym', 'nlocalsym', 'iextdefsym', 'nextdefsym', 'iundefsym', 'nundefsym'].map(field),
      [0, 2, 2, 6, 8, 2],
    );

    // The function starts are the functions' addresses.
    const starts = run(objdump()!, ['--macho', '--function-starts', exe]).stdout;
    const startAddrs = [...starts.matchAll(/^([0-9a-f]+)/gim)].map((m) => parseInt(m[1]!, 16)).sort((x, y) => x - y);
    const funcs = ['_zeta', '_zz', '_main', '_alpha', '_aa', '_mm'].map((n) => addr.get(n)!).sort((x, y) => x - y);
    assert.deepEqual(startAddrs, funcs);

    // The pointers in tab hold the unslid addresses of mm and zz+1 (dyld adds the slide).
    // (tab is read-only data with pointers: __DATA_CONST, which 32-bit macOS did not have.)
    const consts = sectionAt(exe, arch === '386' ? '__DATA' : '__DATA_CONST', '__const');
    const ptr = arch === '386' ? 4 : 8;
    assert.deepEqual(words(consts, addr.get('_tab')!, 2, ptr), [addr.get('_mm'), addr.get('_zz')! + 1]);
    if (arch === '386') {
      // darwin/386 is a classic non-PIE image at 0x1000: nothing is rebased, so these values are the
      // linker core's (R_ADDR plus the bias). LEAL tab(SB), AX is 8d 05 <tab>: the address itself
      // (llvm-objdump prints it in decimal).
      const code = run(objdump()!, ['-d', '--no-show-raw-insn', exe]).stdout;
      assert.match(code, new RegExp(`leal\\s+${addr.get('_tab')!},\\s*%eax`), code);
    }
  });
}

/** `count` little-endian words of `size` bytes at address `at` of a section. */
function words(sect: { addr: number; bytes: Uint8Array }, at: number, count: number, size: number): number[] {
  const out: number[] = [];
  for (let w = 0; w < count; w++) {
    const from = at - sect.addr + size * w;
    assert.ok(from >= 0 && from + size <= sect.bytes.length, `0x${(at + size * w).toString(16)} is not in the section`);
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + sect.bytes[from + i]!;
    out.push(v);
  }
  return out;
}
