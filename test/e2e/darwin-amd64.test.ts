// darwin/amd64: the examples built for macOS and run under macho-run (an
// emulated dyld and libSystem from the workplace's shared tools), in every
// link mode and fixup format. Users do not have macho-run; these tests skip,
// saying so, where it or python3-unicorn is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which } from '../helpers.js';

const machoRun = path.join(repoRoot, '..', 'shared', 'tools', 'macho-run', 'macho-run');
const dir = tempDir();

// Debian's python3-unicorn belongs to the system python, which may not be the first python3 on PATH.
const python = ['python3', '/usr/bin/python3'].find((p) => run(p, ['-c', 'import unicorn']).status === 0);

function missing(needsLd = false): string | undefined {
  if (!fs.existsSync(machoRun)) return `needs macho-run (../shared/tools/macho-run)`;
  if (!python) return 'needs python3-unicorn (Debian package python3-unicorn)';
  if (needsLd && !which('ld64.lld') && !which('ld64.lld-14')) return 'needs ld64.lld (Debian package lld)';
  return undefined;
}

const modes: { name: string; flags: string[]; ld?: boolean }[] = [
  { name: 'internal, dyld info', flags: [] },
  { name: 'internal, chained fixups, signed', flags: ['--fixups', 'chained', '--codesign'] },
  { name: 'external (ld64.lld)', flags: ['--linkmode', 'external'], ld: true },
];

for (const m of modes) {
  test(`darwin/amd64 examples run under macho-run (${m.name})`, (t) => {
    const why = missing(m.ld);
    if (why) return t.skip(why);
    for (const ex of ['hello', 'threads']) {
      const out = path.join(dir, `${ex}-${m.flags.join('')}`);
      const b = asmlink(['build', '--os', 'darwin', '--arch', 'amd64', ...m.flags, '-o', out, path.join(repoRoot, 'examples', `${ex}.s`)]);
      assert.equal(b.status, 0, b.stderr);
      const r = run(python!, [machoRun, out, '5']);
      assert.equal(r.status, 0, r.stderr);
      if (ex === 'hello') assert.equal(r.stdout, 'hello, world\n');
      else {
        const lines = r.stdout.trimEnd().split('\n');
        assert.equal(lines.length, 6);
        assert.match(lines[4]!, /^thread 4: sum=4499999500000 tid=\d+$/);
        assert.equal(lines[5], 'total=12499997500000');
        assert.equal(new Set(lines.slice(0, 5).map((l) => l.split('tid=')[1])).size, 5);
      }
    }
  });
}
