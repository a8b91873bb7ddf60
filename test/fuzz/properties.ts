// The fuzz properties, shared by the fixed-seed sample (test/fuzz/*.test.ts,
// part of npm test) and the long campaign (campaign.ts, npm run fuzz). Each
// property takes one generated input and throws FuzzFailure when the code
// under test does anything but return a valid result or diagnostics.

import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultEntry } from '../../src/build.js';
import { targetName, type ArchName, type Target } from '../../src/target.js';
import { FuzzFailure, outcome } from './harness.js';
import { asmSoup, mutate, mutationArb, realSources, type Mutation, type RealSource } from './asm-gen.js';
import { genAsmFiles } from '../../bench/gen/asmfile.js';
import { ALL_TARGETS, byteMutationArb, corpus, mutateBytes, mutateObjects, objMutationArb, type ByteMutation, type ObjMutation } from './obj-gen.js';
import { assembleSource, link, readAny, readFor, readMachOTables, sourceOptions, writeObject } from './targets.js';
import { assemblePart } from '../../src/asm/assemble.js';
import { blocksCutting, joinParts, laterPart, prefixEnd, textLineAfter, type LaterPart } from '../../src/asm/parts.js';
import { columnsOf } from '../../src/obj/columns.js';
import type { ObjectFile } from '../../src/obj/symbol.js';
import { heldInsts, lineTablesOf } from '../../src/obj/line-tables.js';
import { columnsAgainstSymbols } from '../formats/macho/columns-diff.js';
import { cfiOf, savedSayable } from '../../src/formats/dwarf/call-frames.js';
import { generateBindings } from '../../src/gen/index.js';

export interface Property<T> {
  name: string;
  arb: fc.Arbitrary<T>;
  check(input: T): void;
  /** Runs in the fixed-seed sample of npm test. */
  sampleRuns: number;
}

/** Assembles; when that succeeds, writes the object and (ELF) reads it back: the writer's output must satisfy the reader. */
export function assembleRoundTrip(source: string, target: Target, file = 'fuzz.s'): void {
  const where = `${file} ${target.os}/${target.arch}`;
  const r = outcome(() => assembleSource(source, target, file), `assemble ${where}`);
  if (!r.ok) return;
  // A GLOBL with RODATA and no DATA of up to 2 GiB is accepted and becomes that
  // many zero bytes in the object: a legitimately huge output, not something
  // to write per fuzz case (see regressions.test.ts).
  const fileBytes = r.value.symbols.reduce((n, s) => n + (s.kind === 'bss' || s.kind === 'noptrbss' ? 0 : Math.max(s.size, s.data.length)), 0);
  if (fileBytes > 1 << 22) return;
  // Objects carry DWARF (-g): read back, it must say what the assembler recorded.
  r.value.debug = { compDir: '/fuzz' };
  const bytes = outcome(() => writeObject(r.value), `write object ${where}`);
  if (!bytes.ok) return;
  const back = outcome(() => readFor(target.os)(bytes.value), `read back ${where}`);
  if (!back.ok) throw new FuzzFailure(`${where}: asmlink's own object was rejected by its reader: ${back.error.message}`);
  if (target.os === 'darwin') {
    sameMachOColumns(back.value, `${where} (link index)`);
    sameMachOColumns(readMachOTables(bytes.value), `${where} (tables)`);
  }
  sameLines(r.value, back.value, where);
}

