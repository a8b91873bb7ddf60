// The x86 instruction table, in Go's mnemonics and operand order.
//
// Each mnemonic maps to a list of forms tried in order; the first whose operand
// classes match wins, so shorter encodings come first where Go's assembler picks
// them (ADDQ $7 uses 83 /0 ib before the AX short form 05 id, which comes before
// 81 /0 id). Families that differ only in an opcode byte or a width are generated
// by small loops; every row still reads as "operands => encoding" and carries a
// worked example. Branches (JMP, Jcc, CALL, RET) are handled by the encoder
// itself because their size depends on layout.

import { compileForm, Mode, type Form } from './forms.js';

type Row = [ops: string, enc: string, mode?: Mode];

// Rows are kept as written and compiled per mnemonic on first use: a file
// uses a few dozen of the table's thousands of mnemonics, and compiling them
// all at start-up cost every small assembly (the linker assembles the
// runtime's sources at every link).
const rowsByName = new Map<string, Row[]>();
const compiled = new Map<string, Form[]>();
/** The mnemonics defined before the families defined later (defineLater), while those are being defined. */
let baseNames: ReadonlySet<string> | null = null;

function def(name: string, ...rows: Row[]): void {
  let list = rowsByName.get(name);
  if (!list) {
    list = [];
    rowsByName.set(name, list);
  } else if (baseNames !== null && baseNames.has(name)) {
    // A family defined later may not add to a mnemonic defined already: a
    // lookup of that mnemonic would not have waited for it (see defineLater).
    throw new Error(`internal: ${name} has rows in the base table and in a family defined later`);
  }
  for (const r of rows) list.push(r);
}

const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

/** Go's width suffixes for the general-purpose forms: prefix for the operand size and the immediate. */
const WIDTHS = [
  { s: 'W', p: 'o16', imm: 'i16', isz: 'iw' },
  { s: 'L', p: '', imm: 'u32', isz: 'id' },
  { s: 'Q', p: 'W', imm: 'u32', isz: 'id' },
] as const;

/** Go's condition suffixes in hardware order (cc = 0..15). */
export const CONDS = ['OS', 'OC', 'CS', 'CC', 'EQ', 'NE', 'LS', 'HI', 'MI', 'PL', 'PS', 'PC', 'LT', 'GE', 'LE', 'GT'];

// ---- Integer ALU: ADD OR ADC SBB AND SUB XOR (CMP has Go's reversed order).
// ADDB $7, AL → 04 07; ADDQ $7, R11 → 49 83 c3 07; ADDQ $0x1000, AX → 48 05 00 10 00 00;
// ADDL DX, (BX) → 01 13; ADDL (BX), DX → 03 13.
['ADD', 'OR', 'ADC', 'SBB', 'AND', 'SUB', 'XOR'].forEach((n, i) => {
  const b = i * 8;
  def(`${n}B`, ['b8,al', `${hex(b + 4)} ib`], ['b8,rm8', `80 /${i} ib`], ['r8,rm8', `${hex(b)} /r`], ['rm8,r8', `${hex(b + 2)} /r`]);
  for (const w of WIDTHS)
    def(`${n}${w.s}`,
      ['i8,rm', `${w.p} 83 /${i} ib`],
      [`${w.imm},ax`, `${w.p} ${hex(b + 5)} ${w.isz}`],
      [`${w.imm},rm`, `${w.p} 81 /${i} ${w.isz}`],
      ['r,rm', `${w.p} ${hex(b + 1)} /r`],
      ['rm,r', `${w.p} ${hex(b + 3)} /r`]);
});
// CMPQ DX, $7 → 48 83 fa 07 (Go writes the left-hand side first); CMPQ (BX), DX → 48 39 13.
def('CMPB', ['al,b8', '3C ib'], ['rm8,b8', '80 /7 ib'], ['rm8,r8', '38 /r'], ['r8,rm8', '3A /r']);
for (const w of WIDTHS)
  def(`CMP${w.s}`, ['rm,i8', `${w.p} 83 /7 ib`], [`ax,${w.imm}`, `${w.p} 3D ${w.isz}`], [`rm,${w.imm}`, `${w.p} 81 /7 ${w.isz}`],
    ['rm,r', `${w.p} 39 /r`], ['r,rm', `${w.p} 3B /r`]);
// TESTB $7, AL → a8 07; TESTQ DX, DX → 48 85 d2.
def('TESTB', ['b8,al', 'A8 ib'], ['b8,rm8', 'F6 /0 ib'], ['r8,rm8', '84 /r'], ['rm8,r8', '84 /r']);
for (const w of WIDTHS)
  def(`TEST${w.s}`, [`${w.imm},ax`, `${w.p} A9 ${w.isz}`], [`${w.imm},rm`, `${w.p} F7 /0 ${w.isz}`], ['r,rm', `${w.p} 85 /r`], ['rm,r', `${w.p} 85 /r`]);

// ---- Unary group 3/4/5: NOTQ DX → 48 f7 d2; INCL (BX) → ff 03; DIVB DL → f6 f2.
for (const [n, d] of [['NOT', 2], ['NEG', 3], ['MUL', 4], ['IMUL', 5], ['DIV', 6], ['IDIV', 7]] as const) {
  def(`${n}B`, ['rm8', `F6 /${d}`]);
  for (const w of WIDTHS) def(`${n}${w.s}`, ['rm', `${w.p} F7 /${d}`]);
}
for (const [n, d] of [['INC', 0], ['DEC', 1]] as const) {
  def(`${n}B`, ['rm8', `FE /${d}`]);
  // In 32-bit mode Go uses the one-byte 40+r / 48+r forms for INCL/DECL (INCL DX → 42); in
  // 64-bit mode those bytes are REX prefixes, so FF /d it is.
  for (const w of WIDTHS) {
    if (w.s === 'L') def(`${n}L`, ['r', `${d ? '48' : '40'}+r`, Mode.Only32]);
    def(`${n}${w.s}`, ['rm', `${w.p} FF /${d}`]);
  }
}
// IMULQ (BX), DX → 48 0f af 13; IMULQ $7, DX → 48 6b d2 07; IMUL3Q $7, (BX), DX → 48 6b 13 07.
for (const w of WIDTHS) {
  def(`IMUL${w.s}`, ['i8,r:b', `${w.p} 6B /r ib`], [`${w.imm},r:b`, `${w.p} 69 /r ${w.isz}`], ['rm,r', `${w.p} 0F AF /r`]);
  def(`IMUL3${w.s}`, ['i8,rm,r', `${w.p} 6B /r ib`], [`${w.imm},rm,r`, `${w.p} 69 /r ${w.isz}`]);
}

