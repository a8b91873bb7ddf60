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
import { mutatedCopies } from './mutations.js';
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

// C's thread-local variables on darwin: clang reaches each through a
// descriptor in __thread_vars ({thunk, key, offset}), whose thunk dyld
// sets (bound to libSystem's _tlv_bootstrap) and whose offset locates the
// variable's initial value in the template (__thread_data, __thread_bss)
// that each thread's copy starts as. `label`'s initial value, a pointer in
// the template, is checked by its rebase (checkTlvLayout), not by reading
// it at run time: macho-run copies the template from the file, unslid,
// where dyld copies it from memory after rebasing (ld64.lld's program fails
// there alike).
const TLV_C = `typedef struct opaque *pthread_t;
int pthread_create(pthread_t *, const void *, void *(*)(void *), void *);
int pthread_join(pthread_t, void **);
int printf(const char *, ...);
int fflush(void *);
__thread int counter = 5;
__thread char name[16];
static __thread long hidden = 7;
__thread const char *label = "main";
extern __thread int other;
static void *work(void *arg) {
  long id = (long)arg;
  counter += (int)id;
  hidden *= id + 1;
  name[0] = (char)('a' + id);
  label = "worker";
  other += 100 * (int)id;
  printf("thread %ld: counter=%d hidden=%ld name=%s label=%s other=%d\\n", id, counter, hidden, name, label, other);
  return (void *)(long)counter;
}
int cmain(void) {
  counter = 50;
  for (long i = 1; i <= 2; i++) {
    pthread_t t;
    void *rv;
    pthread_create(&t, 0, work, (void *)i);
    pthread_join(t, &rv);
    printf("joined %ld: %ld\\n", i, (long)rv);
  }
  printf("main: counter=%d hidden=%ld name=[%s] other=%d\\n", counter, hidden, name, other);
  fflush(0);
  return counter - 40;
}
`;
const TLV_WANT = [
  'thread 1: counter=6 hidden=14 name=b label=worker other=142',
  'joined 1: 6',
  'thread 2: counter=7 hidden=21 name=c label=worker other=242',
  'joined 2: 7',
  'main: counter=50 hidden=7 name=[] other=42',
  '',
].join('\n');

/**
 * What dyld reads of an executable's thread-local variables, as llvm-objdump
 * shows them: the header flag, the sections' types, each descriptor's thunk
 * bound to __tlv_bootstrap and its offset leading to the variable's
 * `$tlv$init` symbol from the start of the template, and the pointer in the
 * template rebased.
 */
function checkTlvLayout(tool: string, exe: string, how: string): void {
  const headers = run(tool, ['--macho', '--private-headers', exe]).stdout;
  assert.match(headers, /MH_HAS_TLV_DESCRIPTORS/, how);
  assert.match(headers, /sectname __thread_vars\n\s+segname __DATA\n(?:.*\n){6}\s+type S_THREAD_LOCAL_VARIABLES\n/, how);
  const template = [...headers.matchAll(/sectname (__thread_data|__thread_bss)\n\s+segname __DATA\n\s+addr 0x([0-9a-f]+)\n(?:.*\n){5}\s+type (S_THREAD_LOCAL_\w+)\n/g)];
  // `name`, zero-filled, is in __thread_bss: no file space.
  assert.deepEqual(template.map((m) => m[1]), ['__thread_data', '__thread_bss'], how);
  for (const m of template) assert.equal(m[3], m[1] === '__thread_data' ? 'S_THREAD_LOCAL_REGULAR' : 'S_THREAD_LOCAL_ZEROFILL', how);
  const start = Math.min(...template.map((m) => parseInt(m[2]!, 16)));
  const syms = run(tool, ['--macho', '--syms', exe]).stdout;
  const addrOf = (name: string): number => {
    const m = new RegExp(`^([0-9a-f]+) .* ${name.replace(/\$/g, '\\$')}$`, 'm').exec(syms);
    assert.ok(m, `${how}: no symbol ${name}`);
    return parseInt(m![1]!, 16);
  };
  const { addr, bytes } = sectionAt(exe, '__DATA', '__thread_vars');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const binds = run(tool, ['--macho', '--bind', exe]).stdout;
  const vars = ['_counter', '_name', '_hidden', '_label', '_other'];
  assert.equal(bytes.length, 24 * vars.length, how);
  for (const v of vars) {
    const d = addrOf(v) - addr;
    assert.equal(Number(dv.getBigUint64(d + 16, true)), addrOf(`${v}$tlv$init`) - start, `${how}: ${v}'s offset`);
    assert.match(binds, new RegExp(`__thread_vars +0x${(addr + d).toString(16)} +pointer +0 +libSystem +__tlv_bootstrap`, 'i'), `${how}: ${v}'s thunk`);
  }
  const rebases = run(tool, ['--macho', '--rebase', exe]).stdout;
  assert.match(rebases, new RegExp(`__thread_data +0x${addrOf('_label$tlv$init').toString(16)} +pointer`, 'i'), `${how}: label's pointer`);
}

