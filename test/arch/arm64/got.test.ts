// `MOVD sym@GOT(SB), R` (asmlink's syntax; go1.19's parser has none, its
// dynlink mode produces the same form): ADRP REGTMP + LDR R, [REGTMP] with one
// 8-byte R_ARM64_GOTPCREL relocation over the pair, as Go's assembler emits
// for a GOT reference. The bytes are checked with llvm-mc's disassembler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { assemble } from '../../../src/asm/assemble.js';

function haveLlvmMc(): boolean {
  try {
    execFileSync('llvm-mc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('MOVD sym@GOT(SB), R1 is ADRP R27 + LDR R1, [R27] with R_ARM64_GOTPCREL', (t) => {
  const obj = assemble('TEXT ·f(SB),4,$0-0\n\tMOVD ·g@GOT(SB), R1\n\tRET\n', { target: { os: 'linux', arch: 'arm64' }, file: 'g.s' });
  const f = obj.symbols.find((s) => s.name === 'main.f')!;
  assert.equal(Buffer.from(f.data).toString('hex'), '1b000090610340f9c0035fd600000000');
  assert.deepEqual(f.relocs, [{ off: 0, size: 8, type: 'R_ARM64_GOTPCREL', sym: 'main.g', add: 0, line: 2 }]);
  if (!haveLlvmMc()) {
    t.skip('needs llvm-mc (Debian package llvm) for the disassembly check');
    return;
  }
  const bytes = [...f.data.subarray(0, 8)].map((b) => '0x' + b.toString(16)).join(' ');
  const dis = execFileSync('llvm-mc', ['--disassemble', '-triple=aarch64'], { input: bytes, encoding: 'utf8' });
  assert.match(dis, /adrp\s+x27, #?0/);
  assert.match(dis, /ldr\s+x1, \[x27\]/);
});
