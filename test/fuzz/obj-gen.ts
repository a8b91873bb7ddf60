// Inputs for the object readers and the linker: objects asmlink writes for
// real sources (whole, truncated, with bytes flipped or size fields blown up),
// and ObjectFiles mutated at the model level.

import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ObjectFile, Symbol, SymKind } from '../../src/obj/symbol.js';
import type { Reloc, RelocType } from '../../src/obj/reloc.js';
import type { ArchName, Target } from '../../src/target.js';
import { runtimeSources } from '../../src/host/runtime-files.js';
import { assemble } from '../../src/asm/assemble.js';
import { predefinedMacros } from '../../src/build.js';
import { repoRoot } from '../helpers.js';
import { assembleSource, writeObject } from './targets.js';

export interface Corpus {
  target: Target;
  /** The program's objects (hello) and the runtime's, ready to link. */
  objects: ObjectFile[];
  /** The same objects as written by asmlink (ELF for linux, Mach-O for darwin). */
  bytes: { name: string; bytes: Uint8Array }[];
}

const corpusCache = new Map<string, Corpus>();

export function corpus(target: Target): Corpus {
  const key = `${target.os}/${target.arch}`;
  const hit = corpusCache.get(key);
  if (hit) return hit;
  const hello = path.join(repoRoot, 'examples', 'hello.s');
  const objects = [assembleSource(fs.readFileSync(hello, 'utf8'), target, 'examples/hello.s')];
  // The program's object carries DWARF (-g), for the readers and for links that write it.
  objects[0].debug = { compDir: '/fuzz' };
  for (const s of runtimeSources(target, 'libc')) objects.push(assembleRuntime(s.text, target, s.file));
  const c: Corpus = { target, objects, bytes: objects.map((o) => ({ name: o.name, bytes: writeObject(o) })) };
  corpusCache.set(key, c);
  return c;
}

function assembleRuntime(text: string, target: Target, file: string): ObjectFile {
  return assemble(text, {
    target,
    file,
    pkg: 'runtime',
    includeDirs: [path.join(repoRoot, 'runtime', 'include')],
    readFile: (p) => {
      try {
        return fs.readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
    defines: predefinedMacros(target),
  });
}

/** A deep copy, so mutations never touch the cached corpus. */
export function cloneObject(o: ObjectFile): ObjectFile {
  return {
    target: { ...o.target },
    name: o.name,
    dynimports: o.dynimports.map((d) => ({ ...d })),
    symbols: o.symbols.map((s) => ({
      ...s,
      data: s.data.slice(),
      relocs: s.relocs.map((r) => ({ ...r })),
      flags: { ...s.flags },
      insts: s.insts?.map((i) => ({ ...i })),
    })),
  };
}

// ---- byte-level mutations of object files ----

export type ByteMutation =
  | { op: 'flip'; at: number; value: number }
  | { op: 'u32'; at: number; value: number }
  | { op: 'u64'; at: number; hi: number; lo: number }
  | { op: 'truncate'; at: number };

const BIG32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0, 0x10000, 0xffff, 40, 64];

export const byteMutationArb: fc.Arbitrary<ByteMutation> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, value]) => ({ op: 'flip' as const, at, value })) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...BIG32), fc.nat())).map(([at, value]) => ({ op: 'u32' as const, at, value })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat(), fc.constantFrom(0, 1, 0x7fffffff, 0xffffffff), fc.constantFrom(0, 0x80000000, 0xffffffff, 1))
      .map(([at, hi, lo]) => ({ op: 'u64' as const, at, hi, lo })),
  },
  { weight: 1, arbitrary: fc.nat().map((at) => ({ op: 'truncate' as const, at })) },
);

/** Applies byte mutations; multi-byte writes land on aligned offsets, where ELF fields are. */
export function mutateBytes(src: Uint8Array, muts: readonly ByteMutation[]): Uint8Array {
  let b = src.slice();
  for (const m of muts) {
    if (b.length === 0) break;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    switch (m.op) {
      case 'flip':
        b[m.at % b.length] = m.value;
        break;
      case 'u32': {
        const at = (m.at % b.length) & ~3;
        if (at + 4 <= b.length) dv.setUint32(at, m.value >>> 0, true);
        break;
      }
      case 'u64': {
        const at = (m.at % b.length) & ~7;
        if (at + 8 <= b.length) {
          dv.setUint32(at, m.lo >>> 0, true);
          dv.setUint32(at + 4, m.hi >>> 0, true);
        }
        break;
      }
      case 'truncate':
        b = b.slice(0, m.at % b.length);
        break;
    }
  }
  return b;
}

