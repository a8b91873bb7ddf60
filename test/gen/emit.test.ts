// Layouts and emitted trampolines: the frame offsets, the generated comments,
// and that every target's output assembles — with asmlink's assembler and,
// as an independent check, with Go's (`go tool asm`), whose bytes must match.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assemble } from '../../src/asm/assemble.js';
import { bindingsFor, emitTrampoline, generateBindings, type Binding } from '../../src/gen/index.js';
import { findOnPath } from '../../src/host/run.js';
import { bundledHeaders } from '../../src/asm/headers.js';
import { ARCHES, OSES, type Target } from '../../src/target.js';

const HEADER = `
ssize_t write(int fd, const void *buf, size_t n);
pid_t getpid(void);
void exit(int code);
long long llabs(long long x);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
signed char sc(unsigned char a, short b, unsigned short c, _Bool d);
unsigned short us(void);
_Bool bo(void);
long sum9(signed char a, short b, int c, long d, unsigned char e, unsigned short f, unsigned int g, long long h, int i);
//asmlink:varargs int, long long, const char *, char
int snprintf(char *buf, size_t n, const char *fmt, ...);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
//asmlink:callback
int cmp(const void *a, const void *b);
//asmlink:callback main·big
long long big(int a, long long b, signed char c, short d, int e, int f, int g, int h, int i, long long j);
double dmix(int a, double b, float c, long d, double e);
float fhalf(float x);
double dsum10(double x0, double x1, double x2, double x3, double x4, double x5, double x6, double x7, double x8, float x9);
//asmlink:varargs double, int, double
int printf_d(const char *fmt, ...) __asm__("printf");
//asmlink:callback
float fcb(double a0, double a1, double a2, double a3, double a4, double a5, double a6, double a7, float a8, double a9, int i);
`;

function offsets(b: Binding): string {
  return [...b.args, ...(b.ret ? [b.ret] : []), ...(b.errno ? [b.errno] : [])].map((s) => `${s.name}+${s.off}/${s.size}`).join(' ') + ` args=${b.argsSize}`;
}

function byName(target: Target, errno = false): Map<string, Binding> {
  return new Map(bindingsFor(HEADER, { file: 'h.h', target, errno }).map((b) => [b.decl.name, b]));
}

test("Go's ABI0 layout: arguments aligned to their size (max the pointer size), results pointer-aligned and widened", () => {
  const a = byName({ os: 'linux', arch: 'amd64' }, true);
  assert.equal(offsets(a.get('write')!), 'fd+0/4 buf+8/8 n+16/8 ret+24/8 errno+32/8 args=40');
  assert.equal(offsets(a.get('sc')!), 'a+0/1 b+2/2 c+4/2 d+6/1 ret+8/8 errno+16/8 args=24');
  assert.equal(offsets(a.get('exit')!), 'code+0/4 errno+8/8 args=16');
  const i = byName({ os: 'linux', arch: '386' });
  assert.equal(offsets(i.get('write')!), 'fd+0/4 buf+4/4 n+8/4 ret+12/4 args=16');
  // 64-bit values are 4-aligned on 386 (as in Go and cdecl); a 64-bit result is two words.
  assert.equal(offsets(i.get('llabs')!), 'x+0/8 ret+8/8 args=16');
  assert.equal(offsets(i.get('mmap')!), 'addr+0/4 len+4/4 prot+8/4 flags+12/4 fd+16/4 off+20/4 ret+24/4 args=28');
  assert.equal(offsets(i.get('sum9')!), 'a+0/1 b+2/2 c+4/4 d+8/4 e+12/1 f+14/2 g_+16/4 h+20/8 i+28/4 ret+32/4 args=36');
  const d = byName({ os: 'darwin', arch: '386' });
  assert.equal(offsets(d.get('mmap')!), 'addr+0/4 len+4/4 prot+8/4 flags+12/4 fd+16/4 off+20/8 ret+28/4 args=32');
  const s = a.get('snprintf')!;
  assert.equal(offsets(s), 'buf+0/8 n+8/8 fmt+16/8 va0+24/4 va1+32/8 va2+40/8 va3+48/1 ret+56/8 errno+64/8 args=72');
  const cb = a.get('cmp')!;
  assert.equal(cb.symbol, 'libc·cmp_cb');
  assert.equal(cb.callee, 'main·cmp');
  assert.equal(offsets(cb), 'a+0/8 b+8/8 ret+16/8 args=24');
});

