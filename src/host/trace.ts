// ASMLINK_TRACE=phases: one line per stage on stderr with the wall time it
// took and the page faults it caused. On machines where first-touching memory
// is expensive the fault count says more than a CPU profile does.

let last: { t: number; faults: number } | undefined;

function sample(): { t: number; faults: number } {
  return { t: performance.now(), faults: process.resourceUsage().minorPageFault };
}

/** The tracer when ASMLINK_TRACE=phases is set, else undefined. */
export function phaseTracer(): ((name: string) => void) | undefined {
  if (process.env['ASMLINK_TRACE'] !== 'phases') return undefined;
  last ??= sample();
  return (name) => {
    const now = sample();
    process.stderr.write(`asmlink: ${name.padEnd(16)} ${(now.t - last!.t).toFixed(1).padStart(8)} ms ${String(now.faults - last!.faults).padStart(7)} faults\n`);
    last = now;
  };
}
