// `-l NAME` and `-L DIR`: finding the libraries a link names, as a system
// linker finds them: in each directory (the -L ones, then the target's
// system ones, then the C compiler's own) `libNAME.so`, else `libNAME.a`;
// `-l :FILE` names the file. For darwin, `libNAME.tbd` (below).
// A `.so` may be a linker script (glibc's libc.so: GROUP(libc.so.6
// libc_nonshared.a AS_NEEDED(ld-linux...))), whose files are taken in
// order. Shared objects are read for what they export (the core imports the
// names the objects leave undefined from them); archives join the inputs.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { plainError } from '../diag.js';
import { nodeChildProcess } from './node-builtins.js';
import { readSharedLibrary, type SharedLibrary } from '../formats/elf/read-shared.js';
import { readTbd } from '../formats/macho/read-tbd.js';
import { readDylib } from '../formats/macho/read-dylib.js';
import type { ArchName, Libc, Target } from '../target.js';

/** Where a glibc system keeps each architecture's libraries (Debian's multiarch directories, then the classic ones). */
const SYSTEM_DIRS: Record<ArchName, readonly string[]> = {
  amd64: ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib64', '/usr/lib64', '/usr/local/lib', '/lib', '/usr/lib'],
  '386': ['/lib/i386-linux-gnu', '/usr/lib/i386-linux-gnu', '/usr/lib32', '/lib32'],
  arm64: ['/lib/aarch64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/aarch64-linux-gnu/lib'],
};

export interface FoundLibraries {
  shared: SharedLibrary[];
  /** Static libraries, to be read as inputs. */
  archives: string[];
}

/** musl's: beside its loader (Debian's /lib/x86_64-linux-musl), then an Alpine system's own. */
function muslDirs(arch: ArchName): string[] {
  const triple = `${arch === 'amd64' ? 'x86_64' : arch === '386' ? 'i386' : 'aarch64'}-linux-musl`;
  return [`/lib/${triple}`, `/usr/lib/${triple}`, '/lib', '/usr/lib', '/usr/local/lib'];
}

