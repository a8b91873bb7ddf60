// Package build step (after tsc): assembles the runtime for every target and
// variant into dist/runtime-objects/, with the manifest runtime-cache.ts
// checks at link time. Run as `node dist/src/host/prebuild-runtime.js`.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assembleAll } from '../build.js';
import { writeElfObject } from '../formats/elf/write-object.js';
import type { Target } from '../target.js';
import { runtimeSets, type ThreadsVariant } from '../runtime/select.js';
import { readTextFile } from './files.js';
import { field, MANIFEST_FORMAT, objectsDir, setName, SOURCE_COPIES, takeInputSet, type CachedObject, type Manifest } from './runtime-cache.js';
import { packageRoot, runtimeDir, runtimeIncludeDir, runtimeSources } from './runtime-files.js';

function prebuild(): void {
  const inputs = { code: takeInputSet('code'), runtime: takeInputSet('runtime') };
  const rtDir = runtimeDir();
  const out = objectsDir();
  // Written beside the old directory and swapped in: a failed build leaves the old objects, whose keys no longer match.
  const tmp = `${out}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  // The runtime files as they were, for the check at link time (runtimeUnchanged).
  const root = packageRoot();
  fs.writeFileSync(path.join(tmp, SOURCE_COPIES), Buffer.concat(inputs.runtime.files.map(([file]) => fs.readFileSync(path.join(root, file)))));
  const manifest: Manifest = { format: MANIFEST_FORMAT, root, inputs, sets: {} };
  for (const [t, variant] of runtimeSets()) {
    const key = setKey(inputs, t, variant);
    const sub = `${t.os}-${t.arch}-${variant}-${key.slice(0, 16)}`;
    fs.mkdirSync(path.join(tmp, sub));
    // The set's inputs: its sources and every header they include, as the assembler reads them.
    const sources = runtimeSources(t, variant);
    const read = new Set(sources.map((src) => src.file));
    const readFile = (file: string) => {
      const text = readTextFile(file);
      if (text !== undefined) read.add(file);
      return text;
    };
    const objects = assembleAll(sources, { target: t, pkg: 'runtime', includeDirs: [runtimeIncludeDir()], readFile, insts: false });
    const cached: CachedObject[] = objects.map((o) => {
      // ELF for every target: the writer refuses a darwin target only because darwin links want Mach-O.
      const bytes = writeElfObject({ ...o, target: { os: 'linux', arch: t.arch } });
      const file = `${sub}/${path.basename(o.name).replace(/\.s$/, '.o')}`;
      fs.writeFileSync(path.join(tmp, file), bytes);
      return { source: path.relative(rtDir, o.name).split(path.sep).join('/'), file };
    });
    const used = [...read].map((file) => path.relative(root, file).split(path.sep).join('/')).sort();
    manifest.sets[setName(t, variant)] = { objects: cached, inputs: used };
  }
  fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(manifest) + '\n');
  fs.rmSync(out, { recursive: true, force: true });
  fs.renameSync(tmp, out);
}

/** Names a set's directory: the inputs' hashes, the target and the variant. */
function setKey(inputs: Manifest['inputs'], t: Target, variant: ThreadsVariant): string {
  const h = createHash('sha256');
  field(h, `asmlink runtime objects ${MANIFEST_FORMAT}`);
  field(h, inputs.code.hash);
  field(h, inputs.runtime.hash);
  field(h, setName(t, variant));
  return h.digest('hex');
}

prebuild();
