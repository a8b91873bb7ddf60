// C thread-locals reached through every TLS model a compiler writes: local
// exec, initial exec (cc's default -fPIE code for a variable of another
// file), general and local dynamic (-fPIC), TLS descriptors (-mtls-dialect=gnu2,
// arm64's default), and the forms that call __tls_get_addr through the GOT
// (-fno-plt). The linker rewrites each access sequence to local exec
// (formats/elf/tls-relax.ts); the programs must print what the same C code
// linked by cc prints, on the main thread and on a thread C starts, linked
// internally, externally and as a PIE. Each variant first checks that the
// compiler really wrote the relocations it is meant to exercise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, run, tempDir, which, writeTemp } from '../helpers.js';
import { linuxPrefix, runWith, type LinuxArch } from '../e2e/threads-check.js';
import { asmCallingC, LINK_MODES } from './c-programs.js';

const dir = tempDir('asmlink-tls-models-');

// Linked first, so that the variables after it sit more than 64 KiB from the
// thread pointer (arm64: both halves of MOVZ/MOVK and ADD pairs are used).
const BIG_C = '__thread char big[100000] = {1};\nchar *bigp(void) { big[99999] = 2; return big; }\n';
const DEFS_C = `__thread long arr[4] = {1, 2, 3, 4};
__thread int ext = 40;
static __thread int loc = 3;
int *locp(void) { loc++; return &loc; }
`;
// Without headers, so that it compiles for any target.
const USE_C = `typedef struct FILE FILE;
extern FILE *stdout;
int printf(const char *, ...);
int fflush(FILE *);
typedef unsigned long pthread_t;
int pthread_create(pthread_t *, const void *, void *(*)(void *), void *);
int pthread_join(pthread_t, void **);
extern __thread long arr[4];
extern __thread int ext;
extern __thread char big[100000];
int *locp(void);
char *bigp(void);
static __thread int mine = 7;
static int seen[4];
// A new thread sees the variables' initial values (the loader copies .tdata for it).
static void *other(void *p) { seen[0] = ext; seen[1] = mine; seen[2] = *locp(); seen[3] = big[0] + big[99999]; return p; }
int cmain(void) {
  ext += 2;
  mine += arr[2];
  int loc = *locp();
  int same = bigp() == big;
  pthread_t t;
  if (pthread_create(&t, 0, other, 0) || pthread_join(t, 0)) return 99;
  printf("ext=%d arr=%ld,%ld mine=%d loc=%d big=%d,%d same=%d; other thread: ext=%d mine=%d loc=%d big=%d\\n",
         ext, arr[0], arr[3], mine, loc, big[0], big[99999], same, seen[0], seen[1], seen[2], seen[3]);
  fflush(stdout);
  return ext;
}
`;
const WANT = 'ext=42 arr=1,4 mine=10 loc=4 big=1,2 same=1; other thread: ext=40 mine=7 loc=4 big=1\n';
const IMPORTS = ['printf', 'fflush', 'stdout', 'pthread_create', 'pthread_join'];

interface Variant {
  flags: string[];
  /** Relocation types (readelf's names) the objects must hold. */
  types: string[];
}

function compile(cc: string[], flags: string[], tag: string): string[] {
  return [['big', BIG_C], ['defs', DEFS_C], ['use', USE_C]].map(([name, source]) => {
    const o = path.join(dir, `${name}-${tag}.o`);
    const r = run(cc[0]!, [...cc.slice(1), '-O2', ...flags, '-c', '-o', o, writeTemp(dir, `${name}.c`, source!)]);
    assert.equal(r.status, 0, r.stderr);
    return o;
  });
}

function relocTypes(objs: string[]): Set<string> {
  const r = run('readelf', ['-rW', ...objs]);
  assert.equal(r.status, 0, r.stderr);
  return new Set([...r.stdout.matchAll(/^\s*[0-9a-f]+\s+[0-9a-f]+\s+(R_\w+)/gm)].map((m) => m[1]!));
}

function linkAndRun(arch: LinuxArch, prefix: string[], cc: string[], variants: Variant[], modes: [string, string[]][]): void {
  const main = writeTemp(dir, `main-${arch}.s`, asmCallingC(arch, IMPORTS));
  for (const v of variants) {
    const tag = `${arch}${v.flags.join('')}`;
    const objs = compile(cc, v.flags, tag);
    const have = relocTypes(objs);
    for (const t of v.types) assert.ok(have.has(t), `${cc[0]} ${v.flags.join(' ')} wrote no ${t} (it wrote ${[...have].join(', ')})`);
    for (const [mode, extra] of modes) {
      const exe = path.join(dir, `${tag}-${mode}`);
      const b = asmlink(['build', '--arch', arch, ...extra, '-o', exe, main, ...objs]);
      assert.equal(b.status, 0, `${v.flags.join(' ')} ${mode}: ${b.stderr}`);
      const r = runWith(prefix, exe, []);
      assert.equal(r.stdout, WANT, `${v.flags.join(' ')} ${mode}: ${r.stderr}`);
      assert.equal(r.status, 42, `${v.flags.join(' ')} ${mode}`);
    }
  }
}


