// Bundles the CLI (dist/src/cli/main.js, compiled by tsc) into one CommonJS
// script, dist/cli.cjs: what bin/asmlink.cjs runs (see there for why a
// script). Part of every build (package.json); run from the package root.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as esbuild from 'esbuild';

const bundle = 'dist/cli.cjs';

const { outputFiles } = await esbuild.build({
  entryPoints: ['dist/src/cli/main.js'],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  minifyWhitespace: true,
  charset: 'ascii',
  logLevel: 'warning',
  write: false, // written below, with its name
  // import.meta.url (runtime-files.ts finds the package root from it,
  // node-builtins.ts makes a require with it) becomes the bundle's URL:
  // bin/asmlink.cjs passes its path.
  define: { 'import.meta.url': '__asmlinkBundleUrl' },
  banner: { js: 'var __asmlinkBundleUrl=require("node:url").pathToFileURL(__filename).href;' },
});

// The bundle's last line names it by its hash: V8 accepts a code cache made
// for any source of the same length (and runs the cached code), so the
// cache records this name and bin/asmlink.cjs uses it only for the bundle
// that bears it.
const text = outputFiles[0].text;
fs.writeFileSync(bundle, `${text}//# asmlink-bundle=${createHash('sha256').update(text).digest('hex')}\n`);
