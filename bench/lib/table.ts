// Markdown output: tables and number formatting.

export function table(header: string[], rows: string[][]): string {
  // Names and notes left-aligned, figures right-aligned.
  const last = header.length - 1;
  const out = [`| ${header.join(' | ')} |`, `|${header.map((h, i) => (i === 0 || (i === last && /note/i.test(h)) ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const r of rows) out.push(`| ${r.join(' | ')} |`);
  return out.join('\n');
}

export function secs(s: number): string {
  if (s < 1e-3) return `${(s * 1e6).toFixed(0)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(1)} ms`;
  return `${s.toFixed(2)} s`;
}

/** A ratio printed as `2.31×`. */
export function ratio(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;
}

export function bytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(2)} MiB` : n >= 10240 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

export function thousands(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** How a figure was taken, for a table's notes column: `15 rounds` (interleaved with the table's other commands) or `3 runs`. */
export function runsNote(t: { runs: number; method: string }): string {
  const unit = t.method === 'interleaved' ? 'round' : 'run';
  return `${t.runs} ${unit}${t.runs > 1 ? 's' : ''}`;
}
