// Go's own arm64 assembly — runtime, atomics, internal/bytealg, crypto (AES,
// GCM, SHA-1, SHA-256, SHA-512, MD5), math — assembled by asmlink and by
// `go tool asm`, compared function by function (test/arch/go-source.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareGoSources } from '../go-source.js';
import { findGo, goRoot } from '../x86/goasm.js';

const FILES: [string, string][] = [
  ['runtime/memmove_arm64.s', 'runtime'],
  ['runtime/memclr_arm64.s', 'runtime'],
  ['runtime/duff_arm64.s', 'runtime'],
  ['runtime/tls_arm64.s', 'runtime'],
  ['runtime/rt0_linux_arm64.s', 'runtime'],
  ['runtime/internal/atomic/atomic_arm64.s', 'runtime/internal/atomic'],
  ['internal/bytealg/compare_arm64.s', 'internal/bytealg'],
  ['internal/bytealg/count_arm64.s', 'internal/bytealg'],
  ['internal/bytealg/equal_arm64.s', 'internal/bytealg'],
  ['internal/bytealg/index_arm64.s', 'internal/bytealg'],
  ['internal/bytealg/indexbyte_arm64.s', 'internal/bytealg'],
  ['crypto/aes/asm_arm64.s', 'crypto/aes'],
  ['crypto/aes/gcm_arm64.s', 'crypto/aes'],
  ['crypto/cipher/xor_arm64.s', 'crypto/cipher'],
  ['crypto/md5/md5block_arm64.s', 'crypto/md5'],
  ['crypto/sha1/sha1block_arm64.s', 'crypto/sha1'],
  ['crypto/sha256/sha256block_arm64.s', 'crypto/sha256'],
  ['crypto/sha512/sha512block_arm64.s', 'crypto/sha512'],
  ['math/exp_arm64.s', 'math'],
  ['math/dim_arm64.s', 'math'],
  ['math/modf_arm64.s', 'math'],
  ['syscall/asm_linux_arm64.s', 'syscall'],
];

test("arm64: Go's own assembly encodes as go tool asm does", (t) => {
  const go = findGo();
  const root = goRoot();
  if (!go || !root) return t.skip('needs go (Debian package golang-go) and its sources');
  const r = compareGoSources(go, root, FILES, 'arm64');
  t.diagnostic(`${r.same}/${r.total} functions identical to go tool asm`);
  assert.deepEqual(r.notes, []);
  assert.deepEqual(r.diffs, []);
  assert.ok(r.total >= 75, `only ${r.total} functions compared`);
});
