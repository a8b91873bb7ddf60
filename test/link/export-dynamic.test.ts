// --export-dynamic: the program's global symbols in .dynsym, so that a
// library it loads with dlopen binds to them (a plugin calling back into its
// host, an embedded interpreter's extension modules), as GNU ld -E exports
// them; hidden symbols stay the program's own. Without the flag the loader
// refuses the plugin, as it refuses GNU ld's program. darwin's export trie
// is at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { asmlink, repoRoot, run, tempDir, which, writeTemp } from '../helpers.js';
import { linuxPrefix, runWith } from '../e2e/threads-check.js';
import { asmCallingC, cTools, CMAIN_C } from './c-programs.js';
import { walkExportTrie } from './macho-check.js';
import { libSystemTbd } from './macho-helpers.js';

const dir = tempDir();

const PLUGIN_C = `extern int host_add(int, int);
extern int host_counter;
int plugin_run(int x) { host_counter += 10; return host_add(x, host_counter); }
`;

const HOST_C = `#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
int host_counter = 5;
int host_add(int a, int b) { return a + b; }
__attribute__((visibility("hidden"))) int host_secret(void) { return 7; }
int cmain(void) {
  void *h = dlopen(getenv("PLUGIN"), RTLD_NOW);
  if (!h) { printf("dlopen: %s\\n", dlerror()); fflush(stdout); return 1; }
  int (*run)(int) = (int (*)(int))dlsym(h, "plugin_run");
  int r = run(100);
  printf("run %d counter %d secret %d\\n", r, host_counter, host_secret());
  fflush(stdout);
  return 0;
}
`;

const WANT = 'run 115 counter 15 secret 7\n';

for (const arch of ['amd64', '386', 'arm64'] as const) {
  test(`linux/${arch}: --export-dynamic exports the program's global symbols, not its hidden ones, and a plugin loaded with dlopen calls back into it, internally${arch === '386' ? '' : ', as a PIE'} and externally`, (t) => {
    const tools = cTools(arch);
    if (typeof tools === 'string') return t.skip(tools);
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const pluginObj = path.join(dir, `plugin-${arch}.o`);
    const plugin = path.join(dir, `plugin-${arch}.so`);
    const host = path.join(dir, `host-${arch}.o`);
    if (tools.compile(['-O2', '-fPIC'], writeTemp(dir, 'plugin.c', PLUGIN_C), pluginObj).status !== 0) return t.skip(`needs a C compiler for ${arch} (gcc-multilib for 386)`);
    assert.equal(tools.shared([pluginObj], plugin).status, 0);
    assert.equal(tools.compile(['-O2', '-fPIE'], writeTemp(dir, 'host.c', HOST_C), host).status, 0);
    const main = writeTemp(dir, `plugin-main-${arch}.s`, asmCallingC(arch, []));
    const env = { PLUGIN: plugin };
    // Without the flag, the plugin's references find nothing.
    const plain = path.join(dir, `plugin-host-${arch}`);
    const b = asmlink(['build', '--arch', arch, '-o', plain, main, host, '-ldl', '-lc']);
    assert.equal(b.status, 0, b.stderr);
    const refused = runWith(prefix, plain, [], env);
    assert.match(refused.stdout, /^dlopen: .*: undefined symbol: host_(counter|add)\n$/);
    assert.equal(refused.status, 1);
    for (const mode of arch === '386' ? [[], ['--linkmode', 'external']] : [[], ['--pie'], ['--linkmode', 'external']]) {
      const label = `${arch} ${mode.join(' ') || 'internal'}`;
      const exe = path.join(dir, `plugin-host-${arch}${mode.join('')}`);
      const l = asmlink(['build', '--arch', arch, '--export-dynamic', ...mode, '-o', exe, main, host, '-ldl', '-lc']);
      assert.equal(l.status, 0, `${label}: ${l.stderr}`);
      const r = runWith(prefix, exe, [], env);
      assert.equal(r.stdout, WANT, label);
      assert.equal(r.status, 0, label);
      const dynsyms = run('readelf', ['--dyn-syms', '-W', exe]).stdout;
      assert.match(dynsyms, / FUNC +GLOBAL +DEFAULT +\d+ host_add$/m, label);
      assert.match(dynsyms, / OBJECT +GLOBAL +DEFAULT +\d+ host_counter$/m, label);
      assert.doesNotMatch(dynsyms, /host_secret/, `${label}: a hidden symbol is not exported`);
      // .symtab keeps it as the program's own (GNU ld and lld make it local).
      assert.match(run('readelf', ['-s', '-W', exe]).stdout, / FUNC +LOCAL +(?:DEFAULT|HIDDEN) +\d+ host_secret$/m, label);
    }
  });
}