// ---- model-level mutations of ObjectFiles for the linker ----

export type ObjMutation =
  | { op: 'relocSym'; obj: number; sym: number; rel: number; name: string }
  | { op: 'relocOff'; obj: number; sym: number; rel: number; off: number }
  | { op: 'relocAdd'; obj: number; sym: number; rel: number; add: number }
  | { op: 'relocType'; obj: number; sym: number; rel: number; type: RelocType; size: number }
  | { op: 'symSize'; obj: number; sym: number; size: number }
  | { op: 'symKind'; obj: number; sym: number; kind: SymKind }
  | { op: 'symAlign'; obj: number; sym: number; align: number }
  | { op: 'symName'; obj: number; sym: number; name: string }
  | { op: 'symFlag'; obj: number; sym: number; flag: 'dupok' | 'local' | 'rodata' | 'noptr' }
  | { op: 'dropSym'; obj: number; sym: number }
  | { op: 'dupSym'; obj: number; sym: number }
  | { op: 'dropObj'; obj: number }
  | { op: 'dupObj'; obj: number }
  | { op: 'import'; obj: number; local: string; remote: string; library: string }
  | { op: 'dropImport'; obj: number; imp: number };

const NAMES = ['main.main', 'runtime·printstring', 'runtime.printstring', 'libc·write', 'missing', '', 'main.main<>', '_rt0_amd64_linux', 'main', 'x.y', 'runtime.m0', 'runtime.g0'];
const RELOC_TYPES: RelocType[] = ['R_CALL', 'R_CALLIND', 'R_PCREL', 'R_ADDR', 'R_GOTPCREL', 'R_TLS_LE', 'R_ADDRARM64', 'R_ARM64_GOTPCREL', 'R_CALLARM64'];
const KINDS: SymKind[] = ['text', 'rodata', 'data', 'noptrdata', 'bss', 'noptrbss', 'tls'];
const name = fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 8 }));
const bigNum = fc.oneof(
  fc.integer({ min: -16, max: 64 }),
  fc.constantFrom(0x7fffffff, 0x80000000, 0xffffffff, 2 ** 32, 2 ** 40, 2 ** 53 - 1, -(2 ** 31), 0x1000),
);

export const objMutationArb: fc.Arbitrary<ObjMutation> = (() => {
  const o = fc.nat();
  const s = fc.nat();
  const r = fc.nat();
  return fc.oneof(
    fc.tuple(o, s, r, name).map(([obj, sym, rel, n]) => ({ op: 'relocSym' as const, obj, sym, rel, name: n })),
    fc.tuple(o, s, r, bigNum).map(([obj, sym, rel, off]) => ({ op: 'relocOff' as const, obj, sym, rel, off })),
    fc.tuple(o, s, r, bigNum).map(([obj, sym, rel, add]) => ({ op: 'relocAdd' as const, obj, sym, rel, add })),
    fc.tuple(o, s, r, fc.constantFrom(...RELOC_TYPES), fc.constantFrom(1, 2, 4, 8)).map(([obj, sym, rel, type, size]) => ({ op: 'relocType' as const, obj, sym, rel, type, size })),
    fc.tuple(o, s, bigNum).map(([obj, sym, size]) => ({ op: 'symSize' as const, obj, sym, size: Math.abs(size) })),
    fc.tuple(o, s, fc.constantFrom(...KINDS)).map(([obj, sym, kind]) => ({ op: 'symKind' as const, obj, sym, kind })),
    fc.tuple(o, s, fc.constantFrom(0, 1, 2, 3, 4, 8, 16, 4096, 0x10000)).map(([obj, sym, align]) => ({ op: 'symAlign' as const, obj, sym, align })),
    fc.tuple(o, s, name).map(([obj, sym, n]) => ({ op: 'symName' as const, obj, sym, name: n })),
    fc.tuple(o, s, fc.constantFrom<'dupok' | 'local' | 'rodata' | 'noptr'>('dupok', 'local', 'rodata', 'noptr')).map(([obj, sym, flag]) => ({ op: 'symFlag' as const, obj, sym, flag })),
    fc.tuple(o, s).map(([obj, sym]) => ({ op: 'dropSym' as const, obj, sym })),
    fc.tuple(o, s).map(([obj, sym]) => ({ op: 'dupSym' as const, obj, sym })),
    o.map((obj) => ({ op: 'dropObj' as const, obj })),
    o.map((obj) => ({ op: 'dupObj' as const, obj })),
    fc.tuple(o, name, name, fc.constantFrom('libc.so.6', '', 'libnosuch.so.1', '/usr/lib/libSystem.B.dylib')).map(([obj, local, remote, library]) => ({ op: 'import' as const, obj, local, remote, library })),
    fc.tuple(o, fc.nat()).map(([obj, imp]) => ({ op: 'dropImport' as const, obj, imp })),
  );
})();

