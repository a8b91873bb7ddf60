// macOS version numbers as load commands carry them: xxxx.yy.zz packed into
// nibbles of a 32-bit word (major << 16 | minor << 8 | patch).

import type { ArchName } from '../../target.js';

/** Releases asmlink accepts as a deployment target, with the highest minor of each. */
const RELEASES: ReadonlyMap<number, number> = new Map([
  [10, 15],
  [11, 7],
  [12, 7],
  [13, 7],
  [14, 8],
  [15, 7],
  [26, 2],
]);

/** The SDK version written beside the deployment target (what the program was "built against"). */
export const SDK_VERSION = '11.0';

export function defaultMacosMin(arch: ArchName): string {
  // 10.14 is the last release that runs 32-bit programs; LC_BUILD_VERSION needs at least 10.14.
  return arch === '386' ? '10.14' : '11.0';
}

/**
 * Parses and validates a deployment target for the architecture. Returns the
 * packed version, or a message saying what is wrong.
 */
export function parseMacosVersion(s: string, arch: ArchName): { value: number } | { error: string } {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(s);
  if (!m) return { error: `macOS version "${s}" is not of the form MAJOR[.MINOR[.PATCH]]` };
  const major = Number(m[1]);
  const minor = m[2] === undefined ? 0 : Number(m[2]);
  const patch = m[3] === undefined ? 0 : Number(m[3]);
  const maxMinor = RELEASES.get(major);
  if (maxMinor === undefined || minor > maxMinor || patch > 255) {
    return { error: `unknown macOS version "${s}" (known: 10.14-10.15, 11 to 15, 26)` };
  }
  if (major === 10 && minor < 14) {
    return { error: `macOS version "${s}" is too old: LC_BUILD_VERSION needs 10.14 or later` };
  }
  if (arch === 'arm64' && major < 11) {
    return { error: `macOS version "${s}" does not run on arm64 (Apple silicon needs 11.0 or later)` };
  }
  if (arch === '386' && !(major === 10 && minor <= 14)) {
    return { error: `macOS version "${s}" cannot run 386 programs (32-bit support ended after 10.14)` };
  }
  return { value: (major << 16) | (minor << 8) | patch };
}

export function formatMacosVersion(v: number): string {
  const major = v >>> 16;
  const minor = (v >>> 8) & 0xff;
  const patch = v & 0xff;
  return patch ? `${major}.${minor}.${patch}` : `${major}.${minor}`;
}