/** Each instruction's line, file and frame, as the object's DWARF gives them back, against what the assembler recorded. */
function sameLines(obj: ObjectFile, back: ObjectFile, where: string): void {
  const tables = lineTablesOf(back);
  const conventions = cfiOf(obj.target.arch)!;
  const read = outcome(() => back.symbols, `symbols of ${where}`);
  if (!read.ok) throw new FuzzFailure(`${where}: read back, the object's symbols: ${read.error.message}`);
  const byName = new Map(obj.symbols.map((s) => [s.name, s]));
  read.value.forEach((b, k) => {
    const s = byName.get(b.name);
    if (!s || s.kind !== 'text' || !s.insts || s.insts.length === 0) return;
    const rows = outcome(() => tables?.(k, b.name), `line table of ${b.name} in ${where}`);
    if (!rows.ok) throw new FuzzFailure(`${where}: ${b.name}'s line table cannot be read back: ${rows.error.message}`);
    if (!rows.value) throw new FuzzFailure(`${where}: ${b.name} has no line table read back`);
    let frames = true;
    const back = heldInsts(rows.value);
    for (const inst of s.insts) {
      if (inst.size === 0) continue;
      let row = undefined;
      for (const x of back) if (x.offset <= inst.offset) row = x;
      const file = `/fuzz/${inst.file ?? s.file}`;
      // A frame the call-frame table cannot say (SP above the call's, a frame
      // of 2 GiB or more, registers saved at an offset DW_CFA_offset cannot
      // say: only broken code has them) is left out by the writer; from
      // there on the table need not follow the assembler.
      if (!(inst.sp! >= 0 && inst.sp! < 2 ** 30 && inst.saved! < 2 ** 30 && savedSayable(conventions, inst.saved!))) frames = false;
      const want = [inst.line, file, ...(frames ? [inst.sp, inst.saved, inst.cfaOnBp === true] : [])];
      const got = row && [row.line, row.file, ...(frames ? [row.sp, row.saved, row.cfaOnBp === true] : [])];
      if (JSON.stringify(got) !== JSON.stringify(want)) throw new FuzzFailure(`${where}: ${b.name}+${inst.offset}: read back ${JSON.stringify(got)}, assembled ${JSON.stringify(want)}`);
    }
  });
}

/**
 * Mach-O: where the columns reader took an object, the columns the linker
 * links must say what the Symbol objects of the same file say (asking for
 * them drops the columns: give a copy read for this).
 */
function sameMachOColumns(obj: ObjectFile, where: string): void {
  const cols = columnsOf(obj);
  if (cols === null) return;
  const symbols = outcome(() => obj.symbols, `Symbol objects of ${where}`);
  if (!symbols.ok) throw new FuzzFailure(`${where}: the Mach-O columns reader took an object the Symbol reader rejects: ${symbols.error.message}`);
  const diffs = columnsAgainstSymbols(cols, symbols.value);
  if (diffs.length > 0) throw new FuzzFailure(`${where}: Mach-O columns and Symbol objects differ: ${diffs.slice(0, 3).join('; ')}`);
}

const OSES = fc.constantFrom<'linux' | 'darwin'>('linux', 'darwin');

function soupProperty(arch: ArchName): Property<[string, 'linux' | 'darwin']> {
  return {
    name: `asm-soup-${arch}`,
    arb: fc.tuple(asmSoup(arch), OSES),
    check: ([src, os]) => assembleRoundTrip(src, { os, arch }),
    sampleRuns: 150,
  };
}

let sources: RealSource[] | undefined;
const mutatedSource: Property<[number, Mutation[], 'linux' | 'darwin']> = {
  name: 'asm-mutated-sources',
  // Inserted lines come from the grammar of the source's own architecture.
  arb: fc.nat().chain((i) => {
    sources ??= realSources();
    const arch = sources[i % sources.length]!.arch;
    return fc.tuple(fc.constant(i), fc.array(mutationArb(arch), { minLength: 1, maxLength: 6 }), OSES);
  }),
  check: ([i, muts, os]) => {
    sources ??= realSources();
    const s = sources[i % sources.length]!;
    assembleRoundTrip(mutate(s.text, muts), { os, arch: s.arch }, s.file);
  },
  sampleRuns: 100,
};

/** Objects asmlink wrote, with bytes flipped, fields set to huge values, truncated: the ELF and Mach-O readers must diagnose or accept. */
const readerFlipped: Property<[number, number, ByteMutation[]]> = {
  name: 'object-reader-mutated',
  arb: fc.tuple(fc.nat(), fc.nat(), fc.array(byteMutationArb, { minLength: 1, maxLength: 8 })),
  check: ([ti, oi, muts]) => {
    const c = corpus(ALL_TARGETS[ti % ALL_TARGETS.length]!);
    const o = c.bytes[oi % c.bytes.length]!;
    const bytes = mutateBytes(o.bytes, muts);
    const what = `read ${c.target.os}/${c.target.arch} ${o.name} mutated`;
    outcome(() => readAny(bytes), what);
    outcome(() => readFor(c.target.os)(bytes), what);
  },
  sampleRuns: 400,
};

