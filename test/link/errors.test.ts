// Link errors are diagnostics that point at the source: undefined symbols
// with every referencing function and line (and a hint), duplicate
// definitions with both places, relocation overflow with the distance.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link } from '../../src/link/index.js';
import { DiagnosticError, formatDiagnostic } from '../../src/diag.js';
import type { ObjectFile } from '../../src/obj/symbol.js';
import { hex, imp, obj, sym } from './helpers.js';

const target = { os: 'linux', arch: 'amd64' } as const;
const opts = { target, linkmode: 'internal', entry: '_rt0_amd64_linux' } as const;

function messages(objs: ObjectFile[]): string {
  try {
    link(objs, opts);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map(formatDiagnostic).join('\n');
    throw e;
  }
  assert.fail('link succeeded');
}

const call = (target: string, line: number) => ({ off: 1, size: 4, type: 'R_CALL' as const, sym: target, add: 0, line });

test('undefined symbol: every referencing function with its line, and a near-name hint', () => {
  const a = obj('a.s', [
    sym('_rt0_amd64_linux', 'text', hex('e8 00000000 e8 00000000 e8 00000000 c3'), [
      call('main.prnitln', 7),
      { ...call('main.prnitln', 8), off: 6 },
      { ...call('main.entry2', 9), off: 11 },
    ], { file: 'a.s', line: 5 }),
  ]);
  const b = obj('b.s', [
    sym('main.println', 'text', hex('c3'), [], { file: 'b.s', line: 3 }),
    sym('main.helper', 'text', hex('e8 00000000 c3'), [call('main.prnitln', 12)], { file: 'b.s', line: 11 }),
    sym('main.entry2', 'text', hex('e8 00000000 c3'), [call('main.helper', 20)], { file: 'b.s', line: 19 }),
  ]);
  const m = messages([a, b]);
  assert.match(m, /^a\.s:7:0: undefined: main\.prnitln/m);
  assert.match(m, /a\.s:7: referenced by _rt0_amd64_linux\+0x1/);
  assert.match(m, /a\.s:8: referenced by _rt0_amd64_linux\+0x6/);
  assert.match(m, /b\.s:12: referenced by main\.helper\+0x1/);
  assert.match(m, /did you mean main\.println\?/);
});

test('relocations outside their symbol are diagnostics, not crashes', () => {
  const a = obj('a.s', [sym('_rt0_amd64_linux', 'text', hex('e8 00000000 c3'), [{ off: 4, size: 4, type: 'R_CALL', sym: 'f', add: 0, line: 3 }], { file: 'a.s' }), sym('f', 'text', hex('c3'))]);
  assert.match(messages([a]), /a\.s:3:0: _rt0_amd64_linux\+0x4: relocation of 4 bytes outside the contents/);
});

