// Assembles one arm64 function: frame layout, prologue and epilogue as Go's
// assembler (go1.19, cmd/internal/obj/arm64 preprocess) builds them, encoding,
// branch resolution (with Go's veneers), the literal pool, and padding to 16
// bytes.
//
// The frame. For `TEXT f(SB), flags, $frame-args`:
// - A function that calls nothing (no BL/CALL) with frame 0, or one marked
//   NOFRAME (or `$-8`), has no frame at all.
// - Otherwise autosize = frame + 8 (the saved LR), then 8 more when that is
//   8 mod 16, or 16 more when it is already 16-aligned (a slot for the
//   caller's frame pointer). The prologue is
//       MOVD.W R30, -autosize(RSP); MOVD R29, -8(RSP); SUB $8, RSP, R29
//   or, when autosize > 0xf0 (beyond MOVD.W's reach),
//       SUB $autosize, RSP, R20; STP (R29, R30), -8(R20); MOVD R20, RSP; SUB $8, RSP, R29.
// - RET becomes `LDP -8(RSP), (R29, R30); ADD $autosize, RSP; RET` in a
//   function that calls, `ADD $autosize, RSP; SUB $8, RSP, R29; RET` in a leaf
//   with a frame (go1.19 does exactly this). `RET sym(SB)` ends in `B sym`.
//   Go always returns through R30: `RET R1` is encoded as `RET (R30)`, as Go does.
// - `name+off(FP)` is autosize+8+off(RSP); `name-off(SP)` is
//   autosize-extrasize+off(RSP) (pseudo-SP is the top of the locals).
//
// Branches: B/BL reach ±128MiB, B.cond/CBZ ±1MiB, TBZ ±32KiB. Like Go, a
// conditional branch that cannot reach its target is pointed at a `B target`
// inserted right after it (behind a `B` over it); an unreachable B/BL or ADR
// target is an error.
//
// Go also inserts a stack-split check in functions without NOSPLIT. asmlink's
// threads run on fixed stacks made by pthread_create, so there is nothing to
// grow: every function is treated as NOSPLIT and gets no check.

import { DiagnosticSink, type SourcePos } from '../../diag.js';
import { progWith, type Operand, type Prog, type TextBlock } from '../../asm/prog.js';
import type { AssembledFunction } from '../arch.js';
import type { InstInfo } from '../../obj/symbol.js';
import { HOST_LITTLE_ENDIAN } from '../../obj/bytes.js';
import { Emitter, Encoder } from './encoder.js';
import { optab, type OpDef } from './optab.js';

const NOFRAME = 512;

interface FrameInfo {
  autosize: number;
  extrasize: number;
  leaf: boolean;
}

function computeFrame(fn: TextBlock, diag: DiagnosticSink): FrameInfo {
  let frame = fn.frameSize;
  let noframe = (fn.flags & NOFRAME) !== 0;
  if (frame === -8) {
    noframe = true;
    frame = 0;
  }
  if (frame < 0) {
    diag.error(fn.pos, `negative frame size ${frame} - did you mean NOFRAME?`);
    frame = 0;
  }
  if (noframe && frame !== 0) diag.error(fn.pos, `NOFRAME functions must have a frame size of 0, not ${frame}`);
  let leaf = true;
  for (const p of fn.progs) {
    // The front end accepts `sym(SB)(Rn)` (386 needs it); arm64 has no such addressing mode.
    for (let k = 0; k < p.args.length; k++) {
      const a = p.args[k]!;
      if ((a.kind === 'mem' || a.kind === 'addr') && (a.mem.name === 'extern' || a.mem.name === 'static') && a.mem.index) {
        diag.error(p.argPos[k] ?? p.pos, `${p.op}: a symbol reference cannot have an index register on arm64`);
      }
    }
  }
  for (const p of fn.progs) {
    const op = p.op;
    if (op === 'BL' || op === 'CALL' || op === 'DUFFZERO' || op === 'DUFFCOPY') {
      leaf = false;
      break;
    }
  }
  let autosize = frame;
  if (leaf && autosize === 0) noframe = true;
  if (!noframe) autosize += 8;
  let extrasize = 0;
  if (autosize !== 0) {
    if (autosize % 16 === 8) extrasize = 8;
    else if (autosize % 16 === 0) extrasize = 16;
    else diag.error(fn.pos, `unaligned frame size ${autosize - 8} - must be 16 aligned`);
    autosize += extrasize;
  }
  if (autosize === 0) leaf = true;
  return { autosize, extrasize, leaf };
}

