// Link time: a generated program (many functions, hundreds of thousands of
// relocations, dozens of libc imports) linked by asmlink's internal linker and,
// from the single object that `asmlink build --linkmode external` hands to the
// system linker, by GNU ld, gold, lld and mold through the cc driver with the
// exact arguments asmlink used (captured through --extld). The same program
// for darwin/amd64 (importing from libSystem) is linked by asmlink and by
// ld64.lld, the one Mach-O linker here, from asmlink's external-mode object
// and the .tbd stub of libSystem it writes.

import * as fs from 'node:fs';
import * as os from 'node:os';
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

/**
 * A script for --extld that records the arguments asmlink passes (one per
 * line, in $ASMLINK_BENCH_CAPTURE), then runs `tool` with them. With
 * `keepTbd`, a .tbd argument (darwin's libSystem stub, in a directory
 * asmlink removes) is copied there and recorded as that path.
 */
function captureScript(dir: string, tool: string, keepTbd?: string): string {
  const p = path.join(dir, 'extld-capture.sh');
  const keep = keepTbd ? `case $a in *.tbd) cp "$a" "${keepTbd}"; a="${keepTbd}";; esac; ` : '';
  fs.writeFileSync(
    p,
    `#!/bin/sh\n# Records the external link command asmlink runs, then runs it with ${tool}.\n: > "$ASMLINK_BENCH_CAPTURE"\nfor a in "$@"; do ${keep}printf '%s\\n' "$a" >> "$ASMLINK_BENCH_CAPTURE"; done\nexec ${tool} "$@"\n`,
    { mode: 0o755 },
  );
  return p;
}

