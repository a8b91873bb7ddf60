// The default entry symbol, apart from the assembler so that linking prebuilt
// objects does not load it.

import type { Target } from '../target.js';

/** The default entry symbol: the runtime's rt0 for internal linux links, C `main` where a C start-up calls it. */
export function defaultEntry(t: Target, linkmode: 'internal' | 'external'): string {
  if (t.os === 'linux' && linkmode === 'internal') return `_rt0_${t.arch}_linux`;
  return 'main';
}
