// `npm run bench`: side-by-side benchmarks of asmlink against the tools it
// replaces, reported as ratios (see bench/README.md).
//
//   npm run bench -- [--quick] [--only asm|link|threads|size] [--keep] [--no-hyperfine] [--no-snapshot]
//
// Each section validates every command once before timing it; a tool that is
// missing or an input asmlink cannot handle yet becomes a row that says so,
// never a figure. The run always exits 0 unless its own options are wrong.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findAsmlink, repoRoot, type Context, type Section } from './lib/context.js';
import { run, version } from './lib/exec.js';
import { disableHyperfine, timeCommand, timingMethod } from './lib/timing.js';
import { secs } from './lib/table.js';
import { asmSection } from './sections/asm.js';
import { linkSection } from './sections/link.js';
import { threadsSection } from './sections/threads.js';
import { sizeSection } from './sections/size.js';

const SECTIONS: Record<string, (ctx: Context) => Section> = {
  asm: asmSection,
  link: linkSection,
  threads: threadsSection,
  size: sizeSection,
};

interface Options {
  quick: boolean;
  only: string[];
  keep: boolean;
  hyperfine: boolean;
  snapshot: boolean;
}

function parse(argv: string[]): Options | string {
  const o: Options = { quick: false, only: [], keep: false, hyperfine: true, snapshot: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') o.quick = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--no-hyperfine') o.hyperfine = false;
    else if (a === '--no-snapshot') o.snapshot = false;
    else if (a === '--only' || a.startsWith('--only=')) {
      const v = a.startsWith('--only=') ? a.slice(7) : argv[++i];
      if (!v) return '--only needs a value';
      for (const s of v.split(',')) {
        if (!(s in SECTIONS)) return `unknown section ${s} (want ${Object.keys(SECTIONS).join(', ')})`;
        o.only.push(s);
      }
    } else return `unknown option ${a}`;
  }
  return o;
}

