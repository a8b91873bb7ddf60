// ELF symbol versions on dynamic imports: `//go:cgo_import_dynamic local
// remote#VERSION "lib"`. Parsing, the object note, resolution, asmlink gen's
// `//asmlink:version`, and executables checked with readelf and run — a
// version the library does not define must make the loader refuse the program,
// which proves the version is really written.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assemble } from '../../src/asm/assemble.js';
import { DiagnosticError } from '../../src/diag.js';
import { readElfObject, writeElfObject } from '../../src/formats/elf/index.js';
import { generateBindings } from '../../src/gen/index.js';
import { link } from '../../src/link/index.js';
import type { ArchName } from '../../src/target.js';
import { asmlink, repoRoot, run, tempDir, which } from '../helpers.js';
import { imp, obj } from './helpers.js';

const dir = tempDir('asmlink-versions-');

/** A program that calls getpid through `remote` (e.g. getpid#GLIBC_2.2.5) and prints "ok". */
function program(remote: string): string {
  return `#include "textflag.h"
//go:cgo_import_dynamic my_getpid ${remote} "libc.so.6"

DATA msg<>+0(SB)/3, $"ok\\n"
GLOBL msg<>(SB), RODATA, $3

#ifdef GOARCH_amd64
TEXT ·main(SB),NOSPLIT,$16-0
	MOVQ	SP, BX
	ANDQ	$~15, SP
	CALL	my_getpid(SB)
	MOVQ	BX, SP
	LEAQ	msg<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$3, 8(SP)
	CALL	runtime·printstring(SB)
	RET
#endif

#ifdef GOARCH_386
TEXT ·main(SB),NOSPLIT,$8-0
	MOVL	SP, BX
	ANDL	$~15, SP
	CALL	my_getpid(SB)
	MOVL	BX, SP
	LEAL	msg<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$3, 4(SP)
	CALL	runtime·printstring(SB)
	RET
#endif
`;
}

function build(name: string, src: string, arch: ArchName, extra: string[] = [], os = 'linux'): string {
  const file = path.join(dir, `${name}.s`);
  fs.writeFileSync(file, src);
  const out = path.join(dir, name);
  const r = asmlink(['build', '--os', os, '--arch', arch, ...extra, '-o', out, file]);
  assert.equal(r.status, 0, `build failed: ${r.stderr}`);
  return out;
}

/** How to run a linux program of this arch here ([] natively), or undefined. */
function runner(arch: ArchName): string[] | undefined {
  if (process.platform !== 'linux') return undefined;
  if (arch === 'amd64') return process.arch === 'x64' ? [] : undefined;
  if (arch === '386') {
    if (process.arch !== 'x64') return undefined;
    // This project's CI kernel has no IA-32 emulation: use qemu-i386 when there is one.
    const q = which('qemu-i386');
    return q ? [q] : undefined;
  }
  return undefined;
}

function exec(prefix: string[], exe: string) {
  return prefix.length ? run(prefix[0]!, [...prefix.slice(1), exe], {}) : run(exe, []);
}

test('remote#VERSION is split into remote and version; malformed versions are diagnosed', () => {
  const o = assemble('//go:cgo_import_dynamic a getpid#GLIBC_2.2.5 "libc.so.6"\n//go:cgo_import_dynamic b getppid "libc.so.6"\n', {
    file: 'v.s',
    target: { os: 'linux', arch: 'amd64' },
  });
  assert.deepEqual(
    o.dynimports.map((d) => [d.local, d.remote, d.version]),
    [
      ['a', 'getpid', 'GLIBC_2.2.5'],
      ['b', 'getppid', undefined],
    ],
  );
  assert.equal('version' in o.dynimports[1]!, false);
  for (const bad of ['getpid#', '#GLIBC_2.0', 'getpid#A#B'])
    assert.throws(
      () => assemble(`//go:cgo_import_dynamic a ${bad} "libc.so.6"\n`, { file: 'v.s', target: { os: 'linux', arch: 'amd64' } }),
      (e: unknown) => e instanceof DiagnosticError && /malformed symbol version/.test(e.message),
    );
});

test('the ELF object note carries the version, and unversioned entries stay as they were', () => {
  const o = obj('v.o', [], [{ ...imp('a', 'getpid'), version: 'GLIBC_2.2.5' }, imp('b', 'getppid')]);
  const back = readElfObject(writeElfObject(o), 'v.o');
  assert.deepEqual(back.dynimports, o.dynimports);
});

