// Node.js's own modules that take milliseconds to load, loaded the first
// time a command needs them rather than by every command: node:crypto (~7
// ms; some whole commands spend less hashing), node:v8 and
// node:child_process (~6 ms together: each pulls in Node.js's streams),
// node:worker_threads (~1.5 ms).
// Through require, which the CommonJS CLI bundle has (import() there would
// need a module loader for the vm.Script that bin/asmlink.cjs runs it in).

import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export const nodeCrypto = (): typeof import('node:crypto') => load('node:crypto') as typeof import('node:crypto');
export const nodeV8 = (): typeof import('node:v8') => load('node:v8') as typeof import('node:v8');
export const nodeChildProcess = (): typeof import('node:child_process') => load('node:child_process') as typeof import('node:child_process');
export const nodeWorkerThreads = (): typeof import('node:worker_threads') => load('node:worker_threads') as typeof import('node:worker_threads');