test('an import used in a way that cannot be linked is reported at its line', () => {
  // MOVQ libc_exit(SB), AX: a pc-relative load from an import (not a LEAQ).
  const a = obj('a.s', [sym('_rt0_amd64_linux', 'text', hex('48 8b 05 00000000 c3'), [{ off: 3, size: 4, type: 'R_PCREL', sym: 'libc_exit', add: 0, line: 4 }], { file: 'a.s' })], [imp('libc_exit', 'exit')]);
  assert.match(messages([a]), /a\.s:4:0: _rt0_amd64_linux\+0x3: an instruction reads or writes imported libc_exit's data in place, which needs a copy of it in the executable/);
});

test('undefined symbol references beyond the limit are counted', () => {
  const relocs = Array.from({ length: 15 }, (_, i) => ({ off: 1 + 5 * i, size: 4, type: 'R_CALL' as const, sym: 'missing', add: 0, line: 10 + i }));
  const data = new Uint8Array(5 * 15 + 1);
  const m = messages([obj('a.s', [sym('_rt0_amd64_linux', 'text', data, relocs)])]);
  assert.match(m, /and 5 more references/);
});

test('duplicate definition names both places; DUPOK keeps the first', () => {
  const a = obj('a.s', [sym('_rt0_amd64_linux', 'text', hex('c3'), [], { file: 'a.s', line: 1 }), sym('x', 'data', hex('01'), [], { file: 'a.s', line: 4 })]);
  const b = obj('b.s', [sym('x', 'data', hex('02'), [], { file: 'b.s', line: 9 })]);
  const m = messages([a, b]);
  assert.match(m, /b\.s:9:0: duplicate definition of x/);
  assert.match(m, /a\.s:4: previous definition of x/);
  const c = obj('c.s', [sym('d', 'data', hex('01'), [], { flags: { dupok: true } })]);
  const d = obj('d.s', [sym('d', 'data', hex('02'), [], { flags: { dupok: true } })]);
  const entry = obj('e.s', [sym('_rt0_amd64_linux', 'text', hex('8b 04 25 00000000 c3'), [{ off: 3, size: 4, type: 'R_ADDR', sym: 'd', add: 0 }])]);
  const r = link([entry, c, d], opts);
  assert.equal(r.kind, 'executable');
});

test('file-local symbols do not clash across objects', () => {
  const a = obj('a.s', [
    sym('_rt0_amd64_linux', 'text', hex('e8 00000000 e8 00000000 c3'), [
      { off: 1, size: 4, type: 'R_CALL', sym: 'f<>', add: 0 },
      { off: 6, size: 4, type: 'R_CALL', sym: 'g', add: 0 },
    ]),
    sym('f<>', 'text', hex('c3'), [], { flags: { local: true } }),
  ]);
  const b = obj('b.s', [
    sym('g', 'text', hex('e8 00000000 c3'), [{ off: 1, size: 4, type: 'R_CALL', sym: 'f<>', add: 0 }]),
    sym('f<>', 'text', hex('c3'), [], { flags: { local: true } }),
  ]);
  assert.equal(link([a, b], opts).kind, 'executable');
  assert.equal(link([a, b], { ...opts, linkmode: 'external' }).kind, 'object');
});

test('relocation overflow reports the distance and the place', () => {
  const a = obj('a.s', [
    sym('_rt0_amd64_linux', 'text', hex('48 8d 05 00000000 c3'), [{ off: 3, size: 4, type: 'R_PCREL', sym: 'far', add: 0, line: 42 }], { file: 'a.s' }),
    sym('big', 'bss', new Uint8Array(0), [], { size: 0x90000000 }),
    sym('far', 'bss', new Uint8Array(0), [], { size: 8 }),
  ]);
  a.symbols[0].relocs.push({ off: 3, size: 4, type: 'R_PCREL', sym: 'big', add: 0 });
  a.symbols[0].relocs.reverse();
  const m = messages([a]);
  assert.match(m, /a\.s:42:0: relocation R_PCREL to far out of range at _rt0_amd64_linux\+0x3: distance \d+/);
});

test('missing entry, and conflicting imports', () => {
  assert.match(messages([obj('a.s', [sym('main', 'text', hex('c3'))])]), /entry symbol _rt0_amd64_linux is not defined/);
  const a = obj('a.s', [sym('_rt0_amd64_linux', 'text', hex('c3'))], [imp('libc_write', 'write'), { ...imp('libc_write', 'read'), line: 2 }]);
  assert.match(messages([a]), /conflicting dynamic imports of libc_write/);
});

test('386: an instruction that reads an import at its absolute address needs a copy: refused for a variable asmlink does not know, copied for one it does; taking the address is neither', async () => {
  const { assemble } = await import('../../src/asm/assemble.js');
  const t386 = { os: 'linux', arch: '386' } as const;
  const src = (inst: string) =>
    `//go:cgo_import_dynamic libc_signgam signgam "libm.so.6"\nTEXT _rt0_386_linux(SB),4,$0\n\t${inst}\n\tRET\n`;
  const linkIt = (inst: string) => link([assemble(src(inst), { file: 'e.s', target: t386 })], { target: t386, linkmode: 'internal', entry: '_rt0_386_linux' });
  for (const load of ['MOVL libc_signgam(SB), AX', 'MOVL libc_signgam(SB), CX', 'ADDL libc_signgam(SB), DX']) {
    assert.throws(() => linkIt(load), (e: unknown) => {
      assert.ok(e instanceof DiagnosticError, String(e));
      assert.match(formatDiagnostic(e.diagnostics[0]!), /^e\.s:3:0: _rt0_386_linux\+0x[0-9a-f]+: an instruction reads or writes imported libc_signgam's data in place, which needs a copy/);
      return true;
    }, load);
  }
  for (const address of ['MOVL $libc_signgam(SB), AX', 'PUSHL $libc_signgam(SB)\n\tPOPL AX']) assert.ok(linkIt(address).bytes.length > 0, address);
  // stdout's size is known: the executable holds a copy, an R_386_COPY names it.
  const copied = link([assemble('//go:cgo_import_dynamic libc_stdout stdout "libc.so.6"\nTEXT _rt0_386_linux(SB),4,$0\n\tMOVL libc_stdout(SB), AX\n\tRET\n', { file: 'c.s', target: t386 })], { target: t386, linkmode: 'internal', entry: '_rt0_386_linux' });
  assert.ok(Buffer.from(copied.bytes).includes(Buffer.from('stdout\0')));
});