// ---- Shifts and rotates: SHLQ $1, DX → 48 d1 e2; SHLL $7, DX → c1 e2 07; SHLB CL, DL → d2 e2.
// Double shifts: SHLQ $7, DX, (BX) → 48 0f a4 13 07 (count, source, destination).
for (const [n, d] of [['ROL', 0], ['ROR', 1], ['RCL', 2], ['RCR', 3], ['SHL', 4], ['SAL', 4], ['SHR', 5], ['SAR', 7]] as const) {
  def(`${n}B`, ['one,rm8', `D0 /${d}`], ['u8,rm8', `C0 /${d} ib`], ['cl,rm8', `D2 /${d}`]);
  for (const w of WIDTHS) def(`${n}${w.s}`, ['one,rm', `${w.p} D1 /${d}`], ['u8,rm', `${w.p} C1 /${d} ib`], ['cl,rm', `${w.p} D3 /${d}`]);
}
for (const w of WIDTHS) {
  def(`SHL${w.s}`, ['u8,r,rm', `${w.p} 0F A4 /r ib`], ['cl,r,rm', `${w.p} 0F A5 /r`]);
  def(`SHR${w.s}`, ['u8,r,rm', `${w.p} 0F AC /r ib`], ['cl,r,rm', `${w.p} 0F AD /r`]);
}

// ---- Bit operations: BTQ $7, DX → 48 0f ba e2 07; BTSQ DX, (BX) → 48 0f ab 13.
for (const [n, d, op] of [['BT', 4, 0xa3], ['BTS', 5, 0xab], ['BTR', 6, 0xb3], ['BTC', 7, 0xbb]] as const)
  for (const w of WIDTHS) def(`${n}${w.s}`, ['u8,rm', `${w.p} 0F BA /${d} ib`], ['r,rm', `${w.p} 0F ${hex(op)} /r`]);
// BSFQ (BX), DX → 48 0f bc 13; POPCNTQ DX, DX → f3 48 0f b8 d2.
for (const w of WIDTHS) {
  def(`BSF${w.s}`, ['rm,r', `${w.p} 0F BC /r`]);
  def(`BSR${w.s}`, ['rm,r', `${w.p} 0F BD /r`]);
  def(`POPCNT${w.s}`, ['rm,r', `${w.p} F3 0F B8 /r`]);
  def(`LZCNT${w.s}`, ['rm,r', `${w.p} F3 0F BD /r`]);
  def(`TZCNT${w.s}`, ['rm,r', `${w.p} F3 0F BC /r`]);
  // CMOVQEQ (BX), DX → 48 0f 44 13.
  CONDS.forEach((c, cc) => def(`CMOV${w.s}${c}`, ['rm,r', `${w.p} 0F ${hex(0x40 + cc)} /r`]));
  // XADDQ DX, (BX) → 48 0f c1 13; CMPXCHGQ DX, (BX) → 48 0f b1 13.
  def(`XADD${w.s}`, ['r,rm', `${w.p} 0F C1 /r`]);
  def(`CMPXCHG${w.s}`, ['r,rm', `${w.p} 0F B1 /r`]);
  // XCHGQ AX, DX → 48 92; XCHGQ DX, (BX) → 48 87 13.
  def(`XCHG${w.s}`, ['ax,r', `${w.p} 90+r`], ['r,ax', `${w.p} 90+r`], ['r,rm', `${w.p} 87 /r`], ['rm,r', `${w.p} 87 /r`]);
  // MOVBEQ DX, (BX) → 48 0f 38 f1 13.
  def(`MOVBE${w.s}`, ['m,r', `${w.p} 0F 38 F0 /r`], ['r,m', `${w.p} 0F 38 F1 /r`]);
  // RDRANDQ DX → 48 0f c7 f2.
  def(`RDRAND${w.s}`, ['r', `${w.p} 0F C7 /6`]);
  def(`RDSEED${w.s}`, ['r', `${w.p} 0F C7 /7`]);
  // LEAQ 8(SP), AX → 48 8d 44 24 08.
  def(`LEA${w.s}`, ['m,r', `${w.p} 8D /r`]);
  def(`NOP${w.s}`, ['rm', `${w.p} 0F 1F /0`]);
  def(`LAR${w.s}`, ['rm,r', `${w.p} 0F 02 /r`]);
  def(`LSL${w.s}`, ['rm,r', `${w.p} 0F 03 /r`]);
}
CONDS.forEach((c, cc) => def(`SET${c}`, ['rm8', `0F ${hex(0x90 + cc)} /0`]));
def('XADDB', ['r8,rm8', '0F C0 /r']);
def('CMPXCHGB', ['r8,rm8', '0F B0 /r']);
def('XCHGB', ['r8,rm8', '86 /r'], ['rm8,r8', '86 /r']);
def('CMPXCHG8B', ['m', '0F C7 /1']);
def('CMPXCHG16B', ['m', 'W 0F C7 /1']);
// BSWAPQ R11 → 49 0f cb.
def('BSWAPL', ['r', '0F C8+r']);
def('BSWAPQ', ['r', 'W 0F C8+r']);

// ---- Moves. MOVB $7, DL → b2 07; MOVL $1, AX → b8 01 00 00 00; MOVQ $-1, AX → 48 c7 c0 ff ff ff ff;
// MOVQ $0xffffffff, AX → b8 ff ff ff ff (Go's zero-extending MOVL form); MOVQ $1<<32, AX → 48 b8 + 8 bytes.
def('MOVB', ['r8,rm8', '88 /r'], ['rm8,r8', '8A /r'], ['b8,r8', 'B0+r ib'], ['b8,rm8', 'C6 /0 ib']);
def('MOVW', ['r,rm', 'o16 89 /r'], ['rm,r', 'o16 8B /r'], ['i16,r', 'o16 B8+r iw'], ['i16,rm', 'o16 C7 /0 iw'],
  // Go moves segment registers without the operand-size prefix.
  ['seg,rm', '8C /r'], ['rm,seg', '8E /r']);
def('MOVL', ['r,rm', '89 /r'], ['rm,r', '8B /r'], ['u32,r', 'B8+r id'], ['u32,rm', 'C7 /0 id'],
  // MOVL DX, X2 → 66 0f 6e d2; MOVL X2, DX → 66 0f 7e d2 (MOVD).
  ['rm,x', '66 0F 6E /r'], ['x,rm', '66 0F 7E /r'],
  ['rm,mm', '0F 6E /r'], ['mm,rm', '0F 7E /r'],
  ['cr,r:m', '0F 20 /r', Mode.Only32], ['r:m,cr', '0F 22 /r', Mode.Only32],
  ['dr,r:m', '0F 21 /r', Mode.Only32], ['r:m,dr', '0F 23 /r', Mode.Only32]);
