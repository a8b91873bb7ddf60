// AVX-512 and VSIB lines beyond Go's corpus: variants of the corpus lines
// (memory offsets that exercise disp8*N compression, the .Z/.SAE/.RN_SAE/.BCST
// suffixes, masks removed or K0) are assembled by go tool asm and by asmlink.
// Where Go assembles a line, the bytes must match; where Go refuses one, so
// must we: refusing cleanly is allowed, producing bytes Go would not is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { diffLines } from '../x86/linediff.js';
import { goRoot } from '../x86/goasm.js';

/** Splits an operand list at top-level commas (memory operands have their own). */
function operands(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Variants of one corpus line (deterministic). */
function variants(text: string): string[] {
  const sp = text.indexOf(' ');
  const mn = text.slice(0, sp);
  const base = mn.split('.')[0];
  const ops = operands(text.slice(sp + 1));
  const n = ops.length;
  const out: string[] = [];
  const line = (m: string, o: string[]): string => `${m} ${o.join(', ')}`;
  const mi = ops.findIndex((o) => o.includes('('));
  if (mi >= 0) {
    const addr = ops[mi].slice(ops[mi].indexOf('('));
    for (const off of [64, -64, 512, 8, 2]) out.push(line(mn, ops.map((o, k) => (k === mi ? `${off}${addr}` : o))));
    if (!mn.includes('BCST')) out.push(line(`${base}.BCST`, ops));
  } else {
    for (const s of ['SAE', 'RN_SAE', 'RZ_SAE']) out.push(line(`${base}.${s}`, ops));
  }
  const masked = n >= 3 && /^K[1-7]$/.test(ops[n - 2]);
  if (masked) {
    // (go tool asm 1.19 crashes on a gather without its mask, so that variant is left out.)
    if (!base.includes('GATHER')) out.push(line(mn, [...ops.slice(0, n - 2), ops[n - 1]]));
    out.push(line(mn, [...ops.slice(0, n - 2), 'K0', ops[n - 1]]));
    if (!mn.endsWith('.Z')) out.push(line(`${mn}.Z`, ops));
  } else if (n >= 2) {
    out.push(line(`${base}.Z`, [...ops.slice(0, n - 1), 'K3', ops[n - 1]]));
  }
  return out;
}

test('amd64: AVX-512 variants beyond the corpus agree with go tool asm (same bytes, same refusals)', (t) => {
  const root = goRoot();
  const dir = root && join(root, 'src/cmd/asm/internal/asm/testdata');
  if (!dir || !existsSync(join(dir, 'avx512enc'))) {
    t.skip('needs go (Debian package golang-go) for its assembler and test corpus');
    return;
  }
  const files = readdirSync(join(dir, 'avx512enc')).filter((f) => f.endsWith('.s')).sort().map((f) => join(dir, 'avx512enc', f));
  files.push(join(dir, 'amd64enc_extra.s'));
  // One line per mnemonic and operand shape: about 20,000 variants.
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const f of files) {
    for (const l of readFileSync(f, 'utf8').split('\n')) {
      const m = /^\t(V[A-Z0-9.]*|K[A-Z0-9]*)\s+([^/]*?)\s*\/\/\s*[0-9a-f]+/.exec(l);
      if (!m) continue;
      const shape = `${m[1]} ${m[2].replace(/-?\d*\([^)]*\)(\([^)]*\))?/g, 'M').replace(/\b([XYZK])\d+\b/g, '$1').replace(/\$-?\w+/g, 'I')}`;
      if (seen.has(shape)) continue;
      seen.add(shape);
      lines.push(...variants(`${m[1]} ${m[2]}`));
    }
  }
  const r = diffLines(lines, 'amd64');
  t.diagnostic(`${lines.length} variants: ${r.same} identical, ${r.bothRefuse} refused by both, ${r.goOnly.length} refused only here`);
  assert.deepEqual(r.mismatches.slice(0, 20), []);
  assert.deepEqual(r.oursOnly.slice(0, 20), []);
  assert.deepEqual(r.goOnly.slice(0, 20), []);
});
