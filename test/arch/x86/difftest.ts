// Differential check: assemble a multi-function Go-syntax file with asmlink and
// with `go tool asm -S`, then compare each function's bytes and relocations.
import assert from 'node:assert/strict';
import type { test } from 'node:test';
import { assemble } from '../../../src/asm/assemble.js';
import type { ArchName, OS } from '../../../src/target.js';
import { findGo, goAsm } from './goasm.js';

/** The context object node:test passes to a test function. */
type TestContext = Parameters<Extract<Parameters<typeof test>[0], (...a: never[]) => unknown>>[0];

export function diffAgainstGo(t: TestContext, source: string, os: OS, arch: ArchName): void {
  if (!findGo()) {
    t.skip('needs go (Debian package golang-go) for go tool asm');
    return;
  }
  const go = goAsm(source, os, arch === '386' ? '386' : arch);
  assert.ok(go.ok, `go tool asm failed:\n${go.stderr}`);
  const obj = assemble(source, { target: { os, arch }, file: 'x.s' });
  let n = 0;
  for (const s of obj.symbols) {
    if (s.kind !== 'text') continue;
    const g = go.funcs.get(s.name);
    assert.ok(g, `go tool asm did not produce ${s.name}`);
    assert.equal(Buffer.from(s.data).toString('hex'), g.hex, `bytes of ${s.name}`);
    const ours = s.relocs.map((r) => ({ off: r.off, size: r.size, type: r.type, sym: r.sym, add: r.add }));
    assert.deepEqual(ours, g.relocs, `relocations of ${s.name}`);
    n++;
  }
  assert.equal(n, go.funcs.size, 'function count');
  t.diagnostic(`${n} functions identical to go tool asm (${os}/${arch})`);
}
