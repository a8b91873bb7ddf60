// Writes the generated benchmark inputs to a directory, for looking at them or
// feeding them to other tools by hand:
//   node dist/bench/gen/main.js asm --arch amd64 --funcs 1000 --out DIR
//   node dist/bench/gen/main.js program --funcs 20000 --out DIR

import * as fs from 'node:fs';
import * as path from 'node:path';
import { genAsmFiles, type AsmArch } from './asmfile.js';
import { genProgram } from './program.js';

function flag(args: string[], name: string, def: string): string {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1]! : def;
}

function main(argv: string[]): number {
  const [what, ...args] = argv;
  const out = flag(args, '--out', '.');
  const funcs = Number(flag(args, '--funcs', '1000'));
  const seed = Number(flag(args, '--seed', String(0x5eed)));
  fs.mkdirSync(out, { recursive: true });
  if (what === 'asm') {
    const arch = flag(args, '--arch', 'amd64') as AsmArch;
    const f = genAsmFiles({ arch, funcs, seed });
    fs.writeFileSync(path.join(out, `bench_${arch}.s`), f.go);
    fs.writeFileSync(path.join(out, `bench_${arch}.gnu.s`), f.gnu);
    process.stdout.write(`${f.goLines} lines, ${f.funcs} functions\n`);
    return 0;
  }
  if (what === 'program') {
    const p = genProgram({ funcs, seed });
    for (const f of p.files) fs.writeFileSync(path.join(out, f.name), f.source);
    process.stdout.write(`${p.files.length} files, ${p.lines} lines, ${p.funcs} functions, ~${p.relocs} relocations, ${p.imports} imports\n`);
    return 0;
  }
  process.stderr.write('usage: gen/main.js asm|program [--arch A] [--funcs N] [--seed S] [--out DIR]\n');
  return 2;
}

process.exitCode = main(process.argv.slice(2));
