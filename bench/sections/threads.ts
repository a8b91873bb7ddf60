// Thread creation to completion, in µs per thread: examples/threads.s built by
// asmlink (libc runtime and --threads raw) beside bench/c/threads.c built
// four ways (the seed's recipe, asmlink's recipe, raw clone + futex, default
// pthread attributes). Every program makes N threads that each sum WORK integers and
// wake the main thread through a note; the figure is
// (time(N) - time(1)) / (N - 1), so process start-up and exit cancel out.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, which, type RunResult } from '../lib/exec.js';
import { repoRoot, type Context, type Section } from '../lib/context.js';
import { summarize, type Timing } from '../lib/timing.js';
import { ratio, table, thousands } from '../lib/table.js';

type Arch = 'amd64' | '386' | 'arm64';

interface Program {
  label: string;
  /** argv to run it, without the N/STACK/WORK arguments; undefined with `why`. */
  argv?: string[];
  why?: string;
  /** C programs take WORK as a third argument; the example has it compiled in. */
  takesWork: boolean;
}

interface Result {
  label: string;
  /** System calls per thread by name (native runs with strace only). */
  sys?: Map<string, number>;
  usPerThread?: number;
  tN?: Timing;
  t1?: Timing;
  why?: string;
}

/** Thread stack size: the example's default, except on arm64 where glibc's PTHREAD_STACK_MIN is 128 KiB. */
const stackFor = (arch: Arch): number => (arch === 'arm64' ? 131072 : 65536);

/** Expected output for n threads of `work` integers each (tids not compared). */
function checkOutput(out: string, n: number, work: number): string | undefined {
  const lines = out.trim().split('\n');
  if (lines.length !== n + 1) return `printed ${lines.length} lines, want ${n + 1}`;
  let total = 0n;
  const W = BigInt(work);
  for (let i = 0; i < n; i++) {
    const lo = BigInt(i) * W;
    const want = W * lo + (W * (W - 1n)) / 2n;
    total += want;
    const m = /^thread (\d+): sum=(-?\d+) tid=(\d+)$/.exec(lines[i]!.trim());
    if (!m || BigInt(m[1]!) !== BigInt(i)) return `line ${i + 1} is "${lines[i]}"`;
    if (BigInt(m[2]!) !== want) return `thread ${i} sum=${m[2]}, want ${want}`;
  }
  if (lines[n]!.trim() !== `total=${total}`) return `last line "${lines[n]}", want total=${total}`;
  return undefined;
}

function cCompiler(arch: Arch): { argv: string[]; why?: string } {
  if (arch === 'amd64') return which('gcc') ? { argv: ['gcc', '-O2'] } : { argv: [], why: 'gcc not installed' };
  if (arch === '386') return which('gcc') ? { argv: ['gcc', '-m32', '-O2'] } : { argv: [], why: 'gcc not installed' };
  if (which('aarch64-linux-gnu-gcc')) return { argv: ['aarch64-linux-gnu-gcc', '-O2'] };
  // clang with Debian's cross layout: the C library's headers, start files and
  // libc.so in /usr/aarch64-linux-gnu, GCC's crtbegin and libgcc from a cross
  // GCC's directory or else the arm64 libgcc-12-dev that
  // tools/fetch-c-libraries.mjs unpacks into .cache/. clang finds neither by
  // itself without a cross GCC installed (it took the host's /usr/include), so
  // both are named; a --sysroot would make ld.lld look for the absolute paths
  // in libc.so's linker script inside it.
  const cross = '/usr/aarch64-linux-gnu';
  const gccDir = [...crossGccDirs('/usr/lib/gcc-cross/aarch64-linux-gnu'), ...crossGccDirs(path.join(repoRoot(), '.cache', 'c-libraries', 'arm64', 'usr', 'lib', 'gcc', 'aarch64-linux-gnu'))].find((d) => fs.existsSync(path.join(d, 'crtbeginS.o')));
  if (which('clang') && fs.existsSync(`${cross}/include/errno.h`) && gccDir) {
    return { argv: ['clang', '--target=aarch64-linux-gnu', '-fuse-ld=lld', '-O2', '-isystem', `${cross}/include`, `-B${gccDir}`, `-L${gccDir}`, `-B${cross}/lib`, `-L${cross}/lib`] };
  }
  return {
    argv: [],
    why: 'no C compiler for arm64 here (aarch64-linux-gnu-gcc conflicts with gcc-multilib; clang needs the arm64 C headers, start files and libgcc: Debian packages clang, libc6-dev-arm64-cross, and libgcc-12-dev-arm64-cross or `node tools/fetch-c-libraries.mjs`)',
  };
}

