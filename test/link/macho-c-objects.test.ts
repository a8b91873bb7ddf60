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
import { cMain, cSource, C_WANT } from './c-programs.js';

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

test('darwin: a C object with a static constructor is refused, saying why', (t) => {
  const clang = which('clang');
  if (!clang) return t.skip('needs clang (Debian package clang) to compile C for darwin');
  const c = writeTemp(dir, 'ctor.c', 'int value = 1;\n__attribute__((constructor)) static void init(void) { value = 42; }\nint cmain(void) { return value; }\n');
  for (const arch of ['amd64', 'arm64'] as const) {
    const o = path.join(dir, `ctor-${arch}.o`);
    // -O0: at -O2 clang runs such a constructor at compile time and drops it.
    assert.equal(run(clang, [`--target=${triple[arch]}`, '-O0', '-c', '-o', o, c]).status, 0);
    const b = asmlink(['build', '--os', 'darwin', '--arch', arch, '-o', path.join(dir, `ctor-${arch}`), writeTemp(dir, `ctor-main-${arch}.s`, cMain('/usr/lib/libSystem.B.dylib', '__stdoutp', arch)), o]);
    assert.equal(b.status, 1);
    assert.match(b.stderr, /__DATA,__mod_init_func: static constructors and destructors are linked for linux \(ELF .init_array\) only, not for darwin; call the initialisation from the program instead/);
  }
});
