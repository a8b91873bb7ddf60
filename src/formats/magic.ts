// Which object file format a file is in, by its magic number: ELF or Mach-O
// (either byte width), or neither. The readers dispatch on it; the CLI names
// what a binary file given as a source is with it.

export function objectFormat(bytes: Uint8Array): 'elf' | 'macho' | undefined {
  if (bytes.length < 4) return undefined;
  if (bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return 'elf';
  const magic = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return magic === 0xfeedfacf || magic === 0xfeedface ? 'macho' : undefined;
}
