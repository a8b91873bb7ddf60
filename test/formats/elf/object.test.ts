// ELF relocatable objects: round trips through asmlink's reader, and the GNU
// tools (readelf, objdump, ld -r) and llvm-objdump read them without a warning.

import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { readElfObject, writeElfObject } from '../../../src/formats/elf/index.js';
import { DiagnosticError } from '../../../src/diag.js';
import type { ObjectFile } from '../../../src/obj/symbol.js';
import { bytesOf, have, hex, imp, obj, run, sym, tmp } from '../../link/helpers.js';
import { libcProgram } from '../../link/programs.js';
import { link } from '../../../src/link/index.js';

function amd64Object(): ObjectFile {
  const o = libcProgram();
  o.symbols.push(sym('dup', 'noptrdata', hex('0102030405060708'), [], { flags: { dupok: true, noptr: true } }));
  o.symbols.push(sym('zero', 'noptrbss', new Uint8Array(0), [], { size: 64, align: 32 }));
  o.symbols.push(sym('main.f', 'text', hex('e8 00000000 c3'), [{ off: 1, size: 4, type: 'R_CALL', sym: 'unused', add: 0, line: 33 }], { frameSize: 16, argsSize: 8, flags: { nosplit: true } }));
  return o;
}

// i386: call f; movl $msg, %eax; movl %gs:tlsvar@ntpoff... ; ret
function i386Object(): ObjectFile {
  return obj(
    'x86.s',
    [
      sym('_rt0_386_linux', 'text', hex('e8 00000000 b8 00000000 65 a1 00000000 c3'), [
        { off: 1, size: 4, type: 'R_CALL', sym: 'f', add: 0, line: 2 },
        { off: 6, size: 4, type: 'R_ADDR', sym: 'msg<>', add: 4, line: 3 },
        { off: 12, size: 4, type: 'R_TLS_LE', sym: 'tlsg', add: 0, line: 4 },
      ]),
      sym('f', 'text', hex('e8 00000000 c3'), [{ off: 1, size: 4, type: 'R_CALL', sym: 'libc_write', add: 0, line: 9 }]),
      sym('msg<>', 'rodata', bytesOf('hello'), [], { flags: { local: true }, align: 1 }),
      sym('tlsg', 'tls', new Uint8Array(0), [], { size: 4, align: 4 }),
    ],
    [imp('libc_write', 'write', 'libc.so.6')],
    '386',
  );
}

// arm64: bl f; adrp x0, msg; add x0, x0, :lo12:msg; adrp x1, v; ldr x1, [x1, :lo12:v];
// adrp x2, :got:g; ldr x2, [x2, :got_lo12:g]; ret
function arm64Object(): ObjectFile {
  const text = hex(`
    00000094  00000090 00000091  01000090 210040f9  02000090 420040f9  c0035fd6
  `);
  return obj(
    'a64.s',
    [
      sym('_rt0_arm64_linux', 'text', text, [
        { off: 0, size: 4, type: 'R_CALLARM64', sym: 'f', add: 0, line: 2 },
        { off: 4, size: 8, type: 'R_ADDRARM64', sym: 'msg<>', add: 0, line: 3 },
        { off: 12, size: 8, type: 'R_ADDRARM64', sym: 'v', add: 8, line: 4 },
        { off: 20, size: 8, type: 'R_ARM64_GOTPCREL', sym: 'g', add: 0, line: 5 },
      ]),
      sym('f', 'text', hex('c0035fd6')),
      sym('msg<>', 'rodata', bytesOf('hello'), [], { flags: { local: true }, align: 1 }),
      sym('v', 'data', new Uint8Array(16)),
    ],
    [imp('g', 'environ')],
    'arm64',
  );
}

