// Which object file format a file is in, by its magic number: ELF or Mach-O
// (either byte width), or neither. The readers dispatch on it; the CLI names
// what a binary file given as a source is with it.

import type { Target } from '../target.js';

export function objectFormat(bytes: Uint8Array): 'elf' | 'macho' | undefined {
  if (bytes.length < 4) return undefined;
  if (bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return 'elf';
  const magic = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return magic === 0xfeedfacf || magic === 0xfeedface ? 'macho' : undefined;
}

/**
 * The target an object's header names (ELF e_machine, Mach-O cputype), or
 * undefined for anything else: what an archive member that is not read yet
 * is for. The readers check the rest of the header.
 */
export function objectTarget(bytes: Uint8Array): Target | undefined {
  const format = objectFormat(bytes);
  if (format === undefined || bytes.length < 20) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  if (format === 'elf') {
    const arch = ({ 62: 'amd64', 3: '386', 183: 'arm64' } as const)[dv.getUint16(18, true)];
    return arch && { os: 'linux', arch };
  }
  const arch = ({ 0x01000007: 'amd64', 7: '386', 0x0100000c: 'arm64' } as const)[dv.getUint32(4, true)];
  return arch && { os: 'darwin', arch };
}