test('generated comments document the layout and the widening rule', () => {
  const text = emitTrampoline(byName({ os: 'linux', arch: 'amd64' }).get('write')!);
  assert.match(text, /^\/\/ C: ssize_t write\(int fd, void \*buf, size_t n\)$/m);
  assert.match(text, /^\/\/ func write\(fd int32, buf unsafe.Pointer, n uint64\) \(ret int64\)$/m);
  assert.match(text, /^\/\/ fd\+0\(FP\) buf\+8\(FP\) n\+16\(FP\) ret\+24\(FP\)$/m);
  assert.match(text, /^TEXT libc·write\(SB\),NOSPLIT\|DUPOK,\$0-32$/m);
  const sc = emitTrampoline(byName({ os: 'linux', arch: '386' }).get('sc')!);
  assert.match(sc, /ret is the C signed char sign-extended to 32 bits/);
  assert.match(sc, /MOVBLSX\tAX, AX/);
  const file = generateBindings('int f(int);', { file: 'h.h', target: { os: 'darwin', arch: 'arm64' } });
  assert.match(file, /^\/\/go:cgo_import_dynamic libc_f f "\/usr\/lib\/libSystem.B.dylib"$/m);
  assert.match(file, /^\/\/go:cgo_import_dynamic _ _ "\/usr\/lib\/libSystem.B.dylib"$/m);
  const errnoFile = generateBindings('int f(int);', { file: 'h.h', target: { os: 'linux', arch: 'amd64' }, errno: true, library: '/opt/x.so' });
  assert.match(errnoFile, /^\/\/go:cgo_import_dynamic libc_f f "\/opt\/x.so"$/m);
  assert.match(errnoFile, /^\/\/go:cgo_import_dynamic libc___errno_location __errno_location "libc.so.6"$/m);
  // The C line declares pointers to pointers and to functions as a header would.
  const qsort = generateBindings('void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));\nchar **dup(char **v, char buf[]);', {
    file: 'h.h',
    target: { os: 'linux', arch: 'amd64' },
  });
  assert.match(qsort, /^\/\/ C: void qsort\(void \*base, size_t n, size_t size, int \(\*cmp\)\(void \*, void \*\)\)$/m);
  assert.match(qsort, /^\/\/ C: char \*\*dup\(char \*\*v, char \*buf\)$/m);
});

test('floating point: X/F registers, the stack past eight, x87 results on 386, AL counts vector registers', () => {
  const a = byName({ os: 'linux', arch: 'amd64' });
  assert.equal(offsets(a.get('dmix')!), 'a+0/4 b+8/8 c+16/4 d+24/8 e+32/8 ret+40/8 args=48');
  const amd = emitTrampoline(a.get('dsum10')!);
  assert.match(amd, /MOVSD\tx7\+56\(FP\), X7\n/);
  assert.match(amd, /MOVQ\t80\(BP\), AX\t\/\/ x8\+64\(FP\)\n\tMOVQ\tAX, 0\(SP\)\n\tMOVL\t88\(BP\), AX\t\/\/ x9\+72\(FP\)\n\tMOVQ\tAX, 8\(SP\)/);
  assert.match(amd, /MOVSD\tX0, ret\+80\(FP\)/);
  assert.match(emitTrampoline(a.get('printf_d')!), /MOVL\t\$2, AX\t\/\/ vector registers used by the variadic call/);
  const i386 = emitTrampoline(byName({ os: 'linux', arch: '386' }).get('fhalf')!);
  assert.match(i386, /FMOVFP\tF0, ret\+4\(FP\)/);
  const arm = emitTrampoline(byName({ os: 'linux', arch: 'arm64' }).get('dmix')!);
  assert.match(arm, /MOVW\ta\+0\(FP\), R0\n\tFMOVD\tb\+8\(FP\), F0\n\tFMOVS\tc\+16\(FP\), F1\n\tMOVD\td\+24\(FP\), R1\n\tFMOVD\te\+32\(FP\), F2\n/);
  assert.throws(() => bindingsFor('//asmlink:varargs float\nint p(const char *f, ...);', { file: 'h.h', target: { os: 'linux', arch: 'amd64' } }), /promoted to double/);
});

test('apple arm64 puts variadic arguments on the stack, AAPCS64 in registers', () => {
  const src = '//asmlink:varargs int, long\nint printf(const char *fmt, ...);';
  const linux = generateBindings(src, { file: 'h.h', target: { os: 'linux', arch: 'arm64' } });
  const darwin = generateBindings(src, { file: 'h.h', target: { os: 'darwin', arch: 'arm64' } });
  assert.match(linux, /MOVW\tva0\+8\(FP\), R1\n\tMOVD\tva1\+16\(FP\), R2\n\tSUB\t\$16, RSP/);
  assert.match(darwin, /MOVW\t32\(R29\), R9\t\/\/ va0\+8\(FP\)\n\tMOVD\tR9, 0\(RSP\)\n\tMOVD\t40\(R29\), R9\t\/\/ va1\+16\(FP\)\n\tMOVD\tR9, 8\(RSP\)/);
  // Apple packs named stack arguments at their natural size; AAPCS64 uses 8-byte slots.
  const many = 'int f(long a, long b, long c, long d, long e, long f, long g, long h, char i, short j, int k);';
  const dm = generateBindings(many, { file: 'h.h', target: { os: 'darwin', arch: 'arm64' } });
  assert.match(dm, /MOVB\tR9, 0\(RSP\)[^]*MOVH\tR9, 2\(RSP\)[^]*MOVW\tR9, 4\(RSP\)/);
  const lm = generateBindings(many, { file: 'h.h', target: { os: 'linux', arch: 'arm64' } });
  assert.match(lm, /MOVD\tR9, 0\(RSP\)[^]*MOVD\tR9, 8\(RSP\)[^]*MOVD\tR9, 16\(RSP\)/);
});

