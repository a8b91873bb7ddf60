// Helpers for the Mach-O tests: finding external tools, running them, building
// small ObjectFiles by hand (the encoders are written elsewhere, so inputs are
// hand-encoded machine code).

import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ObjectFile, Symbol, SymKind, DynImport } from '../../../src/obj/symbol.js';
import type { Reloc } from '../../../src/obj/reloc.js';
import type { ArchName } from '../../../src/target.js';
import { tempDir } from '../../helpers.js';

const found = new Map<string, string | undefined>();

/** The first of the candidate commands that exists on PATH, or undefined. */
export function which(...names: string[]): string | undefined {
  const key = names.join(' ');
  if (found.has(key)) return found.get(key);
  let hit: string | undefined;
  for (const n of names) {
    const r = spawnSync('sh', ['-c', `command -v ${n}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) {
      hit = r.stdout.trim();
      break;
    }
  }
  found.set(key, hit);
  return hit;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], input?: string): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

let dir: string | undefined;
export function tmpPath(name: string): string {
  dir ??= tempDir('asmlink-macho-');
  return join(dir, name);
}
export function writeTmp(name: string, data: Uint8Array | string): string {
  const p = tmpPath(name);
  writeFileSync(p, data);
  return p;
}

export function hex(s: string): Uint8Array {
  const clean = s.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function sym(name: string, kind: SymKind, data: Uint8Array, relocs: Reloc[] = [], extra: Partial<Symbol> = {}): Symbol {
  return {
    name,
    kind,
    size: data.length,
    align: kind === 'text' ? 16 : 8,
    data,
    relocs,
    flags: {},
    file: 'test.s',
    line: 1,
    ...extra,
  };
}

export function imp(local: string, remote: string, library = '/usr/lib/libSystem.B.dylib'): DynImport {
  return { local, remote, library, file: 'test.s', line: 1 };
}

export function objFile(arch: ArchName, symbols: Symbol[], dynimports: DynImport[] = []): ObjectFile {
  return { target: { os: 'darwin', arch }, name: 'test.s', symbols, dynimports };
}

/** A python3 that has the unicorn module, for macho-run. */
export function unicornPython(): string | undefined {
  for (const p of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(p, ['-c', 'import unicorn'], { encoding: 'utf8' });
    if (r.status === 0) return p;
  }
  return undefined;
}

export const MACHO_RUN = '/work/shared/tools/macho-run/macho-run';

/** Like run(), without blocking: lets slow emulator runs overlap. */
export function runAsync(cmd: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const status = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ status, stdout: stdout ?? '', stderr: stderr ?? '' });
    });
  });
}