def('MOVQ', ['r,rm', 'W 89 /r', Mode.Only64], ['rm,r', 'W 8B /r', Mode.Only64],
  // To a register, a constant that sign-extension cannot give but zero-extension can is a MOVL (Go's rewrite);
  // to memory, as Go, any 32-bit pattern, which the CPU sign-extends.
  ['s32,r', 'W C7 /0 id', Mode.Only64], ['u32,r', 'B8+r id', Mode.Only64], ['u32,m', 'W C7 /0 id', Mode.Only64], ['i64,r', 'W B8+r iq', Mode.Only64],
  // MOVQ DX, X2 → 66 48 0f 6e d2; MOVQ X2, DX → 66 48 0f 7e d2; MOVQ (BX), X2 → f3 0f 7e 13; MOVQ X2, (BX) → 66 0f d6 13.
  ['r:m,x', '66 W 0F 6E /r', Mode.Only64], ['x,r:m', '66 W 0F 7E /r', Mode.Only64],
  ['xm,x', 'F3 0F 7E /r'], ['x,m', '66 0F D6 /r'],
  // Between two MMX registers Go uses the general-register form: MOVQ M2, M2 → 48 0f 6e d2.
  ['mm:m,mm', 'W 0F 6E /r', Mode.Only64],
  ['mmm,mm', '0F 6F /r'], ['mm,mmm', '0F 7F /r'],
  ['r:m,mm', 'W 0F 6E /r', Mode.Only64], ['mm,r:m', 'W 0F 7E /r', Mode.Only64],
  ['cr,r:m', '0F 20 /r', Mode.Only64], ['r:m,cr', '0F 22 /r', Mode.Only64],
  ['dr,r:m', '0F 21 /r', Mode.Only64], ['r:m,dr', '0F 23 /r', Mode.Only64]);
// Sign and zero extension: MOVBQZX DL, DX → 48 0f b6 d2; MOVLQSX (BX), DX → 48 63 13.
def('MOVBWSX', ['rm8,r', 'o16 0F BE /r']);
def('MOVBWZX', ['rm8,r', 'o16 0F B6 /r']);
def('MOVBLSX', ['rm8,r', '0F BE /r']);
def('MOVBLZX', ['rm8,r', '0F B6 /r']);
def('MOVBQSX', ['rm8,r', 'W 0F BE /r']);
def('MOVBQZX', ['rm8,r', 'W 0F B6 /r']);
def('MOVWLSX', ['rm,r', '0F BF /r']);
def('MOVWLZX', ['rm,r', '0F B7 /r']);
def('MOVWQSX', ['rm,r', 'W 0F BF /r']);
def('MOVWQZX', ['rm,r', 'W 0F B7 /r']);
def('MOVLQSX', ['rm,r', 'W 63 /r']);
// Go spells the implicit zero extension of a 32-bit move MOVLQZX: 8b /r.
def('MOVLQZX', ['rm,r', '8B /r']);
def('MOVNTIL', ['r,m', '0F C3 /r']);
def('MOVNTIQ', ['r,m', 'W 0F C3 /r']);

// ---- Stack. PUSHQ DX → 52; PUSHQ $7 → 6a 07; PUSHQ (BX) → ff 33; POPQ R11 → 41 5b.
def('PUSHQ', ['r', '50+r', Mode.Only64], ['i8', '6A ib', Mode.Only64], ['u32', '68 id', Mode.Only64], ['rm', 'FF /6', Mode.Only64],
  ['fs', '0F A0', Mode.Only64], ['gs', '0F A8', Mode.Only64]);
def('POPQ', ['r', '58+r', Mode.Only64], ['rm', '8F /0', Mode.Only64], ['fs', '0F A1', Mode.Only64], ['gs', '0F A9', Mode.Only64]);
// 32-bit mode has one-byte pushes and pops of ES, CS, SS, DS: PUSHL SS → 16.
def('PUSHL', ['fs', '0F A0', Mode.Only32], ['gs', '0F A8', Mode.Only32], ['seg', '06+s', Mode.Only32]);
def('POPL', ['fs', '0F A1', Mode.Only32], ['gs', '0F A9', Mode.Only32], ['seg', '07+s', Mode.Only32]);
def('PUSHL', ['r', '50+r', Mode.Only32], ['i8', '6A ib', Mode.Only32], ['u32', '68 id', Mode.Only32], ['rm', 'FF /6', Mode.Only32],
  ['fs', '0F A0', Mode.Only32], ['gs', '0F A8', Mode.Only32]);
def('POPL', ['r', '58+r', Mode.Only32], ['rm', '8F /0', Mode.Only32], ['fs', '0F A1', Mode.Only32], ['gs', '0F A9', Mode.Only32]);
def('PUSHW', ['r', 'o16 50+r'], ['i8', 'o16 6A ib'], ['i16', 'o16 68 iw'], ['rm', 'o16 FF /6'], ['fs', 'o16 0F A0'], ['gs', 'o16 0F A8']);
def('POPW', ['r', 'o16 58+r'], ['rm', 'o16 8F /0'], ['fs', 'o16 0F A1'], ['gs', 'o16 0F A9']);
def('PUSHFQ', ['', '9C', Mode.Only64]);
def('POPFQ', ['', '9D', Mode.Only64]);
def('PUSHFL', ['', '9C', Mode.Only32]);
def('POPFL', ['', '9D', Mode.Only32]);
def('PUSHFW', ['', 'o16 9C']);
def('POPFW', ['', 'o16 9D']);
def('PUSHAL', ['', '60', Mode.Only32]);
def('POPAL', ['', '61', Mode.Only32]);
def('PUSHAW', ['', 'o16 60', Mode.Only32]);
def('POPAW', ['', 'o16 61', Mode.Only32]);
def('LEAVEQ', ['', 'C9', Mode.Only64]);
def('LEAVEL', ['', 'C9', Mode.Only32]);
def('LEAVEW', ['', 'o16 C9']);

// ---- Sign extension of the accumulator: CQO → 48 99; CDQ → 99; CWD → 66 99; CBW → 66 98; CWDE → 98; CDQE → 48 98.
def('CQO', ['', 'W 99', Mode.Only64]);
def('CDQ', ['', '99']);
def('CWD', ['', 'o16 99']);
def('CBW', ['', 'o16 98']);
def('CWDE', ['', '98']);
def('CDQE', ['', 'W 98', Mode.Only64]);

// ---- String instructions and prefixes (Go writes REP/REPN/LOCK as statements of their own).
// MOVSQ → 48 a5; STOSB → aa; REP → f3.
for (const [n, b] of [['MOVS', 0xa4], ['CMPS', 0xa6], ['STOS', 0xaa], ['LODS', 0xac], ['SCAS', 0xae], ['INS', 0x6c], ['OUTS', 0x6e]] as const) {
  def(`${n}B`, ['', hex(b)]);
  def(`${n}W`, ['', `o16 ${hex(b + 1)}`]);
  def(`${n}L`, ['', hex(b + 1)]);
  if (n !== 'INS' && n !== 'OUTS') def(`${n}Q`, ['', `W ${hex(b + 1)}`, Mode.Only64]);
}
def('REP', ['', 'F3']);
def('REPE', ['', 'F3']);
def('REPN', ['', 'F2']);
def('REPNE', ['', 'F2']);
def('LOCK', ['', 'F0']);
def('XACQUIRE', ['', 'F2']);
def('XRELEASE', ['', 'F3']);
def('XLAT', ['', 'D7']);

