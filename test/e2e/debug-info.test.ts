// -g: DWARF source lines and functions in linux executables, checked with
// independent tools: llvm-dwarfdump --verify, llvm-symbolizer (every
// instruction's address against the line the assembler's own listing gives
// it), gdb and lldb (breakpoints at FUNC and FILE:LINE, backtraces; lldb
// also resolves darwin breakpoints from the __DWARF segment without running
// the program) and objdump -l. Built
// in one process (build -g), from objects (asm -g + link -g), and through
// the system linker (--linkmode external), on amd64, 386 and arm64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asmlink, repoRoot, run, tempDir, which, writeTemp } from '../helpers.js';

const dir = tempDir('asmlink-debug-');
const LLVM = 'needs llvm-dwarfdump and llvm-symbolizer (Debian package llvm)';
const haveLlvm = () => !!which('llvm-dwarfdump') && !!which('llvm-symbolizer');

// main.main calls helper (this file) and twice (from the #included header), so
// the line table has two files and gdb's backtrace two frames with lines.
const header = `// twice doubles AX.
TEXT ·twice(SB),NOSPLIT,$0-0
	ADDQ	AX, AX
	RET
`;
const prog = `#include "textflag.h"
#include "twice_amd64.h"

DATA msg<>+0(SB)/3, $"ok\\n"
GLOBL msg<>(SB), RODATA, $3

TEXT ·main(SB),NOSPLIT,$24-0
	MOVQ	$20, AX
	CALL	·twice(SB)
	MOVQ	AX, 0(SP)
	CALL	·helper(SB)
	LEAQ	msg<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$3, 8(SP)
	CALL	runtime·printstring(SB)
	RET

TEXT ·helper(SB),NOSPLIT,$0-8
	MOVQ	x+0(FP), AX

	// a blank line and a comment: no rows of their own
	ADDQ	$1, AX
	RET
`;
// Its lines, by what they hold (checked against the text below, so an edit cannot silently shift them).
const LINE = { mainCallHelper: 11, helperAdd: 22, helperText: 18, twiceAdd: 3 };
writeTemp(dir, 'twice_amd64.h', header);
const progPath = writeTemp(dir, 'prog.s', prog);

test('the test program says what its line numbers say', () => {
  const lines = prog.split('\n');
  assert.match(lines[LINE.mainCallHelper - 1], /CALL\t·helper/);
  assert.match(lines[LINE.helperAdd - 1], /ADDQ\t\$1, AX/);
  assert.match(lines[LINE.helperText - 1], /^TEXT ·helper/);
  assert.match(header.split('\n')[LINE.twiceAdd - 1], /ADDQ\tAX, AX/);
});

