// Mach-O symbol stubs (__TEXT,__stubs): the code a call to a library
// function reaches. Each stub jumps through its own non-lazy pointer in
// __DATA_CONST,__got, which dyld binds at launch (no lazy binding, so no
// __stub_helper and no dyld_stub_binder). Per architecture:
//
// x86_64, 6 bytes:
//   ff 25 <rel32>          jmpq *slot(%rip)          rel32 = slot - (stub + 6)
// i386, 6 bytes (non-PIE, so the slot's absolute address):
//   ff 25 <abs32>          jmp *slot
// arm64, 12 bytes:
//   90000010 | page        adrp x16, slot@PAGE
//   f9400210 | lo12/8<<10  ldr  x16, [x16, slot@PAGEOFF]
//   d61f0200               br   x16

export interface MachOStubArch {
  size: number;
  /** log2 alignment of __stubs. */
  alignLog2: number;
  write(dv: DataView, at: number, stubAddr: number, slotAddr: number): void;
}

export const X86_64_STUB: MachOStubArch = {
  size: 6,
  alignLog2: 1,
  write(dv, at, stub, slot) {
    dv.setUint8(at, 0xff);
    dv.setUint8(at + 1, 0x25);
    dv.setInt32(at + 2, slot - (stub + 6), true);
  },
};

/** `adrp xd, target` at pc. */
export function adrp(rd: number, pc: number, target: number): number {
  const pages = Math.floor(target / 4096) - Math.floor(pc / 4096);
  const immlo = pages & 3;
  const immhi = (pages >> 2) & 0x7ffff;
  return (0x90000000 | (immlo << 29) | (immhi << 5) | rd) >>> 0;
}

export const ARM64_STUB: MachOStubArch = {
  size: 12,
  alignLog2: 2,
  write(dv, at, stub, slot) {
    dv.setUint32(at, adrp(16, stub, slot), true);
    const lo12 = slot % 4096;
    dv.setUint32(at + 4, (0xf9400210 | ((lo12 / 8) << 10)) >>> 0, true);
    dv.setUint32(at + 8, 0xd61f0200, true);
  },
};

export const I386_STUB: MachOStubArch = {
  size: 6,
  alignLog2: 1,
  write(dv, at, _stub, slot) {
    dv.setUint8(at, 0xff);
    dv.setUint8(at + 1, 0x25);
    dv.setUint32(at + 2, slot >>> 0, true);
  },
};