// ---- System and miscellaneous. SYSCALL → 0f 05; CPUID → 0f a2; INT $0x80 → cd 80.
for (const [n, enc, mode] of [
  ['CPUID', '0F A2'], ['RDTSC', '0F 31'], ['RDTSCP', '0F 01 F9'], ['SYSCALL', '0F 05'], ['SYSRET', '0F 07'],
  ['SYSENTER', '0F 34'], ['SYSEXIT', '0F 35'], ['SYSENTER64', 'W 0F 34', Mode.Only64], ['SYSEXIT64', 'W 0F 35', Mode.Only64],
  ['HLT', 'F4'], ['CLD', 'FC'], ['STD', 'FD'], ['CLC', 'F8'], ['STC', 'F9'], ['CMC', 'F5'], ['CLI', 'FA'], ['STI', 'FB'],
  ['MFENCE', '0F AE F0'], ['LFENCE', '0F AE E8'], ['SFENCE', '0F AE F8'], ['PAUSE', 'F3 90'],
  ['XGETBV', '0F 01 D0'], ['XSETBV', '0F 01 D1'], ['UD2', '0F 0B'], ['UNDEF', '0F 0B'], ['ICEBP', 'F1'], ['LAHF', '9F'], ['SAHF', '9E'],
  ['EMMS', '0F 77'], ['RDMSR', '0F 32'], ['WRMSR', '0F 30'], ['RDPMC', '0F 33'], ['WBINVD', '0F 09'], ['INVD', '0F 08'],
  ['SWAPGS', '0F 01 F8', Mode.Only64], ['RSM', '0F AA'], ['CLTS', '0F 06'], ['CLAC', '0F 01 CA'], ['STAC', '0F 01 CB'],
  ['MONITOR', '0F 01 C8'], ['MWAIT', '0F 01 C9'], ['XEND', '0F 01 D5'], ['XTEST', '0F 01 D6'],
  ['RDPKRU', '0F 01 EE'], ['WRPKRU', '0F 01 EF'], ['IRETL', 'CF'], ['IRETQ', 'W CF', Mode.Only64], ['IRETW', 'o16 CF'],
  ['VZEROUPPER', 'C5 F8 77'], ['VZEROALL', 'C5 FC 77'], ['FWAIT', '9B'], ['WAIT', '9B'], ['INTO', 'CE', Mode.Only32],
  ['AAA', '37', Mode.Only32], ['AAS', '3F', Mode.Only32], ['DAA', '27', Mode.Only32], ['DAS', '2F', Mode.Only32],
] as [string, string, Mode?][])
  def(n, ['', enc, mode]);
// Go encodes INT $3 as cd 03, not the one-byte cc.
def('INT', ['u8', 'CD ib']);
def('UD1', ['rm,r', '0F B9 /r'], ['', '0F B9']);
def('XABORT', ['u8', 'C6 F8 ib']);
// PREFETCHT0 (BX) → 0f 18 0b; CLFLUSH (BX) → 0f ae 3b; LDMXCSR (BX) → 0f ae 13.
for (const [n, enc] of [
  ['PREFETCHNTA', '0F 18 /0'], ['PREFETCHT0', '0F 18 /1'], ['PREFETCHT1', '0F 18 /2'], ['PREFETCHT2', '0F 18 /3'],
  ['PREFETCHW', '0F 0D /1'], ['CLFLUSH', '0F AE /7'], ['CLFLUSHOPT', '66 0F AE /7'], ['LDMXCSR', '0F AE /2'], ['STMXCSR', '0F AE /3'],
  ['FXSAVE', '0F AE /0'], ['FXRSTOR', '0F AE /1'], ['FXSAVE64', 'W 0F AE /0'], ['FXRSTOR64', 'W 0F AE /1'],
  ['XSAVE', '0F AE /4'], ['XRSTOR', '0F AE /5'], ['XSAVEOPT', '0F AE /6'], ['XSAVEC', '0F C7 /4'], ['XSAVES', '0F C7 /5'], ['XRSTORS', '0F C7 /3'],
  ['XSAVE64', 'W 0F AE /4'], ['XRSTOR64', 'W 0F AE /5'], ['XSAVEOPT64', 'W 0F AE /6'], ['XSAVEC64', 'W 0F C7 /4'],
  ['XSAVES64', 'W 0F C7 /5'], ['XRSTORS64', 'W 0F C7 /3'], ['INVLPG', '0F 01 /7'], ['LGDT', '0F 01 /2'], ['LIDT', '0F 01 /3'],
  ['SGDT', '0F 01 /0'], ['SIDT', '0F 01 /1'], ['FLDCW', 'D9 /5'], ['FSTCW', 'D9 /7'], ['FNSTCW', 'D9 /7'],
  ['FLDENV', 'D9 /4'], ['FSTENV', 'D9 /6'], ['FXSAVEQ', 'W 0F AE /0'],
] as const)
  def(n, ['m', enc]);
def('LLDT', ['rm', '0F 00 /2']);
def('LTR', ['rm', '0F 00 /3']);
def('VERR', ['rm', '0F 00 /4']);
def('VERW', ['rm', '0F 00 /5']);
def('LMSW', ['rm', '0F 01 /6']);
for (const w of WIDTHS) {
  def(`SLDT${w.s}`, ['rm', `${w.p} 0F 00 /0`]);
  def(`STR${w.s}`, ['rm', `${w.p} 0F 00 /1`]);
  def(`SMSW${w.s}`, ['rm', `${w.p} 0F 01 /4`]);
}
def('INVPCID', ['m,r', '66 0F 38 82 /r', Mode.Only64]);
for (const [n, d] of [['RDFSBASE', 0], ['RDGSBASE', 1], ['WRFSBASE', 2], ['WRGSBASE', 3]] as const) {
  def(`${n}L`, ['r', `F3 0F AE /${d}`, Mode.Only64]);
  def(`${n}Q`, ['r', `F3 W 0F AE /${d}`, Mode.Only64]);
}
// CRC32Q DX, R11 → f2 4c 0f 38 f1 da.
def('CRC32B', ['rm8,r', 'F2 0F 38 F0 /r']);
def('CRC32W', ['rm,r', 'o16 F2 0F 38 F1 /r']);
def('CRC32L', ['rm,r', 'F2 0F 38 F1 /r']);
def('CRC32Q', ['rm,r', 'F2 W 0F 38 F1 /r', Mode.Only64]);
// ADCXQ DX, R11 → 66 4c 0f 38 f6 da.
def('ADCXL', ['rm,r', '66 0F 38 F6 /r']);
def('ADCXQ', ['rm,r', '66 W 0F 38 F6 /r', Mode.Only64]);
def('ADOXL', ['rm,r', 'F3 0F 38 F6 /r']);
def('ADOXQ', ['rm,r', 'F3 W 0F 38 F6 /r', Mode.Only64]);

