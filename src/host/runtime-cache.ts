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
// checked. Anywhere else (an installed or copied package) only runtime/ is: a
// package's compiled code is not edited in place — recompiling happens in a
// source tree, whose build makes the objects again — while its runtime
// sources are plain files a user may edit. The code set, where its files'
// times differ, is hashed again. For runtime/, a link lists its files (any
// added or removed makes every set stale) and checks the ones its set was
// assembled from: where a file's times differ, its bytes are compared with
// the copy the build keeps (dist/runtime-objects/sources.bin), since in an
// installed package every file's ctime differs and hashing would load
// node:crypto for every link. So a link in an installed package stats and
// compares about a dozen files, hashing nothing.
// A set that does not match means the runtime is assembled as before.
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

export const MANIFEST_FORMAT = 4;

/** One source's object: its path under runtime/ and its file under dist/runtime-objects/. */
export interface CachedObject {
  source: string;
  file: string;
}

/** The objects of one target and variant, and the runtime files they were assembled from (sources and every header they include, relative to the package root). */
export interface RuntimeSet {
  objects: CachedObject[];
  inputs: string[];
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
  sets: Record<string, RuntimeSet>;
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
export function takeInputSet(set: 'code' | 'runtime'): InputSet {
  const files = inputFiles(set);
  return { hash: hashFiles(files), files: files.map(statOf) };
}

/** sha256 over names and contents, each length-prefixed so no two file sets hash alike. */
function hashFiles(files: readonly string[]): string {
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

/** A file's [path under the root, size, mtimeMs, ctimeMs] now. */
function statOf(file: string): FileStat {
  const st = fs.statSync(path.join(packageRoot(), file));
  return [file, st.size, st.mtimeMs, st.ctimeMs];
}

/** Whether two stats of a file say it was not written in between (ctime cannot be set back by a program). */
function sameStat(a: FileStat, b: FileStat): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/** Whether asmlink's code still is what the manifest recorded: by file times when none changed, else by hash. */
function codeUnchanged(then: InputSet): boolean {
  const files = inputFiles('code');
  const same = files.length === then.files.length && files.every((f, i) => sameStat(statOf(f), then.files[i]!));
  return same || hashFiles(files) === then.hash;
}

/** The file in dist/runtime-objects/ where the build keeps the bytes of every runtime/ file, one after another in the manifest's order. */
export const SOURCE_COPIES = 'sources.bin';

/**
 * Whether runtime/ still holds what a set's objects were made from: the same
 * files (none added or removed), and each file the set read the same, by
 * its size and times when they are unchanged, else by its bytes against the
 * build's copy. Not by hash: every file of an installed or copied package
 * has a new ctime, and loading node:crypto alone takes ~7 ms, where
 * comparing a set's ~12 files takes well under one.
 */
function runtimeUnchanged(then: InputSet, used: readonly string[]): boolean {
  const files = inputFiles('runtime');
  if (files.length !== then.files.length || files.some((f, i) => f !== then.files[i]![0])) return false;
  // Where each file's copy starts in SOURCE_COPIES.
  const recorded = new Map<string, { stat: FileStat; at: number }>();
  let at = 0;
  for (const stat of then.files) {
    recorded.set(stat[0], { stat, at });
    at += stat[1];
  }
  let copies: Buffer | undefined;
  return used.every((f) => {
    const r = recorded.get(f);
    if (r === undefined) return false;
    const size = r.stat[1];
    try {
      const now = statOf(f);
      if (now[1] !== size) return false;
      if (sameStat(now, r.stat)) return true;
      copies ??= fs.readFileSync(path.join(objectsDir(), SOURCE_COPIES));
      return fs.readFileSync(path.join(packageRoot(), f)).equals(copies.subarray(r.at, r.at + size));
    } catch {
      return false;
    }
  });
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
export function prebuiltRuntime(t: Target, variant: ThreadsVariant): ObjectFile[] | string {
  const m = readManifest();
  if (typeof m === 'string') return m;
  const set = m.sets[setName(t, variant)];
  if (!set) return `no prebuilt runtime for ${setName(t, variant)}`;
  const root = packageRoot();
  if (!runtimeUnchanged(m.inputs.runtime, set.inputs)) return `prebuilt runtime for ${setName(t, variant)} is stale (runtime/ changed since the package was built)`;
  if (m.root === root && !codeUnchanged(m.inputs.code)) return `prebuilt runtime for ${setName(t, variant)} is stale (asmlink's code changed since it was built)`;
  const sources = runtimeSourceFiles(t, variant);
  if (sources.length !== set.objects.length) return `prebuilt runtime for ${setName(t, variant)} has other sources`;
  const rtDir = runtimeDir();
  const dir = objectsDir();
  return set.objects.map((c, i) => {
    const name = sources[i]!;
    if (path.relative(rtDir, name).split(path.sep).join('/') !== c.source) throw new Error(`internal: prebuilt runtime object ${c.file} is not for ${name}`);
    // Symbols name the files they came from under the root they were assembled in.
    const read = readElfObject(fs.readFileSync(path.join(dir, c.file)), name, m.root === root ? undefined : (file) => moved(file, m.root, root));
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
