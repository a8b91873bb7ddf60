// darwin: the executable's __TEXT,__unwind_info, made from the compact
// unwind records of clang's objects (C++ with exceptions: personality
// routine and LSDA per function), checked with llvm-objdump's reader
// against the program ld64.lld links from the same objects, function by
// function. No C++ runtime runs under macho-run, so no exception is thrown
// here: what is checked is what the unwinder would read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { asmlink, run, tempDir, which, writeTemp } from '../helpers.js';
import { asmCallingC } from './c-programs.js';
import { hex, imp, obj, sym } from './helpers.js';
import { link } from '../../src/link/index.js';
import { DiagnosticError, formatDiagnostic } from '../../src/diag.js';
import type { DynImport, ObjectFile, Symbol } from '../../src/obj/symbol.js';
import type { Reloc } from '../../src/obj/reloc.js';

const dir = tempDir('asmlink-macho-unwind-');
const triple = { amd64: 'x86_64-apple-macos11', arm64: 'arm64-apple-macos11' };
const IMAGE_BASE = 0x100000000;
const PERSONALITY_MASK = 0x30000000;
const MODE_MASK = 0x0f000000;
const DWARF_MODE = { arm64: 0x03000000 };
const CXXABI = ['__cxa_allocate_exception', '__cxa_begin_catch', '__cxa_end_catch', '__cxa_throw', '__gxx_personality_v0', '_ZTVN10__cxxabiv117__class_type_infoE'];

/** What llvm-objdump --unwind-info reads: entries (image offset → encoding), LSDAs by function, personality slots, the end. */
interface UnwindInfo {
  entries: { fn: number; enc: number }[];
  lsda: Map<number, number>;
  personalities: number[];
  end: number;
}

function unwindInfo(exe: string): UnwindInfo {
  const out = run('llvm-objdump', ['--macho', '--unwind-info', exe]);
  assert.equal(out.status, 0, out.stderr);
  const info: UnwindInfo = { entries: [], lsda: new Map(), personalities: [], end: 0 };
  let part = '';
  for (const line of out.stdout.split('\n')) {
    if (/^\s*(Top level indices|LSDA descriptors|Second level indices)/.test(line)) part = line.trim();
    let m = /personality\[\d+\]: (0x[0-9a-f]+)/.exec(line);
    if (m) info.personalities.push(Number(m[1]));
    m = /function offset=(0x[0-9a-f]+), 2nd level page offset=0x0+,/.exec(line);
    if (m && part.startsWith('Top level')) info.end = Number(m[1]);
    m = /\[\d+\]: function offset=(0x[0-9a-f]+), LSDA offset=(0x[0-9a-f]+)/.exec(line);
    if (m && part.startsWith('LSDA')) info.lsda.set(Number(m[1]), Number(m[2]));
    m = /\[\d+\]: function offset=(0x[0-9a-f]+), encoding(?:\[\d+\])?=(0x[0-9a-f]+)/.exec(line);
    if (m && part.startsWith('Second level')) info.entries.push({ fn: Number(m[1]), enc: Number(m[2]) });
  }
  return info;
}

/** The entry the unwinder takes for image offset `off`: the last at or before it (none past the end). */
function lookup(info: UnwindInfo, off: number): { fn: number; enc: number } | undefined {
  if (off >= info.end) return undefined;
  let best: { fn: number; enc: number } | undefined;
  for (const e of info.entries) if (e.fn <= off && (!best || e.fn > best.fn)) best = e;
  return best;
}

/** Defined symbols by name (leading underscores dropped: asmlink names a compiler's `GCC_except_table0` `_GCC_except_table0`), and by address. */
function symbols(file: string): { byName: Map<string, number>; nameAt: (off: number) => string } {
  const out = run('llvm-nm', ['-n', '--defined-only', file]);
  assert.equal(out.status, 0, out.stderr);
  const byName = new Map<string, number>();
  const list: [number, string][] = [];
  for (const line of out.stdout.split('\n')) {
    const m = /^([0-9a-f]+) \w (\S+)$/.exec(line);
    if (!m) continue;
    // asmlink's external object names a second object's local GCC_except_table1 GCC_except_table1.2.
    const name = m[2]!.replace(/^_+/, '').replace(/\.\d+$/, '');
    // The first of a weak function's copies is the one the link keeps (a later object's stays, unreached, without an entry).
    if (!byName.has(name)) byName.set(name, parseInt(m[1]!, 16) - IMAGE_BASE);
    list.push([parseInt(m[1]!, 16) - IMAGE_BASE, name]);
  }
  return { byName, nameAt: (off) => list.filter(([a]) => a === off).map(([, n]) => n).sort()[0] ?? `0x${off.toString(16)}` };
}