// ---- BMI1/BMI2 (VEX-encoded general-purpose): ANDNQ (BX), R14, DX → c4 e2 88 f2 13.
for (const [s, w] of [['L', 'W0'], ['Q', 'W1']] as const) {
  def(`ANDN${s}`, ['rm,r:v,r', `V.128.NP.0F38.${w} F2 /r`]);
  def(`BEXTR${s}`, ['r:v,rm,r', `V.128.NP.0F38.${w} F7 /r`]);
  def(`BZHI${s}`, ['r:v,rm,r', `V.128.NP.0F38.${w} F5 /r`]);
  def(`SARX${s}`, ['r:v,rm,r', `V.128.F3.0F38.${w} F7 /r`]);
  def(`SHLX${s}`, ['r:v,rm,r', `V.128.66.0F38.${w} F7 /r`]);
  def(`SHRX${s}`, ['r:v,rm,r', `V.128.F2.0F38.${w} F7 /r`]);
  def(`PDEP${s}`, ['rm,r:v,r', `V.128.F2.0F38.${w} F5 /r`]);
  def(`PEXT${s}`, ['rm,r:v,r', `V.128.F3.0F38.${w} F5 /r`]);
  def(`MULX${s}`, ['rm,r:v,r', `V.128.F2.0F38.${w} F6 /r`]);
  def(`RORX${s}`, ['b8,rm,r', `V.128.F2.0F3A.${w} F0 /r ib`]);
  def(`BLSI${s}`, ['rm,r:v', `V.128.NP.0F38.${w} F3 /3`]);
  def(`BLSMSK${s}`, ['rm,r:v', `V.128.NP.0F38.${w} F3 /2`]);
  def(`BLSR${s}`, ['rm,r:v', `V.128.NP.0F38.${w} F3 /1`]);
}

// ---- SSE/SSE2 floating point, "xm, x" (source, destination): ADDSD X1, X0 → f2 0f 58 c1.
const FP: [string, number][] = [
  ['ADD', 0x58], ['MUL', 0x59], ['SUB', 0x5c], ['MIN', 0x5d], ['DIV', 0x5e], ['MAX', 0x5f], ['SQRT', 0x51],
];
for (const [n, op] of FP) {
  def(`${n}PS`, ['xm,x', `0F ${hex(op)} /r`]);
  def(`${n}PD`, ['xm,x', `66 0F ${hex(op)} /r`]);
  def(`${n}SS`, ['xm,x', `F3 0F ${hex(op)} /r`]);
  def(`${n}SD`, ['xm,x', `F2 0F ${hex(op)} /r`]);
}
const SSE_XMX: [string, string][] = [
  ['ANDPS', '0F 54'], ['ANDPD', '66 0F 54'], ['ANDNPS', '0F 55'], ['ANDNPD', '66 0F 55'], ['ORPS', '0F 56'], ['ORPD', '66 0F 56'],
  ['XORPS', '0F 57'], ['XORPD', '66 0F 57'], ['UNPCKLPS', '0F 14'], ['UNPCKLPD', '66 0F 14'], ['UNPCKHPS', '0F 15'], ['UNPCKHPD', '66 0F 15'],
  ['RSQRTPS', '0F 52'], ['RSQRTSS', 'F3 0F 52'], ['RCPPS', '0F 53'], ['RCPSS', 'F3 0F 53'],
  ['UCOMISS', '0F 2E'], ['UCOMISD', '66 0F 2E'], ['COMISS', '0F 2F'], ['COMISD', '66 0F 2F'],
  ['CVTPD2PL', 'F2 0F E6'], ['CVTPD2PS', '66 0F 5A'], ['CVTPL2PD', 'F3 0F E6'], ['CVTPL2PS', '0F 5B'], ['CVTPS2PD', '0F 5A'],
  ['CVTPS2PL', '66 0F 5B'], ['CVTSD2SS', 'F2 0F 5A'], ['CVTSS2SD', 'F3 0F 5A'], ['CVTTPD2PL', '66 0F E6'], ['CVTTPS2PL', 'F3 0F 5B'],
  ['HADDPD', '66 0F 7C'], ['HADDPS', 'F2 0F 7C'], ['HSUBPD', '66 0F 7D'], ['HSUBPS', 'F2 0F 7D'], ['ADDSUBPD', '66 0F D0'], ['ADDSUBPS', 'F2 0F D0'],
  ['MOVDDUP', 'F2 0F 12'], ['MOVSHDUP', 'F3 0F 16'], ['MOVSLDUP', 'F3 0F 12'],
  ['PSHUFB', '66 0F 38 00'], ['PHADDW', '66 0F 38 01'], ['PHADDD', '66 0F 38 02'], ['PHADDSW', '66 0F 38 03'], ['PMADDUBSW', '66 0F 38 04'],
  ['PHSUBW', '66 0F 38 05'], ['PHSUBD', '66 0F 38 06'], ['PHSUBSW', '66 0F 38 07'], ['PSIGNB', '66 0F 38 08'], ['PSIGNW', '66 0F 38 09'],
  ['PSIGND', '66 0F 38 0A'], ['PMULHRSW', '66 0F 38 0B'], ['PABSB', '66 0F 38 1C'], ['PABSW', '66 0F 38 1D'], ['PABSD', '66 0F 38 1E'],
  ['PTEST', '66 0F 38 17'], ['PMOVSXBW', '66 0F 38 20'], ['PMOVSXBD', '66 0F 38 21'], ['PMOVSXBQ', '66 0F 38 22'], ['PMOVSXWD', '66 0F 38 23'],
  ['PMOVSXWQ', '66 0F 38 24'], ['PMOVSXDQ', '66 0F 38 25'], ['PMULDQ', '66 0F 38 28'], ['PCMPEQQ', '66 0F 38 29'], ['PACKUSDW', '66 0F 38 2B'],
  ['PMOVZXBW', '66 0F 38 30'], ['PMOVZXBD', '66 0F 38 31'], ['PMOVZXBQ', '66 0F 38 32'], ['PMOVZXWD', '66 0F 38 33'], ['PMOVZXWQ', '66 0F 38 34'],
  ['PMOVZXDQ', '66 0F 38 35'], ['PCMPGTQ', '66 0F 38 37'], ['PMINSB', '66 0F 38 38'], ['PMINSD', '66 0F 38 39'], ['PMINUW', '66 0F 38 3A'],
  ['PMINUD', '66 0F 38 3B'], ['PMAXSB', '66 0F 38 3C'], ['PMAXSD', '66 0F 38 3D'], ['PMAXUW', '66 0F 38 3E'], ['PMAXUD', '66 0F 38 3F'],
  ['PMULLD', '66 0F 38 40'], ['PHMINPOSUW', '66 0F 38 41'], ['AESIMC', '66 0F 38 DB'], ['AESENC', '66 0F 38 DC'], ['AESENCLAST', '66 0F 38 DD'],
  ['AESDEC', '66 0F 38 DE'], ['AESDECLAST', '66 0F 38 DF'], ['PUNPCKHQDQ', '66 0F 6D'], ['PUNPCKLQDQ', '66 0F 6C'],
  ['SHA1MSG1', '0F 38 C9'], ['SHA1MSG2', '0F 38 CA'], ['SHA1NEXTE', '0F 38 C8'], ['SHA256MSG1', '0F 38 CC'], ['SHA256MSG2', '0F 38 CD'],
];
for (const [n, enc] of SSE_XMX) def(n, ['xm,x', `${enc} /r`]);
// SHA256RNDS2 X0, (BX), X2 → 0f 38 cb 13 (X0 implicit).
def('SHA256RNDS2', ['x0,xm,x', '0F 38 CB /r']);
def('SHA1RNDS4', ['u8,xm,x', '0F 3A CC /r ib']);
// BLENDVPS X0, (BX), X2 → 66 0f 38 14 13 (X0 implicit).
def('PBLENDVB', ['x0,xm,x', '66 0F 38 10 /r']);
def('BLENDVPS', ['x0,xm,x', '66 0F 38 14 /r']);
def('BLENDVPD', ['x0,xm,x', '66 0F 38 15 /r']);
def('MOVNTDQA', ['m,x', '66 0F 38 2A /r']);
def('LDDQU', ['m,x', 'F2 0F F0 /r']);
// CVTSQ2SD DX, X2 → f2 48 0f 2a d2; CVTTSD2SQ X2, DX → f2 48 0f 2c d2.
def('CVTSL2SD', ['rm,x', 'F2 0F 2A /r']);
def('CVTSQ2SD', ['rm,x', 'F2 W 0F 2A /r', Mode.Only64]);
def('CVTSL2SS', ['rm,x', 'F3 0F 2A /r']);
def('CVTSQ2SS', ['rm,x', 'F3 W 0F 2A /r', Mode.Only64]);
def('CVTSD2SL', ['xm,r', 'F2 0F 2D /r']);
def('CVTSD2SQ', ['xm,r', 'F2 W 0F 2D /r', Mode.Only64]);
def('CVTTSD2SL', ['xm,r', 'F2 0F 2C /r']);
def('CVTTSD2SQ', ['xm,r', 'F2 W 0F 2C /r', Mode.Only64]);
def('CVTSS2SL', ['xm,r', 'F3 0F 2D /r']);
def('CVTSS2SQ', ['xm,r', 'F3 W 0F 2D /r', Mode.Only64]);
def('CVTTSS2SL', ['xm,r', 'F3 0F 2C /r']);
def('CVTTSS2SQ', ['xm,r', 'F3 W 0F 2C /r', Mode.Only64]);
// MOVMSKPS X2, DX → 0f 50 d2; PMOVMSKB X2, DX → 66 0f d7 d2.
def('MOVMSKPS', ['x:m,r', '0F 50 /r']);
def('MOVMSKPD', ['x:m,r', '66 0F 50 /r']);
def('PMOVMSKB', ['x:m,r', '66 0F D7 /r'], ['mm:m,r', '0F D7 /r']);
// Shuffles with an immediate first: PSHUFD $7, X2, X11 → 66 44 0f 70 da 07.
for (const [n, enc] of [
  ['PSHUFD', '66 0F 70'], ['PSHUFL', '66 0F 70'], ['PSHUFHW', 'F3 0F 70'], ['PSHUFLW', 'F2 0F 70'], ['SHUFPS', '0F C6'], ['SHUFPD', '66 0F C6'],
  ['ROUNDPS', '66 0F 3A 08'], ['ROUNDPD', '66 0F 3A 09'], ['ROUNDSS', '66 0F 3A 0A'], ['ROUNDSD', '66 0F 3A 0B'],
  ['BLENDPS', '66 0F 3A 0C'], ['BLENDPD', '66 0F 3A 0D'], ['PBLENDW', '66 0F 3A 0E'], ['PALIGNR', '66 0F 3A 0F'],
  ['INSERTPS', '66 0F 3A 21'], ['DPPS', '66 0F 3A 40'], ['DPPD', '66 0F 3A 41'], ['MPSADBW', '66 0F 3A 42'], ['PCLMULQDQ', '66 0F 3A 44'],
  ['PCMPESTRM', '66 0F 3A 60'], ['PCMPESTRI', '66 0F 3A 61'], ['PCMPISTRM', '66 0F 3A 62'], ['PCMPISTRI', '66 0F 3A 63'],
  ['AESKEYGENASSIST', '66 0F 3A DF'],
] as const)
  def(n, ['u8,xm,x', `${enc} /r ib`]);
