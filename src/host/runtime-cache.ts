// Precompiled runtime objects, as a C toolchain ships crt files: the package
// build (prebuild-runtime.ts) assembles the runtime for every target and
// variant into dist/runtime-objects/, and a link reads those objects instead
// of loading the assembler and assembling the runtime again.
//
// A stale object must never be used. The manifest records the sha256 of the
// files the objects depend on, in two sets: asmlink's code (every
// dist/src/**/*.js: the assembler, the object writer and this reader are all
// in there) and runtime/ (sources and headers); each set's directory is
// named by target, variant and a key derived from both hashes. It also keeps
// each of those files' size, mtime and ctime at build time: when all are
// unchanged the recorded hash is the files' hash (ctime cannot be set back by
// a program, so a rewritten file always differs) and nothing is hashed.
//
// In the tree that built the objects (a source checkout) both sets are
// checked, and a set whose files' times differ is hashed again. Anywhere else
// (an installed or copied package) only runtime/ is: a package's compiled code
// is not edited in place — recompiling happens in a source tree, whose build
// makes the objects again — while its runtime sources are plain files a user
// may edit. So a link in an installed package stats 37 files and hashes at
// most 200 KB, not the whole 1.1 MB of code (about 20 ms per link otherwise).
// A hash that does not match means the runtime is assembled as before.
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
import { nodeCrypto } from './node-builtins.js';
import { packageRoot, runtimeDir, runtimeSourceFiles, type ThreadsVariant } from './runtime-files.js';

export const MANIFEST_FORMAT = 3;

/** One source's object: its path under runtime/ and its file under dist/runtime-objects/. */
export interface CachedObject {
  source: string;
  file: string;
}

/** A set of input files: their hash, and each one's [path under the root, size, mtimeMs, ctimeMs] when it was taken. */
export interface InputSet {
  hash: string;
  files: FileStat[];
}

export interface Manifest {
  format: number;
  /** The package root when the objects were assembled: symbols name their files under it. */
  root: string;
  /** asmlink's compiled code and the runtime sources the objects were made from. */
  inputs: { code: InputSet; runtime: InputSet };
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

/** The files of one input set, relative to the package root ('/'-separated, sorted). */
export function inputFiles(set: 'code' | 'runtime'): string[] {
  const root = packageRoot();
  const out: string[] = [];
  const walk = (rel: string, ext: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r, ext);
      else if (e.name.endsWith(ext)) out.push(r);
    }
  };
  if (set === 'code') {
    // The CLI runs the bundle made from dist/src (tools/bundle.mjs).
    if (fs.existsSync(path.join(root, 'dist', 'cli.cjs'))) out.push('dist/cli.cjs');
    walk('dist/src', '.js');
  } else walk('runtime', '');
  return out;
}

/** Hashes and stats one input set now, as the manifest records it. */
export async function takeInputSet(set: 'code' | 'runtime'): Promise<InputSet> {
  const files = inputFiles(set);
  return { hash: await hashFiles(files), files: fileStats(files) };
}

/** sha256 over names and contents, each length-prefixed so no two file sets hash alike. */
async function hashFiles(files: readonly string[]): Promise<string> {
  // Loaded only when something is hashed: a link in the tree that built the package hashes nothing.
  const { createHash } = nodeCrypto();
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

function fileStats(files: readonly string[]): FileStat[] {
  const root = packageRoot();
  return files.map((f) => {
    const st = fs.statSync(path.join(root, f));
    return [f, st.size, st.mtimeMs, st.ctimeMs];
  });
}

/** Whether an input set still holds what the manifest recorded: by file times when none changed, else by hash. */
async function unchanged(set: 'code' | 'runtime', then: InputSet): Promise<boolean> {
  const files = inputFiles(set);
  const same = files.length === then.files.length && fileStats(files).every((s, i) => s[0] === then.files[i][0] && s[1] === then.files[i][1] && s[2] === then.files[i][2] && s[3] === then.files[i][3]);
  return same || (await hashFiles(files)) === then.hash;
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
  const root = packageRoot();
  if (!(await unchanged('runtime', m.inputs.runtime))) return `prebuilt runtime for ${setName(t, variant)} is stale (runtime/ changed since the package was built)`;
  if (m.root === root && !(await unchanged('code', m.inputs.code))) return `prebuilt runtime for ${setName(t, variant)} is stale (asmlink's code changed since it was built)`;
  const sources = runtimeSourceFiles(t, variant);
  if (sources.length !== set.length) return `prebuilt runtime for ${setName(t, variant)} has other sources`;
  const rtDir = runtimeDir();
  const dir = objectsDir();
  return set.map((c, i) => {
    const name = sources[i]!;
    if (path.relative(rtDir, name).split(path.sep).join('/') !== c.source) throw new Error(`internal: prebuilt runtime object ${c.file} is not for ${name}`);
    const read = readElfObject(fs.readFileSync(path.join(dir, c.file)), name);
    // Symbols name the files they came from under the root they were assembled in.
    if (m.root !== root) {
      // The Symbol objects are made for this (the runtime is small), so the
      // linker reads them instead of the file's columns.
      for (const s of read.symbols) s.file = moved(s.file, m.root, root);
      for (const d of read.dynimports) d.file = moved(d.file, m.root, root);
    }
    // Set in place: a spread copy would make every Symbol object (reading `symbols`) and lose the linker's columns.
    read.target = t;
    return read;
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
