// The command line of the system linker in external link mode. On linux the
// host C compiler driver links the object with crt1 and libc; on darwin
// ld64.lld links it against a libSystem .tbd stub that lists exactly what the
// program imports.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { plainError } from '../diag.js';
import { cLibraryLast, interpreter, libcName, type Libc, type Target } from '../target.js';
import type { ExecOptions } from './build-exec.js';
import { findOnPath } from './run.js';
import { CROSS, cDriver, hostBuildsFor, hostLibc, hostTarget } from './host.js';
import { darwinExternalLink } from '../link/macho-external.js';

/**
 * What the system linker is asked for: the build's options that reach it
 * (an interpreter asked for by name, run paths, --extldflags after asmlink's
 * own arguments, PIE, a build ID — GNU ld's, lld's and gold's own hash —,
 * -s, --static) and the link's facts.
 */
export interface ExternalLinkRequest extends Pick<ExecOptions, 'target' | 'extld' | 'macosMin' | 'codesign' | 'interp' | 'rpaths' | 'extldflags' | 'pie' | 'buildId' | 'exportDynamic' | 'strip' | 'staticLibc' | 'libraryDirs'> {
  object: string;
  output: string;
  libraries: string[];
  /** A program without libc (the raw runtime): link statically, no start files. */
  static: boolean;
  entry: string;
  /** linux: the C library to link against. */
  libc: Libc;
  /** A private directory for files the command needs (the darwin .tbd); the caller removes it. */
  dir: string;
}

export interface ExternalLinkCommand {
  argv: string[];
  hint?: string;
  /** Variables the command's environment adds to asmlink's. */
  env?: Record<string, string>;
}


/**
 * For a foreign linux architecture without a cross C compiler (Debian cannot
 * install aarch64-linux-gnu-gcc beside gcc-multilib), the cross binutils' ld
 * links the object directly against the target's libc.so.6: asmlink's runtime
 * has its own start-up code, so no crt files are needed. The program then
 * starts at the runtime's entry, not at crt1's _start.
 */
export function crossLinker(target: Target, extld: string | undefined, libc: Libc): string | undefined {
  if (target.os !== 'linux' || libc !== 'glibc' || extld !== undefined || hostBuildsFor(target.arch)) return undefined;
  const cross = CROSS[target.arch];
  if (!cross || findOnPath(`${cross.triple}-gcc`)) return undefined;
  return findOnPath(`${cross.triple}-ld`) ?? findOnPath('ld.lld') ?? findOnPath('ld.lld-14');
}

export function externalLinkCommand(req: ExternalLinkRequest): ExternalLinkCommand {
  if (req.target.os === 'darwin') return darwinCommand(req);
  const ld = crossLinker(req.target, req.extld, req.libc);
  if (ld && req.staticLibc) throw plainError(`--static for linux/${req.target.arch} needs a C compiler for it (and the target's libc.a); ${ld} links against the shared C library only`);
  if (ld) {
    const cross = CROSS[req.target.arch]!;
    // --eh-frame-hdr as a C driver passes it: the unwinder finds compiled code's frames through PT_GNU_EH_FRAME.
    const argv = [ld, '--eh-frame-hdr', ...(req.pie ? ['-pie'] : []), ...(req.buildId ? ['--build-id'] : []), ...(req.exportDynamic ? ['--export-dynamic'] : []), ...(req.strip ? ['-s'] : []), '-o', req.output, req.object, '-e', req.entry];
    if (!req.static) {
      argv.push('-dynamic-linker', req.interp ?? interpreter(req.target, req.libc), '-L', `${cross.sysroot}/lib`);
      for (const p of req.rpaths ?? []) argv.push('-rpath', p);
      // The -L directories where -l found the libraries the imports name.
      for (const d of req.libraryDirs ?? []) argv.push('-L', d);
      for (const lib of cLibraryLast([...new Set([...req.libraries, libcName('linux')])])) if (lib !== '') argv.push(lib.startsWith('/') ? lib : `-l:${lib}`);
    }
    return { argv: [...argv, ...(req.extldflags ?? [])] };
  }
  const driver = req.extld ?? (req.libc === 'musl' ? muslDriver(req.target) : undefined);
  // A static PIE is the driver's -static-pie (rcrt1.o, its own relocation by the C library's start-up).
  const staticPie = req.staticLibc === true && req.pie === true;
  // musl-gcc's specs always name Scrt1.o and a loader: its "-static-pie" is a dynamic PIE.
  if (driver === 'musl-gcc' && staticPie) throw plainError('--static --pie --libc musl: musl-gcc links no static PIE (its specs name Scrt1.o and a loader whatever it is asked); link internally (the default), or name a driver that does with --extld');
  const argv = cDriver(req.target.arch, driver);
  argv.push(staticPie ? '-static-pie' : req.pie ? '-pie' : '-no-pie', '-o', req.output, req.object);
  if (req.buildId) argv.push('-Wl,--build-id');
  if (req.exportDynamic) argv.push('-rdynamic');
  if (req.strip) argv.push('-s');
  if (req.static) argv.push('-static', '-nostdlib', `-Wl,-e,${req.entry}`);
  else {
    if (req.staticLibc && !staticPie) argv.push('-static');
    if (req.interp !== undefined) argv.push(`-Wl,-dynamic-linker,${req.interp}`);
    // GNU ld (Debian's default --enable-new-dtags), gold, lld and mold write DT_RUNPATH, as asmlink does.
    for (const p of req.rpaths ?? []) argv.push(`-Wl,-rpath,${p}`);
  }
  for (const d of req.libraryDirs ?? []) argv.push(`-L${d}`);
  for (const lib of req.libraries) {
    if (lib === 'libc.so.6' || lib === '') continue;
    argv.push(libraryArgument(lib, req.libc, req.staticLibc === true));
  }
  argv.push(...(req.extldflags ?? []));
  return { argv, hint: req.target.arch === '386' ? 'needs gcc-multilib' : undefined };
}

