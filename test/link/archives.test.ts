// Static libraries (`ar` archives): the link takes the members the program
// needs — those defining a symbol something refers to and nothing else
// defines, transitively, whatever the archives' order — and leaves the rest
// (a member with an undefined reference of its own is no error when unused).
// GNU archives (long names in the `//` table) from ar, BSD ones (`#1/N`
// names, `__.SYMDEF`) from llvm-ar, for linux and darwin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which, writeTemp } from '../helpers.js';
import { archiveMembers, isArchive } from '../../src/formats/archive.js';
import { DiagnosticError } from '../../src/diag.js';
import { asmCallingC } from './c-programs.js';

const dir = tempDir('asmlink-archives-');

// cmain → twice (another member) → base (a third); unused_member refers to a symbol nothing defines.
const SOURCES: Record<string, string> = {
  'main_part_with_a_long_name.c': 'int twice(int);\nint cmain(void) { return twice(20) + 2; }\n',
  'twice.c': 'extern int base;\nint twice(int x) { return 2 * x + base; }\n',
  'base.c': 'int base = 0;\n',
  'unused_member.c': 'int nowhere(void);\nint unused(void) { return nowhere(); }\n',
};

function objects(cc: string[], tag: string): string[] {
  return Object.entries(SOURCES).map(([name, text]) => {
    const o = path.join(dir, `${tag}-${name.replace(/\.c$/, '.o')}`);
    const r = run(cc[0]!, [...cc.slice(1), '-O2', '-c', '-o', o, writeTemp(dir, name, text)]);
    assert.equal(r.status, 0, r.stderr);
    return o;
  });
}

test('linux/amd64: a program links the members of static libraries it needs (transitively, in any archive order), internally and externally, with build, link and run', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc') || !which('ar')) return t.skip('needs cc and ar (Debian packages gcc, binutils)');
  const [main, twice, base, unused] = objects(['cc'], 'gnu');
  // Two libraries, the one needed second listed first.
  const libA = path.join(dir, 'liba.a');
  const libB = path.join(dir, 'libb.a');
  for (const [lib, members] of [[libA, [twice, base, unused]], [libB, [main]]] as const) {
    fs.rmSync(lib, { force: true });
    assert.equal(run('ar', ['rcs', lib, ...members]).status, 0);
  }
  const s = writeTemp(dir, 'main.s', asmCallingC('amd64', []));
  for (const extra of [[], ['--linkmode', 'external']]) {
    const exe = path.join(dir, `prog${extra.join('')}`);
    const b = asmlink(['build', ...extra, '-o', exe, s, libA, libB]);
    assert.equal(b.status, 0, b.stderr);
    assert.equal(run(exe, []).status, 42);
    const syms = run('nm', [exe]).stdout;
    for (const f of ['cmain', 'twice', 'base']) assert.match(syms, new RegExp(` ${f}$`, 'm'), f);
    assert.doesNotMatch(syms, / unused$/m);
  }
  const o = path.join(dir, 'main.o');
  assert.equal(asmlink(['asm', '-o', o, s]).status, 0);
  const linked = path.join(dir, 'linked');
  assert.equal(asmlink(['link', '-o', linked, o, libB, libA]).status, 0);
  assert.equal(run(linked, []).status, 42);
  assert.equal(asmlink(['run', s, libA, libB]).status, 42);
  // Without the library that defines twice, the undefined symbol is reported with the member that needs it.
  const missing = asmlink(['build', '-o', path.join(dir, 'missing'), s, libB]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, new RegExp(`^${libB.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\(gnu-main_part_with_a_long_name\\.o\\)(?::\\d+:\\d+)?: undefined: twice \\(referenced by cmain\\)$`, 'm'));
  // A C function calling another needs the object that defines it, not a trampoline.
  assert.match(missing.stderr, /^\tgive the link the object or static library \(\.a\) that defines it, or the shared library with -l \(-lc for the C library\); or import it: \/\/go:cgo_import_dynamic twice twice "LIBRARY"$/m);
  assert.doesNotMatch(missing.stderr, /trampoline/);
});