/** Link options beyond the defaults: what --pie, -s, --build-id, --libc musl and --rpath ask of the writers. */
interface LinkVariant {
  pie: boolean;
  strip: boolean;
  buildId: boolean;
  musl: boolean;
  rpath: boolean;
}

const NO_VARIANT: LinkVariant = { pie: false, strip: false, buildId: false, musl: false, rpath: false };
const linkVariantArb = fc.record({ pie: fc.boolean(), strip: fc.boolean(), buildId: fc.boolean(), musl: fc.boolean(), rpath: fc.boolean() });

function linkOpts(target: Target, linkmode: 'internal' | 'external', v: LinkVariant = NO_VARIANT) {
  return {
    target,
    linkmode,
    entry: defaultEntry(target, linkmode),
    format: {
      codesign: target.os === 'darwin' && target.arch === 'arm64',
      fixups: 'dyld-info',
      ...(v.pie ? { pie: true } : {}),
      ...(v.buildId ? { buildId: true } : {}),
      ...(v.rpath ? { rpath: '$ORIGIN/lib:/opt/lib' } : {}),
    },
    ...(v.strip ? { strip: true } : {}),
    ...(v.musl && target.os === 'linux' ? { libc: 'musl' as const } : {}),
    // Links write DWARF from whatever lines the objects carry (-g); darwin's external mode has none.
    ...(target.os === 'linux' || linkmode === 'internal' ? { debug: { compDir: '/fuzz' } } : {}),
  };
}

/**
 * Links `objs` (which must link or be diagnosed), and when they link, links
 * them again: a link changes nothing it is given (the instructions it
 * rewrites, the relocations it reroutes, are its own copies), so the same
 * objects make the same bytes.
 */
function linkTwice(objs: ObjectFile[], opts: ReturnType<typeof linkOpts>, what: string): void {
  const first = outcome(() => link(objs, opts), what);
  // Not for an output a mutated size made huge (an external object holding a
  // 2 GiB section): two of them at once are only a test of the machine's memory.
  if (!first.ok || first.value.bytes.length > 64 << 20) return;
  const again = outcome(() => link(objs, opts), `${what}, again`);
  if (!again.ok || !Buffer.from(again.value.bytes).equals(Buffer.from(first.value.bytes))) throw new FuzzFailure(`${what}: a second link of the same objects ${again.ok ? 'made other bytes' : `failed: ${again.error.message}`}`);
}

/** The linker on hello + runtime with model-level mutations (names, offsets, sizes, kinds, imports), under each kind of output. */
const linkMutated: Property<[number, ObjMutation[], 'internal' | 'external', LinkVariant]> = {
  name: 'link-mutated-objects',
  arb: fc.tuple(fc.nat(), fc.array(objMutationArb, { minLength: 1, maxLength: 6 }), fc.constantFrom<'internal' | 'external'>('internal', 'external'), linkVariantArb),
  check: ([ti, muts, mode, variant]) => {
    const target = ALL_TARGETS[ti % ALL_TARGETS.length]!;
    const objs = mutateObjects(corpus(target).objects, muts);
    linkTwice(objs, linkOpts(target, mode, variant), `link ${target.os}/${target.arch} ${mode} ${JSON.stringify(variant)}`);
  },
  sampleRuns: 60,
};

/** Bytes → reader → linker: a mutated object that the reader (ELF or Mach-O) accepts must link or be diagnosed. */
const readThenLink: Property<[number, number, ByteMutation[]]> = {
  name: 'read-then-link',
  arb: fc.tuple(fc.nat(), fc.nat(), fc.array(byteMutationArb, { minLength: 1, maxLength: 4 })),
  check: ([ti, oi, muts]) => {
    const c = corpus(ALL_TARGETS[ti % ALL_TARGETS.length]!);
    const k = oi % c.bytes.length;
    const bytes = mutateBytes(c.bytes[k]!.bytes, muts);
    const r = outcome(() => readFor(c.target.os)(bytes), 'read');
    if (!r.ok) return;
    // The table reader against the Symbol reader. (A mutation can make the
    // link index and the tables say different things: the index is read as
    // it is, and must only link or be diagnosed, as below.)
    if (c.target.os === 'darwin') {
      const tables = outcome(() => readMachOTables(bytes), 'read the tables');
      if (tables.ok) sameMachOColumns(tables.value, `mutated ${c.bytes[k]!.name}`);
    }
    const objs = c.objects.slice();
    objs[k] = r.value;
    outcome(() => link(objs, linkOpts(c.target, 'internal')), `link ${c.target.os}/${c.target.arch} with mutated ${c.bytes[k]!.name}`);
  },
  sampleRuns: 60,
};

