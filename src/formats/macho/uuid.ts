// LC_UUID derived from the file's contents, so that the same input always
// gives the same UUID (deterministic builds) and different programs differ.

import { sha256 } from '../sha256.js';

/** A name-based UUID (RFC 4122 layout: version 3 bits, variant 10) from a hash of `bytes`. */
export function contentUuid(bytes: Uint8Array): Uint8Array {
  const u = sha256(bytes).slice(0, 16);
  u[6] = (u[6]! & 0x0f) | 0x30;
  u[8] = (u[8]! & 0x3f) | 0x80;
  return u;
}
