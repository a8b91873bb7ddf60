// The writers of each object format: executables (internal link mode) and
// relocatable objects (external link mode), all loaded, for the API. A new
// format adds one import and one line in each function here, and its case in
// load-writers.ts (which the command line uses to load only the target's).

import type { ObjectFile } from '../obj/symbol.js';
import type { Target } from '../target.js';
import type { ExecWriter } from './program.js';
import { elfExecWriter } from '../formats/elf/write-exec.js';
import { writeElfObject } from '../formats/elf/write-object.js';
import { writeMachOObject } from '../formats/macho/object.js';
import { machoExecWriter } from './macho-exec.js';

export function execWriterFor(t: Target): ExecWriter | null {
  if (t.os === 'linux') return elfExecWriter;
  if (t.os === 'darwin') return machoExecWriter;
  return null;
}

export function objectWriterFor(t: Target): ((obj: ObjectFile) => Uint8Array) | null {
  if (t.os === 'linux') return writeElfObject;
  if (t.os === 'darwin') return (obj) => writeMachOObject(obj, { linkIndex: false }); // for the system linker: no link index (see load-writers.ts)
  return null;
}
