// Inputs the fuzz campaign found, kept as regression tests. Inputs that once
// hung or allocated without bound run in a child process with a time limit,
// so a regression cannot stall npm test. A test marked todo is a known bug in
// another part of asmlink, reported to its owner; it runs, and its failure is
// expected until the fix lands.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { asmlink, repoRoot, tempDir, writeTemp } from '../helpers.js';

const replayJs = path.join(repoRoot, 'dist', 'test', 'fuzz', 'replay.js');

/** Replays a campaign input in a child; returns its status (null when it had to be killed). */
function replay(property: string, input: unknown, timeoutMs: number): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [replayJs, property, JSON.stringify(input)], { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
  return { status: r.status, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

/** Runs an ES module snippet in a child with a time limit; `R` is the repository's dist/ as a file URL prefix. */
function inChild(code: string, timeoutMs: number): { status: number | null; out: string } {
  const prefix = new URL(`file://${path.join(repoRoot, 'dist')}/`).href;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code.replaceAll('R/', prefix)], { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
  return { status: r.status, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

test('campaign seed 11: Mach-O reader with strsize 0xffffffff in a 2 KB file is a diagnostic, not a 4-billion-step loop', () => {
  // Fixed in src/formats/macho/read-object.ts: the symbol and string tables are bounds-checked before use.
  const input = [596599636, 19, [{ op: 'u64', at: 657699781, hi: 1, lo: 4294967295 }]];
  const r = replay('object-reader-mutated', input, 20000);
  assert.equal(r.status, 0, r.out || 'killed after 20 s');
});

test('campaign seed 4141: a darwin object whose sections overlap in the file reads as the Symbol reader reads it', () => {
  // A flipped byte made two sections share file bytes; the columns reader zeroed an x86 relocation field in
  // its one copy of the file, which the other section's symbol then saw. Fixed in
  // src/formats/macho/read-columns.ts: such an object is left to the Symbol reader.
  const input = [1282534605, 0, [{ op: 'flip', at: 1004447568, value: 234 }]];
  const r = replay('read-then-link', input, 20000);
  assert.equal(r.status, 0, r.out || 'killed after 20 s');
});

test('campaign seed 4141: a darwin object whose symbol note gives a relocation line of 0.1 reads as the Symbol reader reads it', () => {
  // A flipped byte made a line "0.1", which a Reloc kept and an Int32Array column cannot. Fixed in
  // src/formats/macho/read-object.ts and read-columns.ts: such a note is a diagnostic.
  const input = [2147483632, 1821016383, [{ op: 'flip', at: 1757625895, value: 46 }, { op: 'flip', at: 26298765, value: 0 }]];
  const r = replay('read-then-link', input, 20000);
  assert.equal(r.status, 0, r.out || 'killed after 20 s');
});

test('campaign seed 2405: a darwin object whose 8-byte addend has a tag in its top byte reads as the Symbol reader reads it', () => {
  // A flipped byte put 0x80 in the top byte of an R_ADDR field: the Symbol reader kept it as a tag (session 23's
  // tagged pointers) while the columns reader took the whole field as a number. Fixed in obj/bytes.ts
  // (getAddend64, which both readers use) and src/formats/macho/read-columns.ts (the tag stays in the zeroed field).
  const input = [1786416929, 952656506, [{ op: 'flip', at: 644248631, value: 14 }]];
  const r = replay('read-then-link', input, 20000);
  assert.equal(r.status, 0, r.out || 'killed after 20 s');
});

test('campaign seed 6363: a darwin object whose symbol note gives a size of 0.3 is a diagnostic, not a RangeError in the writer', () => {
  // Fixed in src/formats/macho/read-object.ts: the note's sizes, alignments and lines must be whole numbers.
  const input = [1618719243, 0, [{ op: 'flip', at: 704233814, value: 46 }]];
  const r = replay('read-then-link', input, 20000);
  assert.equal(r.status, 0, r.out || 'killed after 20 s');
});

test('campaign seed 3232: an arm64 frame that saves FP and LR at an offset not a multiple of 8 is left out of .debug_frame, not written as 8', () => {
  // A mutation made `STP (R29, R30), ~0(RSP)`: LR at CFA-9, which DW_CFA_offset (offsets factored by 8)
  // cannot say; the writer wrote 9/8 as 1. Fixed in src/formats/dwarf/call-frames.ts (savedSayable).
  const input = [1605226457, [{ op: 'char', at: 1454410887, ch: '~' }, { op: 'char', at: 918050149, ch: ' ' }], 'linux'];
  const r = replay('asm-mutated-sources', input, 20000);
  assert.equal(r.status, 0, r.out || 'killed after 20 s');
});

test('Mach-O reader: a section alignment of 2^0xffffffff is a diagnostic, not an endless loop', () => {
  // 2 ** 0xffffffff is Infinity, and halving Infinity never reaches 1. Fixed in src/formats/macho/read-object.ts.
  const r = inChild(
    `import { corpus } from 'R/test/fuzz/obj-gen.js';
     import { readMachOObject } from 'R/src/formats/macho/read-object.js';
     import { DiagnosticError } from 'R/src/diag.js';
     for (const arch of ['amd64', '386', 'arm64']) {
       for (const o of corpus({ os: 'darwin', arch }).bytes) {
         const b = o.bytes.slice();
         const dv = new DataView(b.buffer);
         const is64 = dv.getUint32(0, true) === 0xfeedfacf;
         // The first section header of the first (segment) load command: its align field.
         dv.setUint32((is64 ? 32 + 72 + 52 : 28 + 56 + 44), 0xffffffff, true);
         try { readMachOObject(b, o.name); } catch (e) { if (!(e instanceof DiagnosticError)) throw e; }
       }
     }
     console.log('handled');`,
    20000,
  );
  assert.equal(r.status, 0, r.out || 'killed after 20 s');
  assert.match(r.out, /handled/);
});

test('campaign seed 7: darwin/arm64 external link with a 2 GiB symbol alignment finishes', () => {
  const input = [1578304931, [{ op: 'symAlign', obj: 1207961660, sym: 123236997, align: 2147483648 }], 'external'];
  // Was minutes and 2 GiB of padding in the Mach-O object writer; fixed there (alignment capped).
  const r = replay('link-mutated-objects', input, 20000);
  assert.equal(r.status, 0, r.out || 'killed after 20 s');
});

test('campaign seed 7: a RODATA GLOBL of 2 GiB - 4 KiB is diagnosed, not written as 2 GiB of zeros', () => {
  // Found as a hang of `asm` (the object writer wrote 2 GiB); the front end now limits read-only data.
  const dir = tempDir();
  const src = writeTemp(dir, 'big.s', '#include "textflag.h"\nGLOBL big<>(SB), RODATA, $0x7ffff000\nTEXT ·main(SB),NOSPLIT,$0-0\n\tRET\n');
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'src', 'cli', 'main.js'), 'asm', '--os', 'darwin', '--arch', 'amd64', '-o', path.join(dir, 'big.o'), src], { encoding: 'utf8', timeout: 20000, killSignal: 'SIGKILL' });
  assert.equal(r.status, 1, r.stderr || 'killed after 20 s');
  assert.match(r.stderr, /big\.s:2:\d+: .*limit/);
});

test('campaign seed 4242: a 4 GiB TLS symbol with contents is a diagnostic, not a RangeError', () => {
  // Fixed in src/link/sections.ts: sections with contents are limited to 2 GiB - 1 before allocation.
  const input = [0, [{ op: 'symSize', obj: 1048956685, sym: 0, size: 4294967295 }, { op: 'symKind', obj: 1512045357, sym: 0, kind: 'tls' }], 'internal'];
  const r = replay('link-mutated-objects', input, 20000);
  assert.equal(r.status, 0, r.out || 'killed after 20 s');
});

test('many large RODATA GLOBLs (each under the front end limit) are a link diagnostic, not an internal error', () => {
  const dir = tempDir();
  const n = 9;
  const lines = ['#include "textflag.h"'];
  for (let i = 0; i < n; i++) lines.push(`GLOBL r${i}<>(SB), RODATA, $0x0ff00000`);
  lines.push('TEXT ·main(SB),NOSPLIT,$0-0');
  for (let i = 0; i < n; i++) lines.push(`\tLEAQ\tr${i}<>(SB), AX`);
  lines.push('\tRET');
  const src = writeTemp(dir, 'many.s', lines.join('\n') + '\n');
  const r = asmlink(['build', '--os', 'linux', '--arch', 'amd64', '-o', path.join(dir, 'many'), src]);
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error|^\s+at /m);
  assert.match(r.stderr, /many\.s:2:\d+: rodata section of \d+ bytes is larger than 2147483647 bytes \(the largest symbol is r0<>, 267386880 bytes\)/);
});

