// Differential check of single instruction lines against `go tool asm`, for
// generated variants that include lines Go refuses: where both assemble a line
// the bytes must be identical, and a line Go refuses must be refused here too
// (an error, never bytes). Lines are assembled as one NOSPLIT function; lines
// that fail are dropped and the rest assembled again.

import { assemble } from '../../../src/asm/assemble.js';
import { DiagnosticError } from '../../../src/diag.js';
import type { ArchName } from '../../../src/target.js';
import { goAsm } from './goasm.js';

export interface LineDiff {
  same: number;
  /** Both assembled the line, to different bytes. */
  mismatches: string[];
  /** We produced bytes for a line Go refuses. */
  oursOnly: string[];
  /** Go assembled a line we refuse (a coverage gap, not a wrong encoding). */
  goOnly: string[];
  bothRefuse: number;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Bytes per line index from go tool asm; refused lines are absent. */
function goBytes(lines: string[], idx: number[], goarch: string): Map<number, string> {
  const out = new Map<number, string>();
  let live = idx;
  for (let pass = 0; pass < 100 && live.length; pass++) {
    const src = `TEXT ·x(SB),4,$0\n${live.map((i) => `\t${lines[i]}`).join('\n')}\n`;
    const r = goAsm(src, 'linux', goarch);
    if (r.ok) {
      const f = r.funcs.get('main.x')!;
      for (let k = 0; k < f.insts.length; k++) {
        const { line, offset } = f.insts[k];
        const end = k + 1 < f.insts.length ? f.insts[k + 1].offset : f.hex.length / 2;
        out.set(live[line - 2], f.hex.slice(offset * 2, end * 2));
      }
      return out;
    }
    const bad = new Set<number>();
    for (const m of r.stderr.matchAll(/x\.s:(\d+)/g)) bad.add(Number(m[1]) - 2);
    if (bad.size === 0) {
      // go tool asm 1.19 crashes on some refused operand combinations (gathers
      // without a mask): split until the crashing line is alone, and count it refused.
      if (!r.stderr.includes('panic:')) throw new Error(`go tool asm failed: ${r.stderr.slice(0, 400)}`);
      if (live.length === 1) return out;
      const h = live.length >> 1;
      for (const part of [live.slice(0, h), live.slice(h)]) for (const [k, v] of goBytes(lines, part, goarch)) out.set(k, v);
      return out;
    }
    live = live.filter((_, k) => !bad.has(k));
  }
  return out;
}

function ourBytes(lines: string[], arch: ArchName): Map<number, string> {
  const out = new Map<number, string>();
  let live = lines.map((_, i) => i);
  for (let pass = 0; pass < 100 && live.length; pass++) {
    const src = `TEXT enc(SB),4,$0\n${live.map((i) => `\t${lines[i]}`).join('\n')}\n`;
    try {
      const obj = assemble(src, { target: { os: 'linux', arch }, file: 'enc.s', errorLimit: 1e9 });
      const sym = obj.symbols.find((s) => s.name === 'enc')!;
      for (let k = 0; k < live.length; k++) {
        const ins = sym.insts![k];
        out.set(live[k], hex(sym.data.subarray(ins.offset, ins.offset + ins.size)));
      }
      return out;
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      const bad = new Set<number>();
      for (const d of e.diagnostics) if (d.line >= 2) bad.add(d.line - 2);
      if (bad.size === 0) throw e;
      live = live.filter((_, k) => !bad.has(k));
    }
  }
  return out;
}

export function diffLines(lines: string[], arch: ArchName): LineDiff {
  const g = goBytes(lines, lines.map((_, i) => i), arch === '386' ? '386' : 'amd64');
  const o = ourBytes(lines, arch);
  const r: LineDiff = { same: 0, mismatches: [], oursOnly: [], goOnly: [], bothRefuse: 0 };
  for (let i = 0; i < lines.length; i++) {
    const gb = g.get(i);
    const ob = o.get(i);
    if (gb !== undefined && ob !== undefined) {
      if (gb === ob) r.same++;
      else r.mismatches.push(`${lines[i]}: got ${ob}, go tool asm ${gb}`);
    } else if (ob !== undefined) r.oursOnly.push(`${lines[i]}: got ${ob}, go tool asm refuses it`);
    else if (gb !== undefined) r.goOnly.push(`${lines[i]}: go tool asm ${gb}`);
    else r.bothRefuse++;
  }
  return r;
}
