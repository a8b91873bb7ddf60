// GOT relaxation (linux, internal link): a load of a defined symbol's
// address from its GOT slot becomes an instruction that makes the address
// itself, as the psABIs allow and GNU ld and lld do — x86-64 mov → lea,
// call and jmp through the slot → direct; 386 mov from the GOT → lea of the
// offset from it; AArch64's ADRP + LDR of the slot → ADRP + ADD — and the
// symbol then needs no slot. What cannot be relaxed keeps its slot: an x86
// binary operator reading it, AArch64's GOT-relative LDR (gotpage_lo15), and
// every reference to a weak undefined name (its 0 is no address to make
// pc-relative; a PIE must not slide it). Objects from GNU as and clang,
// linked internally, as a PIE and by the system linker, run; the
// instructions are read back with objdump.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { asmlink, run, tempDir, which, writeTemp } from '../helpers.js';
import { linuxPrefix, runWith } from '../e2e/threads-check.js';
import { asmCallingC, cTools } from './c-programs.js';

const dir = tempDir('asmlink-got-relax-');

interface Case {
  /** cmain, in the architecture's GNU assembler syntax: it returns `exit`. */
  source: string;
  exit: number;
  /** cmain's instructions (instructions() says how each is described). */
  want: string[];
}

const globalFunction = (sym: string) => `\t.globl\t${sym}\n\t.type\t${sym}, @function\n`;
const DATA = `\t.weak\thook\n\t.data\n\t.globl\tvalue\n\t.type\tvalue, @object\n\t.size\tvalue, 4\n\t.p2align 2\nvalue:\n\t.long\t20\n\t.section .note.GNU-stack,"",@progbits\n`;

const CASES: Record<'amd64' | '386' | 'arm64', Case> = {
  // value (20) through a relaxed load, twice(20) through a relaxed call, value again through
  // the slot an ADD reads (+20), hook's 0 (+1), and finish (+1) through a relaxed tail jump: 62.
  amd64: {
    source: `\t.text\n${globalFunction('cmain')}cmain:
	push	%rbx
	mov	value@GOTPCREL(%rip), %rax
	mov	(%rax), %edi
	call	*twice@GOTPCREL(%rip)
	mov	%eax, %ebx
	xor	%eax, %eax
	add	value@GOTPCREL(%rip), %rax
	add	(%rax), %ebx
	mov	hook@GOTPCREL(%rip), %rax
	test	%rax, %rax
	jne	1f
	add	$1, %ebx
1:	mov	%ebx, %edi
	pop	%rbx
	jmp	*finish@GOTPCREL(%rip)
${globalFunction('twice')}twice:
	lea	(%rdi,%rdi), %eax
	ret
${globalFunction('finish')}finish:
	lea	1(%rdi), %eax
	ret
${DATA}`,
    exit: 62,
    want: ['push %rbx', 'lea <value>', 'mov', 'addr32 call <twice>', 'mov', 'xor', 'add GOT', 'add', 'mov GOT', 'test', 'jne', 'add', 'mov', 'pop', 'nop', 'jmp <finish>'],
  },
  // 386 position-independent code: value (20) relaxed to an offset from the GOT, again through its slot (+20), hook's 0 (+2): 42.
  '386': {
    source: `\t.text\n${globalFunction('cmain')}cmain:
	push	%ebx
	push	%esi
	call	1f
1:	pop	%ebx
	addl	$_GLOBAL_OFFSET_TABLE_+(.-1b), %ebx
	mov	value@GOT(%ebx), %eax
	mov	(%eax), %esi
	xor	%eax, %eax
	add	value@GOT(%ebx), %eax
	add	(%eax), %esi
	mov	hook@GOT(%ebx), %eax
	test	%eax, %eax
	jne	2f
	add	$2, %esi
2:	mov	%esi, %eax
	pop	%esi
	pop	%ebx
	ret
${DATA}`,
    exit: 42,
    want: ['push %ebx', 'push', 'call', 'pop', 'add', 'lea <value>', 'mov', 'xor', 'add GOT', 'add', 'mov GOT', 'test', 'jne', 'add', 'mov', 'pop', 'pop', 'ret'],
  },
  // value (20) through a relaxed ADRP + LDR, again through a GOT-relative LDR (+20), hook's 0 (+2), finish (+1): 43.
  arm64: {
    source: `\t.text\n${globalFunction('cmain')}cmain:
	adrp	x0, :got:value
	ldr	x0, [x0, :got_lo12:value]
	ldr	w1, [x0]
	adrp	x3, _GLOBAL_OFFSET_TABLE_
	ldr	x3, [x3, #:gotpage_lo15:value]
	ldr	w4, [x3]
	add	w1, w1, w4
	adrp	x2, :got:hook
	ldr	x2, [x2, :got_lo12:hook]
	cbnz	x2, 1f
	add	w1, w1, #2
1:	mov	w0, w1
	b	finish
${globalFunction('finish')}finish:
	add	w0, w0, #1
	ret
${DATA}`,
    exit: 43,
    want: ['adrp x0', 'add x0, x0', 'ldr', 'adrp', 'ldr x3, [x3', 'ldr', 'add', 'adrp', 'ldr x2, [x2', 'cbnz', 'add', 'mov', 'b'],
  },
};

