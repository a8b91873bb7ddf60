// Dynamic-import planning, the internal-link half of Go's adddynrel: each
// relocation whose target is an import is routed by the architecture hook
// through a PLT entry (calls), a GOT slot (address loads), or a dynamic
// relocation (an import's address stored in data). R_GOTPCREL to a defined
// symbol also gets a GOT slot, filled at link time, unless the instruction
// can be relaxed to reach the symbol itself (ELF). In external mode the same
// decisions are recorded but no PLT/GOT is built: the host linker does that
// from the relocation types external.ts writes.

import type { DiagnosticSink } from '../diag.js';
import { RELOC_TYPE_INDEX } from '../obj/reloc-table.js';
import { HOW_DIRECT, HOW_DYN, HOW_GOT, HOW_PLT, HOW_SKIP, isImport, relocPos, type CopyEntry, type GotEntry, type DynReloc, type Import, type LinkMode, type LSym, type RelocCols } from './program.js';
import type { ArchHooks } from './arch.js';
import { relocAt, scratchReloc } from './reloc-cols.js';
import { copyFacts, type CopyFacts } from './copy-data.js';
import { importRef } from './resolve.js';
import { UNWIND_PERSONALITY, UNWIND_RECORD } from './macho-unwind.js';

export interface DynPlan {
  plt: Import[];
  got: GotEntry[];
  copies: CopyEntry[];
  dynRelocs: DynReloc[];
}

const CALLIND = RELOC_TYPE_INDEX.R_CALLIND;
const GOTPCREL = RELOC_TYPE_INDEX.R_GOTPCREL;
const ARM64_GOTPCREL = RELOC_TYPE_INDEX.R_ARM64_GOTPCREL;
const ARM64_GOTPAGE = RELOC_TYPE_INDEX.R_ARM64_GOTPAGE;
const ARM64_GOTPAGEOFF = RELOC_TYPE_INDEX.R_ARM64_GOTPAGEOFF;
const ARM64_GOTPAGE_LO15 = RELOC_TYPE_INDEX.R_ARM64_GOTPAGE_LO15;
const GOT = RELOC_TYPE_INDEX.R_GOT;
const R_ADDR = RELOC_TYPE_INDEX.R_ADDR;
const TLS_LE = RELOC_TYPE_INDEX.R_TLS_LE;

/**
 * `copies`, where the format has copy relocations (ELF): the references to
 * imports (deadcode's importRefs, definition number and entry pairs) and the
 * LSym of a definition number. An import whose data some instruction reads
 * in place gets a copy in the executable (internally, when its size is
 * known: copy-data.ts; externally the system linker makes it, and the
 * references stay as they are).
 */