test('linux/amd64: the link reads only the members it takes, through the archive\'s symbol index: a damaged member nothing needs does not stop it (as GNU ld); without an index every member is read', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc') || !which('ar')) return t.skip('needs cc and ar (Debian packages gcc, binutils)');
  const [main, twice, base, unused] = objects(['cc'], 'lazy');
  const s = writeTemp(dir, 'lazy-main.s', asmCallingC('amd64', []));
  for (const [flags, indexed] of [['rcs', true], ['rcS', false]] as const) {
    const lib = path.join(dir, `liblazy-${flags}.a`);
    fs.rmSync(lib, { force: true });
    assert.equal(run('ar', [flags, lib, main, twice, base, unused]).status, 0);
    // The last member's section header table offset (e_shoff) made to point past the end of its file.
    const bytes = fs.readFileSync(lib);
    const last = bytes.lastIndexOf(Buffer.from('\x7fELF', 'latin1'));
    bytes.writeUInt32LE(0x7fffffff, last + 0x28);
    fs.writeFileSync(lib, bytes);
    const exe = path.join(dir, `lazy-${flags}`);
    const b = asmlink(['build', '-o', exe, s, lib]);
    if (indexed) {
      assert.equal(b.status, 0, b.stderr);
      assert.equal(run(exe, []).status, 42);
      const ld = run('cc', ['-o', `${exe}-ld`, writeTemp(dir, 'lazy-cmain.c', 'int cmain(void);\nint main(void) { return cmain(); }\n'), lib]);
      assert.equal(ld.status, 0, `GNU ld takes it too: ${ld.stderr}`);
    } else {
      assert.equal(b.status, 1);
      assert.match(b.stderr, /liblazy-rcS\.a\(lazy-unused_member\.o\): malformed ELF object/);
    }
  }
});

test('API: readArchive gives the members, and link takes those the program needs (no file I/O in the core)', async (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc') || !which('ar')) return t.skip('needs cc and ar (Debian packages gcc, binutils)');
  const { assemble, isArchive: isArch, link, readArchive, runtimeObjectsFor } = await import('../../src/index.js');
  const lib = path.join(dir, 'libapi.a');
  fs.rmSync(lib, { force: true });
  assert.equal(run('ar', ['rcs', lib, ...objects(['cc'], 'api')]).status, 0);
  const bytes = new Uint8Array(fs.readFileSync(lib));
  assert.ok(isArch(bytes));
  const members = readArchive(bytes, 'libapi.a');
  assert.deepEqual(members.map((m) => [m.name, m.archive]), ['main_part_with_a_long_name', 'twice', 'base', 'unused_member'].map((n) => [`libapi.a(api-${n}.o)`, 'libapi.a']));
  const target = { os: 'linux', arch: 'amd64' } as const;
  const main = assemble(asmCallingC('amd64', []), { file: 'main.s', target });
  const out = link([main, ...members, ...runtimeObjectsFor(target, 'libc')], { target, linkmode: 'internal', entry: '_rt0_amd64_linux' });
  assert.equal(out.kind, 'executable');
  const exe = path.join(dir, 'api-prog');
  fs.writeFileSync(exe, out.bytes, { mode: 0o755 });
  assert.equal(run(exe, []).status, 42);
});

