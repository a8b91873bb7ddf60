// External linking for darwin: the program is one MH_OBJECT whose calls into
// libSystem are still relocations (the seed's rule), and ld64.lld completes it
// against a .tbd stub that asmlink writes, listing exactly the program's
// imports. This file only computes the command line and the stub; running the
// linker and writing files is the host driver's business.

import type { Target } from '../target.js';
import { plainError } from '../diag.js';
import { libcName } from '../target.js';
import { writeTbd, tapiArch } from '../formats/macho/tbd.js';
import { machoUndefinedSymbols } from '../formats/macho/read-object.js';
import { SDK_VERSION, defaultMacosMin, formatMacosVersion, parseMacosVersion } from '../formats/macho/version.js';

export interface DarwinLinkArgsOptions {
  target: Target;
  /** Path of the object to link. */
  object: string;
  /** Path the linker writes. */
  output: string;
  /** Path where the caller stores the .tbd this module returns. */
  tbdPath: string;
  macosMin?: string;
  /** Entry symbol, without the Mach-O underscore (`main`). */
  entry: string;
  /** Ask ld64.lld for an ad-hoc signature (it signs arm64 by itself). */
  codesign?: boolean;
  /** LC_RPATH directories. */
  rpaths?: readonly string[];
}

/**
 * The arguments for ld64.lld (without the program name):
 * `-arch A -platform_version macos MIN SDK -e _ENTRY -o OUT OBJECT TBD`.
 */
export function darwinExternalLinkArgs(o: DarwinLinkArgsOptions): string[] {
  if (o.target.os !== 'darwin') throw new Error('darwinExternalLinkArgs: not a darwin target');
  if (o.target.arch === '386') {
    throw plainError('external linking for darwin/386 is not possible here: ld64.lld cannot link i386 Mach-O (use the internal linker)');
  }
  const min = o.macosMin ?? defaultMacosMin(o.target.arch);
  const v = parseMacosVersion(min, o.target.arch);
  if ('error' in v) throw plainError(v.error);
  const sdk = parseMacosVersion(SDK_VERSION, o.target.arch);
  const sdkVal = 'value' in sdk ? Math.max(sdk.value, v.value) : v.value;
  const args = ['-arch', tapiArch(o.target.arch), '-platform_version', 'macos', formatMacosVersion(v.value), formatMacosVersion(sdkVal)];
  if (o.codesign && o.target.arch === 'amd64') args.push('-adhoc_codesign');
  for (const p of o.rpaths ?? []) args.push('-rpath', p);
  args.push('-e', `_${o.entry}`, '-o', o.output, o.object, o.tbdPath);
  return args;
}

export interface DarwinExternalLinkRequest extends DarwinLinkArgsOptions {
  /** Libraries the program's imports name (only libSystem can be stubbed). */
  libraries: readonly string[];
  /** Mach-O names of the imported symbols (`_write`). */
  imports?: readonly string[];
  /** The object's bytes: its undefined symbols are the imports when `imports` is not given. */
  objectBytes?: Uint8Array;
}

/** The ld64.lld arguments and the libSystem .tbd to store at `tbdPath`. */
export function darwinExternalLink(req: DarwinExternalLinkRequest): { tbd: string; args: string[] } {
  const libSystem = libcName('darwin');
  const others = req.libraries.filter((l) => l !== '' && l !== libSystem);
  if (others.length > 0) {
    throw plainError(`external linking for darwin can only stub ${libSystem}; the program imports from ${others.join(', ')}`);
  }
  const symbols = req.imports ?? (req.objectBytes ? machoUndefinedSymbols(req.objectBytes) : []);
  const tbd = writeTbd({ arch: req.target.arch, installName: libSystem, symbols });
  return { tbd, args: darwinExternalLinkArgs(req) };
}