/** The version directories of a GCC library directory (`.../aarch64-linux-gnu/12`), newest first; none if it is absent. */
function crossGccDirs(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort((a, b) => Number(b) - Number(a)).map((v) => path.join(dir, v));
  } catch {
    return [];
  }
}

/** How to run an executable for arch here, and whether that is emulated. */
function runnerFor(arch: Arch, probe: string | undefined): { prefix: string[]; emulated: boolean; why?: string } {
  if (arch === 'amd64') return { prefix: [], emulated: false };
  if (arch === '386') {
    if (probe) {
      const r = run([probe, '1', String(stackFor(arch)), '1'], { timeoutSec: 30 });
      if (r.ok) return { prefix: [], emulated: false };
    }
    return which('qemu-i386') ? { prefix: ['qemu-i386'], emulated: true } : { prefix: [], emulated: false, why: 'cannot run 386 natively and qemu-i386 is not installed' };
  }
  return which('qemu-aarch64') ? { prefix: ['qemu-aarch64', '-L', '/usr/aarch64-linux-gnu'], emulated: true } : { prefix: [], emulated: true, why: 'qemu-aarch64 not installed' };
}


/** Calls per system call name from one run under `strace -f -c`, or undefined without strace. */
function syscalls(argv: string[], dir: string): Map<string, number> | undefined {
  if (!which('strace')) return undefined;
  const out = path.join(dir, 'strace.txt');
  const r = run(['strace', '-f', '-qq', '-c', '-o', out, ...argv], { timeoutSec: 120 });
  if (!r.ok || !fs.existsSync(out)) return undefined;
  const calls = new Map<string, number>();
  for (const line of fs.readFileSync(out, 'utf8').split('\n')) {
    const t = line.trim().split(/\s+/);
    if (t.length < 5 || !/^\d/.test(t[0]!) || t[t.length - 1] === 'total') continue;
    calls.set(t[t.length - 1]!, Number(t[3]));
  }
  return calls;
}

/** System calls per thread, by name: the difference between N and 1 threads, over N - 1. */
function syscallsPerThread(args: (k: number) => string[], dir: string, n: number): Map<string, number> | undefined {
  const a = syscalls(args(n), dir);
  const b = syscalls(args(1), dir);
  if (!a || !b) return undefined;
  const per = new Map<string, number>();
  for (const [name, c] of a) {
    const v = (c - (b.get(name) ?? 0)) / (n - 1);
    if (v >= 0.05) per.set(name, v);
  }
  return new Map([...per].sort((x, y) => y[1] - x[1]));
}

