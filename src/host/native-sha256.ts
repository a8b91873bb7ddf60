// node:crypto's SHA-256 (OpenSSL) for the Mach-O writer's UUID and code
// signature, in place of the portable TypeScript one the core carries for
// browsers: ~1.5 GB/s against ~130 MB/s here, so a 60,000-function darwin
// program (~9 MB, hashed whole for its UUID, then page by page for its
// signature) spends ~15 ms hashing instead of ~130. In a command that has
// not hashed before, the portable one runs unoptimized (~6 MB/s measured on
// the first 100 KB), and loading node:crypto takes ~3 ms here: so it is
// loaded when a hash of 32 KiB or more is asked for (the whole-file UUID
// comes first), and used for every hash after that. Measured (session 11,
// the write phase of examples/threads.s): darwin/arm64, 36 KB signed,
// 11 -> 8 ms; darwin/amd64, 15 KB, the same either way.

import { sha256Portable, useSha256 } from '../formats/macho/sha256.js';
import { nodeCrypto } from './node-builtins.js';

const LARGE = 32 << 10;

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
