// Checks annotated Go-syntax instruction lines (`ADDQ $7, R11 // 4983c307`,
// alternatives written `// aa or bb`) against asmlink's x86 encoder.

import { assemble } from '../../../src/asm/assemble.js';
import { DiagnosticError } from '../../../src/diag.js';
import type { ArchName } from '../../../src/target.js';

export interface EncCase {
  line: number;
  text: string;
  want: string[];
}

export interface EncResult {
  total: number;
  /** Lines our assembler rejected, with the diagnostic. */
  unsupported: { c: EncCase; message: string }[];
  ok: number;
  mismatches: { c: EncCase; got: string }[];
}

/** Instruction lines with an expected-bytes comment. */
export function parseCases(text: string): EncCase[] {
  const cases: EncCase[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\t([A-Z][^/]*?)\s*\/\/\s*([0-9a-f]+(?:\s+or\s+[0-9a-f]+)*)\s*$/.exec(lines[i]);
    if (m) cases.push({ line: i + 1, text: m[1], want: m[2].split(/\s+or\s+/) });
  }
  return cases;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/**
 * Assembles all cases as one function (NOSPLIT, no frame, so no prologue).
 * Lines that fail are removed and the rest re-assembled, so one unsupported
 * instruction does not hide the others.
 */
export function checkCases(cases: EncCase[], arch: ArchName): EncResult {
  const res: EncResult = { total: cases.length, unsupported: [], ok: 0, mismatches: [] };
  let live = cases;
  for (let pass = 0; pass < 10; pass++) {
    const src = `TEXT enc(SB),4,$0\n${live.map((c) => `\t${c.text}`).join('\n')}\n`;
    try {
      const obj = assemble(src, { target: { os: 'linux', arch }, file: 'enc.s', errorLimit: 1e9 });
      const sym = obj.symbols.find((s) => s.name === 'enc')!;
      const insts = sym.insts!;
      for (let k = 0; k < live.length; k++) {
        const ins = insts[k];
        const got = hex(sym.data.subarray(ins.offset, ins.offset + ins.size));
        if (live[k].want.includes(got)) res.ok++;
        else res.mismatches.push({ c: live[k], got });
      }
      return res;
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      const bad = new Map<number, string>();
      for (const d of e.diagnostics) if (d.line >= 2) bad.set(d.line - 2, d.message);
      if (bad.size === 0) throw e;
      for (const [i, msg] of bad) if (live[i]) res.unsupported.push({ c: live[i], message: msg });
      live = live.filter((_, i) => !bad.has(i));
    }
  }
  throw new Error('could not isolate failing lines');
}