/** The functions an object defines (Mach-O names without the leading underscore). */
function functionsOf(obj: string): string[] {
  const out = run('llvm-nm', ['--defined-only', obj]);
  return out.stdout.split('\n').flatMap((l) => {
    const m = /^[0-9a-f]+ [Tt] (\S+)$/.exec(l);
    return m && !m[1]!.startsWith('ltmp') ? [m[1]!.replace(/^_+/, '')] : [];
  });
}

/** Each function's view in a program: its encoding without the personality index, whether it has a personality, its LSDA's symbol. */
function describe(exe: string, fns: readonly string[]): Map<string, string> {
  const info = unwindInfo(exe);
  const { byName, nameAt } = symbols(exe);
  const out = new Map<string, string>();
  for (const f of fns) {
    const off = byName.get(f);
    assert.ok(off !== undefined, `${exe}: no symbol ${f}`);
    const e = lookup(info, off!);
    assert.ok(e, `${exe}: no unwind entry reaches ${f}`);
    const lsda = info.lsda.get(e!.fn);
    out.set(f, `enc=0x${(e!.enc & ~PERSONALITY_MASK).toString(16)} personality=${(e!.enc & PERSONALITY_MASK) !== 0} lsda=${lsda === undefined ? '-' : nameAt(lsda)}`);
  }
  return out;
}

// C++ with typed exceptions (each catching function has a personality and
// an LSDA whose type table reaches the typeinfo through a GOT slot), a
// function without either, one that only throws, an inline function two
// objects define (one copy kept, its other record dropped), and enough
// catching functions for several pages of entries (511 a page).
const excCpp = `struct E { int v; };
__attribute__((noinline)) int gthrow(int n) { if (n > 0) throw E{n}; return n; }
__attribute__((noinline)) inline int shared(int n) { try { return gthrow(n); } catch (...) { return -1; } }
static int depth(int n) { int x = gthrow(n); return x * 2; }
extern "C" int cmain(int n) {
  try { return depth(n) + shared(n); } catch (const E &e) { return e.v + 40; }
}
extern "C" int plain(int a) { return a + 1; }
extern "C" int other(int x) { return gthrow(x); }
extern "C" void sink(int) {}
`;
// C with a cleanup (-fexceptions): a second personality routine, libSystem's ___gcc_personality_v0.
const cleanupC = 'int other(int);\nvoid sink(int);\nstatic void done(int *p) { sink(*p); }\nint cleanup_user(int n) { int x __attribute__((cleanup(done))) = n; return other(x); }\n';
const C_IMPORTS = ['__gcc_personality_v0', '_Unwind_Resume', 'abort'];
const manyCpp = (n: number): string =>
  `struct E { int v; };\nint gthrow(int);\n__attribute__((noinline)) inline int shared(int n) { try { return gthrow(n); } catch (...) { return -1; } }\n` +
  Array.from({ length: n }, (_, i) => `extern "C" int catcher${i}(int n) { try { return gthrow(n) + ${i}; } catch (const E &e) { return e.v - ${i}; } }\n`).join('') +
  'extern "C" int touch(int n) { return shared(n); }\n';
// A frame only DWARF can describe (.cfi_escape): x86_64 objects then have
// no compact record for it, arm64 ones one in DWARF mode.
const dwarfAsm = {
  amd64: '\t.section __TEXT,__text,regular,pure_instructions\n\t.globl _dw\n_dw:\n\t.cfi_startproc\n\tpushq %rbp\n\t.cfi_def_cfa_offset 16\n\t.cfi_offset %rbp, -16\n\t.cfi_escape 0x2e, 0x10\n\tpopq %rbp\n\tretq\n\t.cfi_endproc\n',
  arm64: '\t.section __TEXT,__text,regular,pure_instructions\n\t.globl _dw\n_dw:\n\t.cfi_startproc\n\tstp x29, x30, [sp, #-16]!\n\t.cfi_def_cfa_offset 16\n\t.cfi_escape 0x2e, 0x10\n\tldp x29, x30, [sp], #16\n\tret\n\t.cfi_endproc\n',
};

