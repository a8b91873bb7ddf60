// darwin/amd64 and darwin/arm64: generated bindings run under macho-run (an
// emulated dyld and libSystem from the shared tools; no Mac is available).
// macho-run implements Apple's arm64 rule that variadic arguments go on the
// stack, so snprintf checks the generator's placement of them; pthread_create
// starts a thread at a generated callback stub.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bindingsFor, type Binding } from '../../src/gen/index.js';
import type { Target } from '../../src/target.js';
import { asmProgram, decode, type Call } from './program.js';

const root = process.cwd();
const testdata = path.join(root, 'test', 'gen', 'testdata');
const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
const machoRun = path.join(root, '..', 'shared', 'tools', 'macho-run', 'macho-run');
const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import unicorn']).status === 0);

const CALLS: Call[] = [
  { fn: 'getpid', args: [], check: 'nonneg' },
  { fn: 'strlen', args: [{ str: 'hello, world' }], check: 'same' },
  { fn: 'memcpy', args: [{ buf: 'copy' }, { str: 'hello, world' }, 13n], check: 'none' },
  { fn: 'write', args: [1n, { str: 'hi\n' }, 3n], check: 'same' },
  { fn: 'abs', args: [-77n], check: 'same' },
  { fn: 'llabs', args: [-1234567890123n], check: 'same' },
  { fn: 'mmap', args: [0n, 65536n, 3n, 0x1002n, -1n, 0n], check: 'mmap' },
  { fn: 'munmap', args: [{ res: 6 }, 65536n], check: 'same' },
  // macho-run emulates no file system; a write to a closed descriptor fails with EBADF.
  { fn: 'write', args: [99n, { str: 'hi\n' }, 3n], check: 'errno' },
  { fn: 'snprintf', args: [{ buf: 'fmt' }, 64n, { str: '%d|%lld|%s|%c|%u' }, -42n, -1234567890123n, { str: 'str' }, 90n, 4000000000n], check: 'same' },
  // A callback: the thread runs main·start (Go convention) through the stub libc·start_cb.
  { fn: 'pthread_create', args: [{ buf: 'arr' }, 0n, { cb: 'start' }, { buf: 'arr', off: 16 }], check: 'same' },
  { fn: 'pthread_join', args: [{ word: 'arr' }, { buf: 'arr', off: 8 }], check: 'same' },
  // Variadic doubles: on the stack on arm64, in X registers (AL = 2) on amd64.
  { fn: 'snprintf_d', args: [{ buf: 'fmt', off: 40 }, 16n, { str: '%g|%d|%g' }, { f64: 2.5 }, 7n, { f64: -0.125 }], check: 'same' },
];

const WANT: (bigint | undefined)[] = [undefined, 12n, undefined, 3n, 77n, 1234567890123n, undefined, 0n, -1n, 35n, 0n, 0n, 12n];

/** main·start(arg *uint64) (ret uintptr): *arg = 0x1234, returns 77. */
const START = {
  amd64: `TEXT main·start(SB),NOSPLIT,$0-16
	MOVQ	arg+0(FP), AX
	MOVQ	$0x1234, (AX)
	MOVQ	$77, ret+8(FP)
	RET
`,
  arm64: `TEXT main·start(SB),NOSPLIT,$0-16
	MOVD	arg+0(FP), R0
	MOVD	$0x1234, R1
	MOVD	R1, (R0)
	MOVD	$77, R1
	MOVD	R1, ret+8(FP)
	RET
`,
};

for (const arch of ['amd64', 'arm64'] as const) {
  test(`darwin/${arch}: generated bindings call libSystem under macho-run`, (t) => {
    if (!fs.existsSync(machoRun)) return t.skip('needs macho-run (../shared/tools/macho-run)');
    if (!python) return t.skip('needs python3-unicorn (Debian package python3-unicorn)');
    const target: Target = { os: 'darwin', arch };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `asmlink-gen-darwin-${arch}-`));
    try {
      const hello = path.join(dir, 'hello');
      const h = spawnSync(process.execPath, [cli, 'build', '--os', 'darwin', '--arch', arch, '-o', hello, path.join(root, 'examples', 'hello.s')], { encoding: 'utf8' });
      assert.equal(h.status, 0, `darwin/${arch}: examples/hello.s does not build: ${h.stderr.split('\n')[0]}`);
      const header = path.join(testdata, 'calls_darwin.h');
      const z = path.join(dir, 'zcalls.s');
      const g = spawnSync(process.execPath, [cli, 'gen', '--os', 'darwin', '--arch', arch, '--errno', header, '-o', z], { encoding: 'utf8' });
      assert.equal(g.status, 0, g.stderr);
      const bindings = new Map<string, Binding>(bindingsFor(fs.readFileSync(header, 'utf8'), { file: header, target, errno: true }).map((b) => [b.decl.name, b]));
      const prog = path.join(dir, 'prog.s');
      fs.writeFileSync(prog, asmProgram(arch, CALLS, bindings, START[arch]));
      const exe = path.join(dir, 'prog');
      const b = spawnSync(process.execPath, [cli, 'build', '--os', 'darwin', '--arch', arch, '-o', exe, prog, z], { encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
      const r = spawnSync(python, [machoRun, exe]);
      assert.equal(r.status, 0, r.stderr.toString());
      const got = decode(r.stdout, CALLS, bindings, arch);
      assert.equal(got.prefix, 'hi\n');
      CALLS.forEach((c, k) => {
        const [v, e] = got.res[k]!;
        const w = WANT[k];
        if (w !== undefined) assert.equal(BigInt.asIntN(64, v), w, `call ${k}: ${c.fn}`);
        if (c.check === 'nonneg') assert.ok(BigInt.asIntN(64, v) > 0n, `call ${k}: ${c.fn}`);
        if (c.check === 'mmap') assert.ok(v % 4096n === 0n && v !== 0n && BigInt.asIntN(64, v) !== -1n, `mmap gave ${v.toString(16)}`);
        if (c.check === 'errno') assert.equal(e, 9n, 'errno after a write to a closed descriptor is EBADF');
      });
      assert.equal(got.tail.subarray(0, 13).toString('latin1'), 'hello, world\0');
      const formatted = '-42|-1234567890123|str|Z|4000000000';
      assert.equal(got.tail.subarray(16, 16 + formatted.length + 1).toString('latin1'), formatted + '\0');
      assert.equal(got.tail.subarray(16 + 40, 16 + 53).toString('latin1'), '2.5|7|-0.125\0');
      // arr: [0] the pthread_t, [8] the thread's result from pthread_join, [16] what the thread stored.
      assert.equal(got.tail.readBigUInt64LE(80 + 8), 77n, "the callback's result, through pthread_join");
      assert.equal(got.tail.readBigUInt64LE(80 + 16), 0x1234n, 'the callback ran with its argument');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
