// Fetches Debian 11's C library (glibc 2.31, package libc6) for amd64, i386
// and arm64 into .cache/glibc-2.31/<arch>/, for test/e2e/old-glibc.test.ts:
// programs asmlink links must run on a glibc from before 2.34, where the
// pthread functions were still in libpthread.so.0. Each root is used by
// running its loader (lib/<triple>/ld-2.31.so --library-path ...), so nothing
// is installed. .ci/run calls this; run it from the package root. Needs
// dpkg-deb (Debian's dpkg) to unpack the packages.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';

const SUITE = 'bullseye';
// Debian moves a release's packages to archive.debian.org some time after its support ends.
const MIRRORS = ['http://deb.debian.org/debian', 'http://archive.debian.org/debian'];
const ARCHES = ['amd64', 'i386', 'arm64'];
const root = path.join('.cache', 'glibc-2.31');

async function get(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** The pool path of package libc6 in the suite's index for one architecture. */
function libc6Filename(packages) {
  for (const stanza of packages.split('\n\n')) {
    if (!/^Package: libc6$/m.test(stanza)) continue;
    const file = /^Filename: (.+)$/m.exec(stanza)?.[1];
    const version = /^Version: (.+)$/m.exec(stanza)?.[1];
    if (file && version?.startsWith('2.31-')) return file;
  }
  throw new Error(`no libc6 2.31 in the ${SUITE} index`);
}

async function fetchArch(arch) {
  const dir = path.join(root, arch);
  if (fs.existsSync(path.join(dir, 'done'))) return `${arch}: present`;
  let lastError;
  for (const mirror of MIRRORS) {
    try {
      const index = gunzipSync(await get(`${mirror}/dists/${SUITE}/main/binary-${arch}/Packages.gz`)).toString('utf8');
      const file = libc6Filename(index);
      const deb = await get(`${mirror}/${file}`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const debPath = path.join(dir, path.basename(file));
      fs.writeFileSync(debPath, deb);
      execFileSync('dpkg-deb', ['-x', debPath, dir]);
      fs.rmSync(debPath);
      fs.writeFileSync(path.join(dir, 'done'), `${mirror}/${file}\n`);
      return `${arch}: ${path.basename(file)}`;
    } catch (e) {
      lastError = e;
    }
  }
  throw new Error(`${arch}: ${lastError?.message ?? lastError}`);
}

const results = await Promise.allSettled(ARCHES.map(fetchArch));
let failed = false;
for (const r of results) {
  if (r.status === 'fulfilled') console.log(`glibc 2.31 ${r.value}`);
  else {
    failed = true;
    console.error(`glibc 2.31 ${r.reason.message}`);
  }
}
process.exitCode = failed ? 1 : 0;
