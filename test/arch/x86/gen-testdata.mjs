#!/usr/bin/env node
// Regenerates test/arch/amd64/testdata/encodings.s and test/arch/i386/testdata/encodings.s:
// one line per operand variant of every row of the x86 table, with the bytes that
// Go's own assembler produces for it (`go tool asm -S`), so the expectations come
// from an independent implementation. Lines Go rejects are dropped.
//
// Usage (after `npx tsc -p .`): node test/arch/x86/gen-testdata.mjs
// Needs Go 1.19+ (`go tool asm`).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X86_TABLE } from '../../../dist/src/arch/x86/table.js';
// The VEX and EVEX rows register themselves when the encoder loads.
import '../../../dist/src/arch/x86/encoder.js';

// Operand class numbers follow the Cls enum in src/arch/x86/forms.ts.
const C = {
  I8: 0, U8: 1, B8: 2, I16: 3, I32: 4, U32: 5, I64: 6, ONE: 7, THREE: 8, R8: 9, R: 10, AL: 11, AX: 12, CL: 13, DX: 14, X: 15, X0: 16,
  Y: 17, Z: 18, K: 19, MM: 20, F: 21, F0: 22, SEG: 23, FS: 24, GS: 25, CR: 26, DR: 27, RM8: 28, RM: 29, XM: 30, YM: 31, ZM: 32, KM: 33,
  MMM: 34, M: 35, REL: 36,
};

function variants(cls, mode64) {
  const mems = mode64 ? ['(BX)', '8(R11)(AX*4)', '-300(SP)', '·sym+8(SB)'] : ['(BX)', '8(SI)(AX*4)', '-300(SP)', '·sym+8(SB)'];
  const r8 = mode64 ? ['DL', 'R11B', 'SIB'] : ['DL', 'AH', 'BL'];
  const r = mode64 ? ['DX', 'R11', 'SI'] : ['DX', 'SI', 'BP'];
  const x = mode64 ? ['X2', 'X11', 'X9'] : ['X2', 'X5', 'X7'];
  const y = mode64 ? ['Y2', 'Y11', 'Y9'] : ['Y2', 'Y5', 'Y7'];
  switch (cls) {
    case C.I8: return ['$7', '$-8'];
    case C.U8: return ['$7', '$200'];
    case C.B8: return ['$7', '$-2'];
    case C.I16: return ['$0x1234', '$-3'];
    case C.I32: return ['$-249346713', '$0x12345'];
    case C.U32: return ['$0xf1234567', '$0x12345'];
    case C.I64: return ['$0x123456789a'];
    case C.ONE: return ['$1'];
    case C.THREE: return ['$3'];
    case C.R8: return r8;
    case C.R: return r;
    case C.AL: return ['AL'];
    case C.AX: return ['AX'];
    case C.CL: return ['CL'];
    case C.DX: return ['DX'];
    case C.X: return x;
    case C.X0: return ['X0'];
    case C.Y: return y;
    case C.Z: return ['Z2', 'Z11', 'Z25'];
    case C.ZM: return ['Z2', mems[0], 'Z25', mems[1]];
    case C.K: return ['K1', 'K5'];
    case C.KM: return ['K1', mems[0], 'K5'];
    case C.MM: return ['M2', 'M5'];
    case C.F: return ['F2', 'F3'];
    case C.F0: return ['F0'];
    case C.SEG: return ['DS'];
    case C.FS: return ['FS'];
    case C.GS: return ['GS'];
    case C.CR: return ['CR2'];
    case C.DR: return ['DR3'];
    case C.RM8: return [r8[0], mems[0], r8[1], mems[1], mems[2], mems[3]];
    case C.RM: return [r[0], mems[0], r[1], mems[1], mems[2], mems[3]];
    case C.XM: return [x[0], mems[0], x[1], mems[1], mems[3]];
    case C.YM: return [y[0], mems[0], y[1], mems[1]];
    case C.MMM: return ['M2', mems[0], 'M5', mems[1]];
    case C.M: return mems;
    default: return null;
  }
}

/** Operand lists for one form: variant k of every operand, k = 0..max-1. */
function lines(name, form, mode64) {
  const vs = form.cls.map((c) => variants(c, mode64));
  if (vs.some((v) => v === null)) return [];
  const max = Math.max(1, ...vs.map((v) => v.length));
  const out = new Set();
  for (let k = 0; k < max; k++) out.add(`${name} ${vs.map((v) => v[Math.min(k, v.length - 1)]).join(', ')}`.trim());
  return [...out];
}