/** Lines that load float constants (a symbol each, added once per object). */
const FLOAT_LINES: Record<ArchName, string[]> = {
  amd64: ['\tMOVSD $1.5, X0', '\tMOVSS $2.5, X1', '\tMOVSD $(0.25), X2'],
  '386': ['\tMOVSD $1.5, X0', '\tMOVSS $2.5, X1'],
  arm64: ['\tFMOVD $1.5, F0', '\tFMOVS $2.5, F1'],
};

/**
 * A file cut at TEXT lines, its parts assembled apart and joined as
 * host/parallel-asm.ts does on threads (here on one): when the parts join,
 * the object must be the whole file's, byte for byte, and the whole file
 * must assemble; when they do not, the whole file's assembly reports why.
 */
const asmInParts: Property<[ArchName, number, number, Mutation[], number[], 'linux' | 'darwin']> = {
  name: 'asm-in-parts',
  // A valid generated file (the bench generator's), with a few lines
  // changed: duplicated (a TEXT: a name defined twice), moved (a DATA away
  // from its GLOBL), inserted (float constants, soup), cut.
  arb: fc.constantFrom<ArchName>('amd64', '386', 'arm64').chain((arch) =>
    fc.tuple(
      fc.constant(arch),
      fc.nat(),
      fc.integer({ min: 2, max: 30 }),
      fc.array(
        fc.oneof(
          { weight: 3, arbitrary: fc.tuple(fc.nat(), fc.constantFrom(...FLOAT_LINES[arch])).map(([at, line]): Mutation => ({ op: 'line', at, line })) },
          { weight: 2, arbitrary: mutationArb(arch) },
        ),
        { maxLength: 4 },
      ),
      fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      OSES,
    ),
  ),
  check: ([arch, seed, funcs, muts, seeds, os]) => {
    const target = { os, arch };
    const src = mutate(genAsmFiles({ arch, funcs, seed }).go, muts);
    const bytes = Buffer.from(src, 'utf8');
    const prefix = prefixEnd(bytes);
    if (prefix < 0 || blocksCutting(bytes.subarray(prefix))) return;
    const cuts = [...new Set(seeds.map((s) => textLineAfter(bytes, prefix + (s % (bytes.length - prefix + 1)))))].filter((c) => c > prefix).sort((a, b) => a - b);
    if (cuts.length === 0) return;
    const opts = sourceOptions(src, target);
    const text = (from: number, to: number): string => bytes.subarray(from, to).toString('utf8');
    const prefixText = text(0, prefix);
    const first = outcome(() => assemblePart(text(0, cuts[0]!), opts), 'assemble the first part');
    if (!first.ok) return;
    const later: LaterPart[] = [];
    for (let k = 0; k < cuts.length; k++) {
      const part = outcome(() => laterPart(assemblePart(prefixText + text(cuts[k]!, cuts[k + 1] ?? bytes.length), opts)), `assemble part ${k + 1}`);
      if (!part.ok || !part.value) return;
      later.push(part.value);
    }
    const joined = outcome(() => joinParts(target, 'fuzz.s', first.value, later, prefixText.split('\n').length - 1), 'join the parts');
    if (!joined.ok) throw new FuzzFailure(`joining parts reported ${joined.error.message}`);
    if (joined.value === null) return;
    const whole = outcome(() => assembleSource(src, target), 'assemble the whole file');
    if (!whole.ok) throw new FuzzFailure(`${os}/${arch}: the parts joined, but the whole file does not assemble: ${whole.error.message}`);
    const a = outcome(() => Buffer.from(writeObject(joined.value!)), 'write the joined object');
    const b = outcome(() => Buffer.from(writeObject(whole.value)), 'write the whole object');
    const same = a.ok && b.ok ? a.value.equals(b.value) : !a.ok && !b.ok && a.error.message === b.error.message;
    if (!same) throw new FuzzFailure(`${os}/${arch}: the joined parts (cut at ${cuts.join(', ')}) and the whole file make different objects`);
  },
  sampleRuns: 150,
};

