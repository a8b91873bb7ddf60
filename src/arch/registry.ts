// Maps an architecture name to its backend.
import type { ArchBackend } from './arch.js';
import type { ArchName } from '../target.js';
import { amd64Backend } from './amd64/index.js';
import { i386Backend } from './i386/index.js';
import { arm64Backend } from './arm64/index.js';

const backends: Record<ArchName, ArchBackend> = {
  amd64: amd64Backend,
  '386': i386Backend,
  arm64: arm64Backend,
};

export function getBackend(arch: ArchName): ArchBackend {
  return backends[arch];
}
