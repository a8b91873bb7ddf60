// Assembles the generated file: the dynamic imports, then one trampoline per
// imported C function and one entry stub per callback, each with its layout
// comment. The output is deterministic: declaration order, fixed formatting.

import { DiagnosticSink } from '../diag.js';
import { libcName, type Target } from '../target.js';
import type { Binding } from './layout.js';
import { layoutComment } from './asmtext.js';
import { amd64CallbackStub, amd64Trampoline } from './emit-amd64.js';
import { i386CallbackStub, i386Trampoline } from './emit-386.js';
import { arm64CallbackStub, arm64Trampoline } from './emit-arm64.js';

/** The libc function that returns the calling thread's errno address. */
export function errnoFunction(t: Target): string {
  return t.os === 'darwin' ? '__error' : '__errno_location';
}

/** The import's remote name as the directive spells it: `name`, or `name#VERSION` (ELF symbol version). */
export function importName(b: Binding): string {
  return b.decl.version === undefined ? b.decl.remote : `${b.decl.remote}#${b.decl.version}`;
}

/** TEXT flags of an import trampoline. DUPOK: two generated files may bind the same function. */
function trampolineFlags(t: Target): string {
  return t.arch === 'arm64' ? 'NOSPLIT|NOFRAME|DUPOK' : 'NOSPLIT|DUPOK';
}

/** The trampoline (or callback stub) of one binding, without its comment. */
export function emitCode(b: Binding, errnoImport: string | undefined, diag: DiagnosticSink): string[] {
  const t = b.target;
  if (b.decl.callback) {
    switch (t.arch) {
      case 'amd64':
        return amd64CallbackStub(b);
      case '386':
        return i386CallbackStub(b);
      case 'arm64':
        return arm64CallbackStub(b, diag);
    }
  }
  const flags = trampolineFlags(t);
  switch (t.arch) {
    case 'amd64':
      return amd64Trampoline(b, errnoImport, flags);
    case '386':
      return i386Trampoline(b, errnoImport, flags);
    case 'arm64':
      return arm64Trampoline(b, errnoImport, flags);
  }
}

export interface EmitFileOptions {
  target: Target;
  /** Library the imports name; default the target's C library. */
  library?: string;
  /** Lines placed first (e.g. "Code generated ... DO NOT EDIT."), without `// `. */
  header?: readonly string[];
}

export function emitFile(bindings: readonly Binding[], opts: EmitFileOptions, diag: DiagnosticSink): string {
  const t = opts.target;
  const libc = libcName(t.os);
  const lib = opts.library ?? libc;
  const out: string[] = [];
  for (const h of opts.header ?? []) out.push(h === '' ? '//' : `// ${h}`);
  if (out.length) out.push('');
  out.push('#include "textflag.h"', '');

  const imports = bindings.filter((b) => !b.decl.callback);
  const needErrno = imports.some((b) => b.errno);
  const errnoLocal = needErrno ? `libc_${errnoFunction(t)}` : undefined;
  if (imports.length || needErrno) {
    const libraries = new Set<string>();
    for (const b of imports) {
      const from = b.decl.library ?? lib;
      libraries.add(from);
      out.push(`//go:cgo_import_dynamic ${b.callee} ${importName(b)} "${from}"`);
    }
    if (needErrno && !imports.some((b) => b.callee === errnoLocal)) out.push(`//go:cgo_import_dynamic ${errnoLocal} ${errnoFunction(t)} "${libc}"`);
    if (needErrno) libraries.add(libc);
    // Names each library as needed even if the linker drops every unused import.
    for (const l of libraries) out.push(`//go:cgo_import_dynamic _ _ "${l}"`);
    out.push('');
  }
  for (const b of bindings) {
    const code = emitCode(b, errnoLocal, diag);
    if (code.length === 0) continue;
    out.push(...layoutComment(b, b.decl.callback ? 'callback' : 'import'));
    if (b.decl.callback) out.push(`// ${b.symbol} is called by C with the C convention; it calls ${b.callee} with Go's.`);
    out.push(...code, '');
  }
  return out.join('\n');
}