test('linux/amd64: C thread-locals in every TLS model (local and initial exec, general and local dynamic, descriptors, calls through the GOT) link and run as cc links them', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  // The oracle: the same C code with a C main, linked by cc.
  const ref = path.join(dir, 'reference');
  const objs = compile(['cc'], [], 'ref');
  const l = run('cc', ['-o', ref, ...objs, writeTemp(dir, 'cmain.c', 'int cmain(void);\nint main(void) { return cmain(); }\n'), '-lpthread']);
  assert.equal(l.status, 0, l.stderr);
  assert.equal(run(ref, []).stdout, WANT);
  const variants: Variant[] = [
    { flags: [], types: ['R_X86_64_GOTTPOFF', 'R_X86_64_TPOFF32'] },
    { flags: ['-fPIC'], types: ['R_X86_64_TLSGD', 'R_X86_64_TLSLD', 'R_X86_64_DTPOFF32'] },
    { flags: ['-fPIC', '-ftls-model=local-dynamic'], types: ['R_X86_64_TLSLD', 'R_X86_64_DTPOFF32'] },
    { flags: ['-fPIC', '-ftls-model=initial-exec'], types: ['R_X86_64_GOTTPOFF'] },
    { flags: ['-fPIC', '-mtls-dialect=gnu2'], types: ['R_X86_64_GOTPC32_TLSDESC', 'R_X86_64_TLSDESC_CALL'] },
    { flags: ['-fPIC', '-fno-plt'], types: ['R_X86_64_TLSGD', 'R_X86_64_TLSLD', 'R_X86_64_GOTPCRELX'] },
  ];
  linkAndRun('amd64', [], ['cc'], variants, LINK_MODES);
  if (which('clang')) linkAndRun('amd64', [], ['clang'], [{ flags: ['-fPIC'], types: ['R_X86_64_TLSGD', 'R_X86_64_TLSLD'] }], LINK_MODES);
});

test('linux/386: C thread-locals in every TLS model gcc -m32 writes (initial exec with and without a GOT register, general and local dynamic, descriptors, calls through the GOT) link and run', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('gcc')) return t.skip('needs gcc (Debian package gcc-multilib)');
  const prefix = linuxPrefix('386');
  if (typeof prefix === 'string') return t.skip(prefix);
  const variants: Variant[] = [
    { flags: [], types: ['R_386_TLS_GOTIE', 'R_386_TLS_LE'] },
    { flags: ['-fno-pic'], types: ['R_386_TLS_IE', 'R_386_TLS_LE'] },
    { flags: ['-fPIC'], types: ['R_386_TLS_GD', 'R_386_TLS_LDM', 'R_386_TLS_LDO_32'] },
    { flags: ['-fPIC', '-mtls-dialect=gnu2'], types: ['R_386_TLS_GOTDESC', 'R_386_TLS_DESC_CALL'] },
    { flags: ['-fPIC', '-fno-plt'], types: ['R_386_TLS_GD', 'R_386_TLS_LDM', 'R_386_GOT32X'] },
  ];
  // asmlink refuses 386 PIEs.
  linkAndRun('386', prefix, ['gcc', '-m32'], variants, LINK_MODES.filter(([m]) => m !== 'pie'));
});

test('linux/arm64: C thread-locals through TLS descriptors (clang -fPIC), initial exec and local exec link and run, more than 64 KiB from the thread pointer', (t) => {
  const clang = which('clang');
  if (!clang) return t.skip('needs clang (Debian package clang) to compile C for arm64');
  const prefix = linuxPrefix('arm64');
  if (typeof prefix === 'string') return t.skip(prefix);
  const variants: Variant[] = [
    { flags: ['-fno-pic'], types: ['R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21', 'R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC', 'R_AARCH64_TLSLE_ADD_TPREL_HI12', 'R_AARCH64_TLSLE_ADD_TPREL_LO12_NC'] },
    { flags: ['-fPIC'], types: ['R_AARCH64_TLSDESC_ADR_PAGE21', 'R_AARCH64_TLSDESC_LD64_LO12', 'R_AARCH64_TLSDESC_ADD_LO12', 'R_AARCH64_TLSDESC_CALL'] },
    { flags: ['-fPIC', '-ftls-model=initial-exec'], types: ['R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21'] },
  ];
  linkAndRun('arm64', prefix, [clang, '--target=aarch64-linux-gnu'], variants, LINK_MODES);
});

