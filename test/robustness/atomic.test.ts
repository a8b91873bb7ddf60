// Atomic outputs: a failed build (at assembly or at link time, internal or
// external) leaves the previous output byte for byte and no temporary files;
// an output replaced while it runs causes no ETXTBSY; a build killed at any
// moment leaves the old file or a complete, valid new one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { asmlink, cliPath, repoRoot, tempDir, which, writeTemp } from '../helpers.js';

const target = ['--os', 'linux', '--arch', 'amd64'];
const hello = path.join(repoRoot, 'examples', 'hello.s');
const OLD = 'previous contents\n';

const undefSrc = '#include "textflag.h"\nTEXT ·main(SB),NOSPLIT,$0\n\tCALL\t·nosuch(SB)\n\tRET\n';
const badSrc = '#include "textflag.h"\nTEXT ·main(SB),NOSPLIT,$0\n\tMOVQ\t$1, NOSUCHREG\n\tRET\n';

function listing(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

test('a failed build, link or asm leaves the previous output untouched and no temporary files', () => {
  const dir = tempDir();
  const undef = writeTemp(dir, 'undef.s', undefSrc);
  const bad = writeTemp(dir, 'bad.s', badSrc);
  const out = writeTemp(dir, 'prog', OLD);
  fs.chmodSync(out, 0o600);
  const obj = path.join(dir, 'undef.o');
  assert.equal(asmlink(['asm', ...target, '-o', obj, undef]).status, 0);
  const before = listing(dir);
  const cases: string[][] = [
    ['build', ...target, '-o', out, undef], // fails at link time: undefined symbol
    ['build', ...target, '-o', out, bad], // fails at assembly
    ['build', ...target, '--linkmode', 'external', '-o', out, undef],
    ['link', ...target, '-o', out, obj],
    ['link', ...target, '-o', out, bad], // not an object
    ['asm', ...target, '-o', out, bad],
  ];
  if (which('cc')) cases.push(['build', ...target, '--linkmode', 'external', '--extld', 'false', '-o', out, hello]); // the system linker fails
  for (const args of cases) {
    const r = asmlink(args);
    assert.equal(r.status, 1, `asmlink ${args.join(' ')}: ${r.stderr}`);
    assert.equal(fs.readFileSync(out, 'utf8'), OLD, `asmlink ${args.join(' ')} changed the old output`);
    assert.equal(fs.statSync(out).mode & 0o777, 0o600, 'mode of the old output changed');
    assert.deepEqual(listing(dir), before, `asmlink ${args.join(' ')} left files behind`);
  }
  // And with no previous output, nothing appears.
  fs.rmSync(out);
  assert.equal(asmlink(['build', ...target, '-o', out, undef]).status, 1);
  assert.equal(fs.existsSync(out), false);
});

test('the output is executable only when complete; successful builds leave no temporary files', () => {
  const dir = tempDir();
  const out = path.join(dir, 'hello');
  for (const mode of ['internal', 'external']) {
    if (mode === 'external' && !which('cc')) continue;
    const r = asmlink(['build', ...target, '--linkmode', mode, '-o', out, hello]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.statSync(out).mode & 0o111, 0o111);
    assert.deepEqual(listing(dir), ['hello']);
    assert.equal(spawnSync(out, [], { encoding: 'utf8' }).stdout, 'hello, world\n');
  }
  // asm output is not executable.
  assert.equal(asmlink(['asm', ...target, '-o', path.join(dir, 'h.o'), hello]).status, 0);
  assert.equal(fs.statSync(path.join(dir, 'h.o')).mode & 0o111, 0);
});

const sleeperSrc = `#include "textflag.h"
// Sleeps forever on a note nobody wakes.
TEXT ·main(SB),NOSPLIT,$16-0
	CALL	runtime·newnote(SB)
	MOVQ	0(SP), AX
	MOVQ	AX, 0(SP)
	CALL	runtime·notesleep(SB)
	RET
`;

test('rebuilding an executable while it runs replaces it (no ETXTBSY)', async () => {
  const dir = tempDir();
  const src = writeTemp(dir, 'sleeper.s', sleeperSrc);
  const out = path.join(dir, 'prog');
  assert.equal(asmlink(['build', ...target, '-o', out, src]).status, 0);
  const child = spawn(out, [], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(child.exitCode, null, 'the sleeper should still be running');
    for (const mode of ['internal', 'external']) {
      if (mode === 'external' && !which('cc')) continue;
      const r = asmlink(['build', ...target, '--linkmode', mode, '-o', out, hello]);
      assert.equal(r.status, 0, `${mode}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /ETXTBSY/);
      assert.equal(spawnSync(out, [], { encoding: 'utf8' }).stdout, 'hello, world\n');
    }
    assert.equal(child.exitCode, null, 'the running program was disturbed');
  } finally {
    child.kill('SIGKILL');
  }
});

/** A program big enough that building it takes a while: many functions and 24 MiB of read-only data. */
function bigSource(): string {
  const parts = ['#include "textflag.h"', 'GLOBL blob<>(SB), RODATA, $(24<<20)', 'DATA msg<>+0(SB)/4, $"big\\n"', 'GLOBL msg<>(SB), RODATA, $4'];
  parts.push('TEXT ·main(SB),NOSPLIT,$16-0', '\tLEAQ\tblob<>(SB), AX', '\tCALL\t·f0(SB)', '\tLEAQ\tmsg<>(SB), AX', '\tMOVQ\tAX, 0(SP)', '\tMOVQ\t$4, 8(SP)', '\tCALL\truntime·printstring(SB)', '\tRET');
  const n = 3000;
  for (let i = 0; i < n; i++) {
    parts.push(`TEXT ·f${i}(SB),NOSPLIT,$0-0`, '\tMOVQ\t$1, AX', '\tADDQ\t$2, AX', '\tIMULQ\t$3, AX');
    if (i + 1 < n) parts.push(`\tCALL\t·f${i + 1}(SB)`);
    parts.push('\tRET');
  }
  return parts.join('\n') + '\n';
}

test('a build killed (SIGKILL) at any moment leaves the old output or a complete new one', async (t) => {
  const readelf = which('readelf');
  const dir = tempDir();
  const big = writeTemp(dir, 'big.s', bigSource());
  const out = path.join(dir, 'prog');
  // The reference: the complete new output, and how long a build takes.
  const t0 = Date.now();
  const ref = asmlink(['build', ...target, '-o', path.join(dir, 'ref'), big]);
  assert.equal(ref.status, 0, ref.stderr);
  const duration = Date.now() - t0;
  const refBytes = fs.readFileSync(path.join(dir, 'ref'));
  assert.equal(asmlink(['build', ...target, '-o', out, hello]).status, 0);
  const oldBytes = fs.readFileSync(out);
  const seen = { old: 0, new: 0 };
  const trials = 8;
  for (let i = 0; i < trials; i++) {
    // Kill points spread over the whole build, start to end (and a bit past it).
    const delay = Math.round(((i + 0.5) / trials) * duration * 1.6);
    const child = spawn(process.execPath, [cliPath, 'build', ...target, '-o', out, big], { stdio: 'ignore' });
    // Listen before waiting: the build may finish before the kill.
    const closed = new Promise((r) => child.on('close', r));
    await new Promise((r) => setTimeout(r, delay));
    child.kill('SIGKILL');
    await closed;
    const now = fs.readFileSync(out);
    if (now.equals(oldBytes)) {
      seen.old++;
      continue;
    }
    seen.new++;
    assert.ok(now.equals(refBytes), `trial ${i} (${delay} ms): the output is neither the old file nor the complete new one`);
    assert.equal(fs.statSync(out).mode & 0o111, 0o111);
    if (readelf) assert.equal(spawnSync(readelf, ['-h', out]).status, 0);
    assert.equal(spawnSync(out, [], { encoding: 'utf8' }).stdout, 'big\n');
    // Put the old file back for the next trial.
    fs.writeFileSync(out, oldBytes);
  }
  // Temporary files of killed builds may remain (nothing can remove them on SIGKILL); they never carry the output's name.
  for (const f of listing(dir)) assert.ok(['big.s', 'prog', 'ref'].includes(f) || f.startsWith('.prog.'), `unexpected file ${f}`);
  t.diagnostic(`build takes ${duration} ms; killed builds left the old file ${seen.old} times, a complete new one ${seen.new} times`);
});

/** Processes whose executable lies under dir (linux /proc). */
function processesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (fs.readlinkSync(`/proc/${pid}/exe`).startsWith(dir + path.sep)) found.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

for (const how of ['SIGINT to the process group', 'SIGTERM to asmlink'] as const) {
  test(`asmlink run: ${how} ends the program, and asmlink removes its temporary files`, async (t) => {
    if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('runs a linux/amd64 program: needs a linux/amd64 host');
    const dir = tempDir();
    const src = writeTemp(dir, 'sleeper.s', sleeperSrc);
    const tmp = fs.mkdtempSync(path.join(dir, 'tmp-'));
    // Its own process group, as a shell's foreground job has.
    const child = spawn(process.execPath, [cliPath, 'run', ...target, src], { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    // Wait for the program to run: asmlink's temporary executable is running.
    const t0 = Date.now();
    while (processesUnder(tmp).length === 0) {
      assert.ok(Date.now() - t0 < 20000, `the program did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    let code: number | null | 'hung';
    try {
      if (how === 'SIGINT to the process group') process.kill(-child.pid!, 'SIGINT');
      else child.kill('SIGTERM');
      code = await Promise.race([closed, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20000))]);
    } finally {
      // A program left running would hold the test's stderr pipe open forever.
      for (const pid of processesUnder(tmp)) process.kill(Number(pid), 'SIGKILL');
    }
    if (how === 'SIGINT to the process group') {
      assert.equal(code, 130);
      assert.equal(stderr, '', 'an interrupt is not reported, as a shell does not');
    } else {
      assert.equal(code, 143);
      assert.equal(stderr, 'asmlink run: program killed by SIGTERM\n');
    }
    assert.deepEqual(processesUnder(tmp), [], 'the program still runs');
    assert.deepEqual(fs.readdirSync(tmp), [], 'temporary files left behind');
  });
}

test('an interrupt while the output is being written leaves no temporary file behind', async (t) => {
  // strace holds the rename of the finished temporary file for a while, so
  // that the interrupt surely comes while it exists.
  const strace = which('strace');
  if (!strace) return t.skip('needs strace (Debian package strace)');
  const dir = tempDir();
  const out = path.join(dir, 'prog');
  const hold = ['-f', '-o', '/dev/null', '-e', 'trace=rename,renameat,renameat2', '-e', 'inject=rename,renameat,renameat2:delay_enter=1000000'];
  const child = spawn(strace, [...hold, process.execPath, cliPath, 'build', ...target, '-o', out, hello], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  let temp: string | undefined;
  const t0 = Date.now();
  while (!(temp = fs.readdirSync(dir).find((f) => f.startsWith('.prog.tmp-')))) {
    assert.ok(Date.now() - t0 < 30000, `no temporary file appeared: ${stderr}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  // The temporary file is named after the process that writes it.
  process.kill(Number(/tmp-(\d+)-/.exec(temp)![1]), 'SIGINT');
  assert.equal(await closed, 0, stderr);
  assert.deepEqual(listing(dir), ['prog']);
  assert.equal(spawnSync(out, [], { encoding: 'utf8' }).stdout, 'hello, world\n');
});

test('an output that is not a regular file (a pipe, /dev/null) is written into, not replaced', (t) => {
  if (!which('mkfifo')) return t.skip('needs mkfifo (Debian package coreutils)');
  const dir = tempDir();
  const fifo = path.join(dir, 'fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const ref = path.join(dir, 'ref');
  const cases: [string, string[]][] = [
    ['build', ['build', ...target, hello]],
    ['asm', ['asm', ...target, hello]],
  ];
  if (which('cc')) cases.push(['build --linkmode external', ['build', ...target, '--linkmode', 'external', hello]]);
  for (const [what, args] of cases) {
    assert.equal(asmlink([...args, '-o', ref]).status, 0, what);
    // A reader on the pipe, as in `asmlink build -o fifo & cat fifo > got`.
    const got = path.join(dir, 'got');
    const script = 'cat "$1" > "$2" & shift 2; "$@"; s=$?; wait; exit $s';
    const r = spawnSync('/bin/sh', ['-c', script, 'sh', fifo, got, process.execPath, cliPath, ...args, '-o', fifo], { encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 0, `${what}: ${r.stderr}`);
    assert.ok(fs.lstatSync(fifo).isFIFO(), `${what}: the pipe was replaced`);
    assert.deepEqual(fs.readFileSync(got), fs.readFileSync(ref), what);
    assert.deepEqual(listing(dir).filter((f) => f.startsWith('.')), [], `${what}: temporary files left`);
  }
  // /dev/null takes any output and stays the device it is.
  assert.equal(asmlink(['build', ...target, '-o', '/dev/null', hello]).status, 0);
  assert.ok(fs.statSync('/dev/null').isCharacterDevice());
});

test('an interrupt during an external link leaves the old output and no work directory behind', async (t) => {
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const dir = tempDir();
  const out = writeTemp(dir, 'prog', OLD);
  // A system linker that takes its time, so that the interrupt comes while it runs.
  const slow = writeTemp(dir, 'slow-cc', '#!/bin/sh\necho started > "$(dirname "$0")/started"\nsleep 30\nexec cc "$@"\n');
  fs.chmodSync(slow, 0o755);
  const child = spawn(process.execPath, [cliPath, 'build', ...target, '--linkmode', 'external', '--extld', slow, '-o', out, hello], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const t0 = Date.now();
  while (!fs.existsSync(path.join(dir, 'started'))) {
    assert.ok(Date.now() - t0 < 30000, `the external linker did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  // As a terminal's Ctrl-C: the whole process group.
  process.kill(-child.pid!, 'SIGINT');
  assert.equal(await closed, 1);
  assert.match(stderr, /external linker .*slow-cc/);
  assert.equal(fs.readFileSync(out, 'utf8'), OLD);
  assert.deepEqual(listing(dir), ['prog', 'slow-cc', 'started']);
});

test('outputs follow the umask, as a C compiler\'s do: an executable gets x wherever it got r', (t) => {
  const dir = tempDir();
  const modes: Record<string, number> = {};
  const cases: [string, string[]][] = [
    ['exe', ['build', ...target, '-o', path.join(dir, 'exe'), hello]],
    ['obj.o', ['asm', ...target, '-o', path.join(dir, 'obj.o'), hello]],
  ];
  if (which('cc')) cases.push(['ext', ['build', ...target, '--linkmode', 'external', '-o', path.join(dir, 'ext'), hello]]);
  else t.diagnostic('external mode not checked: needs cc (Debian package gcc)');
  for (const [name, args] of cases) {
    const r = spawnSync('/bin/sh', ['-c', 'umask 027; exec "$@"', 'sh', process.execPath, cliPath, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    modes[name] = fs.statSync(path.join(dir, name)).mode & 0o777;
  }
  assert.equal(modes['exe'], 0o750);
  assert.equal(modes['obj.o'], 0o640);
  if (modes['ext'] !== undefined) assert.equal(modes['ext'], 0o750);
});

test('an output whose name is near the longest a file name may be is written; a longer one is a plain error', () => {
  const dir = tempDir();
  const long = path.join(dir, 'x'.repeat(250));
  const modes: string[][] = [[]];
  if (which('cc')) modes.push(['--linkmode', 'external']);
  for (const mode of modes) {
    const r = asmlink(['build', ...target, ...mode, '-o', long, hello]);
    assert.equal(r.status, 0, `${mode.join(' ')}: ${r.stderr}`);
    assert.equal(spawnSync(long, [], { encoding: 'utf8' }).stdout, 'hello, world\n');
    assert.deepEqual(listing(dir), [path.basename(long)]);
    fs.rmSync(long);
  }
  const tooLong = path.join(dir, 'x'.repeat(260));
  const r = asmlink(['build', ...target, '-o', tooLong, hello]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `cannot write ${tooLong}: file name too long\n`);
  assert.deepEqual(listing(dir), []);
});
