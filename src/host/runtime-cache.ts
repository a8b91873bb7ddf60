// Precompiled runtime objects, as a C toolchain ships crt files: the package
// build (prebuild-runtime.ts) assembles the runtime for every target and
// variant into dist/runtime-objects/, and a link reads those objects instead
// of loading the assembler and assembling the runtime again.
//
// A stale object must never be used. The manifest records the sha256 of
// every file the objects depend on: asmlink's code (every dist/src/**/*.js:
// the assembler, the object writer and this reader are all in there) and
// every file under runtime/ (sources and headers); each set's directory is
// named by target, variant and a key derived from that hash. It also keeps
// each of those files' size, mtime and ctime at build time: when all are
// unchanged, as in the tree that built the package, the recorded hash is the
// files' hash (ctime cannot be set back by a program, so a rewritten file
// always differs) and nothing is hashed. Otherwise, as in an installed or
// copied package or after a rebuild without this step, the files are hashed
// again (about 1.2 MB, some 15 ms: still far less than assembling). A hash
// that does not match means the runtime is assembled as before.
//
// Objects are stored in asmlink's ELF object format for every target (one
// reader to load for every link): it keeps each symbol's flags, alignment,
// frame, file and line and the assembler's symbol order, which decides the
// layout, so a runtime read back links exactly as an assembled one.

import type { Hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { plainError } from '../diag.js';
import { readElfObject } from '../formats/elf/read-object.js';
import type { ObjectFile } from '../obj/symbol.js';
import type { Target } from '../target.js';
import { packageRoot, runtimeDir, runtimeSourceFiles, type ThreadsVariant } from './runtime-files.js';

export const MANIFEST_FORMAT = 2;

/** One source's object: its path under runtime/ and its file under dist/runtime-objects/. */
export interface CachedObject {
  source: string;
  file: string;
}

export interface Manifest {
  format: number;
  /** The package root when the objects were assembled: symbols name their files under it. */
  root: string;
  /** Hash of the input files, and each one's [path under the root, size, mtimeMs, ctimeMs] then. */
  inputs: { hash: string; files: FileStat[] };
  /** The objects per `os/arch/variant`. */
  sets: Record<string, CachedObject[]>;
}

export type FileStat = [string, number, number, number];

export function objectsDir(): string {
  return path.join(packageRoot(), 'dist', 'runtime-objects');
}

export function setName(t: Target, variant: ThreadsVariant): string {
  return `${t.os}/${t.arch}/${variant}`;
}

/** The files the prebuilt objects depend on, relative to the package root ('/'-separated, sorted). */
export function inputFiles(): string[] {
  const root = packageRoot();
  const out: string[] = [];
  const walk = (rel: string, ext: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r, ext);
      else if (e.name.endsWith(ext)) out.push(r);
    }
  };
  walk('dist/src', '.js');
  walk('runtime', '');
  return out;
}

/** sha256 over names and contents, each length-prefixed so no two file sets hash alike. */
export async function hashFiles(files: readonly string[]): Promise<string> {
  // Loaded only when something is hashed: a link in the tree that built the package hashes nothing.
  const { createHash } = await import('node:crypto');
  const root = packageRoot();
  const h = createHash('sha256');
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(root, f));
    field(h, f);
    h.update(`${bytes.length}\n`);
    h.update(bytes);
  }
  return h.digest('hex');
}

export function field(h: Hash, s: string): void {
  h.update(`${Buffer.byteLength(s)}\n${s}`);
}

export function fileStats(files: readonly string[]): FileStat[] {
  const root = packageRoot();
  return files.map((f) => {
    const st = fs.statSync(path.join(root, f));
    return [f, st.size, st.mtimeMs, st.ctimeMs];
  });
}

/** The hash of the input files now: the manifest's when none changed since it was written. */
async function currentInputsHash(m: Manifest): Promise<string> {
  const files = inputFiles();
  const then = m.inputs.files;
  const same = files.length === then.length && fileStats(files).every((s, i) => s[0] === then[i][0] && s[1] === then[i][1] && s[2] === then[i][2] && s[3] === then[i][3]);
  return same ? m.inputs.hash : hashFiles(files);
}

function readManifest(): Manifest | string {
  let m: Manifest;
  try {
    m = JSON.parse(fs.readFileSync(path.join(objectsDir(), 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return 'no readable prebuilt runtime manifest (run `npm run build`)';
  }
  return m.format === MANIFEST_FORMAT ? m : `prebuilt runtime objects in format ${m.format}, not ${MANIFEST_FORMAT}`;
}

/** The prebuilt runtime for a target, or why there is none that matches the code and runtime sources now. */
export async function prebuiltRuntime(t: Target, variant: ThreadsVariant): Promise<ObjectFile[] | string> {
  const m = readManifest();
  if (typeof m === 'string') return m;
  const set = m.sets[setName(t, variant)];
  if (!set) return `no prebuilt runtime for ${setName(t, variant)}`;
  if ((await currentInputsHash(m)) !== m.inputs.hash) return `prebuilt runtime for ${setName(t, variant)} is stale (asmlink's code or runtime/ changed since the package was built)`;
  const sources = runtimeSourceFiles(t, variant);
  if (sources.length !== set.length) return `prebuilt runtime for ${setName(t, variant)} has other sources`;
  const root = packageRoot();
  const rtDir = runtimeDir();
  const dir = objectsDir();
  return set.map((c, i) => {
    const name = sources[i]!;
    if (path.relative(rtDir, name).split(path.sep).join('/') !== c.source) throw new Error(`internal: prebuilt runtime object ${c.file} is not for ${name}`);
    const read = readElfObject(fs.readFileSync(path.join(dir, c.file)), name);
    // Symbols name the files they came from under the root they were assembled in.
    if (m.root !== root) {
      for (const s of read.symbols) s.file = moved(s.file, m.root, root);
      for (const d of read.dynimports) d.file = moved(d.file, m.root, root);
    }
    return { ...read, target: t };
  });
}

function moved(file: string, from: string, to: string): string {
  return file.startsWith(from + path.sep) ? to + file.slice(from.length) : file;
}

/** ASMLINK_RUNTIME_OBJECTS: `off` always assembles the runtime; `require` fails when no fresh prebuilt runtime exists (for tests). */
export function runtimeObjectsMode(): 'auto' | 'off' | 'require' {
  const v = process.env.ASMLINK_RUNTIME_OBJECTS;
  if (v === undefined || v === '' || v === 'auto') return 'auto';
  if (v === 'off' || v === 'require') return v;
  throw plainError(`ASMLINK_RUNTIME_OBJECTS=${v}: expected auto, off or require`);
}
