// Per-instruction source lines of an object read from a file: an object
// reader that finds debugging information (ELF .debug_line) records here, for
// each definition, the instructions its line program describes. The linker
// asks only when it writes debugging information itself.

import type { InstInfo, ObjectFile } from './symbol.js';

/** Definition k's instructions; `name` is its name (a reader may find them by either). */
export type LineTables = (k: number, name: string) => InstInfo[] | undefined;

const registry = new WeakMap<ObjectFile, LineTables>();

export function setLineTables(obj: ObjectFile, tables: LineTables): void {
  registry.set(obj, tables);
}

/** Definition k's instructions (k as the object's columns number definitions), or null when the object has no line information. */
export function lineTablesOf(obj: ObjectFile): LineTables | null {
  return registry.get(obj) ?? null;
}
