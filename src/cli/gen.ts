// `asmlink gen`: the command-line side of the binding generator.
import { UsageError, type FlagSpec } from './args.js';

export const genFlags: FlagSpec[] = [
  { names: ['--os'], value: true, help: 'target OS: linux or darwin' },
  { names: ['--arch'], value: true, help: 'target architecture: amd64, 386 or arm64' },
  { names: ['-o'], value: true, help: 'output .s file' },
  { names: ['--lib'], value: true, help: 'library the imports name (default: libc.so.6 / libSystem)' },
  { names: ['--errno'], help: 'also return the C errno as a second result' },
];

export function genCommand(_argv: string[]): number {
  throw new UsageError('gen is not available in this build');
}
