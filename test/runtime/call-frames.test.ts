// A static check of the runtime's calls, on every target and variant: a
// function's frame holds the arguments and results of every function it
// calls (Go's stack convention puts them at the bottom of the caller's
// frame). darwin/386 once called its 28-byte mmap binding (a 64-bit offset)
// from a 24-byte frame, reading the result from past its own frame; nothing
// could run that target to see it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runtimeObjectsFor } from '../../src/index.js';
import type { Symbol } from '../../src/obj/symbol.js';
import { runtimeSets } from '../../src/runtime/select.js';

const sets = runtimeSets();

/** Why a call from f to g is sound as far as the frame sizes tell, or undefined when it is not. */
function soundCall(f: Symbol, g: Symbol): string | undefined {
  const need = g.argsSize ?? 0;
  if ((f.frameSize ?? 0) >= need) return 'the frame holds the arguments';
  // A frameless function that jumps on passes its own arguments: they must be as large.
  if ((f.frameSize ?? 0) === 0 && (f.argsSize ?? 0) >= need) return 'a tail call with the caller\'s arguments';
  // The entry points (C main, _rt0_*) have no Go caller and lay out their stack by hand.
  if (f.flags.noframe && f.argsSize === undefined) return 'an entry point';
  return undefined;
}

for (const [t, variant] of sets) {
  test(`runtime ${t.os}/${t.arch} (${variant}): every call's arguments fit in the caller's frame`, () => {
    const objects = runtimeObjectsFor(t, variant);
    const text = new Map<string, Symbol>();
    for (const o of objects) for (const s of o.symbols) if (s.kind === 'text') text.set(s.name, s);
    let calls = 0;
    const bad: string[] = [];
    for (const f of text.values()) {
      for (const r of f.relocs) {
        if (r.type !== 'R_CALL' && r.type !== 'R_CALLARM64') continue;
        const g = text.get(r.sym);
        if (!g) continue;
        calls++;
        if (!soundCall(f, g)) bad.push(`${f.name} ($${f.frameSize}-${f.argsSize}) calls ${g.name} ($${g.frameSize}-${g.argsSize})`);
      }
    }
    assert.ok(calls > 20, `only ${calls} calls seen`);
    assert.deepEqual(bad, []);
  });
}
