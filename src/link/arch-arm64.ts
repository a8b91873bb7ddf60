// arm64 (AAELF64): not linked yet. The pieces it will need: ADRP page
// arithmetic (±4 GiB) with ADD/LDR low-12 fixups, 26-bit BL (±128 MiB), PLT
// entries `adrp x16, slot; ldr x17, [x16, lo12]; add x16, x16, lo12; br x17`,
// TLS variant 1 (TP + 16 + offset), and 64 KiB segment alignment.

import type { ArchHooks } from './arch.js';

export const arm64Hooks: ArchHooks = {
  arch: 'arm64',
  ptrSize: 8,
  planImport: () => 'linking for arm64 is not supported yet',
  apply: () => 'linking for arm64 is not supported yet',
  elf: null,
  unsupported: 'linking for arm64 is not supported yet (objects can be written with asmlink asm)',
};
