// The long fuzz campaign: `npm run fuzz [-- --runs N] [--seed S] [--time SECONDS] [--only NAME]`.
// Each property runs in a worker thread watched by this one: a case that
// hangs (no progress for --hang seconds) is killed and reported with its input,
// which a regression test (regressions.test.ts) can then replay.

import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { resetStats, stats } from './harness.js';
import { PROPERTIES, runProperty } from './properties.js';

interface Job {
  name: string;
  seed: number;
  numRuns: number;
  timeMs: number;
}

type FromWorker =
  | { t: 'case'; n: number; input: string }
  | { t: 'done'; failed: boolean; report: string; runs: number; ok: number; diagnosed: number; slowestMs: number; messages: [string, number][] };

function show(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
}

function workerMain(job: Job): void {
  const p = PROPERTIES.find((q) => q.name === job.name)!;
  let n = 0;
  const checked = { ...p, check: (x: never) => {
    parentPort!.postMessage({ t: 'case', n: n++, input: show(x) } satisfies FromWorker);
    p.check(x);
  } };
  resetStats();
  const details = runProperty(checked, { seed: job.seed, numRuns: job.numRuns, interruptAfterTimeLimit: job.timeMs, markInterruptAsFailure: false });
  let report = '';
  if (details.failed) {
    report = `seed ${details.seed}, path "${details.counterexamplePath}"\ncounterexample: ${show(details.counterexample)}\n${String(details.errorInstance)}`;
  }
  parentPort!.postMessage({
    t: 'done',
    failed: details.failed,
    report,
    runs: details.numRuns,
    ok: stats.ok,
    diagnosed: stats.diagnosed,
    slowestMs: stats.slowestMs,
    messages: [...stats.messages].sort((a, b) => b[1] - a[1]).slice(0, 12),
  } satisfies FromWorker);
}

function runJob(job: Job, hangMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const w = new Worker(fileURLToPath(import.meta.url), { workerData: job });
    let last: { n: number; input: string } | null = null;
    let timer: NodeJS.Timeout;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        console.log(`  HANG: no progress for ${hangMs / 1000} s; last input (case ${last?.n}):\n  ${last?.input}`);
        void w.terminate();
        resolve(false);
      }, hangMs);
    };
    arm();
    w.on('message', (m: FromWorker) => {
      if (m.t === 'case') {
        last = { n: m.n, input: m.input };
        arm();
        return;
      }
      clearTimeout(timer);
      console.log(`  ${m.runs} cases: ${m.ok} accepted, ${m.diagnosed} diagnosed, slowest ${m.slowestMs.toFixed(0)} ms CPU`);
      for (const [msg, count] of m.messages) console.log(`    ${String(count).padStart(6)}  ${msg}`);
      if (m.failed) console.log(`  FAILED: ${m.report}`);
      void w.terminate();
      resolve(!m.failed);
    });
    w.on('error', (e) => {
      clearTimeout(timer);
      console.log(`  CRASH in worker (last input ${last?.input}): ${e.stack}`);
      resolve(false);
    });
  });
}

async function main(argv: string[]): Promise<number> {
  const opt = (name: string, def: number): number => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : def;
  };
  const only = argv.indexOf('--only') >= 0 ? argv[argv.indexOf('--only') + 1] : undefined;
  const seed = opt('--seed', Date.now() % 2 ** 31);
  const runs = opt('--runs', 5000);
  const timeS = opt('--time', 600);
  const hangMs = opt('--hang', 30) * 1000;
  const props = PROPERTIES.filter((p) => !only || p.name.includes(only));
  if (props.length === 0) {
    console.error(`no property matches ${only}; have: ${PROPERTIES.map((p) => p.name).join(', ')}`);
    return 2;
  }
  console.log(`fuzz campaign: seed ${seed}, up to ${runs} cases per property, ${timeS} s in all`);
  let ok = true;
  for (const p of props) {
    console.log(`${p.name}:`);
    const t0 = Date.now();
    ok = (await runJob({ name: p.name, seed, numRuns: runs, timeMs: (timeS * 1000) / props.length }, hangMs)) && ok;
    console.log(`  ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log(ok ? 'no failures' : 'FAILURES (see above); replay with FUZZ_SEED and add a regression test');
  return ok ? 0 : 1;
}

if (isMainThread) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
} else {
  workerMain(workerData as Job);
}
