// The command line of a worker thread: the CLI bundle runs on worker threads
// too (host/parallel-asm.ts), and main.ts must tell a worker from a command
// before loading anything else.

/** The argument after `asm` that makes the CLI a worker of a parallel assembly; refused on the main thread. */
export const PART_WORKER_ARG = '--assemble-part';