test('darwin/arm64: members of a BSD archive (llvm-ar) are taken as needed and run under macho-run', (t) => {
  const clang = which('clang');
  const llvmAr = which('llvm-ar');
  if (!clang || !llvmAr) return t.skip('needs clang and llvm-ar (Debian packages clang, llvm)');
  const machoRun = path.join(repoRoot, '..', 'shared', 'tools', 'macho-run', 'macho-run');
  const objs = objects([clang, '--target=arm64-apple-macos11'], 'darwin');
  const lib = path.join(dir, 'libd.a');
  fs.rmSync(lib, { force: true });
  assert.equal(run(llvmAr, ['rcs', '--format=darwin', lib, ...objs]).status, 0);
  assert.match(fs.readFileSync(lib, 'latin1'), /#1\/\d+/);
  const exe = path.join(dir, 'darwin-prog');
  const b = asmlink(['build', '--os', 'darwin', '--arch', 'arm64', '-o', exe, writeTemp(dir, 'dmain.s', asmCallingC('arm64', [], '/usr/lib/libSystem.B.dylib')), lib]);
  assert.equal(b.status, 0, b.stderr);
  if (!fs.existsSync(machoRun) || !which('python3')) return t.skip('needs macho-run (../shared/tools/macho-run) and python3-unicorn to run the program');
  assert.equal(run('python3', [machoRun, exe]).status, 42);
});

test('archive members: GNU long names and symbol index, BSD names; damage is a diagnostic naming the file', () => {
  const enc = new TextEncoder();
  const header = (name: string, size: number) => enc.encode(`${name.padEnd(16)}${'0'.padEnd(12)}${'0'.padEnd(6)}${'0'.padEnd(6)}${'644'.padEnd(8)}${String(size).padEnd(10)}\`\n`);
  const join = (...parts: Uint8Array[]) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const longNames = enc.encode('a_rather_long_member_name.o/\n');
  const gnu = join(enc.encode('!<arch>\n'), header('/', 4), new Uint8Array(4), header('//', longNames.length), longNames, enc.encode('\n'), header('/0', 3), enc.encode('abc'), enc.encode('\n'), header('short.o/', 2), enc.encode('de'));
  assert.ok(isArchive(gnu));
  assert.deepEqual(archiveMembers(gnu, 'g.a').map((m) => [m.name, new TextDecoder().decode(m.bytes)]), [['a_rather_long_member_name.o', 'abc'], ['short.o', 'de']]);
  const bsd = join(enc.encode('!<arch>\n'), header('#1/20', 28), enc.encode('__.SYMDEF SORTED\0\0\0\0'), new Uint8Array(8), header('#1/12', 14), enc.encode('member.o\0\0\0\0xy'));
  assert.deepEqual(archiveMembers(bsd, 'b.a').map((m) => [m.name, new TextDecoder().decode(m.bytes)]), [['member.o', 'xy']]);
  // Symbol indexes name each member's definitions by its header's offset: GNU's big-endian, BSD's little-endian.
  const be = (...words: number[]) => new Uint8Array(words.flatMap((w) => [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255]));
  const le = (...words: number[]) => new Uint8Array(words.flatMap((w) => [w & 255, (w >>> 8) & 255, (w >>> 16) & 255, w >>> 24]));
  const gnuNames = enc.encode('f\0g\0h\0');
  // The index member's header is at 8, its 22 bytes (count, three offsets, names) end at 90: x.o at 90, y.o at 154.
  const indexed = join(enc.encode('!<arch>\n'), header('/', 22), be(3, 90, 152, 90), gnuNames, header('x.o/', 2), enc.encode('ab'), header('y.o/', 2), enc.encode('cd'));
  assert.deepEqual(archiveMembers(indexed, 'i.a').map((m) => [m.name, m.defines]), [['x.o', ['f', 'h']], ['y.o', ['g']]]);
  const bsdNames = enc.encode('f\0g\0');
  // __.SYMDEF: 20 bytes of name then 28 of index (the pairs' size, two pairs, the names' size, the names), its header at 8: m.o at 116.
  const bsdIndexed = join(enc.encode('!<arch>\n'), header('#1/20', 48), enc.encode('__.SYMDEF\0\0\0\0\0\0\0\0\0\0\0'), le(16, 0, 116, 2, 116, 4), bsdNames, header('m.o/', 2), enc.encode('mm'));
  assert.deepEqual(archiveMembers(bsdIndexed, 'b.a').map((m) => [m.name, m.defines]), [['m.o', ['f', 'g']]]);
  // Without an index a member says nothing of its definitions (the link reads it to know).
  assert.equal(archiveMembers(join(enc.encode('!<arch>\n'), header('z.o/', 2), enc.encode('zz')), 'z.a')[0]!.defines, undefined);
  assert.throws(() => archiveMembers(join(enc.encode('!<arch>\n'), header('/', 8), be(5, 0)), 'bad.a'), (e: unknown) => e instanceof DiagnosticError && /^bad\.a: malformed archive: a symbol index of 5 entries runs past its member/.test(e.diagnostics[0]!.message));
  assert.throws(() => archiveMembers(join(enc.encode('!<arch>\n'), header('x.o/', 100), enc.encode('short')), 'bad.a'), (e: unknown) => e instanceof DiagnosticError && /^bad\.a: malformed archive: member x\.o\/ runs past the end of the file/.test(e.diagnostics[0]!.message));
  assert.throws(() => archiveMembers(join(enc.encode('!<arch>\n'), enc.encode('junk')), 'bad.a'), DiagnosticError);
});

test('archive members: a damaged archive is read or refused with a diagnostic, never anything else (20,000 mutations of a real one)', (t) => {
  if (!which('ar') || !which('as')) return t.skip('needs ar and as (Debian package binutils)');
  const o1 = path.join(dir, 'm1.o');
  const o2 = path.join(dir, 'a_member_with_a_long_name.o');
  assert.equal(run('as', ['-o', o1, writeTemp(dir, 'm1.s', '\t.globl f\nf:\tret\n')]).status, 0);
  assert.equal(run('as', ['-o', o2, writeTemp(dir, 'm2.s', '\t.globl g\ng:\tcall f\n\tret\n')]).status, 0);
  const lib = path.join(dir, 'libm.a');
  fs.rmSync(lib, { force: true });
  assert.equal(run('ar', ['rcs', lib, o1, o2]).status, 0);
  const good = new Uint8Array(fs.readFileSync(lib));
  assert.deepEqual(archiveMembers(good, 'libm.a').map((m) => m.name), ['m1.o', 'a_member_with_a_long_name.o']);
  let seed = 2005;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let k = 0; k < 20000; k++) {
    const bytes = good.slice(0, k % 7 === 0 ? Math.floor(next() * good.length) : good.length);
    for (let j = 0; j < 1 + (k % 3); j++) if (bytes.length > 8) bytes[8 + Math.floor(next() * (bytes.length - 8))] = Math.floor(next() * 256);
    try {
      for (const m of archiveMembers(bytes, 'libm.a')) assert.ok(m.bytes.byteOffset + m.bytes.length <= bytes.byteOffset + bytes.length);
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
    }
  }
});

