// Reading llvm-objdump's Mach-O output in tests: relocation tables per
// section, and section bytes. llvm-objdump is the independent reader here.

import { existsSync } from 'node:fs';
import { run, which } from './tools.js';

export function objdump(): string | undefined {
  return which('llvm-objdump', 'llvm-objdump-14', 'llvm-objdump-16');
}

export function llvmMc(): string | undefined {
  return which('llvm-mc', 'llvm-mc-14', 'llvm-mc-16');
}

/** Runs llvm-objdump with the arguments; fails the caller's assertion on warnings via the returned stderr. */
export function dump(args: string[], file: string): { out: string; err: string; status: number } {
  const tool = objdump();
  if (!tool || !existsSync(file)) throw new Error('llvm-objdump or file missing');
  const r = run(tool, [...args, file]);
  return { out: r.stdout, err: r.stderr, status: r.status };
}

/** Relocation entries per "SEG,SECT", each normalized to single-spaced text, sorted. */
export function relocTables(objdumpOut: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of objdumpOut.split('\n')) {
    const m = /^Relocation information \((\S+)\) \d+ entries/.exec(line);
    if (m) {
      cur = [];
      out.set(m[1]!, cur);
      continue;
    }
    if (!cur) continue;
    if (/^address\s+pcrel/.test(line)) continue;
    if (/^[0-9a-f]{8}\s/.test(line)) cur.push(line.trim().replace(/\s+/g, ' '));
    else cur = undefined;
  }
  for (const v of out.values()) v.sort();
  return out;
}

/** Section contents as llvm-objdump -s prints them (the generic, non-Mach-O-specific dump). */
export function sectionBytes(file: string, seg: string, sect: string): Uint8Array {
  return sectionAt(file, seg, sect).bytes;
}

/** A section's contents and the address of its first byte, as llvm-objdump -s prints them. */
export function sectionAt(file: string, seg: string, sect: string): { addr: number; bytes: Uint8Array } {
  const tool = objdump();
  if (!tool) throw new Error('llvm-objdump missing');
  const r = run(tool, ['-s', `--section=${sect}`, file]);
  const bytes: number[] = [];
  let addr = -1;
  let inSection = false;
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('Contents of section ')) {
      inSection = line.trim() === `Contents of section ${seg},${sect}:`;
      continue;
    }
    if (!inSection) continue;
    const m = /^ ([0-9a-f]+) ((?:[0-9a-f]{2,8} ?)+)/.exec(line);
    if (!m) continue;
    if (addr < 0) addr = parseInt(m[1]!, 16);
    for (const word of m[2]!.trim().split(/\s+/)) {
      for (let i = 0; i < word.length; i += 2) bytes.push(parseInt(word.slice(i, i + 2), 16));
    }
  }
  return { addr, bytes: new Uint8Array(bytes) };
}