/**
 * Other assemblers' objects (GNU as's, a C compiler's), which the readers
 * take whole (ObjectFile.indivisible): mutated, read and linked with an
 * assembly program, the runtime and each kind of output, they must link or
 * be diagnosed (linux C objects carry a constructor and a destructor).
 * Made once per target with the host's tools: linux/amd64 with
 * cc (-fPIC, and cc's default with -fcommon, which reads stdout through a copy) and as, and two g++ objects that share a COMDAT group; linux/386 with cc -m32 (position-independent: GOT-relative
 * relocations, a COMDAT pc thunk); linux/arm64 with clang and aarch64-linux-gnu-as (ADRPs apart
 * from their ADD); darwin/amd64 and darwin/arm64 with clang (section-relative
 * relocations, several symbols at one address). A target whose tools are
 * missing has nothing to check.
 */
interface ForeignSet {
  target: Target;
  objects: ObjectFile[];
  bytes: Uint8Array[];
}
let foreignCorpus: ForeignSet[] | undefined;
// Reads the C library's stdout in place unless compiled with -fPIC (a copy
// relocation on linux); on linux a prioritized constructor and a destructor
// (.init_array.00150, .fini_array), which read stdout so that no compiler
// folds them away, and thread-locals (general and local dynamic with -fPIC,
// descriptors on arm64, local exec otherwise: tls-relax.ts rewrites them;
// on darwin, descriptors in __thread_vars), an indirect function (linux)
// and a tentative definition, a common symbol in cc's default build (-fcommon),
// and a section named as an identifier with its __start_/__stop_ bounds.
// darwin: a weak function and weak data that the C and the C++ object both
// define; the C++ object's copies are left out (link/comdat.ts).
const WEAK_PAIR = '__attribute__((weak)) int wk(void) { return 1; }\n__attribute__((weak)) int wkd[2] = {1, 2};\n';
const FOREIGN_C =
  '#ifdef __APPLE__\n#define STDOUT __stdoutp\n#else\n#define STDOUT stdout\n#endif\nextern void *STDOUT;\nstatic int n;\nstatic const char *s[] = {"a", "bc"};\nstatic int twice(int x) { return 2 * x + n + (STDOUT != 0); }\nint cmain(void) { n++; return twice((int)__builtin_strlen(s[1])); }\n' +
  '__thread int tglobal = 3;\nstatic __thread int tlocal;\nint tentative;\nint tls(void) { tlocal += tglobal; tentative++; return tlocal + (STDOUT != 0); }\n' +
  '#ifndef __APPLE__\n__attribute__((constructor(150))) static void early(void) { n += (STDOUT != 0); }\n__attribute__((destructor)) static void late(void) { n = (STDOUT == 0); }\n' +
  '__attribute__((used, section("registry"))) static int entry = 1;\nextern int __start_registry[], __stop_registry[];\nlong entries(void) { return __stop_registry - __start_registry; }\n' +
  'static int same(int x) { return x; }\nstatic int (*pick_same(void))(int) { return same; }\nint via(int) __attribute__((ifunc("pick_same")));\nint (*viap)(int) = via;\nint indirect(void) { return via(1) + viap(2); }\n#else\n' +
  WEAK_PAIR +
  '#endif\n';
// darwin: C++ with typed exceptions (and WEAK_PAIR), whose compact unwind records,
// personality and LSDA (its type table reaching the typeinfo through the
// GOT) make the executable's __unwind_info.
const FOREIGN_CXX = 'extern "C" {\n' + WEAK_PAIR + '}\nstruct E { int v; };\n__attribute__((noinline)) int gthrow(int n) { if (n > 0) throw E{n}; return n; }\nextern "C" int cxxmain(int n) { try { return gthrow(n); } catch (const E &e) { return e.v; } }\n';
// linux: a switch's jump table at the start of .rodata, before the static
// array it reads (amd64: no symbol at offset 0; 386 -fPIC: the cases'
// assembler temporaries in .symtab, reached @GOTOFF).
const FOREIGN_SWITCH =
  'static const unsigned char w[8] = {3, 1, 4, 1, 5, 9, 2, 6};\n__attribute__((noinline)) int pick(int c, int i) {\n  switch (c) {\n  case 0: return w[i & 7];\n  case 1: return w[(i + 1) & 7] * 2;\n  case 2: return i * 3 + 1;\n  case 3: return i ^ 0x55;\n  case 4: return w[(i * 5) & 7] + i;\n  case 5: return -i;\n  case 6: return i << 2;\n  default: return 0;\n  }\n}\nint cmain(void) { int s = 0; for (int i = 0; i < 20; i++) s += pick(i % 8, i); return s; }\n';