const R = (reg: string): Operand => ({ kind: 'reg', reg });
const I = (v: number): Operand => ({ kind: 'imm', value: BigInt(v) });
const M = (base: string, offset: number): Operand => ({ kind: 'mem', mem: { name: 'none', base, offset, scale: 0 } });

function synth(op: string, args: Operand[], pos: SourcePos): Prog {
  return { op, args, pos, text: '', argPos: [] };
}

function prologue(f: FrameInfo, pos: SourcePos): Prog[] {
  if (f.autosize === 0) return [];
  const out: Prog[] = [];
  if (f.autosize > 0xf0) {
    out.push(synth('SUB', [I(f.autosize), R('RSP'), R('R20')], pos));
    out.push(synth('STP', [{ kind: 'regpair', regs: ['R29', 'R30'] }, M('R20', -8)], pos));
    out.push(synth('MOVD', [R('R20'), R('RSP')], pos));
  } else {
    out.push(synth('MOVD.W', [R('R30'), M('RSP', -f.autosize)], pos));
    out.push(synth('MOVD', [R('R29'), M('RSP', -8)], pos));
  }
  out.push(synth('SUB', [I(8), R('RSP'), R('R29')], pos));
  return out;
}

// The frame before each instruction of the prologue, the body and an
// epilogue, as [SP's distance below its value at the call, what is saved]
// (InstInfo): with a frame, LR is saved at CFA-autosize and the caller's FP
// at CFA-autosize-8 once the prologue stored them (the one instruction
// between storing LR and FP is counted as having both), until the epilogue
// reloads them (a leaf never changes LR: its saved copy stays right until SP
// moves back).

function frameBody(f: FrameInfo): [number, number] {
  return f.autosize === 0 ? [0, 0] : [f.autosize, f.autosize];
}

/**
 * The frame through the body, which may move SP itself (`SUB $n, RSP`, as
 * NOFRAME trampolines do) and save the caller's FP and LR as C does
 * (`STP (R29, R30), off(RSP)`: FP, then LR 8 above it), until `LDP off(RSP),
 * (R29, R30)` reloads them. Go's FP and SP offsets ignore such moves; only
 * the call-frame table follows them.
 */
class BodyFrame {
  private sp: number;
  private saved: number;
  constructor(private readonly f: FrameInfo) {
    [this.sp, this.saved] = frameBody(f);
  }
  now(): [number, number] {
    return [this.sp, this.saved];
  }
  after(p: Prog): void {
    const a = p.args;
    const isSP = (o: Operand | undefined) => o?.kind === 'reg' && o.reg === 'RSP';
    if ((p.op === 'SUB' || p.op === 'ADD') && a[0]?.kind === 'imm' && isSP(a[1]) && (a.length === 2 || isSP(a[2]))) {
      this.sp += (p.op === 'SUB' ? 1 : -1) * Number(a[0].value);
    } else if ((p.op === 'STP' || p.op === 'LDP') && this.f.autosize === 0) {
      const pair = p.op === 'STP' ? a[0] : a[1];
      const mem = p.op === 'STP' ? a[1] : a[0];
      if (pair?.kind !== 'regpair' || pair.regs[0] !== 'R29' || pair.regs[1] !== 'R30' || mem?.kind !== 'mem' || mem.mem.base !== 'RSP') return;
      // Saved n: LR at CFA-n, FP at CFA-n-8 (CFA = SP + sp here).
      this.saved = p.op === 'STP' ? Math.max(0, this.sp - mem.mem.offset - 8) : 0;
    }
  }
}