/**
 * Applies model mutations. Every value stays one an object reader could
 * produce: integer sizes and offsets, relocations inside their symbol's
 * contents, alignments that are powers of two. Values outside that are API
 * misuse, which the linker may treat as an internal error.
 */
export function mutateObjects(src: readonly ObjectFile[], muts: readonly ObjMutation[]): ObjectFile[] {
  const objs = src.map(cloneObject);
  for (const m of muts) {
    if (objs.length === 0) break;
    const oi = m.obj % objs.length;
    const o = objs[oi]!;
    const pickSym = (i: number): Symbol | undefined => (o.symbols.length ? o.symbols[i % o.symbols.length] : undefined);
    const pickRel = (s: Symbol | undefined, i: number): Reloc | undefined => (s && s.relocs.length ? s.relocs[i % s.relocs.length] : undefined);
    switch (m.op) {
      case 'relocSym': {
        const r = pickRel(pickSym(m.sym), m.rel);
        if (r) r.sym = m.name;
        break;
      }
      case 'relocOff': {
        const s = pickSym(m.sym);
        const r = pickRel(s, m.rel);
        if (s && r && m.off >= 0 && m.off + r.size <= s.data.length) r.off = m.off;
        break;
      }
      case 'relocAdd': {
        const r = pickRel(pickSym(m.sym), m.rel);
        if (r) r.add = m.add;
        break;
      }
      case 'relocType': {
        const s = pickSym(m.sym);
        const r = pickRel(s, m.rel);
        if (s && r && r.off + m.size <= s.data.length) {
          r.type = m.type;
          r.size = m.size;
        }
        break;
      }
      case 'symSize': {
        const s = pickSym(m.sym);
        // Contents never exceed the size; only zero-filled kinds may grow beyond their data.
        if (s && m.size >= s.data.length) s.size = m.size;
        break;
      }
      case 'symKind': {
        const s = pickSym(m.sym);
        // Kinds with contents keep theirs; zero-filled ones only take symbols without contents.
        if (s && (s.data.length === 0 || !['bss', 'noptrbss'].includes(m.kind))) s.kind = m.kind;
        break;
      }
      case 'symAlign': {
        const s = pickSym(m.sym);
        if (s && m.align > 0 && (m.align & (m.align - 1)) === 0) s.align = m.align;
        break;
      }
      case 'symName': {
        const s = pickSym(m.sym);
        if (s) s.name = m.name;
        break;
      }
      case 'symFlag': {
        const s = pickSym(m.sym);
        if (s) s.flags[m.flag] = !s.flags[m.flag];
        break;
      }
      case 'dropSym':
        if (o.symbols.length) o.symbols.splice(m.sym % o.symbols.length, 1);
        break;
      case 'dupSym': {
        const s = pickSym(m.sym);
        if (s) o.symbols.push({ ...s, relocs: s.relocs.map((r) => ({ ...r })), flags: { ...s.flags } });
        break;
      }
      case 'dropObj':
        objs.splice(oi, 1);
        break;
      case 'dupObj':
        objs.push(cloneObject(o));
        break;
      case 'import':
        o.dynimports.push({ local: m.local, remote: m.remote, library: m.library, file: o.name, line: 1 });
        break;
      case 'dropImport':
        if (o.dynimports.length) o.dynimports.splice(m.imp % o.dynimports.length, 1);
        break;
    }
  }
  // A symbol larger than its contents is zero-filled: in bss (and TLS
  // without contents) that costs nothing, but in a section with file contents
  // (text, data, a RODATA GLOBL, TLS data) a huge size is a legitimately huge
  // output (seed 777: 24 s to write a 2 GiB TLS symbol in external mode), not
  // a bug to find here; the internal linker limits such sections (sections.ts).
  for (const o of objs)
    for (const s of o.symbols)
      if (s.size > s.data.length + (1 << 20) && (!['bss', 'noptrbss', 'tls'].includes(s.kind) || s.flags.rodata || (s.kind === 'tls' && s.data.length > 0))) s.size = s.data.length;
  return objs;
}

export const LINUX_TARGETS: Target[] = (['amd64', '386', 'arm64'] as ArchName[]).map((arch) => ({ os: 'linux', arch }));
export const ALL_TARGETS: Target[] = [...LINUX_TARGETS, ...(['amd64', '386', 'arm64'] as ArchName[]).map((arch) => ({ os: 'darwin' as const, arch }))];