for (const arch of ['amd64', 'arm64'] as const) {
  test(`darwin/${arch}: C++ objects' compact unwind records become __unwind_info (encodings, C++'s and C's personality routines through bound GOT slots, LSDAs, several pages), as ld64.lld makes it; asmlink's own functions get none`, (t) => {
    const clang = which('clang++');
    if (!clang) return t.skip('needs clang++ (Debian package clang) to compile C++ for darwin');
    if (!which('llvm-objdump') || !which('llvm-nm')) return t.skip('needs llvm-objdump and llvm-nm (Debian package llvm)');
    const objs: string[] = [];
    for (const [name, src] of [['exc', excCpp], ['many', manyCpp(600)]] as const) {
      const o = path.join(dir, `${name}-${arch}.o`);
      const c = run(clang, [`--target=${triple[arch]}`, '-O1', '-c', '-o', o, writeTemp(dir, `${name}.cpp`, src)]);
      assert.equal(c.status, 0, c.stderr);
      objs.push(o);
    }
    const cl = path.join(dir, `cleanup-${arch}.o`);
    const cc = run(which('clang') || 'clang', [`--target=${triple[arch]}`, '-O1', '-fexceptions', '-c', '-o', cl, writeTemp(dir, 'cleanup.c', cleanupC)]);
    assert.equal(cc.status, 0, cc.stderr);
    objs.push(cl);
    const dw = path.join(dir, `dw-${arch}.o`);
    assert.equal(run(clang, [`--target=${triple[arch]}`, '-c', '-o', dw, writeTemp(dir, `dw-${arch}.s`, dwarfAsm[arch])]).status, 0);
    // Both objects define the inline function: the programs keep different copies, compiled apart (compared alone below).
    const fns = [...new Set(objs.flatMap(functionsOf))].filter((f) => f !== 'Z6sharedi');
    for (const f of ['cmain', 'plain', 'Z6gthrowi', 'catcher599', 'cleanup_user']) assert.ok(fns.includes(f), `${f} is not among the objects' functions`);

    // Internally, the C++ ABI from libc++abi; through ld64.lld, from the libSystem stub asmlink writes (its only one).
    const libSystem = C_IMPORTS.map((n) => `//go:cgo_import_dynamic ${n} ${n} "/usr/lib/libSystem.B.dylib"\n`).join('');
    const main = writeTemp(dir, `main-${arch}.s`, libSystem + asmCallingC(arch, CXXABI, '/usr/lib/libc++abi.dylib'));
    const exe = path.join(dir, `unwind-${arch}`);
    const b = asmlink(['build', '--os', 'darwin', '--arch', arch, '-o', exe, main, ...objs, dw]);
    assert.equal(b.status, 0, b.stderr);
    const info = unwindInfo(exe);
    assert.equal(info.personalities.length, 2);
    assert.ok(info.entries.length > 600 && info.lsda.size >= 602, `${info.entries.length} entries, ${info.lsda.size} LSDAs`);
    // Each personality's slot is bound to its routine (C++'s first: its objects come first).
    const binds = run('llvm-objdump', ['--macho', '--bind', exe]).stdout;
    const slot = (i: number): string => `0x${(IMAGE_BASE + info.personalities[i]!).toString(16)}`;
    assert.match(binds, new RegExp(`${slot(0)}\\s+pointer\\s+0\\s+libc\\+\\+abi\\s+___gxx_personality_v0`, 'i'), binds);
    assert.match(binds, new RegExp(`${slot(1)}\\s+pointer\\s+0\\s+libSystem\\s+___gcc_personality_v0`, 'i'), binds);
    const ours = describe(exe, fns);
    // asmlink's own functions (Go-style assembly, no records) have nothing to unwind by; nor has the DWARF-only one.
    const own = describe(exe, ['main', 'runtime.exit', 'dw']);
    for (const [f, d] of own) assert.equal(d, 'enc=0x0 personality=false lsda=-', f);
    assert.match(ours.get('cmain')!, /personality=true lsda=GCC_except_table\d+/);
    assert.match(ours.get('plain')!, /personality=false lsda=-/);
    assert.match(describe(exe, ['Z6sharedi']).get('Z6sharedi')!, /personality=true lsda=GCC_except_table\d+/);

    const ld64 = which('ld64.lld') || which('ld64.lld-14');
    if (!ld64) return t.skip('needs ld64.lld (Debian package lld) to compare with');
    const extMain = writeTemp(dir, `main-ext-${arch}.s`, libSystem + asmCallingC(arch, CXXABI, '/usr/lib/libSystem.B.dylib'));
    const extExe = path.join(dir, `unwind-ext-${arch}`);
    const extObj = path.join(dir, `unwind-ext-${arch}.o`);
    const x = asmlink(['build', '--os', 'darwin', '--arch', arch, '--linkmode', 'external', '--keep-object', extObj, '-o', extExe, extMain, ...objs, dw]);
    assert.equal(x.status, 0, x.stderr);
    assert.deepEqual(describe(extExe, fns), ours);
    // ld64.lld points the arm64 record of the DWARF-only function at its
    // frame in __eh_frame, which asmlink does not link for darwin (an x86_64
    // object has no record for it, and lld 14 makes no entry of __eh_frame alone).
    if (arch === 'arm64') {
      const theirsDw = lookup(unwindInfo(extExe), symbols(extExe).byName.get('dw')!);
      assert.equal((theirsDw!.enc & MODE_MASK) >>> 0, DWARF_MODE[arch]);
    }
    // The external object carries the records: linked again by asmlink, the same table.
    const again = path.join(dir, `unwind-again-${arch}`);
    const a = asmlink(['link', '--os', 'darwin', '--arch', arch, '--no-runtime', '--entry', 'main', '-o', again, extObj]);
    assert.equal(a.status, 0, a.stderr);
    assert.deepEqual(describe(again, fns), ours);
  });
}

