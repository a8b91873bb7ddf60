// node:crypto's SHA-256 (OpenSSL) for the Mach-O writer's UUID and code
// signature, in place of the portable TypeScript one the core carries for
// browsers: ~1.5 GB/s against ~130 MB/s once V8 has optimized the portable
// one, so a 60,000-function darwin program (~9 MB, hashed whole for its UUID,
// then page by page for its signature) spends ~15 ms hashing instead of
// ~130. In a command that has not hashed before, the portable one also runs
// unoptimized at first: measured (session 11) on examples/threads.s for
// darwin/amd64, a 15 KB file, its UUID took ~8 ms that way against ~4 for
// loading node:crypto (~3 ms) and hashing with it. So node:crypto is loaded
// at the first hash a command asks for (commands that hash nothing never
// load it), and used for every hash.

import { useSha256 } from '../formats/sha256.js';
import { nodeCrypto } from './node-builtins.js';

export function installNativeSha256(): void {
  let createHash: typeof import('node:crypto').createHash | undefined;
  useSha256((data) => {
    createHash ??= nodeCrypto().createHash;
    return new Uint8Array(createHash('sha256').update(data).digest());
  });
}
