// C types as the binding generator sees them, and the facts about their sizes
// on each target. Only what crosses a call boundary matters here: the width and
// signedness of integers, whether a value is a pointer, and whether it is
// something the generator refuses (floating point, structs by value).
//
// The typedef table is per target because the same name has different widths:
// `long` is 4 bytes on 386; `off_t` is 4 bytes on linux/386 (without
// _FILE_OFFSET_BITS=64) but 8 everywhere else; darwin's `mode_t` is 16-bit;
// `char` is unsigned on linux/arm64 (AAPCS64) but signed on Apple arm64.

import { ptrSize, type Target } from '../target.js';

export type IntSize = 1 | 2 | 4 | 8;

export type CType =
  | { kind: 'void' }
  /** Every integer type, bool and enums. `name` is the spelling used in messages. */
  | { kind: 'int'; size: IntSize; signed: boolean; name: string; bool?: boolean }
  | { kind: 'float'; size: 4 | 8 | 16; name: string }
  | { kind: 'ptr'; to: CType }
  | { kind: 'func'; ret: CType; params: CParamType[]; variadic: boolean }
  /** A struct or union, known only by its tag (its members never matter: it is only ever passed by pointer). */
  | { kind: 'record'; tag: string; union: boolean; name: string }
  | { kind: 'array'; of: CType };

export interface CParamType {
  name?: string;
  type: CType;
}

export const VOID: CType = { kind: 'void' };

export function int(size: IntSize, signed: boolean, name: string): CType {
  return { kind: 'int', size, signed, name };
}

export function ptrTo(to: CType): CType {
  return { kind: 'ptr', to };
}

/** A C spelling of a type, for diagnostics and generated comments. */
export function typeName(t: CType): string {
  switch (t.kind) {
    case 'void':
      return 'void';
    case 'int':
    case 'float':
    case 'record':
      return t.name;
    case 'ptr':
      return t.to.kind === 'func' ? `${beforeName(t.to.ret)}(*)(${paramList(t.to)})` : `${beforeName(t.to)}*`;
    case 'func':
      return `${typeName(t.ret)} (${paramList(t)})`;
    case 'array':
      return `${typeName(t.of)} []`;
  }
}

/**
 * A C declaration of `name` with type t, as a header would write it: `char *s`,
 * `int (*cmp)(void *, void *)`, `char buf[]`.
 */
export function declaration(t: CType, name: string): string {
  if (t.kind === 'ptr' && t.to.kind === 'func') return `${beforeName(t.to.ret)}(*${name})(${paramList(t.to)})`;
  if (t.kind === 'array') return `${declaration(t.of, name)}[]`;
  return beforeName(t) + name;
}

/** A type's spelling followed by what C puts before a name or a `*`: `int `, `char *`. */
function beforeName(t: CType): string {
  const text = typeName(t);
  return text.endsWith('*') ? text : text + ' ';
}

function paramList(f: Extract<CType, { kind: 'func' }>): string {
  const ps = f.params.map((p) => typeName(p.type));
  if (f.variadic) ps.push('...');
  return ps.length === 0 ? 'void' : ps.join(', ');
}

/** The fundamental integer types of a target, keyed by their canonical spelling. */
export function basicInt(t: Target, spelling: 'char' | 'signed char' | 'unsigned char' | 'short' | 'unsigned short' | 'int' | 'unsigned int' | 'long' | 'unsigned long' | 'long long' | 'unsigned long long'): CType {
  const long = ptrSize(t.arch);
  switch (spelling) {
    case 'char':
      // AAPCS64 makes plain char unsigned; Apple's arm64 ABI keeps it signed.
      return int(1, !(t.arch === 'arm64' && t.os === 'linux'), 'char');
    case 'signed char':
      return int(1, true, spelling);
    case 'unsigned char':
      return int(1, false, spelling);
    case 'short':
      return int(2, true, spelling);
    case 'unsigned short':
      return int(2, false, spelling);
    case 'int':
      return int(4, true, spelling);
    case 'unsigned int':
      return int(4, false, spelling);
    case 'long':
      return int(long, true, spelling);
    case 'unsigned long':
      return int(long, false, spelling);
    case 'long long':
      return int(8, true, spelling);
    case 'unsigned long long':
      return int(8, false, spelling);
  }
}

export function boolType(): CType {
  return { kind: 'int', size: 1, signed: false, name: '_Bool', bool: true };
}

type Spec = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'i64' | 'u64' | 'long' | 'ulong' | 'ptr' | 'wchar' | { opaque: string };

