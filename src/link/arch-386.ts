// 386 (i386 System V psABI): not linked yet. The pieces it will need: a
// non-PIC PLT whose entries jump through absolute .got.plt addresses
// (`ff 25 <abs32>`), R_386_JMP_SLOT/R_386_GLOB_DAT, TLS variant 2 through %gs,
// ET_EXEC at 0x8048000, loader /lib/ld-linux.so.2.

import type { ArchHooks } from './arch.js';

export const i386Hooks: ArchHooks = {
  arch: '386',
  ptrSize: 4,
  planImport: () => 'linking for 386 is not supported yet',
  apply: () => 'linking for 386 is not supported yet',
  elf: null,
  unsupported: 'linking for linux/386 is not supported yet (objects can be written with asmlink asm)',
};
