// Replays one fuzz input: `node dist/test/fuzz/replay.js PROPERTY 'JSON-INPUT'`
// (the counterexample the campaign printed). Exit status 0 when the input is
// handled (a result or diagnostics), 1 with the failure otherwise. Regression
// tests run inputs that once hung through this, in a child with a timeout.

import { PROPERTIES } from './properties.js';

const [name, json] = process.argv.slice(2);
const p = PROPERTIES.find((q) => q.name === name);
if (!p || json === undefined) {
  process.stderr.write(`usage: replay.js PROPERTY JSON\nproperties: ${PROPERTIES.map((q) => q.name).join(', ')}\n`);
  process.exit(2);
}
try {
  p.check(JSON.parse(json) as never);
  process.stdout.write('handled\n');
} catch (e) {
  process.stdout.write(`FAILED: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
}
