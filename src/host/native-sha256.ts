// node:crypto's SHA-256 (OpenSSL) for the Mach-O writer's UUID and code
// signature, in place of the portable TypeScript one the core carries for
// browsers: ~1.5 GB/s against ~130 MB/s here, so a 60,000-function darwin
// program (~9 MB, hashed whole for its UUID, then page by page for its
// signature) spends ~15 ms hashing instead of ~130. Loading node:crypto costs
// more than hashing a small program takes, so it is loaded only when a hash
// of 1 MiB or more is asked for (the whole-file UUID comes first), and used
// for every hash after that.

import { sha256Portable, useSha256 } from '../formats/macho/sha256.js';
import { nodeCrypto } from './node-builtins.js';

const LARGE = 1 << 20;

export function installNativeSha256(): void {
  let native: ((data: Uint8Array) => Uint8Array) | undefined;
  useSha256((data) => {
    if (native === undefined && data.length >= LARGE) {
      const { createHash } = nodeCrypto();
      native = (d) => new Uint8Array(createHash('sha256').update(d).digest());
    }
    return native !== undefined ? native(data) : sha256Portable(data);
  });
}