/** Typedefs every target knows; a Spec is resolved per target by `resolve`. */
const COMMON: Record<string, Spec> = {
  int8_t: 'i8',
  uint8_t: 'u8',
  int16_t: 'i16',
  uint16_t: 'u16',
  int32_t: 'i32',
  uint32_t: 'u32',
  int64_t: 'i64',
  uint64_t: 'u64',
  int_least8_t: 'i8',
  uint_least8_t: 'u8',
  int_least16_t: 'i16',
  uint_least16_t: 'u16',
  int_least32_t: 'i32',
  uint_least32_t: 'u32',
  int_least64_t: 'i64',
  uint_least64_t: 'u64',
  intmax_t: 'i64',
  uintmax_t: 'u64',
  intptr_t: 'long',
  uintptr_t: 'ulong',
  ptrdiff_t: 'long',
  size_t: 'ulong',
  ssize_t: 'long',
  u_char: 'u8',
  u_short: 'u16',
  u_int: 'u32',
  u_long: 'ulong',
  pid_t: 'i32',
  uid_t: 'u32',
  gid_t: 'u32',
  id_t: 'u32',
  socklen_t: 'u32',
  key_t: 'i32',
  useconds_t: 'u32',
  sig_atomic_t: 'i32',
  in_addr_t: 'u32',
  in_port_t: 'u16',
  time_t: 'long',
  wchar_t: 'wchar',
  wint_t: 'u32',
  FILE: { opaque: '_IO_FILE' },
  DIR: { opaque: '__dirstream' },
  sigset_t: { opaque: 'sigset_t' },
  pthread_attr_t: { opaque: 'pthread_attr_t' },
  pthread_mutex_t: { opaque: 'pthread_mutex_t' },
  pthread_mutexattr_t: { opaque: 'pthread_mutexattr_t' },
  pthread_cond_t: { opaque: 'pthread_cond_t' },
  pthread_condattr_t: { opaque: 'pthread_condattr_t' },
  pthread_rwlock_t: { opaque: 'pthread_rwlock_t' },
  jmp_buf: { opaque: 'jmp_buf' },
  va_list: { opaque: 'va_list' },
};

const LINUX: Record<string, Spec> = {
  off_t: 'long', // 32-bit on 386 unless _FILE_OFFSET_BITS=64: use off64_t / lseek64 there
  off64_t: 'i64',
  loff_t: 'i64',
  ino_t: 'ulong',
  ino64_t: 'u64',
  dev_t: 'u64',
  mode_t: 'u32',
  clock_t: 'long',
  clockid_t: 'i32',
  suseconds_t: 'long',
  blkcnt_t: 'long',
  blksize_t: 'long',
  sa_family_t: 'u16',
  pthread_t: 'ulong',
  pthread_key_t: 'u32',
  pthread_once_t: 'i32',
  timer_t: 'ptr',
  nfds_t: 'ulong',
  rlim_t: 'ulong',
};

const DARWIN: Record<string, Spec> = {
  off_t: 'i64',
  ino_t: 'u64',
  ino64_t: 'u64',
  dev_t: 'i32',
  mode_t: 'u16',
  nlink_t: 'u16',
  clock_t: 'ulong',
  clockid_t: 'u32', // an enum in <time.h>
  suseconds_t: 'i32',
  blkcnt_t: 'i64',
  blksize_t: 'i32',
  sa_family_t: 'u8',
  pthread_t: 'ptr',
  pthread_key_t: 'ulong',
  pthread_once_t: { opaque: 'pthread_once_t' },
  mach_port_t: 'u32',
  kern_return_t: 'i32',
  nfds_t: 'u32',
  rlim_t: 'u64',
};

function resolve(t: Target, name: string, spec: Spec): CType {
  const long = ptrSize(t.arch);
  if (typeof spec === 'object') return { kind: 'record', tag: spec.opaque, union: false, name };
  switch (spec) {
    case 'i8':
      return int(1, true, name);
    case 'u8':
      return int(1, false, name);
    case 'i16':
      return int(2, true, name);
    case 'u16':
      return int(2, false, name);
    case 'i32':
      return int(4, true, name);
    case 'u32':
      return int(4, false, name);
    case 'i64':
      return int(8, true, name);
    case 'u64':
      return int(8, false, name);
    case 'long':
      return int(long, true, name);
    case 'ulong':
      return int(long, false, name);
    case 'ptr':
      return ptrTo(VOID);
    case 'wchar':
      // wchar_t is unsigned on linux/arm64, int everywhere else.
      return int(4, !(t.os === 'linux' && t.arch === 'arm64'), name);
  }
}

/** The typedef names the generator knows on a target without any declaration. */
export function builtinTypedefs(t: Target): Map<string, CType> {
  const m = new Map<string, CType>();
  for (const [name, spec] of Object.entries(COMMON)) m.set(name, resolve(t, name, spec));
  const perOS = t.os === 'linux' ? LINUX : DARWIN;
  for (const [name, spec] of Object.entries(perOS)) m.set(name, resolve(t, name, spec));
  // nlink_t and blksize_t are the two linux typedefs whose width differs by architecture.
  if (t.os === 'linux') {
    m.set('nlink_t', t.arch === 'amd64' ? int(8, false, 'nlink_t') : int(4, false, 'nlink_t'));
    if (t.arch === 'arm64') m.set('blksize_t', int(4, true, 'blksize_t'));
  }
  return m;
}
