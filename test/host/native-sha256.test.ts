// The CLI hashes Mach-O outputs with node:crypto's SHA-256 instead of
// the core's TypeScript one: the digests must be the same, or outputs would
// differ by where they were linked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sha256, sha256Portable, useSha256 } from '../../src/formats/sha256.js';
import { installNativeSha256 } from '../../src/host/native-sha256.js';

test("node:crypto's SHA-256, as the CLI installs it, gives the portable one's digests", () => {
  const big = new Uint8Array((1 << 20) + 77);
  for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
  const pages = [0, 1, 55, 56, 63, 64, 4096].map((n) => big.subarray(3, 3 + n));
  const expect = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
  installNativeSha256();
  try {
    // Small inputs, a large one, small ones again.
    for (const p of pages) assert.deepEqual(sha256(p), expect(p));
    assert.deepEqual(sha256(big), expect(big));
    assert.deepEqual(sha256Portable(big), expect(big));
    for (const p of pages) assert.deepEqual(sha256(p), expect(p));
  } finally {
    useSha256();
  }
  assert.deepEqual(sha256(pages[3]!), expect(pages[3]!));
});