function targets(): Target[] {
  return OSES.flatMap((o) => ARCHES.map((a) => ({ os: o, arch: a })));
}

test('the output of every target assembles without diagnostics', () => {
  for (const target of targets()) {
    const text = generateBindings(HEADER, { file: 'h.h', target, errno: true });
    const obj = assemble(text, { file: `gen_${target.os}_${target.arch}.s`, target, readFile: () => undefined });
    const names = obj.symbols.filter((s) => s.kind === 'text').map((s) => s.name);
    assert.ok(names.includes('libc.write') && names.includes('libc.cmp_cb'), `${target.os}/${target.arch}: ${names.join(' ')}`);
    assert.ok(obj.dynimports.some((d) => d.local === 'libc_write' && d.remote === 'write'));
  }
});

test('imports name the library of their //asmlink:library region, and each library once as needed', () => {
  const h = '//asmlink:library libpthread.so.0 linux\nint pthread_self_id(void);\n//asmlink:library\nint getpid(void);\n';
  const linux = generateBindings(h, { file: 'h.h', target: { os: 'linux', arch: 'amd64' }, errno: true });
  const imports = [...linux.matchAll(/^\/\/go:cgo_import_dynamic (.*)$/gm)].map((m) => m[1]);
  assert.deepEqual(imports, [
    'libc_pthread_self_id pthread_self_id "libpthread.so.0"',
    'libc_getpid getpid "libc.so.6"',
    'libc___errno_location __errno_location "libc.so.6"',
    '_ _ "libpthread.so.0"',
    '_ _ "libc.so.6"',
  ]);
  // --lib sets the default; a region overrides it.
  const other = generateBindings(h, { file: 'h.h', target: { os: 'linux', arch: 'amd64' }, library: 'libx.so' });
  assert.match(other, /^\/\/go:cgo_import_dynamic libc_getpid getpid "libx\.so"$/m);
  assert.match(other, /^\/\/go:cgo_import_dynamic libc_pthread_self_id pthread_self_id "libpthread\.so\.0"$/m);
  const darwin = generateBindings(h, { file: 'h.h', target: { os: 'darwin', arch: 'arm64' } });
  assert.doesNotMatch(darwin, /libpthread/);
});

/** Function bytes from `go tool objdump` of a Go object. */
function goFunctionBytes(objdump: string, words: boolean): Map<string, string> {
  const out = new Map<string, string>();
  let cur: string | undefined;
  for (const line of objdump.split('\n')) {
    const t = /^TEXT (\S+)\(SB\)/.exec(line);
    if (t) {
      cur = t[1]!;
      out.set(cur, '');
      continue;
    }
    const m = /^\s+\S+:\d+\s+0x[0-9a-f]+\s+([0-9a-f]+)\s/.exec(line);
    // arm64 instructions are printed as 32-bit words; memory order is little-endian.
    const hex = words ? m?.[1]!.match(/../g)!.reverse().join('') : m?.[1];
    if (m && cur) out.set(cur, out.get(cur)! + hex);
  }
  return out;
}

test("Go's assembler accepts the output and encodes it to the same bytes", (t) => {
  const go = findOnPath('go');
  if (!go) return t.skip('needs go (Debian package golang-go) for go tool asm');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asmlink-gen-go-'));
  try {
    fs.writeFileSync(path.join(dir, 'textflag.h'), bundledHeaders.get('textflag.h')!);
    for (const target of targets()) {
      const name = `${target.os}/${target.arch}`;
      const text = generateBindings(HEADER, { file: 'h.h', target, errno: true });
      const src = path.join(dir, `z_${target.os}_${target.arch}.s`);
      const obj = path.join(dir, `z_${target.os}_${target.arch}.o`);
      fs.writeFileSync(src, text);
      const env = { ...process.env, GOOS: target.os, GOARCH: target.arch };
      const a: SpawnSyncReturns<string> = spawnSync(go, ['tool', 'asm', '-p', 'main', '-I', dir, '-o', obj, src], { encoding: 'utf8', env });
      assert.equal(a.status, 0, `${name}: go tool asm: ${a.stderr}`);
      const d: SpawnSyncReturns<string> = spawnSync(go, ['tool', 'objdump', obj], { encoding: 'utf8', env });
      assert.equal(d.status, 0, d.stderr);
      const theirs = goFunctionBytes(d.stdout, target.arch === 'arm64');
      const ours = assemble(text, { file: src, target, readFile: () => undefined });
      for (const sym of ours.symbols.filter((s) => s.kind === 'text')) {
        const hex = Buffer.from(sym.data).toString('hex');
        const g = theirs.get(sym.name);
        assert.ok(g !== undefined, `${name}: ${sym.name} missing from Go's object`);
        // Go pads arm64 functions with zero words; compare the instructions only.
        assert.equal(hex, g.slice(0, hex.length), `${name}: ${sym.name}`);
        assert.match(g.slice(hex.length), /^(00000000)*$/, `${name}: ${sym.name} trailing bytes`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
