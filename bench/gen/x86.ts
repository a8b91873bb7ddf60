// Generated x86 code (amd64 and 386) for the benchmarks. Every function is
// built once as a list of instructions in a small neutral form, then printed
// twice: in Go's assembler syntax for asmlink and `go tool asm`, and in AT&T
// syntax for GNU as. Both files therefore hold exactly the same machine
// instructions, so timing them side by side compares assemblers, not inputs.
//
// Functions are NOSPLIT with a zero frame, so neither Go's assembler nor
// asmlink inserts a prologue that the AT&T file would lack; arguments are
// addressed through FP, which for a zero frame is SP plus the return address.

import type { Rng } from './rng.js';

export type X86Mode = 'amd64' | '386';
export type Width = 'B' | 'L' | 'Q';

export type Operand =
  | { k: 'reg'; r: number }
  | { k: 'imm'; v: number }
  | { k: 'mem'; base: number; index?: number; scale?: number; off: number }
  /** An argument slot: `name+off(FP)`. */
  | { k: 'arg'; name: string; off: number }
  /** Memory at a symbol: `sym+off(SB)`. */
  | { k: 'sym'; sym: string; off: number }
  | { k: 'label'; name: string }
  /** A call target. */
  | { k: 'func'; sym: string };

export type Cond = 'eq' | 'ne' | 'lt' | 'ge' | 'le' | 'gt' | 'b' | 'ae' | 'a' | 'be';

export type Mnemonic =
  | 'mov' | 'add' | 'sub' | 'and' | 'or' | 'xor' | 'imul' | 'lea' | 'shl' | 'shr' | 'sar'
  | 'cmp' | 'test' | 'inc' | 'dec' | 'neg' | 'not' | 'movzxb'
  | `j${Cond}` | 'jmp' | 'call' | 'ret';

export interface Inst {
  m: Mnemonic;
  w: Width;
  /** Operands in Go order (source first, as AT&T; CMP is the exception, see below). */
  a: Operand[];
}

export type Line = Inst | { label: string };

export interface Func {
  /** Full symbol name, e.g. `main.f12`. */
  name: string;
  argSize: number;
  lines: Line[];
}

export interface DataSym {
  name: string;
  /** 8-byte (amd64) or 4-byte (386) words: a number or the address of a symbol. */
  words: (number | { addr: string })[];
}

