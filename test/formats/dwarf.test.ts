// The DWARF line-program writer and reader against each other, over rows
// that need every encoding: special opcodes, advance_line (large and
// negative steps), advance_pc (address steps past a special opcode's reach),
// file switches and instructions of 4 bytes (arm64's minimum length). The
// e2e tests (test/e2e/debug-info.test.ts) check the same bytes with
// llvm-dwarfdump, llvm-symbolizer, gdb and objdump.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CFI_386, CFI_AMD64, CFI_ARM64, writeDwarf, type DebugUnit } from '../../src/formats/dwarf/dwarf.js';
import { ReadBackLines, readLinePrograms } from '../../src/formats/dwarf/read-lines.js';
import { heldInsts } from '../../src/obj/line-tables.js';
import { readFrameTables } from '../../src/formats/dwarf/read-frames.js';

function roundTrip(units: DebugUnit[], addressSize: number, minInstLength: number): void {
  const out = writeDwarf(units, { addressSize, minInstLength, producer: 'test' });
  const line = out.sections.find((s) => s.name === '.debug_line')!.data;
  // Each set_address field, as an object's relocation names it: unit * 100 + function.
  const at = new Map<number, number>();
  for (const f of out.fixups) if (f.section === '.debug_line' && f.kind === 'address') at.set(f.offset, f.unit * 100 + f.fn);
  const got = readLinePrograms(line, addressSize, (off, value) => (at.has(off) ? { sym: at.get(off)!, addend: value } : undefined));
  units.forEach((u, ui) =>
    u.functions.forEach((f, fi) => {
      const back = got.get(ui * 100 + fi)!;
      assert.ok(back, `${f.name}: no sequence`);
      const rows = heldInsts(back);
      assert.deepEqual(
        rows.map((r) => [r.offset, r.file, r.line]),
        f.rows.map((r) => [f.address + r.offset, u.files[r.file], r.line]),
        f.name,
      );
      // The last row runs to the function's end.
      const last = rows[rows.length - 1];
      assert.equal(last.offset + last.size, f.address + f.size, `${f.name}: end`);
    }),
  );
}

const rows = (pairs: [number, number, number?][]) => pairs.map(([offset, line, file]) => ({ offset, line, file: file ?? 0 }));

test('line programs read back as written: every opcode kind, two units, two files', () => {
  const units: DebugUnit[] = [
    {
      files: ['a.s', 'inc/a.h'],
      functions: [
        { name: 'f', address: 0x401000, size: 40, external: true, rows: rows([[0, 7], [4, 8], [5, 100_000], [9, 3], [10, 3, 1], [30, 4, 1], [31, 9]]) },
        // An address step far past what a special opcode reaches.
        { name: 'g', address: 0x401028, size: 5000, external: false, rows: rows([[0, 20], [4000, 21], [4999, 20]]) },
      ],
    },
    { files: ['b.s'], functions: [{ name: 'h', address: 0x402000, size: 1, external: true, rows: rows([[0, 1]]) }] },
  ];
  roundTrip(units, 8, 1);
  roundTrip(units, 4, 1);
});

test('arm64: addresses advance in 4-byte instructions', () => {
  roundTrip([{ files: ['c.s'], functions: [{ name: 'k', address: 0x400000, size: 4096, external: true, rows: rows([[0, 5], [4, 6], [8, 2], [2048, 900], [4092, 901]]) }] }], 8, 4);
});

test('the sections carry what the units say: producer, names, ranges', () => {
  const out = writeDwarf([{ files: ['x.s'], functions: [{ name: 'main.main', address: 0x1000, size: 16, external: true, rows: rows([[0, 1]]) }] }], { addressSize: 8, minInstLength: 1, producer: 'asmlink', compDir: '/src' });
  const text = (name: string) => Buffer.from(out.sections.find((s) => s.name === name)!.data).toString('latin1');
  for (const s of ['asmlink', 'x.s', '/src', 'main.main']) assert.ok(text('.debug_info').includes(s + '\0'), s);
  const ranges = out.sections.find((s) => s.name === '.debug_ranges')!.data;
  const dv = new DataView(ranges.buffer, ranges.byteOffset);
  assert.deepEqual([dv.getBigUint64(0, true), dv.getBigUint64(8, true), dv.getBigUint64(16, true), dv.getBigUint64(24, true)], [0x1000n, 0x1010n, 0n, 0n]);
  // Every address field is a fixup an object must relocate: set_address, the range's two ends, the subprogram's low_pc.
  assert.equal(out.fixups.filter((f) => f.kind === 'address').length, 4);
  assert.deepEqual(out.fixups.filter((f) => f.kind === 'section').map((f) => f.kind === 'section' && f.target), ['.debug_abbrev', '.debug_line', '.debug_ranges']);
});