/** The external linker's arguments asmlink used, with its object and output replaced by ours. */
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
    const srcs = writeSources(dir, prog);
    const rows: Row[] = [];
    let obj: string | undefined;
    let captured: string[] | undefined;
    let external: RunResult | undefined;
    if (ctx.asmlink) {
      const al = ctx.asmlink;
      const { objs, asmWhy } = assembleEach(al, ['--os', 'linux', '--arch', 'amd64'], srcs);
      const exe1 = path.join(dir, 'prog-link');
      rows.push(asmWhy ? { label: 'asmlink link', cmd: '', why: asmWhy } : validate(ctx, 'asmlink link', [...al, 'link', '-o', exe1, ...objs], { check: () => runsOk(exe1) }));
      const exe2 = path.join(dir, 'prog-build');
      rows.push(validate(ctx, 'asmlink build (assemble + link)', [...al, 'build', '--os', 'linux', '--arch', 'amd64', '-o', exe2, ...srcs], { check: () => runsOk(exe2) }));
      // A program of 16 MiB of source or more is assembled on a thread per CPU: the same build on one thread beside it.
      if (os.availableParallelism() >= 2 && srcs.reduce((n, f) => n + fs.statSync(f).size, 0) >= 16 << 20) {
        const exe3 = path.join(dir, 'prog-build-one-thread');
        const same = (): string | undefined => runsOk(exe3) ?? (fs.readFileSync(exe3).equals(fs.readFileSync(exe2)) ? undefined : 'the executable differs from the one built on several threads');
        rows.push(validate(ctx, 'asmlink build, one thread', [...al, 'build', '--os', 'linux', '--arch', 'amd64', '-o', exe3, ...srcs], { env: { ASMLINK_ASM_THREADS: '1' }, check: same }));
      }
      // One external-mode build, to get the object and the command line.
      obj = path.join(dir, 'external.o');
      const capFile = path.join(dir, 'extld-args.txt');
      ctx.log('  asmlink build --linkmode external (once, to keep its object)');
      external = run([...al, 'build', '--os', 'linux', '--arch', 'amd64', '--linkmode', 'external', '--extld', captureScript(dir, 'cc'), '--keep-object', obj, '-o', path.join(dir, 'prog-ext'), ...srcs], {
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
    const nrel = obj ? relocCount(obj) : undefined;
    const objSize = obj ? fs.statSync(obj).size : undefined;
    parts.push(
      `### ${thousands(funcs)} functions, ${prog.files.length} files, ${thousands(prog.lines)} lines, ${prog.imports} imports; ` +
        (nrel !== undefined ? `${thousands(nrel)} relocations in the external-mode object (${bytes(objSize!)}, runtime included)` : `~${thousands(prog.relocs)} relocations in the sources`) +
        '\n\n' +
        linkerTable(rows),
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
  const darwin = darwinTable(ctx, ctx.quick ? 500 : 20000);
  parts.push(darwin.part);
  const notes = [
    `"asmlink link" links the objects \`asmlink asm\` wrote (one per file); "asmlink build" assembles and links the sources in one process, so it includes assembly; sources of 16 MiB or more in all are assembled on a thread per CPU (${os.availableParallelism()} here), and "one thread" is the same build with ASMLINK_ASM_THREADS=1, checked to make the same executable.`,
    `The system linkers link the one object \`asmlink build --linkmode external --keep-object\` wrote, through the cc driver with the arguments asmlink passed to it (captured with --extld): \`${capturedCmd || 'cc -no-pie -o OUT OBJ.o'}\` plus \`-fuse-ld=bfd|gold|lld|mold\`. The cc driver adds a few ms of its own start-up to those rows; asmlink's rows include Node.js start-up.`,
    'Every output is run once (it must exit 0) before it is timed. "time ÷ asmlink link" above 1 means that linker is slower than asmlink.',
    darwin.note,
  ];
  return { title: 'Link time', body: [...goals, '', parts.join('\n\n'), '', ...notes.map((n) => `- ${n}`)].join('\n') };
}

/** A link table: each row's median, best and ratio to the first row's (asmlink link). */
function linkerTable(rows: Row[]): string {
  const base = rows[0]!.timing;
  const body = rows.map((r) => {
    if (!r.timing) return [r.label, '—', '—', '—', `no figure: ${r.why}`];
    return [r.label, secs(r.timing.median), secs(r.timing.min), base ? ratio(r.timing.median / base.median) : '—', runsNote(r.timing)];
  });
  return table(['linker', 'median', 'best', 'time ÷ asmlink link', 'notes'], body);
}

/** Writes the program's files into dir; their paths. */
function writeSources(dir: string, prog: { files: { name: string; source: string }[] }): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return prog.files.map((f) => {
    const p = path.join(dir, f.name);
    fs.writeFileSync(p, f.source);
    return p;
  });
}

/** Objects for `asmlink link`, one per source (assembly itself is not part of the link figures); asmWhy says what failed. */
function assembleEach(al: string[], target: string[], srcs: string[]): { objs: string[]; asmWhy: string } {
  const objs: string[] = [];
  for (const s of srcs) {
    const o = s.replace(/\.s$/, '.o');
    const r = run([...al, 'asm', ...target, '-o', o, s]);
    if (!r.ok) return { objs, asmWhy: `cannot assemble ${path.basename(s)}: ${r.why}` };
    objs.push(o);
  }
  return { objs, asmWhy: '' };
}

/** A Mach-O executable's first four bytes: MH_MAGIC_64, little-endian. */
function isMachO64(exe: string): string | undefined {
  const b = fs.readFileSync(exe);
  return b.length > 4 && b.readUInt32LE(0) === 0xfeedfacf ? undefined : 'output is not a 64-bit Mach-O file';
}

/**
 * darwin/amd64: asmlink linking its objects against ld64.lld linking the
 * external-mode object. The outputs cannot run here: each is checked to be
 * a Mach-O file (the test suite checks such outputs in depth).
 */
function darwinTable(ctx: Context, funcs: number): { part: string; note: string } {
  const ld64 = ['ld64.lld', 'ld64.lld-14', 'ld64.lld-16'].find((t) => which(t));
  const prog = genProgram({ funcs, library: '/usr/lib/libSystem.B.dylib' });
  const srcs = writeSources(path.join(ctx.work, `link-darwin-${funcs}`), prog);
  const dir = path.dirname(srcs[0]!);
  const rows: Row[] = [];
  let peer: string[] | undefined;
  let captured: string[] | undefined;
  let peerWhy = ctx.asmlinkWhy;
  if (ctx.asmlink) {
    const al = ctx.asmlink;
    const target = ['--os', 'darwin', '--arch', 'amd64'];
    const { objs, asmWhy } = assembleEach(al, target, srcs);
    const exe = path.join(dir, 'prog-link');
    rows.push(asmWhy ? { label: 'asmlink link', cmd: '', why: asmWhy } : validate(ctx, 'asmlink link', [...al, 'link', ...target, '-o', exe, ...objs], { check: () => isMachO64(exe) }));
    if (ld64) {
      // The ld64.lld command asmlink runs, with the object and the .tbd kept.
      const obj = path.join(dir, 'external.o');
      const tbd = path.join(dir, 'libSystem.tbd');
      const capFile = path.join(dir, 'extld-args.txt');
      ctx.log('  asmlink build --os darwin --linkmode external (once, to keep its object)');
      const r = run([...al, 'build', ...target, '--linkmode', 'external', '--extld', captureScript(dir, ld64, tbd), '--keep-object', obj, '-o', path.join(dir, 'prog-ext'), ...srcs], {
        env: { ASMLINK_BENCH_CAPTURE: capFile },
      });
      if (r.ok && fs.existsSync(capFile) && fs.existsSync(obj) && fs.existsSync(tbd)) {
        const out = path.join(dir, 'prog-ld64');
        captured = fs.readFileSync(capFile, 'utf8').split('\n').filter((l) => l.length > 0);
        peer = [ld64, ...peerArgs(captured, obj, out)];
        rows.push(validate(ctx, 'ld64.lld', peer, { check: () => isMachO64(out) }));
      } else peerWhy = `asmlink build --linkmode external kept no object and .tbd${r.ok ? '' : ` (${r.why})`}`;
    }
  }
  if (!ld64) rows.push(missing('ld64.lld', 'ld64.lld (Debian package lld)'));
  else if (!peer) rows.push({ label: 'ld64.lld', cmd: '', why: peerWhy });
  timeTogether(ctx, rows);
  const shown = peer && captured ? [peer[0]!, ...peerArgs(captured, 'OBJ.o', 'OUT').map((a) => (a.endsWith('.tbd') ? path.basename(a) : a))].join(' ') : 'not captured';
  return {
    part: `### darwin/amd64: ${thousands(funcs)} functions, ${prog.files.length} files, imports from libSystem\n\n` + linkerTable(rows),
    note: `darwin/amd64 (no goal in the issues): asmlink links the Mach-O objects \`asmlink asm --os darwin\` wrote; ld64.lld links the object and libSystem .tbd that \`asmlink build --os darwin --linkmode external\` handed to it, with its arguments (\`${shown}\`). The outputs cannot run here; each is checked to be a 64-bit Mach-O file.`,
  };
}
