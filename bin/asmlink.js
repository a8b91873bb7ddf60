#!/usr/bin/env node
// The `asmlink` command. A committed file rather than the compiled CLI itself,
// so that it keeps its executable bit in a fresh clone (tsc writes dist/
// without one, and `npx asmlink` runs the bin directly). The CLI is compiled
// to dist/ and bundled into one module, dist/asmlink.mjs, by `npm run build`,
// which `npm ci` runs through `prepare`: one file, ASCII and without comments,
// loads faster than the ~40 modules it is made of (dist/src/cli/main.js is the
// same CLI unbundled, with readable stack traces).
import '../dist/asmlink.mjs';
