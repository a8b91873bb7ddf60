// Internal linking for darwin: executables written by asmlink, checked by
// llvm-objdump and the npm `macho` parser (see macho-check.ts), signatures
// re-hashed with node:crypto, run under macho-run (an emulated dyld +
// libSystem), and compared with the same program linked by ld64.lld.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { link } from '../../src/link/link.js';
import type { ObjectFile } from '../../src/obj/symbol.js';
import { DiagnosticError } from '../../src/diag.js';
import { MACHO_RUN, hex, objFile, run, sym, unicornPython, writeTmp } from '../formats/macho/tools.js';
import { objdump } from '../formats/macho/objdump.js';
import { HELLO, fixupsAmd64, helloAmd64 } from '../formats/macho/programs.js';
import { checkExecutable } from './macho-check.js';
import { ld64, linkExternally } from './macho-helpers.js';

const NEEDS_OBJDUMP = 'needs llvm-objdump (Debian package llvm)';

function linkDarwin(obj: ObjectFile, format: Record<string, string | boolean>): Uint8Array {
  const r = link([obj], { target: obj.target, linkmode: 'internal', entry: 'main', format });
  assert.equal(r.kind, 'executable');
  return r.bytes;
}

function runUnderMachoRun(t: { skip(m: string): void }, path: string): { status: number; stdout: string; stderr: string } | undefined {
  const py = unicornPython();
  if (!py || !existsSync(MACHO_RUN)) {
    t.skip('needs python3-unicorn and tools/macho-run');
    return undefined;
  }
  return run(py, [MACHO_RUN, path]);
}

const VARIANTS = [
  { fixups: 'dyld-info', codesign: false },
  { fixups: 'dyld-info', codesign: true },
  { fixups: 'chained', codesign: false },
  { fixups: 'chained', codesign: true },
] as const;

for (const v of VARIANTS) {
  const tag = `${v.fixups}${v.codesign ? ', signed' : ''}`;
  test(`darwin/amd64 hello (${tag}): structure, imports, stubs, signature; runs under macho-run`, (t) => {
    if (!objdump()) return t.skip(NEEDS_OBJDUMP);
    const exe = writeTmp(`hello-amd64-${v.fixups}-${v.codesign}`, linkDarwin(helloAmd64(), { ...v }));
    const facts = checkExecutable(exe, { arch: 'amd64', signed: v.codesign, chained: v.fixups === 'chained', expectImports: ['_write'] });
    assert.deepEqual(facts.imports, ['_write']);
    assert.equal(facts.entrySymbol, '_main');
    assert.deepEqual(facts.segments, ['__PAGEZERO', '__TEXT', '__DATA_CONST', '__LINKEDIT']);
    const r = runUnderMachoRun(t, exe);
    if (!r) return;
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, HELLO);
    assert.equal(r.status, 0);
  });

  test(`darwin/amd64 rebases, binds in data, GOT of a defined symbol (${tag}); runs slid under macho-run`, (t) => {
    if (!objdump()) return t.skip(NEEDS_OBJDUMP);
    const exe = writeTmp(`fixups-amd64-${v.fixups}-${v.codesign}`, linkDarwin(fixupsAmd64(), { ...v }));
    const facts = checkExecutable(exe, { arch: 'amd64', signed: v.codesign, chained: v.fixups === 'chained', expectImports: ['_write'] });
    assert.deepEqual(facts.segments, ['__PAGEZERO', '__TEXT', '__DATA_CONST', '__DATA', '__LINKEDIT']);
    if (v.fixups === 'dyld-info') {
      const d = run(objdump()!, ['--macho', '--rebase', '--bind', exe]).stdout;
      // tab[0] (→ msg), the GOT slot of len, counter (→ main+3).
      assert.equal((d.match(/\bpointer\s*$/gm) ?? []).length + (d.match(/^__DATA\S*\s+__\S+\s+0x[0-9A-F]+\s+pointer/gim) ?? []).length > 0, true);
      assert.match(d, /__DATA_CONST __const\s+0x[0-9A-F]+\s+pointer/i);
      assert.match(d, /__DATA_CONST __got\s+0x[0-9A-F]+\s+pointer/i);
      assert.match(d, /__DATA\s+__data\s+0x[0-9A-F]+\s+pointer/i);
      assert.match(d, /__DATA_CONST __const\s+0x[0-9A-F]+\s+pointer\s+0 libSystem\s+_write/i);
    }
    // macho-run loads at a slide, so a missing rebase would fault.
    const r = runUnderMachoRun(t, exe);
    if (!r) return;
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, HELLO);
    assert.equal(r.status, 0);
  });
}

