// What the CLI must know of parallel assembly (host/parallel-asm.ts,
// host/assemble-files.ts) before loading it: the command lines of worker
// threads (the CLI bundle runs on worker threads too, and main.ts must tell
// a worker from a command before loading anything else), and the smallest
// file worth trying to cut.

/** The argument after `asm` that makes the CLI a worker of a parallel assembly; refused on the main thread. */
export const PART_WORKER_ARG = '--assemble-part';

/** The argument after `build` that makes the CLI a worker assembling a build's files; refused on the main thread. */
export const FILES_WORKER_ARG = '--assemble-files';

/** A smaller file is never cut (two threads of 1 MiB each at least, when asked for: parallel-asm.ts). */
export const SMALLEST_CUT_FILE = 2 << 20;
