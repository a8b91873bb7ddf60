// The symbols GNU ld defines from an executable's layout (link/image-symbols.ts),
// as a C program sees them at run time: __ehdr_start is the ELF header, and
// etext, edata (__bss_start) and end are where readelf's program headers say
// the code, the file's data and the image end — dynamically, as a PIE (slid:
// the program prints offsets from __ehdr_start) and with the C library linked
// statically.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which, writeTemp } from '../helpers.js';
import { linuxPrefix, runWith, type LinuxArch } from '../e2e/threads-check.js';
import { asmCallingC, cTools } from './c-programs.js';

const dir = tempDir('asmlink-image-symbols-');

const BOUNDS_C = `int printf(const char *, ...);
int memcmp(const void *, const void *, unsigned long);
int fflush(void *);
extern char __ehdr_start[], etext[], _etext[], __etext[], edata[], _edata[], __bss_start[], end[], _end[];
static char zeroed[4096];
int cmain(void) {
  zeroed[4095] = 1;
  printf("elf %d same %d %d %d %d\\n", memcmp(__ehdr_start, "\\177ELF", 4) == 0, etext == _etext && etext == __etext, edata == _edata, __bss_start == edata, end == _end);
  printf("%lx %lx %lx\\n", (unsigned long)(etext - __ehdr_start), (unsigned long)(edata - __ehdr_start), (unsigned long)(end - __ehdr_start));
  fflush(0);
  return 0;
}
`;

/** etext, edata and end as offsets from the first PT_LOAD, from readelf's program headers. */
function boundsFromHeaders(exe: string): string {
  const l = run('readelf', ['-lW', exe]);
  assert.equal(l.status, 0, l.stderr);
  const loads = [...l.stdout.matchAll(/^ +LOAD +0x[0-9a-f]+ (0x[0-9a-f]+) 0x[0-9a-f]+ (0x[0-9a-f]+) (0x[0-9a-f]+) ([RWE ]{3}) /gm)].map((m) => ({ vaddr: Number(m[1]), filesz: Number(m[2]), memsz: Number(m[3]), flags: m[4]! }));
  const base = loads[0]!.vaddr;
  const rx = loads.find((g) => g.flags.includes('E'))!;
  const last = loads[loads.length - 1]!;
  const hex = (n: number) => (n - base).toString(16);
  return `${hex(rx.vaddr + rx.filesz)} ${hex(last.vaddr + last.filesz)} ${hex(Math.max(...loads.map((g) => g.vaddr + g.memsz)))}`;
}

for (const arch of ['amd64', '386', 'arm64'] as LinuxArch[]) {
  test(`linux/${arch}: __ehdr_start, etext, edata and end are the image's header and bounds, dynamically${arch === '386' ? '' : ', as a PIE'} and statically`, (t) => {
    if (!which('readelf')) return t.skip('needs readelf (Debian package binutils)');
    const tools = cTools(arch);
    if (typeof tools === 'string') return t.skip(tools);
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const o = path.join(dir, `bounds-${arch}.o`);
    const cc = tools.compile(['-O2', '-fPIE'], writeTemp(dir, 'bounds.c', BOUNDS_C), o);
    assert.equal(cc.status, 0, cc.stderr);
    const main = writeTemp(dir, `bounds-main-${arch}.s`, asmCallingC(arch, ['printf', 'memcmp', 'fflush']));
    const gcc = path.join(repoRoot, '.cache', 'c-libraries', 'arm64', 'usr', 'lib', 'gcc', 'aarch64-linux-gnu', '12');
    const modes: string[][] = [[], ...(arch === '386' ? [] : [['--pie']])];
    if (arch !== 'arm64' || fs.existsSync(path.join(gcc, 'libgcc.a'))) modes.push(['--static', ...(arch === 'arm64' ? ['-L', gcc] : [])]);
    else t.diagnostic('arm64 --static not run: no libgcc.a for arm64 (node tools/fetch-c-libraries.mjs)');
    for (const mode of modes) {
      const label = mode[0] ?? 'dynamic';
      const exe = path.join(dir, `bounds-${arch}-${label.replace(/\W/g, '')}`);
      const b = asmlink(['build', '--arch', arch, ...mode, '-o', exe, main, o]);
      assert.equal(b.status, 0, `${label}: ${b.stderr}`);
      const r = runWith(prefix, exe, []);
      assert.equal(r.status, 0, `${label}: ${r.stderr}`);
      const [first, second] = r.stdout.split('\n');
      assert.equal(first, 'elf 1 same 1 1 1 1', label);
      assert.equal(second, boundsFromHeaders(exe), label);
    }
  });
}