function machine(ctx: Context): string {
  const cpus = os.cpus();
  const tools: [string, string[]][] = [
    ['node', [process.execPath, '--version']],
    ['GNU as', ['as', '--version']],
    ['go', ['go', 'version']],
    ['llvm-mc', ['llvm-mc', '--version']],
    ['aarch64-linux-gnu-as', ['aarch64-linux-gnu-as', '--version']],
    ['GNU ld', ['ld.bfd', '--version']],
    ['gold', ['ld.gold', '--version']],
    ['lld', ['ld.lld', '--version']],
    ['mold', ['mold', '--version']],
    ['gcc', ['gcc', '--version']],
    ['hyperfine', ['hyperfine', '--version']],
    ['qemu-i386', ['qemu-i386', '--version']],
    ['qemu-aarch64', ['qemu-aarch64', '--version']],
  ];
  const lines = [
    `- CPU: ${cpus[0]?.model ?? 'unknown'}, ${os.availableParallelism?.() ?? cpus.length} logical CPUs (nproc); ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `- OS: ${os.type()} ${os.release()} ${os.arch()}; load average at start ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (figures from a loaded machine are noisy)`,
    `- Timing: the assembler and link tables in interleaved rounds (each round runs every command of the table once, process.hrtime around spawnSync, no shell), so that load from other tenants falls on all tools alike; thread creation likewise (its own rounds); single commands (start-up below) with ${timingMethod()}; ${ctx.quick ? '--quick: small inputs, 1 run each (smoke test only, not figures to quote)' : 'medians (the count of rounds or runs is in each row)'}`,
  ];
  // The floor under every asmlink figure: starting Node.js and doing nothing.
  const node = timeCommand([process.execPath, '-e', '0'], { runs: ctx.quick ? 3 : 20, warmup: 1 });
  lines.push(`- Node.js start-up (\`node -e 0\`, the floor under every asmlink figure): ${secs(node.median)} median, ${secs(node.min)} best`);
  if (removedCaCerts !== undefined) {
    const withIt = timeCommand([process.execPath, '-e', '0'], { runs: ctx.quick ? 3 : 20, warmup: 1, env: { [CA_CERTS]: removedCaCerts } });
    lines.push(
      `- ${CA_CERTS} was set in the environment the bench ran in, and is removed from every command's: with it Node.js 20 loads certificates at start-up, before any code runs (\`node -e 0\` ${secs(withIt.median)} median with it, against ${secs(node.median)} without), which no command here uses. The system tools do not read it.`,
    );
  }
  if (ctx.asmlink) {
    const v = run([...ctx.asmlink, '--version'], { timeoutSec: 30 });
    const t = timeCommand([...ctx.asmlink, '--version'], { runs: ctx.quick ? 3 : 20, warmup: 1 });
    lines.push(`- asmlink start-up (\`asmlink --version\`): ${secs(t.median)} median, ${secs(t.min)} best`);
    const where = ctx.asmlink[0]!.startsWith(ctx.work) ? 'bin/asmlink of a snapshot of the package taken at the start of the run' : path.relative(ctx.root, ctx.asmlink[0]!);
    lines.push(`- asmlink: ${v.ok ? v.stdout.trim() : 'version unknown'} (${where})`);
  } else lines.push(`- asmlink: ${ctx.asmlinkWhy}`);
  for (const [name, argv] of tools) lines.push(`- ${name}: ${version(argv) ?? 'not installed'}`);
  return lines.join('\n');
}

/**
 * A machine-wide setting for TLS (this workplace sets it for its proxy) that
 * costs every Node.js process tens of ms before any of its code runs; it is
 * taken out of the environment every command inherits, and reported.
 */
const CA_CERTS = 'NODE_EXTRA_CA_CERTS';
let removedCaCerts: string | undefined;

function main(): number {
  removedCaCerts = process.env[CA_CERTS];
  delete process.env[CA_CERTS];
  const o = parse(process.argv.slice(2));
  if (typeof o === 'string') {
    process.stderr.write(`bench: ${o}\nusage: npm run bench -- [--quick] [--only asm|link|threads|size] [--keep] [--no-hyperfine] [--no-snapshot]\n`);
    return 2;
  }
  if (!o.hyperfine) disableHyperfine();
  const root = repoRoot();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'asmlink-bench-'));
  const al = findAsmlink(root, work, o.snapshot);
  const ctx: Context = {
    quick: o.quick,
    root,
    work,
    asmlink: al.argv,
    asmlinkWhy: al.why,
    log: (m) => process.stderr.write(`bench: ${m}\n`),
  };
  const started = new Date();
  const chosen = o.only.length ? o.only : Object.keys(SECTIONS);
  const out: string[] = [`# asmlink benchmarks`, '', `Run ${started.toISOString()}${o.quick ? ' with --quick' : ''}; sections: ${chosen.join(', ')}.`, '', '## Machine and tools', '', machine(ctx), ''];
  process.stdout.write(out.join('\n') + '\n');
  try {
    for (const name of chosen) {
      let s: Section;
      try {
        s = SECTIONS[name]!(ctx);
      } catch (e) {
        // A bug in the benchmark itself: say so in the report and go on with the next section.
        s = { title: name, body: `Section failed inside the benchmark runner: ${e instanceof Error ? e.stack ?? e.message : String(e)}` };
      }
      const text = `## ${s.title}\n\n${s.body}\n`;
      process.stdout.write('\n' + text);
      out.push(text);
    }
  } finally {
    if (o.keep) ctx.log(`inputs and outputs kept in ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
  const resultsDir = path.join(root, 'bench/results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const name = `latest${o.quick ? '-quick' : ''}${o.only.length ? '-' + o.only.join('-') : ''}.md`;
  fs.writeFileSync(path.join(resultsDir, name), out.join('\n'));
  ctx.log(`results written to ${path.relative(process.cwd(), path.join(resultsDir, name)) || name} (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s)`);
  return 0;
}

process.exitCode = main();
