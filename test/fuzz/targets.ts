// The functions under fuzz, wrapped so each takes one generated input and
// returns (or throws a DiagnosticError). Shared by the fixed-seed tests and the
// campaign.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { assemble, type AssembleOptions } from '../../src/asm/assemble.js';
import { predefinedMacros } from '../../src/build.js';
import { readElfObject } from '../../src/formats/elf/read-object.js';
import { readMachOObject } from '../../src/formats/macho/read-object.js';
import { readObject, writeObject } from '../../src/formats/objects.js';
import { link } from '../../src/link/link.js';
import type { ObjectFile } from '../../src/obj/symbol.js';
import type { Target } from '../../src/target.js';
import { repoRoot } from '../helpers.js';

const includeDir = path.join(repoRoot, 'runtime', 'include');
const fileCache = new Map<string, string | undefined>();

/** A reader that serves the runtime headers (cached) and `self.s`, the file including itself. */
function readerFor(source: string): (p: string) => string | undefined {
  return (p) => {
    if (p === 'self.s' || p.endsWith('/self.s')) return source;
    if (!fileCache.has(p)) {
      let text: string | undefined;
      try {
        text = fs.readFileSync(p, 'utf8');
      } catch {
        text = undefined;
      }
      fileCache.set(p, text);
    }
    return fileCache.get(p);
  };
}

/** The options assembleSource assembles source with. */
export function sourceOptions(source: string, target: Target, file = 'fuzz.s'): AssembleOptions {
  return { target, file, includeDirs: [includeDir], readFile: readerFor(source), defines: predefinedMacros(target) };
}

export function assembleSource(source: string, target: Target, file = 'fuzz.s'): ObjectFile {
  return assemble(source, sourceOptions(source, target, file));
}

export function readElf(bytes: Uint8Array): ObjectFile {
  return readElfObject(bytes, 'fuzz.o');
}

export function readMachO(bytes: Uint8Array): ObjectFile {
  return readMachOObject(bytes, 'fuzz.o');
}

/** A Mach-O object read from its tables, its link index (if any) left aside. */
export function readMachOTables(bytes: Uint8Array): ObjectFile {
  return readMachOObject(bytes, 'fuzz.o', { index: false });
}

/** The reader for a target's object format. */
export function readFor(os: 'linux' | 'darwin'): (bytes: Uint8Array) => ObjectFile {
  return os === 'darwin' ? readMachO : readElf;
}

export function readAny(bytes: Uint8Array): ObjectFile {
  return readObject(bytes, 'fuzz.o');
}

export { link, writeObject };
