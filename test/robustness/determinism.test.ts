// The same argv gives the same bytes whatever the directory it runs in: asm,
// link (several objects, relative paths) and build, run in two directories
// created at different times, with different environments.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cliPath, repoRoot, tempDir } from '../helpers.js';

const progA = `#include "textflag.h"
TEXT ·main(SB),NOSPLIT,$0-0
	CALL	·helper(SB)
	RET
`;
const progB = `#include "textflag.h"
DATA msg<>+0(SB)/3, $"hi\\n"
GLOBL msg<>(SB), RODATA, $3
TEXT ·helper(SB),NOSPLIT,$16-0
	LEAQ	msg<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$3, 8(SP)
	CALL	runtime·printstring(SB)
	RET
`;

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv): void {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd, env, encoding: 'utf8' });
  assert.equal(r.status, 0, `asmlink ${args.join(' ')} in ${cwd}: ${r.stderr}`);
}

function setup(dir: string, reverse: boolean): void {
  // Files created in opposite orders, so directory order differs between the two.
  const files: [string, string][] = [['a.s', progA], ['b.s', progB]];
  for (const [n, t] of reverse ? files.reverse() : files) fs.writeFileSync(path.join(dir, n), t);
}

for (const extra of [[], ['--linkmode', 'external']]) {
  test(`same argv in two directories, same bytes: asm, link, build ${extra.join(' ')}`, () => {
    const dirs = [tempDir('asmlink-det-one-'), tempDir('asmlink-det-two-longer-name-')];
    const envs = [
      { ...process.env, TZ: 'UTC', LANG: 'C', PWD: dirs[0] },
      { ...process.env, TZ: 'Pacific/Kiritimati', LANG: 'fr_FR.UTF-8', SOURCE_DATE_EPOCH: '0', PWD: dirs[1] },
    ];
    const t = ['--os', 'linux', '--arch', 'amd64'];
    const outputs = ['a.o', 'b.o', 'linked', 'built', 'linked-ba'];
    dirs.forEach((dir, i) => {
      setup(dir, i === 1);
      const env = envs[i]!;
      cli(['asm', ...t, '-o', 'a.o', 'a.s'], dir, env);
      cli(['asm', ...t, '-o', 'b.o', 'b.s'], dir, env);
      cli(['link', ...t, ...extra, '-o', 'linked', 'a.o', 'b.o'], dir, env);
      cli(['link', ...t, ...extra, '-o', 'linked-ba', 'b.o', 'a.o'], dir, env);
      cli(['build', ...t, ...extra, '-o', 'built', 'a.s', 'b.s'], dir, env);
    });
    for (const f of outputs) {
      const [x, y] = dirs.map((d) => fs.readFileSync(path.join(d, f)));
      assert.ok(x!.equals(y!), `${f} differs between ${dirs[0]} and ${dirs[1]}`);
    }
    const run = spawnSync(path.join(dirs[0]!, 'linked'), [], { encoding: 'utf8' });
    assert.equal(run.stdout, 'hi\n');
  });
}

test('the same build from the repository root and from elsewhere, with an absolute source path', () => {
  const src = path.join(repoRoot, 'examples', 'threads.s');
  const a = tempDir();
  const b = tempDir();
  cli(['build', '--os', 'linux', '--arch', 'amd64', '-o', path.join(a, 'p'), src], repoRoot, process.env);
  cli(['build', '--os', 'linux', '--arch', 'amd64', '-o', path.join(b, 'p'), src], b, { ...process.env, HOME: b });
  assert.ok(fs.readFileSync(path.join(a, 'p')).equals(fs.readFileSync(path.join(b, 'p'))));
});