const GO_REGS = ['AX', 'CX', 'DX', 'BX', 'SI', 'DI', 'R8', 'R9', 'R10', 'R11', 'R12', 'R13', 'R14', 'R15'];
const ATT_Q = ['rax', 'rcx', 'rdx', 'rbx', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const ATT_L = ['eax', 'ecx', 'edx', 'ebx', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
const ATT_B = ['al', 'cl', 'dl', 'bl', 'sil', 'dil', 'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'];

const R_AX = 0, R_CX = 1, R_DX = 2, R_BX = 3, R_SI = 4, R_DI = 5;

const GO_COND: Record<Cond, string> = { eq: 'JEQ', ne: 'JNE', lt: 'JLT', ge: 'JGE', le: 'JLE', gt: 'JGT', b: 'JCS', ae: 'JCC', a: 'JHI', be: 'JLS' };
const CONDS = Object.keys(GO_COND) as Cond[];

export function ptrSize(mode: X86Mode): 4 | 8 {
  return mode === 'amd64' ? 8 : 4;
}

/** Go's name for a symbol: `main.x` is written `·x` (the file is assembled with -p main). */
export function goSym(name: string): string {
  return name.startsWith('main.') ? '·' + name.slice(5) : name;
}

// ---- generation ----------------------------------------------------------

export interface FuncGenOptions {
  mode: X86Mode;
  /** Number of instructions in the body, inclusive range. */
  body: [number, number];
  /** Names of every function that may be called. */
  callees: (rng: Rng) => string;
  /** Data symbols that may be loaded or stored, with their size in bytes. */
  data: (rng: Rng) => { name: string; size: number } | undefined;
  /** Dynamic imports that may be called, if any. */
  imports?: (rng: Rng) => string | undefined;
  /** Weight multiplier for calls; 1 is typical integer code. */
  callWeight?: number;
}

/** Builds one function: load the arguments, a body of typical integer code with labels and branches, store the result. */
export function genFunc(rng: Rng, name: string, o: FuncGenOptions): Func {
  const amd64 = o.mode === 'amd64';
  const ps = ptrSize(o.mode);
  const W: Width = amd64 ? 'Q' : 'L';
  // SI and DI hold the two pointer arguments; the rest are scratch.
  const work = amd64 ? [R_AX, R_CX, R_DX, R_BX, 6, 7, 8, 9, 10, 11, 12, 13] : [R_AX, R_CX, R_DX, R_BX];
  const bases = [R_SI, R_DI];
  const lines: Line[] = [];
  const reg = (r: number): Operand => ({ k: 'reg', r });
  const imm = (v: number): Operand => ({ k: 'imm', v });
  const wr = (): Operand => reg(rng.pick(work));
  const mem = (): Operand => {
    const off = rng.range(0, 15) * ps;
    if (rng.chance(0.3)) return { k: 'mem', base: rng.pick(bases), index: rng.pick(work), scale: rng.pick([1, 2, 4, 8]), off };
    return { k: 'mem', base: rng.pick(bases), off };
  };
  const argSize = 4 * ps;
  lines.push({ m: 'mov', w: W, a: [{ k: 'arg', name: 'p', off: 0 }, reg(R_SI)] });
  lines.push({ m: 'mov', w: W, a: [{ k: 'arg', name: 'q', off: ps }, reg(R_DI)] });
  lines.push({ m: 'mov', w: W, a: [{ k: 'arg', name: 'n', off: 2 * ps }, reg(R_CX)] });
  lines.push({ m: 'xor', w: 'L', a: [reg(R_AX), reg(R_AX)] });

  const n = rng.range(o.body[0], o.body[1]);
  const nlabels = rng.range(1, 3);
  const labelAt = new Map<number, string>();
  for (let i = 0; i < nlabels; i++) labelAt.set(rng.int(n), `l${i}`);
  const labels = [...new Set(labelAt.values())];
  const weights = {
    movrr: 8, movri: 5, load: 10, store: 6, loadarg: 2, alurr: 10, aluri: 8, imul: 3, lea: 5, shift: 4,
    cmpj: 8, jmp: 1, call: 6 * (o.callWeight ?? 1), dload: 3, dstore: 1, inc: 2, neg: 1, movzx: 2, movl: 3, test: 2, imp: 1,
  } as const;
  for (let i = 0; i < n; i++) {
    const l = labelAt.get(i);
    if (l !== undefined) lines.push({ label: l });
    const kind = rng.weighted(weights);
    switch (kind) {
      case 'movrr': lines.push({ m: 'mov', w: W, a: [wr(), wr()] }); break;
      case 'movri': lines.push({ m: 'mov', w: W, a: [imm(rng.chance(0.8) ? rng.range(-128, 4095) : rng.range(-0x7fffffff, 0x7fffffff)), wr()] }); break;
      case 'load': lines.push({ m: 'mov', w: W, a: [mem(), wr()] }); break;
      case 'store': lines.push({ m: 'mov', w: W, a: [rng.chance(0.2) ? imm(rng.range(0, 1000)) : wr(), mem()] }); break;
      case 'loadarg': lines.push({ m: 'mov', w: W, a: [{ k: 'arg', name: 'n', off: 2 * ps }, wr()] }); break;
      case 'alurr': lines.push({ m: rng.pick(['add', 'sub', 'and', 'or', 'xor'] as const), w: W, a: [wr(), wr()] }); break;
      case 'aluri': lines.push({ m: rng.pick(['add', 'sub', 'and', 'or', 'xor'] as const), w: W, a: [imm(rng.chance(0.7) ? rng.range(1, 127) : rng.range(128, 100000)), wr()] }); break;
      case 'imul': lines.push({ m: 'imul', w: W, a: [wr(), wr()] }); break;
      case 'lea': lines.push({ m: 'lea', w: W, a: [mem(), wr()] }); break;
      case 'shift': lines.push({ m: rng.pick(['shl', 'shr', 'sar'] as const), w: W, a: [imm(rng.range(1, amd64 ? 63 : 31)), wr()] }); break;
      case 'cmpj': {
        lines.push({ m: 'cmp', w: W, a: [wr(), rng.chance(0.5) ? wr() : imm(rng.range(0, 200))] });
        lines.push({ m: `j${rng.pick(CONDS)}`, w: W, a: [{ k: 'label', name: rng.pick(labels) }] });
        break;
      }
      case 'jmp': lines.push({ m: 'jmp', w: W, a: [{ k: 'label', name: rng.pick(labels) }] }); break;
      case 'call': lines.push({ m: 'call', w: W, a: [{ k: 'func', sym: o.callees(rng) }] }); break;
      case 'dload':
      case 'dstore': {
        const d = o.data(rng);
        if (!d) break;
        const s: Operand = { k: 'sym', sym: d.name, off: rng.int(d.size / ps) * ps };
        // Not AX on 386: GNU as would pick the short moffs form (A1/A3) there and
        // Go's assembler does not, and the two files should encode alike.
        const r = amd64 ? wr() : reg(rng.pick([R_CX, R_DX, R_BX]));
        lines.push(kind === 'dload' ? { m: 'mov', w: W, a: [s, r] } : { m: 'mov', w: W, a: [r, s] });
        break;
      }
      case 'inc': lines.push({ m: rng.pick(['inc', 'dec'] as const), w: W, a: [wr()] }); break;
      case 'neg': lines.push({ m: rng.pick(['neg', 'not'] as const), w: W, a: [wr()] }); break;
      case 'movzx': lines.push({ m: 'movzxb', w: W, a: [mem(), wr()] }); break;
      case 'movl': lines.push({ m: 'mov', w: 'L', a: [rng.chance(0.5) ? mem() : reg(rng.pick(work)), wr()] }); break;
      case 'test': lines.push({ m: 'test', w: W, a: [wr(), wr()] }); break;
      case 'imp': {
        const f = o.imports?.(rng);
        if (f) lines.push({ m: 'call', w: W, a: [{ k: 'func', sym: f }] });
        break;
      }
    }
  }
  // Labels drawn at the body's length never got placed; put them at the end.
  const placed = new Set(lines.flatMap((x) => ('label' in x ? [x.label] : [])));
  for (const l of labels) if (!placed.has(l)) lines.push({ label: l });
  lines.push({ m: 'mov', w: W, a: [reg(R_AX), { k: 'arg', name: 'ret', off: 3 * ps }] });
  lines.push({ m: 'ret', w: W, a: [] });
  return { name, argSize, lines };
}

// ---- Go syntax -----------------------------------------------------------

function goOperand(op: Operand): string {
  switch (op.k) {
    case 'reg': return GO_REGS[op.r]!;
    case 'imm': return `$${op.v}`;
    case 'mem': {
      const idx = op.index !== undefined ? `(${GO_REGS[op.index]}*${op.scale})` : '';
      return `${op.off || ''}(${GO_REGS[op.base]})${idx}`;
    }
    case 'arg': return `${op.name}+${op.off}(FP)`;
    case 'sym': return `${goSym(op.sym)}${op.off ? '+' + op.off : ''}(SB)`;
    case 'label': return op.name;
    case 'func': return `${goSym(op.sym)}(SB)`;
  }
}

function goMnemonic(i: Inst, mode: X86Mode): string {
  if (i.m === 'movzxb') return i.w === 'Q' ? 'MOVBQZX' : 'MOVBLZX';
  if (i.m === 'jmp' || i.m === 'call' || i.m === 'ret') return i.m.toUpperCase();
  if (i.m.startsWith('j')) return GO_COND[i.m.slice(1) as Cond];
  void mode;
  return i.m.toUpperCase() + i.w;
}

export function goInst(i: Inst, mode: X86Mode): string {
  const ops = i.a.map(goOperand).join(', ');
  return ops ? `${goMnemonic(i, mode)} ${ops}` : goMnemonic(i, mode);
}

/** A function in Go syntax: `TEXT ·f(SB), NOSPLIT, $0-args`, labels local to it. */
export function goFunc(f: Func, mode: X86Mode, out: string[]): void {
  out.push(`TEXT ${goSym(f.name)}(SB), NOSPLIT, $0-${f.argSize}`);
  for (const l of f.lines) out.push('label' in l ? `${l.label}:` : `\t${goInst(l, mode)}`);
  out.push('');
}

export function goData(d: DataSym, mode: X86Mode, out: string[], flags = 'NOPTR'): void {
  const ps = ptrSize(mode);
  d.words.forEach((w, k) => {
    const v = typeof w === 'number' ? `$${w}` : `$${goSym(w.addr)}(SB)`;
    out.push(`DATA ${goSym(d.name)}+${k * ps}(SB)/${ps}, ${v}`);
  });
  out.push(`GLOBL ${goSym(d.name)}(SB), ${flags}, $${d.words.length * ps}`);
}

// ---- AT&T syntax ---------------------------------------------------------

const ATT_COND: Record<Cond, string> = { eq: 'je', ne: 'jne', lt: 'jl', ge: 'jge', le: 'jle', gt: 'jg', b: 'jb', ae: 'jae', a: 'ja', be: 'jbe' };

function attReg(r: number, w: Width, mode: X86Mode): string {
  const t = w === 'Q' ? ATT_Q : w === 'L' ? ATT_L : ATT_B;
  void mode;
  return '%' + t[r]!;
}

function attOperand(op: Operand, w: Width, mode: X86Mode, fn: string): string {
  const ps = ptrSize(mode);
  const sp = mode === 'amd64' ? '%rsp' : '%esp';
  const addrW: Width = mode === 'amd64' ? 'Q' : 'L';
  switch (op.k) {
    case 'reg': return attReg(op.r, w, mode);
    case 'imm': return `$${op.v}`;
    case 'mem': {
      const idx = op.index !== undefined ? `,${attReg(op.index, addrW, mode)},${op.scale}` : '';
      return `${op.off || ''}(${attReg(op.base, addrW, mode)}${idx})`;
    }
    // Zero frame: FP is SP plus the return address.
    case 'arg': return `${op.off + ps}(${sp})`;
    case 'sym': {
      const s = `${op.sym}${op.off ? '+' + op.off : ''}`;
      return mode === 'amd64' ? `${s}(%rip)` : s;
    }
    case 'label': return `.L${fn}.${op.name}`;
    case 'func': return op.sym;
  }
}

export function attInst(i: Inst, mode: X86Mode, fn: string): string {
  if (i.m === 'ret') return 'ret';
  if (i.m === 'jmp' || i.m === 'call') return `${i.m} ${attOperand(i.a[0]!, i.w, mode, fn)}`;
  if (i.m.startsWith('j')) return `${ATT_COND[i.m.slice(1) as Cond]} ${attOperand(i.a[0]!, i.w, mode, fn)}`;
  const suffix = i.w.toLowerCase();
  // MOVBQZX takes a byte source; the destination has the instruction's width.
  if (i.m === 'movzxb') return `movzb${suffix} ${attOperand(i.a[0]!, 'B', mode, fn)}, ${attOperand(i.a[1]!, i.w, mode, fn)}`;
  // Go writes CMP in Intel order (CMPQ a, b compares a with b); AT&T reverses it.
  const ops = i.m === 'cmp' ? [...i.a].reverse() : i.a;
  return `${i.m}${suffix} ${ops.map((o) => attOperand(o, i.w, mode, fn)).join(', ')}`;
}

export function attFunc(f: Func, mode: X86Mode, out: string[]): void {
  out.push(`\t.globl ${f.name}`, `\t.type ${f.name}, @function`, `${f.name}:`);
  for (const l of f.lines) out.push('label' in l ? `.L${f.name}.${l.label}:` : `\t${attInst(l, mode, f.name)}`);
  out.push(`\t.size ${f.name}, .-${f.name}`, '');
}

export function attData(d: DataSym, mode: X86Mode, out: string[]): void {
  const dir = mode === 'amd64' ? '.quad' : '.long';
  out.push(`\t.globl ${d.name}`, `\t.p2align ${mode === 'amd64' ? 3 : 2}`, `${d.name}:`);
  for (const w of d.words) out.push(`\t${dir} ${typeof w === 'number' ? w : w.addr}`);
}