export function threadsSection(ctx: Context): Section {
  const parts: string[] = [];
  const goals: string[] = [];
  const notes: string[] = [];
  const example = path.join(ctx.root, 'examples/threads.s');
  let work = 1000;
  let exampleSrc: string | undefined;
  if (fs.existsSync(example)) {
    const text = fs.readFileSync(example, 'utf8');
    const re = /^(#define\s+CHUNK\s+)(\d+)/m;
    if (re.test(text)) exampleSrc = text.replace(re, `$1${work}`);
    else {
      exampleSrc = text;
      work = 1000000;
      notes.push('examples/threads.s has no `#define CHUNK n` line to shrink the per-thread work, so every program sums 1,000,000 integers per thread and the work dominates.');
    }
  }
  const cSrc = path.join(ctx.root, 'bench/c/threads.c');

  for (const arch of ['amd64', '386', 'arm64'] as const) {
    const dir = path.join(ctx.work, `threads-${arch}`);
    fs.mkdirSync(dir, { recursive: true });
    ctx.log(`threads ${arch}: building`);
    const programs: Program[] = [];
    const built: Record<string, string> = {};
    // asmlink, both runtime variants.
    for (const [label, extra] of [['asmlink (libc runtime)', []], ['asmlink --threads raw', ['--threads', 'raw']]] as const) {
      if (!ctx.asmlink) programs.push({ label, why: ctx.asmlinkWhy, takesWork: false });
      else if (!exampleSrc) programs.push({ label, why: 'examples/threads.s missing', takesWork: false });
      else {
        const src = path.join(dir, 'threads.s');
        fs.writeFileSync(src, exampleSrc);
        const exe = path.join(dir, extra.length ? 'threads-raw' : 'threads-libc');
        const r = run([...ctx.asmlink, 'build', '--os', 'linux', '--arch', arch, ...extra, '-o', exe, src]);
        programs.push(r.ok ? { label, argv: [exe], takesWork: false } : { label, why: `asmlink build failed: ${r.why}`, takesWork: false });
      }
    }
    // The C peers.
    const cc = cCompiler(arch);
    for (const [label, v] of [
      ['C: seed recipe (mmap stack+guard, setstack, detached, sigmask)', 'SEED'],
      ["C: asmlink's recipe (setstacksize, detached, sigmask)", 'STACKSIZE'],
      ['C: raw clone + futex', 'CLONE'],
      ['C: pthread default attributes', 'DEFAULT'],
    ] as const) {
      if (cc.why) {
        programs.push({ label, why: cc.why, takesWork: true });
        continue;
      }
      const exe = path.join(dir, `threads-c-${v.toLowerCase()}`);
      const r = run([...cc.argv, `-DVARIANT_${v}`, '-o', exe, cSrc, '-lpthread']);
      if (r.ok) built[v] = exe;
      programs.push(r.ok ? { label, argv: [exe], takesWork: true } : { label, why: `${cc.argv[0]} failed: ${r.why}`, takesWork: true });
    }
    const runner = runnerFor(arch, built.SEED);
    const n = ctx.quick ? 100 : runner.emulated ? 500 : 2000;
    const STACK = stackFor(arch);
    // Validate every program first (output for N=8 checked; N and 1 must run).
    /** A program that ran correctly: its argv for k threads, its validation times, and its timed samples. */
    type Ready = { args: (k: number) => string[]; big: number; one: number; tN: number[]; t1: number[] };
    const ready = new Map<string, Ready>();
    const failed = new Map<string, string>();
    for (const p of programs) {
      if (!p.argv) failed.set(p.label, p.why!);
      else if (runner.why) failed.set(p.label, runner.why);
      else {
        const args = (k: number): string[] => [...runner.prefix, ...p.argv!, String(k), String(STACK), ...(p.takesWork ? [String(work)] : [])];
        ctx.log(`  ${p.label}`);
        const v: RunResult = run(args(8), { timeoutSec: 120 });
        const bad = v.ok ? checkOutput(v.stdout, 8, work) : undefined;
        const big = v.ok && !bad ? run(args(n), { timeoutSec: 120 }) : undefined;
        const one = big?.ok ? run(args(1), { timeoutSec: 60 }) : undefined;
        if (!v.ok) failed.set(p.label, `does not run: ${v.why}`);
        else if (bad) failed.set(p.label, `wrong output: ${bad}`);
        else if (!big!.ok) failed.set(p.label, `fails with N=${n}: ${big!.why}`);
        else if (!one!.ok) failed.set(p.label, `fails with N=1: ${one!.why}`);
        else ready.set(p.label, { args, big: big!.seconds, one: one!.seconds, tN: [], t1: [] });
      }
    }
    // Interleaved rounds: each round times every program once with N threads
    // and once with 1, so a change in the machine's load during the section
    // touches every program alike (this machine is shared; series timed one
    // program after another were skewed by whatever ran meanwhile).
    const slowest = Math.max(0, ...[...ready.values()].map((r) => r.big + r.one));
    const rounds = ctx.quick ? 1 : Math.max(3, Math.min(15, Math.floor(60 / Math.max(slowest * ready.size, 1e-3))));
    for (let round = 0; round < rounds; round++) {
      for (const [label, r] of ready) {
        if (failed.has(label)) continue;
        const a = run(r.args(n), { timeoutSec: 120 });
        const b = run(r.args(1), { timeoutSec: 60 });
        if (!a.ok || !b.ok) {
          failed.set(label, `failed while being timed (round ${round + 1}): ${(a.ok ? b : a).why}`);
          continue;
        }
        r.tN.push(a.seconds);
        r.t1.push(b.seconds);
      }
    }
    const results: Result[] = programs.map((p) => {
      const why = failed.get(p.label);
      if (why !== undefined) return { label: p.label, why };
      const r = ready.get(p.label)!;
      const tN = summarize(r.tN);
      const t1 = summarize(r.t1);
      const sys = runner.emulated ? undefined : syscallsPerThread(r.args, dir, Math.min(n, 200));
      return { label: p.label, tN, t1, sys, usPerThread: ((tN.median - t1.median) / (n - 1)) * 1e6 };
    });
    const cdef = results.find((r) => r.label.includes('default'))?.usPerThread;
    if (arch === 'amd64')
      notes.push(
        'Output is part of every figure: examples/threads.s and the C programs both write standard output in 4 KiB blocks when it is not a terminal (the runtime asks isatty, as stdio does), so printing costs them alike.',
      );
    const sysTotal = (m: Map<string, number> | undefined): string => (m ? [...m.values()].reduce((a, b) => a + b, 0).toFixed(1) : '—');
    const rows = results.map((r) =>
      r.usPerThread === undefined
        ? [r.label, '—', '—', '—', '—', '—', `no figure: ${r.why}`]
        : [r.label, r.usPerThread.toFixed(1), cdef ? ratio(r.usPerThread / cdef) : '—', `${(r.tN!.median * 1e3).toFixed(1)} ms`, `${(r.t1!.median * 1e3).toFixed(1)} ms`, sysTotal(r.sys), `${r.tN!.runs} round${r.tN!.runs > 1 ? "s" : ""}`],
    );
    const profiles = results.filter((r) => r.sys && r.sys.size > 0).map((r) => `  - ${r.label}: ${[...r.sys!].map(([k, v]) => `${v.toFixed(1)} ${k}`).join(', ')}`);
    if (profiles.length > 0) notes.push(`System calls per thread on linux/${arch} (strace -f -c, N=200 minus N=1, over 199; futex counts vary with timing):\n${profiles.join('\n')}`);
    parts.push(
      `### linux/${arch}${runner.emulated ? ' — EMULATED (' + runner.prefix[0] + '), not comparable with native figures' : ''}: N=${thousands(n)} threads, ${thousands(work)} integers each, ${STACK / 1024} KiB stacks\n\n` +
        table(['program', 'µs/thread', '÷ C default attrs', `time(N=${n})`, 'time(N=1)', 'syscalls/thread', 'notes'], rows),
    );
    if (arch === 'amd64') {
      const lib = results[0]?.usPerThread;
      const seed = results.find((r) => r.label.includes('seed'))?.usPerThread;
      if (lib !== undefined && cdef !== undefined) goals.push(`- Goal (issue 3), libc runtime no slower than C with default attributes: ${lib <= cdef ? 'met' : 'NOT met'} (${ratio(lib / cdef)}).`);
      else goals.push('- Goal (issue 3), libc runtime no slower than C with default attributes: not measurable in this run.');
      if (lib !== undefined && seed !== undefined) goals.push(`- Never slower than the seed-recipe C program: ${lib <= seed ? 'met' : 'NOT met'} (${ratio(lib / seed)} of it).`);
    }
  }
  notes.push(
    `asmlink builds examples/threads.s with its per-thread work (\`#define CHUNK\`) set to ${thousands(work)}; bench/c/threads.c takes the same work as an argument. Each program's output for N=8 is checked (sums and total) before it is timed. Stacks are 64 KiB (the example's default), 128 KiB on arm64, whose glibc refuses less (PTHREAD_STACK_MIN).`,
    'µs/thread = (median time with N threads − median time with 1 thread) / (N − 1): creation, the small sum, the wake-up through the note and the main thread\'s wait, per thread. "÷ C default attrs" below 1 means faster than C with default pthread attributes.',
    'All C programs are built with -O2: gcc (-m32 for 386), and for arm64 aarch64-linux-gnu-gcc or else clang with ld.lld. The seed recipe maps a fresh stack with a guard page for every thread, as the seed\'s newosproc does; asmlink\'s recipe (what the libc runtime does, as later Go versions do) and the default-attributes program let glibc allocate and cache the stacks (the default ones are 8 MiB, of which glibc caches only a few).',
    'Timing: interleaved rounds — each round runs every program once with N threads and once with 1 (process.hrtime around spawnSync), so load changes on a shared machine touch all programs alike; figures are medians over the rounds.',
  );
  return { title: 'Thread creation to completion', body: [...goals, '', parts.join('\n\n'), '', ...notes.map((n) => `- ${n}`)].join('\n') };
}
