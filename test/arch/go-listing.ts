// Reads `go tool asm -S`'s listing: per function, its bytes, whether Go left
// out the stack-split check, its relocations and its instructions' lines —
// the oracle every differential test against Go's assembler reads.

/**
 * Go's objabi.RelocType numbers (Go 1.19, reloctype_string.go) for the types
 * asmlink's backends produce, by the names asmlink gives them: arm64's
 * local-exec TLS (Go's R_ARM64_TLS_LE, 33) is R_TLS_LE there, as on x86.
 */
const GO_RELOC: Record<number, string> = { 1: 'R_ADDR', 3: 'R_ADDRARM64', 7: 'R_CALL', 9: 'R_CALLARM64', 10: 'R_CALLIND', 14: 'R_PCREL', 15: 'R_TLS_LE', 16: 'R_TLS_IE', 17: 'R_GOTOFF', 29: 'R_GOTPCREL', 33: 'R_TLS_LE', 35: 'R_ARM64_GOTPCREL' };

export interface GoReloc {
  off: number;
  size: number;
  /** asmlink's name for Go's type (GO_RELOC), or t=N for another. */
  type: string;
  sym: string;
  add: number;
}

export interface GoFunc {
  name: string;
  /** The function's bytes in hex. */
  hex: string;
  /** Whether Go left out the stack-split check. */
  nosplit: boolean;
  relocs: GoReloc[];
  /** Per instruction: source line and offset, in order. */
  insts: { line: number; offset: number }[];
}

/** A relocation as one comparable line: "offset+size type symbol+addend". */
export function relocLine(r: GoReloc): string {
  return `${r.off}+${r.size} ${r.type} ${r.sym}+${r.add}`;
}

/** An asmlink relocation's line as Go's listing would write it: a file-local symbol without its <>. */
export function asmlinkRelocLine(r: GoReloc): string {
  return relocLine({ ...r, sym: r.sym.replace(/<>$/, '') });
}

/**
 * The functions of a listing by asmlink's names for them: Go 1.19 writes a
 * package's own names as "".name (the package is `pkg`), a file-local
 * function as "static" without the <> asmlink keeps, and the thread-local
 * base as TLS (asmlink's runtime.tlsg).
 */
export function parseGoListing(out: string, pkg = 'main'): Map<string, GoFunc> {
  const qualify = (name: string): string => (name.startsWith('"".') ? `${pkg}.${name.slice(3)}` : name);
  const funcs = new Map<string, GoFunc>();
  let cur: GoFunc | null = null;
  let size = 0;
  for (const line of out.split('\n')) {
    const head = /^(\S+) STEXT.* size=(\d+)/.exec(line);
    if (head) {
      const name = qualify(head[1]!) + (/ STEXT static /.test(line) ? '<>' : '');
      cur = { name, hex: '', nosplit: / nosplit /.test(line), relocs: [], insts: [] };
      size = Number(head[2]);
      funcs.set(name, cur);
      continue;
    }
    if (/^\S/.test(line)) {
      cur = null;
      continue;
    }
    if (!cur) continue;
    const inst = /^\t0x[0-9a-f]+ (\d+) \([^:]*:(\d+)\)\t(\S+)/.exec(line);
    if (inst) {
      const op = inst[3];
      if (op !== 'TEXT' && op !== 'FUNCDATA' && op !== 'PCDATA') cur.insts.push({ line: Number(inst[2]), offset: Number(inst[1]) });
      continue;
    }
    // The dump's last line may run past the function's size (alignment padding).
    const dump = /^\t0x([0-9a-f]{4,}) ((?:[0-9a-f]{2} ){1,16})/.exec(line);
    if (dump) {
      const bytes = dump[2]!.replace(/ /g, '');
      cur.hex += bytes.slice(0, 2 * Math.max(0, size - parseInt(dump[1]!, 16)));
      continue;
    }
    const rel = /^\trel (\d+)\+(\d+) t=(\d+) (\S*?)\+(-?\d+)$/.exec(line);
    if (rel) cur.relocs.push({ off: Number(rel[1]), size: Number(rel[2]), type: GO_RELOC[Number(rel[3])] ?? `t=${rel[3]}`, sym: rel[4] === 'TLS' ? 'runtime.tlsg' : qualify(rel[4]!), add: Number(rel[5]) });
  }
  return funcs;
}
