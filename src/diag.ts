// Diagnostics are the one way users learn that their input is wrong. Every
// user-caused error becomes a Diagnostic pointing at the original source
// position (through #include and macro expansion); the CLI only formats them.

export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export interface Diagnostic extends SourcePos {
  message: string;
  /** Further lines that help: the other definition of a duplicate, a hint. */
  notes?: string[];
}

/**
 * Formats one diagnostic the way compilers do: `file:line:col: message`, or
 * `file: message` for what concerns a whole file (line 0), as binutils say it.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const head = !d.file ? d.message : d.line > 0 ? `${d.file}:${d.line}:${d.col}: ${d.message}` : `${d.file}: ${d.message}`;
  if (!d.notes || d.notes.length === 0) return head;
  return [head, ...d.notes.map((n) => `\t${n}`)].join('\n');
}

/**
 * Thrown by core modules when input cannot be processed further. Carries every
 * diagnostic collected so far; the CLI prints them and exits with status 1.
 */
export class DiagnosticError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'DiagnosticError';
    this.diagnostics = diagnostics;
  }
}

/** Collects diagnostics up to a limit, so one bad file reports many errors, not thousands. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  constructor(readonly limit = 20) {}

  error(pos: SourcePos, message: string, notes?: string[]): void {
    this.list.push({ file: pos.file, line: pos.line, col: pos.col, message, notes });
    if (this.list.length >= this.limit) {
      throw new DiagnosticError([...inSourceOrder(this.list), { file: pos.file, line: pos.line, col: pos.col, message: 'too many errors' }]);
    }
  }

  get hasErrors(): boolean {
    return this.list.length > 0;
  }

  /** Throws the collected diagnostics, if any. */
  check(): void {
    if (this.list.length > 0) throw new DiagnosticError(inSourceOrder(this.list));
  }
}

/**
 * Diagnostics as a reader expects them, whatever pass found them (a block's
 * encoding errors come after the parse errors of the lines below it): files
 * in the order they first appear, then by line and column. The sort is
 * stable, so messages about one place keep their order.
 */
function inSourceOrder(list: readonly Diagnostic[]): Diagnostic[] {
  const fileRank = new Map<string, number>();
  for (const d of list) if (!fileRank.has(d.file)) fileRank.set(d.file, fileRank.size);
  return [...list].sort((a, b) => fileRank.get(a.file)! - fileRank.get(b.file)! || a.line - b.line || a.col - b.col);
}

/** A diagnostic that is not tied to a source line (a flag, a missing file). */
export function plainError(message: string, file = ''): DiagnosticError {
  return new DiagnosticError([{ file, line: 0, col: 0, message }]);
}
