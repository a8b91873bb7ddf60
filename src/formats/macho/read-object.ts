// Just enough of a Mach-O reader to list an object's undefined symbols: the
// external-link driver writes the .tbd from them, so the stub library exports
// exactly what the program imports.

function cstr(b: Uint8Array, at: number): string {
  let e = at;
  while (e < b.length && b[e] !== 0) e++;
  return new TextDecoder().decode(b.subarray(at, e));
}

/** Names of the undefined external symbols of a Mach-O object (MH_OBJECT, 32- or 64-bit). */
export function machoUndefinedSymbols(b: Uint8Array): string[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = dv.getUint32(0, true);
  const is64 = magic === 0xfeedfacf;
  if (!is64 && magic !== 0xfeedface) throw new Error('not a little-endian Mach-O file');
  const ncmds = dv.getUint32(16, true);
  let at = is64 ? 32 : 28;
  for (let i = 0; i < ncmds; i++) {
    const cmd = dv.getUint32(at, true);
    const size = dv.getUint32(at + 4, true);
    if (cmd === 2 /* LC_SYMTAB */) {
      const symoff = dv.getUint32(at + 8, true);
      const nsyms = dv.getUint32(at + 12, true);
      const stroff = dv.getUint32(at + 16, true);
      const out: string[] = [];
      const n = is64 ? 16 : 12;
      for (let k = 0; k < nsyms; k++) {
        const e = symoff + k * n;
        const type = dv.getUint8(e + 4);
        if ((type & 0xe0) !== 0) continue; // stabs
        if ((type & 0x0e) === 0 && (type & 0x01) !== 0) out.push(cstr(b, stroff + dv.getUint32(e, true)));
      }
      return out;
    }
    at += size;
  }
  return [];
}