export function planDynamic(
  live: LSym[],
  cols: RelocCols,
  hooks: ArchHooks,
  mode: LinkMode,
  diag: DiagnosticSink,
  copies?: { refs: readonly number[]; sym: (g: number) => LSym; library?: (imp: Import) => CopyFacts | undefined; isFunction?: (imp: Import) => boolean },
  ifuncOf: Int32Array | null = null,
  relaxGot = false,
): DynPlan {
  const plt: Import[] = [];
  const got: GotEntry[] = [];
  /** Gives t a GOT slot, the first time it needs one. */
  const slot = (t: LSym | Import): void => {
    if (t.got >= 0) return;
    t.got = got.length;
    got.push(isImport(t) ? { imp: t } : { sym: t });
  };
  const copied: CopyEntry[] = [];
  const dynRelocs: DynReloc[] = [];
  const hows = cols.how;
  const { ref, defs, imports } = cols;
  const r = scratchReloc();
  if (copies) {
    // One decision per import, before any reference is routed: an ADRP apart
    // from the LDR that completes it goes to the copy's page too. Only the
    // references to imports are visited, as the reachability walk listed
    // them (a second pass over every relocation costs a large link ~20 ms).
    const { refs, sym } = copies;
    for (let q = 0; q < refs.length; q += 2) {
      const s = sym(refs[q]);
      const i = refs[q + 1] - s.ri;
      const t = imports[-2 - ref[s.r0 + i]];
      if (t.copy >= 0 || t.pltAddress) continue;
      relocAt(s, i, r);
      const inPlace = hooks.inPlace(s, r);
      if (inPlace === null) continue;
      // One variable, one copy: another import of it (the same name, or
      // another of its names: __progname and program_invocation_short_name)
      // shares the copy, and is no longer exported as an alias of it.
      const same = copied.findIndex((c) => c.imp.library === t.library && (c.imp.remote === t.remote || c.aliases.includes(t.remote)));
      if (same >= 0) {
        t.copy = same;
        copied[same] = { ...copied[same], aliases: copied[same].aliases.filter((a) => a !== t.remote) };
        continue;
      }
      // Known C library variables, else what a library given to the link (-l)
      // says of it: only data has a size there, so a function whose address
      // the code makes gets no copy. The system linker knows what is data: it
      // makes the copy where a reference needs one (one that reads it, or
      // adds an offset to its address, which no GOT slot holds).
      const facts =
        mode === 'external' ? (inPlace === 'reads' || r.add !== 0 ? { size: 0, aliases: [] } : undefined) : (copyFacts(t.remote, hooks.ptrSize) ?? copies.library?.(t));
      if (facts === undefined) {
        // A library function whose address the code or data makes: its PLT entry stands for it (planImport).
        if (inPlace === 'address' && copies.isFunction?.(t)) t.pltAddress = true;
        continue; // planImport says why, or reaches it otherwise
      }
      t.copy = copied.length;
      copied.push({ imp: t, ...facts });
    }
  }
  for (let i = 0; i < live.length; i++) {
    const s = live[i];
    const size = Math.max(s.size, s.dataLen);
    const zeroFilled = s.kind === 'bss' || s.kind === 'noptrbss' || (s.kind === 'tls' && s.dataLen === 0);
    // Most relocations reach a defined symbol and need only their columns
    // read: the scratch Reloc is filled for imports and diagnostics.
    const { rt, ri, rn, r0 } = s;
    const unwindRecords = s.kind === 'unwind' && mode === 'internal';
    for (let i = 0; i < rn; i++) {
      const k = r0 + i;
      let v = ref[k];
      if (v === -1) continue;
      // A reference to an indirect function goes to the import that stands
      // for it (resolve.ts), internally (the system linker knows them); a
      // frame description's means the resolver's code.
      if (v >= 0 && ifuncOf !== null && ifuncOf[v] >= 0 && mode === 'internal' && s.kind !== 'eh_frame') v = ref[k] = importRef(ifuncOf[v]);
      const j = ri + i;
      const type = rt.type[j];
      if (type === CALLIND) {
        hows[k] = HOW_SKIP;
        continue;
      }
      const off = rt.off[j];
      const n = rt.size[j];
      // Objects from the API or a foreign reader may be inconsistent: never patch outside the symbol.
      if (zeroFilled || !(off >= 0 && off + n <= size && n > 0)) {
        relocAt(s, i, r);
        diag.error(relocPos(s, r), `${s.name}+0x${off.toString(16)}: relocation of ${n} bytes outside the contents of ${s.name} (${zeroFilled ? 'zero-filled' : `${size} bytes`})`);
        ref[k] = -1;
        continue;
      }
      // A compact unwind record (Mach-O, internal link) is read, not loaded:
      // its personality is named by a GOT slot (which __unwind_info lists),
      // its function and LSDA by their addresses (macho-unwind.ts).
      if (unwindRecords) {
        if (off % UNWIND_RECORD === UNWIND_PERSONALITY) {
          hows[k] = HOW_GOT;
          slot(v >= 0 ? defs[v]! : imports[-2 - v]);
        } else if (v < 0) {
          relocAt(s, i, r);
          diag.error(relocPos(s, r), `${s.name}+0x${off.toString(16)}: a compact unwind record's function or LSDA is imported ${imports[-2 - v].local}`);
        }
        continue;
      }
      if (v >= 0) {
        // The target's LSym is read only here: reading it for every entry costs a cache miss each in a large link.
        if (type === GOTPCREL || type === ARM64_GOTPCREL || type === ARM64_GOTPAGE || type === ARM64_GOTPAGEOFF || type === ARM64_GOTPAGE_LO15 || type === GOT) {
          const d = defs[v]!;
          // A weak undefined name's 0 is no address to make pc-relative (a PIE would slide it).
          if (relaxGot && mode === 'internal' && d.flags.undefinedWeak !== true && d.kind !== 'tls' && hooks.relaxGotLoad(s, relocAt(s, i, r))) continue;
          hows[k] = HOW_GOT;
          if (mode === 'internal') slot(d);
        }
        continue;
      }
      const t = imports[-2 - v];
      relocAt(s, i, r);
      const how = hooks.planImport(s, r, t, mode);
      if (typeof how === 'string') {
        diag.error(relocPos(s, r), `${s.name}+0x${r.off.toString(16)}: ${how}`);
        continue;
      }
      hows[k] = how;
      // A thread-local access to a library's variable, rewritten by the hook
      // to load its offset from a GOT slot (applied as R_TLS_IE: routedType).
      if (type === TLS_LE && how === HOW_GOT) t.tls = true;
      if (mode === 'external') continue;
      if (how === HOW_PLT && type === R_ADDR) t.canonicalPlt = true;
      if (how === HOW_PLT && t.plt < 0) {
        t.plt = plt.length;
        plt.push(t);
      } else if (how === HOW_GOT) {
        slot(t);
      } else if (how === HOW_DYN) {
        dynRelocs.push({ sym: s, off: r.off, size: r.size, imp: t, add: r.add });
      } else if (how === HOW_DIRECT) {
        diag.error(relocPos(s, r), `${s.name}+0x${r.off.toString(16)}: ${r.type} to imported ${t.local} cannot be linked directly`);
      }
    }
  }
  return { plt, got, copies: copied, dynRelocs };
}