test('importing one local name at two versions is a conflict', () => {
  const a = obj('a.o', [], [{ ...imp('x', 'getpid'), version: 'GLIBC_2.2.5' }]);
  const b = obj('b.o', [], [imp('x', 'getpid')]);
  assert.throws(
    () => link([a, b], { target: { os: 'linux', arch: 'amd64' }, linkmode: 'internal', entry: 'main' }),
    (e: unknown) => e instanceof DiagnosticError && /conflicting dynamic imports of x: getpid from "libc.so.6"/.test(e.message) && /getpid#GLIBC_2\.2\.5/.test(e.message),
  );
});

test('asmlink gen: //asmlink:version applies to the next prototype, only for the targets it lists', () => {
  const h = '//asmlink:version GLIBC_2.1 linux/386\nint pthread_attr_init(void *a);\nint getpid(void);\n//asmlink:version V_1\nint f(void);\n';
  const on386 = generateBindings(h, { file: 'h.h', target: { os: 'linux', arch: '386' } });
  assert.match(on386, /^\/\/go:cgo_import_dynamic libc_pthread_attr_init pthread_attr_init#GLIBC_2\.1 "libc\.so\.6"$/m);
  assert.match(on386, /^\/\/go:cgo_import_dynamic libc_getpid getpid "libc\.so\.6"$/m);
  assert.match(on386, /^\/\/go:cgo_import_dynamic libc_f f#V_1 "libc\.so\.6"$/m);
  const onAmd64 = generateBindings(h, { file: 'h.h', target: { os: 'linux', arch: 'amd64' } });
  assert.match(onAmd64, /^\/\/go:cgo_import_dynamic libc_pthread_attr_init pthread_attr_init "libc\.so\.6"$/m);
  for (const bad of ['//asmlink:version\nint f(void);\n', '//asmlink:version V linux-386\nint f(void);\n', '//asmlink:version V\n'])
    assert.throws(() => generateBindings(bad, { file: 'h.h', target: { os: 'linux', arch: '386' } }), DiagnosticError);
});

test('the runtime imports pthread_create and pthread_attr_init at GLIBC_2.1 on linux/386 only, condition variables at GLIBC_2.3.2, without dlvsym', () => {
  const rt = path.join(repoRoot, 'runtime', 'libc');
  const z386 = fs.readFileSync(path.join(rt, 'zlibc_linux_386.s'), 'utf8');
  assert.match(z386, /libc_pthread_create pthread_create#GLIBC_2\.1 "libpthread\.so\.0"/);
  assert.match(z386, /libc_pthread_attr_init pthread_attr_init#GLIBC_2\.1 "libpthread\.so\.0"/);
  const zamd64 = fs.readFileSync(path.join(rt, 'zlibc_linux_amd64.s'), 'utf8');
  assert.doesNotMatch(zamd64, /pthread_create#|pthread_attr_init#/);
  // The current condition variables, not glibc's oldest (pre-2.3.2) version that an unversioned reference binds.
  for (const z of [z386, zamd64]) assert.match(z, /libc_pthread_cond_wait pthread_cond_wait#GLIBC_2\.3\.2 "libpthread\.so\.0"/);
  assert.doesNotMatch(fs.readFileSync(path.join(rt, 'zlibc_linux_arm64.s'), 'utf8'), /#GLIBC/);
  // One declaration per local name across the 386 runtime's libc files.
  const locals = new Map<string, string>();
  for (const f of fs.readdirSync(rt).filter((n) => /^[a-z0-9]+(_linux)?(_386)?\.s$/.test(n))) {
    const text = fs.readFileSync(path.join(rt, f), 'utf8');
    assert.doesNotMatch(text, /dlvsym|libdl/, f);
    for (const m of text.matchAll(/^\/\/go:cgo_import_dynamic (\S+) (\S+) "([^"]*)"/gm)) {
      if (m[1] === '_') continue;
      const prev = locals.get(m[1]!);
      assert.ok(prev === undefined || prev === `${m[2]} ${m[3]}`, `${m[1]} declared twice differently (${f})`);
      locals.set(m[1]!, `${m[2]} ${m[3]}`);
    }
  }
});

const cases: { arch: ArchName; version: string }[] = [
  { arch: 'amd64', version: 'GLIBC_2.2.5' },
  { arch: '386', version: 'GLIBC_2.0' },
];

for (const { arch, version } of cases) {
  test(`linux/${arch}: readelf -V shows the needed version; the program runs`, (t) => {
    const exe = build(`ok-${arch}`, program(`getpid#${version}`), arch);
    if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
    const v = run('readelf', ['-VW', exe], {});
    assert.match(v.stdout, /Version needs section '\.gnu\.version_r' contains 1 entry/);
    assert.match(v.stdout, new RegExp(`File: libc\\.so\\.6\\s+Cnt: 1\\n\\s+0x0010:\\s+Name: ${version.replace(/\./g, '\\.')}\\s+Flags: none\\s+Version: 2`));
    const s = run('readelf', ['--dyn-syms', '-W', exe], {});
    assert.match(s.stdout, new RegExp(`UND getpid@${version.replace(/\./g, '\\.')} \\(2\\)`));
    const a = run('readelf', ['-aW', exe], {});
    assert.equal(a.stderr, '', 'readelf -a warnings');
    assert.match(a.stdout, /\(VERSYM\)/);
    assert.match(a.stdout, /\(VERNEEDNUM\)\s+1/);
    const prefix = runner(arch);
    if (!prefix) return t.skip(`cannot run linux/${arch} programs here`);
    const r = exec(prefix, exe);
    assert.equal(r.stdout, 'ok\n', r.stderr);
    assert.equal(r.status, 0);
  });

  test(`linux/${arch}: a version the library does not define makes the loader refuse the program`, (t) => {
    const exe = build(`bad-${arch}`, program('getpid#GLIBC_9.9'), arch);
    const prefix = runner(arch);
    if (!prefix) return t.skip(`cannot run linux/${arch} programs here`);
    const r = exec(prefix, exe);
    assert.notEqual(r.status, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /version `GLIBC_9\.9' not found/);
  });
}

test('linux/amd64 external link: the versioned import reaches cc as name@VERSION', (t) => {
  if (!which('cc')) return t.skip('needs cc');
  const exe = build('ext-amd64', program('getpid#GLIBC_2.2.5'), 'amd64', ['--linkmode', 'external']);
  if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
  assert.match(run('readelf', ['--dyn-syms', '-W', exe], {}).stdout, /UND getpid@GLIBC_2\.2\.5/);
  const prefix = runner('amd64');
  if (!prefix) return t.skip('cannot run linux/amd64 programs here');
  assert.equal(exec(prefix, exe).stdout, 'ok\n');
});

test('darwin ignores the version: the bind names the plain symbol', () => {
  const exe = build('darwin-amd64', program('getpid#GLIBC_2.2.5'), 'amd64', [], 'darwin');
  const bytes = fs.readFileSync(exe).toString('latin1');
  assert.ok(bytes.includes('_getpid\0'), 'binds _getpid');
  assert.ok(!bytes.includes('GLIBC'), 'no version text in the Mach-O file');
});

test('linux/386 threads example: the runtime binds pthread_create@GLIBC_2.1 without libdl, and its threads run on their stacks', (t) => {
  const exe = build('threads-386', fs.readFileSync(path.join(repoRoot, 'examples', 'threads.s'), 'utf8'), '386');
  if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
  const s = run('readelf', ['--dyn-syms', '-W', exe], {});
  assert.match(s.stdout, /UND pthread_create@GLIBC_2\.1 \(2\)/);
  assert.match(s.stdout, /UND pthread_attr_init@GLIBC_2\.1 \(2\)/);
  assert.doesNotMatch(s.stdout, /dlvsym/);
  const d = run('readelf', ['-dW', exe], {});
  assert.deepEqual([...d.stdout.matchAll(/Shared library: \[(.*?)\]/g)].map((m) => m[1]), ['libpthread.so.0', 'libc.so.6']);
  const prefix = runner('386');
  if (!prefix) return t.skip('cannot run linux/386 programs here');
  const r = prefix.length ? run(prefix[0]!, [...prefix.slice(1), exe, '8'], {}) : run(exe, ['8'], {});
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^thread 7: sum=7499999500000 /m);
  assert.match(r.stdout, /^total=31999996000000$/m);
});
