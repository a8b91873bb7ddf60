// Runs Go's assembler (`go tool asm -S`, GOOS=linux GOARCH=arm64) and parses
// its listing (go-listing.ts): per text symbol, the bytes and relocations.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGoListing, type GoFunc } from '../go-listing.js';

export function haveGo(): boolean {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function goAsm(source: string): Map<string, GoFunc> {
  const dir = mkdtempSync(join(tmpdir(), 'goasm-'));
  try {
    writeFileSync(join(dir, 'x.s'), source);
    const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    const out = execFileSync('go', ['tool', 'asm', '-p', 'main', '-I', join(goroot, 'pkg', 'include'), '-S', '-o', join(dir, 'x.o'), join(dir, 'x.s')], {
      encoding: 'utf8',
      env: { ...process.env, GOOS: 'linux', GOARCH: 'arm64' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return parseGoListing(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
