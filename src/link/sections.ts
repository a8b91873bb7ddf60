// Format-neutral section building: live symbols grouped by kind (text,
// rodata, data, bss, tls), each placed at its alignment, and the contents of
// the sections that have any, ready to be relocated in place.

import type { SymKind } from '../obj/symbol.js';
import { DiagnosticError } from '../diag.js';
import type { LSym, OutSection, SectionKind } from './program.js';

/**
 * The largest section with file contents. Beyond it a program cannot address
 * its own data with 32-bit pc-relative references, and the contents would not
 * fit in one typed array; zero-filled bss is not limited here.
 */
export const MAX_SECTION_SIZE = 0x7fffffff;

const SECTION_OF: Record<SymKind, SectionKind | null> = {
  text: 'text',
  rodata: 'rodata',
  data: 'data',
  noptrdata: 'data',
  bss: 'bss',
  noptrbss: 'bss',
  tls: 'tls',
  preinit_array: 'preinit_array',
  init_array: 'init_array',
  fini_array: 'fini_array',
  eh_frame: 'eh_frame',
  tlv: 'tlv',
  unwind: 'unwind',
  dynimport: null,
  undef: null,
};

/** The kinds of section that may have file contents. */
const FILLED = ['text', 'rodata', 'data', 'tls', 'preinit_array', 'init_array', 'fini_array', 'eh_frame', 'tlv'] as const;

/**
 * Groups the live symbols into sections and places each at its alignment.
 * Contents come later (fillSections), once the format has said where it
 * wants them: a large program's text is then copied once, into the file.
 */
export function planSections(live: LSym[], compiled: (s: LSym) => boolean = () => false): Record<SectionKind, OutSection> {
  const mk = (kind: SectionKind): OutSection => ({ kind, syms: [], size: 0, align: 1, filled: kind !== 'bss' && kind !== 'tls', fileSize: 0, data: null, addr: 0 });
  const secs: Record<SectionKind, OutSection> = {
    text: mk('text'),
    rodata: mk('rodata'),
    data: mk('data'),
    bss: mk('bss'),
    tls: mk('tls'),
    preinit_array: mk('preinit_array'),
    init_array: mk('init_array'),
    fini_array: mk('fini_array'),
    eh_frame: mk('eh_frame'),
    tlv: mk('tlv'),
    unwind: mk('unwind'),
  };
  function place(s: LSym, k: SectionKind): void {
    const o = secs[k];
    const a = pow2(s.align);
    o.size = Math.ceil(o.size / a) * a;
    s.off = o.size;
    s.section = o;
    o.syms.push(s);
    o.size += Math.max(s.size, s.dataLen);
    if (a > o.align) o.align = a;
    if (k === 'tls' && hasContents(s)) {
      o.filled = true;
      o.fileSize = o.size;
    }
  }
  // Thread-locals of compiled objects go after asmlink's own: Go's arm64
  // code reaches its TLS with a 16-bit offset (MOVZ), a compiler's with 32.
  // Of theirs, those without contents go last: a C program's large
  // zero-filled arrays then take no file space (the executable's template
  // ends where the contents do; the loader zero-fills the rest).
  const laterTls: LSym[] = [];
  const zeroTls: LSym[] = [];
  // An empty one (an alias before its variable, as glibc's __libc_resp before
  // __resp) goes where the next of its object goes, so that it keeps that
  // address; the last of an object's goes where the one before it went.
  const pending: LSym[] = [];
  let lastList = zeroTls;
  const settle = (list: LSym[]): void => {
    list.push(...pending);
    pending.length = 0;
    lastList = list;
  };
  // Indexed, as the linker's other loops over every live symbol: each runs
  // once, mostly before V8 optimizes it, and for-of would allocate an
  // iterator result per element until then (20 MB at 60 k functions).
  for (let i = 0; i < live.length; i++) {
    const s = live[i];
    let k = SECTION_OF[s.kind];
    if (k === null) continue;
    // GLOBL with RODATA on a data symbol.
    if (s.flags.rodata && (k === 'data' || k === 'bss')) k = 'rodata';
    if (k === 'tls' && compiled(s)) {
      if (pending.length && pending[0].obj !== s.obj) settle(lastList);
      if (s.size === 0 && s.dataLen === 0 && s.rn === 0) pending.push(s);
      else {
        settle(hasContents(s) ? laterTls : zeroTls);
        lastList.push(s);
      }
    } else place(s, k);
  }
  settle(lastList);
  for (const s of laterTls) place(s, 'tls');
  for (const s of zeroTls) place(s, 'tls');
  for (const k of FILLED) {
    const o = secs[k];
    if (o.filled && k !== 'tls') o.fileSize = o.size;
    if (o.fileSize > MAX_SECTION_SIZE) {
      // Many large GLOBLs (RODATA, or TLS with contents) are a user error, not an allocation failure.
      const big = o.syms.reduce((m, x) => (Math.max(x.size, x.dataLen) > Math.max(m.size, m.dataLen) ? x : m));
      throw new DiagnosticError([{ file: big.file, line: big.line, col: 0, message: `${k} section of ${o.fileSize} bytes is larger than ${MAX_SECTION_SIZE} bytes (the largest symbol is ${big.name}, ${Math.max(big.size, big.dataLen)} bytes)` }]);
    }
  }
  return secs;
}

/**
 * Copies the symbols' contents into each section that has any: into the
 * buffer `bufferFor` gives (a view of the output file), else a new one.
 * Text is padded with the fill byte between functions, but a symbol's own
 * declared size beyond its code stays zero.
 */
export function fillSections(secs: Record<SectionKind, OutSection>, textFill: number, bufferFor: (kind: SectionKind) => Uint8Array | null): void {
  for (const k of FILLED) {
    const o = secs[k];
    if (!o.filled) continue;
    const given = bufferFor(k);
    if (given !== null && given.length !== o.fileSize) throw new Error(`internal: ${k} buffer of ${given.length} bytes for ${o.fileSize}`);
    const data = given ?? new Uint8Array(o.fileSize);
    const fill = k === 'text' ? textFill : 0;
    let end = 0;
    const syms = o.syms;
    for (let i = 0; i < syms.length; i++) {
      const s = syms[i];
      // Past fileSize every thread-local is zero, with no relocation.
      if (k === 'tls' && s.off >= o.fileSize) break;
      if (fill && s.off > end) data.fill(fill, end, s.off);
      s.copyData(data, s.off);
      end = s.off + Math.max(s.size, s.dataLen);
    }
    // A given buffer may be reused memory: what no symbol covers is set here.
    if (given !== null && end < o.fileSize) data.fill(0, end);
    o.data = data;
  }
}

/** Whether a thread-local has contents: a non-zero byte or a relocation. */
function hasContents(s: LSym): boolean {
  if (s.rn > 0) return true;
  const d = s.data;
  for (let i = 0; i < d.length; i++) if (d[i]) return true;
  return false;
}

/** Alignments are powers of two in every format; round anything else up. */
export function pow2(align: number): number {
  let a = 1;
  while (a < align && a < 0x10000) a *= 2;
  return a;
}
