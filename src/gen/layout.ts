// Go's ABI0 frame layout for one binding: where each argument and result sits
// relative to 0(FP), which is what assembly callers write and read.
//
// The rule (Go's, for integer and pointer values): arguments in declaration
// order, each at an offset aligned to min(its size, the pointer size); results
// after them, starting at an offset aligned to the pointer size. asmlink adds
// one rule of its own for results: every result is widened to a full pointer-
// sized slot (sign-extended for signed C types, zero-extended otherwise), and a
// 64-bit result on 386 takes two 4-byte slots, low word first (EDX:EAX). So a
// caller can always read a result with one pointer-sized load, whatever the C
// width was. The errno result (`--errno`) is a C int widened the same way.
// Floating-point values are never converted: a float argument is 4 bytes, a
// double 8; a float or double result also gets a pointer-sized slot (two on
// 386 for a double) and sits at its start, as Go would store a float32/float64.

import { DiagnosticSink, type SourcePos } from '../diag.js';
import { ptrSize, type Target } from '../target.js';
import { isGoSymbol, type CParam, type FuncDecl } from './cparse.js';
import { typeName, type CType, type IntSize } from './ctypes.js';

export interface Slot {
  /** The name used in `name+off(FP)`. */
  name: string;
  /** Offset from 0(FP) (for callbacks: from the callee's 0(FP)). */
  off: number;
  /** Bytes the slot occupies in the frame. */
  size: IntSize;
  /** Width of the C value (≤ size; smaller only for widened results). */
  csize: IntSize;
  signed: boolean;
  /** A C float or double: passed in floating-point registers, never widened (a float result fills the low 4 bytes of its slot). */
  float: boolean;
  /** Go spelling of the slot's type, for the generated comment. */
  goType: string;
  /** C spelling, for the generated comment. */
  ctype: string;
  /** For arguments: part of the variadic tail. */
  variadic: boolean;
}

export interface Binding {
  decl: FuncDecl;
  target: Target;
  /** The assembly symbol of the trampoline (or callback stub), e.g. `libc·write`. */
  symbol: string;
  /** For imports: the local name of the dynamic import, e.g. `libc_write`. For callbacks: the assembly function called. */
  callee: string;
  args: Slot[];
  ret?: Slot;
  errno?: Slot;
  /** The `-ARGS` of the TEXT directive: arguments and results. */
  argsSize: number;
}

export interface LayoutOptions {
  target: Target;
  /** Package of the generated symbols (default `libc`). */
  pkg: string;
  errno: boolean;
  /** Word-sized variadic arguments when a declaration does not say (default 6). */
  defaultVarargs: number;
  /** Package whose function a callback calls when the declaration names none (default `main`). */
  callbackPkg: string;
}

interface Scalar {
  size: IntSize;
  signed: boolean;
  float: boolean;
  goType: string;
}

function goTypeOf(t: CType, ptr: number): string {
  switch (t.kind) {
    case 'int':
      return t.bool ? 'bool' : `${t.signed ? 'int' : 'uint'}${t.size * 8}`;
    case 'ptr':
      if (t.to.kind === 'void' || t.to.kind === 'record') return 'unsafe.Pointer';
      if (t.to.kind === 'func') return 'uintptr';
      if (t.to.kind === 'int' && t.to.size === 1 && !t.to.bool) return '*byte';
      return '*' + goTypeOf(t.to, ptr);
    default:
      return ptr === 8 ? 'uint64' : 'uint32';
  }
}

