// Runs `go tool asm -S` (GOOS=linux GOARCH=arm64) on a source and parses the
// listing into { name → { size, hex, relocs } }. Used by gen-enc.mjs here and
// by the differential test (which has its own TypeScript copy of the parser).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function goAsm(source) {
  const dir = mkdtempSync(join(tmpdir(), 'goasm-'));
  try {
    writeFileSync(join(dir, 'x.s'), source);
    const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    const r = execFileSync('go', ['tool', 'asm', '-p', 'main', '-I', join(goroot, 'pkg', 'include'), '-S', '-o', join(dir, 'x.o'), join(dir, 'x.s')], {
      encoding: 'utf8',
      env: { ...process.env, GOOS: 'linux', GOARCH: 'arm64' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return parseListing(r);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function parseListing(text) {
  const out = new Map();
  let cur = null;
  for (const line of text.split('\n')) {
    const h = /^(\S+) STEXT .*size=(\d+)/.exec(line);
    if (h) {
      cur = { size: Number(h[2]), bytes: [], relocs: [] };
      out.set(h[1].replace(/^""\./, 'main.'), cur);
      continue;
    }
    if (/^\S/.test(line)) {
      cur = null;
      continue;
    }
    if (!cur) continue;
    const d = /^\t0x([0-9a-f]{4}) ((?:[0-9a-f]{2} )+)/.exec(line);
    if (d) {
      const off = parseInt(d[1], 16);
      const n = Math.min(16, cur.size - off);
      cur.bytes.push(...d[2].trim().split(' ').slice(0, n));
      continue;
    }
    const r = /^\trel (\d+)\+(\d+) t=(\d+) (\S*?)\+(-?\d+)$/.exec(line);
    if (r) cur.relocs.push({ off: Number(r[1]), size: Number(r[2]), t: Number(r[3]), sym: r[4].replace(/^""\./, 'main.'), add: Number(r[5]) });
  }
  for (const v of out.values()) v.hex = v.bytes.join('');
  return out;
}
