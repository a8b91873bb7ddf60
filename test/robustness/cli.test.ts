// Exit statuses of every verb: 0 success, 1 diagnostics, 2 usage error;
// --help for every verb (status 0, every flag mentioned) and --version. No
// user error ever prints a stack trace.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { asmlink, cliPath, repoRoot, tempDir, writeTemp } from '../helpers.js';

const STACK = /^\s+at /m;

function expectStatus(args: string[], status: number, opts: { cwd?: string } = {}): { stdout: string; stderr: string } {
  const r = asmlink(args, opts);
  assert.equal(r.status, status, `asmlink ${args.join(' ')}: status ${r.status}, want ${status}\nstderr: ${r.stderr}`);
  if (status !== 0) assert.doesNotMatch(r.stderr, STACK, `asmlink ${args.join(' ')} printed a stack trace:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error/);
  return { stdout: r.stdout, stderr: r.stderr };
}

const target = ['--os', 'linux', '--arch', 'amd64'];
const hello = path.join(repoRoot, 'examples', 'hello.s');

const FLAGS: Record<string, string[]> = {
  asm: ['--os', '--arch', '-o', '-p', '-I', '-D', '-S', '--json'],
  link: ['--os', '--arch', '-o', '--linkmode', '--extld', '--no-runtime', '--threads', '--entry', '--libc', '--interp', '--rpath', '--extldflags', '--pie', '--build-id', '-s', '--static', '--codesign', '--fixups', '--macos-min', '--keep-object'],
  build: ['--os', '--arch', '-o', '-p', '-I', '-D', '--linkmode', '--extld', '--no-runtime', '--threads', '--entry', '--libc', '--interp', '--rpath', '--extldflags', '--pie', '--build-id', '-s', '--static', '--codesign', '--fixups', '--macos-min', '--keep-object'],
  run: ['--os', '--arch', '-p', '-I', '-D', '--linkmode', '--extld', '--no-runtime', '--threads', '--entry', '--libc', '--interp', '--rpath', '--extldflags', '--pie', '--build-id', '-s', '--static', '--codesign', '--fixups', '--macos-min', '--keep-object'],
  gen: ['--os', '--arch', '-o', '--lib', '--errno', '--pkg', '--callback-pkg', '--varargs'],
};

for (const [verb, flags] of Object.entries(FLAGS)) {
  test(`${verb} --help: status 0, usage line and every flag`, () => {
    for (const h of ['--help', '-h']) {
      const { stdout } = expectStatus([verb, h], 0);
      assert.match(stdout, new RegExp(`^usage: asmlink ${verb} `));
      for (const f of flags) assert.ok(stdout.includes(f), `asmlink ${verb} --help does not mention ${f}`);
    }
    // --help after other flags still shows help.
    expectStatus([verb, '--os', 'linux', '--help'], 0);
  });

  test(`${verb}: usage errors exit 2 without a stack trace`, () => {
    const file = verb === 'link' ? 'x.o' : verb === 'gen' ? 'x.h' : hello;
    const cases: string[][] = [
      [verb, '--bogus', file],
      [verb, '-Z', file],
      [verb, file, '--os'], // missing value
      [verb, '--os', 'plan9', file],
      [verb, '--arch', 'mips', file],
      [verb, '--os=', file],
      [verb, '--os', 'linux', '--os', 'linux', file], // given twice
      [verb], // no input
    ];
    if (verb !== 'asm' && verb !== 'gen') {
      cases.push([verb, '--linkmode', 'hybrid', file], [verb, '--threads', 'green', file], [verb, '--fixups', 'magic', file], [verb, '--no-runtime=yes', file]);
    }
    if (verb === 'asm') cases.push([verb, '-D', '=1', file], [verb, file, file]);
    for (const args of cases) {
      // `run` passes everything after the source to the program: keep the bad flag before it.
      if (verb === 'run' && args[1] === file && args.length > 2) continue;
      const { stderr } = expectStatus(args, 2);
      assert.match(stderr, new RegExp(`asmlink ${verb}: `), `asmlink ${args.join(' ')}: ${stderr}`);
      assert.match(stderr, /see asmlink \w+ --help/);
    }
  });
}

test('unknown command, no command, --version', () => {
  const u = expectStatus(['frobnicate'], 2);
  assert.match(u.stderr, /unknown command frobnicate/);
  const none = asmlink([]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /usage: asmlink <command>/);
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  for (const v of ['--version', 'version']) assert.equal(expectStatus([v], 0).stdout, `asmlink ${pkg.version}\n`);
  assert.match(expectStatus(['--help'], 0).stdout, /commands:/);
  for (const verb of Object.keys(FLAGS)) assert.match(expectStatus(['--help'], 0).stdout, new RegExp(`\\n  ${verb} `));
});

test('run builds every leading .s file; the program gets the rest (--help too), a -- after the sources dropped', () => {
  const dir = tempDir();
  // main.s prints how many arguments the program got (nargs counts argv[0])
  // and calls a function of count.s, which prints the last one: both files
  // must be built.
  const main = writeTemp(
    dir,
    'main.s',
    `#include "textflag.h"
TEXT ·main(SB),NOSPLIT,$16-0
	CALL	runtime·nargs(SB)
	MOVQ	0(SP), AX
	MOVQ	AX, 0(SP)
	CALL	runtime·printint(SB)
	CALL	runtime·printnl(SB)
	CALL	·last(SB)
	RET
`,
  );
  const count = writeTemp(
    dir,
    'count.s',
    `#include "textflag.h"
TEXT ·last(SB),NOSPLIT,$32-0
	CALL	runtime·nargs(SB)
	MOVQ	0(SP), AX
	DECQ	AX
	MOVQ	AX, 0(SP)
	CALL	runtime·arg(SB)
	MOVQ	8(SP), AX
	MOVQ	16(SP), BX
	MOVQ	AX, 0(SP)
	MOVQ	BX, 8(SP)
	CALL	runtime·printstring(SB)
	CALL	runtime·printnl(SB)
	RET
`,
  );
  assert.equal(expectStatus(['run', ...target, main, count, 'x', 'y.s'], 0).stdout, '3\ny.s\n');
  // Flags after the sources are the program's, not asmlink's.
  assert.equal(expectStatus(['run', ...target, main, count, '--help'], 0).stdout, '2\n--help\n');
  assert.equal(expectStatus(['run', ...target, main, count, '--', 'in.s'], 0).stdout, '2\nin.s\n');
  assert.equal(expectStatus(['run', ...target, '--', main, count, '--', '--'], 0).stdout, '2\n--\n');
  // Without count.s the program does not link: the second source was not taken as an argument.
  assert.match(expectStatus(['run', ...target, main, '--', count], 1).stderr, /undefined: main\.last/);
});

test('diagnostics exit 1 for every verb, one line each, no stack trace', () => {
  const dir = tempDir();
  const bad = writeTemp(dir, 'bad.s', '#include "textflag.h"\nTEXT ·main(SB),NOSPLIT,$0\n\tMOVQ\t$1, NOSUCHREG\n\tRET\n');
  const notObj = writeTemp(dir, 'not.o', 'this is not an object file\n');
  const badH = writeTemp(dir, 'bad.h', 'int f(int x;\n');
  const undef = writeTemp(dir, 'undef.s', '#include "textflag.h"\nTEXT ·main(SB),NOSPLIT,$0\n\tCALL\t·nosuch(SB)\n\tRET\n');
  const cases: [string[], RegExp][] = [
    [['asm', ...target, '-o', path.join(dir, 'bad.o'), bad], /bad\.s:3:\d+: /],
    [['build', ...target, '-o', path.join(dir, 'bad'), bad], /bad\.s:3:\d+: /],
    [['run', ...target, bad], /bad\.s:3:\d+: /],
    [['build', ...target, '-o', path.join(dir, 'undef'), undef], /undefined: main\.nosuch/],
    [['link', ...target, '-o', path.join(dir, 'x'), notObj], /not\.o: not an object file/],
    [['gen', ...target, '-o', path.join(dir, 'x.s'), badH], /bad\.h:1:\d+: /],
    [['asm', ...target, path.join(dir, 'missing.s')], /missing\.s: cannot read file \(no such file\)/],
    [['link', ...target, path.join(dir, 'missing.o')], /missing\.o: cannot read file \(no such file\)/],
    [['gen', ...target, path.join(dir, 'missing.h')], /missing\.h/],
    [['build', ...target, '-o', path.join(dir, 'no', 'such', 'dir', 'x'), hello], /cannot write \S*no\/such\/dir\/x: no such directory/],
  ];
  for (const [args, want] of cases) {
    const { stderr } = expectStatus(args, 1);
    assert.match(stderr, want, `asmlink ${args.join(' ')}`);
  }
  assert.deepEqual(fs.readdirSync(dir).sort(), ['args.s', 'bad.h', 'bad.s', 'not.o', 'undef.s'].filter((f) => f !== 'args.s'));
});

test('success exits 0 for every verb', () => {
  const dir = tempDir();
  const obj = path.join(dir, 'hello.o');
  expectStatus(['asm', ...target, '-o', obj, hello], 0);
  expectStatus(['asm', ...target, '-S', hello], 0);
  expectStatus(['asm', ...target, '--json', hello], 0);
  expectStatus(['link', ...target, '-o', path.join(dir, 'h1'), obj], 0);
  expectStatus(['build', ...target, '-o', path.join(dir, 'h2'), hello], 0);
  assert.equal(expectStatus(['run', ...target, hello], 0).stdout, 'hello, world\n');
  const h = writeTemp(dir, 'one.h', 'int getpid(void);\n');
  expectStatus(['gen', ...target, '-o', path.join(dir, 'one.s'), h], 0);
  for (const f of ['h1', 'h2']) assert.equal(fs.statSync(path.join(dir, f)).mode & 0o111, 0o111);
});

test('an external linker that exits 0 without writing the output is an error, not a crash', () => {
  const dir = tempDir('asmlink-noout-');
  const out = path.join(dir, 'hello');
  const { stderr } = expectStatus(['build', ...target, '--linkmode', 'external', '--extld', '/bin/true', '-o', out, hello], 1);
  assert.match(stderr, /external linker \/bin\/true exited with status 0 but wrote no output/);
  assert.equal(fs.existsSync(out), false);
  assert.deepEqual(fs.readdirSync(dir), [], 'no temporary files are left behind');
});

test('an output that is one of the inputs is refused, and the input kept', () => {
  const dir = tempDir();
  const src = writeTemp(dir, 'prog.s', fs.readFileSync(hello, 'utf8'));
  const before = fs.readFileSync(src);
  fs.symlinkSync('prog.s', path.join(dir, 'alias.s'));
  const cases = [
    ['build', ...target, '-o', src, src],
    ['build', ...target, '-o', path.join(dir, 'alias.s'), src],
    ['build', ...target, '--linkmode', 'external', '--keep-object', src, '-o', path.join(dir, 'exe'), src],
    ['asm', ...target, '-o', src, src],
  ];
  for (const args of cases) {
    const { stderr } = expectStatus(args, 1, { cwd: dir });
    assert.match(stderr, /prog\.s: is an input and also the output \(.*\); refusing to overwrite it\n$/, args.join(' '));
    assert.deepEqual(fs.readFileSync(src), before, args.join(' '));
  }
  const obj = path.join(dir, 'prog.o');
  expectStatus(['asm', ...target, '-o', obj, src], 0);
  const objBefore = fs.readFileSync(obj);
  const { stderr } = expectStatus(['link', ...target, '-o', obj, obj], 1);
  assert.match(stderr, /prog\.o: is an input and also the output/);
  assert.deepEqual(fs.readFileSync(obj), objBefore);
});

test('build without -o names the executable after the source without its extension, or a.out', () => {
  const dir = tempDir();
  const text = fs.readFileSync(hello, 'utf8');
  for (const [src, exe] of [
    ['prog.s', 'prog'],
    ['prog.asm', 'prog'],
    ['noext', 'a.out'],
  ]) {
    writeTemp(dir, src, text);
    expectStatus(['build', ...target, src], 0, { cwd: dir });
    assert.equal(fs.readFileSync(path.join(dir, src), 'utf8'), text, `${src} kept`);
    assert.equal(fs.readFileSync(path.join(dir, exe)).subarray(0, 4).toString('latin1'), '\x7fELF', `${src} → ${exe}`);
    fs.rmSync(path.join(dir, exe));
  }
});

test('a reader that stops reading ends asm -S quietly, with the status SIGPIPE gives a C tool', () => {
  const dir = tempDir();
  // A listing far larger than a pipe holds.
  const lines = ['#include "textflag.h"', 'TEXT ·main(SB),NOSPLIT,$0-0'];
  for (let i = 0; i < 20000; i++) lines.push('\tADDQ\t$1, AX');
  lines.push('\tRET');
  const src = writeTemp(dir, 'big.s', lines.join('\n') + '\n');
  const r = spawnSync('/bin/bash', ['-c', '"$@" 2>err | head -1 >/dev/null; echo "${PIPESTATUS[0]}"', 'bash', process.execPath, cliPath, 'asm', ...target, '-S', src], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.stdout.trim(), '141');
  assert.equal(fs.readFileSync(path.join(dir, 'err'), 'utf8'), '');
});

test('a listing that cannot be written (a full disk) is an error, not lost silently', (t) => {
  if (!fs.existsSync('/dev/full')) return t.skip('needs /dev/full (linux)');
  const r = spawnSync('/bin/sh', ['-c', '"$@" > /dev/full', 'sh', process.execPath, cliPath, 'asm', ...target, '-S', hello], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'asmlink: cannot write standard output: no space left on device\n');
});

test('run of a program whose interpreter is missing says which, not spawn ENOENT', () => {
  for (const arch of ['amd64', '386', 'arm64']) {
    const r = expectStatus(['run', '--os', 'linux', '--arch', arch, '--interp', '/nonexistent/ld.so', hello], 1);
    assert.match(r.stderr, /^cannot run the program: its program interpreter \/nonexistent\/ld\.so is not on this machine/);
    assert.doesNotMatch(r.stderr, /ENOENT/);
  }
});
