// The writers of one target's format, loaded on demand: a command that links
// for Linux does not load (parse and compile) the Mach-O writers, nor the
// object writer unless it links externally. Start-up time is part of every
// link. Keep in step with writers.ts, which loads them all for the API.

import type { Target } from '../target.js';
import type { FormatWriters, LinkMode } from './program.js';

export async function loadWriters(t: Target, mode: LinkMode): Promise<FormatWriters> {
  if (t.os === 'linux') {
    if (mode === 'external') return { exec: null, object: (await import('../formats/elf/write-object.js')).writeElfObject };
    return { exec: (await import('../formats/elf/write-exec.js')).elfExecWriter, object: null };
  }
  if (t.os === 'darwin') {
    if (mode === 'external') {
      const { writeMachOObject } = await import('../formats/macho/object.js');
      // Only the system linker reads it: no link index, which is for asmlink's own reader.
      return { exec: null, object: (obj) => writeMachOObject(obj, { linkIndex: false }) };
    }
    return { exec: (await import('./macho-exec.js')).machoExecWriter, object: null };
  }
  return { exec: null, object: null };
}