function prologueFrames(f: FrameInfo): [number, number][] {
  const a = f.autosize;
  if (a === 0) return [];
  // SUB R20 · STP (R29, R30) below it · MOVD R20, RSP · SUB R29
  if (a > 0xf0) return [[0, 0], [0, 0], [0, a], [a, a]];
  // MOVD.W R30 (SP moves and LR is stored) · MOVD R29 · SUB R29
  return [[0, 0], [a, a], [a, a]];
}

function epilogueFrames(f: FrameInfo, n: number): [number, number][] {
  const a = f.autosize;
  if (a === 0) return Array.from({ length: n }, () => [0, 0] as [number, number]);
  // leaf: ADD (LR unchanged, its copy still valid) · SUB R29 · RET/B; else LDP (reloads FP and LR) · ADD · RET/B
  const first: [number, number][] = f.leaf ? [[a, a], [0, 0]] : [[a, a], [a, 0]];
  return [...first, ...Array.from({ length: n - 2 }, () => [0, 0] as [number, number])];
}

function epilogue(f: FrameInfo, ret: Prog): Prog[] {
  const pos = ret.pos;
  const out: Prog[] = [];
  if (f.autosize !== 0) {
    if (f.leaf) {
      out.push(synth('ADD', [I(f.autosize), R('RSP')], pos));
      out.push(synth('SUB', [I(8), R('RSP'), R('R29')], pos));
    } else {
      out.push(synth('LDP', [M('RSP', -8), { kind: 'regpair', regs: ['R29', 'R30'] }], pos));
      out.push(synth('ADD', [I(f.autosize), R('RSP')], pos));
    }
  }
  const t = ret.args[0];
  if (t && t.kind === 'branch' && t.sym !== undefined) out.push(progWith(ret, 'B', [t]));
  else if (t && t.kind === 'mem' && (t.mem.name === 'extern' || t.mem.name === 'static') && t.mem.sym)
    out.push(progWith(ret, 'B', [{ kind: 'branch', sym: t.mem.sym, offset: t.mem.offset }]));
  else out.push(progWith(ret, ret.op, []));
  return out;
}

/** Looks up an op, splitting a `.P`/`.W` suffix off when the full name is not a row. */
export function lookupOp(op: string): { def: OpDef; sfx: string } | undefined {
  const d = optab().get(op);
  if (d) return { def: d, sfx: '' };
  const dot = op.lastIndexOf('.');
  if (dot > 0) {
    const base = optab().get(op.slice(0, dot));
    if (base) return { def: base, sfx: op.slice(dot + 1) };
  }
  return undefined;
}

// Reusable per-function index arrays (typed-array allocation is costly).
const scratchBufs: Int32Array[] = [new Int32Array(1024), new Int32Array(1024), new Int32Array(1024)];
function scratch(i: number, n: number): Int32Array {
  if (scratchBufs[i]!.length < n) scratchBufs[i] = new Int32Array(n * 2);
  return scratchBufs[i]!;
}

// One emitter and encoder, reused: assembling is synchronous and not reentrant.
const emitter = new Emitter(new DiagnosticSink());
const encoder = new Encoder(emitter);

const B26 = 1 << 25;
const B19 = 1 << 18;
const B14 = 1 << 13;

