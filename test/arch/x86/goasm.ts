// Runs Go's own assembler (`go tool asm -S`) and reads back, per function, the
// bytes and relocations it produced: the independent oracle for the x86 tests.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GoReloc {
  off: number;
  size: number;
  type: string;
  sym: string;
  add: number;
}

export interface GoFunc {
  name: string;
  bytes: string;
  relocs: GoReloc[];
  /** Per instruction: source line and offset, in order. */
  insts: { line: number; offset: number }[];
}

let goPath: string | null | undefined;

/** The `go` binary, or null when Go is not installed. */
export function findGo(): string | null {
  if (goPath !== undefined) return goPath;
  for (const p of ['go', '/usr/lib/go/bin/go', '/usr/lib/go-1.19/bin/go']) {
    const r = spawnSync(p, ['version'], { encoding: 'utf8' });
    if (r.status === 0) return (goPath = p);
  }
  return (goPath = null);
}

export function goRoot(): string | null {
  const go = findGo();
  if (!go) return null;
  return execFileSync(go, ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
}

// Go's objabi.RelocType numbers (Go 1.19, reloctype_string.go) for the types asmlink's backends produce.
export const GO_RELOC: Record<number, string> = { 1: 'R_ADDR', 3: 'R_ADDRARM64', 7: 'R_CALL', 9: 'R_CALLARM64', 10: 'R_CALLIND', 14: 'R_PCREL', 15: 'R_TLS_LE', 16: 'R_TLS_IE', 17: 'R_GOTOFF', 29: 'R_GOTPCREL', 33: 'R_ARM64_TLS_LE', 34: 'R_ARM64_TLS_IE', 35: 'R_ARM64_GOTPCREL' };

export interface GoAsmResult {
  ok: boolean;
  stderr: string;
  funcs: Map<string, GoFunc>;
}

/** Assembles `source` with `go tool asm -S -p main` for GOOS/GOARCH. */
export function goAsm(source: string, goos: string, goarch: string, extraArgs: string[] = []): GoAsmResult {
  const go = findGo();
  if (!go) throw new Error('go not installed');
  const dir = mkdtempSync(join(tmpdir(), 'asmlink-goasm-'));
  try {
    const file = join(dir, 'x.s');
    writeFileSync(file, source);
    const root = goRoot()!;
    const r = spawnSync(go, ['tool', 'asm', '-p', 'main', '-I', join(root, 'pkg', 'include'), '-S', ...extraArgs, '-o', join(dir, 'x.o'), file], {
      encoding: 'utf8',
      env: { ...process.env, GOOS: goos, GOARCH: goarch },
      maxBuffer: 1 << 28,
    });
    if (r.status !== 0) return { ok: false, stderr: r.stderr, funcs: new Map() };
    return { ok: true, stderr: r.stderr, funcs: parseListing(r.stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseListing(out: string): Map<string, GoFunc> {
  const funcs = new Map<string, GoFunc>();
  let cur: GoFunc | null = null;
  for (const line of out.split('\n')) {
    const head = /^(\S+) STEXT/.exec(line);
    if (head) {
      cur = { name: head[1].replace(/^""\./, 'main.'), bytes: '', relocs: [], insts: [] };
      funcs.set(cur.name, cur);
      continue;
    }
    if (/^\S/.test(line)) {
      cur = null;
      continue;
    }
    if (!cur) continue;
    const inst = /^\t0x[0-9a-f]+ (\d+) \([^:]*:(\d+)\)\t(\S+)/.exec(line);
    if (inst) {
      const op = inst[3];
      if (op !== 'TEXT' && op !== 'FUNCDATA' && op !== 'PCDATA') cur.insts.push({ line: Number(inst[2]), offset: Number(inst[1]) });
      continue;
    }
    const dump = /^\t0x[0-9a-f]{4,} ((?:[0-9a-f]{2} ){1,16})/.exec(line);
    if (dump) {
      cur.bytes += dump[1].replace(/ /g, '');
      continue;
    }
    const rel = /^\trel (\d+)\+(\d+) t=(\d+) (\S*)\+(-?\d+)/.exec(line);
    if (rel) {
      let sym = rel[4].replace(/^""\./, 'main.');
      if (sym === 'TLS') sym = 'runtime.tlsg';
      cur.relocs.push({ off: Number(rel[1]), size: Number(rel[2]), type: GO_RELOC[Number(rel[3])] ?? `t=${rel[3]}`, sym, add: Number(rel[5]) });
    }
  }
  return funcs;
}
