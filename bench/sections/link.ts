// Link time: a generated program (many functions, hundreds of thousands of
// relocations, dozens of libc imports) linked by asmlink's internal linker and,
// from the single object that `asmlink build --linkmode external` hands to the
// system linker, by GNU ld, gold, lld and mold through the cc driver with the
// exact arguments asmlink used (captured through --extld).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { genProgram } from '../gen/program.js';
import { run, which, type RunResult } from '../lib/exec.js';
import type { Context, Section } from '../lib/context.js';
import { missing, timeTogether, validate, type Row } from '../lib/measure.js';
import { bytes, ratio, runsNote, secs, table, thousands } from '../lib/table.js';

const LINKERS = [
  { label: 'GNU ld (bfd)', fuse: 'bfd', tool: 'ld.bfd' },
  { label: 'gold', fuse: 'gold', tool: 'ld.gold' },
  { label: 'lld', fuse: 'lld', tool: 'ld.lld' },
  { label: 'mold', fuse: 'mold', tool: 'mold' },
] as const;

/** Counts relocation entries in an ELF object from its section table. */
function relocCount(obj: string): number | undefined {
  const r = run(['readelf', '-S', '-W', obj], { timeoutSec: 60 });
  if (!r.ok) return undefined;
  let n = 0;
  for (const line of r.stdout.split('\n')) {
    const m = /\]\s+(\S+)\s+(RELA?)\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)\s+([0-9a-f]+)/.exec(line);
    if (m) n += parseInt(m[3]!, 16) / Math.max(1, parseInt(m[4]!, 16));
  }
  return n;
}

function runsOk(exe: string): string | undefined {
  const r = run([exe], { timeoutSec: 30 });
  return r.ok ? undefined : `output does not run (${r.why})`;
}

function captureScript(dir: string): string {
  const p = path.join(dir, 'extld-capture.sh');
  fs.writeFileSync(
    p,
    '#!/bin/sh\n# Records the external link command asmlink runs, then runs it with cc.\n: > "$ASMLINK_BENCH_CAPTURE"\nfor a in "$@"; do printf \'%s\\n\' "$a" >> "$ASMLINK_BENCH_CAPTURE"; done\nexec cc "$@"\n',
    { mode: 0o755 },
  );
  return p;
}

/** The cc arguments asmlink used, with its object and output replaced by ours. */
function peerArgs(captured: string[] | undefined, obj: string, out: string): string[] {
  if (!captured) return ['-no-pie', '-o', out, obj];
  const args: string[] = [];
  for (let i = 0; i < captured.length; i++) {
    const a = captured[i]!;
    if (a === '-o') {
      args.push('-o', out);
      i++;
    } else if (a.endsWith('.o')) args.push(obj);
    else args.push(a);
  }
  return args;
}

