// External link mode: asmlink writes one relocatable object for the whole
// program; GNU ld (through cc) links it with libc. The result must run like
// the internal link.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link } from '../../src/link/index.js';
import { readElfObject } from '../../src/formats/elf/index.js';
import { assemble } from '../../src/asm/assemble.js';
import { DiagnosticError, formatDiagnostic } from '../../src/diag.js';
import { have, run, tmp } from './helpers.js';
import { MSG, cMainProgram, libcProgram } from './programs.js';

const target = { os: 'linux', arch: 'amd64' } as const;
const native = process.platform === 'linux' && process.arch === 'x64';

test('external mode: one object, linked by cc -no-pie, runs', (t) => {
  const r = link([cMainProgram()], { target, linkmode: 'external', entry: 'main' });
  assert.equal(r.kind, 'object');
  if (r.kind !== 'object') return;
  assert.deepEqual(r.libraries, ['libc.so.6']);
  if (!have('cc')) return t.skip('needs cc (Debian package gcc)');
  const o = tmp('cmain.o', r.bytes);
  const exe = o.replace(/\.o$/, '');
  const l = run('cc', ['-no-pie', '-o', exe, o]);
  assert.equal(l.status, 0, l.stderr);
  assert.equal(l.stderr, '', 'linker warnings');
  if (!native) return t.skip('needs linux/amd64 to run');
  const x = run(exe);
  assert.equal(x.stdout, MSG);
  assert.equal(x.status, 5);
});

test('external mode: imports become PLT32 / GOTPCREL relocations against the remote names', (t) => {
  if (!have('readelf')) return t.skip('needs readelf (Debian package binutils)');
  const r = link([libcProgram()], { target, linkmode: 'external', entry: '_rt0_amd64_linux' });
  assert.equal(r.kind, 'object');
  const o = tmp('libcprog.o', r.bytes);
  const re = run('readelf', ['-rsW', o]);
  assert.equal(re.stderr, '');
  assert.match(re.stdout, /R_X86_64_PLT32\s+0+ write - 4/);
  assert.match(re.stdout, /R_X86_64_REX_GOTPCRELX\s+0+ exit - 4/);
  assert.match(re.stdout, /R_X86_64_TPOFF32\s+0+ tlsvar \+ 0/);
  assert.match(re.stdout, /R_X86_64_64\s+0+ exit \+ 0/);
  assert.doesNotMatch(re.stdout, /libc_exit|libc_write|unused/);
  // The LEAQ of the import became a MOVQ (8b) from the GOT.
  const od = run('objdump', ['-dr', o]);
  assert.equal(od.stderr, '');
  assert.match(od.stdout, /48 8b 0d 00 00 00 00\s+mov\s+0x0\(%rip\),%rcx/);
  if (!have('cc') || !native) return t.skip('needs cc and linux/amd64 to link and run');
  const exe = o.replace(/\.o$/, '');
  const l = run('cc', ['-no-pie', '-nostartfiles', '-Wl,-e,_rt0_amd64_linux', '-o', exe, o]);
  assert.equal(l.status, 0, l.stderr);
  const x = run(exe);
  assert.equal(x.stdout, MSG);
  assert.equal(x.status, 42);
});

test('the external object is self-describing: asmlink links it again into the same program', (t) => {
  const r = link([libcProgram()], { target, linkmode: 'external', entry: '_rt0_amd64_linux' });
  const back = readElfObject(r.bytes, 'go.o');
  assert.deepEqual(
    back.dynimports.filter((d) => d.local !== '_').map((d) => d.remote),
    ['write', 'exit'],
  );
  const again = link([back], { target, linkmode: 'internal', entry: '_rt0_amd64_linux' });
  if (!native) return t.skip('needs linux/amd64 to run');
  const x = run(tmp('relinked', again.bytes, true));
  assert.equal(x.stdout, MSG);
  assert.equal(x.status, 42);
});

test('external mode refuses an import whose library name the program also defines, where the system linker would bind it to the definition', () => {
  const src =
    '#include "textflag.h"\nTEXT ·main(SB),NOSPLIT,$0\n\tCALL myputs(SB)\n\tCALL FP(SB)\n\tRET\nTEXT FP(SB),NOSPLIT,$0\n\tRET\n//go:cgo_import_dynamic myputs FP "libfp.so"\n';
  for (const t of [target, { os: 'darwin', arch: 'arm64' } as const]) {
    const o = assemble(src, { target: t, file: 'clash.s', pkg: 'main' });
    const message = (mode: 'internal' | 'external'): string => {
      try {
        link([o], { target: t, linkmode: mode, entry: 'main.main' });
        return '';
      } catch (e) {
        if (e instanceof DiagnosticError) return e.diagnostics.map(formatDiagnostic).join('\n');
        throw e;
      }
    };
    assert.equal(
      message('external'),
      'clash.s:8:0: import myputs names FP in "libfp.so", and the program defines FP too: in the object for the system linker both are named FP, so it would bind the import\'s references to that definition\n\tclash.s:6: definition of FP',
    );
    // Internal links bind imports through the dynamic loader, by library: no clash.
    assert.equal(message('internal'), '');
  }
});
