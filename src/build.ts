// The whole job in one process, without temporary objects: assemble every
// source (the program's and the runtime's) and link them. No I/O here: the
// caller supplies the sources and, for #include, a file reader.

import { DiagnosticError, type Diagnostic } from './diag.js';
import { assemble } from './asm/assemble.js';
import type { ObjectFile } from './obj/symbol.js';
import type { Target } from './target.js';

export { defaultEntry } from './link/entry.js';

export interface SourceInput {
  file: string;
  text: string;
}

export interface AssembleAllOptions {
  target: Target;
  pkg?: string;
  includeDirs?: readonly string[];
  readFile?: (path: string) => string | undefined;
  defines?: Readonly<Record<string, string>>;
  /** Record per-instruction lines and bytes (AssembleOptions.insts); the linker does not need them. */
  insts?: boolean;
}

/** Macros every source sees, as Go's assembler predefines them. */
export function predefinedMacros(t: Target, extra?: Readonly<Record<string, string>>): Record<string, string> {
  return { [`GOOS_${t.os}`]: '1', [`GOARCH_${t.arch === '386' ? '386' : t.arch}`]: '1', ...extra };
}

/** Assembles several sources, reporting the errors of all of them together. */
export function assembleAll(sources: readonly SourceInput[], opts: AssembleAllOptions): ObjectFile[] {
  const objects: ObjectFile[] = [];
  const diags: Diagnostic[] = [];
  const defines = predefinedMacros(opts.target, opts.defines);
  for (const s of sources) {
    try {
      objects.push(assemble(s.text, { ...opts, defines, file: s.file }));
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      diags.push(...e.diagnostics);
    }
  }
  if (diags.length > 0) throw new DiagnosticError(diags);
  return objects;
}