test('sections past the writer\'s first buffer (256 bytes) read back whole: many functions and rows', () => {
  const functions = Array.from({ length: 60 }, (_, i) => ({
    name: `pkg.function${i}`,
    address: 0x401000 + 64 * i,
    size: 64,
    external: i % 2 === 0,
    rows: rows(Array.from({ length: 12 }, (_, k) => [k * 5, 10 * i + k * (k % 3 === 0 ? 9 : 1)] as [number, number])),
  }));
  roundTrip([{ files: ['/a/long/directory/name/for/the/source/file.s'], functions }], 8, 1);
});

test('call-frame tables read back as written (amd64 and 386), past the first buffer', () => {
  for (const [cfi, addressSize] of [
    [CFI_AMD64, 8],
    [CFI_386, 4],
  ] as const) {
    const functions = Array.from({ length: 40 }, (_, i) => ({
      name: `f${i}`,
      address: 0x1000 * (i + 1),
      size: 400,
      external: true,
      rows: rows([[0, 1]]),
      frames: [
        { offset: 4, sp: 40, saved: 0, onBp: false },
        { offset: 9, sp: 40, saved: 1, onBp: false },
        { offset: 70, sp: 48, saved: 1, onBp: false },
        { offset: 200, sp: 8, saved: 1, onBp: true },
        { offset: 390, sp: 40, saved: 0, onBp: false },
        { offset: 399, sp: 0, saved: 0, onBp: false },
      ],
    }));
    const out = writeDwarf([{ files: ['x.s'], functions }], { addressSize, minInstLength: 1, producer: 't', cfi });
    const frame = out.sections.find((s) => s.name === '.debug_frame')!.data;
    assert.ok(frame.length > 256);
    const at = new Map<number, number>();
    for (const f of out.fixups) if (f.section === '.debug_frame' && f.kind === 'address') at.set(f.offset, f.fn);
    // As an object: relocations name each function, the field holds the offset in it (0).
    const got = readFrameTables(frame, addressSize, cfi, (off) => (at.has(off) ? { sym: at.get(off)!, addend: 0 } : undefined));
    functions.forEach((f, i) => assert.deepEqual(got.get(i), f.frames, f.name));
  }
});

test('read-back lines are visited with the frame changes laid over them: a row splits where its frame changes, and each part carries the frame then', () => {
  const lines = new ReadBackLines(['/a.s']);
  // offset, size, line, file
  lines.rows.push(0, 14, 6, 0, 14, 8, 7, 0, 22, 10, 13, 0);
  const frames = [
    { offset: 4, sp: 24, saved: 0, onBp: false },
    { offset: 9, sp: 24, saved: 1, onBp: false },
    { offset: 27, sp: 24, saved: 0, onBp: false },
    { offset: 31, sp: 0, saved: 0, onBp: false },
  ];
  lines.frames = frames;
  assert.deepEqual(
    heldInsts(lines).map((i) => [i.offset, i.size, i.line, i.sp, i.saved]),
    [
      [0, 4, 6, 0, 0],
      [4, 5, 6, 24, 0],
      [9, 5, 6, 24, 1],
      [14, 8, 7, 24, 1],
      [22, 5, 13, 24, 1],
      [27, 4, 13, 24, 0],
      [31, 1, 13, 0, 0],
    ],
  );
});

test('arm64 call-frame tables: FP and LR saved where DW_CFA_offset cannot say (not a multiple of 8) leave the row out', () => {
  const frame = (frames: { offset: number; sp: number; saved: number; onBp: boolean }[]) => {
    const functions = [{ name: 'f', address: 0x1000, size: 40, external: true, rows: rows([[0, 1]]), frames }];
    const out = writeDwarf([{ files: ['x.s'], functions }], { addressSize: 8, minInstLength: 4, producer: 't', cfi: CFI_ARM64 });
    const data = out.sections.find((s) => s.name === '.debug_frame')!.data;
    const at = new Map<number, number>();
    for (const f of out.fixups) if (f.section === '.debug_frame' && f.kind === 'address') at.set(f.offset, f.fn);
    return readFrameTables(data, 8, CFI_ARM64, (off) => (at.has(off) ? { sym: at.get(off)!, addend: 0 } : undefined)).get(0);
  };
  // Go's frame: SP moved by 16, then FP and LR stored at its bottom (LR at CFA-16).
  const good = [
    { offset: 4, sp: 16, saved: 0, onBp: false },
    { offset: 8, sp: 16, saved: 16, onBp: false },
    { offset: 12, sp: 0, saved: 0, onBp: false },
  ];
  assert.deepEqual(frame(good), good);
  // The same frame stored one byte lower (LR at CFA-17, as `STP (R29, R30), -1(RSP)` does): that row is left out
  // (it used to be written as CFA-16), and the next row is written as it is.
  const odd = [good[0], { ...good[1], saved: 17 }, good[2]];
  assert.deepEqual(frame(odd), [good[0], good[2]]);
});
