// Assembler throughput: one generated file per architecture, assembled by
// asmlink, by Go's assembler (the same Go-syntax file) and by GNU as and
// llvm-mc (the same instructions in their syntax). Each is timed as a whole
// command, start-up included; lines/s counts the Go file's non-blank lines for
// every tool, so the ratios are ratios of wall time.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { genAsmFiles, type AsmArch } from '../gen/asmfile.js';
import { run, which } from '../lib/exec.js';
import type { Context, Section } from '../lib/context.js';
import { missing, timeTogether, validate, type Row } from '../lib/measure.js';
import { ratio, runsNote, secs, table, thousands } from '../lib/table.js';

interface Peer {
  label: string;
  tool: string;
  argv: (obj: string, src: string) => string[];
}

function peers(arch: AsmArch): Peer[] {
  switch (arch) {
    case 'amd64':
      return [
        { label: 'GNU as', tool: 'as', argv: (o, s) => ['as', '--64', '-o', o, s] },
        { label: 'llvm-mc', tool: 'llvm-mc', argv: (o, s) => ['llvm-mc', '-triple', 'x86_64-linux-gnu', '-filetype=obj', '-o', o, s] },
      ];
    case '386':
      return [
        { label: 'GNU as --32', tool: 'as', argv: (o, s) => ['as', '--32', '-o', o, s] },
        { label: 'llvm-mc', tool: 'llvm-mc', argv: (o, s) => ['llvm-mc', '-triple', 'i386-linux-gnu', '-filetype=obj', '-o', o, s] },
      ];
    case 'arm64':
      return [
        { label: 'GNU as (aarch64-linux-gnu-as)', tool: 'aarch64-linux-gnu-as', argv: (o, s) => ['aarch64-linux-gnu-as', '-o', o, s] },
        { label: 'llvm-mc', tool: 'llvm-mc', argv: (o, s) => ['llvm-mc', '-triple', 'aarch64-linux-gnu', '-filetype=obj', '-o', o, s] },
      ];
  }
}

function goTool(): { asm: string; include: string } | undefined {
  if (!which('go')) return undefined;
  const r = run(['go', 'env', 'GOTOOLDIR', 'GOROOT'], { timeoutSec: 30 });
  if (!r.ok) return undefined;
  const [tooldir, goroot] = r.stdout.trim().split('\n');
  const asm = path.join(tooldir ?? '', 'asm');
  return fs.existsSync(asm) ? { asm, include: path.join(goroot ?? '', 'pkg/include') } : undefined;
}

const nonEmpty = (file: string) => (): string | undefined => {
  try {
    return fs.statSync(file).size > 0 ? undefined : `${file} is empty`;
  } catch {
    return `no output file ${file}`;
  }
};

export function asmSection(ctx: Context): Section {
  const go = goTool();
  const parts: string[] = [];
  const summary: string[] = [];
  const sizes: Record<AsmArch, number> = ctx.quick ? { amd64: 300, '386': 200, arm64: 200 } : { amd64: 40000, '386': 20000, arm64: 20000 };
  for (const arch of ['amd64', '386', 'arm64'] as const) {
    ctx.log(`asm ${arch}: generating ${sizes[arch]} functions`);
    const files = genAsmFiles({ arch, funcs: sizes[arch] });
    const dir = path.join(ctx.work, `asm-${arch}`);
    fs.mkdirSync(dir, { recursive: true });
    const goSrc = path.join(dir, `bench_${arch}.s`);
    const gnuSrc = path.join(dir, `bench_${arch}.gnu.s`);
    fs.writeFileSync(goSrc, files.go);
    fs.writeFileSync(gnuSrc, files.gnu);
    const rows: Row[] = [];
    const out = (n: string): string => path.join(dir, `${n}.o`);
    rows.push(
      ctx.asmlink
        ? validate(ctx, 'asmlink asm', [...ctx.asmlink, 'asm', '--os', 'linux', '--arch', arch, '-o', out('asmlink'), goSrc], { check: nonEmpty(out('asmlink')) })
        : { label: 'asmlink asm', cmd: '', why: ctx.asmlinkWhy },
    );
    rows.push(
      go
        ? validate(ctx, 'go tool asm', [go.asm, '-p', 'main', '-I', go.include, '-o', out('go'), goSrc], { env: { GOOS: 'linux', GOARCH: arch }, check: nonEmpty(out('go')) })
        : missing('go tool asm', 'go (Debian golang-go)'),
    );
    for (const p of peers(arch)) {
      rows.push(which(p.tool) ? validate(ctx, p.label, p.argv(out(p.tool), gnuSrc), { check: nonEmpty(out(p.tool)) }) : missing(p.label, p.tool));
    }
    // asmlink assembles a large file on a thread per CPU; the same on one
    // thread, which must make the same bytes, shows what the threads gain.
    if (ctx.asmlink) {
      const one = out('asmlink-one-thread');
      const same = (): string | undefined => nonEmpty(one)() ?? (fs.readFileSync(one).equals(fs.readFileSync(out('asmlink'))) ? undefined : 'the object differs from the one made on several threads');
      rows.push(validate(ctx, 'asmlink asm, one thread', [...ctx.asmlink, 'asm', '--os', 'linux', '--arch', arch, '-o', one, goSrc], { env: { ASMLINK_ASM_THREADS: '1' }, check: same }));
    }
    timeTogether(ctx, rows);
    const base = rows[0]!.timing;
    const body = rows.map((r) => {
      if (!r.timing) return [r.label, '—', '—', '—', '—', `no figure: ${r.why}`];
      const t = r.timing;
      const vs = base ? ratio(t.median / base.median) : '—';
      return [r.label, secs(t.median), secs(t.min), thousands(files.goLines / t.median), vs, runsNote(t)];
    });
    parts.push(
      `### ${arch}: ${thousands(files.funcs)} functions, ${thousands(files.goLines)} lines (${(files.go.length / 1e6).toFixed(1)} MB Go syntax)\n\n` +
        table(['assembler', 'median', 'best', 'lines/s (median)', 'time ÷ asmlink', 'notes'], body),
    );
    const gas = rows[2]?.timing;
    if (arch === 'amd64') {
      if (base && gas) {
        const r = gas.median / base.median;
        summary.push(`- Goal (issue 2), asmlink at least as fast as GNU as on amd64: ${r >= 1 ? 'met' : 'NOT met'} — GNU as takes ${ratio(r)} asmlink's time.`);
      } else summary.push('- Goal (issue 2), at least as fast as GNU as on amd64: not measurable in this run (see the rows).');
    }
  }
  const notes = [
    'Every command is timed whole, start-up included (Node.js start-up for asmlink). "time ÷ asmlink" above 1 means that tool is slower than asmlink.',
    `asmlink assembles a file of 16 MiB or more (8 MiB a thread) on up to a thread per CPU (${os.availableParallelism()} here), so of these files only the amd64 one; "one thread" is the same command with ASMLINK_ASM_THREADS=1, checked to make the same bytes. The peers use one thread.`,
    'lines/s divides the Go-syntax file\'s non-blank lines by the wall time for every tool, so that column compares wall times on the same instructions. The AT&T/GNU files hold the same instructions, one per line, plus assembler directives; on arm64 a Go load of a global (one line) is three GNU lines (adrp, add, ldr), as Go itself expands it.',
    '`go tool asm` is run as the asm binary from `go env GOTOOLDIR` (skipping the go command\'s own start-up), GOOS=linux, -p main.',
  ];
  return { title: 'Assembler throughput', body: [...summary, '', parts.join('\n\n'), '', ...notes.map((n) => `- ${n}`)].join('\n') };
}