/** What must survive a round trip (data is padded to the symbol size by the writer). */
function shape(o: ObjectFile) {
  return {
    target: o.target,
    dynimports: o.dynimports,
    symbols: o.symbols
      .filter((s) => s.kind !== 'undef' && s.kind !== 'dynimport')
      .map((s) => {
        const data = s.kind === 'bss' || s.kind === 'noptrbss' || (s.kind === 'tls' && s.data.every((b) => b === 0)) ? '' : Buffer.from(s.data).toString('hex').padEnd(2 * s.size, '0');
        return {
          name: s.name,
          kind: s.kind,
          size: Math.max(s.size, s.data.length),
          align: s.align,
          flags: Object.fromEntries(Object.entries(s.flags).filter(([, v]) => v)),
          frame: s.frameSize,
          args: s.argsSize,
          file: s.file,
          line: s.line,
          data,
          relocs: s.relocs.filter((r) => r.type !== 'R_CALLIND').map((r) => ({ off: r.off, size: r.size, type: r.type, sym: r.sym, add: r.add, line: r.line ?? 0 })).sort((a, b) => a.off - b.off),
        };
      })
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
}

function roundTrip(o: ObjectFile): Uint8Array {
  const bytes = writeElfObject(o);
  const back = readElfObject(bytes, o.name);
  // i386 REL objects hold the addend in the field; mask those bytes before comparing.
  const a = shape(o);
  const b = shape(back);
  if (o.target.arch === '386') for (const s of [...a.symbols, ...b.symbols]) s.data = s.data.length ? 'x' : '';
  assert.deepEqual(b, a);
  // Writing what was read gives the same bytes.
  assert.deepEqual(writeElfObject(back), bytes);
  return bytes;
}

function toolsAccept(bytes: Uint8Array, name: string, ldEmulation: string | null, t: { skip(msg: string): void }, objdump = 'objdump') {
  if (!have('readelf') || !have(objdump)) return t.skip(`needs readelf and ${objdump} (Debian packages binutils, binutils-aarch64-linux-gnu)`);
  const p = tmp(name, bytes);
  const re = run('readelf', ['-aW', p]);
  assert.equal(re.status, 0);
  assert.equal(re.stderr, '', `readelf warnings: ${re.stderr}`);
  const od = run(objdump, ['-dr', p]);
  assert.equal(od.stderr, '', `objdump warnings: ${od.stderr}`);
  if (ldEmulation) {
    const ld = run('ld', ['-r', '-m', ldEmulation, '-o', p + '.r.o', p]);
    assert.equal(ld.status, 0, ld.stderr);
    assert.equal(ld.stderr, '', `ld -r warnings: ${ld.stderr}`);
  }
  if (have('llvm-objdump')) {
    const lo = run('llvm-objdump', ['-dr', p]);
    assert.equal(lo.status, 0, lo.stderr);
    assert.equal(lo.stderr, '', `llvm-objdump warnings: ${lo.stderr}`);
  }
  return { re: re.stdout, od: od.stdout };
}

test('amd64 object round-trips and the tools read it', (t) => {
  const bytes = roundTrip(amd64Object());
  const r = toolsAccept(bytes, 'amd64.o', 'elf_x86_64', t);
  if (!r) return;
  assert.match(r.re, /R_X86_64_PLT32\s+0+ libc_write - 4/);
  assert.match(r.re, /R_X86_64_PC32\s+0+ msg<> - 4/);
  assert.match(r.re, /R_X86_64_REX_GOTPCRELX\s+0+ libc_exit - 4/);
  assert.match(r.re, /R_X86_64_TPOFF32\s+0+ tlsvar \+ 0/);
  assert.match(r.re, /R_X86_64_32S\s+0+ exitptr \+ 0/);
  assert.match(r.re, /R_X86_64_64\s+0+ libc_exit \+ 0/);
  assert.match(r.re, /LOCAL\s+DEFAULT\s+\d+ msg<>/);
  assert.match(r.re, /WEAK\s+DEFAULT\s+\d+ dup/);
  assert.match(r.re, /TLS\s+GLOBAL\s+DEFAULT\s+\d+ tlsvar/);
  assert.match(r.re, /\.tbss\s+NOBITS.*WAT/);
  assert.match(r.re, /\.asmlink\.dynimport/);
});

test('i386 object (REL, addends in place) round-trips and the tools read it', (t) => {
  const bytes = roundTrip(i386Object());
  const r = toolsAccept(bytes, 'i386.o', 'elf_i386', t);
  if (!r) return;
  assert.match(r.re, /R_386_PLT32\s+0+\s+libc_write/);
  assert.match(r.re, /R_386_32\s+0+\s+msg<>/);
  assert.match(r.re, /R_386_TLS_LE\s+0+\s+tlsg/);
  // The addends live in the fields: call → -4, movl $msg+4 → 4.
  assert.match(r.od, /e8 fc ff ff ff/);
  assert.match(r.od, /b8 04 00 00 00/);
});

test('arm64 object (ADRP pairs) round-trips and the tools read it', (t) => {
  const bytes = roundTrip(arm64Object());
  const r = toolsAccept(bytes, 'arm64.o', null, t, 'aarch64-linux-gnu-objdump');
  if (!r) return;
  assert.match(r.re, /R_AARCH64_CALL26\s+[0-9a-f]+ f \+ 0/);
  assert.match(r.re, /R_AARCH64_ADR_PREL_PG_HI21\s+[0-9a-f]+ msg<> \+ 0/);
  assert.match(r.re, /R_AARCH64_ADD_ABS_LO12_NC\s+[0-9a-f]+ msg<> \+ 0/);
  assert.match(r.re, /R_AARCH64_LDST64_ABS_LO12_NC\s+[0-9a-f]+ v \+ 8/);
  assert.match(r.re, /R_AARCH64_ADR_GOT_PAGE\s+[0-9a-f]+ g \+ 0/);
  assert.match(r.re, /R_AARCH64_LD64_GOT_LO12_NC\s+[0-9a-f]+ g \+ 0/);
  if (have('aarch64-linux-gnu-ld')) {
    const p = tmp('arm64-ld.o', bytes);
    const ld = run('aarch64-linux-gnu-ld', ['-r', '-o', p + '.r.o', p]);
    assert.equal(ld.status, 0, ld.stderr);
    assert.equal(ld.stderr, '');
  }
});

test('objects from GNU as are read, linked and run (local labels through section symbols)', (t) => {
  if (!have('as')) return t.skip('needs as (Debian package binutils)');
  const src = tmp('foreign.s', bytesOf(`
    .text
    .globl _rt0_amd64_linux
    .type _rt0_amd64_linux, @function
_rt0_amd64_linux:
    call helper
    movl $1, %eax
    movl $1, %edi
    leaq msg(%rip), %rsi
    movl $3, %edx
    syscall
    movq counter, %rdi
    movl $60, %eax
    syscall
    .size _rt0_amd64_linux, .-_rt0_amd64_linux
    .globl helper
    .type helper, @function
helper:
    ret
    .size helper, .-helper
    .section .rodata
    .type msg, @object
msg: .ascii "hi\\n"
    .size msg, 3
    .data
    .globl counter
    .type counter, @object
counter: .quad 7
    .size counter, 8
`));
  const o = src.replace(/\.s$/, '.o');
  const as = run('as', ['-o', o, src]);
  assert.equal(as.status, 0, as.stderr);
  const obj = readElfObject(new Uint8Array(readFileSync(o)), 'foreign.o');
  const main = obj.symbols.find((s) => s.name === '_rt0_amd64_linux')!;
  // GNU as wrote `.rodata - 4` for the local msg; the reader names the local
  // symbol there (locals get asmlink's `<>` spelling).
  assert.deepEqual(main.relocs.map((r) => [r.type, r.sym, r.add]), [
    ['R_CALL', 'helper', 0],
    ['R_PCREL', 'msg<>', 0],
    ['R_ADDR', 'counter', 0],
  ]);
  const exe = link([obj], { target: { os: 'linux', arch: 'amd64' }, linkmode: 'internal', entry: '_rt0_amd64_linux' });
  if (!(process.platform === 'linux' && process.arch === 'x64')) return t.skip('needs linux/amd64 to run');
  const x = run(tmp('foreign', exe.bytes, true));
  assert.equal(x.stdout, 'hi\n');
  assert.equal(x.status, 7);
});

test("GNU as objects are linked whole: a local call it resolved without a relocation still lands", (t) => {
  // GNU as writes `call local_fn` and `call helper` (local, same section) as
  // fixed displacements: dropping the unreferenced `unused` between them, or
  // moving `local2` off its padding, would send the calls elsewhere.
  if (!have('as')) return t.skip('needs as (Debian package binutils)');
  const src = tmp('whole.s', bytesOf(`
    .text
    .p2align 4
    .type helper, @function
helper:
    movl $40, %edi
    ret
    .size helper, .-helper
    .globl _rt0_amd64_linux
    .p2align 5
_rt0_amd64_linux:
    call helper
    call local2
    addl %eax, %edi
    movl $60, %eax
    syscall
unused:
    movl $1, %edi
    ret
    .p2align 3
local2:
    movl $2, %eax
    ret
`));
  const o = src.replace(/\.s$/, '.o');
  const as = run('as', ['-o', o, src]);
  assert.equal(as.status, 0, as.stderr);
  const object = readElfObject(new Uint8Array(readFileSync(o)), 'whole.o');
  assert.equal(object.indivisible, true);
  assert.deepEqual(object.symbols.map((s) => s.name), ['helper<>', '_rt0_amd64_linux', 'unused<>', 'local2<>'], 'in address order');
  const exe = link([object], { target: { os: 'linux', arch: 'amd64' }, linkmode: 'internal', entry: '_rt0_amd64_linux' });
  if (!(process.platform === 'linux' && process.arch === 'x64')) return t.skip('needs linux/amd64 to run');
  assert.equal(run(tmp('whole', exe.bytes, true)).status, 42);
  // asmlink's own objects are not linked whole: an unreferenced function is left out.
  assert.equal(readElfObject(writeElfObject(amd64Object()), 'own.o').indivisible, undefined);
});

test('malformed objects are diagnostics, never crashes', () => {
  const good = writeElfObject(amd64Object());
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) % 65536) / 65536;
  let linked = 0;
  const check = (b: Uint8Array) => {
    let o: ObjectFile;
    try {
      o = readElfObject(b, 'bad.o');
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      assert.match(e.message, /^bad\.o/);
      return;
    }
    // Whatever the reader accepts, the linker handles without crashing.
    try {
      link([o], { target: { os: 'linux', arch: 'amd64' }, linkmode: 'internal', entry: '_rt0_amd64_linux' });
      linked++;
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
    }
  };
  for (let n = 0; n < good.length; n += 7) check(good.subarray(0, n));
  for (let i = 0; i < 2000; i++) {
    const b = good.slice();
    const k = 1 + Math.floor(rnd() * 4);
    for (let j = 0; j < k; j++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    check(b);
  }
  assert.throws(() => readElfObject(new Uint8Array(10), 'x.o'), DiagnosticError);
  assert.ok(linked > 0, 'some mutated objects still link');
});