test('darwin/amd64: the same program linked by ld64.lld has the same imports and entry', (t) => {
  if (!objdump()) return t.skip(NEEDS_OBJDUMP);
  if (!ld64()) return t.skip('needs ld64.lld (Debian package lld)');
  const ours = checkExecutable(writeTmp('same-int', linkDarwin(helloAmd64(), { fixups: 'dyld-info' })), { arch: 'amd64', signed: false, chained: false, expectImports: ['_write'] });
  const theirs = checkExecutable(linkExternally(helloAmd64(), 'same-ext'), { arch: 'amd64', signed: false, chained: false, expectImports: ['_write'], producer: 'lld' });
  assert.deepEqual(ours.imports, theirs.imports);
  assert.equal(ours.entrySymbol, theirs.entrySymbol);
});

test('darwin/amd64 executables are deterministic', () => {
  for (const v of VARIANTS) assert.deepEqual(linkDarwin(helloAmd64(), { ...v }), linkDarwin(helloAmd64(), { ...v }));
});

function diag(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof DiagnosticError, `expected a diagnostic, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected a diagnostic');
}

test('darwin executables: bad input is a diagnostic, no output', () => {
  assert.match(diag(() => linkDarwin(helloAmd64(), { macosMin: '10.3' })), /unknown macOS version "10\.3"|too old/);
  assert.match(diag(() => linkDarwin(helloAmd64(), { macosMin: 'banana' })), /not of the form/);
  assert.match(diag(() => linkDarwin(helloAmd64(), { macosMin: '10.15', fixups: 'chained' })), /chained fixups need macOS 11\.0/);
  assert.match(diag(() => linkDarwin(helloAmd64(), { fixups: 'lazy' })), /unknown fixups kind/);
  // An absolute address in code would need a text relocation.
  const absInText = objFile('amd64', [
    sym('main', 'text', hex('48 b8 0000000000000000 c3'), [{ off: 2, size: 8, type: 'R_ADDR', sym: 'x', add: 0, line: 4 }]),
    sym('x', 'data', new Uint8Array(8)),
  ]);
  assert.match(diag(() => linkDarwin(absInText, {})), /test\.s:4:0: main\+0x2: absolute address of x in code needs a text relocation/);
  // A 4-byte pointer in data cannot be rebased.
  const ptr4 = objFile('amd64', [
    sym('main', 'text', hex('48 8d 05 00000000 c3'), [{ off: 3, size: 4, type: 'R_PCREL', sym: 'p', add: 0 }]),
    sym('p', 'data', new Uint8Array(4), [{ off: 0, size: 4, type: 'R_ADDR', sym: 'main', add: 0 }]),
  ]);
  assert.match(diag(() => linkDarwin(ptr4, {})), /4-byte absolute address|does not fit 32 bits/);
  // Thread-local symbols.
  const tls = objFile('amd64', [
    sym('main', 'text', hex('48 8d 05 00000000 c3'), [{ off: 3, size: 4, type: 'R_PCREL', sym: 't', add: 0 }]),
    sym('t', 'tls', new Uint8Array(8)),
  ]);
  assert.throws(() => linkDarwin(tls, {}), DiagnosticError);
  // darwin/386 executables.
  const i386 = objFile('386', [sym('main', 'text', hex('c3'))]);
  assert.match(diag(() => link([i386], { target: i386.target, linkmode: 'internal', entry: 'main' })), /386/);
});
