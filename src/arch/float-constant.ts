// Floating-point immediates an instruction cannot hold are loaded from memory,
// as Go's assembler does: from a read-only symbol named after the value's
// bits, `$f64.3ff199999999999a` (8 bytes) or `$f32.3f8ccccd` (4 bytes),
// DUPOK so a program keeps one copy of each value.

/** The symbol holding f (float32 when !dbl), added to constants with its little-endian bytes. */
export function floatConstant(f: number, dbl: boolean, constants: Map<string, Uint8Array>): string {
  const bytes = new Uint8Array(dbl ? 8 : 4);
  const dv = new DataView(bytes.buffer);
  if (dbl) dv.setFloat64(0, f, true);
  else dv.setFloat32(0, f, true);
  const bits = dbl ? dv.getBigUint64(0, true).toString(16).padStart(16, '0') : dv.getUint32(0, true).toString(16).padStart(8, '0');
  const name = `$f${dbl ? 64 : 32}.${bits}`;
  constants.set(name, bytes);
  return name;
}
