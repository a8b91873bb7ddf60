// --export-dynamic: the program's global symbols in .dynsym, so that a
// library it loads with dlopen binds to them (a plugin calling back into its
// host, an embedded interpreter's extension modules), as GNU ld -E exports
// them; hidden symbols stay the program's own. Without the flag the loader
// refuses the plugin, as it refuses GNU ld's program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { asmlink, run, tempDir, which, writeTemp } from '../helpers.js';
import { linuxPrefix, runWith } from '../e2e/threads-check.js';
import { asmCallingC, cTools, CMAIN_C } from './c-programs.js';

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

test('--export-dynamic is refused where it means nothing: darwin, and the raw runtime\'s static executables', () => {
  const src = writeTemp(dir, 'plain.s', 'TEXT ·main(SB),4,$0\n\tRET\n');
  const darwin = asmlink(['build', '--os', 'darwin', '--arch', 'arm64', '--export-dynamic', '-o', path.join(dir, 'no-darwin'), src]);
  assert.equal(darwin.status, 1);
  assert.match(darwin.stderr, /--export-dynamic is for linux executables/);
  const raw = asmlink(['build', '--os', 'linux', '--arch', 'amd64', '--threads', 'raw', '--export-dynamic', '-o', path.join(dir, 'no-raw'), src]);
  assert.equal(raw.status, 1);
  assert.match(raw.stderr, /--export-dynamic: the raw runtime makes a static executable/);
});