function build(args: string[], out: string): string {
  const exe = path.join(dir, out);
  const r = asmlink([...args, '-o', exe], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  return exe;
}

/** Function name → address, from nm. */
function addresses(exe: string): Map<string, number> {
  const r = run('nm', [exe]);
  assert.equal(r.status, 0, r.stderr);
  const m = new Map<string, number>();
  for (const l of r.stdout.split('\n')) {
    const f = l.split(' ');
    if (f.length === 3) m.set(f[2], parseInt(f[0], 16));
  }
  return m;
}

/** For each address: [function, file base name, line] as llvm-symbolizer reads them from the DWARF. */
function symbolize(exe: string, addrs: number[]): [string, string, number][] {
  const r = run('llvm-symbolizer', [`--obj=${exe}`, ...addrs.map((a) => '0x' + a.toString(16))]);
  assert.equal(r.status, 0, r.stderr);
  const blocks = r.stdout.trim().split('\n\n');
  assert.equal(blocks.length, addrs.length);
  return blocks.map((b) => {
    const [fn, loc] = b.split('\n');
    const m = /^(.*):(\d+):\d+$/.exec(loc);
    assert.ok(m, `no location in ${JSON.stringify(b)}`);
    return [fn, path.basename(m[1]), Number(m[2])];
  });
}

/** The assembler's listing (asm --json): per function, each instruction's offset and line. */
function listing(src: string, args: string[] = []): Map<string, { offset: number; line: number }[]> {
  const r = asmlink(['asm', '--json', ...args, src], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { symbols: { name: string; kind: string; insts?: { offset: number; line: number }[] }[] };
  return new Map(j.symbols.filter((s) => s.kind === 'text').map((s) => [s.name, s.insts!]));
}

/** Every instruction of every function the listing has maps to its own line (and file) in exe. */
function checkEveryInstruction(exe: string, src: string, files: Record<string, string>, args: string[] = []): void {
  const at = addresses(exe);
  for (const [fn, insts] of listing(src, args)) {
    const base = at.get(fn);
    assert.ok(base !== undefined, `${fn} not in the executable`);
    const got = symbolize(exe, insts.map((i) => base + i.offset));
    insts.forEach((inst, k) => assert.deepEqual(got[k], [fn, files[fn], inst.line], `${fn}+${inst.offset}`));
  }
}

const amd64Files = { 'main.main': 'prog.s', 'main.helper': 'prog.s', 'main.twice': 'twice_amd64.h' };

test('build -g: every instruction maps to its source line; llvm-dwarfdump --verify finds no errors', (t) => {
  if (!haveLlvm()) return t.skip(LLVM);
  const exe = build(['build', '-g', '--arch', 'amd64', 'prog.s'], 'prog');
  assert.equal(run(exe, []).stdout, 'ok\n');
  const v = run('llvm-dwarfdump', ['--verify', exe]);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /No errors\./);
  checkEveryInstruction(exe, progPath, amd64Files);
  // Two units' worth of files in one: prog.s and the header it included.
  const info = run('llvm-dwarfdump', ['--debug-info', exe]).stdout;
  assert.match(info, /DW_AT_producer\s+\("asmlink"\)/);
  assert.match(info, /DW_AT_language\s+\(DW_LANG_Mips_Assembler\)/);
  assert.match(info, /DW_AT_comp_dir\s+\("[^"]+"\)/);
  for (const fn of ['main.main', 'main.helper', 'main.twice']) assert.match(info, new RegExp(`DW_AT_name\\s+\\("${fn.replace('.', '\\.')}"\\)`));
  // The body of a function with a frame starts after the prologue Go's rules insert (SUBQ, MOVQ BP, LEAQ: 14 bytes here), marked prologue_end for debuggers that honour it (lldb).
  const lines = run('llvm-dwarfdump', ['--debug-line', exe]).stdout;
  const mainAt = addresses(exe).get('main.main')!;
  assert.match(lines, new RegExp(`0x0*${(mainAt + 14).toString(16)}\\s+${LINE.mainCallHelper - 3}\\s.*prologue_end`));
  // With -g the runtime is assembled from its sources with lines too.
  const [[fn, file, line]] = symbolize(exe, [addresses(exe).get('runtime.printstring')!]);
  assert.equal(fn, 'runtime.printstring');
  assert.equal(file, 'runtime_amd64.s');
  assert.match(fs.readFileSync(path.join(repoRoot, 'runtime', 'common', 'runtime_amd64.s'), 'utf8').split('\n')[line - 1], /^TEXT runtime·printstring\(SB\)/);
});

test('build -g: gdb stops at FILE:LINE and its backtrace names both frames with their lines', (t) => {
  if (!which('gdb')) return t.skip('needs gdb (Debian package gdb)');
  const exe = build(['build', '-g', '--arch', 'amd64', 'prog.s'], 'prog-gdb');
  const r = run('gdb', ['-batch', '-nx', '-ex', `break prog.s:${LINE.helperAdd}`, '-ex', 'run', '-ex', 'bt', '-ex', 'list', exe]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Breakpoint 1, main\\.helper \\(\\) at prog\\.s:${LINE.helperAdd}`));
  assert.match(r.stdout, new RegExp(`#0 +main\\.helper \\(\\) at prog\\.s:${LINE.helperAdd}`));
  assert.match(r.stdout, new RegExp(`#1 +0x[0-9a-f]+ in main\\.main \\(\\) at prog\\.s:${LINE.mainCallHelper}`));
  // `list` shows the source around the stop.
  assert.match(r.stdout, new RegExp(`${LINE.helperAdd}\\s+ADDQ\\s+\\$1, AX`));
});

test('asm -g + link -g: the object carries the lines (objdump -l), and the executable has the same line table as build -g', (t) => {
  if (!haveLlvm()) return t.skip(LLVM);
  const obj = path.join(dir, 'prog.o');
  const a = asmlink(['asm', '-g', '--arch', 'amd64', 'prog.s', '-o', obj], { cwd: dir });
  assert.equal(a.status, 0, a.stderr);
  const v = run('llvm-dwarfdump', ['--verify', obj]);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  const d = run('objdump', ['-dl', obj]);
  assert.match(d.stdout, new RegExp(`prog\\.s:${LINE.helperAdd}\\n.*add +\\$0x1,%rax`));
  assert.match(d.stdout, new RegExp(`twice_amd64\\.h:${LINE.twiceAdd}\\n.*add +%rax,%rax`));
  const exe = build(['link', '-g', obj], 'prog-linked');
  assert.equal(run(exe, []).stdout, 'ok\n');
  checkEveryInstruction(exe, progPath, amd64Files);
  // Linked without -g, the object's lines are not written.
  const plain = build(['link', obj], 'prog-linked-plain');
  assert.doesNotMatch(run('readelf', ['-S', plain]).stdout, /\.debug_/);
});

test('build -g --linkmode external: the system linker keeps the lines', (t) => {
  if (!haveLlvm()) return t.skip(LLVM);
  if (!which('cc')) return t.skip('needs cc (Debian package gcc)');
  const exe = build(['build', '-g', '--linkmode', 'external', '--arch', 'amd64', 'prog.s'], 'prog-ext');
  assert.equal(run(exe, []).stdout, 'ok\n');
  checkEveryInstruction(exe, progPath, amd64Files);
});

test('without -g there is no debugging information, and -g output is deterministic', () => {
  const plain = build(['build', '--arch', 'amd64', 'prog.s'], 'prog-plain');
  assert.doesNotMatch(run('readelf', ['-S', plain]).stdout, /\.debug_/);
  const a = fs.readFileSync(build(['build', '-g', '--arch', 'amd64', 'prog.s'], 'prog-det-1'));
  const b = fs.readFileSync(build(['build', '-g', '--arch', 'amd64', 'prog.s'], 'prog-det-2'));
  assert.ok(a.equals(b), 'two -g builds differ');
});

const i386 = `#include "textflag.h"
TEXT ·main(SB),NOSPLIT,$8-0
	MOVL	$7, AX
	CALL	·helper(SB)
	RET

TEXT ·helper(SB),NOSPLIT,$0-0
	ADDL	$1, AX

	ADDL	$2, AX
	RET
`;
const arm64 = `#include "textflag.h"
TEXT ·main(SB),NOSPLIT,$16-0
	MOVD	$7, R0
	CALL	·helper(SB)
	RET

TEXT ·helper(SB),NOSPLIT,$0-0
	ADD	$1, R0

	ADD	$2, R0
	RET
`;

for (const [arch, src] of [
  ['386', i386],
  ['arm64', arm64],
] as const) {
  test(`build -g and asm -g + link -g for linux/${arch}: every instruction maps to its line`, (t) => {
    if (!haveLlvm()) return t.skip(LLVM);
    const file = writeTemp(dir, `small_${arch}.s`, src);
    const files = { 'main.main': path.basename(file), 'main.helper': path.basename(file) };
    const exe = build(['build', '-g', '--arch', arch, path.basename(file)], `small-${arch}`);
    const v = run('llvm-dwarfdump', ['--verify', exe]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    checkEveryInstruction(exe, file, files, ['--arch', arch]);
    const obj = path.join(dir, `small_${arch}.o`);
    assert.equal(asmlink(['asm', '-g', '--arch', arch, path.basename(file), '-o', obj], { cwd: dir }).status, 0);
    const linked = build(['link', '-g', obj], `small-${arch}-linked`);
    checkEveryInstruction(linked, file, files, ['--arch', arch]);
  });
}

for (const arch of ['amd64', '386', 'arm64'] as const) {
  test(`darwin/${arch}: asm -g writes DWARF at the object's addresses (llvm-dwarfdump), and link -g makes the same tables as build -g`, (t) => {
    if (!haveLlvm()) return t.skip(LLVM);
    const obj = path.join(dir, `threads-darwin-${arch}.o`);
    assert.equal(asmlink(['asm', '-g', '--os', 'darwin', '--arch', arch, threads, '-o', obj], { cwd: dir }).status, 0);
    const v = run('llvm-dwarfdump', ['--verify', obj]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    // Each address field has a section relocation, for other tools (dsymutil).
    assert.match(run('llvm-objdump', ['-r', obj]).stdout, /RELOCATION RECORDS FOR \[__debug_line\]:[^]*?(X86_64|ARM64|GENERIC)_RELOC_(UNSIGNED|VANILLA)\s+__text/);
    const linked = build(['link', '-g', '--os', 'darwin', '--arch', arch, obj], `threads-darwin-linked-${arch}`);
    const built = build(['build', '-g', '--os', 'darwin', '--arch', arch, threads], `threads-darwin-built-${arch}`);
    const dump = (exe: string) => run('llvm-dwarfdump', ['--debug-line', '--debug-frame', exe]).stdout.replace(/^.*file format.*$/m, '');
    assert.equal(dump(linked), dump(built));
    assert.equal(run('llvm-dwarfdump', ['--verify', linked]).status, 0);
  });
}

/**
 * Every instruction of src's functions (a darwin build for arch) maps to its
 * line in `dwarf` (the executable, or its dSYM's DWARF file), at the address
 * exe's Mach-O symbol table gives (names with a leading _).
 */
function checkMachOLines(exe: string, dwarf: string, src: string, arch: 'amd64' | 'arm64'): void {
  const nm = run('llvm-nm', [exe]).stdout;
  const at = new Map(nm.split('\n').map((l) => l.split(' ')).filter((f) => f.length === 3).map((f) => [f[2].replace(/^_/, ''), parseInt(f[0], 16)]));
  const fns = listing(src, ['--os', 'darwin', '--arch', arch]);
  assert.ok(fns.has('main.main'));
  for (const [fn, insts] of fns) {
    const got = symbolize(dwarf, insts.map((i) => at.get(fn)! + i.offset));
    insts.forEach((inst, k) => assert.deepEqual(got[k], [fn, path.basename(src), inst.line], `${fn}+${inst.offset}`));
  }
}

const machoRun = path.join(repoRoot, '..', 'shared', 'tools', 'macho-run', 'macho-run');
const python = ['python3', '/usr/bin/python3'].find((p) => run(p, ['-c', 'import unicorn']).status === 0);

for (const arch of ['amd64', 'arm64'] as const) {
  test(`darwin/${arch} build -g: a __DWARF segment as Go writes it, every instruction's line, and it still loads and runs (macho-run)`, (t) => {
    if (!haveLlvm()) return t.skip(LLVM);
    const hello = path.join(repoRoot, 'examples', 'hello.s');
    const exe = build(['build', '-g', '--os', 'darwin', '--arch', arch, hello], `hello-darwin-${arch}`);
    const v = run('llvm-dwarfdump', ['--verify', exe]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    // The segment: no memory, no access, page-aligned in the file, before __LINKEDIT.
    const h = run('llvm-objdump', ['--macho', '--private-headers', exe]).stdout;
    const segs = [...h.matchAll(/segname (\S+)\s+vmaddr (\S+)\s+vmsize (\S+)\s+fileoff (\d+)\s+filesize (\d+)\s+maxprot (\S+)\s+initprot (\S+)/g)].map((m) => ({ name: m[1], vmsize: Number(m[3]), fileoff: Number(m[4]), maxprot: m[6], initprot: m[7] }));
    const names = segs.map((x) => x.name);
    assert.deepEqual(names.slice(-2), ['__DWARF', '__LINKEDIT']);
    const dwarf = segs[names.indexOf('__DWARF')];
    assert.equal(dwarf.vmsize, 0);
    assert.equal(dwarf.maxprot, '---');
    assert.equal(dwarf.initprot, '---');
    assert.equal(dwarf.fileoff % (arch === 'arm64' ? 16384 : 4096), 0);
    for (const sect of ['__debug_abbrev', '__debug_info', '__debug_line', '__debug_ranges', '__debug_frame']) assert.match(h, new RegExp(`sectname ${sect}\\s+segname __DWARF`));
    checkMachOLines(exe, exe, hello, arch);
    if (!fs.existsSync(machoRun) || !python) return t.skip('needs macho-run (../shared/tools/macho-run) and python3-unicorn to run it');
    const r = run(python, [machoRun, exe]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'hello, world\n');
  });
}

for (const arch of ['amd64', 'arm64'] as const) {
  test(`darwin/${arch} -g --linkmode external: the DWARF in PROG.dSYM beside the program (dsymutil), every instruction's line, the same bytes in every build, and it runs (macho-run)`, (t) => {
    if (!haveLlvm()) return t.skip(LLVM);
    if (!which('ld64.lld') && !which('ld64.lld-14')) return t.skip('needs ld64.lld (Debian package lld)');
    if (!which('dsymutil') && !which('dsymutil-14')) return t.skip('needs dsymutil (Debian package llvm)');
    const hello = path.join(repoRoot, 'examples', 'hello.s');
    const outDir = fs.mkdtempSync(path.join(dir, `dsym-${arch}-`));
    const exe = path.join(outDir, 'hello');
    const dwarf = path.join(`${exe}.dSYM`, 'Contents', 'Resources', 'DWARF', 'hello');
    const link = () => {
      const r = asmlink(['build', '-g', '--os', 'darwin', '--arch', arch, '--linkmode', 'external', hello, '-o', exe], { cwd: dir });
      assert.equal(r.status, 0, r.stderr);
    };
    link();
    // The program and its bundle, nothing else (the linker's directory is gone).
    assert.deepEqual(fs.readdirSync(outDir).sort(), ['hello', 'hello.dSYM']);
    const uuid = (f: string) => /UUID: (\S+)/.exec(run('llvm-dwarfdump', ['--uuid', f]).stdout)?.[1];
    assert.ok(uuid(exe));
    assert.equal(uuid(dwarf), uuid(exe), 'lldb pairs them by UUID');
    const v = run('llvm-dwarfdump', ['--verify', dwarf]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    // The debug map names the object by a relative path, at time 0.
    assert.match(run('llvm-nm', ['-a', exe]).stdout, /^0{16} - \S+ \S+ +OSO hello\.o$/m);
    checkMachOLines(exe, dwarf, hello, arch);
    const [exeBytes, dwarfBytes] = [fs.readFileSync(exe), fs.readFileSync(dwarf)];
    link();
    assert.ok(fs.readFileSync(exe).equals(exeBytes), 'the program, built again');
    assert.ok(fs.readFileSync(dwarf).equals(dwarfBytes), 'its DWARF, built again');
    if (!fs.existsSync(machoRun) || !python) return t.skip('needs macho-run (../shared/tools/macho-run) and python3-unicorn to run it');
    const r = run(python, [machoRun, exe]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'hello, world\n');
  });
}

test('link -g of an object whose .debug_line is damaged: a diagnostic naming the object, and no output', () => {
  const obj = path.join(dir, 'damaged.o');
  assert.equal(asmlink(['asm', '-g', '--arch', 'amd64', 'prog.s', '-o', obj], { cwd: dir }).status, 0);
  const bytes = fs.readFileSync(obj);
  const sh = run('readelf', ['-SW', obj]).stdout;
  const m = /\.debug_line\s+PROGBITS\s+\S+\s+(\S+)/.exec(sh);
  assert.ok(m, sh);
  // The line program's version field: 9 is no version this reader takes.
  bytes.writeUInt16LE(9, parseInt(m[1], 16) + 4);
  fs.writeFileSync(obj, bytes);
  const out = path.join(dir, 'damaged');
  const r = asmlink(['link', '-g', obj, '-o', out], { cwd: dir });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /damaged\.o.*malformed ELF object: \.debug_line\+0x[0-9a-f]+: line program version 9 is not read/);
  assert.ok(!fs.existsSync(out));
  // Without -g the lines are not read, and the object links.
  assert.equal(asmlink(['link', obj, '-o', out], { cwd: dir }).status, 0);
});

const threads = path.join(repoRoot, 'examples', 'threads.s');

for (const arch of ['amd64', '386', 'arm64'] as const) {
  test(`examples/threads for ${arch}: asm -g + link -g writes the same lines and call-frame table as build -g`, (t) => {
    if (!haveLlvm()) return t.skip(LLVM);
    const obj = path.join(dir, `threads-${arch}.o`);
    assert.equal(asmlink(['asm', '-g', '--arch', arch, threads, '-o', obj], { cwd: dir }).status, 0);
    const linked = build(['link', '-g', '--arch', arch, obj], `threads-linked-${arch}`);
    const built = build(['build', '-g', '--arch', arch, threads], `threads-built-${arch}`);
    const dump = (exe: string) => {
      const r = run('llvm-dwarfdump', ['--debug-line', '--debug-frame', exe]);
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /warning/);
      return r.stdout.replace(/^.*file format.*$/m, '');
    };
    const frames = dump(built);
    assert.match(frames, /DW_CFA_def_cfa_offset/);
    assert.equal(dump(linked), frames);
    for (const exe of [linked, built]) assert.equal(run('llvm-dwarfdump', ['--verify', exe]).status, 0);
  });
}

test('gdb unwinds from inside the C library to the entry point through trampolines, Go-style frames and the runtime (build, link, external)', (t) => {
  if (!which('gdb')) return t.skip('needs gdb (Debian package gdb)');
  const obj = path.join(dir, 'threads-bt.o');
  assert.equal(asmlink(['asm', '-g', '--arch', 'amd64', threads, '-o', obj], { cwd: dir }).status, 0);
  const exes = [
    build(['build', '-g', '--arch', 'amd64', threads], 'threads-bt'),
    build(['link', '-g', obj], 'threads-bt-linked'),
    ...(which('cc') ? [build(['build', '-g', '--linkmode', 'external', '--arch', 'amd64', threads], 'threads-bt-ext')] : []),
  ];
  for (const exe of exes) {
    // write(2) at exit, when the runtime flushes standard output.
    const r = run('gdb', ['-batch', '-nx', '-ex', 'break write', '-ex', 'run 1', '-ex', 'bt', exe]);
    assert.equal(r.status, 0, r.stderr);
    const frames = checkBacktraceFromWrite(r.stdout + r.stderr, path.basename(exe));
    assert.ok(!frames.some((l) => l.includes('?? (')), `${path.basename(exe)}: a frame gdb could not name:\n${frames.join('\n')}`);
  }
});

/**
 * The frames of a backtrace from a breakpoint in libc's write at exit: from
 * libc.write through the runtime to main, each with its source line. Returns
 * the frames.
 */
function checkBacktraceFromWrite(out: string, what: string): string[] {
  const frames = out.split('\n').filter((l) => /^#\d+ /.test(l));
  const names = frames.map((l) => /(?:in )?([\w.[\]]+) \(/.exec(l.replace(/^#\d+\s+(0x[0-9a-f]+ in )?/, ''))?.[1]);
  const ours = ['libc.write', 'runtime.write', 'runtime.flushlocked', 'runtime.printflush', 'runtime.exit', 'main'];
  const start = names.indexOf('libc.write');
  assert.ok(start > 0, `${what}: no libc.write frame in\n${out}`);
  assert.deepEqual(names.slice(start, start + ours.length), ours, `${what}:\n${frames.join('\n')}`);
  for (const l of frames.slice(start, start + ours.length)) assert.match(l, / at \/\S+\.s:\d+$/);
  return frames;
}

/**
 * Runs `exe 1` under qemu's gdb stub, attaches `gdb` to it, and returns what
 * `bt` prints at a breakpoint in write (at exit, when the runtime flushes).
 */
async function backtraceUnderQemu(qemu: string[], gdb: string, gdbSetup: string[], exe: string): Promise<string> {
  const { spawn } = await import('node:child_process');
  // A free port (one per test process): qemu waits there for gdb.
  const port = 20000 + (process.pid % 20000) + (qemu[0]!.endsWith('i386') ? 1 : 0);
  const q = spawn(qemu[0]!, [...qemu.slice(1), '-g', String(port), exe, '1'], { stdio: 'ignore' });
  try {
    // Until qemu listens (a probe connection would end its wait for gdb, so /proc/net/tcp is read instead).
    const listening = () => ['/proc/net/tcp', '/proc/net/tcp6'].some((f) => fs.existsSync(f) && new RegExp(`:${port.toString(16).toUpperCase().padStart(4, '0')} [0-9A-F:]+ 0A `).test(fs.readFileSync(f, 'utf8')));
    for (let waited = 0; !listening() && waited < 10000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    const r = run(gdb, ['-batch', '-nx', ...gdbSetup.flatMap((c) => ['-ex', c]), '-ex', `target remote :${port}`, '-ex', 'break write', '-ex', 'continue', '-ex', 'bt', exe]);
    return r.stdout + r.stderr;
  } finally {
    q.kill();
  }
}

test('linux/arm64: gdb-multiarch, attached to qemu-aarch64, unwinds from inside the C library to the entry point', async (t) => {
  if (!which('gdb-multiarch')) return t.skip('needs gdb-multiarch (Debian package gdb-multiarch)');
  if (!which('qemu-aarch64')) return t.skip('needs qemu-aarch64 (Debian package qemu-user)');
  const sysroot = process.env.QEMU_LD_PREFIX ?? '/usr/aarch64-linux-gnu';
  if (!fs.existsSync(path.join(sysroot, 'lib', 'ld-linux-aarch64.so.1'))) return t.skip(`needs the arm64 C library in ${sysroot} (Debian package libc6-arm64-cross)`);
  const exe = build(['build', '-g', '--arch', 'arm64', threads], 'threads-bt-arm64');
  const frames = checkBacktraceFromWrite(await backtraceUnderQemu(['qemu-aarch64', '-L', sysroot], 'gdb-multiarch', [`set sysroot ${sysroot}`], exe), 'arm64');
  // The C library's frames end at the runtime's entry.
  assert.match(frames[frames.length - 1], /_rt0_arm64_linux \(\) at \S+rt0_linux_arm64\.s:\d+/);
});

test('linux/386: gdb, attached to qemu-i386, unwinds from the write stub through the trampoline and the runtime to main', async (t) => {
  if (!which('gdb')) return t.skip('needs gdb (Debian package gdb)');
  if (!which('qemu-i386')) return t.skip('needs qemu-i386 (Debian package qemu-user)');
  const exe = build(['build', '-g', '--arch', '386', threads], 'threads-bt-386');
  checkBacktraceFromWrite(await backtraceUnderQemu(['qemu-i386'], 'gdb', [], exe), '386');
});

/**
 * Runs lldb in batch mode on exe with the given commands and returns what it
 * printed. (Debian's lldb prints a Python traceback at start-up when its
 * script interpreter is not installed; the commands used here do not need it.)
 */
function lldb(exe: string, commands: string[]): string {
  const r = run('lldb', ['-b', '-x', ...commands.flatMap((c) => ['-o', c]), exe]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r.stdout;
}

/** Where lldb put a breakpoint: "FUNC" or "FUNC + OFFSET", from its `breakpoint set` reply. */
function breakpointAt(out: string, exe: string, n: number): string {
  const m = new RegExp(`Breakpoint ${n}: where = ${path.basename(exe)}\`([^,]+?)(?: at [^,]*)?, address`).exec(out);
  assert.ok(m, `breakpoint ${n} did not resolve:\n${out}`);
  return m[1];
}

/**
 * What a debugger that honours prologue_end should stop at for `break FN`:
 * the first instruction past the prologue, which carries the TEXT line.
 */
function bodyStart(insts: { offset: number; line: number }[]): number {
  const first = insts.find((i) => i.line !== insts[0].line);
  assert.ok(first, 'a function without a body');
  return first.offset;
}

test('lldb on linux/amd64: breakpoints past the prologue and at FILE:LINE, and a backtrace from inside the C library to the entry point', (t) => {
  if (!which('lldb')) return t.skip('needs lldb (Debian package lldb)');
  const exe = build(['build', '-g', '--arch', 'amd64', threads], 'threads-lldb');
  const main = listing(threads, ['--arch', 'amd64']).get('main.main')!;
  const skip = bodyStart(main);
  assert.ok(skip > 0, 'main.main has a prologue');
  const line = main[Math.floor(main.length / 2)].line;
  const lineAt = Math.min(...main.filter((i) => i.line === line).map((i) => i.offset));
  const out = lldb(exe, ['b main.main', `b threads.s:${line}`, 'breakpoint delete 1 2', 'b write', 'run 1', 'bt']);
  assert.equal(breakpointAt(out, exe, 1), `main.main + ${skip}`);
  assert.equal(breakpointAt(out, exe, 2), `main.main + ${lineAt}`);
  // The backtrace: lldb reads .debug_frame to unwind the trampoline (its
  // stack realigned with ANDQ) and the Go-style frames.
  const frames = out.split('\n').filter((l) => /^\s+\*? *frame #\d+: /.test(l));
  const ours = frames.filter((l) => new RegExp(`frame #\\d+: 0x[0-9a-f]+ ${path.basename(exe)}\``).test(l));
  const names = ours.map((l) => /`([\w.]+)/.exec(l)![1]);
  assert.deepEqual(names.slice(0, 3), ['libc.write', 'runtime.write', 'runtime.flushlocked'], frames.join('\n'));
  assert.ok(names.includes('main.main') && names.includes('main'), frames.join('\n'));
  assert.equal(names.at(-1), '_rt0_amd64_linux', frames.join('\n'));
  for (const l of ours) assert.match(l, / at \w+\.s:\d+$/);
  // No frame lldb could not place: the last is the entry point, not an address.
  assert.match(frames.at(-1)!, /_rt0_amd64_linux/);
});

for (const arch of ['amd64', 'arm64'] as const) {
  test(`lldb on darwin/${arch} (without running it): breakpoints past the prologue and at FILE:LINE from the __DWARF segment`, (t) => {
    if (!which('lldb')) return t.skip('needs lldb (Debian package lldb)');
    const exe = build(['build', '-g', '--os', 'darwin', '--arch', arch, threads], `threads-lldb-darwin-${arch}`);
    const fns = listing(threads, ['--os', 'darwin', '--arch', arch]);
    const main = fns.get('main.main')!;
    const skip = bodyStart(main);
    assert.ok(skip > 0, 'main.main has a prologue');
    const line = main[Math.floor(main.length / 2)].line;
    const lineAt = Math.min(...main.filter((i) => i.line === line).map((i) => i.offset));
    const worker = fns.get('main.worker')!;
    const out = lldb(exe, ['b main.main', `b threads.s:${line}`, 'b main.worker', 'image lookup -n main.worker']);
    assert.equal(breakpointAt(out, exe, 1), `main.main + ${skip}`);
    assert.equal(breakpointAt(out, exe, 2), `main.main + ${lineAt}`);
    const workerSkip = bodyStart(worker);
    assert.equal(breakpointAt(out, exe, 3), workerSkip ? `main.worker + ${workerSkip}` : 'main.worker');
  });
}
