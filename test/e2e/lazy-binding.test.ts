// Executables that ask for BIND_NOW still run when glibc's loader binds their
// PLT lazily, which it does whatever DT_FLAGS says when LD_PROFILE is set or
// an LD_AUDIT module has PLT hooks (latrace works that way). Each call then
// goes first to what its .got.plt slot held in the file, so the PLT needs its
// lazy half: a slot starts at its entry's push to PLT0 and the resolver. An
// executable whose slots held 0 crashed at its first libc call here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which, writeTemp } from '../helpers.js';
import { checkThreads, linuxPrefix, runWith, type LinuxArch } from './threads-check.js';

const threads = path.join(repoRoot, 'examples', 'threads.s');
const dir = tempDir();

/** An audit module with PLT hooks: it counts the calls it sees and says how many at exit. */
const AUDIT_SOURCE = `#define _GNU_SOURCE
#include <link.h>
#include <stdio.h>
static int calls;
unsigned int la_version(unsigned int v) { return v; }
unsigned int la_objopen(struct link_map *m, Lmid_t lmid, uintptr_t *cookie) { return LA_FLG_BINDTO | LA_FLG_BINDFROM; }
#ifdef __x86_64__
ElfW(Addr) la_x86_64_gnu_pltenter(ElfW(Sym) *sym, unsigned int ndx, uintptr_t *ref, uintptr_t *def, La_x86_64_regs *regs, unsigned int *flags, const char *name, long *frame)
#else
ElfW(Addr) la_i86_gnu_pltenter(ElfW(Sym) *sym, unsigned int ndx, uintptr_t *ref, uintptr_t *def, La_i86_regs *regs, unsigned int *flags, const char *name, long *frame)
#endif
{ calls++; return sym->st_value; }
__attribute__((destructor)) static void done(void) { fprintf(stderr, "pltenter calls: %d\\n", calls); }
`;

function build(arch: LinuxArch, flags: string[] = []): string {
  const out = path.join(dir, `threads-${arch}${flags.join('')}`);
  const r = asmlink(['build', '--os', 'linux', '--arch', arch, ...flags, '-o', out, threads]);
  assert.equal(r.status, 0, r.stderr);
  return out;
}

function checkRun(r: ReturnType<typeof run>, n: number, what: string): void {
  assert.equal(r.status, 0, `${what}: status ${r.status} signal ${r.signal}\n${r.stderr}`);
  checkThreads(r.stdout, n);
}

for (const arch of ['amd64', '386', 'arm64'] as const) {
  test(`linux/${arch}: examples/threads runs when the loader binds its PLT lazily (LD_PROFILE)`, (t) => {
    const p = linuxPrefix(arch);
    if (typeof p === 'string') return t.skip(p);
    // A PIE's lazy slots hold link-time addresses that the loader slides too.
    for (const flags of arch === '386' ? [[]] : [[], ['--pie']]) {
      const out = fs.mkdtempSync(path.join(dir, `profile-${arch}-`));
      const r = runWith(p, build(arch, flags), ['3'], { LD_PROFILE: 'libc.so.6', LD_PROFILE_OUTPUT: out });
      checkRun(r, 3, `LD_PROFILE=libc.so.6 ${flags.join(' ')}`);
      // The profile is the loader's proof that it profiled (so bound lazily).
      assert.ok(fs.statSync(path.join(out, 'libc.so.6.profile')).size > 0);
    }
  });
}

for (const arch of ['amd64', '386'] as const) {
  test(`linux/${arch}: an LD_AUDIT module's PLT hooks see examples/threads' calls to libc`, (t) => {
    const p = linuxPrefix(arch);
    if (typeof p === 'string') return t.skip(p);
    if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
    const src = writeTemp(dir, `audit-${arch}.c`, AUDIT_SOURCE);
    const lib = path.join(dir, `audit-${arch}.so`);
    const cc = run('cc', [...(arch === '386' ? ['-m32'] : []), '-shared', '-fPIC', '-o', lib, src]);
    if (cc.status !== 0) return t.skip(`needs cc${arch === '386' ? ' -m32 (Debian package gcc-multilib)' : ''}: ${cc.stderr}`);
    for (const flags of arch === '386' ? [[]] : [[], ['--pie']]) {
      const r = runWith(p, build(arch, flags), ['2'], { LD_AUDIT: lib });
      checkRun(r, 2, `LD_AUDIT ${flags.join(' ')}`);
      // Every libc call but __libc_start_main's goes through a hook: at least
      // the writes, the thread set-up and the notes' locks.
      const m = /pltenter calls: (\d+)/.exec(r.stderr);
      assert.ok(m, r.stderr);
      assert.ok(Number(m[1]) >= 10, r.stderr);
    }
  });
}
