// Weak undefined references: C's `extern void hook(void) __attribute__((weak))`
// is 0 where nothing defines it, as GNU ld links it, on amd64, 386 and arm64,
// from position-independent and fixed-address code, internally, as a PIE
// (whose loader must not slide the 0) and externally. A definition in
// another object or a shared library given to the link wins (as a weak
// dynamic symbol, 0 where the library at run time lacks it); a static
// library's member is not taken for a weak reference alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, run, tempDir, which, writeTemp } from '../helpers.js';
import { linuxPrefix, runWith } from '../e2e/threads-check.js';
import { asmCallingC, cTools, CMAIN_C } from './c-programs.js';

const dir = tempDir('asmlink-weak-');

// Exit status 40, plus 1 if the hook is there (and is called), plus 2 if the variable is.
const WEAK_C = `extern void maybe_hook(void) __attribute__((weak));
extern int maybe_var __attribute__((weak));
int cmain(void) {
  int r = 0;
  if (maybe_hook) { maybe_hook(); r |= 1; }
  if (&maybe_var) r |= 2 * maybe_var;
  return r + 40;
}
`;
const DEFS_C = 'int maybe_var = 1;\nvoid maybe_hook(void) {}\n';
// A strong reference that brings the archive's member in.
const STRONG_C = 'extern int maybe_var;\nint *strong_ref = &maybe_var;\n';

