// Text-based dylib stubs (TAPI .tbd, version 4): what ld64.lld reads instead
// of a real libSystem.B.dylib, which does not exist off a Mac. asmlink writes
// one listing exactly the symbols the program imports, plus dyld_stub_binder
// (ld64.lld 14 looks it up whenever it emits lazy binding stubs).

import type { ArchName } from '../../target.js';

export function tapiArch(arch: ArchName): string {
  switch (arch) {
    case 'amd64':
      return 'x86_64';
    case 'arm64':
      return 'arm64';
    case '386':
      return 'i386';
  }
}

export interface TbdOptions {
  arch: ArchName;
  installName: string;
  /** Mach-O names (`_write`) the library exports. */
  symbols: readonly string[];
  currentVersion?: string;
}

/** A YAML flow-sequence item: quoted when it holds characters YAML would read otherwise. */
function yamlScalar(s: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$.]*$/.test(s) ? s : `'${s.replace(/'/g, "''")}'`;
}

export function writeTbd(o: TbdOptions): string {
  const target = `${tapiArch(o.arch)}-macos`;
  const syms = [...new Set([...o.symbols, 'dyld_stub_binder'])].sort();
  const lines = [
    '--- !tapi-tbd',
    'tbd-version:     4',
    `targets:         [ ${target} ]`,
    `install-name:    ${yamlScalar(o.installName)}`,
    `current-version: ${o.currentVersion ?? '1311'}`,
    'compatibility-version: 1',
    'exports:',
    `  - targets:         [ ${target} ]`,
    `    symbols:         [ ${syms.map(yamlScalar).join(', ')} ]`,
    '...',
    '',
  ];
  return lines.join('\n');
}