function goAssemble(body, goarch) {
  const dir = mkdtempSync(join(tmpdir(), 'x86gen-'));
  try {
    const file = join(dir, 'x.s');
    writeFileSync(file, `TEXT ·enc(SB), 4, $0\n${body.join('\n')}\n`);
    const r = spawnSync('go', ['tool', 'asm', '-p', 'main', '-S', '-o', join(dir, 'x.o'), file], {
      encoding: 'utf8', env: { ...process.env, GOOS: 'linux', GOARCH: goarch }, maxBuffer: 1 << 28,
    });
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function generate(goarch, mode64, out) {
  let body = [];
  for (const [name, forms] of X86_TABLE) {
    if (name.startsWith('$')) continue;
    // Prefix-only statements (LOCK, REP) change the next instruction; they are tested elsewhere.
    if (['LOCK', 'REP', 'REPE', 'REPN', 'REPNE', 'XACQUIRE', 'XRELEASE'].includes(name)) continue;
    for (const f of forms) {
      if (f.mode === 1 && !mode64) continue;
      if (f.mode === 2 && mode64) continue;
      for (const l of lines(name, f, mode64)) if (!body.includes('\t' + l)) body.push('\t' + l);
    }
  }
  // Push/pop and stack-pointer writes would trip Go's SP tracking; keep them balanced by dropping SP writers.
  body = body.filter((l) => !/^\t(PUSH|POP)/.test(l) && !/, SP$/.test(l));
  // Go's 386 backend routes a few register forms through an XCHG with a byte-addressable
  // register (NOTL SI → 87 de f7 d3 87 de); asmlink emits the direct, equivalent encoding.
  if (!mode64) body = body.filter((l) => !/^\t(NOT|NEG)[WL] SI$|^\tMOV[ZS]WW SI, BP$/.test(l));
  const res = [];
  for (let i = 0; i < body.length; i += 400) res.push(...assembleChunk(body.slice(i, i + 400), goarch));
  const head = [
    `// Expected encodings for the x86 table in ${mode64 ? '64' : '32'}-bit mode, one instruction per line.`,
    `// Generated by test/arch/x86/gen-testdata.mjs from the table rows; the bytes come from`,
    `// Go's assembler: GOOS=linux GOARCH=${goarch} go tool asm -p main -S -o x.o x.s`,
    `// (${spawnSync('go', ['version'], { encoding: 'utf8' }).stdout.trim()}). DO NOT EDIT.`,
    '',
  ];
  writeFileSync(out, head.join('\n') + res.join('\n') + '\n');
  console.log(`${out}: ${res.length} instructions`);
}

/** Assembles a chunk; lines Go rejects are dropped (by line number, or by bisection when Go gives none). */
function assembleChunk(body, goarch) {
  if (body.length === 0) return [];
  const r = goAssemble(body, goarch);
  if (r.status !== 0) {
    const bad = new Set();
    for (const m of r.stderr.matchAll(/x\.s:(\d+)/g)) bad.add(Number(m[1]));
    if (bad.size > 0) return assembleChunk(body.filter((_, i) => !bad.has(i + 2)), goarch);
    if (body.length === 1) return [];
    const h = body.length >> 1;
    return [...assembleChunk(body.slice(0, h), goarch), ...assembleChunk(body.slice(h), goarch)];
  }
  const insts = [];
  let bytes = '';
  for (const line of r.stdout.split('\n')) {
    const m = /^\t0x[0-9a-f]+ (\d+) \([^:]*:(\d+)\)\t(\S+)/.exec(line);
    if (m && m[3] !== 'TEXT' && m[3] !== 'FUNCDATA' && m[3] !== 'PCDATA') insts.push({ off: Number(m[1]), line: Number(m[2]) });
    const d = /^\t0x[0-9a-f]{4} ((?:[0-9a-f]{2} ){1,16})/.exec(line);
    if (d) bytes += d[1].replace(/ /g, '');
  }
  const res = [];
  for (let i = 0; i < insts.length; i++) {
    const end = i + 1 < insts.length ? insts[i + 1].off : bytes.length / 2;
    const text = body[insts[i].line - 2].trim();
    res.push(`\t${text.padEnd(40)}// ${bytes.slice(insts[i].off * 2, end * 2)}`);
  }
  return res;
}

generate('amd64', true, 'test/arch/amd64/testdata/encodings.s');
generate('386', false, 'test/arch/i386/testdata/encodings.s');
