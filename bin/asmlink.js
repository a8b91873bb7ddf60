#!/usr/bin/env node
// The `asmlink` command. A committed file rather than the compiled CLI itself,
// so that it keeps its executable bit in a fresh clone (tsc writes dist/
// without one, and `npx asmlink` runs the bin directly). The CLI is compiled
// to dist/ by `npm run build`, which `npm ci` runs through `prepare`.
import '../dist/src/cli/main.js';