test('linux/amd64: a member defining a name the linker would define (__start_SECTION, end) is taken, as GNU ld takes it, and its definition wins', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('needs a linux/amd64 host');
  if (!which('cc') || !which('ar')) return t.skip('needs cc and ar (Debian packages gcc, binutils)');
  // glibc's makecontext calls __start_context, which another member of libc.a defines.
  const user = writeTemp(dir, 'linker-names-user.c', 'int __start_context(void);\nextern int end;\nint cmain(void) { return __start_context() + end; }\n');
  const def = writeTemp(dir, 'linker-names-def.c', 'int __start_context(void) { return 40; }\nint end = 2;\n');
  const objs = [user, def].map((c) => {
    const o = c.replace(/\.c$/, '.o');
    assert.equal(run('cc', ['-O2', '-c', '-o', o, c]).status, 0);
    return o;
  });
  const lib = path.join(dir, 'liblinkernames.a');
  fs.rmSync(lib, { force: true });
  assert.equal(run('ar', ['rcs', lib, objs[1]!]).status, 0);
  const exe = path.join(dir, 'linker-names');
  const b = asmlink(['build', '-o', exe, writeTemp(dir, 'linker-names-main.s', asmCallingC('amd64', [])), objs[0]!, lib]);
  assert.equal(b.status, 0, b.stderr);
  assert.equal(run(exe, []).status, 42);
});