def('PSHUFW', ['u8,mmm,mm', '0F 70 /r ib']);
// Go puts the predicate of CMPPS last: CMPPS X2, X11, $7 → 44 0f c2 da 07.
def('CMPPS', ['xm,x,u8', '0F C2 /r ib']);
def('CMPPD', ['xm,x,u8', '66 0F C2 /r ib']);
def('CMPSS', ['xm,x,u8', 'F3 0F C2 /r ib']);
def('CMPSD', ['xm,x,u8', 'F2 0F C2 /r ib'], ['', 'A7']);
// PINSRQ $7, DX, X2 → 66 48 0f 3a 22 d2 07; PEXTRQ $7, X2, DX → 66 48 0f 3a 16 d2 07.
def('PINSRB', ['u8,rm,x', '66 0F 3A 20 /r ib']);
def('PINSRW', ['u8,rm,x', '66 0F C4 /r ib'], ['u8,rm,mm', '0F C4 /r ib']);
def('PINSRD', ['u8,rm,x', '66 0F 3A 22 /r ib']);
def('PINSRQ', ['u8,rm,x', '66 W 0F 3A 22 /r ib', Mode.Only64]);
def('PEXTRB', ['u8,x,rm', '66 0F 3A 14 /r ib']);
def('PEXTRW', ['u8,x:m,r', '66 0F C5 /r ib'], ['u8,x,m', '66 0F 3A 15 /r ib'], ['u8,mm:m,r', '0F C5 /r ib']);
def('PEXTRD', ['u8,x,rm', '66 0F 3A 16 /r ib']);
def('PEXTRQ', ['u8,x,rm', '66 W 0F 3A 16 /r ib', Mode.Only64]);
def('EXTRACTPS', ['u8,x,rm', '66 0F 3A 17 /r ib']);
// Moves with load and store forms: MOVUPS (BX), X2 → 0f 10 13; MOVUPS X2, (BX) → 0f 11 13.
for (const [n, p, ld, st] of [
  ['MOVUPS', '', 0x10, 0x11], ['MOVUPD', '66', 0x10, 0x11], ['MOVSS', 'F3', 0x10, 0x11], ['MOVSD', 'F2', 0x10, 0x11],
  ['MOVAPS', '', 0x28, 0x29], ['MOVAPD', '66', 0x28, 0x29], ['MOVO', '66', 0x6f, 0x7f], ['MOVOA', '66', 0x6f, 0x7f], ['MOVOU', 'F3', 0x6f, 0x7f],
] as const)
  def(n, ['xm,x', `${p} 0F ${hex(ld)} /r`], ['x,xm', `${p} 0F ${hex(st)} /r`]);
