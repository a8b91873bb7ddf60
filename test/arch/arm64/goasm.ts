// Runs Go's assembler (`go tool asm -S`, GOOS=linux GOARCH=arm64) and parses
// its listing: per text symbol, the bytes and relocations.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GoSym {
  size: number;
  hex: string;
  relocs: string[];
}

export function haveGo(): boolean {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function goAsm(source: string): Map<string, GoSym> {
  const dir = mkdtempSync(join(tmpdir(), 'goasm-'));
  try {
    writeFileSync(join(dir, 'x.s'), source);
    const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    const out = execFileSync('go', ['tool', 'asm', '-p', 'main', '-I', join(goroot, 'pkg', 'include'), '-S', '-o', join(dir, 'x.o'), join(dir, 'x.s')], {
      encoding: 'utf8',
      env: { ...process.env, GOOS: 'linux', GOARCH: 'arm64' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return parseListing(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Go's objabi relocation numbers (go1.19) for the types asmlink emits on arm64. */
export const GO_RELOC: Record<string, number> = { R_ADDR: 1, R_ADDRARM64: 3, R_CALLARM64: 9, R_CALLIND: 10 };

function goName(n: string): string {
  return n.replace(/^""\./, 'main.');
}

export function parseListing(text: string): Map<string, GoSym> {
  const out = new Map<string, GoSym>();
  let cur: { size: number; bytes: string[]; relocs: string[] } | null = null;
  const raw = new Map<string, { size: number; bytes: string[]; relocs: string[] }>();
  for (const line of text.split('\n')) {
    const h = /^(\S+) STEXT .*size=(\d+)/.exec(line);
    if (h) {
      cur = { size: Number(h[2]), bytes: [], relocs: [] };
      raw.set(goName(h[1]!), cur);
      continue;
    }
    if (/^\S/.test(line)) {
      cur = null;
      continue;
    }
    if (!cur) continue;
    const d = /^\t0x([0-9a-f]{4}) ((?:[0-9a-f]{2} )+)/.exec(line);
    if (d) {
      const off = parseInt(d[1]!, 16);
      cur.bytes.push(...d[2]!.trim().split(' ').slice(0, Math.min(16, cur.size - off)));
      continue;
    }
    const r = /^\trel (\d+)\+(\d+) t=(\d+) (\S*?)\+(-?\d+)$/.exec(line);
    if (r) cur.relocs.push(`${r[1]}+${r[2]} t=${r[3]} ${goName(r[4]!)}+${r[5]}`);
  }
  for (const [k, v] of raw) out.set(k, { size: v.size, hex: v.bytes.join(''), relocs: v.relocs });
  return out;
}
