// Damaged copies of a file for the readers' robustness tests: each has one
// to four random 4-byte words overwritten, half of them in its first `head`
// bytes (the headers), from a fixed seed, so a failure replays.

export function* mutatedCopies(base: Uint8Array, seed: number, count: number, head: number): Generator<Uint8Array> {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < count; i++) {
    const b = base.slice();
    for (let k = 0; k < 1 + Math.floor(next() * 4); k++) {
      const at = next() < 0.5 ? Math.floor(next() * head) : Math.floor(next() * b.length);
      const v = Math.floor(next() * 0xffffffff);
      for (let j = 0; j < 4 && at + j < b.length; j++) b[at + j] = (v >>> (8 * j)) & 0xff;
    }
    yield b;
  }
}
