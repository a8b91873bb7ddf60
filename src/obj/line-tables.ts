// Per-instruction source lines (and frames) of an object read from a file:
// an object reader that finds debugging information (ELF .debug_line and
// .debug_frame, Mach-O __DWARF sections) records here how to find each
// definition's instructions. The linker asks only when it writes debugging
// information itself.

import type { InstInfo, ObjectFile } from './symbol.js';

/**
 * Instructions a reader gives back without an object each (a large link
 * with -g has one per instruction of the program): `visit` passes each in
 * turn as one reused object, which the visitor must not keep.
 */
export interface VisitedInsts {
  /** 0 when there are none. */
  readonly length: number;
  visit(each: (inst: Readonly<InstInfo>) => void): void;
}

/** A definition's instructions: held, or visited. */
export type Insts = readonly InstInfo[] | VisitedInsts;

/** Each instruction in turn (a VisitedInsts passes a reused object: do not keep it). */
export function forEachInst(insts: Insts, each: (inst: Readonly<InstInfo>) => void): void {
  if (Array.isArray(insts)) for (let i = 0; i < insts.length; i++) each(insts[i]);
  else (insts as VisitedInsts).visit(each);
}

/** The instructions as objects of their own (for what keeps them). */
export function heldInsts(insts: Insts): InstInfo[] {
  if (Array.isArray(insts)) return insts as InstInfo[];
  const out: InstInfo[] = [];
  forEachInst(insts, (i) => out.push({ ...i }));
  return out;
}

/** Definition k's instructions; `name` is its name (a reader may find them by either). */
export type LineTables = (k: number, name: string) => Insts | undefined;

const registry = new WeakMap<ObjectFile, LineTables>();

export function setLineTables(obj: ObjectFile, tables: LineTables): void {
  registry.set(obj, tables);
}

/** The object's line tables (definitions numbered as its columns number them), or null when it has no line information. */
export function lineTablesOf(obj: ObjectFile): LineTables | null {
  return registry.get(obj) ?? null;
}
