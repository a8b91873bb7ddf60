// Shared helpers for the linker tests: hand-built object files (the encoder
// is developed separately), temporary files, running programs and tools.

import { spawnSync } from 'node:child_process';
import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { ObjectFile, Symbol, SymKind, DynImport } from '../../src/obj/symbol.js';
import type { Reloc } from '../../src/obj/reloc.js';
import { tempDir } from '../helpers.js';

export function hex(s: string): Uint8Array {
  const clean = s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function sym(name: string, kind: SymKind, data: Uint8Array, relocs: Reloc[] = [], extra: Partial<Symbol> = {}): Symbol {
  return { name, kind, size: data.length, align: kind === 'text' ? 16 : 8, data, relocs, flags: {}, file: 'test.s', line: 1, ...extra };
}

export function obj(name: string, symbols: Symbol[], dynimports: DynImport[] = [], arch: 'amd64' | '386' | 'arm64' = 'amd64'): ObjectFile {
  return { target: { os: 'linux', arch }, name, symbols, dynimports };
}

export function imp(local: string, remote: string, library = 'libc.so.6'): DynImport {
  return { local, remote, library, file: 'test.s', line: 1 };
}

let dir: string | null = null;
export function tmp(name: string, bytes: Uint8Array, exec = false): string {
  dir ??= tempDir('asmlink-link-');
  const p = join(dir, name);
  writeFileSync(p, bytes);
  if (exec) chmodSync(p, 0o755);
  return p;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

export function run(cmd: string, args: string[] = []): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

export function have(tool: string): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  return r.status === 0;
}

/** A message as bytes, NUL-free, for rodata. */
export function bytesOf(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Checks readelf -lW output: no RWX segment, GNU_STACK not executable, GNU_RELRO inside one LOAD. */
export function checkSegments(readelfL: string): string[] {
  const problems: string[] = [];
  const loads: [number, number][] = [];
  let relro: [number, number] | null = null;
  for (const line of readelfL.split('\n')) {
    const m = /^\s+(\w+)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+([R ][W ][E ])\s+0x[0-9a-f]+$/.exec(line);
    if (!m) continue;
    const [, type, va, msz, flg] = m;
    const lo = parseInt(va, 16);
    const hi = lo + parseInt(msz, 16);
    if (flg.includes('W') && flg.includes('E')) problems.push(`writable and executable: ${line.trim()}`);
    if (type === 'GNU_STACK' && flg.includes('E')) problems.push('executable stack');
    if (type === 'LOAD') loads.push([lo, hi]);
    if (type === 'GNU_RELRO') relro = [lo, hi];
  }
  if (relro) {
    const [lo, hi] = relro;
    if (!loads.some(([a, b]) => a <= lo && hi <= b)) problems.push('GNU_RELRO is not inside one LOAD segment');
  }
  if (loads.length === 0) problems.push('no LOAD segment');
  return problems;
}