/**
 * glibc's libraries that musl's libc.so stands for (musl's loader takes these
 * names as its own) and that glibc's static libc.a needs no shared object for:
 * libpthread.so.0 before glibc 2.34, and the others the C library was split into.
 */
const SPLIT_LIBC = /^lib(pthread|dl|rt|m|util)\.so\.\d+$/;

/**
 * The driver's argument for a library an import names: `-l:name`, that exact
 * file, as the import directive names it; but glibc's split-out libraries go
 * by `-lNAME` against musl (which ships empty archives for them), and every
 * library in a static link (libNAME.a), where no .so.N file is wanted.
 */
function libraryArgument(lib: string, libc: Libc, staticLibc: boolean): string {
  if (lib.startsWith('/')) return lib;
  const split = SPLIT_LIBC.exec(lib);
  if (split && libc === 'musl') return `-l${split[1]}`;
  // A static link takes each library's archive, libNAME.a; the shared unwinder's is libgcc_eh.a.
  const shared = /^lib(.+)\.so(?:\.\d+)*$/.exec(lib);
  if (shared && staticLibc) return shared[1] === 'gcc_s' ? '-lgcc_eh' : `-l${shared[1]}`;
  return `-l:${lib}`;
}

/**
 * The C driver that links against musl: the machine's own cc on a musl
 * machine, else musl-gcc, the wrapper Debian's musl-tools installs (it
 * builds for the host's architecture only).
 */
function muslDriver(t: Target): string {
  if (hostLibc(t) === 'musl') return 'cc';
  if (hostTarget().arch === t.arch && findOnPath('musl-gcc')) return 'musl-gcc';
  throw plainError(`--libc musl with --linkmode external needs a C driver that links against musl for linux/${t.arch}: the system cc of a musl machine, or musl-gcc (Debian package musl-tools, for the host's architecture); name one with --extld, or link internally`);
}

function darwinCommand(req: ExternalLinkRequest): ExternalLinkCommand {
  const ld = req.extld ?? findOnPath('ld64.lld') ?? findOnPath('ld64.lld-14');
  if (!ld) throw plainError(`external linking for darwin needs ld64.lld (${process.platform === 'darwin' ? 'Homebrew package lld' : 'Debian package lld: ld64.lld-14'}), or name a linker with --extld`);
  const tbdPath = path.join(req.dir, 'libSystem.tbd');
  const { tbd, args } = darwinExternalLink({
    target: req.target,
    object: req.object,
    objectBytes: new Uint8Array(fs.readFileSync(req.object)),
    output: req.output,
    tbdPath,
    macosMin: req.macosMin,
    libraries: req.libraries,
    entry: req.entry,
    codesign: req.codesign,
    rpaths: req.rpaths,
  });
  fs.writeFileSync(tbdPath, tbd);
  // The debug map (what -g leaves for dsymutil) names the object by its path
  // in the private directory and by its time: -oso_prefix makes the name
  // relative (dsymutil runs in that directory) and ZERO_AR_DATE the time 0,
  // so the program's bytes are the same in every build. ld64's -x keeps only
  // what dyld needs of the symbols.
  return {
    argv: [ld, ...args, '-oso_prefix', `${req.dir}/`, ...(req.strip ? ['-x'] : []), ...(req.extldflags ?? [])],
    env: { ZERO_AR_DATE: '1' },
  };
}

/**
 * darwin, -g, external mode: the command that gathers the DWARF the linker
 * left in the object (behind the program's debug map) into PROG.dSYM, where
 * lldb finds it beside the program by its UUID. It runs in the directory of
 * the object, `exe`, before the object is removed.
 */
export function dsymCommand(exe: string): ExternalLinkCommand {
  const tool = findOnPath('dsymutil') ?? findOnPath('dsymutil-14') ?? findOnPath('llvm-dsymutil');
  if (!tool) throw plainError(`-g with --linkmode external for darwin needs dsymutil (${process.platform === 'darwin' ? "Xcode's command line tools" : 'Debian package llvm'}) to gather the debugging information into PROG.dSYM; or link internally, which writes it into the executable`);
  return { argv: [tool, '-o', `${exe}.dSYM`, exe] };
}