/** .symtab entries (name, bind, section index) and .rela.text entries (offset, symbol name) of an ELF64 object. */
function symtabAndTextRelocs(b: Uint8Array) {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shoff = Number(dv.getBigUint64(0x28, true));
  const shnum = dv.getUint16(0x3c, true);
  const shstr = shoff + 64 * dv.getUint16(0x3e, true);
  const str = (tab: number, off: number) => {
    let end = tab + off;
    while (b[end] !== 0) end++;
    return Buffer.from(b.subarray(tab + off, end)).toString();
  };
  const secs = Array.from({ length: shnum }, (_, i) => {
    const h = shoff + 64 * i;
    return { name: str(Number(dv.getBigUint64(shstr + 24, true)), dv.getUint32(h, true)), off: Number(dv.getBigUint64(h + 24, true)), size: Number(dv.getBigUint64(h + 32, true)), link: dv.getUint32(h + 40, true) };
  });
  const symtab = secs.find((s) => s.name === '.symtab')!;
  const strtab = secs[symtab.link].off;
  const syms = [];
  for (let o = symtab.off; o < symtab.off + symtab.size; o += 24) syms.push({ name: str(strtab, dv.getUint32(o, true)), bind: b[o + 4] >> 4, shndx: dv.getUint16(o + 6, true) });
  const rela = secs.find((s) => s.name === '.rela.text')!;
  const relocs = [];
  for (let o = rela.off; o < rela.off + rela.size; o += 24) relocs.push([Number(dv.getBigUint64(o, true)), syms[dv.getUint32(o + 12, true)].name]);
  return { syms: syms.map((s) => `${s.name}/${s.bind}/${s.shndx}`), relocs };
}

