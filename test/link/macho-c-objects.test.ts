// Mach-O objects from a C compiler (clang), linked with Go-style assembly
// for darwin and run under macho-run. Such an object is linked whole
// (ObjectFile.indivisible): LLVM's arm64 code names a string by the section's
// `ltmpN` label or its own `l_.str`, both at one address; its x86_64 code
// reaches string literals and pointer tables through section-relative
// relocations, in sections without a symbol of their own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which, writeTemp } from '../helpers.js';
import { asmCallingC, cMain, cSource, C_WANT } from './c-programs.js';
import { llvmMc, objdump, sectionAt } from '../formats/macho/objdump.js';

const dir = tempDir('asmlink-macho-c-');
const machoRun = path.join(repoRoot, '..', 'shared', 'tools', 'macho-run', 'macho-run');
const triple = { amd64: 'x86_64-apple-macos11', arm64: 'arm64-apple-macos11' };

for (const arch of ['amd64', 'arm64'] as const) {
  test(`darwin/${arch}: C objects (clang -O0, -O2, -O3) link with assembly internally and externally, and run under macho-run`, (t) => {
    const clang = which('clang');
    if (!clang) return t.skip('needs clang (Debian package clang) to compile C for darwin');
    const python = which('python3');
    if (!fs.existsSync(machoRun) || !python) return t.skip('needs macho-run (../shared/tools/macho-run) and python3-unicorn');
    // C's stdout is libSystem's __stdoutp; macho-run's libSystem has no qsort.
    const c = writeTemp(dir, `c-${arch}.c`, cSource('__stdoutp', false));
    const main = writeTemp(dir, `main-${arch}.s`, cMain('/usr/lib/libSystem.B.dylib', '__stdoutp', arch));
    const ld64 = which('ld64.lld') || which('ld64.lld-14');
    for (const opt of ['-O0', '-O2', '-O3']) {
      const o = path.join(dir, `c-${arch}${opt}.o`);
      const cc = run(clang, [`--target=${triple[arch]}`, opt, '-c', '-o', o, c]);
      assert.equal(cc.status, 0, cc.stderr);
      for (const mode of ld64 && opt === '-O2' ? ['internal', 'external'] : ['internal']) {
        const exe = path.join(dir, `c-${arch}${opt}-${mode}`);
        const b = asmlink(['build', '--os', 'darwin', '--arch', arch, '--linkmode', mode, '-o', exe, main, o]);
        assert.equal(b.status, 0, `${opt} ${mode}: ${b.stderr}`);
        const r = run(python!, [machoRun, exe]);
        assert.equal(r.stdout, C_WANT, `${opt} ${mode}: ${r.stderr}`);
        assert.equal(r.status, 3, `${opt} ${mode}`);
      }
    }
  });
}

// macho-run calls no initializers (it starts at LC_MAIN), so a constructor's
// run cannot be watched here: the tests check what dyld reads instead — the
// pointers of __mod_init_func (S_MOD_INIT_FUNC_POINTERS), in the order clang
// and the link give them, each rebased — against ld64.lld's output for the
// same objects, and that the program loads and runs under macho-run.
for (const arch of ['amd64', 'arm64'] as const) {
  test(`darwin/${arch}: C constructors go to __mod_init_func, in priority then link order, rebased, as ld64.lld lays them out`, (t) => {
    const clang = which('clang');
    if (!clang) return t.skip('needs clang (Debian package clang) to compile C for darwin');
    const tool = objdump();
    if (!tool) return t.skip('needs llvm-objdump (Debian package llvm)');
    const first = writeTemp(dir, 'ctor-first.c', 'int printf(const char *, ...);\nint value = 1;\n__attribute__((constructor)) static void plain(void) { value *= 10; }\n__attribute__((constructor(101))) static void early(void) { value += 1; }\nint cmain(void) { printf("value=%d\\n", value); return value; }\n');
    const second = writeTemp(dir, 'ctor-second.c', 'extern int value;\n__attribute__((constructor)) static void later(void) { value += 5; }\n');
    const objs = [first, second].map((c) => {
      const o = path.join(dir, `${path.basename(c, '.c')}-${arch}.o`);
      // -O0: at -O2 clang runs such constructors at compile time and drops them.
      assert.equal(run(clang, [`--target=${triple[arch]}`, '-O0', '-c', '-o', o, c]).status, 0);
      return o;
    });
    const main = writeTemp(dir, `ctor-main-${arch}.s`, asmCallingC(arch, ['printf'], '/usr/lib/libSystem.B.dylib'));
    const ld64 = which('ld64.lld') || which('ld64.lld-14');
    const variants: [string, string[]][] = [['internal', []], ['chained', ['--fixups', 'chained']]];
    if (ld64) variants.push(['external', ['--linkmode', 'external']]);
    for (const [how, extra] of variants) {
      const exe = path.join(dir, `ctor-${arch}-${how}`);
      const b = asmlink(['build', '--os', 'darwin', '--arch', arch, ...extra, '-o', exe, main, ...objs]);
      assert.equal(b.status, 0, `${how}: ${b.stderr}`);
      const headers = run(tool, ['--macho', '--private-headers', exe]).stdout;
      assert.match(headers, /sectname __mod_init_func\n\s+segname __DATA_CONST\n(?:.*\n){6}\s+type S_MOD_INIT_FUNC_POINTERS\n/, how);
      if (how === 'chained') {
        // The pointers are chain entries here: dyld (and macho-run) resolve them.
        if (!fs.existsSync(machoRun) || !which('python3')) continue;
        const r = run('python3', [machoRun, exe]);
        assert.match(r.stdout, /^value=\d+\n$/, r.stderr);
        continue;
      }
      // Priority 101 first, then the unprioritized ones in link order.
      const { addr, bytes } = sectionAt(exe, '__DATA_CONST', '__mod_init_func');
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      const pointers = Array.from({ length: bytes.length / 8 }, (_, i) => Number(dv.getBigUint64(i * 8, true)));
      const nm: string = run(tool.replace(/objdump/, "nm"), [exe]).stdout;
      const at = (name: string): number => parseInt(new RegExp(`^([0-9a-f]+) t _${name}$`, 'm').exec(nm)![1]!, 16);
      assert.deepEqual(pointers, [at('early'), at('plain'), at('later')], how);
      const rebases = run(tool, ['--macho', '--rebase', exe]).stdout;
      for (let i = 0; i < pointers.length; i++) assert.match(rebases, new RegExp(`__mod_init_func +0x${(addr + 8 * i).toString(16)} +pointer`), how);
    }
  });
}