test('campaign seed 1: hello + runtime with a 2 GiB text symbol size: fuzz inputs now stay reader-plausible', () => {
  // The first campaign grew a text symbol to 2 GiB through the API; no object
  // reader or source can produce that (text contents are the code), so the
  // generator now keeps huge sizes to zero-filled kinds. This input must be handled quickly.
  const input = [406222029, [{ op: 'symSize', obj: 0, sym: 0, size: 2147483647 }, { op: 'symKind', obj: 2147483619, sym: 15, kind: 'noptrbss' }, { op: 'dropImport', obj: 13, imp: 3 }], 'internal'];
  const r = replay('link-mutated-objects', input, 20000);
  assert.equal(r.status, 0, r.out || 'killed after 20 s');
});

test('asmlink asm on the mutated inputs of the campaigns: status 0 or 1, no stack trace', () => {
  const dir = tempDir();
  const srcs = [
    'GLOBL SB(SB), RODATA, $8\n',
    '#define REC REC\nREC\n',
    '#define A B\n#define B A\nA\n',
    '#include "self.s"\n',
    'TEXT ·f(SB),NOSPLIT,$-8-0\n\tMOVQ\t$0xffffffffffffffff, AX\n\tRET\n',
    'DATA x+0(SB)/8, $"\\u0000"\nGLOBL x(SB), $-1\n',
  ];
  srcs.forEach((s, i) => {
    const f = writeTemp(dir, i === 3 ? 'self.s' : `r${i}.s`, s);
    const r = asmlink(['asm', '--os', 'linux', '--arch', 'amd64', '-o', path.join(dir, `r${i}.o`), f]);
    assert.ok(r.status === 0 || r.status === 1, `${s}: status ${r.status}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  });
});

test('campaign seed 8088: a darwin object defining the library name of an unused import reads back with its own names', () => {
  // The Mach-O reader gave every entry named like an import's library name
  // the import's local name, defined ones too. Fixed in src/formats/macho/read-object.ts.
  for (const [arch, src] of [
    ['386', '#include "textflag.h"\nTEXT ·f(SB),NOSPLIT,$16-8\nTEXT FP(SB),NOSPLIT,$0\n//go:cgo_import_dynamic main FP "libc.so.6"'],
    ['arm64', '#include "textflag.h"\nTEXT ·f(SB),NOSPLIT,$16-8\nTEXT main(SB),NOSPLIT,$0\n//go:cgo_import_dynamic foo<> main "libc.so.6"'],
  ]) {
    const r = replay(`asm-soup-${arch}`, [src, 'darwin'], 20000);
    assert.equal(r.status, 0, r.out || 'killed after 20 s');
  }
});

test('a darwin object that calls an import and defines its library name is refused, naming the import', () => {
  const dir = tempDir();
  const src = writeTemp(dir, 'clash.s', '#include "textflag.h"\nTEXT ·f(SB),NOSPLIT,$0\n\tCALL puts(SB)\n\tRET\nTEXT FP(SB),NOSPLIT,$0\n\tRET\n//go:cgo_import_dynamic puts FP "/usr/lib/libSystem.B.dylib"\n');
  for (const arch of ['amd64', '386', 'arm64']) {
    const r = asmlink(['asm', '--os', 'darwin', '--arch', arch, '-o', path.join(dir, `clash-${arch}.o`), src]);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, `${src}:7:1: import puts names FP in /usr/lib/libSystem.B.dylib, and this object defines FP too: in a Mach-O object both are named _FP, so the linker would bind the import's references to that definition\n`);
  }
  // ELF objects keep imports by their local names: no clash there.
  assert.equal(asmlink(['asm', '--os', 'linux', '--arch', 'amd64', '-o', path.join(dir, 'clash.o'), src]).status, 0);
});

test('campaign seed 8088: a file-local name that is not UTF-8 fits the executable its layout bounded', () => {
  // The bound counted the input's bytes, the writer the UTF-8 of the decoded
  // name (three bytes per U+FFFD): "internal: the executable outgrew...". Fixed in src/formats/elf/write-exec.ts.
  const r = replay('read-then-link', [7, 0, [{ op: 'u64', at: 550084640, hi: 4294967295, lo: 4294967295 }]], 20000);
  assert.equal(r.status, 0, r.out || 'killed after 20 s');
});

test('campaign seed 8088: an external link with a 2 GiB TLS section is handled in time', () => {
  // Was 10 s and a 2 GB object. Fixed in src/link/pipeline.ts: external links plan (and so check) sections too.
  // (Since then the internal link leaves the unreached symbol out, and the external object holds it: 2 GiB in ~2 s.)
  const r = replay('link-mutated-objects', [0, [{ op: 'symKind', obj: 0, sym: 0, kind: 'tls' }, { op: 'symSize', obj: 371237594, sym: 0, size: 2147483647 }], 'external'], 20000);
  assert.equal(r.status, 0, r.out || 'killed after 20 s');
});

test('campaign seed 1111: 32-bit objects whose BSS passes 4 GiB are a diagnostic, not a wrapped section size', () => {
  // GLOBLs of 2 GiB, 222 MiB and 1.8 GiB made a .bss of 2^32 bytes, which ELF32's 32-bit sh_size wrote as 0 (and
  // a Mach-O i386 object's addresses wrapped likewise): asmlink's own reader then refused the object. Fixed in
  // src/formats/elf/write-object.ts and src/formats/macho/object.ts: the symbol that passes 4 GiB is reported.
  const dir = tempDir();
  const src = writeTemp(dir, 'big.s', 'GLOBL main(SB), $(2147483647)\nGLOBL foo<>(SB), $0+233152361\nGLOBL libc·write(SB), $0x721a6094\n');
  for (const os of ['linux', 'darwin']) {
    const out = path.join(dir, `big-${os}.o`);
    const r = asmlink(['asm', '--os', os, '--arch', '386', '-o', out, src]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /big\.s:3:\d+: libc\.write ends past 4 GiB into .*: more than a 32-bit (ELF|Mach-O) object can hold\n$/);
    assert.ok(!fs.existsSync(out), 'no object is written');
  }
  // Up to 4 GiB - 1 fits: two symbols of 2 GiB - 1 (ELF; the Mach-O object's other sections come first).
  const fits = writeTemp(dir, 'fits.s', 'GLOBL a(SB), $(2147483647)\nGLOBL b(SB), $(2147483647)\n');
  const r = asmlink(['asm', '--os', 'linux', '--arch', '386', '-o', path.join(dir, 'fits.o'), fits]);
  assert.equal(r.status, 0, r.stderr);
  // And the same sizes on 64-bit targets are not refused.
  for (const arch of ['amd64', 'arm64']) {
    const r64 = asmlink(['asm', '--os', 'linux', '--arch', arch, '-o', path.join(dir, `big-${arch}.o`), src]);
    assert.equal(r64.status, 0, r64.stderr);
  }
});

test('campaign seed 1717: -g objects read back each instruction\'s frame as assembled, for frames of 512 MiB and beyond', () => {
  // A 512 MiB frame's SP distance overflowed the instruction records, which
  // packed it with two flag bits into one 32-bit word (fixed in
  // src/arch/inst-table.ts: the distance has a word of its own). Frames the
  // call-frame table cannot say (2 GiB and more, SP above the call's after a
  // stray ADD) are left out by the writer, as the property now allows.
  const cases: [string, unknown][] = [
    ['asm-soup-amd64', ['#include "textflag.h"\nTEXT ·f(SB),NOSPLIT,$16-8\nTEXT main(SB),NOSPLIT,$536870904-0x7fffffffffffffff', 'linux']],
    ['asm-soup-arm64', ['#include "textflag.h"\nTEXT ·f(SB),NOSPLIT,$16-8\nTEXT main(SB),NOSPLIT,$0x7fffffffffffffff-0', 'linux']],
    ['asm-mutated-sources', [1610089808, [{ op: 'dup', at: 57 }, { op: 'delete', at: 623431905 }], 'linux']],
  ];
  for (const [property, input] of cases) {
    const r = replay(property, input, 60000);
    assert.equal(r.status, 0, `${property}: ${r.out || 'killed after 60 s'}`);
  }
});

test('campaign seed 1818: in a darwin -g object, an empty function at the next one\'s address does not take its lines', () => {
  // Mach-O DWARF names functions by address; an empty function shares its
  // address with the next, and the reader gave that address to whichever
  // sorted last. Fixed in src/formats/macho/line-tables.ts: at one address the
  // function with code wins.
  const cases: [string, unknown][] = [
    ['asm-soup-386', ['#include "textflag.h"\nTEXT ·f(SB),NOSPLIT,$16-8\nTEXT main(SB),NOSPLIT,$0\nTEXT libc·write(SB),NOSPLIT,$0b101-0', 'darwin']],
    ['asm-mutated-sources', [732221403, [{ op: 'delete', at: 73303055 }, { op: 'cut', at: 365672562, len: 1 }], 'darwin']],
  ];
  for (const [property, input] of cases) {
    const r = replay(property, input, 60000);
    assert.equal(r.status, 0, `${property}: ${r.out || 'killed after 60 s'}`);
  }
});

/** A darwin/arm64 object of `src`, its __text section, and a view to edit its relocation entries with. */
async function darwinArm64Object(src: string) {
  const { assemble } = await import('../../src/asm/assemble.js');
  const { writeMachOObject } = await import('../../src/formats/macho/index.js');
  const { objectLayout } = await import('../../src/formats/macho/object-layout.js');
  const bytes = new Uint8Array(writeMachOObject(assemble(src, { file: 'p.s', target: { os: 'darwin', arch: 'arm64' } })));
  const text = objectLayout(bytes).sects.find((s) => s.sectname === '__text')!;
  return { bytes, text, dv: new DataView(bytes.buffer, bytes.byteOffset) };
}

/** Reads a Mach-O object without its link index; where the columns reader takes it, its columns and the Symbol reader's objects must agree. */
async function readersAgree(bytes: Uint8Array) {
  const { readMachOObject } = await import('../../src/formats/macho/index.js');
  const { columnsOf } = await import('../../src/obj/columns.js');
  const { columnsAgainstSymbols } = await import('../formats/macho/columns-diff.js');
  const obj = readMachOObject(bytes, 'p.o', { index: false });
  const cols = columnsOf(obj);
  if (cols !== null) assert.deepEqual(columnsAgainstSymbols(cols, obj.symbols), []);
  return obj;
}

test('campaign seed 1921: a darwin/arm64 object with two page entries in a row reads as the Symbol reader reads it', async () => {
  // A flipped byte turned a PAGEOFF12 entry into another PAGE21: the columns
  // reader dropped the first page entry, while the Symbol reader (since
  // session 19) keeps a lone half. Fixed in src/formats/macho/read-columns.ts:
  // such an object is left to the Symbol reader.
  const { bytes, text, dv } = await darwinArm64Object('DATA msg<>+0(SB)/8, $1\nGLOBL msg<>(SB), 8, $8\nTEXT ·f(SB),4,$0\n\tMOVD\t$msg<>(SB), R0\n\tMOVD\t$msg<>(SB), R1\n\tRET\n');
  // The first pair's PAGEOFF12 becomes a PAGE21; the second pair stays whole.
  let changed = 0;
  for (let i = 0; i < text.nreloc && changed === 0; i++) {
    const e = text.reloff + 8 * i + 4;
    const w = dv.getUint32(e, true);
    if (w >>> 28 === 4) {
      dv.setUint32(e, ((w & 0x0fffffff) | (3 << 28)) >>> 0, true);
      changed++;
    }
  }
  assert.equal(changed, 1);
  const obj = await readersAgree(bytes);
  // The Symbol reader keeps both lone page halves and the whole pair: nothing is dropped.
  assert.deepEqual(obj.symbols.find((s) => s.name === 'main.f')!.relocs.map((r) => r.type).sort(), ['R_ADDRARM64', 'R_ARM64_PAGE', 'R_ARM64_PAGE']);
});

test('campaign seed 1921: a REL relocation into a section whose type a mutation made SHT_NULL is a diagnostic, not a RangeError', async (t) => {
  // sections() checks every section's place in the file but SHT_NULL's; a
  // 386 object's REL addend is read from the field, which lay outside the
  // file. Fixed in src/formats/elf/read-object.ts: a relocation into such a section is refused.
  const { findOnPath } = await import('../../src/host/run.js');
  if (!findOnPath('as')) return t.skip('needs GNU as (Debian package binutils)');
  const { readElfObject } = await import('../../src/formats/elf/index.js');
  const { DiagnosticError } = await import('../../src/diag.js');
  const dir = tempDir();
  const o = path.join(dir, 'rel.o');
  const a = spawnSync('as', ['--32', '-o', o, writeTemp(dir, 'rel.s', '\t.text\n\t.globl f\nf:\n\tmovl $msg, %eax\n\tret\n\t.data\nmsg:\t.long 7\n')], { encoding: 'utf8' });
  assert.equal(a.status, 0, a.stderr);
  const bytes = new Uint8Array(fs.readFileSync(o));
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  const shoff = dv.getUint32(32, true);
  const shentsize = dv.getUint16(46, true);
  const shnum = dv.getUint16(48, true);
  const strtab = dv.getUint32(shoff + dv.getUint16(50, true) * shentsize + 16, true);
  let text = -1;
  for (let i = 0; i < shnum; i++) {
    const nameAt = strtab + dv.getUint32(shoff + i * shentsize, true);
    if (Buffer.from(bytes.subarray(nameAt, nameAt + 6)).toString('latin1') === '.text\0') text = i;
  }
  assert.ok(text > 0);
  dv.setUint32(shoff + text * shentsize + 4, 0, true); // sh_type: SHT_NULL
  dv.setUint32(shoff + text * shentsize + 16, 0x7ffffff0, true); // sh_offset: far outside the file
  assert.throws(() => readElfObject(bytes, 'rel.o'), (e: unknown) => e instanceof DiagnosticError && /relocation outside its section/.test(e.message));
});

test('campaign seed 1923: a darwin/arm64 pair whose entries another relocation\'s address falls between reads as the Symbol reader reads it', async () => {
  // A flipped byte moved a branch's relocation onto the ADRP of a pair: the
  // columns reader joined the pair's consecutive entries, the Symbol reader
  // (joining after sorting by address) did not. Fixed in
  // src/formats/macho/read-object.ts: a page offset right after its page
  // entry completes it, as the columns reader takes it.
  const { bytes, text, dv } = await darwinArm64Object('DATA msg<>+0(SB)/8, $1\nGLOBL msg<>(SB), 8, $8\nTEXT ·g(SB),4,$0\n\tRET\nTEXT ·f(SB),4,$0\n\tMOVD\t$msg<>(SB), R0\n\tBL\t·g(SB)\n\tRET\n');
  let page = -1;
  let branch = -1;
  for (let i = 0; i < text.nreloc; i++) {
    const type = dv.getUint32(text.reloff + 8 * i + 4, true) >>> 28;
    if (type === 3) page = dv.getInt32(text.reloff + 8 * i, true);
    if (type === 2) branch = i;
  }
  assert.ok(page >= 0 && branch >= 0);
  dv.setInt32(text.reloff + 8 * branch, page, true); // the branch's entry now names the ADRP's address
  const obj = await readersAgree(bytes);
  assert.ok(obj.symbols.find((s) => s.name === 'main.f')!.relocs.some((r) => r.type === 'R_ADDRARM64'), 'the pair stays a pair');
});

test('campaign seed 2001: a darwin object whose __text a mutation typed as constructor pointers reads as the Symbol reader reads it', async () => {
  // The section's type became S_MOD_INIT_FUNC_POINTERS: the Symbol reader
  // refused the object (constructors were not linked for darwin then), while
  // the columns reader took it. Fixed in src/formats/macho/read-columns.ts:
  // such an object is left to the Symbol reader (which now reads
  // constructors, as init_array symbols).
  const { bytes, dv } = await darwinArm64Object('TEXT ·f(SB),4,$0\n\tRET\n');
  // section_64: sectname[16], segname[16], addr, size, offset, align, reloff, nreloc, flags.
  const at = Buffer.from(bytes).indexOf(Buffer.from('__text\0\0\0\0\0\0\0\0\0\0__TEXT', 'latin1'));
  assert.ok(at > 0);
  dv.setUint32(at + 64, (dv.getUint32(at + 64, true) & ~0xff) | 0x09, true); // S_MOD_INIT_FUNC_POINTERS
  const { readMachOObject } = await import('../../src/formats/macho/index.js');
  const { columnsOf } = await import('../../src/obj/columns.js');
  const obj = readMachOObject(bytes, 'p.o', { index: false });
  assert.equal(columnsOf(obj), null);
  assert.deepEqual(obj.symbols.map((s) => [s.name, s.kind]), [['main.f', 'init_array']]);
});

test('campaign seed 2103: a relocation a mutation moved onto a C object\'s .eh_frame record length does not change what was laid out', () => {
  // The .eh_frame_hdr was sized from the records before relocation and filled from them after, when the
  // relocation had rewritten a length: an internal error. Fixed in src/link/eh-frame.ts: the records are
  // found once, before layout; relocation only changes the addresses read from them.
  const input = [759009504, 0, [{ op: 'flip', at: 1413607504, value: 21 }], { pie: false, strip: false, buildId: false, musl: false, rpath: false }];
  const r = replay('foreign-objects', input, 30000);
  assert.equal(r.status, 0, r.out || 'killed after 30 s');
});

test('campaign seed 2201: a 2 GB zero-filled thread-local beside an initialized one makes a small executable, quickly (the template ends where the contents do)', (t) => {
  // A mutated __thread_bss size put ~2 GB of zeros into the file's
  // __thread_data (and the code signature hashed them): ~30 s. A C program's
  // large zero-filled thread-locals meet the same. Now they follow the
  // contents, in __thread_bss (Mach-O) or .tbss (ELF), without file space.
  const clang = spawnSync('clang', ['--version']).status === 0 ? 'clang' : undefined;
  if (!clang) return t.skip('needs clang (Debian package clang)');
  const dir = tempDir('asmlink-regress-tls-');
  const c = writeTemp(dir, 'big.c', '__thread int small = 5;\n__thread char big[1 << 30];\nint cmain(void) { big[(1 << 30) - 1] = 2; return small + big[(1 << 30) - 1]; }\n');
  const call = {
    amd64: 'MOVQ\tSP, BX\n\tANDQ\t$~15, SP\n\tCALL\tcmain(SB)\n\tMOVQ\tBX, SP\n',
    arm64: 'MOVD\tRSP, R19\n\tMOVD\tR19, R20\n\tAND\t$~15, R20\n\tMOVD\tR20, RSP\n\tBL\tcmain(SB)\n\tMOVD\tR19, RSP\n',
  };
  for (const [os, arch, triple] of [['darwin', 'arm64', 'arm64-apple-macos11'], ['darwin', 'amd64', 'x86_64-apple-macos11'], ['linux', 'amd64', 'x86_64-linux-gnu'], ['linux', 'arm64', 'aarch64-linux-gnu']] as const) {
    const o = path.join(dir, `big-${os}-${arch}.o`);
    assert.equal(spawnSync(clang, [`--target=${triple}`, '-O2', '-c', '-o', o, c]).status, 0);
    const main = writeTemp(dir, `main-${arch}.s`, `#include "textflag.h"\nTEXT ·main(SB),NOSPLIT,$16-0\n\t${call[arch]}\tRET\n`);
    const exe = path.join(dir, `big-${os}-${arch}`);
    const started = Date.now();
    const r = asmlink(['build', '--os', os, '--arch', arch, '-o', exe, main, o]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(fs.statSync(exe).size < 256 * 1024, `${os}/${arch}: ${fs.statSync(exe).size} bytes`);
    assert.ok(Date.now() - started < 20000, `${os}/${arch}: ${Date.now() - started} ms`);
  }
});