for (const arch of ['amd64', 'arm64'] as const) {
  test(`darwin/${arch}: C __thread variables (descriptors, initial values, zero-fill, a pointer, another object's) link internally and through ld64.lld, and each thread has its own`, async (t) => {
    const clang = which('clang');
    if (!clang) return t.skip('needs clang (Debian package clang) to compile C for darwin');
    const python = which('python3');
    if (!fs.existsSync(machoRun) || !python) return t.skip('needs macho-run (../shared/tools/macho-run) and python3-unicorn');
    const tool = objdump();
    if (!tool) return t.skip('needs llvm-objdump (Debian package llvm)');
    const ld64 = which('ld64.lld') || which('ld64.lld-14');
    if (!ld64) return t.skip('needs ld64.lld (Debian package lld)');
    const main = writeTemp(dir, `tlv-main-${arch}.s`, asmCallingC(arch, ['printf', 'fflush', 'pthread_create', 'pthread_join'], '/usr/lib/libSystem.B.dylib'));
    const sources = [writeTemp(dir, 'tlv.c', TLV_C), writeTemp(dir, 'tlv-other.c', '__thread int other = 42;\n')];
    for (const opt of ['-O0', '-O2']) {
      const objs = sources.map((c) => {
        const o = path.join(dir, `${path.basename(c, '.c')}-${arch}${opt}.o`);
        const cc = run(clang, [`--target=${triple[arch]}`, opt, '-c', '-o', o, c]);
        assert.equal(cc.status, 0, cc.stderr);
        return o;
      });
      for (const [how, extra] of [['internal', []], ['chained', ['--fixups', 'chained']], ['external', ['--linkmode', 'external']]] as [string, string[]][]) {
        const exe = path.join(dir, `tlv-${arch}${opt}-${how}`);
        const b = asmlink(['build', '--os', 'darwin', '--arch', arch, ...extra, '-o', exe, main, ...objs]);
        assert.equal(b.status, 0, `${opt} ${how}: ${b.stderr}`);
        const r = run(python!, [machoRun, exe]);
        assert.equal(r.stdout, TLV_WANT, `${opt} ${how}: ${r.stderr}`);
        assert.equal(r.status, 10, `${opt} ${how}`);
        // llvm-objdump 14 prints no chained fixups; ld64.lld's program passing the same checks shows what they check.
        if (how !== 'chained') checkTlvLayout(tool, exe, `${opt} ${how}`);
      }
    }
    // The index and columns readers leave thread-local variables to the Symbol reader: all read one the same.
    const { readMachOObject } = await import('../../src/formats/macho/index.js');
    const bytes = new Uint8Array(fs.readFileSync(path.join(dir, `tlv-${arch}-O2.o`)));
    const read = [true, false].map((index) => readMachOObject(bytes, 'tlv.o', { index }).symbols.map((s) => [s.name, s.kind, s.size, s.relocs.map((r) => r.type)]));
    assert.deepEqual(read[0], read[1]);
    // The initial value (to the next symbol) and the descriptor: thunk, then offset.
    assert.deepEqual(read[0]!.filter((s) => s[0] === 'counter' || s[0] === 'counter$tlv$init').map(([n, k, , r]) => [n, k, r]), [
      ['counter$tlv$init', 'tls', []],
      ['counter', 'tlv', ['R_ADDR', 'R_TLS_LE']],
    ]);
  });
}

