// The C declaration parser and the per-target type table.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticError } from '../../src/diag.js';
import { declaration, parseDeclarations, typeName, type FuncDecl } from '../../src/gen/index.js';
import type { Target } from '../../src/target.js';

const amd64: Target = { os: 'linux', arch: 'amd64' };

function parse(src: string, target: Target = amd64): FuncDecl[] {
  return parseDeclarations(src, { file: 'x.h', target });
}

function errors(src: string, target: Target = amd64): string[] {
  try {
    parse(src, target);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`);
    throw e;
  }
  assert.fail('expected diagnostics');
}

function sig(d: FuncDecl): string {
  return `${typeName(d.ret)} ${d.name}(${[...d.params.map((p) => `${typeName(p.type)}${p.name ? ' ' + p.name : ''}`), ...(d.variadic ? ['...'] : [])].join(', ')})`;
}

test('prototypes: qualifiers, typedefs, pointers, unnamed parameters, (void)', () => {
  const ds = parse(`
    extern ssize_t write(int fd, const void *restrict buf, size_t n) __attribute__((nonnull(2)));
    pid_t getpid(void);
    char **dup(const char * const *v, unsigned);
    int main2();
  `);
  assert.deepEqual(ds.map(sig), ['ssize_t write(int fd, void * buf, size_t n)', 'pid_t getpid()', 'char ** dup(char ** v, unsigned)', 'int main2()']);
});

test('function pointers, arrays and function parameters decay to pointers', () => {
  const [q, s] = parse(`
    void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
    void (*signal(int sig, void (*fn)(int)))(int);
    int main3(int argc, char *argv[], int f(int));
  `);
  assert.equal(q!.params[3]!.type.kind, 'ptr');
  assert.equal(typeName(q!.params[3]!.type), 'int (*)(void *, void *)');
  assert.equal(s!.name, 'signal');
  assert.equal(typeName(s!.ret), 'void (*)(int)');
  assert.equal(declaration(q!.params[3]!.type, 'cmp'), 'int (*cmp)(void *, void *)');
  assert.equal(declaration(s!.ret, 'signal(int sig, void (*fn)(int))'), 'void (*signal(int sig, void (*fn)(int)))(int)');
  const m = parse('int main3(int argc, char *argv[], int f(int));')[0]!;
  assert.deepEqual(m.params.map((p) => typeName(p.type)), ['int', 'char **', 'int (*)(int)']);
});

test('typedefs declared in the header, struct tags, enums, skipped struct bodies', () => {
  const ds = parse(`
    typedef unsigned long long u64;
    typedef struct foo foo_t;
    typedef int (*handler_t)(void *);
    struct timespec { long tv_sec; long tv_nsec; };
    enum color { RED, GREEN };
    u64 f1(foo_t *p, handler_t h, struct timespec *ts, enum color c);
  `);
  const f = ds[0]!;
  assert.deepEqual(f.ret, { kind: 'int', size: 8, signed: false, name: 'u64' });
  assert.equal(typeName(f.params[0]!.type), 'foo_t *');
  assert.equal(typeName(f.params[1]!.type), 'int (*)(void *)');
  assert.equal(typeName(f.params[2]!.type), 'struct timespec *');
  assert.deepEqual(f.params[3]!.type, { kind: 'int', size: 4, signed: true, name: 'enum color' });
});

test('integer widths and signedness differ per target', () => {
  const src = 'long f(char a, off_t b, mode_t c, wchar_t d, unsigned long e, long long g, pthread_t h);';
  const pick = (t: Target) => {
    const d = parse(src, t)[0]!;
    return [d.ret, ...d.params.map((p) => p.type)].map((x) => (x.kind === 'int' ? `${x.signed ? 'i' : 'u'}${x.size * 8}` : x.kind));
  };
  assert.deepEqual(pick({ os: 'linux', arch: 'amd64' }), ['i64', 'i8', 'i64', 'u32', 'i32', 'u64', 'i64', 'u64']);
  assert.deepEqual(pick({ os: 'linux', arch: '386' }), ['i32', 'i8', 'i32', 'u32', 'i32', 'u32', 'i64', 'u32']);
  // AAPCS64: plain char and wchar_t are unsigned on linux.
  assert.deepEqual(pick({ os: 'linux', arch: 'arm64' }), ['i64', 'u8', 'i64', 'u32', 'u32', 'u64', 'i64', 'u64']);
  // darwin: off_t always 64-bit, mode_t 16-bit, pthread_t a pointer, char signed on arm64.
  assert.deepEqual(pick({ os: 'darwin', arch: 'arm64' }), ['i64', 'i8', 'i64', 'u16', 'i32', 'u64', 'i64', 'ptr']);
  assert.deepEqual(pick({ os: 'darwin', arch: '386' }), ['i32', 'i8', 'i64', 'u16', 'i32', 'u32', 'i64', 'ptr']);
});

test('directives and the callback keyword', () => {
  const ds = parse(`
    //asmlink:varargs int, const char *
    int printf(const char *fmt, ...);
    //asmlink:varargs 3
    int fcntl(int fd, int cmd, ...);
    //asmlink:callback
    int cmp(const void *a, const void *b);
    //asmlink:callback other·fn
    void cb2(int x);
    callback long cb3(long x) __asm__("pkg·three");
    int renamed(int) __asm__("real_name");
  `);
  assert.deepEqual(ds[0]!.varargs?.kind === 'types' ? ds[0]!.varargs.types.map((p) => typeName(p.type)) : [], ['int', 'char *']);
  assert.deepEqual(ds[1]!.varargs, { kind: 'words', count: 3 });
  assert.equal(ds[2]!.callback, true);
  assert.equal(ds[2]!.remoteGiven, false);
  assert.deepEqual([ds[3]!.callback, ds[3]!.remote], [true, 'other·fn']);
  assert.deepEqual([ds[4]!.callback, ds[4]!.remote], [true, 'pkg·three']);
  assert.deepEqual([ds[5]!.callback, ds[5]!.name, ds[5]!.remote], [false, 'renamed', 'real_name']);
});

test('//asmlink:library: a region of declarations, per target, ended by the next directive or its file', () => {
  const files: Record<string, string> = { 'p.h': '//asmlink:library libinner.so.1\nint inner(void);\n' };
  const h = `int before(void);
//asmlink:library libpthread.so.0 linux
int pthread_create(void *t, void *a, void *f, void *arg);
int pthread_join(long t, void **r);
//asmlink:callback
void cb(int);
#include "p.h"
int after_include(void);
//asmlink:library
int back(void);
//asmlink:library libm.so.6 linux/arm64 darwin
double cos(double x);
`;
  const libs = (target: Target) =>
    parseDeclarations(h, { file: 'a.h', target, readInclude: (n) => (files[n] ? { file: n, text: files[n]! } : undefined) }).map(
      (d) => `${d.name}:${d.library ?? '-'}`,
    );
  // The included file's region ends with it; callbacks import nothing.
  assert.deepEqual(libs(amd64), ['before:-', 'pthread_create:libpthread.so.0', 'pthread_join:libpthread.so.0', 'cb:-', 'inner:libinner.so.1', 'after_include:libpthread.so.0', 'back:-', 'cos:-']);
  assert.deepEqual(libs({ os: 'linux', arch: 'arm64' }).slice(-2), ['back:-', 'cos:libm.so.6']);
  assert.deepEqual(libs({ os: 'darwin', arch: 'amd64' }), ['before:-', 'pthread_create:-', 'pthread_join:-', 'cb:-', 'inner:libinner.so.1', 'after_include:-', 'back:-', 'cos:libm.so.6']);
  assert.deepEqual(errors('//asmlink:library libx.so linux-386\nint f(void);\n//asmlink:library "a"\nint g(void);\n'), [
    '1:1: //asmlink:library: "linux-386" is not a target (OS/ARCH or OS)',
    '3:1: //asmlink:library: "\\"a\\"" is not a library name',
  ]);
});

test('#include through readInclude, include guards and pragmas', () => {
  const files: Record<string, string> = { 'b.h': '#pragma once\nint fromb(int);\n' };
  const ds = parseDeclarations('#ifndef A_H\n#define A_H\n#include "b.h"\nint froma(void);\n#endif\n', {
    file: 'a.h',
    target: amd64,
    readInclude: (name) => (files[name] ? { file: name, text: files[name]! } : undefined),
  });
  assert.deepEqual(ds.map((d) => d.name), ['fromb', 'froma']);
  assert.deepEqual(
    errors('#include <stdio.h>\n#include "missing.h"\n'),
    ['1:1: #include <stdio.h>: only #include "file" and the type headers <stddef.h>, <stdint.h>, <stdbool.h>, <stdarg.h>, <inttypes.h>, <sys/types.h> (whose types are built in) are supported; other system headers are not read: declare the prototypes you need', '2:1: #include file not found: missing.h'],
  );
  // Headers of types only are skipped: their types are built in, so a header valid for a C compiler works as it is.
  const typed = parse('#include <stddef.h>\n#include <stdint.h>\n#include <sys/types.h>\nsize_t count(const uint8_t *p, ssize_t n);\n');
  assert.deepEqual(typed.map(sig), ['size_t count(uint8_t * p, ssize_t n)']);
});

test('preprocessor conditionals: include guards, #ifdef __cplusplus, per-OS and per-arch blocks over the target\'s predefined macros and the header\'s #defines', () => {
  const header = `#ifndef MYLIB_H
#define MYLIB_H
#ifdef __cplusplus
extern "C" {
#endif
#define MYLIB_LEVEL 2
#if defined(__linux__) && __SIZEOF_LONG__ == 8
int on_linux64(void);
#elif defined __linux__
int on_linux32(void);
#elif defined(__APPLE__) && (defined(__aarch64__) || defined(__arm64__))
int on_apple_silicon(void);
#else
int elsewhere(void);
#endif
#if MYLIB_LEVEL >= 2 && !defined(MYLIB_NO_EXTRA)
int extra(void);
#  ifdef __x86_64__
int x86_extra(void);
#  endif
#endif
#undef MYLIB_LEVEL
#if MYLIB_LEVEL
int never(void);
#error not read: a left-out region's directives are not evaluated
#if 1/0
#endif
#endif
#ifdef __cplusplus
}
#endif
#endif
`;
  const names = (target: Target) => parse(header, target).map((d) => d.name);
  assert.deepEqual(names(amd64), ['on_linux64', 'extra', 'x86_extra']);
  assert.deepEqual(names({ os: 'linux', arch: '386' }), ['on_linux32', 'extra']);
  assert.deepEqual(names({ os: 'darwin', arch: 'arm64' }), ['on_apple_silicon', 'extra']);
  assert.deepEqual(names({ os: 'darwin', arch: 'amd64' }), ['elsewhere', 'extra', 'x86_extra']);
  assert.deepEqual(errors('#if 1\nint f(void);\n'), ['1:1: #if without #endif in its file']);
  assert.deepEqual(errors('#else\n'), ['1:1: #else without #if']);
  assert.deepEqual(errors('#if 0\n#else\n#elif 1\n#endif\n'), ['3:1: #elif after #else']);
  assert.deepEqual(errors('#if 1 +\n#endif\n'), ["1:1: #if 1 +: expected an operand at its end"]);
  assert.deepEqual(errors('#ifdef 3\n#endif\n'), ['1:1: #ifdef needs one macro name, not "3"']);
  assert.deepEqual(errors('#ifdef __linux__\n#error this header is for darwin\n#endif\n'), ['2:1: #error this header is for darwin']);
});

test('the header\'s object-like macros are expanded in declarations, not inside themselves, until #undef', () => {
  const header = `#define MYLIB_API
#define MYLIB_CALL __attribute__((noinline))
#define MYLIB_SIZE size_t
#define MYLIB_LEN MYLIB_SIZE
MYLIB_API MYLIB_LEN MYLIB_CALL count(const char *s);
#define MYLIB_DEPRECATED(msg) __attribute__((deprecated(msg)))
#define linux_name linux_name
int uses(int linux_name, int unix, int i386);
`;
  assert.deepEqual(parse(header).map(sig), ['size_t count(char * s)', 'int uses(int linux_name, int unix, int i386)']);
  assert.deepEqual(errors('#define API\nAPI int f(void);\n#undef API\nAPI int g(void);\n'), ["4:1: unknown type name 'API' (declare it with a typedef)"]);
  assert.deepEqual(errors('#define SELF SELF\nSELF int f(void);\n'), ["2:1: unknown type name 'SELF' (declare it with a typedef)"]);
  assert.deepEqual(errors('#define OLD(m) __attribute__((deprecated(m)))\nOLD("x") int f(void);\nint g(void);\n'), ['2:1: OLD is a function-like macro, which gen does not expand: write the declaration without it']);
  // A callback's symbol lands in a CALL: it must be a name the assembler reads (found by gen-mutated-headers, seed 2906: `linux/`).
  assert.deepEqual(errors('//asmlink:callback linux/\nint cb(int a);\n'), ['1:1: //asmlink:callback takes at most one symbol name as Go assembly writes it (letters, digits, _, ·, ∕ and inner dots), not "linux/"']);
  assert.deepEqual(parse('//asmlink:callback example.com∕pkg·cb\nint cb(int a);\n').map((d) => d.remote), ['example.com∕pkg·cb']);
  // At the very end of the header, where the use leaves no token behind (found by the gen-mutated-headers fuzz property, seed 2906).
  assert.deepEqual(errors('#define OLD(m) x\nint f(void);\nOLD("m")'), ['3:1: OLD is a function-like macro, which gen does not expand: write the declaration without it']);
});

test('hostile preprocessor lines end in a diagnostic, not a stack overflow or a hang: deep #if nesting, macro chains and doubling macros', () => {
  const chain = (n: number, use: string) => Array.from({ length: n }, (_, i) => `#define M${i} M${i + 1}\n`).join('') + use;
  const doubling = (n: number, body: (i: number) => string, use: string) => Array.from({ length: n }, (_, i) => `#define D${i} ${body(i)}\n`).join('') + `#define D${n} 1\n` + use;
  const cases: [string, string, RegExp][] = [
    ['deep parentheses', `#if ${'('.repeat(50000)}1${')'.repeat(50000)}\n#endif\n`, /1:1: #if: expression nested more than 256 deep/],
    ['deep unary', `#if ${'!'.repeat(50000)}1\n#endif\n`, /1:1: #if: expression nested more than 256 deep/],
    ['a macro chain in a declaration', chain(5000, 'M0 int f(void);\n'), /5001:1: M200: macros nested more than 200 deep/],
    ['a macro chain in #if', chain(5000, '#if M0\n#endif\n'), /5001:1: #if M64: macros nested too deeply or expanding too far/],
    ['doubling macros in a declaration', doubling(40, (i) => `D${i + 1} D${i + 1}`, 'D0 f(void);\n'), /42:1: D\d+: macros expand to more than 1000000 tokens/],
    ['doubling macros in #if', doubling(40, (i) => `(D${i + 1}+D${i + 1})`, '#if D0\n#endif\n'), /42:1: #if .*: macros nested too deeply or expanding too far/],
  ];
  for (const [what, src, want] of cases) {
    const errs = errors(src);
    assert.equal(errs.length, 1, `${what}: ${errs.join('; ')}`);
    assert.match(errs[0]!, want, what);
  }
});

test('malformed declarations: one diagnostic each, at the right place', () => {
  assert.deepEqual(
    errors(`int ok(int);
foo_t f1(int x);
int f2(int x
int f3(void);
static int f4(void);
int var;
#line 7
//asmlink:bogus
unsigned signed f5(void);
f6(int);
int f7(int, ...
`),
    [
      "2:1: unknown type name 'foo_t' (declare it with a typedef)",
      "4:1: expected ')', found 'int'",
      "5:1: 'static' declarations have no symbol to import: declare the function as extern",
      "6:5: 'var' is not a function: only function prototypes and typedefs are supported",
      '7:1: #line: preprocessor directives other than #include, #define, #undef, #if, #ifdef, #ifndef, #elif, #else, #endif, #error and #pragma are not supported',
      '8:1: unknown directive //asmlink:bogus (want callback, varargs, version or library)',
      "9:1: invalid type 'unsigned signed'",
      "10:1: missing return type for 'f6' (implicit int is not C)",
      "11:16: expected ')' at end of input",
    ],
  );
  assert.deepEqual(errors('int f(int a) /* unterminated'), ['1:14: unterminated /* comment']);
  assert.deepEqual(errors('//asmlink:varargs 2\nint f(int a);'), ['1:1: //asmlink:varargs on f, which is not variadic']);
  assert.deepEqual(errors('//asmlink:callback\nint f(int a, ...);'), ['2:5: callback f cannot be variadic']);
  assert.deepEqual(errors('int f(__int128 x);'), ["1:7: unsupported type '__int128': 128-bit integers are not supported"]);
  assert.deepEqual(errors('//asmlink:varargs int, bogus_t\nint f(int a, ...);'), ["1:24: unknown type name 'bogus_t' (declare it with a typedef)"]);
});
