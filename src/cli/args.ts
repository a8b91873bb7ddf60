// Command-line flag parsing, shared by every verb. Unknown flags and missing
// values are usage errors (exit status 2), reported without a stack trace.

export class UsageError extends Error {}

/** `--help` or `-h` among the verb's own flags (not among a `run` program's arguments). */
export class HelpRequested extends Error {}

export interface FlagSpec {
  /** Flag names, e.g. ['-o'] or ['--os']. */
  names: string[];
  /** Takes a value (`-o out`, `--os=linux`). */
  value?: boolean;
  /** May be given several times (values collected in order). */
  repeat?: boolean;
  help: string;
}

export interface ParsedArgs {
  flags: Map<string, string[]>;
  positional: string[];
  /** For `run`, the arguments after the sources (passed to the program). */
  rest: string[];
}

/**
 * Parses argv against a flag table. With programArgs (for `run`), the
 * positionals are the `.s` (and `.o`) files that come first, as `go run` takes `.go`
 * files; everything from the first other argument on is left for the program
 * (`asmlink run x.s y.s -v`). A `--` right after the sources ends them and is
 * dropped, so the program can be given a `.s` argument (`asmlink run x.s -- in.s`).
 */
export function parseArgs(argv: string[], specs: FlagSpec[], programArgs = false): ParsedArgs {
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) for (const n of s.names) byName.set(n, s);
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (programArgs && positional.length > 0) {
      if (a.endsWith('.s') || a.endsWith('.o') || a.endsWith('.a')) {
        positional.push(a);
        continue;
      }
      rest.push(...argv.slice(a === '--' ? i + 1 : i));
      break;
    }
    if (a === '--') {
      // File names that start with '-': everything after is positional, or
      // for `run` the next argument is the first source and the loop goes on.
      if (!programArgs) {
        positional.push(...argv.slice(i + 1));
        break;
      }
      if (i + 1 < argv.length) positional.push(argv[++i]!);
      continue;
    }
    if (a === '--help' || a === '-h') throw new HelpRequested();
    if (a.startsWith('-') && a !== '-') {
      const eq = a.indexOf('=');
      let name = eq > 0 ? a.slice(0, eq) : a;
      let inline = eq > 0 ? a.slice(eq + 1) : undefined;
      // -Idir, -Dname=value, -lname and -Ldir, as in C compilers.
      if (!byName.has(name) && /^-[IDlL]./.test(a)) {
        name = a.slice(0, 2);
        inline = a.slice(2);
      }
      const spec = byName.get(name);
      if (!spec) throw new UsageError(`unknown flag ${name}`);
      const key = spec.names[spec.names.length - 1]!;
      let value = 'true';
      if (spec.value) {
        if (inline !== undefined) value = inline;
        else {
          if (i + 1 >= argv.length) throw new UsageError(`flag ${name} needs a value`);
          value = argv[++i]!;
        }
      } else if (inline !== undefined) throw new UsageError(`flag ${name} takes no value`);
      const list = flags.get(key) ?? [];
      if (!spec.repeat && list.length > 0) throw new UsageError(`flag ${name} given twice`);
      list.push(value);
      flags.set(key, list);
      continue;
    }
    positional.push(a);
  }
  return { flags, positional, rest };
}

export function flagHelp(specs: FlagSpec[]): string {
  return specs
    .map((s) => {
      const names = s.names.join(', ') + (s.value ? ' VALUE' : '');
      return `  ${names.padEnd(26)} ${s.help}`;
    })
    .join('\n');
}
