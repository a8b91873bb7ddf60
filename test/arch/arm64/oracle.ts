// Shared by the arm64 tests: assembles single instructions through the real
// front end and compares them with expected bytes.
import { assemble } from '../../../src/asm/assemble.js';
import { DiagnosticError } from '../../../src/diag.js';

export interface LineResult {
  hex?: string;
  error?: string;
}

/**
 * Assembles `inst` as the only instruction of a NOFRAME function, preceded by a
 * NOOP so that `-1(PC)` branches have a target. Returns the instruction's bytes
 * as lowercase hex (without the NOOP), or the first diagnostic.
 */
export function assembleOne(inst: string): LineResult {
  const src = `TEXT t(SB),512,$0-0\n\tNOOP\n\t${inst}\n`;
  try {
    const obj = assemble(src, { target: { os: 'linux', arch: 'arm64' }, file: 't.s', errorLimit: 5 });
    const sym = obj.symbols.find((s) => s.kind === 'text');
    if (!sym || !sym.insts) return { error: 'no text symbol' };
    const parts: string[] = [];
    for (const i of sym.insts) {
      if (i.line !== 3) continue;
      parts.push(Buffer.from(sym.data.subarray(i.offset, i.offset + i.size)).toString('hex'));
    }
    return { hex: parts.join('') };
  } catch (e) {
    if (e instanceof DiagnosticError) return { error: e.diagnostics[0]?.message ?? 'error' };
    return { error: String(e) };
  }
}

/** `INSTR // [canonical //] hex` lines of Go's testdata. */
export function parseTestdata(text: string): { inst: string; hex: string; line: number }[] {
  const out: { inst: string; hex: string; line: number }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l === '' || l.startsWith('//') || l.startsWith('#') || l.startsWith('TEXT')) continue;
    const parts = l.split('//');
    if (parts.length < 2) continue;
    const hex = parts[parts.length - 1]!.trim();
    if (!/^([0-9a-f]{8})+$/.test(hex)) continue;
    const inst = parts[0]!.trim();
    if (inst === '' || inst.endsWith(':')) continue;
    out.push({ inst, hex, line: i + 1 });
  }
  return out;
}