// linux: two C++ objects that instantiate one template (a COMDAT group with
// its LSDA, whose second copy the link leaves out: link/comdat.ts).
const FOREIGN_CXX_PAIR = [
  'template <int N> __attribute__((noinline)) int tw(int x) { struct G { int *p; ~G() { ++*p; } }; int c = 0; { G g{&c}; if (x > N) throw x; } return x + c; }\n',
  'extern "C" int cmain(void) { try { return tw<3>(1); } catch (int v) { return v; } }\n',
  'extern "C" int gmain(void) { try { return tw<3>(5); } catch (int v) { return -v; } }\n',
];
const LINUX_CXX_IMPORTS = ['__cxa_allocate_exception', '__cxa_begin_catch', '__cxa_end_catch', '__cxa_throw', '__gxx_personality_v0', '_ZTIi']
  .map((n) => `//go:cgo_import_dynamic ${n} ${n} "libstdc++.so.6"\n`)
  .join('') + '//go:cgo_import_dynamic _Unwind_Resume _Unwind_Resume "libgcc_s.so.1"\n';
const CXXABI_IMPORTS = ['__cxa_allocate_exception', '__cxa_begin_catch', '__cxa_end_catch', '__cxa_throw', '__gxx_personality_v0', '_ZTVN10__cxxabiv117__class_type_infoE']
  .map((n) => `//go:cgo_import_dynamic ${n} ${n} "/usr/lib/libc++abi.dylib"\n`)
  .join('');