export function linkSection(ctx: Context): Section {
  const sizes = ctx.quick ? [200, 500, 1000] : [5000, 20000, 60000];
  const parts: string[] = [];
  const goals: string[] = [];
  let capturedCmd = '';
  for (const funcs of sizes) {
    ctx.log(`link: generating a program of ${funcs} functions`);
    const prog = genProgram({ funcs });
    const dir = path.join(ctx.work, `link-${funcs}`);
    fs.mkdirSync(dir, { recursive: true });
    const srcs = prog.files.map((f) => {
      const p = path.join(dir, f.name);
      fs.writeFileSync(p, f.source);
      return p;
    });
    const rows: Row[] = [];
    let obj: string | undefined;
    let captured: string[] | undefined;
    let external: RunResult | undefined;
    if (ctx.asmlink) {
      const al = ctx.asmlink;
      // Objects for `asmlink link` (assembly itself is not part of this figure).
      const objs: string[] = [];
      let asmWhy = '';
      for (const s of srcs) {
        const o = s.replace(/\.s$/, '.o');
        const r = run([...al, 'asm', '--os', 'linux', '--arch', 'amd64', '-o', o, s]);
        if (!r.ok) {
          asmWhy = `cannot assemble ${path.basename(s)}: ${r.why}`;
          break;
        }
        objs.push(o);
      }
      const exe1 = path.join(dir, 'prog-link');
      rows.push(asmWhy ? { label: 'asmlink link', cmd: '', why: asmWhy } : validate(ctx, 'asmlink link', [...al, 'link', '-o', exe1, ...objs], { check: () => runsOk(exe1) }));
      const exe2 = path.join(dir, 'prog-build');
      rows.push(validate(ctx, 'asmlink build (assemble + link)', [...al, 'build', '--os', 'linux', '--arch', 'amd64', '-o', exe2, ...srcs], { check: () => runsOk(exe2) }));
      // One external-mode build, to get the object and the command line.
      obj = path.join(dir, 'external.o');
      const capFile = path.join(dir, 'extld-args.txt');
      ctx.log('  asmlink build --linkmode external (once, to keep its object)');
      external = run([...al, 'build', '--os', 'linux', '--arch', 'amd64', '--linkmode', 'external', '--extld', captureScript(dir), '--keep-object', obj, '-o', path.join(dir, 'prog-ext'), ...srcs], {
        env: { ASMLINK_BENCH_CAPTURE: capFile },
      });
      if (fs.existsSync(capFile)) {
        captured = fs.readFileSync(capFile, 'utf8').split('\n').filter((l) => l.length > 0);
        capturedCmd = ['cc', ...peerArgs(captured, 'OBJ.o', 'OUT')].join(' ');
      }
      if (!fs.existsSync(obj)) obj = undefined;
    }
    const extWhy = !ctx.asmlink ? ctx.asmlinkWhy : !obj ? `asmlink build --linkmode external wrote no object${external && !external.ok ? ` (${external.why})` : ''}` : '';
    for (const l of LINKERS) {
      if (!which(l.tool)) rows.push(missing(l.label, l.tool));
      else if (!obj) rows.push({ label: l.label, cmd: '', why: extWhy });
      else {
        const exe = path.join(dir, `prog-${l.fuse}`);
        rows.push(validate(ctx, l.label, ['cc', `-fuse-ld=${l.fuse}`, ...peerArgs(captured, obj, exe)], { check: () => runsOk(exe) }));
      }
    }
    timeTogether(ctx, rows);
    const base = rows[0]!.timing;
    const body = rows.map((r) => {
      if (!r.timing) return [r.label, '—', '—', '—', `no figure: ${r.why}`];
      return [r.label, secs(r.timing.median), secs(r.timing.min), base ? ratio(r.timing.median / base.median) : '—', runsNote(r.timing)];
    });
    const nrel = obj ? relocCount(obj) : undefined;
    const objSize = obj ? fs.statSync(obj).size : undefined;
    parts.push(
      `### ${thousands(funcs)} functions, ${prog.files.length} files, ${thousands(prog.lines)} lines, ${prog.imports} imports; ` +
        (nrel !== undefined ? `${thousands(nrel)} relocations in the external-mode object (${bytes(objSize!)}, runtime included)` : `~${thousands(prog.relocs)} relocations in the sources`) +
        '\n\n' +
        table(['linker', 'median', 'best', 'time ÷ asmlink link', 'notes'], body),
    );
    const bfd = rows.find((r) => r.label.startsWith('GNU ld'))?.timing;
    const mold = rows.find((r) => r.label === 'mold')?.timing;
    if (base && bfd) goals.push(`- ${thousands(funcs)} functions: GNU ld takes ${ratio(bfd.median / base.median)} asmlink's time — goal "faster than GNU ld" ${bfd.median > base.median ? 'met' : 'NOT met'}.`);
    else goals.push(`- ${thousands(funcs)} functions: asmlink vs GNU ld not measurable in this run.`);
    if (funcs === sizes[sizes.length - 1]) {
      if (base && mold) goals.push(`- Largest size: asmlink takes ${ratio(base.median / mold.median)} mold's time — goal "within 2× of mold" ${base.median <= 2 * mold.median ? 'met' : 'NOT met'}.`);
      else goals.push('- Largest size: asmlink vs mold not measurable in this run.');
    }
  }
  const notes = [
    '"asmlink link" links the objects `asmlink asm` wrote (one per file); "asmlink build" assembles and links the sources in one process, so it includes assembly.',
    `The system linkers link the one object \`asmlink build --linkmode external --keep-object\` wrote, through the cc driver with the arguments asmlink passed to it (captured with --extld): \`${capturedCmd || 'cc -no-pie -o OUT OBJ.o'}\` plus \`-fuse-ld=bfd|gold|lld|mold\`. The cc driver adds a few ms of its own start-up to those rows; asmlink's rows include Node.js start-up.`,
    'Every output is run once (it must exit 0) before it is timed. "time ÷ asmlink link" above 1 means that linker is slower than asmlink.',
  ];
  return { title: 'Link time', body: [...goals, '', parts.join('\n\n'), '', ...notes.map((n) => `- ${n}`)].join('\n') };
}