def('MOVSD', ['', 'A5']);
def('MOVHLPS', ['x,x', '0F 12 /r']);
def('MOVLHPS', ['x,x', '0F 16 /r']);
def('MOVHPS', ['m,x', '0F 16 /r'], ['x,m', '0F 17 /r']);
def('MOVLPS', ['m,x', '0F 12 /r'], ['x,m', '0F 13 /r']);
def('MOVHPD', ['m,x', '66 0F 16 /r'], ['x,m', '66 0F 17 /r']);
def('MOVLPD', ['m,x', '66 0F 12 /r'], ['x,m', '66 0F 13 /r']);
def('MOVNTO', ['x,m', '66 0F E7 /r']);
def('MOVNTDQ', ['x,m', '66 0F E7 /r']);
def('MOVNTPS', ['x,m', '0F 2B /r']);
def('MOVNTPD', ['x,m', '66 0F 2B /r']);
def('MOVNTQ', ['mm,m', '0F E7 /r']);
def('MASKMOVOU', ['x:m,x', '66 0F F7 /r']);
def('MASKMOVDQU', ['x:m,x', '66 0F F7 /r']);
def('MASKMOVQ', ['mm:m,mm', '0F F7 /r']);
// MOVQOZX M2, X2 → f3 0f d6 d2 (MOVQ2DQ); MOVOQ? Go has none.
def('MOVQOZX', ['mm:m,x', 'F3 0F D6 /r']);

// ---- Integer SIMD with both MMX (M0-M7) and XMM forms: PXOR X1, X0 → 66 0f ef c1; PADDQ M1, M0 → 0f d4 c1.
const MMX_XMM: [string, number][] = [
  ['PACKSSLW', 0x6b], ['PACKSSWB', 0x63], ['PACKUSWB', 0x67], ['PADDB', 0xfc], ['PADDW', 0xfd], ['PADDL', 0xfe], ['PADDQ', 0xd4],
  ['PADDSB', 0xec], ['PADDSW', 0xed], ['PADDUSB', 0xdc], ['PADDUSW', 0xdd], ['PAND', 0xdb], ['PANDN', 0xdf], ['PAVGB', 0xe0],
  ['PAVGW', 0xe3], ['PCMPEQB', 0x74], ['PCMPEQW', 0x75], ['PCMPEQL', 0x76], ['PCMPGTB', 0x64], ['PCMPGTW', 0x65], ['PCMPGTL', 0x66],
  ['PMADDWL', 0xf5], ['PMAXSW', 0xee], ['PMAXUB', 0xde], ['PMINSW', 0xea], ['PMINUB', 0xda], ['PMULHUW', 0xe4], ['PMULHW', 0xe5],
  ['PMULLW', 0xd5], ['PMULULQ', 0xf4], ['POR', 0xeb], ['PSADBW', 0xf6], ['PSUBB', 0xf8], ['PSUBW', 0xf9], ['PSUBL', 0xfa],
  ['PSUBQ', 0xfb], ['PSUBSB', 0xe8], ['PSUBSW', 0xe9], ['PSUBUSB', 0xd8], ['PSUBUSW', 0xd9], ['PUNPCKHBW', 0x68], ['PUNPCKHWL', 0x69],
  ['PUNPCKHLQ', 0x6a], ['PUNPCKLBW', 0x60], ['PUNPCKLWL', 0x61], ['PUNPCKLLQ', 0x62], ['PXOR', 0xef],
];
for (const [n, op] of MMX_XMM) def(n, ['xm,x', `66 0F ${hex(op)} /r`], ['mmm,mm', `0F ${hex(op)} /r`]);
// PSLLQ $7, X2 → 66 0f 73 f2 07; PSLLQ X1, X2 → 66 0f f3 d1.
for (const [n, op, grp, d] of [
  ['PSLLW', 0xf1, 0x71, 6], ['PSLLL', 0xf2, 0x72, 6], ['PSLLQ', 0xf3, 0x73, 6], ['PSRLW', 0xd1, 0x71, 2], ['PSRLL', 0xd2, 0x72, 2],
  ['PSRLQ', 0xd3, 0x73, 2], ['PSRAW', 0xe1, 0x71, 4], ['PSRAL', 0xe2, 0x72, 4],
] as const)
  def(n, ['u8,x', `66 0F ${hex(grp)} /${d} ib`], ['xm,x', `66 0F ${hex(op)} /r`], ['u8,mm', `0F ${hex(grp)} /${d} ib`], ['mmm,mm', `0F ${hex(op)} /r`]);
def('PSLLO', ['u8,x', '66 0F 73 /7 ib']);
def('PSRLO', ['u8,x', '66 0F 73 /3 ib']);
def('PSLLDQ', ['u8,x', '66 0F 73 /7 ib']);
def('PSRLDQ', ['u8,x', '66 0F 73 /3 ib']);

// Segment-register loads and Go's 16-bit extension names: LSSW (BX), DX → 66 0f b2 13; MOVZWW DX, DX → 66 0f b7 d2.
for (const w of WIDTHS) {
  def(`LSS${w.s}`, ['m,r', `${w.p} 0F B2 /r`]);
  def(`LFS${w.s}`, ['m,r', `${w.p} 0F B4 /r`]);
  def(`LGS${w.s}`, ['m,r', `${w.p} 0F B5 /r`]);
}
def('MOVZWW', ['rm,r', 'o16 0F B7 /r']);
def('MOVSWW', ['rm,r', 'o16 0F BF /r']);
// SSSE3 on MMX registers: PHADDD M3, M2 → 0f 38 02 d3.
for (const [n, enc] of SSE_XMX) if (enc.startsWith('66 0F 38 ') && /^P(SHUFB|HADD|HSUB|MADDUBSW|SIGN|MULHRSW|ABS)/.test(n)) def(n, ['mmm,mm', `${enc.slice(3)} /r`]);
def('PALIGNR', ['u8,mmm,mm', '0F 3A 0F /r ib']);
def('MOVQ', ['x:m,mm', 'F2 0F D6 /r']);

// ---- x87 (Go's F-mnemonics; the stack top is F0; Go never adds the FWAIT prefix, so FSTCW is FNSTCW). FADDD F2, F0 → d8 c2; FADDD F0, F2 → dc c2; FCHS → d9 e0.
for (const [n, enc] of [
  ['F2XM1', 'D9 F0'], ['FABS', 'D9 E1'], ['FCHS', 'D9 E0'], ['FCOS', 'D9 FF'], ['FDECSTP', 'D9 F6'], ['FINCSTP', 'D9 F7'], ['FLD1', 'D9 E8'],
  ['FLDL2E', 'D9 EA'], ['FLDL2T', 'D9 E9'], ['FLDLG2', 'D9 EC'], ['FLDPI', 'D9 EB'], ['FLDZ', 'D9 EE'], ['FNOP', 'D9 D0'], ['FPATAN', 'D9 F3'],
  ['FPREM', 'D9 F8'], ['FPREM1', 'D9 F5'], ['FPTAN', 'D9 F2'], ['FRNDINT', 'D9 FC'], ['FSCALE', 'D9 FD'], ['FSIN', 'D9 FE'], ['FSINCOS', 'D9 FB'],
  ['FSQRT', 'D9 FA'], ['FTST', 'D9 E4'], ['FXAM', 'D9 E5'], ['FXTRACT', 'D9 F4'], ['FYL2X', 'D9 F1'], ['FYL2XP1', 'D9 F9'],
  ['FCLEX', 'DB E2'], ['FNCLEX', 'DB E2'], ['FINIT', 'DB E3'], ['FNINIT', 'DB E3'], ['FUCOMPP', 'DA E9'], ['FCOMPP', 'DE D9'],
] as const)
  def(n, ['', enc]);