test('linux: a TLS relocation on another instruction than its sequence\'s is refused saying why', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  // (A library's thread-locals: library-tls.test.ts.)
  // GNU as takes a GOTTPOFF on a 32-bit load, which no compiler writes and no rewrite covers.
  const s = writeTemp(dir, 'odd.s', '\t.text\n\t.globl cmain\ncmain:\n\tmovl tv@gottpoff(%rip), %eax\n\tret\n\t.section .tbss,"awT",@nobits\n\t.globl tv\ntv:\t.zero 4\n');
  const oo = path.join(dir, 'odd.o');
  assert.equal(run('cc', ['-c', '-o', oo, s]).status, 0);
  const r = asmlink(['build', '-o', path.join(dir, 'odd'), writeTemp(dir, 'odd-main.s', asmCallingC('amd64', [])), oo]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^\S+odd\.o: \.rela\.text\+0x2: R_X86_64_GOTTPOFF is not on a movq or addq x@gottpoff\(%rip\), %reg\n$/);
});

// A thread-local initialized with an address (relocated in the template,
// also in a PIE: the loaders copy it for each thread only after relocating
// the image; before, one with no other contents was taken for zero-filled
// and its relocation lost) and a large zero-filled one, which takes no file
// space: it follows the contents, in PT_TLS's memory size only, as .tbss
// after .tdata.
const POINTER_C = `int x = 3;
__thread int *p = &x;
__thread char zeros[1 << 20];
__thread int one = 1;
int cmain(void) { zeros[(1 << 20) - 1] = 2; return (p == &x) * 10 + one + zeros[(1 << 20) - 1] + zeros[0]; }
`;

test('linux: a thread-local holding an address is relocated, and large zero-filled thread-locals take no file space, on amd64, 386 and arm64', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  const sets: [LinuxArch, string[] | undefined, string | undefined, [string, string[]][]][] = [
    ['amd64', ['cc'], which('cc') ? undefined : 'cc (Debian package gcc)', LINK_MODES],
    ['386', ['gcc', '-m32'], which('gcc') ? undefined : 'gcc (Debian package gcc-multilib)', LINK_MODES.filter(([m]) => m !== 'pie')],
    ['arm64', [which('clang') ?? 'clang', '--target=aarch64-linux-gnu'], which('clang') ? undefined : 'clang (Debian package clang)', LINK_MODES],
  ];
  for (const [arch, cc, missing, modes] of sets) {
    if (missing) return t.skip(`needs ${missing}`);
    const prefix = arch === 'amd64' ? [] : linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const o = path.join(dir, `pointer-${arch}.o`);
    const c = run(cc![0]!, [...cc!.slice(1), '-O2', '-c', '-o', o, writeTemp(dir, 'pointer.c', POINTER_C)]);
    assert.equal(c.status, 0, c.stderr);
    assert.ok(relocTypes([o]).has({ amd64: 'R_X86_64_64', '386': 'R_386_32', arm64: 'R_AARCH64_ABS64' }[arch]), `${arch}: the object holds the pointer's relocation`);
    const main = writeTemp(dir, `pointer-main-${arch}.s`, asmCallingC(arch, []));
    for (const [mode, extra] of modes) {
      const exe = path.join(dir, `pointer-${arch}-${mode}`);
      const b = asmlink(['build', '--arch', arch, ...extra, '-o', exe, main, o]);
      assert.equal(b.status, 0, `${arch} ${mode}: ${b.stderr}`);
      assert.equal(runWith(prefix, exe, []).status, 13, `${arch} ${mode}`);
      if (mode === 'external') continue;
      assert.ok(fs.statSync(exe).size < 64 * 1024, `${arch} ${mode}: ${fs.statSync(exe).size} bytes`);
      const tls = /^\s+TLS\s+\S+\s+\S+\s+\S+\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)/m.exec(run('readelf', ['-lW', exe]).stdout);
      assert.ok(tls && Number(tls[1]) < 64 && Number(tls[2]) > 1 << 20, `${arch} ${mode}: PT_TLS ${tls?.[0]}`);
      assert.match(run('readelf', ['-SW', exe]).stdout, /\] \.tdata .*\n.*\] \.tbss /, `${arch} ${mode}`);
      assert.equal(run('readelf', ['-a', exe]).stderr, '', `${arch} ${mode}: readelf warns`);
    }
  }
});
