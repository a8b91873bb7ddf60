// Runs Go's own assembler (`go tool asm -S`) and reads back, per function, the
// bytes and relocations it produced: the independent oracle for the x86 tests.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGoListing, type GoFunc } from '../go-listing.js';

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
    return { ok: true, stderr: r.stderr, funcs: parseGoListing(r.stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
