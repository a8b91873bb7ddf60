// The absolute addresses (R_ADDR) of a program whose image the loader slides
// (a position-independent executable: every Mach-O one on amd64 and arm64,
// an ELF one with --pie). Each pointer-sized one in data is slid, as a
// Mach-O rebase or an ELF RELATIVE relocation; one in code would need a text
// relocation, and one narrower than a pointer cannot be slid: the format
// writers say so. One in thread-local data is slid in the template, which
// the loaders (glibc's, musl's, dyld) copy for each thread only after
// relocating the image. An import's address in data is bound instead
// (Program.dynRelocs), and is not here.

import { RELOC_TYPE_INDEX } from '../obj/reloc-table.js';
import type { SourcePos } from '../diag.js';
import { HOW_COPY, HOW_DIRECT, HOW_PLT, isImport, relocPos, shownName, type Import, type LSym, type Program } from './program.js';
import { relocAt, scratchReloc } from './reloc-cols.js';

const R_ADDR = RELOC_TYPE_INDEX.R_ADDR;

/** Why an absolute address cannot be slid. */
export type Unslidable = 'code' | 'narrow';

/**
 * Calls `slide` for each absolute address the loader is to slide (at
 * `place`+`off`: the target's address, or with viaPlt its PLT entry's or
 * stub's, plus `add`), with plain arguments: a large program has one per
 * function pointer in its data. Calls `refuse` for each that cannot be
 * slid, with where it is (`sym+0xoff`) and the target's name.
 */
export function scanAbsoluteAddresses(
  prog: Program,
  ptr: number,
  slide: (place: LSym, off: number, target: LSym | Import, viaPlt: boolean, add: number) => void,
  refuse: (why: Unslidable, pos: SourcePos, where: string, name: string, size: number, compiled: boolean) => void,
): void {
  const cols = prog.relocs;
  const hows = cols.how;
  const scratch = scratchReloc();
  for (const sec of Object.values(prog.sections)) {
    // Compact unwind records are read at link time, never loaded (macho-unwind.ts).
    if (sec.kind === 'unwind') continue;
    // Indexed: a for-of loop makes an iterator result per symbol until V8 optimizes it.
    for (let q = 0; q < sec.syms.length; q++) {
      const s = sec.syms[q]!;
      const { rt, ri, r0 } = s;
      const types = rt.type;
      for (let i = 0, rn = s.rn; i < rn; i++) {
        // Only absolute addresses are slid (most relocations are calls).
        if (types[ri + i] !== R_ADDR) continue;
        const how = hows[r0 + i];
        if (how !== HOW_DIRECT && how !== HOW_PLT && how !== HOW_COPY) continue;
        const t = cols.target(r0 + i);
        // A weak reference to nothing is 0 wherever the image is loaded (weak-undefined.ts).
        if (t === null || (how === HOW_DIRECT && isImport(t)) || (!isImport(t) && t.flags.undefinedWeak === true)) continue;
        const size = rt.size[ri + i];
        const why: Unslidable | null = sec.kind === 'text' ? 'code' : size !== ptr ? 'narrow' : null;
        if (why === null) {
          // A library variable's copy is reached by address from code only (ArchHooks.inPlace): never a pointer here.
          if (how !== HOW_COPY) slide(s, rt.off[ri + i], t, how === HOW_PLT, rt.add[ri + i]);
          continue;
        }
        const r = relocAt(s, i, scratch);
        refuse(why, relocPos(s, r), `${shownName(prog, s)}+0x${r.off.toString(16)}`, isImport(t) ? t.local : shownName(prog, t), r.size, prog.objects[s.obj]?.indivisible === true);
      }
    }
  }
}