// Records that cannot be made into __unwind_info are diagnostics naming the object.
test('darwin: compact unwind records the linker cannot use are errors naming the object', () => {
  const target = { os: 'darwin', arch: 'amd64' } as const;
  const failure = (objs: ObjectFile[]): string => {
    try {
      link(objs, { target, linkmode: 'internal', entry: 'main' });
    } catch (e) {
      if (e instanceof DiagnosticError) return e.diagnostics.map(formatDiagnostic).join('\n');
      throw e;
    }
    return assert.fail('link succeeded');
  };
  const record = (fn: string, personality?: string, extra = 0): Reloc[] => [
    { off: extra, size: 8, type: 'R_ADDR', sym: fn, add: 0 },
    ...(personality ? [{ off: extra + 16, size: 8, type: 'R_ADDR' as const, sym: personality, add: 0 }] : []),
  ];
  const records = (n: number, relocs: Reloc[]): Symbol => sym('__LD,__compact_unwind', 'unwind', new Uint8Array(32 * n), relocs, { flags: { local: true }, file: 'c.o' });
  const code = ['main', 'f1', 'f2', 'f3', 'f4'].map((n) => sym(n, 'text', hex('c3'), [], { file: 'c.o' }));
  const whole = (symbols: Symbol[], dynimports: DynImport[] = []): ObjectFile => ({ ...obj('c.o', symbols, dynimports), target, indivisible: true });
  const routines = ['p1', 'p2', 'p3', 'p4'].map((p) => imp(p, p, '/usr/lib/libc++abi.dylib'));
  const four = records(4, ['f1', 'f2', 'f3', 'f4'].flatMap((f, i) => record(f, `p${i + 1}`, 32 * i)));
  assert.match(failure([whole([...code, four], routines)]), /more than 3 personality routines \(p1, p2, p3, p4\); __unwind_info has room for 3/);
  assert.match(failure([whole([...code, sym('__LD,__compact_unwind', 'unwind', new Uint8Array(40), record('f1'), { file: 'c.o' })])]), /c\.o: __LD,__compact_unwind: compact unwind records of 40 bytes, not a multiple of 32/);
  assert.match(failure([whole([...code, records(2, record('f1'))])]), /c\.o: __LD,__compact_unwind\+0x20: a compact unwind record without a function/);
  assert.match(failure([whole([...code, sym('table', 'rodata', new Uint8Array(8), [], { file: 'c.o' }), records(1, record('table'))])]), /a compact unwind record of table, which is not code/);
  assert.match(failure([whole([...code, records(1, record('p1'))], routines)]), /__LD,__compact_unwind\+0x0: a compact unwind record's function or LSDA is imported p1/);
});
