// Fetches Debian's static libraries of SQLite, zlib and Lua 5.4 (packages
// libsqlite3-dev, zlib1g-dev, liblua5.4-dev) for amd64, i386 and arm64,
// Python 3.11's (libpython3.11-dev) for amd64 and musl's (musl-dev) for
// i386 and arm64, into
// .cache/c-libraries/<arch>/, for test/link/c-libraries.test.ts: real C
// libraries compiled by GCC, linked into programs by asmlink. The packages
// are unpacked, not installed: installing another architecture's -dev
// packages beside this one's makes apt remove this one's C library headers
// whenever the two architectures' linux-libc-dev versions differ. .ci/run
// calls this after apt-get update (the architectures' package lists must be
// there); run it from the package root. Needs apt-get and dpkg-deb.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const PACKAGES = ['libsqlite3-dev', 'zlib1g-dev', 'liblua5.4-dev'];
// Python's static library (an embedded interpreter) for amd64 only: its
// programs run with the host's Python standard library. musl's static C
// library and GCC's runtime library (libgcc.a: arm64's long double) for
// the other architectures, for test/e2e/static-musl.test.ts (the host's
// own come from .ci/run's musl-dev and gcc-multilib).
const EXTRA = { amd64: ['libpython3.11-dev'], i386: ['musl-dev'], arm64: ['musl-dev', 'libgcc-12-dev'] };
const ARCHES = ['amd64', 'i386', 'arm64'];
const root = path.resolve('.cache', 'c-libraries');

function fetchArch(arch) {
  const dir = path.join(root, arch);
  const packages = [...PACKAGES, ...(EXTRA[arch] ?? [])];
  // `done` lists the packages' files: a list of fewer packages is fetched again.
  const done = fs.existsSync(path.join(dir, 'done')) ? fs.readFileSync(path.join(dir, 'done'), 'utf8') : '';
  if (packages.every((p) => done.includes(`${p}_`))) return `${arch}: present`;
  fs.rmSync(dir, { recursive: true, force: true });
  const debs = path.join(dir, 'debs');
  fs.mkdirSync(debs, { recursive: true });
  // apt-get download writes into the working directory.
  execFileSync('apt-get', ['download', '-q', ...packages.map((p) => `${p}:${arch}`)], { cwd: debs, stdio: ['ignore', 'ignore', 'pipe'] });
  const files = fs.readdirSync(debs).filter((f) => f.endsWith('.deb'));
  if (files.length !== packages.length) throw new Error(`${arch}: got ${files.join(', ') || 'nothing'}`);
  for (const f of files) execFileSync('dpkg-deb', ['-x', path.join(debs, f), dir]);
  fs.rmSync(debs, { recursive: true });
  fs.writeFileSync(path.join(dir, 'done'), `${files.sort().join('\n')}\n`);
  return `${arch}: ${files.sort().join(', ')}`;
}

let failed = false;
for (const arch of ARCHES) {
  try {
    console.log(`C libraries ${fetchArch(arch)}`);
  } catch (e) {
    failed = true;
    console.error(`C libraries ${arch}: ${e.stderr?.toString().trim() || e.message}`);
  }
}
process.exitCode = failed ? 1 : 0;