for (const arch of ['amd64', '386', 'arm64'] as const) {
  test(`linux/${arch}: a weak reference to nothing is 0 (position-independent and fixed-address code, internally${arch === '386' ? '' : ', as a PIE'} and externally); a definition, a library's export or a member a strong reference takes wins`, (t) => {
    const tools = cTools(arch);
    if (typeof tools === 'string') return t.skip(tools);
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const compile = (name: string, c: string, flags: string[]): string => {
      const o = path.join(dir, `${name}-${arch}.o`);
      const r = tools.compile(['-O2', ...flags], writeTemp(dir, `${name}.c`, c), o);
      assert.equal(r.status, 0, r.stderr);
      return o;
    };
    const pic = compile('weak-pic', WEAK_C, ['-fPIE']);
    const fixed = compile('weak-fixed', WEAK_C, ['-fno-pie']);
    const defs = compile('defs', DEFS_C, ['-fPIC']);
    const strong = compile('strong', STRONG_C, ['-fPIE']);
    const archive = path.join(dir, `libdefs-${arch}.a`);
    assert.equal(run('ar', ['rcs', archive, defs]).status, 0);
    const so = path.join(dir, `libdefs-${arch}.so`);
    assert.equal(tools.shared([defs], so).status, 0);
    const main = writeTemp(dir, `weak-main-${arch}.s`, asmCallingC(arch, []));
    const status = (label: string, args: string[]): number => {
      const exe = path.join(dir, `weak-${arch}-${label.replace(/\W+/g, '_')}`);
      const b = asmlink(['build', '--arch', arch, '-o', exe, main, ...args]);
      assert.equal(b.status, 0, `${label}: ${b.stderr}`);
      const r = runWith(prefix, exe, []);
      assert.equal(r.stderr, '', label);
      return r.status ?? -1;
    };
    const modes = arch === '386' ? [[], ['--linkmode', 'external']] : [[], ['--pie'], ['--linkmode', 'external']];
    for (const mode of modes) {
      const m = mode.join(' ') || 'internal';
      // Fixed-address code reaches the names by absolute address, which a PIE cannot hold.
      for (const [kind, obj] of mode[0] === '--pie' ? [['pic', pic]] : [['pic', pic], ['fixed', fixed]]) {
        assert.equal(status(`${m} ${kind} alone`, [...mode, obj!]), 40, `${m} ${kind}: both are 0`);
        assert.equal(status(`${m} ${kind} defined`, [...mode, obj!, defs]), 43, `${m} ${kind}: the definitions win`);
      }
      assert.equal(status(`${m} archive`, [...mode, pic, archive]), 40, `${m}: no member for a weak reference`);
      assert.equal(status(`${m} archive strong`, [...mode, pic, strong, archive]), 43, `${m}: the member a strong reference takes`);
      const fromLibrary = status(`${m} library`, [...mode, pic, '-L', dir, '-l', `:libdefs-${arch}.so`, '--rpath', dir]);
      if (mode[0] !== '--linkmode') assert.equal(fromLibrary, 43, `${m}: the library's exports`);
      // Externally, the system linker decides whether weak references alone make the library needed (gcc passes --as-needed on Debian: they do not).
      else {
        const needed = run('readelf', ['-d', path.join(dir, `weak-${arch}-${`${m} library`.replace(/\W+/g, '_')}`)]).stdout.includes(`libdefs-${arch}.so`);
        assert.equal(fromLibrary, needed ? 43 : 40, `${m}: bound where the library is loaded, else 0`);
      }
    }
    // A library's export that only weak references name is a weak dynamic
    // symbol: where the library found at run time lacks it (another build of
    // it, first in LD_LIBRARY_PATH), the loader leaves it 0.
    const full = path.join(dir, `full-${arch}`);
    const empty = path.join(dir, `empty-${arch}`);
    for (const d of [full, empty]) fs.mkdirSync(d, { recursive: true });
    fs.copyFileSync(so, path.join(full, 'libweakdefs.so'));
    const other = compile('other', 'int something_else = 1;\n', ['-fPIC']);
    assert.equal(tools.shared([other], path.join(empty, 'libweakdefs.so')).status, 0);
    for (const mode of modes) {
      const m = mode.join(' ') || 'internal';
      const exe = path.join(dir, `weak-${arch}-swapped${mode.join('')}`);
      const b = asmlink(['build', '--arch', arch, ...mode, '-o', exe, main, pic, '-L', full, '-l', ':libweakdefs.so', '--rpath', full]);
      assert.equal(b.status, 0, `${m}: ${b.stderr}`);
      // gcc passes GNU ld --as-needed here, which needs no library for weak references alone: the external program never loads it.
      if (mode[0] !== '--linkmode') {
        assert.match(run('readelf', ['--dyn-syms', '-W', exe]).stdout, /(?:NOTYPE|FUNC) +WEAK +DEFAULT +UND maybe_hook$/m, m);
        assert.equal(runWith(prefix, exe, []).status, 43, `${m}: the library has them`);
      }
      const r = runWith(prefix, exe, [], { LD_LIBRARY_PATH: empty });
      assert.equal(r.stderr, '', m);
      assert.equal(r.status, 40, `${m}: the library at run time lacks them`);
    }
    // The external object names them weakly, as the compiler's did; the executable lists no definition of them.
    const kept = path.join(dir, `weak-${arch}-kept.o`);
    const exe = path.join(dir, `weak-${arch}-symtab`);
    assert.equal(asmlink(['build', '--arch', arch, '--linkmode', 'external', '--keep-object', kept, '-o', exe, main, pic]).status, 0);
    assert.match(run('readelf', ['-s', '-W', kept]).stdout, /NOTYPE +WEAK +DEFAULT +UND maybe_hook$/m);
    const internal = path.join(dir, `weak-${arch}-internal`);
    assert.equal(asmlink(['build', '--arch', arch, '-o', internal, main, pic]).status, 0);
    assert.doesNotMatch(run('readelf', ['-s', '-W', internal]).stdout, /maybe_hook|maybe_var/);
  });
}

test('linux/amd64: weak references link as in GNU ld\'s program from the same objects', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('gcc')) return t.skip('needs gcc (Debian package gcc)');
  const c = writeTemp(dir, 'ref-weak.c', WEAK_C);
  const defs = writeTemp(dir, 'ref-defs.c', DEFS_C);
  const cmain = writeTemp(dir, 'ref-cmain.c', CMAIN_C);
  const main = writeTemp(dir, 'ref-main.s', asmCallingC('amd64', []));
  const o = path.join(dir, 'ref-weak.o');
  const d = path.join(dir, 'ref-defs.o');
  assert.equal(run('gcc', ['-O2', '-c', '-o', o, c]).status, 0);
  assert.equal(run('gcc', ['-O2', '-c', '-o', d, defs]).status, 0);
  for (const objs of [[o], [o, d]]) {
    const ref = path.join(dir, `ref-gnu-${objs.length}`);
    assert.equal(run('gcc', ['-o', ref, cmain, ...objs]).status, 0);
    const exe = path.join(dir, `ref-asmlink-${objs.length}`);
    assert.equal(asmlink(['build', '-o', exe, main, ...objs]).status, 0);
    assert.equal(run(exe, []).status, run(ref, []).status);
  }
});
