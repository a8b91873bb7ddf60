// Dynamic-import planning, the internal-link half of Go's adddynrel: each
// relocation whose target is an import is routed by the architecture hook
// through a PLT entry (calls), a GOT slot (address loads), or a dynamic
// relocation (an import's address stored in data). R_GOTPCREL to a defined
// symbol also gets a GOT slot, filled at link time. In external mode the same
// decisions are recorded but no PLT/GOT is built: the host linker does that
// from the relocation types external.ts writes.

import type { DiagnosticSink } from '../diag.js';
import { HOW_DIRECT, HOW_DYN, HOW_GOT, HOW_PLT, HOW_SKIP, isImport, relocPos, type GotEntry, type DynReloc, type Import, type LinkMode, type LSym, type RelocCols } from './program.js';
import type { ArchHooks } from './arch.js';
import { relocAt, scratchReloc } from './reloc-cols.js';

export interface DynPlan {
  plt: Import[];
  got: GotEntry[];
  dynRelocs: DynReloc[];
}

export function planDynamic(live: LSym[], cols: RelocCols, hooks: ArchHooks, mode: LinkMode, diag: DiagnosticSink): DynPlan {
  const plt: Import[] = [];
  const got: GotEntry[] = [];
  const dynRelocs: DynReloc[] = [];
  const hows = cols.how;
  const { ref, defs, imports } = cols;
  const r = scratchReloc();
  for (const s of live) {
    const size = Math.max(s.size, s.dataLen);
    const zeroFilled = s.kind === 'bss' || s.kind === 'noptrbss' || (s.kind === 'tls' && s.dataLen === 0);
    for (let i = 0; i < s.rn; i++) {
      const k = s.r0 + i;
      const v = ref[k];
      const t = v >= 0 ? defs[v]! : v === -1 ? null : imports[-2 - v];
      if (t === null) continue;
      relocAt(s, i, r);
      // Objects from the API or a foreign reader may be inconsistent: never patch outside the symbol.
      if (r.type !== 'R_CALLIND' && (zeroFilled || !(r.off >= 0 && r.off + r.size <= size && r.size > 0))) {
        diag.error(relocPos(s, r), `${s.name}+0x${r.off.toString(16)}: relocation of ${r.size} bytes outside the contents of ${s.name} (${zeroFilled ? 'zero-filled' : `${size} bytes`})`);
        ref[k] = -1;
        continue;
      }
      if (r.type === 'R_CALLIND') {
        hows[k] = HOW_SKIP;
        continue;
      }
      if (!isImport(t)) {
        if (r.type === 'R_GOTPCREL' || r.type === 'R_ARM64_GOTPCREL') {
          hows[k] = HOW_GOT;
          if (mode === 'internal' && t.got < 0) {
            t.got = got.length;
            got.push({ sym: t });
          }
        }
        continue;
      }
      const how = hooks.planImport(s, r, t, mode);
      if (typeof how === 'string') {
        diag.error(relocPos(s, r), `${s.name}+0x${r.off.toString(16)}: ${how}`);
        continue;
      }
      hows[k] = how;
      if (mode === 'external') continue;
      if (how === HOW_PLT && t.plt < 0) {
        t.plt = plt.length;
        plt.push(t);
      } else if (how === HOW_GOT && t.got < 0) {
        t.got = got.length;
        got.push({ imp: t });
      } else if (how === HOW_DYN) {
        dynRelocs.push({ sym: s, off: r.off, size: r.size, imp: t, add: r.add });
      } else if (how === HOW_DIRECT) {
        diag.error(relocPos(s, r), `${s.name}+0x${r.off.toString(16)}: ${r.type} to imported ${t.local} cannot be linked directly`);
      }
    }
  }
  return { plt, got, dynRelocs };
}