test('.symtab order: files (the object\'s, then its symbols\' sources), locals, globals (by section), undefined symbols by first reference; relocations sorted by offset', () => {
  const call = (off: number, s: string) => ({ off, size: 4, type: 'R_CALL' as const, sym: s, add: 0 });
  const o = obj('dir/order.s', [
    sym('d', 'noptrdata', new Uint8Array(8), [{ off: 0, size: 8, type: 'R_ADDR', sym: 'u_data', add: 0 }]),
    sym('f', 'text', new Uint8Array(16), [call(8, 'u2'), call(1, 'u1'), call(12, 'l<>')]),
    sym('l<>', 'text', new Uint8Array(8), [call(0, 'u1'), call(4, 'f')], { flags: { local: true } }),
    sym('x', 'undef', new Uint8Array(0)),
  ]);
  const { syms, relocs } = symtabAndTextRelocs(roundTrip(o));
  // Sections: 1 .text, 2 .rela.text, 3 .noptrdata, 4 .rela.noptrdata. The symbols come from test.s.
  assert.deepEqual(syms, ['/0/0', 'order.s/0/65521', 'test.s/0/65521', 'l<>/0/1', 'f/1/1', 'd/1/3', 'u1/1/0', 'u2/1/0', 'u_data/1/0']);
  assert.deepEqual(relocs, [
    [1, 'u1'],
    [8, 'u2'],
    [12, 'l<>'],
    [16, 'u1'],
    [20, 'f'],
  ]);
});
