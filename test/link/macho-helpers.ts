// Helpers for the darwin link tests: ld64.lld discovery and external linking.

import assert from 'node:assert/strict';
import { writeMachOObject } from '../../src/formats/macho/object.js';
import { darwinExternalLink } from '../../src/link/macho-external.js';
import type { ObjectFile } from '../../src/obj/symbol.js';
import { run, tmpPath, which, writeTmp } from '../formats/macho/tools.js';

export function ld64(): string | undefined {
  return which('ld64.lld', 'ld64.lld-14', 'ld64.lld-16');
}

/** Links an object for darwin with ld64.lld; returns the executable's path. */
export function linkExternally(obj: ObjectFile, name: string): string {
  const bytes = writeMachOObject(obj);
  const object = writeTmp(`${name}.o`, bytes);
  const output = tmpPath(name);
  const tbdPath = tmpPath(`${name}.tbd`);
  const { tbd, args } = darwinExternalLink({
    target: obj.target, object, output, tbdPath, entry: 'main', libraries: ['/usr/lib/libSystem.B.dylib'], objectBytes: bytes,
  });
  writeTmp(`${name}.tbd`, tbd);
  const r = run(ld64()!, args);
  assert.equal(r.status, 0, `ld64.lld ${args.join(' ')}\n${r.stderr}`);
  assert.equal(r.stderr, '', r.stderr);
  return output;
}


/** Links already-written object bytes for darwin with ld64.lld; returns the executable's path. */
export function ld64Link(target: ObjectFile['target'], bytes: Uint8Array, name: string, libraries: string[]): string {
  const object = writeTmp(`${name}.o`, bytes);
  const output = tmpPath(name);
  const tbdPath = tmpPath(`${name}.tbd`);
  const { tbd, args } = darwinExternalLink({ target, object, output, tbdPath, entry: 'main', libraries, objectBytes: bytes });
  writeTmp(`${name}.tbd`, tbd);
  const r = run(ld64()!, args);
  assert.equal(r.status, 0, `ld64.lld ${args.join(' ')}\n${r.stderr}`);
  assert.equal(r.stderr, '', r.stderr);
  return output;
}

/** A text stub of libSystem (tapi-tbd v4, x86_64 and arm64) exporting `symbols`: what ld64.lld links against here, without an SDK. */
export function libSystemTbd(symbols: readonly string[]): string {
  return `--- !tapi-tbd
tbd-version: 4
targets: [ x86_64-macos, arm64-macos ]
install-name: '/usr/lib/libSystem.B.dylib'
exports:
  - targets: [ x86_64-macos, arm64-macos ]
    symbols: [ ${symbols.join(', ')} ]
...
`;
}
