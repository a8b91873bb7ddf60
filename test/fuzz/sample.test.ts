// Fixed-seed sample of every fuzz property (see properties.ts): a few seconds
// in npm test. The long campaign is `npm run fuzz`. Replay a campaign's seed
// with FUZZ_SEED=... FUZZ_RUNS=... node --test dist/test/fuzz/.

import { test } from 'node:test';
import fc from 'fast-check';
import { fuzzParams } from './harness.js';
import { PROPERTIES } from './properties.js';

for (const p of PROPERTIES) {
  test(`fuzz: ${p.name}`, () => {
    fc.assert(
      fc.property(p.arb, (x) => {
        p.check(x);
        return true;
      }),
      fuzzParams(p.sampleRuns),
    );
  });
}
