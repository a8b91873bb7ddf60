// Generated arm64 code for the assembler benchmark, printed in Go's arm64
// syntax and in GNU syntax (aarch64-linux-gnu-as, llvm-mc -triple aarch64)
// from one instruction list. Go writes three-operand instructions source
// first (`ADD R1, R2, R3` is R3 = R2 + R1); GNU writes the destination first.
//
// Functions are NOSPLIT|NOFRAME with a zero frame, so no prologue is inserted:
// an argument at name+off(FP) is at off+8(RSP), as Go lays it out (the slot at
// 0(RSP) belongs to the caller's saved link register).

import type { Rng } from './rng.js';
import { goSym, type DataSym } from './x86.js';

type Cond = 'EQ' | 'NE' | 'LT' | 'GE' | 'LE' | 'GT' | 'HI' | 'LS';
const CONDS: Cond[] = ['EQ', 'NE', 'LT', 'GE', 'LE', 'GT', 'HI', 'LS'];

export type A64Inst =
  | { m: 'ldarg' | 'stret'; r: number; off: number }
  | { m: 'movi'; v: number; d: number }
  | { m: 'mov'; n: number; d: number }
  | { m: 'ADD' | 'SUB' | 'AND' | 'ORR' | 'EOR' | 'MUL'; mreg: number; n: number; d: number }
  | { m: 'ADDI' | 'SUBI'; v: number; n: number; d: number }
  | { m: 'LSL' | 'LSR' | 'ASR'; v: number; n: number; d: number }
  | { m: 'ld' | 'st' | 'ldw' | 'ldb'; r: number; base: number; off: number }
  | { m: 'cmp'; mreg: number; n: number }
  | { m: 'cmpi'; v: number; n: number }
  | { m: 'bcond'; c: Cond; target: string }
  | { m: 'b'; target: string }
  | { m: 'cbz' | 'cbnz'; r: number; target: string }
  | { m: 'bl'; sym: string }
  | { m: 'csel'; c: Cond; n: number; mreg: number; d: number }
  | { m: 'dload'; sym: string; off: number; d: number }
  | { m: 'ret' };

export type A64Line = A64Inst | { label: string };

export interface A64Func {
  name: string;
  argSize: number;
  lines: A64Line[];
}

export interface A64GenOptions {
  body: [number, number];
  callees: (rng: Rng) => string;
  data: (rng: Rng) => { name: string; size: number } | undefined;
}