/** The integer class of a C value that crosses the call, or a message saying why it cannot. */
function scalarOf(t: CType, target: Target): Scalar | string {
  const ptr = ptrSize(target.arch);
  switch (t.kind) {
    case 'int':
      return { size: t.size, signed: t.signed, float: false, goType: goTypeOf(t, ptr) };
    case 'ptr':
      return { size: ptr, signed: false, float: false, goType: goTypeOf(t, ptr) };
    case 'float':
      if (t.size === 16) return `'${t.name}' is not supported (only float and double)`;
      return { size: t.size, signed: true, float: true, goType: t.size === 4 ? 'float32' : 'float64' };
    case 'record':
      return `${t.name} passed by value is not supported (pass a pointer)`;
    case 'void':
      return `'void' is not a value type`;
    case 'func':
    case 'array':
      return `unsupported type '${typeName(t)}'`;
  }
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** Computes the frame layout of each declaration; reports unsupported types. */
export function layoutBindings(decls: readonly FuncDecl[], opts: LayoutOptions, diag: DiagnosticSink): Binding[] {
  const out: Binding[] = [];
  const seen = new Map<string, SourcePos>();
  for (const d of decls) {
    const key = d.callback ? `cb:${d.name}` : d.name;
    const prev = seen.get(key);
    if (prev) {
      diag.error(d.pos, `${d.name} declared twice`, [`previous declaration at ${prev.file}:${prev.line}:${prev.col}`]);
      continue;
    }
    seen.set(key, d.pos);
    const b = layoutOne(d, opts, diag);
    if (b) out.push(b);
  }
  return out;
}

function layoutOne(d: FuncDecl, opts: LayoutOptions, diag: DiagnosticSink): Binding | undefined {
  const t = opts.target;
  const ptr = ptrSize(t.arch);
  let ok = true;
  const fail = (pos: SourcePos, msg: string): void => {
    diag.error(pos, msg);
    ok = false;
  };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(d.name)) fail(d.pos, `function name ${d.name} cannot be used in a symbol`);

  // The argument list, with the variadic tail instantiated.
  const params: { p: CParam; variadic: boolean }[] = d.params.map((p) => ({ p, variadic: false }));
  if (d.variadic) {
    const va = d.varargs ?? { kind: 'words', count: opts.defaultVarargs };
    if (va.kind === 'words') {
      const word: CType = { kind: 'int', size: ptr, signed: false, name: 'unsigned long' };
      for (let k = 0; k < va.count; k++) params.push({ p: { name: `va${k}`, type: word, pos: d.pos }, variadic: true });
    } else {
      va.types.forEach((p, k) => params.push({ p: { ...p, name: `va${k}` }, variadic: true }));
    }
  }

  const used = new Set<string>();
  const args: Slot[] = [];
  let off = 0;
  params.forEach(({ p, variadic }, k) => {
    const s = scalarOf(p.type, t);
    if (typeof s === 'string') {
      fail(p.pos, `${d.callback ? 'callback ' : ''}${d.name}: ${s}`);
      return;
    }
    if (variadic && s.float && s.size === 4) {
      fail(p.pos, `${d.name}: a float passed through '...' is promoted to double: declare it double`);
      return;
    }
    let name = p.name ?? `a${k}`;
    // `g` and upper-case names could be read as registers (`g` is R28 on arm64, `AX`, `R1`...).
    if (name === 'g' || /^[A-Z0-9_]+$/.test(name)) name += '_';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || used.has(name)) name = `a${k}`;
    used.add(name);
    off = alignUp(off, Math.min(s.size, ptr));
    args.push({ name, off, size: s.size, csize: s.size, signed: s.signed, float: s.float, goType: s.goType, ctype: typeName(p.type), variadic });
    off += s.size;
  });

  off = alignUp(off, ptr);
  let ret: Slot | undefined;
  if (d.ret.kind !== 'void') {
    const s = scalarOf(d.ret, t);
    if (typeof s === 'string') fail(d.retPos, `${d.callback ? 'callback ' : ''}${d.name}: result: ${s}`);
    else {
      const size = Math.max(s.size, ptr) as IntSize;
      const name = used.has('ret') ? 'r' : 'ret';
      used.add(name);
      const goType = s.float || s.goType.startsWith('*') || s.goType === 'unsafe.Pointer' ? s.goType : `${s.signed ? 'int' : 'uint'}${size * 8}`;
      ret = { name, off, size, csize: s.size, signed: s.signed, float: s.float, goType, ctype: typeName(d.ret), variadic: false };
      off += size;
    }
  }
  let errno: Slot | undefined;
  if (opts.errno && !d.callback) {
    const name = used.has('errno') ? 'errno_' : 'errno';
    errno = { name, off, size: ptr, csize: 4, signed: true, float: false, goType: ptr === 8 ? 'int64' : 'int32', ctype: 'int', variadic: false };
    off += ptr;
  }
  if (!ok) return undefined;

  let symbol: string;
  let callee: string;
  if (d.callback) {
    symbol = `${opts.pkg}·${d.name}_cb`;
    callee = d.remoteGiven ? d.remote : `${opts.callbackPkg}·${d.name}`;
    if (!isGoSymbol(callee)) {
      diag.error(d.pos, `callback target ${callee} is not a symbol name`);
      return undefined;
    }
  } else {
    symbol = `${opts.pkg}·${d.name}`;
    callee = `libc_${d.name}`;
    if (!/^[A-Za-z_.$@][A-Za-z0-9_.$@]*$/.test(d.remote)) {
      diag.error(d.pos, `library symbol ${JSON.stringify(d.remote)} cannot be imported`);
      return undefined;
    }
  }
  return { decl: d, target: t, symbol, callee, args, ret, errno, argsSize: alignUp(off, ptr) };
}