export function findLibraries(target: Target, libc: Libc, names: readonly string[], dirs: readonly string[]): FoundLibraries {
  if (target.os === 'darwin') return findStubs(target, names, dirs);
  const search = [...dirs, ...(libc === 'musl' ? muslDirs(target.arch) : SYSTEM_DIRS[target.arch])];
  const compiler = compilerFor(target.arch, libc);
  const found: FoundLibraries = { shared: [], archives: [] };
  const seen = new Set<string>();
  const take = (file: string, depth: number, from?: string): void => {
    let real: string;
    let bytes: Uint8Array;
    try {
      real = fs.realpathSync(file);
      bytes = file.endsWith('.a') ? new Uint8Array(0) : new Uint8Array(fs.readFileSync(file));
    } catch (e) {
      throw plainError(`${from ? `${from}: names ${file}, which` : file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (seen.has(real)) return;
    seen.add(real);
    if (file.endsWith('.a')) {
      found.archives.push(file);
      return;
    }
    if (bytes[0] === 0x7f && bytes[1] === 0x45) {
      try {
        found.shared.push(readSharedLibrary(bytes, file));
      } catch (e) {
        throw plainError((e as Error).message);
      }
      return;
    }
    if (depth > 8) throw plainError(`${file}: linker scripts name each other too deeply`);
    for (const f of scriptFiles(new TextDecoder().decode(bytes), file)) take(f.startsWith('-l') ? findLibrary(f.slice(2), search, compiler) : f.startsWith('/') ? f : locate(f, search, file), depth + 1, file);
  };
  for (const name of names) take(findLibrary(name, search, compiler), 0);
  return found;
}

/**
 * The file `-l name` means: `:FILE` by its name, else libNAME.so before
 * libNAME.a in each directory in turn; then where the target's C compiler
 * keeps its own libraries (libstdc++.so, libgcc_s.so and libgcc.a live in
 * gcc's private directory), as it answers -print-file-name.
 */
function findLibrary(name: string, search: readonly string[], compiler: readonly string[] | null): string {
  const candidates = name.startsWith(':') ? [name.slice(1)] : [`lib${name}.so`, `lib${name}.a`];
  for (const dir of search) for (const c of candidates) if (fs.existsSync(path.join(dir, c))) return path.join(dir, c);
  if (compiler) {
    for (const c of candidates) {
      const r = nodeChildProcess().spawnSync(compiler[0]!, [...compiler.slice(1), `-print-file-name=${c}`], { encoding: 'utf8' });
      const file = r.status === 0 ? r.stdout.trim() : '';
      // A compiler that does not know the file prints its name back.
      if (path.isAbsolute(file) && fs.existsSync(file)) return file;
    }
  }
  throw plainError(`-l ${name}: no ${candidates.join(' or ')} in ${search.join(', ')}${compiler ? ` or where ${compiler.join(' ')} keeps its libraries` : ''} (add a directory with -L)`);
}

/** The C compiler that knows the target's private library directory: the host's cc for its own architecture (-m32 for 386 on amd64), a cross gcc for arm64. */
function compilerFor(arch: ArchName, libc: Libc): string[] | null {
  if (libc !== 'glibc') return null;
  const host = process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : process.arch === 'ia32' ? '386' : null;
  if (arch === host) return ['cc'];
  if (arch === '386' && host === 'amd64') return ['cc', '-m32'];
  if (arch === 'arm64') return ['aarch64-linux-gnu-gcc'];
  return null;
}

function locate(file: string, search: readonly string[], script: string): string {
  for (const dir of [path.dirname(script), ...search]) if (fs.existsSync(path.join(dir, file))) return path.join(dir, file);
  throw plainError(`${script}: names ${file}, which is in none of ${search.join(', ')}`);
}

/**
 * The files a GNU ld script's GROUP and INPUT commands name (or `-lNAME`), in order,
 * AS_NEEDED ones included (only the libraries some name is imported from
 * become the program's); anything else in the script (OUTPUT_FORMAT,
 * comments) is not an input.
 */
export function scriptFiles(text: string, file: string): string[] {
  const words = text.replace(/\/\*[\s\S]*?\*\//g, ' ').match(/[()]|[^\s()]+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== 'GROUP' && words[i] !== 'INPUT') continue;
    if (words[i + 1] !== '(') throw plainError(`${file}: not a linker script this linker reads (${words[i]} without a list)`);
    let depth = 0;
    for (i++; i < words.length; i++) {
      const w = words[i]!;
      if (w === '(') depth++;
      else if (w === ')') {
        if (--depth === 0) break;
      } else if (w !== 'AS_NEEDED') out.push(w);
    }
  }
  if (out.length === 0) throw plainError(`${file}: neither a shared library nor a linker script naming one`);
  return out;
}

/**
 * darwin: `-l NAME` is libNAME.tbd (an SDK's text-based stub: `-L
 * $(xcrun --show-sdk-path)/usr/lib -lSystem`) or libNAME.dylib, in the -L
 * directories, then, on a Mac, the SDK's; static libraries (libNAME.a) join
 * the inputs.
 */
function findStubs(target: Target, names: readonly string[], dirs: readonly string[]): FoundLibraries {
  const search = [...dirs, ...sdkLibDirs()];
  const found: FoundLibraries = { shared: [], archives: [] };
  for (const name of names) {
    const candidates = name.startsWith(':') ? [name.slice(1)] : [`lib${name}.tbd`, `lib${name}.dylib`, `lib${name}.a`];
    const file = search.flatMap((d) => candidates.map((c) => path.join(d, c))).find((f) => fs.existsSync(f));
    if (file === undefined) throw plainError(`-l ${name}: no ${candidates.join(' or ')} in ${search.length ? search.join(', ') : 'any directory'} (the C library's is the SDK's .tbd stub: add -L $(xcrun --show-sdk-path)/usr/lib)`);
    if (file.endsWith('.a')) {
      found.archives.push(file);
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(fs.readFileSync(file));
    } catch (e) {
      throw plainError(`${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      // A stub is text; a library, Mach-O (or a universal file of several).
      const text = bytes[0] === 0x2d ? new TextDecoder().decode(bytes) : null;
      found.shared.push(text !== null ? readTbd(text, file, target.arch) : readDylib(bytes, file, target.arch));
    } catch (e) {
      throw plainError((e as Error).message);
    }
  }
  return found;
}

/** The SDK's library directory, asked of xcrun on a Mac; none elsewhere. */
function sdkLibDirs(): string[] {
  if (process.platform !== 'darwin') return [];
  const r = nodeChildProcess().spawnSync('xcrun', ['--show-sdk-path'], { encoding: 'utf8' });
  const sdk = r.status === 0 ? r.stdout.trim() : '';
  return sdk ? [path.join(sdk, 'usr/lib')] : [];
}
