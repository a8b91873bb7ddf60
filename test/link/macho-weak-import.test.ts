// darwin: C's `__attribute__((weak_import))` (an undefined N_WEAK_REF
// symbol) imports the library's symbol weakly, as ld64 links it: dyld
// binds it to 0 where the library at run time lacks it (a function newer
// than the macOS the program runs on). Checked against llvm-objdump's bind
// table and ld64.lld's program for the same objects; the chained-fixup
// program's imports table (which llvm-objdump-14 does not print) is read here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, run, tempDir, which, writeTemp } from '../helpers.js';
import { asmCallingC } from './c-programs.js';
import { libSystemTbd } from './macho-helpers.js';

const dir = tempDir('asmlink-weak-import-');

const WEAK_IMPORT_C = `extern int newfunc(void) __attribute__((weak_import));
extern long write(int, const void *, unsigned long);
int cmain(void) { if (newfunc) return newfunc(); write(1, "no newfunc\\n", 11); return 40; }
`;
const TBD = libSystemTbd(['dyld_stub_binder', '_write', '_exit', '_newfunc']);

/** The chained-fixup imports (DYLD_CHAINED_IMPORT: ordinal 8 bits, weak 1, name offset 23) by name: whether each is weak. */
function chainedImports(exe: string, objdump: string): Map<string, boolean> {
  const headers = run(objdump, ['--macho', '--private-headers', exe]).stdout;
  const m = /cmd LC_DYLD_CHAINED_FIXUPS\n\s+cmdsize \d+\n\s+dataoff (\d+)\n\s+datasize (\d+)\n/.exec(headers);
  assert.ok(m, headers);
  const b = fs.readFileSync(exe).subarray(Number(m[1]), Number(m[1]) + Number(m[2]));
  const importsOffset = b.readUInt32LE(8);
  const symbolsOffset = b.readUInt32LE(12);
  const count = b.readUInt32LE(16);
  assert.equal(b.readUInt32LE(20), 1, 'DYLD_CHAINED_IMPORT');
  const out = new Map<string, boolean>();
  for (let i = 0; i < count; i++) {
    const w = b.readUInt32LE(importsOffset + 4 * i);
    const at = symbolsOffset + (w >>> 9);
    out.set(b.toString('latin1', at, b.indexOf(0, at)), ((w >>> 8) & 1) === 1);
  }
  return out;
}

test('darwin: a weak_import reference binds weakly (BIND_SYMBOL_FLAGS_WEAK_IMPORT, the chained import\'s weak bit), is N_WEAK_REF in the symbol table and in the external object, as ld64.lld links it', (t) => {
  const clang = which('clang');
  if (!clang) return t.skip('needs clang (Debian package clang) to compile C for darwin');
  const objdump = which('llvm-objdump') ?? which('llvm-objdump-14');
  const nm = which('llvm-nm') ?? which('llvm-nm-14');
  if (!objdump || !nm) return t.skip('needs llvm-objdump and llvm-nm (Debian package llvm)');
  writeTemp(dir, 'libweak.tbd', TBD);
  for (const arch of ['amd64', 'arm64'] as const) {
    const o = path.join(dir, `weak-import-${arch}.o`);
    const cc = run(clang, [`--target=${arch === 'amd64' ? 'x86_64' : 'arm64'}-apple-macos11`, '-O1', '-c', '-o', o, writeTemp(dir, 'weak-import.c', WEAK_IMPORT_C)]);
    assert.equal(cc.status, 0, cc.stderr);
    const main = writeTemp(dir, `weak-import-main-${arch}.s`, asmCallingC(arch, [], '/usr/lib/libSystem.B.dylib'));
    const build = (name: string, extra: string[]): string => {
      const exe = path.join(dir, `${name}-${arch}`);
      const b = asmlink(['build', '--os', 'darwin', '--arch', arch, ...extra, '-L', dir, '-l', ':libweak.tbd', '-o', exe, main, o]);
      assert.equal(b.status, 0, `${name}: ${b.stderr}`);
      return exe;
    };
    const exe = build('weak-import', []);
    assert.match(run(objdump, ['--macho', '--bind', exe]).stdout, /libSystem +_newfunc \(weak_import\)$/m, arch);
    assert.doesNotMatch(run(objdump, ['--macho', '--bind', exe]).stdout, /_write \(weak_import\)/, `${arch}: a strong reference stays strong`);
    assert.match(run(nm, ['-m', exe]).stdout, /\(undefined\) weak external _newfunc \(from libSystem\)/, arch);
    const chained = chainedImports(build('weak-import-chained', ['--fixups', 'chained']), objdump);
    assert.equal(chained.get('_newfunc'), true, `${arch} chained`);
    assert.equal(chained.get('_write'), false, `${arch} chained`);
    const ld = which('ld64.lld') ?? which('ld64.lld-14');
    if (!ld) {
      t.diagnostic('ld64.lld missing (Debian package lld): external mode not checked');
      continue;
    }
    const kept = path.join(dir, `weak-import-${arch}-kept.o`);
    const ext = build('weak-import-external', ['--linkmode', 'external', '--keep-object', kept]);
    assert.match(run(nm, ['-m', kept]).stdout, /\(undefined\) weak external _newfunc$/m, arch);
    assert.match(run(objdump, ['--macho', '--bind', ext]).stdout, /_newfunc \(weak_import\)$/m, `${arch}: ld64.lld binds it weakly too`);
  }
});