test('linux/amd64: --export-dynamic hashes many symbols in several buckets: each is found by the loader (dlsym on the program itself), as in GNU ld\'s program', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('gcc')) return t.skip('needs gcc (Debian package gcc)');
  // 600 functions and 600 variables, each looked up by name through the executable's .gnu.hash.
  const n = 600;
  const lines = ['#include <dlfcn.h>', '#include <stdio.h>', '#include <string.h>'];
  for (let i = 0; i < n; i++) lines.push(`int exported_fn_${i}(void) { return ${i}; }`, `int exported_var_${i} = ${i * 3};`);
  lines.push(`int cmain(void) {
  void *self = dlopen(NULL, RTLD_NOW);
  char name[64];
  long sum = 0;
  int missing = 0;
  for (int i = 0; i < ${n}; i++) {
    snprintf(name, sizeof name, "exported_fn_%d", i);
    int (*f)(void) = (int (*)(void))dlsym(self, name);
    snprintf(name, sizeof name, "exported_var_%d", i);
    int *v = (int *)dlsym(self, name);
    if (!f || !v) { missing++; continue; }
    sum += f() + *v;
  }
  printf("sum %ld missing %d absent %d\\n", sum, missing, dlsym(self, "no_such_symbol") == NULL);
  fflush(stdout);
  return 0;
}`);
  const c = writeTemp(dir, 'many.c', lines.join('\n'));
  const o = path.join(dir, 'many.o');
  assert.equal(run('gcc', ['-O2', '-c', '-o', o, c]).status, 0);
  const ref = path.join(dir, 'many-ref');
  assert.equal(run('gcc', ['-rdynamic', '-o', ref, o, writeTemp(dir, 'many-main.c', CMAIN_C), '-ldl']).status, 0);
  const want = run(ref, []);
  assert.equal(want.stdout, `sum ${(n * (n - 1)) / 2 * 4} missing 0 absent 1\n`);
  const main = writeTemp(dir, 'many-main.s', asmCallingC('amd64', []));
  for (const mode of [[], ['--pie']]) {
    const exe = path.join(dir, `many${mode.join('')}`);
    const l = asmlink(['build', '--export-dynamic', ...mode, '-o', exe, main, o, '-ldl', '-lc']);
    assert.equal(l.status, 0, l.stderr);
    assert.equal(run(exe, []).stdout, want.stdout, mode.join(' '));
    // Several buckets and bloom words (readelf's histogram reads the table as the loader does).
    const hist = run('readelf', ['-IW', exe]).stdout;
    assert.match(hist, /Histogram for `\.gnu\.hash' bucket list length \(total of (\d+) buckets\)/);
    assert.ok(Number(/total of (\d+) buckets/.exec(hist)![1]) >= 100, hist.slice(0, 300));
  }
});

test('--export-dynamic is refused where it means nothing: the raw runtime\'s static executables', () => {
  const src = writeTemp(dir, 'plain.s', 'TEXT ·main(SB),4,$0\n\tRET\n');
  const raw = asmlink(['build', '--os', 'linux', '--arch', 'amd64', '--threads', 'raw', '--export-dynamic', '-o', path.join(dir, 'no-raw'), src]);
  assert.equal(raw.status, 1);
  assert.match(raw.stderr, /--export-dynamic: the raw runtime makes a static executable/);
});

// darwin: ld64 exports every global of an executable in its export trie, and
// a bundle linked with -bundle_loader binds to them there. asmlink exports
// _main alone unless --export-dynamic; ld64.lld then links such a bundle
// against asmlink's executable, reading the trie as dyld does (ld64.lld-14
// reads only LC_DYLD_INFO_ONLY's: the chained-fixup programs are checked with
// llvm-objdump alone).
const DARWIN_HOST_C = `__attribute__((visibility("hidden"))) int hfun(int x) { return x + 1; }
__attribute__((visibility("hidden"))) int hvar = 3;
int gvar = 5;
__attribute__((weak)) int wfun(void) { return 7; }
__thread int tv = 9;
int cmain(void) { return hfun(hvar) + gvar + wfun() + tv; }
`;
const DARWIN_PLUGIN_C = 'extern int gvar;\nint wfun(void);\nextern __thread int tv;\nint plugin(void) { return gvar + wfun() + tv; }\n';
const DARWIN_HIDDEN_PLUGIN_C = 'extern int hvar;\nint plugin(void) { return hvar; }\n';
// What a bundle needs of libSystem: the lazy binder and the thread-local bootstrap.
const LIBSYSTEM_TBD = libSystemTbd(['dyld_stub_binder', '__tlv_bootstrap']);

/** The export trie's bytes, where the load commands llvm-objdump prints place them (LC_DYLD_INFO_ONLY's or LC_DYLD_EXPORTS_TRIE's). */
function exportTrieBytes(objdump: string, exe: string): Buffer {
  const headers = run(objdump, ['--macho', '--private-headers', exe]).stdout;
  const m = /export_off (\d+)\n\s+export_size (\d+)\n/.exec(headers) ?? /cmd LC_DYLD_EXPORTS_TRIE\n\s+cmdsize \d+\n\s+dataoff (\d+)\n\s+datasize (\d+)\n/.exec(headers);
  assert.ok(m, headers);
  return fs.readFileSync(exe).subarray(Number(m[1]), Number(m[1]) + Number(m[2]));
}

/** The export trie as llvm-objdump prints it: name → its bracketed flags ('' for a regular export). */
function exportsTrie(objdump: string, exe: string): Map<string, string> {
  const r = run(objdump, ['--macho', '--exports-trie', exe]);
  assert.equal(r.status, 0, r.stderr);
  const out = new Map<string, string>();
  for (const m of r.stdout.matchAll(/^0x[0-9A-F]+ +(\S+)(?: \[(.*)\])?$/gm)) out.set(m[1]!, m[2] ?? '');
  return out;
}

for (const arch of ['amd64', 'arm64'] as const) {
  test(`darwin/${arch}: --export-dynamic exports the program's globals in the export trie (weak definitions and thread-locals flagged), not its hidden ones, and ld64.lld links a bundle against it`, (t) => {
    const clang = which('clang');
    if (!clang) return t.skip('needs clang (Debian package clang) to compile C for darwin');
    const objdump = which('llvm-objdump') ?? which('llvm-objdump-14');
    const nmTool = which('llvm-nm') ?? which('llvm-nm-14');
    if (!objdump || !nmTool) return t.skip('needs llvm-objdump and llvm-nm (Debian package llvm)');
    const ld = which('ld64.lld') ?? which('ld64.lld-14');
    if (!ld) return t.skip('needs ld64.lld (Debian package lld)');
    const triple = arch === 'amd64' ? 'x86_64-apple-macos11' : 'arm64-apple-macos11';
    const compile = (name: string, c: string): string => {
      const o = path.join(dir, `${name}-${arch}.o`);
      const r = run(clang, [`--target=${triple}`, '-O1', '-c', '-o', o, writeTemp(dir, `${name}.c`, c)]);
      assert.equal(r.status, 0, r.stderr);
      return o;
    };
    const host = compile('darwin-host', DARWIN_HOST_C);
    const plugin = compile('darwin-plugin', DARWIN_PLUGIN_C);
    const hiddenPlugin = compile('darwin-hidden-plugin', DARWIN_HIDDEN_PLUGIN_C);
    const tbd = writeTemp(dir, 'libSystem.tbd', LIBSYSTEM_TBD);
    const main = writeTemp(dir, `darwin-export-main-${arch}.s`, asmCallingC(arch, [], '/usr/lib/libSystem.B.dylib'));
    const bundle = (loader: string, obj: string) =>
      run(ld, ['-arch', arch === 'amd64' ? 'x86_64' : 'arm64', '-platform_version', 'macos', '11.0', '11.0', '-bundle', '-bundle_loader', loader, '-o', `${loader}.bundle`, obj, tbd]);
    const machoRun = path.join(repoRoot, '..', 'shared', 'tools', 'macho-run', 'macho-run');
    const canRun = fs.existsSync(machoRun) && which('python3') !== undefined;
    if (!canRun) t.diagnostic('macho-run (../shared/tools/macho-run) or python3 missing: the programs are not run');

    const build = (name: string, extra: string[]): string => {
      const exe = path.join(dir, `${name}-${arch}`);
      const b = asmlink(['build', '--os', 'darwin', '--arch', arch, ...extra, '-o', exe, main, host]);
      assert.equal(b.status, 0, `${name}: ${b.stderr}`);
      if (canRun) {
        const r = run('python3', [machoRun, exe]);
        assert.equal(r.status, 3 + 1 + 5 + 7 + 9, `${name}: ${r.stderr}`);
      }
      return exe;
    };
    // Without the flag: the entry alone, and the bundle's references find nothing.
    const plain = build('export-plain', []);
    assert.deepEqual([...exportsTrie(objdump, plain).keys()].sort(), ['__mh_execute_header', '_main']);
    assert.match(bundle(plain, plugin).stderr, /undefined symbol: _gvar/);

    const exe = build('export', ['--export-dynamic']);
    const trie = exportsTrie(objdump, exe);
    assert.equal(trie.get('_gvar'), '');
    assert.equal(trie.get('_cmain'), '');
    assert.equal(trie.get('_main.main'), '');
    assert.equal(trie.get('_wfun'), 'weak_def');
    assert.equal(trie.get('_tv'), 'per-thread');
    assert.ok(!trie.has('_hfun') && !trie.has('_hvar'), 'hidden symbols are not exported');
    // Every external definition of the symbol table is exported, and nothing else.
    const nm: string = run(nmTool, ['-m', exe]).stdout;
    const externals: string[] = [...nm.matchAll(/^[0-9a-f]+ \([^)]*\) (?:\[referenced dynamically\] )?(?:weak )?external (\S+)$/gm)].map((m) => m[1]!);
    assert.deepEqual([...trie.keys()].sort(), externals.sort());
    assert.match(nm, /non-external \(was a private external\) _hfun$/m);
    assert.match(nm, /weak external _wfun$/m);
    assert.match(run(objdump, ['--macho', '--private-headers', exe]).stdout, /EXECUTE .* WEAK_DEFINES BINDS_TO_WEAK /);
    const ok = bundle(exe, plugin);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(run(nmTool, ['-m', `${exe}.bundle`]).stdout, /\(undefined\) external _tv \(from executable\)/);
    assert.match(bundle(exe, hiddenPlugin).stderr, /undefined symbol: _hvar/);
    // With chained fixups the trie moves to LC_DYLD_EXPORTS_TRIE, which neither
    // llvm-objdump-14 nor ld64.lld-14 reads: walked here, it holds the same
    // names with the same flags, at the addresses llvm-nm gives them.
    const flagsSeen = new Map([...walkExportTrie(exportTrieBytes(objdump, exe))].map(([name, e]) => [name, e.flags]));
    assert.deepEqual([...flagsSeen.keys()].sort(), [...trie.keys()].sort());
    const chained = build('export-chained', ['--export-dynamic', '--fixups', 'chained']);
    const chainedTrie = walkExportTrie(exportTrieBytes(objdump, chained));
    const addresses = new Map([...run(nmTool, [chained]).stdout.matchAll(/^([0-9a-f]+) [A-Za-z] (\S+)$/gm)].map((m) => [m[2]!, parseInt(m[1]!, 16) - 0x100000000]));
    assert.deepEqual([...chainedTrie.keys()].sort(), [...trie.keys()].sort());
    for (const [name, e] of chainedTrie) {
      assert.equal(e.flags, flagsSeen.get(name), name);
      assert.equal(e.address, addresses.get(name), name);
    }

    // External mode: the object keeps the hidden symbols private externs, so ld64.lld (which exports every global) leaves them out.
    const ext = build('export-external', ['--export-dynamic', '--linkmode', 'external']);
    const extTrie = exportsTrie(objdump, ext);
    assert.ok(extTrie.has('_gvar') && !extTrie.has('_hfun') && !extTrie.has('_hvar'), [...extTrie.keys()].join(' '));
  });
}