const FOREIGN_GAS: Partial<Record<ArchName, string>> = {
  amd64: '\t.text\n\t.globl gmain\ngmain:\n\tcall local\n\tret\nunused:\n\tret\n\t.p2align 3\nlocal:\n\tleaq msg(%rip), %rax\n\tret\n\t.section .rodata\nmsg:\t.ascii "hi"\n',
  arm64: '\t.text\n\t.globl gmain\ngmain:\n\tb local\nunused:\n\tret\n\t.p2align 3\nlocal:\n\tadrp x0, msg\n\tadrp x1, msg2\n\tadd x0, x0, :lo12:msg\n\tldrb w1, [x1, :lo12:msg2]\n\tret\n\t.section .rodata\nmsg:\t.ascii "hi"\nmsg2:\t.byte 7\n',
};
function foreign(): ForeignSet[] {
  if (foreignCorpus) return foreignCorpus;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asmlink-fuzz-foreign-'));
  const made = (cmd: string, args: string[], out: string): Uint8Array | undefined =>
    spawnSync(cmd, [...args, '-o', path.join(dir, out)]).status === 0 ? new Uint8Array(fs.readFileSync(path.join(dir, out))) : undefined;
  const sets: ForeignSet[] = [];
  try {
    fs.writeFileSync(path.join(dir, 'c.c'), FOREIGN_C);
    fs.writeFileSync(path.join(dir, 'x.cpp'), FOREIGN_CXX);
    const x = path.join(dir, 'x.cpp');
    for (const [arch, src] of Object.entries(FOREIGN_GAS)) fs.writeFileSync(path.join(dir, `g-${arch}.s`), src!);
    fs.writeFileSync(path.join(dir, 'cm.cpp'), FOREIGN_CXX_PAIR[0]! + FOREIGN_CXX_PAIR[1]!);
    fs.writeFileSync(path.join(dir, 'gm.cpp'), FOREIGN_CXX_PAIR[0]! + FOREIGN_CXX_PAIR[2]!);
    const sw = path.join(dir, 'switch.c');
    fs.writeFileSync(sw, FOREIGN_SWITCH);
    const c = path.join(dir, 'c.c');
    const builds: [Target, (Uint8Array | undefined)[]][] = [
      [{ os: 'linux', arch: 'amd64' }, [made('cc', ['-fPIC', '-O2', '-c', c], 'c-amd64.o'), made('as', [path.join(dir, 'g-amd64.s')], 'g-amd64.o')]],
      [{ os: 'linux', arch: 'amd64' }, [made('cc', ['-O2', '-fcommon', '-c', c], 'c-amd64-pie.o')]],
      [{ os: 'linux', arch: 'amd64' }, [made('g++', ['-O2', '-c', path.join(dir, 'cm.cpp')], 'cm.o'), made('g++', ['-O2', '-c', path.join(dir, 'gm.cpp')], 'gm.o')]],
      [{ os: 'linux', arch: '386' }, [made('cc', ['-m32', '-O2', '-c', c], 'c-386.o')]],
      [{ os: 'linux', arch: 'arm64' }, [made('clang', ['--target=aarch64-linux-gnu', '-fPIC', '-O2', '-c', c], 'c-arm64.o'), made('aarch64-linux-gnu-as', [path.join(dir, 'g-arm64.s')], 'g-arm64.o')]],
      [{ os: 'darwin', arch: 'amd64' }, [made('clang', ['--target=x86_64-apple-macos11', '-O2', '-c', c], 'cd-amd64.o'), made('clang++', ['--target=x86_64-apple-macos11', '-O2', '-c', x], 'xd-amd64.o')]],
      [{ os: 'darwin', arch: 'arm64' }, [made('clang', ['--target=arm64-apple-macos11', '-O2', '-c', c], 'cd-arm64.o'), made('clang++', ['--target=arm64-apple-macos11', '-O2', '-c', x], 'xd-arm64.o')]],
      [{ os: 'linux', arch: 'amd64' }, [made('cc', ['-O2', '-c', sw], 'switch-amd64.o')]],
      [{ os: 'linux', arch: '386' }, [made('cc', ['-m32', '-fPIC', '-O2', '-c', sw], 'switch-386.o')]],
    ];
    for (const [target, objs] of builds) {
      const bytes = objs.filter((b): b is Uint8Array => b !== undefined);
      if (bytes.length < objs.length) continue;
      // The linux sets' second object (GNU as's, or the second C++ one) has a gmain to call too; the darwin ones' second is C++.
      const calls = objs.length > 1 ? `\tCALL\tcmain(SB)\n\tCALL\t${target.os === 'linux' ? 'gmain' : 'cxxmain'}(SB)\n` : '\tCALL\tcmain(SB)\n';
      const stdout = target.os === 'linux' ? `//go:cgo_import_dynamic stdout stdout "libc.so.6"\n${LINUX_CXX_IMPORTS}` : `//go:cgo_import_dynamic __stdoutp __stdoutp "/usr/lib/libSystem.B.dylib"\n${CXXABI_IMPORTS}`;
      const main = assembleSource(`#include "textflag.h"\n${stdout}TEXT ·main(SB),NOSPLIT,$16-0\n${calls}\tRET\n`, target, 'main.s');
      sets.push({ target, objects: [main, ...corpus(target).objects.slice(1)], bytes });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return (foreignCorpus = sets);
}

const foreignObjects: Property<[number, number, ByteMutation[], LinkVariant]> = {
  name: 'foreign-objects',
  arb: fc.tuple(fc.nat(), fc.nat(), fc.array(byteMutationArb, { minLength: 0, maxLength: 4 }), linkVariantArb),
  check: ([si, oi, muts, variant]) => {
    const sets = foreign();
    if (sets.length === 0) return;
    const f = sets[si % sets.length]!;
    const read = f.bytes.map((b, i) => (i === oi % f.bytes.length ? outcome(() => readAny(mutateBytes(b, muts)), 'read a mutated foreign object') : outcome(() => readAny(b), 'read a foreign object')));
    if (!read.every((r) => r.ok)) return;
    const objs = [...f.objects, ...read.map((r) => (r as { value: ObjectFile }).value)];
    linkTwice(objs, linkOpts(f.target, 'internal', variant), `link ${targetName(f.target)} with foreign objects ${JSON.stringify(variant)}`);
  },
  sampleRuns: 40,
};

/** A header with every kind of line gen reads: preprocessor conditionals and macros, directives, typedefs, callbacks, variadics. */
const GEN_HEADER = `#ifndef FUZZ_H
#define FUZZ_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif
#if defined(_WIN32)
#  define API __declspec(dllimport)
#elif __GNUC__ >= 4 && (__SIZEOF_LONG__ == 8 || defined(__i386__))
#  define API __attribute__((visibility("default")))
#else
#  define API
#endif
#define SZ size_t
#define OLD(m) __attribute__((deprecated(m)))
typedef struct opaque opaque_t;
typedef int (*cmp_fn)(const void *, const void *);
API SZ strlen(const char *s);
#ifdef __linux__
//asmlink:library libm.so.6 linux
double cbrt(double x);
float hypotf(float x, float y);
//asmlink:library
#elif defined(__APPLE__)
long long llabs(long long v);
#endif
//asmlink:varargs int, double, const char *
int printf(const char *fmt, ...);
void qsort(void *base, size_t n, size_t size, cmp_fn cmp);
//asmlink:callback
int by_value(const void *a, const void *b);
//asmlink:version GLIBC_2.3.2 linux/amd64
int pthread_cond_signal(void *c);
opaque_t *make(uint8_t tag, int16_t small, uint64_t big, _Bool flag);
#ifdef __cplusplus
}
#endif
#endif
`;

/** Pieces that mutations put into a header: preprocessor words, operators, types and directives. */
const GEN_PIECES = ['#if ', '#ifdef ', '#ifndef ', '#elif ', '#else', '#endif', '#define ', '#undef ', '#error x', '(', ')', 'defined', ' && ', ' || ', '!', '?', ':', '1', '0', 'API', 'SZ', 'OLD("m")', '\n', ' ', ';', ',', '...', '*', 'int', 'long', 'double', 'float', 'char', 'const', 'struct s', '__linux__', '__APPLE__', '0x1f', '<<', '//asmlink:callback\n', '//asmlink:varargs 3\n', '\\\n', '/*', '*/', '"'];

type GenMutation = { at: number; kind: 0 | 1 | 2; piece: number; len: number; from: number };

/**
 * gen on a mutated header: diagnostics or bindings; and bindings, which are
 * assembly for the target, must assemble (gen's output is the assembler's
 * input).
 */
const genHeaders: Property<[GenMutation[], number]> = {
  name: 'gen-mutated-headers',
  arb: fc.tuple(
    fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom(0 as const, 1 as const, 2 as const), piece: fc.nat(), len: fc.nat({ max: 40 }), from: fc.nat() }), { minLength: 0, maxLength: 6 }),
    fc.nat({ max: ALL_TARGETS.length - 1 }),
  ),
  check: ([muts, ti]) => {
    let src = GEN_HEADER;
    for (const m of muts) {
      const at = m.at % (src.length + 1);
      if (m.kind === 0) src = src.slice(0, at) + GEN_PIECES[m.piece % GEN_PIECES.length]! + src.slice(at);
      else if (m.kind === 1) src = src.slice(0, at) + src.slice(at + 1 + m.len);
      else src = src.slice(0, at) + src.slice(m.from % src.length, (m.from % src.length) + m.len) + src.slice(at);
    }
    const target = ALL_TARGETS[ti]!;
    const where = `gen ${targetName(target)}`;
    const out = outcome(() => generateBindings(src, { file: 'fuzz.h', target }), where);
    if (!out.ok) return;
    const asm = outcome(() => assembleSource(out.value, target, 'fuzz_gen.s'), `assemble ${where}`);
    if (!asm.ok) throw new FuzzFailure(`${where}: gen's output does not assemble: ${asm.error.message}\n--- header\n${src}`);
  },
  sampleRuns: 150,
};

export const PROPERTIES: Property<never>[] = [
  soupProperty('amd64'),
  soupProperty('386'),
  soupProperty('arm64'),
  mutatedSource,
  readerFlipped,
  linkMutated,
  readThenLink,
  asmInParts,
  foreignObjects,
  genHeaders,
] as unknown as Property<never>[];

/** Runs one property with fast-check; the fixed-seed sample and the campaign both go through here. */
export function runProperty(p: Property<never>, params: fc.Parameters<[never]>): fc.RunDetails<[never]> {
  return fc.check(
    fc.property(p.arb, (x) => {
      p.check(x);
      return true;
    }),
    params,
  );
}
