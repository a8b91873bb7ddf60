// Same inputs, same bytes: each example built twice per target and mode, from
// different working directories and environments, must be byte-identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cliPath, repoRoot, tempDir, which } from '../helpers.js';

const configs: string[][] = [
  ['--os', 'linux', '--arch', 'amd64'],
  ['--os', 'linux', '--arch', 'amd64', '--threads', 'raw'],
  ['--os', 'darwin', '--arch', 'amd64'],
  ['--os', 'darwin', '--arch', 'amd64', '--fixups', 'chained', '--codesign'],
  // The system linker sees the same object and the same file names every time.
  ['--os', 'linux', '--arch', 'amd64', '--linkmode', 'external'],
  ['--os', 'darwin', '--arch', 'arm64', '--linkmode', 'external'],
];

/** Why a configuration cannot be built here, or undefined. */
function missingTool(flags: string[]): string | undefined {
  if (!flags.includes('external')) return undefined;
  if (flags.includes('darwin')) return which('ld64.lld') || which('ld64.lld-14') ? undefined : 'ld64.lld is not installed (Debian package lld)';
  return which('cc') ? undefined : 'cc is not installed (Debian package gcc)';
}

function build(flags: string[], src: string, out: string, cwd: string, env: NodeJS.ProcessEnv): Buffer {
  const r = spawnSync(process.execPath, [cliPath, 'build', ...flags, '-o', out, src], { cwd, env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return fs.readFileSync(out);
}

for (const flags of configs) {
  test(`deterministic output: ${flags.join(' ')}`, (t) => {
    const why = missingTool(flags);
    if (why) return t.skip(why);
    const a = tempDir();
    const b = tempDir();
    for (const ex of ['hello', 'threads']) {
      const src = path.join(repoRoot, 'examples', `${ex}.s`);
      const one = build(flags, src, path.join(a, ex), repoRoot, { ...process.env, TZ: 'UTC', LANG: 'C' });
      const two = build(flags, src, path.join(b, ex), b, { ...process.env, TZ: 'Asia/Tokyo', LANG: 'de_DE.UTF-8', SOURCE_DATE_EPOCH: '1' });
      assert.ok(one.equals(two), `${ex}: two builds differ`);
    }
  });
}

// The linker lays symbols out in their objects' order. An object written by
// `asmlink asm` keeps the assembler's order (ELF: in its syminfo records, as
// .symtab puts locals first; Mach-O: in its __asmlink_syms note), so linking
// it gives exactly what `asmlink build` gives.
const mixed = `#include "textflag.h"
TEXT ·a(SB),NOSPLIT,$0
	CALL	helper<>(SB)
	RET
TEXT helper<>(SB),NOSPLIT,$0
	RET
TEXT ·main(SB),NOSPLIT,$0
	CALL	·a(SB)
	RET
DATA d1<>+0(SB)/8, $1
GLOBL d1<>(SB), RODATA, $8
DATA ·d2+0(SB)/8, $2
GLOBL ·d2(SB), NOPTR, $8
DATA d3<>+0(SB)/8, $3
GLOBL d3<>(SB), $8
GLOBL ·b1(SB), NOPTR, $16
GLOBL b2<>(SB), $16
`;

for (const os of ['linux', 'darwin']) {
  for (const arch of ['amd64', '386', 'arm64']) {
    test(`${os}/${arch}: asm then link gives the bytes build gives (file-local and mixed-kind symbols)`, () => {
      const dir = tempDir();
      const src = path.join(dir, 'mixed.s');
      fs.writeFileSync(src, mixed);
      const flags = ['--os', os, '--arch', arch];
      const run = (args: string[]) => {
        const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
      };
      // The same file name in two directories: a Mach-O signature names the file.
      fs.mkdirSync(path.join(dir, 'linked'));
      fs.mkdirSync(path.join(dir, 'built'));
      run(['asm', ...flags, '-o', path.join(dir, 'mixed.o'), src]);
      run(['link', ...flags, '-o', path.join(dir, 'linked', 'prog'), path.join(dir, 'mixed.o')]);
      run(['build', ...flags, '-o', path.join(dir, 'built', 'prog'), src]);
      assert.ok(fs.readFileSync(path.join(dir, 'linked', 'prog')).equals(fs.readFileSync(path.join(dir, 'built', 'prog'))), 'asm + link and build differ');
    });
  }
}
