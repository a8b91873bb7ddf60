// Listings of an assembled object: `-S` for people (in the spirit of
// `go tool asm -S`) and `--json` for tools. The JSON shape is a stable
// interface: {"symbols":[{"name","kind","size","bytes","relocs":[{"off","size",
// "type","sym","add"}],"insts":[{"line","offset","hex"}]}]}.

import type { ObjectFile, Symbol } from '../obj/symbol.js';

export function toHex(bytes: Uint8Array, from = 0, to = bytes.length): string {
  let s = '';
  for (let i = from; i < to; i++) s += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return s;
}

export interface JsonListing {
  symbols: {
    name: string;
    kind: string;
    size: number;
    bytes: string;
    relocs: { off: number; size: number; type: string; sym: string; add: number }[];
    insts?: { line: number; offset: number; hex: string }[];
  }[];
}

export function jsonListing(obj: ObjectFile): JsonListing {
  return {
    symbols: obj.symbols.map((s) => ({
      name: s.name,
      kind: s.kind,
      size: s.size,
      bytes: toHex(s.data),
      relocs: s.relocs.map((r) => ({ off: r.off, size: r.size, type: r.type, sym: r.sym, add: r.add })),
      ...(s.kind === 'text' ? { insts: (s.insts ?? []).map((i) => ({ line: i.line, offset: i.offset, hex: toHex(s.data, i.offset, i.offset + i.size) })) } : {}),
    })),
  };
}

/**
 * The human listing: a header per symbol, then one line per instruction with
 * its offset, source line, bytes and the source text, and the relocations that
 * fall inside it.
 */
export function textListing(obj: ObjectFile, sourceLines?: ReadonlyMap<string, string[]>): string {
  const out: string[] = [];
  for (const s of obj.symbols) {
    out.push(symbolHeader(s));
    if (s.kind === 'text' && s.insts) {
      for (const inst of s.insts) {
        const file = inst.file ?? s.file;
        const src = sourceLines?.get(file)?.[inst.line - 1]?.trim() ?? '';
        const hex = toHex(s.data, inst.offset, inst.offset + inst.size);
        out.push(`\t0x${inst.offset.toString(16).padStart(4, '0')} ${String(inst.line).padStart(5)} (${file}:${inst.line})\t${hex.padEnd(24)}\t${src}`);
        for (const r of s.relocs) {
          if (r.off >= inst.offset && r.off < inst.offset + inst.size) out.push(`\t\trel ${r.off}+${r.size} ${r.type} ${r.sym}${r.add >= 0 ? '+' : ''}${r.add}`);
        }
      }
    } else {
      for (let off = 0; off < s.data.length; off += 16) {
        out.push(`\t0x${off.toString(16).padStart(4, '0')} ${toHex(s.data, off, Math.min(off + 16, s.data.length)).replace(/(..)/g, '$1 ').trimEnd()}`);
      }
      for (const r of s.relocs) out.push(`\t\trel ${r.off}+${r.size} ${r.type} ${r.sym}${r.add >= 0 ? '+' : ''}${r.add}`);
    }
  }
  for (const d of obj.dynimports) out.push(`dynimport ${d.local} ${d.remote}${d.version === undefined ? '' : '#' + d.version} "${d.library}"`);
  return out.join('\n') + '\n';
}

function symbolHeader(s: Symbol): string {
  const flags = Object.entries(s.flags)
    .filter(([, v]) => v)
    .map(([k]) => k)
    .join('|');
  const frame = s.kind === 'text' ? ` frame=${s.frameSize ?? 0} args=${s.argsSize ?? 0}` : '';
  return `${s.name} ${s.kind} size=${s.size} align=${s.align}${frame}${flags ? ' ' + flags : ''}`;
}
