// Binary search over entries in ascending order of a key: the object readers
// find the symbol a relocation's offset falls in this way, since a large
// section has thousands of symbols and tens of thousands of relocations.

/** The last of n entries whose key is at most x (keys ascending), or 0 when none is. */
export function lastAtOrBefore(n: number, keyAt: (i: number) => number, x: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (keyAt(mid) <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
