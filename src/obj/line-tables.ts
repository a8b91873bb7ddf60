// Per-instruction source lines (and frames) of an object read from a file:
// an object reader that finds debugging information (ELF .debug_line and
// .debug_frame, Mach-O __DWARF sections) records here how to find each
// definition's instructions. The linker asks only when it writes debugging
// information itself.

import type { InstInfo, ObjectFile } from './symbol.js';

/** Definition k's instructions; `name` is its name (a reader may find them by either). */
export type LineTables = (k: number, name: string) => InstInfo[] | undefined;

const registry = new WeakMap<ObjectFile, LineTables>();

export function setLineTables(obj: ObjectFile, tables: LineTables): void {
  registry.set(obj, tables);
}

/** The object's line tables (definitions numbered as its columns number them), or null when it has no line information. */
export function lineTablesOf(obj: ObjectFile): LineTables | null {
  return registry.get(obj) ?? null;
}
