// Size of examples/threads: asmlink's executable beside the same program in C
// (bench/c/threads.c, gcc -O2, dynamically linked), each as built and
// stripped.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, which } from '../lib/exec.js';
import type { Context, Section } from '../lib/context.js';
import { ratio, table, thousands } from '../lib/table.js';

interface SizeRow {
  label: string;
  size?: number;
  stripped?: number;
  why?: string;
}

function stripped(exe: string): number | undefined {
  if (!which('strip')) return undefined;
  const out = exe + '.stripped';
  const r = run(['strip', '-o', out, exe]);
  return r.ok ? fs.statSync(out).size : undefined;
}

export function sizeSection(ctx: Context): Section {
  const dir = path.join(ctx.work, 'size');
  fs.mkdirSync(dir, { recursive: true });
  const rows: SizeRow[] = [];
  const example = path.join(ctx.root, 'examples/threads.s');
  for (const [label, name, extra] of [
    ['asmlink (libc runtime, internal link)', 'threads', []],
    ['asmlink -s (libc runtime, no symbol table)', 'threads-s', ['-s']],
    ['asmlink --threads raw (static)', 'threads-raw', ['--threads', 'raw']],
  ] as const) {
    if (!ctx.asmlink) rows.push({ label, why: ctx.asmlinkWhy });
    else if (!fs.existsSync(example)) rows.push({ label, why: 'examples/threads.s missing' });
    else {
      const exe = path.join(dir, name);
      const r = run([...ctx.asmlink, 'build', '--os', 'linux', '--arch', 'amd64', ...extra, '-o', exe, example]);
      if (!r.ok) rows.push({ label, why: `asmlink build failed: ${r.why}` });
      else {
        const ok = run([exe, '2'], { timeoutSec: 30 });
        rows.push(ok.ok ? { label, size: fs.statSync(exe).size, stripped: stripped(exe) } : { label, why: `output does not run: ${ok.why}` });
      }
    }
  }
  for (const [label, v] of [
    ["C, asmlink's recipe (gcc -O2, dynamic)", 'STACKSIZE'],
    ['C, seed recipe (gcc -O2, dynamic)', 'SEED'],
    ['C, default attributes (gcc -O2, dynamic)', 'DEFAULT'],
  ] as const) {
    if (!which('gcc')) {
      rows.push({ label, why: 'gcc not installed' });
      continue;
    }
    const exe = path.join(dir, `threads-c-${v.toLowerCase()}`);
    const r = run(['gcc', '-O2', `-DVARIANT_${v}`, '-o', exe, path.join(ctx.root, 'bench/c/threads.c'), '-lpthread']);
    rows.push(r.ok ? { label, size: fs.statSync(exe).size, stripped: stripped(exe) } : { label, why: `gcc failed: ${r.why}` });
  }
  const cRef = rows.find((r) => r.label.startsWith("C, asmlink's"));
  const body = rows.map((r) =>
    r.size === undefined
      ? [r.label, '—', '—', '—', '—', `no figure: ${r.why}`]
      : [
          r.label,
          thousands(r.size),
          r.stripped !== undefined ? thousands(r.stripped) : 'strip failed',
          cRef?.size ? ratio(r.size / cRef.size) : '—',
          cRef?.stripped && r.stripped !== undefined ? ratio(r.stripped / cRef.stripped) : '—',
          '',
        ],
  );
  const al = rows[0];
  const verdict = (a: number, c: number): string => `${a <= c / 2 ? 'met' : 'NOT met'} (${ratio(a / c)})`;
  const goal =
    al?.size !== undefined && cRef?.size !== undefined
      ? `- Goal (issue 3), half the C program's size or less: as built ${verdict(al.size, cRef.size)}` +
        (al.stripped !== undefined && cRef.stripped !== undefined ? `; both stripped ${verdict(al.stripped, cRef.stripped)}.` : '.')
      : "- Goal (issue 3), half the C program's size or less: not measurable in this run.";
  const notes = [
    'Bytes of the executable file for linux/amd64. "as built" keeps whatever symbol tables each toolchain writes by default; "stripped" is after `strip` (binutils).',
    'The C program is bench/c/threads.c (same arguments, work and output as examples/threads.s); the ratio columns divide by the C program that makes its threads as the libc runtime does (pthread_attr_setstacksize, detached, signals blocked).',
  ];
  return {
    title: 'Executable size (examples/threads)',
    body: [goal, '', table(['program', 'bytes as built', 'bytes stripped', '÷ C as built', '÷ C stripped', 'notes'], body), '', ...notes.map((n) => `- ${n}`)].join('\n'),
  };
}