def('FBLD', ['m', 'DF /4']);
def('FBSTP', ['m', 'DF /6']);
// Register-stack arithmetic: "Fi, F0" uses D8 /digit with rm = i; "F0, Fi" uses DC; the P forms pop.
for (const [n, d, dr] of [['FADD', 0, 0], ['FMUL', 1, 1], ['FSUB', 4, 5], ['FSUBR', 5, 4], ['FDIV', 6, 7], ['FDIVR', 7, 6]] as const) {
  def(`${n}D`, ['f:m,f0', `D8 /${d}`], ['f0,f:m', `DC /${dr}`], ['m,f0', `DC /${d}`]);
  def(`${n}F`, ['m,f0', `D8 /${d}`]);
  def(`${n}DP`, ['f0,f:m', `DE /${dr}`]);
  def(`${n}L`, ['m,f0', `DA /${d}`]);
  def(`${n}W`, ['m,f0', `DE /${d}`]);
}
def('FCOMD', ['f:m,f0', 'D8 /2'], ['m,f0', 'DC /2']);
def('FCOMF', ['m,f0', 'D8 /2']);
def('FCOMDP', ['f:m,f0', 'D8 /3'], ['m,f0', 'DC /3']);
def('FCOMFP', ['m,f0', 'D8 /3']);
def('FCOMI', ['f:m,f0', 'DB /6']);
def('FCOMIP', ['f:m,f0', 'DF /6']);
// Go writes the unordered compares the other way round: FUCOMI F0, Fi.
def('FUCOMI', ['f0,f:m', 'DB /5']);
def('FUCOMIP', ['f0,f:m', 'DF /5']);
// FSTSW stores the status word to memory or to AX (without FWAIT, as Go).
def('FSTSW', ['m', 'DD /7'], ['ax', 'DF E0']);
def('FNSTSW', ['m', 'DD /7'], ['ax', 'DF E0']);
for (const [n, enc] of [['FCMOVB', 'DA /0'], ['FCMOVE', 'DA /1'], ['FCMOVBE', 'DA /2'], ['FCMOVU', 'DA /3'], ['FCMOVNB', 'DB /0'], ['FCMOVNE', 'DB /1'], ['FCMOVNBE', 'DB /2'], ['FCMOVNU', 'DB /3']] as const)
  def(n, ['f:m,f0', enc]);
def('FMOVD', ['m,f0', 'DD /0'], ['f0,m', 'DD /2'], ['f:m,f0', 'D9 /0'], ['f0,f:m', 'DD /2']);
def('FMOVDP', ['f0,m', 'DD /3'], ['f0,f:m', 'DD /3']);
def('FMOVF', ['m,f0', 'D9 /0'], ['f0,m', 'D9 /2']);
def('FMOVFP', ['f0,m', 'D9 /3']);
def('FMOVL', ['m,f0', 'DB /0'], ['f0,m', 'DB /2']);
def('FMOVLP', ['f0,m', 'DB /3']);
def('FMOVV', ['m,f0', 'DF /5'], ['f0,m', 'DF /7']);
def('FMOVVP', ['f0,m', 'DF /7']);
def('FMOVW', ['m,f0', 'DF /0'], ['f0,m', 'DF /2']);
def('FMOVWP', ['f0,m', 'DF /3']);
def('FMOVX', ['m,f0', 'DB /5'], ['f0,m', 'DB /7']);
def('FMOVXP', ['f0,m', 'DB /7']);
def('FXCHD', ['f:m,f0', 'D9 /1'], ['f0,f:m', 'D9 /1']);

// ---- Odds and ends Go also names. INB → ec; OUTL → ef; CLWB (BX) → 66 0f ae 33; FLDLN2 → d9 ed.
for (const [n, enc, mode] of [
  ['AAD', 'D5 0A', Mode.Only32], ['AAM', 'D4 0A', Mode.Only32], ['INB', 'EC'], ['INL', 'ED'], ['INW', 'o16 ED'], ['OUTB', 'EE'], ['OUTL', 'EF'],
  ['OUTW', 'o16 EF'], ['FLDLN2', 'D9 ED'],
] as [string, string, Mode?][])
  def(n, ['', enc, mode]);
def('ARPL', ['r,rm', '63 /r', Mode.Only32]);
def('CLDEMOTE', ['m', '0F 1C /0']);
def('CLWB', ['m', '66 0F AE /6']);
def('TPAUSE', ['r', '66 0F AE /6']);
def('UMWAIT', ['r', 'F2 0F AE /6']);
def('UMONITOR', ['r', 'F3 0F AE /6']);
def('FRSTOR', ['m', 'DD /4']);
def('FSAVE', ['m', 'DD /6']);
def('MOVQL', ['r,rm', '89 /r'], ['rm,r', '8B /r']);
// Go's condition names for the x87 conditional moves.
for (const [n, enc] of [['FCMOVCS', 'DA /0'], ['FCMOVEQ', 'DA /1'], ['FCMOVLS', 'DA /2'], ['FCMOVUN', 'DA /3'], ['FCMOVCC', 'DB /0'], ['FCMOVHI', 'DB /2']] as const)
  def(n, ['f:m,f0', enc]);
def('FCOML', ['m,f0', 'DA /2']);
def('FCOMLP', ['m,f0', 'DA /3']);
def('FCOMW', ['m,f0', 'DE /2']);
def('FCOMWP', ['m,f0', 'DE /3']);
def('FMOVB', ['m,f0', 'DF /4']);
def('FMOVBP', ['f0,m', 'DF /6']);

// Indirect JMP/CALL (the encoder routes `JMP AX`, `CALL (AX)` here): CALL AX → ff d0.
def('$CALLIND', ['rm', 'FF /2']);
def('$JMPIND', ['rm', 'FF /4']);

export function lookupForms(op: string): readonly Form[] | undefined {
  const done = compiled.get(op);
  if (done !== undefined) return done;
  let rows = rowsByName.get(op);
  if (rows === undefined && defineTheRest()) rows = rowsByName.get(op);
  if (rows === undefined) return undefined;
  const forms = rows.map(([ops, enc, mode]) => compileForm(ops, enc, mode ?? Mode.Both));
  compiled.set(op, forms);
  return forms;
}
/** Every mnemonic in the table (a test compiles them all, since lookups compile only what a file uses). */
export function x86Mnemonics(): string[] {
  defineTheRest();
  return [...rowsByName.keys()];
}
/** Defines extra rows (the VEX table file adds its instructions this way). */
export { def as defineForms };

// Families whose rows are defined the first time a mnemonic is not in the
// table (vex.ts and evex.ts: AVX and AVX-512; they share no mnemonic with the
// rest, which def checks): most files use none, and defining their ~700
// mnemonics' rows took a fifth of the assembler's start-up.
const later: (() => void)[] = [];
export function defineLater(define: () => void): void {
  later.push(define);
}
function defineTheRest(): boolean {
  if (later.length === 0) return false;
  baseNames = new Set(rowsByName.keys());
  for (const define of later.splice(0)) define();
  baseNames = null;
  return true;
}
