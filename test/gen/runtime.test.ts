// The runtime's libc bindings (runtime/libc/zlibc_<os>_<arch>.s) are generated
// by `npm run gen:runtime`; regenerating them must give the committed bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateBindings } from '../../src/gen/index.js';
import { generatedHeader, readIncludeRelative } from '../../src/cli/gen.js';
import { isArch, isOS } from '../../src/target.js';

const root = process.cwd();

function genCommands(): string[][] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const script = pkg.scripts['gen:runtime'];
  assert.ok(script, 'package.json has a gen:runtime script');
  return script
    .split('&&')
    .map((c) => c.trim().split(/\s+/))
    .filter((w) => w[0] === 'node' && w[2] === 'gen')
    .map((w) => w.slice(3));
}

test('gen:runtime covers every target and reproduces the committed files', () => {
  const cmds = genCommands();
  const seen: string[] = [];
  for (const argv of cmds) {
    const flag = (n: string) => argv[argv.indexOf(n) + 1]!;
    const os = flag('--os');
    const arch = flag('--arch');
    assert.ok(isOS(os) && isArch(arch), argv.join(' '));
    const header = argv.find((a) => a.endsWith('.h'))!;
    const out = flag('-o');
    seen.push(`${os}/${arch}`);
    const text = generateBindings(fs.readFileSync(path.join(root, header), 'utf8'), {
      file: header,
      target: { os, arch },
      header: [generatedHeader(argv)],
      readInclude: (name, from) => {
        const r = readIncludeRelative(name, path.join(root, from));
        return r && { file: path.relative(root, r.file), text: r.text };
      },
    });
    const committed = fs.readFileSync(path.join(root, out), 'utf8');
    assert.equal(text, committed, `${out} is stale: run npm run gen:runtime`);
  }
  assert.deepEqual(seen.sort(), ['darwin/386', 'darwin/amd64', 'darwin/arm64', 'linux/386', 'linux/amd64', 'linux/arm64']);
});

test('the runtime bindings hold what the runtime calls', () => {
  for (const os of ['linux', 'darwin']) {
    for (const arch of ['amd64', '386', 'arm64']) {
      const text = fs.readFileSync(path.join(root, 'runtime', 'libc', `zlibc_${os}_${arch}.s`), 'utf8');
      const need = ['write', 'exit', 'mmap', 'munmap', 'mprotect', 'pthread_attr_init', 'pthread_attr_setstacksize', 'pthread_attr_setdetachstate', 'pthread_create', 'pthread_sigmask', 'sigfillset', 'pthread_mutex_lock', 'pthread_cond_wait', 'pthread_cond_broadcast', 'malloc', 'free', 'nanosleep', 'clock_gettime', 'getpid'];
      need.push(...(os === 'linux' ? ['syscall', '__errno_location', '__libc_start_main'] : ['pthread_threadid_np', '__error']));
      for (const fn of need) assert.match(text, new RegExp(`^TEXT libc·${fn}\\(SB\\)`, 'm'), `${os}/${arch}: ${fn}`);
    }
  }
});