test('darwin: Go-style thread-local symbols, and references to C thread-locals other than through their descriptors, are refused, saying why', (t) => {
  const clang = which('clang');
  if (!clang) return t.skip('needs clang (Debian package clang) to compile C for darwin');
  const o = path.join(dir, 'tlv-refused.o');
  assert.equal(run(clang, [`--target=${triple.amd64}`, '-O2', '-c', '-o', o, writeTemp(dir, 'tlv-refused.c', '__thread int counter = 5;\nint cmain(void) { return ++counter; }\n')]).status, 0);
  const goTls = '#include "textflag.h"\nTEXT ·peek(SB),NOSPLIT,$0\n\tMOVQ\t·t(SB), AX\n\tRET\nGLOBL ·t(SB), TLSBSS, $8\n';
  const goOnly = writeTemp(dir, 'tlv-go.s', `${goTls}TEXT ·main(SB),NOSPLIT,$0\n\tCALL\t·peek(SB)\n\tRET\n`);
  const main = asmCallingC('amd64', [], '/usr/lib/libSystem.B.dylib').replace('\tCALL\truntime·exit(SB)', '\tCALL\t·peek(SB)\n\tCALL\truntime·exit(SB)');
  const src = writeTemp(dir, 'tlv-refused.s', `${main}${goTls.replace('#include "textflag.h"\n', '')}`);
  const exe = path.join(dir, 'tlv-refused');
  // Without C's descriptors, the symbol itself; beside them, the reference.
  let b = asmlink(['build', '--os', 'darwin', '--arch', 'amd64', '-o', exe, goOnly]);
  assert.equal(b.status, 1);
  assert.match(b.stderr, /^\S*tlv-go\.s:\d+:\d+: thread-local symbol main\.t cannot be linked into a Mach-O executable \(darwin keeps g in a TSD slot; C's __thread variables are reached through their descriptors in __thread_vars\)\n$/m);
  for (const mode of ['internal', 'external']) {
    b = asmlink(['build', '--os', 'darwin', '--arch', 'amd64', '--linkmode', mode, '-o', exe, src, o]);
    assert.equal(b.status, 1, mode);
    assert.match(b.stderr, /tlv-refused\.s:\d+:\d+: main\.peek(\+0x3)?: R_PCREL reaches thread-local main\.t other than through a descriptor/, mode);
    assert.ok(!fs.existsSync(exe), `${mode}: no output`);
  }
  // i386 Mach-O has no descriptors asmlink links.
  const i386 = asmlink(['asm', '--os', 'darwin', '--arch', '386', '-o', path.join(dir, 'tlv-386.o'), writeTemp(dir, 'tlv-386.s', goTls.replace('MOVQ', 'MOVL'))]);
  assert.equal(i386.status, 1);
  assert.match(i386.stderr, /tlv-386\.s:5:1: thread-local symbol main\.t cannot be placed in an i386 Mach-O object/);
});

// `-l NAME` for darwin: libNAME.tbd, an SDK's text-based stub. An SDK's
// libSystem.tbd holds libSystem's document and those of the libraries it
// re-exports (libsystem_c, ...), whose symbols bind to libSystem; this one
// has that shape (TAPI v4), and a v3 one the older SDKs' shape.
const SDK_TBD = `--- !tapi-tbd
tbd-version:     4
targets:         [ x86_64-macos, arm64-macos, arm64e-macos ]
uuids:
  - target:          x86_64-macos
    value:           00000000-0000-0000-0000-000000000000
install-name:    '/usr/lib/libSystem.B.dylib'
current-version: 1319
reexported-libraries:
  - targets:         [ x86_64-macos, arm64-macos, arm64e-macos ]
    libraries:       [ '/usr/lib/system/libsystem_c.dylib', '/usr/lib/system/libsystem_kernel.dylib' ]
exports:
  - targets:         [ x86_64-macos, arm64-macos, arm64e-macos ]
    symbols:         [ R8289209$_close, _mach_init_routine ]
--- !tapi-tbd
tbd-version:     4
targets:         [ x86_64-macos, arm64-macos, arm64e-macos ]
install-name:    '/usr/lib/system/libsystem_c.dylib'
parent-umbrella:
  - targets:         [ x86_64-macos, arm64-macos, arm64e-macos ]
    umbrella:        System
exports:
  - targets:         [ x86_64-macos, arm64-macos, arm64e-macos ]
    symbols:         [ ___stdoutp, _fflush, _printf,
                       _strlen ]
    weak-symbols:    [ _qsort ]
...
`;
const SDK_TBD_V3 = `--- !tapi-tbd-v3
archs:           [ x86_64, arm64 ]
platform:        macosx
install-name:    /usr/lib/libSystem.B.dylib
exports:
  - archs:           [ x86_64, arm64 ]
    symbols:         [ ___stdoutp, _fflush, _printf, _strlen ]
...
`;

for (const arch of ['amd64', 'arm64'] as const) {
  test(`darwin/${arch}: -lSystem imports what C objects leave undefined from an SDK's libSystem.tbd (v4 with re-exported libraries, v3), internally and through ld64.lld`, (t) => {
    const clang = which('clang');
    if (!clang) return t.skip('needs clang (Debian package clang) to compile C for darwin');
    const python = which('python3');
    if (!fs.existsSync(machoRun) || !python) return t.skip('needs macho-run (../shared/tools/macho-run) and python3-unicorn');
    const ld64 = which('ld64.lld') || which('ld64.lld-14');
    if (!ld64) return t.skip('needs ld64.lld (Debian package lld)');
    const o = path.join(dir, `tbd-c-${arch}.o`);
    assert.equal(run(clang, [`--target=${triple[arch]}`, '-O2', '-c', '-o', o, writeTemp(dir, 'tbd-c.c', cSource('__stdoutp', false))]).status, 0);
    const main = writeTemp(dir, `tbd-main-${arch}.s`, asmCallingC(arch, [], '/usr/lib/libSystem.B.dylib'));
    for (const [version, text] of [['v4', SDK_TBD], ['v3', SDK_TBD_V3]]) {
      const sdk = path.join(dir, `sdk-${version}`);
      fs.mkdirSync(sdk, { recursive: true });
      fs.writeFileSync(path.join(sdk, 'libSystem.tbd'), text);
      for (const mode of ['internal', 'external']) {
        const exe = path.join(dir, `tbd-${arch}-${version}-${mode}`);
        const b = asmlink(['build', '--os', 'darwin', '--arch', arch, '--linkmode', mode, '-L', sdk, '-lSystem', '-o', exe, main, o]);
        assert.equal(b.status, 0, `${version} ${mode}: ${b.stderr}`);
        const r = run(python!, [machoRun, exe]);
        assert.deepEqual([r.stdout, r.status], [C_WANT, 3], `${version} ${mode}: ${r.stderr}`);
      }
    }
    // Without the stub, where it would be on a Mac is said.
    const none = asmlink(['build', '--os', 'darwin', '--arch', arch, '-lSystem', '-o', path.join(dir, 'tbd-none'), main, o]);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /^-l System: no libSystem\.tbd or libSystem\.dylib or libSystem\.a in any directory \(the C library's is the SDK's \.tbd stub: add -L \$\(xcrun --show-sdk-path\)\/usr\/lib\)\n$/);
  });
}

test('darwin: a .tbd that is not one is an error naming the file; an undefined C name points at -lSystem', async () => {
  const { readTbd } = await import('../../src/formats/macho/read-tbd.js');
  assert.throws(() => readTbd('just text\n', 'x.tbd', 'arm64'), /^Error: x\.tbd: not a text-based dylib stub \(no --- !tapi-tbd document\)$/);
  assert.throws(() => readTbd('--- !tapi-tbd\ntbd-version: 4\nexports:\n  - targets: [ arm64-macos ]\n    symbols: [ _f ]\n...\n', 'y.tbd', 'arm64'), /y\.tbd: a document without an install-name/);
  // Another architecture's symbols are not this one's.
  const lib = readTbd(SDK_TBD.replace(/arm64-macos, arm64e-macos/g, 'arm64e-macos'), 'z.tbd', 'arm64');
  assert.equal(lib.soname, '/usr/lib/libSystem.B.dylib');
  assert.deepEqual([...lib.exports.keys()], []);
  const m = asmlink(['build', '--os', 'darwin', '--arch', 'arm64', '-o', path.join(dir, 'undef'), writeTemp(dir, 'undef-main.s', asmCallingC('arm64', [], '/usr/lib/libSystem.B.dylib')), writeTemp(dir, 'undef.s', '#include "textflag.h"\nDATA ·p+0(SB)/8, $puts(SB)\nGLOBL ·p(SB), NOPTR, $8\nTEXT cmain(SB),NOSPLIT,$0\n\tMOVD\t·p(SB), R0\n\tRET\n')]);
  assert.equal(m.status, 1);
  assert.match(m.stderr, /\tgive the link the object or static library \(\.a\) that defines it, or the library's \.tbd stub from the SDK with -L and -l \(-lSystem for the C library\); or import it: \/\/go:cgo_import_dynamic puts puts "LIBRARY"\n/);
});

test('darwin: -l NAME also reads a library (libNAME.dylib, thin or universal): the program loads it by its install name and binds its names there; a damaged one is an error naming it', async (t) => {
  const clang = which('clang');
  if (!clang) return t.skip('needs clang (Debian package clang) to compile C for darwin');
  const ld64 = which('ld64.lld') || which('ld64.lld-14');
  const lipo = which('llvm-lipo') || which('llvm-lipo-14');
  const tool = objdump();
  if (!ld64 || !lipo || !tool) return t.skip('needs ld64.lld, llvm-lipo and llvm-objdump (Debian packages lld and llvm)');
  const lib = path.join(dir, 'dylib');
  const sdk = path.join(dir, 'dylib-sdk');
  fs.mkdirSync(path.join(lib, 'fat'), { recursive: true });
  fs.mkdirSync(sdk, { recursive: true });
  fs.writeFileSync(path.join(sdk, 'libSystem.tbd'), SDK_TBD);
  const twice = writeTemp(lib, 'twice.c', 'int twice(int x) { return 2 * x; }\nint seed = 21;\n');
  const use = writeTemp(lib, 'use.c', 'int twice(int);\nextern int seed;\nint printf(const char *, ...);\nint cmain(void) { printf("%d\\n", twice(seed)); return 0; }\n');
  const thin: string[] = [];
  for (const arch of ['amd64', 'arm64'] as const) {
    const a = arch === 'amd64' ? 'x86_64' : 'arm64';
    const o = path.join(lib, `twice-${arch}.o`);
    assert.equal(run(clang, [`--target=${triple[arch]}`, '-O2', '-c', '-o', o, twice]).status, 0);
    const so = path.join(lib, `libtwice-${arch}.dylib`);
    const l = run(ld64, ['-arch', a, '-platform_version', 'macos', '11.0', '11.0', '-dylib', '-install_name', '@rpath/libtwice.dylib', '-o', so, o]);
    assert.equal(l.status, 0, l.stderr);
    thin.push(so);
  }
  assert.equal(run(lipo, ['-create', ...thin, '-output', path.join(lib, 'fat', 'libtwice.dylib')]).status, 0);
  for (const arch of ['amd64', 'arm64'] as const) {
    const o = path.join(lib, `use-${arch}.o`);
    assert.equal(run(clang, [`--target=${triple[arch]}`, '-O2', '-c', '-o', o, use]).status, 0);
    const main = writeTemp(lib, `main-${arch}.s`, asmCallingC(arch, [], '/usr/lib/libSystem.B.dylib'));
    for (const libdir of [path.join(lib, 'fat'), lib]) {
      const libs = libdir === lib ? ['-l', `:libtwice-${arch}.dylib`] : ['-ltwice'];
      const exe = path.join(lib, `use-${arch}`);
      const b = asmlink(['build', '--os', 'darwin', '--arch', arch, '-L', libdir, ...libs, '-L', sdk, '-lSystem', '-o', exe, main, o]);
      assert.equal(b.status, 0, `${arch} ${libs.join(' ')}: ${b.stderr}`);
      assert.match(run(tool, ['--macho', '--dylibs-used', exe]).stdout, /\t@rpath\/libtwice\.dylib \(/, arch);
      const binds = run(tool, ['--macho', '--bind', exe]).stdout;
      assert.match(binds, / libtwice +_twice\n/, arch);
      assert.match(binds, / libtwice +_seed\n/, arch);
      assert.match(binds, / libSystem +_printf\n/, arch);
    }
  }
  // Damaged copies: an Error naming the file, never a RangeError or a hang.
  const { readDylib } = await import('../../src/formats/macho/read-dylib.js');
  const base = new Uint8Array(fs.readFileSync(thin[1]!));
  assert.deepEqual([...readDylib(base, 'x.dylib', 'arm64').exports.keys()].sort(), ['seed', 'twice']);
  let i = 0;
  for (const b of mutatedCopies(base, 2206, 300, 512)) {
    i++;
    try {
      readDylib(b, 'x.dylib', 'arm64');
    } catch (e) {
      assert.ok(e instanceof Error && e.constructor === Error && e.message.startsWith('x.dylib: '), `case ${i}: ${String(e)}`);
    }
  }
});

// A pointer in data whose addend has a tag in its top byte: clang's arm64
// RTTI sets bit 63 of a type_info's name pointer when the name may not be
// unique (`__ZTS1E + 0x8000000000000000`), and libc++abi masks it off to
// compare names. Such an addend does not fit a JS number exactly: the tag
// rides in the field and goes back on the pointer (dyld info), into a
// chained rebase's high8, and into the external object's addend.
for (const arch of ['amd64', 'arm64'] as const) {
  test(`darwin/${arch}: a pointer with a tag in its top byte keeps it and its target (dyld info, chained fixups, through ld64.lld and relinked), run under macho-run`, (t) => {
    const clang = which('clang');
    if (!clang) return t.skip('needs clang (Debian package clang) to compile C for darwin');
    if (!fs.existsSync(machoRun) || !which('python3')) return t.skip('needs macho-run (../shared/tools/macho-run) and python3-unicorn');
    const c = writeTemp(dir, 'tag.c', '#include <stdio.h>\nchar buf[16] = "tagged";\nchar *p = buf - 0x8000000000000000UL;\nint cmain(void) {\n  unsigned long d = (unsigned long)p ^ (unsigned long)buf;\n  printf("%lx %s\\n", d, (char *)((unsigned long)p & 0x7fffffffffffffffUL));\n  fflush(0);\n  return 0;\n}\n');
    const o = path.join(dir, `tag-${arch}.o`);
    assert.equal(run(clang, [`--target=${triple[arch]}`, '-O1', '-c', '-o', o, c]).status, 0);
    const main = writeTemp(dir, `tag-main-${arch}.s`, asmCallingC(arch, ['printf', 'fflush'], '/usr/lib/libSystem.B.dylib'));
    const ld64 = which('ld64.lld') || which('ld64.lld-14');
    const extObj = path.join(dir, `tag-ext-${arch}.o`);
    const builds: [string, string[]][] = [
      ['dyld-info', ['build', '--fixups', 'dyld-info', main, o]],
      ['chained', ['build', '--fixups', 'chained', main, o]],
      ...(ld64 ? ([['external', ['build', '--linkmode', 'external', '--keep-object', extObj, main, o]], ['relinked', ['link', '--no-runtime', '--entry', 'main', extObj]]] as [string, string[]][]) : []),
    ];
    for (const [how, args] of builds) {
      const exe = path.join(dir, `tag-${arch}-${how}`);
      const b = asmlink([args[0]!, '--os', 'darwin', '--arch', arch, '-o', exe, ...args.slice(1)]);
      assert.equal(b.status, 0, `${how}: ${b.stderr}`);
      const r = run('python3', [machoRun, exe]);
      assert.equal(r.stdout, '8000000000000000 tagged\n', `${how}: ${r.stderr}`);
    }
  });
}