test('darwin: destructor pointers (__mod_term_func) are refused, saying why', (t) => {
  const mc = llvmMc();
  if (!mc) return t.skip('needs llvm-mc (Debian package llvm)');
  const s = writeTemp(dir, 'term.s', '\t.section __TEXT,__text,regular,pure_instructions\n\t.globl _cmain\n_cmain:\n\tret\n\t.section __DATA,__mod_term_func,mod_term_funcs\n\t.p2align 3\n\t.quad _cmain\n');
  const o = path.join(dir, 'term.o');
  assert.equal(run(mc, ['--triple=x86_64-apple-macos11', '--filetype=obj', '-o', o, s]).status, 0);
  const b = asmlink(['build', '--os', 'darwin', '--arch', 'amd64', '-o', path.join(dir, 'term'), writeTemp(dir, 'term-main.s', asmCallingC('amd64', [], '/usr/lib/libSystem.B.dylib')), o]);
  assert.equal(b.status, 1);
  assert.equal(b.stderr, `${o}: __DATA,__mod_term_func: destructor pointers and initializer offsets are not linked (clang writes constructors to __mod_init_func, which is, and destructors go through __cxa_atexit); call the initialisation from the program instead\n`);
});

test('darwin: C common symbols (clang -fcommon) are merged, one copy or the initialized definition, internally and through ld64.lld, in every Mach-O reader', async (t) => {
  const clang = which('clang');
  if (!clang) return t.skip('needs clang (Debian package clang) to compile C for darwin');
  const python = which('python3');
  if (!fs.existsSync(machoRun) || !python) return t.skip('needs macho-run (../shared/tools/macho-run) and python3-unicorn');
  // The same sets as test/link/c-objects.test.ts, whose statuses cc's programs give on linux.
  const sources = [
    'int counter;\nint table[4];\nint bump(void) { counter += 3; table[1] = counter; return counter; }\n',
    'int counter;\nextern int table[4];\nint bump(void);\nint cmain(void) { bump(); counter += 1; return counter * 10 + table[1]; }\n',
    'int counter = 100;\n',
  ];
  const objs = sources.map((c, i) => {
    const o = path.join(dir, `common${i}-arm64.o`);
    assert.equal(run(clang, [`--target=${triple.arm64}`, '-fcommon', '-O2', '-c', '-o', o, writeTemp(dir, `common${i}.c`, c)]).status, 0);
    return o;
  });
  const main = writeTemp(dir, 'common-main.s', asmCallingC('arm64', [], '/usr/lib/libSystem.B.dylib'));
  const ld64 = which('ld64.lld') || which('ld64.lld-14');
  for (const [set, want] of [
    [objs.slice(0, 2), 43],
    [objs, 119],
    [[objs[2]!, objs[0]!, objs[1]!], 119],
  ] as [string[], number][])
    for (const mode of ld64 ? ['internal', 'external'] : ['internal']) {
      const exe = path.join(dir, `common-${mode}`);
      const b = asmlink(['build', '--os', 'darwin', '--arch', 'arm64', '--linkmode', mode, '-o', exe, main, ...set]);
      assert.equal(b.status, 0, b.stderr);
      const r = run(python!, [machoRun, exe]);
      assert.equal(r.status, want, `${mode}: ${set.map((o) => path.basename(o)).join(' ')}: ${r.stderr}`);
    }
  // The index and columns readers leave objects with commons to the Symbol reader: all three read one the same.
  const { readMachOObject } = await import('../../src/formats/macho/index.js');
  const bytes = new Uint8Array(fs.readFileSync(objs[0]!));
  const read = [true, false].map((index) => readMachOObject(bytes, 'c.o', { index }).symbols.map((s) => [s.name, s.kind, s.size, s.align, !!s.flags.dupok]));
  assert.deepEqual(read[0], read[1]);
  assert.deepEqual(read[0]!.filter((s) => s[1] === 'bss'), [
    ['counter', 'bss', 4, 4, true],
    ['table', 'bss', 16, 4, true],
  ]);
});