/** Section and symbol addresses, from readelf. */
function addresses(exe: string): { got: [number, number]; slots: number; gotBase: number; value: number } {
  const r = run('readelf', ['-SsW', exe]);
  assert.equal(r.status, 0, r.stderr);
  const sec = (name: string) => new RegExp(`\\] \\${name}\\s+PROGBITS\\s+([0-9a-f]+) [0-9a-f]+ ([0-9a-f]+) ([0-9a-f]+)`).exec(r.stdout);
  const got = sec('.got');
  assert.ok(got, 'a .got for the slots that stay');
  const [start, size, entry] = [parseInt(got[1]!, 16), parseInt(got[2]!, 16), parseInt(got[3]!, 16)];
  const value = /^\s*\d+: ([0-9a-f]+)\s+\d+ OBJECT\s+GLOBAL\s+DEFAULT\s+\d+ value$/m.exec(r.stdout)?.[1];
  assert.ok(value, 'value in .symtab');
  // 386 code counts from the GOT's address, _GLOBAL_OFFSET_TABLE_: .got.plt's start.
  const gotplt = sec('.got.plt');
  return { got: [start, start + size], slots: size / entry, gotBase: gotplt ? parseInt(gotplt[1]!, 16) : NaN, value: parseInt(value, 16) };
}

/**
 * cmain's instructions as the disassembler prints them, each given as its
 * entry in `want` where it is one of the ways that entry describes it: the
 * mnemonic (with an addr32 prefix), the mnemonic and `GOT` when it reads an
 * address in .got, the mnemonic and `<value>` when its address operand is
 * value's (x86-64's comment; 386's offset from the GOT), `<name>` a branch's
 * target, or the start of the text. Any other instruction stays as printed.
 */
function instructions(exe: string, arch: string, a: ReturnType<typeof addresses>, want: readonly string[]): string[] {
  const tool = arch === 'arm64' ? 'llvm-objdump' : 'objdump';
  const r = run(tool, ['-d', '--no-show-raw-insn', exe]);
  assert.equal(r.status, 0, r.stderr);
  const body = r.stdout.split(/\n\n/).find((b) => /<cmain>:/.test(b));
  assert.ok(body, `${tool} shows cmain`);
  const lines = body.split('\n').filter((l) => /^\s*[0-9a-f]+:\s/.test(l));
  return lines.map((l, i) => {
    const text = l.replace(/^\s*[0-9a-f]+:\s*/, '').replace(/\s+/g, ' ').trim();
    const words = text.split(' ');
    const m = words[0] === 'addr32' ? `addr32 ${words[1]}` : words[0]!;
    const rip = /# ([0-9a-f]+)/.exec(text);
    const fromGot = arch === '386' ? /(-?)0x([0-9a-f]+)\(%ebx\)/.exec(text) : null;
    const addr = rip ? parseInt(rip[1]!, 16) : fromGot ? a.gotBase + (fromGot[1] ? -1 : 1) * parseInt(fromGot[2]!, 16) : NaN;
    const target = /^[^#]*<([^>+]+)>/.exec(text)?.[1];
    const ways = [m, text];
    if (addr >= a.got[0] && addr < a.got[1]) ways.push(`${m} GOT`);
    if (addr === a.value) ways.push(`${m} <value>`);
    if (target !== undefined && !rip) ways.push(`${m} <${target}>`);
    const w = want[i] ?? '';
    return ways.includes(w) || (w.includes(' ') && !w.includes('<') && !w.endsWith(' GOT') && text.startsWith(w)) ? w : text;
  });
}

for (const arch of ['amd64', '386', 'arm64'] as const) {
  test(`linux/${arch}: GOT loads of defined symbols are relaxed; binary operators, GOT-relative loads and weak undefined names keep their slots`, (t) => {
    const prefix = linuxPrefix(arch);
    if (typeof prefix === 'string') return t.skip(prefix);
    const tools = cTools(arch);
    if (typeof tools === 'string') return t.skip(tools);
    const objdump = arch === 'arm64' ? 'llvm-objdump' : 'objdump';
    if (!which(objdump) || !which('readelf')) return t.skip(`needs ${objdump} and readelf (Debian packages ${arch === 'arm64' ? 'llvm, ' : ''}binutils)`);
    const c = CASES[arch];
    const obj = path.join(dir, `${arch}.o`);
    const cc = tools.compile([], writeTemp(dir, `${arch}-cmain.s`, c.source), obj);
    assert.equal(cc.status, 0, cc.stderr);
    const main = writeTemp(dir, `${arch}-main.s`, asmCallingC(arch, []));
    // 386 makes no PIEs.
    const modes: [string, string[]][] = [['internal', []], ...(arch !== '386' ? [['pie', ['--pie']] as [string, string[]]] : []), ['external', ['--linkmode', 'external']]];
    for (const [mode, flags] of modes) {
      const exe = path.join(dir, `${arch}-${mode}`);
      const b = asmlink(['build', '--arch', arch, ...flags, '-o', exe, main, obj]);
      assert.equal(b.status, 0, `${mode}: ${b.stderr}`);
      assert.equal(runWith(prefix, exe, []).status, c.exit, `${mode}: the exit status cmain computes`);
      if (mode === 'external') continue;
      const a = addresses(exe);
      assert.equal(a.slots, 2, `${mode}: .got holds value's and hook's slots only`);
      assert.deepEqual(instructions(exe, arch, a, c.want), c.want, mode);
      if (mode === 'pie') {
        // value's slot is slid (a RELATIVE relocation to its address); hook's 0 stays 0.
        const rel = run('readelf', ['-rW', exe]).stdout;
        const slid = [...rel.matchAll(/^([0-9a-f]+)\s+[0-9a-f]+ R_(?:X86_64|AARCH64)_RELATIV\w*\s+([0-9a-f]+)$/gm)].filter((m) => parseInt(m[1]!, 16) >= a.got[0] && parseInt(m[1]!, 16) < a.got[1]);
        assert.deepEqual(slid.map((m) => parseInt(m[2]!, 16)), [a.value], 'one slid slot in .got: value\'s');
      }
    }
  });
}