export function genArm64Func(rng: Rng, name: string, o: A64GenOptions): A64Func {
  const work = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const bases = [0, 1];
  const w = (): number => rng.pick(work);
  const lines: A64Line[] = [
    { m: 'ldarg', r: 0, off: 0 },
    { m: 'ldarg', r: 1, off: 8 },
    { m: 'ldarg', r: 2, off: 16 },
    { m: 'movi', v: 0, d: 3 },
  ];
  const n = rng.range(o.body[0], o.body[1]);
  const labelAt = new Map<number, string>();
  const nl = rng.range(1, 3);
  for (let i = 0; i < nl; i++) labelAt.set(rng.int(n), `l${i}`);
  const labels = [...new Set(labelAt.values())];
  const weights = { movi: 5, mov: 6, alu: 12, alui: 8, mul: 3, shift: 4, ld: 10, st: 6, ldw: 3, ldb: 2, cmpb: 8, b: 1, cbz: 2, bl: 6, csel: 2, dload: 3 } as const;
  for (let i = 0; i < n; i++) {
    const l = labelAt.get(i);
    if (l !== undefined) lines.push({ label: l });
    switch (rng.weighted(weights)) {
      case 'movi': lines.push({ m: 'movi', v: rng.chance(0.9) ? rng.range(0, 65535) : -rng.range(1, 1000), d: w() }); break;
      case 'mov': lines.push({ m: 'mov', n: w(), d: w() }); break;
      case 'alu': lines.push({ m: rng.pick(['ADD', 'SUB', 'AND', 'ORR', 'EOR'] as const), mreg: w(), n: w(), d: w() }); break;
      case 'alui': lines.push({ m: rng.pick(['ADDI', 'SUBI'] as const), v: rng.range(0, 4095), n: w(), d: w() }); break;
      case 'mul': lines.push({ m: 'MUL', mreg: w(), n: w(), d: w() }); break;
      case 'shift': lines.push({ m: rng.pick(['LSL', 'LSR', 'ASR'] as const), v: rng.range(1, 63), n: w(), d: w() }); break;
      case 'ld': lines.push({ m: 'ld', r: w(), base: rng.pick(bases), off: rng.range(0, 15) * 8 }); break;
      case 'st': lines.push({ m: 'st', r: w(), base: rng.pick(bases), off: rng.range(0, 15) * 8 }); break;
      case 'ldw': lines.push({ m: 'ldw', r: w(), base: rng.pick(bases), off: rng.range(0, 31) * 4 }); break;
      case 'ldb': lines.push({ m: 'ldb', r: w(), base: rng.pick(bases), off: rng.range(0, 127) }); break;
      case 'cmpb':
        lines.push(rng.chance(0.5) ? { m: 'cmp', mreg: w(), n: w() } : { m: 'cmpi', v: rng.range(0, 200), n: w() });
        lines.push({ m: 'bcond', c: rng.pick(CONDS), target: rng.pick(labels) });
        break;
      case 'b': lines.push({ m: 'b', target: rng.pick(labels) }); break;
      case 'cbz': lines.push({ m: rng.pick(['cbz', 'cbnz'] as const), r: w(), target: rng.pick(labels) }); break;
      case 'bl': lines.push({ m: 'bl', sym: o.callees(rng) }); break;
      case 'csel': lines.push({ m: 'csel', c: rng.pick(CONDS), n: w(), mreg: w(), d: w() }); break;
      case 'dload': {
        const d = o.data(rng);
        if (d) lines.push({ m: 'dload', sym: d.name, off: rng.int(d.size / 8) * 8, d: w() });
        break;
      }
    }
  }
  const placed = new Set(lines.flatMap((x) => ('label' in x ? [x.label] : [])));
  for (const l of labels) if (!placed.has(l)) lines.push({ label: l });
  lines.push({ m: 'stret', r: 3, off: 24 }, { m: 'ret' });
  return { name, argSize: 32, lines };
}

const R = (r: number): string => `R${r}`;
const X = (r: number): string => `x${r}`;

function goInst(i: A64Inst): string {
  switch (i.m) {
    case 'ldarg': return `MOVD ${['p', 'q', 'n'][i.off / 8] ?? 'a'}+${i.off}(FP), ${R(i.r)}`;
    case 'stret': return `MOVD ${R(i.r)}, ret+${i.off}(FP)`;
    case 'movi': return `MOVD $${i.v}, ${R(i.d)}`;
    case 'mov': return `MOVD ${R(i.n)}, ${R(i.d)}`;
    case 'ADD': case 'SUB': case 'AND': case 'ORR': case 'EOR': case 'MUL':
      return `${i.m} ${R(i.mreg)}, ${R(i.n)}, ${R(i.d)}`;
    case 'ADDI': case 'SUBI': return `${i.m.slice(0, 3)} $${i.v}, ${R(i.n)}, ${R(i.d)}`;
    case 'LSL': case 'LSR': case 'ASR': return `${i.m} $${i.v}, ${R(i.n)}, ${R(i.d)}`;
    case 'ld': return `MOVD ${i.off}(${R(i.base)}), ${R(i.r)}`;
    case 'st': return `MOVD ${R(i.r)}, ${i.off}(${R(i.base)})`;
    case 'ldw': return `MOVWU ${i.off}(${R(i.base)}), ${R(i.r)}`;
    case 'ldb': return `MOVBU ${i.off}(${R(i.base)}), ${R(i.r)}`;
    case 'cmp': return `CMP ${R(i.mreg)}, ${R(i.n)}`;
    case 'cmpi': return `CMP $${i.v}, ${R(i.n)}`;
    case 'bcond': return `B${i.c} ${i.target}`;
    case 'b': return `B ${i.target}`;
    case 'cbz': case 'cbnz': return `${i.m.toUpperCase()} ${R(i.r)}, ${i.target}`;
    case 'bl': return `BL ${goSym(i.sym)}(SB)`;
    case 'csel': return `CSEL ${i.c}, ${R(i.n)}, ${R(i.mreg)}, ${R(i.d)}`;
    case 'dload': return `MOVD ${goSym(i.sym)}${i.off ? '+' + i.off : ''}(SB), ${R(i.d)}`;
    case 'ret': return 'RET';
  }
}