/** Assembles fn; `record`: also each instruction's line, bytes and frame (AssembledFunction.insts). */
export function assembleFunction(fn: TextBlock, diag: DiagnosticSink, tls?: ReadonlySet<string>, record = true): AssembledFunction {
  const frame = computeFrame(fn, diag);
  // Expand the function into the progs actually encoded, keeping a map from
  // the user's prog indices (which labels refer to) to expanded indices.
  const progs: Prog[] = prologue(frame, fn.pos);
  // Each prog's frame, for debugging information (InstInfo.sp, saved).
  const frames: [number, number][] | null = record ? prologueFrames(frame) : null;
  const body = frameBody(frame);
  const cfi = record ? new BodyFrame(frame) : null;
  const userStart = scratch(0, fn.progs.length + 1);
  for (let i = 0; i < fn.progs.length; i++) {
    userStart[i] = progs.length;
    const p = fn.progs[i]!;
    if (p.op === 'RET') {
      const ep = epilogue(frame, p);
      for (const q of ep) progs.push(q);
      frames?.push(...epilogueFrames(frame, ep.length));
    } else {
      progs.push(p);
      if (cfi) {
        frames!.push(cfi.now());
        cfi.after(p);
      }
    }
  }
  userStart[fn.progs.length] = progs.length;

  // Labels as indices into the expanded progs. `N(PC)` targets count the
  // user's instructions; they become internal labels here (names starting
  // with NUL cannot clash with the user's).
  const labelIdx = new Map<string, number>();
  for (const [name, idx] of fn.labels) labelIdx.set(name, userStart[idx]!);
  {
    let u = 0;
    for (let j = 0; j < progs.length; j++) {
      while (u < fn.progs.length && userStart[u + 1]! <= j) u++;
      const p = progs[j]!;
      const a = p.args;
      for (let k = 0; k < a.length; k++) {
        const o = a[k]!;
        if (o.kind !== 'branch' || o.pcrel === undefined) continue;
        const t = u + o.pcrel;
        if (t < 0 || t > fn.progs.length) {
          diag.error(p.pos, `branch target ${o.pcrel}(PC) is outside the function`);
          continue;
        }
        const name = `\u0000pc${j}`;
        labelIdx.set(name, userStart[t]!);
        const args = a.slice();
        args[k] = { kind: 'branch', label: name };
        progs[j] = progWith(p, p.op, args);
      }
    }
  }

  // Encode; when a conditional branch cannot reach its target, do as Go:
  // point it at a new `B target` placed right after it, behind a `B` that
  // skips over it, and encode again. Diagnostics of the final pass only.
  const e = emitter;
  const enc = encoder;
  let passDiag: DiagnosticSink;
  let startWord: Int32Array;
  let insts: InstInfo[];
  let veneer = 0;
  for (;;) {
    passDiag = new DiagnosticSink(1 << 30);
    e.reset(passDiag);
    e.autosize = frame.autosize;
    e.extrasize = frame.extrasize;
    e.tls = tls;
    for (const [name, idx] of labelIdx) e.labels.set(name, idx);
    startWord = scratch(2, progs.length + 1);
    insts = [];
    for (let j = 0; j < progs.length; j++) {
      const p = progs[j]!;
      startWord[j] = e.n;
      e.start = e.n;
      e.pos = p.pos;
      e.progIndex = j;
      const found = lookupOp(p.op);
      if (!found) {
        passDiag.error(p.pos, `unknown instruction ${p.op}`);
        continue;
      }
      enc.encode(p, found.def, found.sfx);
      const size = (e.n - e.start) * 4;
      if (record && size > 0) {
        const [sp, saved] = frames![j] ?? body;
        const info: InstInfo = { line: p.pos.line, offset: e.start * 4, size, sp, saved };
        if (p.pos.file !== fn.pos.file) info.file = p.pos.file;
        insts.push(info);
      }
    }
    startWord[progs.length] = e.n;
    // Find the first conditional branch that is too far (Go's margin: 10 bytes).
    let far = -1;
    for (const f of e.fixups) {
      if (f.kind !== 'b19' && f.kind !== 'b14') continue;
      const bytes = (startWord[Math.min(Math.max(f.target, 0), progs.length)]! - f.from) * 4;
      const lim = f.kind === 'b19' ? 1 << 20 : 1 << 15;
      if (bytes <= -lim + 10 || bytes >= lim - 10) {
        far = f.from;
        break;
      }
    }
    if (far < 0) break;
    let j = 0;
    while (j < progs.length && startWord[j]! !== far) j++;
    const p = progs[j]!;
    const a = p.args.slice();
    const k = a.length - 1;
    const orig = a[k]!;
    const vName = `\u0000veneer${veneer}`;
    const sName = `\u0000skip${veneer}`;
    veneer++;
    for (const [name, idx] of labelIdx) if (idx > j) labelIdx.set(name, idx + 2);
    labelIdx.set(vName, j + 2);
    labelIdx.set(sName, j + 3);
    a[k] = { kind: 'branch', label: vName };
    progs[j] = progWith(p, p.op, a);
    progs.splice(j + 1, 0, progWith(p, 'B', [{ kind: 'branch', label: sName }]), progWith(p, 'B', [orig]));
    frames?.splice(j + 1, 0, frames[j] ?? body, frames[j] ?? body);
  }
  for (const d of passDiag.list) diag.error({ file: d.file, line: d.line, col: d.col }, d.message, d.notes);

  // Literal pool after the code, behind a branch word as Go emits it.
  const poolWord: number[] = [];
  if (e.pool.length > 0) {
    e.emit(0x14000000);
    for (const ent of e.pool) {
      if (ent.dword && (e.n & 1) !== 0) e.emit(0);
      poolWord.push(e.n);
      if (ent.dword) {
        const v = BigInt.asUintN(64, ent.value);
        e.emit(Number(v & 0xffffffffn));
        e.emit(Number(v >> 32n));
      } else e.emit(Number(BigInt.asUintN(32, ent.value)));
    }
  }

  for (const f of e.fixups) {
    let w = e.words[f.word]!;
    if (f.kind === 'lit19') {
      const d = poolWord[f.target]! - f.from;
      if (d < -B19 || d >= B19) diag.error(f.pos, 'literal pool out of range');
      w |= (d & 0x7ffff) << 5;
    } else {
      const targetWord = startWord[Math.min(Math.max(f.target, 0), progs.length)]!;
      const d = targetWord - f.from;
      switch (f.kind) {
        case 'b26':
          if (d < -B26 || d >= B26) diag.error(f.pos, `branch out of range: ${d * 4} bytes exceeds ±128MiB`);
          w |= d & 0x3ffffff;
          break;
        case 'b19':
          if (d < -B19 || d >= B19) diag.error(f.pos, `branch out of range: ${d * 4} bytes exceeds ±1MiB`);
          w |= (d & 0x7ffff) << 5;
          break;
        case 'b14':
          if (d < -B14 || d >= B14) diag.error(f.pos, `branch out of range: ${d * 4} bytes exceeds ±32KiB`);
          w |= (d & 0x3fff) << 5;
          break;
        case 'adr': {
          const b = d * 4;
          if (b < -(1 << 20) || b >= 1 << 20) diag.error(f.pos, 'ADR target out of range');
          w |= ((b & 3) << 29) | (((b >> 2) & 0x7ffff) << 5);
          break;
        }
        case 'adrp': {
          // Page difference relative to the function start, as Go computes it.
          const b = (targetWord * 4 >> 12) - (f.from * 4 >> 12);
          w |= ((b & 3) << 29) | (((b >> 2) & 0x7ffff) << 5);
          break;
        }
      }
    }
    e.words[f.word] = w >>> 0;
  }

  // Go pads every function to 16 bytes (funcAlign) with zeros.
  while ((e.n & 3) !== 0) e.emit(0);
  // A64 is little-endian; so is every host Node runs on in practice, but do
  // not rely on it: copy through a little-endian view when the host differs.
  const data = new Uint8Array(e.n * 4);
  if (HOST_LITTLE_ENDIAN) data.set(new Uint8Array(e.words.buffer, 0, e.n * 4));
  else {
    const dv = new DataView(data.buffer);
    for (let i = 0; i < e.n; i++) dv.setUint32(i * 4, e.words[i]!, true);
  }
  const done = insts;
  return { data, relocs: e.relocs, insts: record ? () => done : null, constants: e.constants ?? undefined };
}
