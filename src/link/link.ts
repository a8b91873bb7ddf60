// The linker's entry point for the API: every format's writers are loaded, so
// any target links. The pipeline itself, and the seam where a format plugs
// in, are described in pipeline.ts.

import type { ObjectFile } from '../obj/symbol.js';
import type { LinkOptions, LinkResult } from './program.js';
import { linkWith } from './pipeline.js';
import { execWriterFor, objectWriterFor } from './writers.js';

export function link(objects: ObjectFile[], opts: LinkOptions): LinkResult {
  return linkWith(objects, opts, { exec: execWriterFor(opts.target), object: objectWriterFor(opts.target) });
}