function gnuInst(i: A64Inst, fn: string): string[] {
  const L = (l: string): string => `.L${fn}.${l}`;
  switch (i.m) {
    case 'ldarg': return [`ldr ${X(i.r)}, [sp, #${i.off + 8}]`];
    case 'stret': return [`str ${X(i.r)}, [sp, #${i.off + 8}]`];
    case 'movi': return [`mov ${X(i.d)}, #${i.v}`];
    case 'mov': return [`mov ${X(i.d)}, ${X(i.n)}`];
    case 'ADD': case 'SUB': case 'AND': case 'ORR': case 'EOR': case 'MUL':
      return [`${i.m.toLowerCase()} ${X(i.d)}, ${X(i.n)}, ${X(i.mreg)}`];
    case 'ADDI': case 'SUBI': return [`${i.m.slice(0, 3).toLowerCase()} ${X(i.d)}, ${X(i.n)}, #${i.v}`];
    case 'LSL': case 'LSR': case 'ASR': return [`${i.m.toLowerCase()} ${X(i.d)}, ${X(i.n)}, #${i.v}`];
    case 'ld': return [`ldr ${X(i.r)}, [${X(i.base)}, #${i.off}]`];
    case 'st': return [`str ${X(i.r)}, [${X(i.base)}, #${i.off}]`];
    case 'ldw': return [`ldr w${i.r}, [${X(i.base)}, #${i.off}]`];
    case 'ldb': return [`ldrb w${i.r}, [${X(i.base)}, #${i.off}]`];
    case 'cmp': return [`cmp ${X(i.n)}, ${X(i.mreg)}`];
    case 'cmpi': return [`cmp ${X(i.n)}, #${i.v}`];
    case 'bcond': return [`b.${i.c.toLowerCase()} ${L(i.target)}`];
    case 'b': return [`b ${L(i.target)}`];
    case 'cbz': case 'cbnz': return [`${i.m} ${X(i.r)}, ${L(i.target)}`];
    case 'bl': return [`bl ${i.sym}`];
    case 'csel': return [`csel ${X(i.d)}, ${X(i.n)}, ${X(i.mreg)}, ${i.c.toLowerCase()}`];
    // Go loads a symbol's value by forming its address in the temporary
    // register R27 (ADRP + ADD) and loading through it: three instructions.
    case 'dload': {
      const s = `${i.sym}${i.off ? '+' + i.off : ''}`;
      return [`adrp x27, ${s}`, `add x27, x27, :lo12:${s}`, `ldr ${X(i.d)}, [x27]`];
    }
    case 'ret': return ['ret'];
  }
}

export function goArm64Func(f: A64Func, out: string[]): void {
  out.push(`TEXT ${goSym(f.name)}(SB), NOSPLIT|NOFRAME, $0-${f.argSize}`);
  for (const l of f.lines) out.push('label' in l ? `${l.label}:` : `\t${goInst(l)}`);
  out.push('');
}

export function gnuArm64Func(f: A64Func, out: string[]): void {
  out.push(`\t.globl ${f.name}`, `\t.type ${f.name}, %function`, `\t.p2align 2`, `${f.name}:`);
  for (const l of f.lines) {
    if ('label' in l) out.push(`.L${f.name}.${l.label}:`);
    else for (const s of gnuInst(l, f.name)) out.push(`\t${s}`);
  }
  out.push(`\t.size ${f.name}, .-${f.name}`, '');
}

export function goArm64Data(d: DataSym, out: string[]): void {
  d.words.forEach((w, k) => out.push(`DATA ${goSym(d.name)}+${k * 8}(SB)/8, ${typeof w === 'number' ? '$' + w : `$${goSym(w.addr)}(SB)`}`));
  out.push(`GLOBL ${goSym(d.name)}(SB), NOPTR, $${d.words.length * 8}`);
}

export function gnuArm64Data(d: DataSym, out: string[]): void {
  out.push(`\t.globl ${d.name}`, '\t.p2align 3', `${d.name}:`);
  for (const w of d.words) out.push(`\t.quad ${typeof w === 'number' ? w : w.addr}`);
}
