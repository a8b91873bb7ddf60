// `-l NAME` and `-L DIR`: finding the libraries a link names, as a system
// linker finds them: in each directory (the -L ones, then the target's
// system ones, then the C compiler's own) `libNAME.so`, else `libNAME.a`
// (for darwin `libNAME.tbd`, `libNAME.dylib`, `libNAME.a`); `-l :FILE`
// names the file.
// A `.so` may be a linker script (glibc's libc.so: GROUP(libc.so.6
// libc_nonshared.a AS_NEEDED(ld-linux...))), whose files are taken in
// order. Shared objects are read for what they export (the core imports the
// names the objects leave undefined from them); archives join the inputs.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { plainError } from '../diag.js';
import { nodeChildProcess } from './node-builtins.js';
import { readSharedLibrary } from '../formats/elf/read-shared.js';
import type { SharedLibrary } from '../obj/symbol.js';
import { readTbd } from '../formats/macho/read-tbd.js';
import { readDylib } from '../formats/macho/read-dylib.js';
import { machineName, type ArchName, type Libc, type Target } from '../target.js';
import { cDriver } from './host.js';

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

/** Where `-l` looks, past the -L directories, and what it asks for. */
interface Search {
  dirs: readonly string[];
  /** The file names `-l NAME` stands for, in the order of preference within a directory. */
  files: (name: string) => string[];
  /** The C driver that knows its own private directory (-print-file-name), if any. */
  compiler: readonly string[] | null;
  /** What to add to the message when nothing is found. */
  hint: string;
}

function searchFor(target: Target, libc: Libc, dirs: readonly string[], archivesOnly = false): Search {
  if (target.os === 'darwin') {
    // An SDK's text-based stub (`-L $(xcrun --show-sdk-path)/usr/lib -lSystem`) or a library, then on a Mac the SDK's.
    return { dirs: [...dirs, ...sdkLibDirs()], files: (n) => [`lib${n}.tbd`, `lib${n}.dylib`, `lib${n}.a`], compiler: null, hint: "the C library's is the SDK's .tbd stub: add -L $(xcrun --show-sdk-path)/usr/lib" };
  }
  // musl's beside its loader (Debian's /lib/x86_64-linux-musl), then an Alpine system's own.
  const musl = `${machineName(target.arch)}-linux-musl`;
  const system = libc === 'musl' ? [`/lib/${musl}`, `/usr/lib/${musl}`, '/lib', '/usr/lib', '/usr/local/lib'] : SYSTEM_DIRS[target.arch];
  // libstdc++.so, libgcc_s.so and libgcc.a live in gcc's private directory.
  // gcc's own libgcc.a serves musl programs too (it needs no C library).
  const compiler = libc === 'glibc' || archivesOnly ? cDriver(target.arch) : null;
  return { dirs: [...dirs, ...system], files: (n) => (archivesOnly ? [`lib${n}.a`] : [`lib${n}.so`, `lib${n}.a`]), compiler, hint: 'add a directory with -L' };
}

/**
 * `archivesOnly`: a static link (--static, internal), which takes each
 * library's archive, libNAME.a, as the system linker's -static does.
 */
export function findLibraries(target: Target, libc: Libc, names: readonly string[], dirs: readonly string[], archivesOnly = false): FoundLibraries {
  const search = searchFor(target, libc, dirs, archivesOnly);
  const found: FoundLibraries = { shared: [], archives: [] };
  const seen = new Set<string>();
  const take = (file: string, depth: number, from?: string): void => {
    let real: string;
    let bytes: Uint8Array;
    try {
      real = fs.realpathSync(file);
      // An archive is read as an input later; a `.a` that is a linker script (glibc's libm.a: GROUP(libm-2.36.a libmvec.a)) now.
      bytes = file.endsWith('.a') && isArchive(file) ? new Uint8Array(0) : new Uint8Array(fs.readFileSync(file));
    } catch (e) {
      throw plainError(`${from ? `${from}: names ${file}, which` : file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (seen.has(real)) return;
    seen.add(real);
    if (file.endsWith('.a') && bytes.length === 0) {
      found.archives.push(file);
      return;
    }
    // An ELF shared object; for darwin a stub (text) or a Mach-O library (or a universal file of several); else a GNU ld script.
    const script = target.os === 'linux' && !(bytes[0] === 0x7f && bytes[1] === 0x45);
    if (!script) {
      try {
        found.shared.push(target.os === 'linux' ? readSharedLibrary(bytes, file) : bytes[0] === 0x2d ? readTbd(new TextDecoder().decode(bytes), file, target.arch) : readDylib(bytes, file, target.arch));
      } catch (e) {
        throw plainError((e as Error).message);
      }
      return;
    }
    if (depth > 8) throw plainError(`${file}: linker scripts name each other too deeply`);
    for (const f of scriptFiles(new TextDecoder().decode(bytes), file)) take(f.startsWith('-l') ? findLibrary(f.slice(2), search) : f.startsWith('/') ? f : locate(f, search.dirs, file), depth + 1, file);
  };
  for (const name of names) take(findLibrary(name, search), 0);
  return found;
}

/** Whether a file starts as an ar archive does (`!<arch>\n`, GNU and BSD alike). */
function isArchive(file: string): boolean {
  const head = Buffer.alloc(8);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 8, 0);
  } finally {
    fs.closeSync(fd);
  }
  return head.toString('latin1') === '!<arch>\n';
}

/** libNAME.a where findLibraries would find it for a static link, or nothing. */
export function findOptionalArchive(target: Target, libc: Libc, name: string, dirs: readonly string[]): string[] {
  try {
    return [findLibrary(name, searchFor(target, libc, dirs, true))];
  } catch {
    return [];
  }
}

/** A start file of the C library's (crt1.o) for a static link, where the system's linker would find it. */
export function findStartFile(target: Target, libc: Libc, name: string, dirs: readonly string[]): string {
  return findLibrary(`:${name}`, searchFor(target, libc, dirs, true));
}

/**
 * The file `-l name` means: `:FILE` by its name, else the library's file
 * names in each directory in turn; then where the target's C compiler keeps
 * its own libraries, as it answers -print-file-name.
 */
function findLibrary(name: string, search: Search): string {
  const candidates = name.startsWith(':') ? [name.slice(1)] : search.files(name);
  for (const dir of search.dirs) for (const c of candidates) if (fs.existsSync(path.join(dir, c))) return path.join(dir, c);
  const compiler = search.compiler;
  if (compiler) {
    for (const c of candidates) {
      const r = nodeChildProcess().spawnSync(compiler[0]!, [...compiler.slice(1), `-print-file-name=${c}`], { encoding: 'utf8' });
      const file = r.status === 0 ? r.stdout.trim() : '';
      // A compiler that does not know the file prints its name back.
      if (path.isAbsolute(file) && fs.existsSync(file)) return file;
    }
  }
  const where = search.dirs.length ? search.dirs.join(', ') : 'any directory';
  throw plainError(`-l ${name}: no ${candidates.join(' or ')} in ${where}${compiler ? ` or where ${compiler.join(' ')} keeps its libraries` : ''} (${search.hint})`);
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

/** The SDK's library directory, asked of xcrun on a Mac; none elsewhere. */
function sdkLibDirs(): string[] {
  if (process.platform !== 'darwin') return [];
  const r = nodeChildProcess().spawnSync('xcrun', ['--show-sdk-path'], { encoding: 'utf8' });
  const sdk = r.status === 0 ? r.stdout.trim() : '';
  return sdk ? [path.join(sdk, 'usr/lib')] : [];
}
