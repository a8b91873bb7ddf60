// Structural checks of a Mach-O executable, shared by the internal- and
// external-link tests. Facts come from llvm-objdump's reading of the file (the
// independent reader), from the npm `macho` parser, and from a direct decode
// of a few structures (chained fixups, the signature) written here from the
// specifications.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { run } from '../formats/macho/tools.js';
import { objdump } from '../formats/macho/objdump.js';

const require = createRequire(import.meta.url);

interface Block {
  kv: Map<string, string>;
  sections: Map<string, string>[];
}

/** Load commands as llvm-objdump --private-headers prints them. */
export function parsePrivateHeaders(text: string): { flags: string; cmds: Block[] } {
  const cmds: Block[] = [];
  let cur: Block | undefined;
  let sect: Map<string, string> | undefined;
  let flags = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*magic\s+cputype/.test(line)) {
      flags = lines[i + 1] ?? '';
      continue;
    }
    if (/^Load command \d+/.test(line)) {
      cur = { kv: new Map(), sections: [] };
      cmds.push(cur);
      sect = undefined;
      continue;
    }
    if (!cur) continue;
    if (line.trim() === 'Section') {
      sect = new Map();
      cur.sections.push(sect);
      continue;
    }
    const m = /^\s*(\S+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1] === 'current' || m[1] === 'compatibility' || m[1] === 'time' ? `${m[1]} ${m[2]!.split(/\s+/)[0]}` : m[1]!;
    (sect ?? cur.kv).set(key, m[2]!.trim());
  }
  return { flags, cmds };
}

const num = (s: string | undefined): number => {
  assert.ok(s !== undefined, 'missing field');
  return Number(s.split(/\s/)[0]);
};

export interface ExecFacts {
  /** Imported symbols with the dylib they are bound from, sorted. */
  imports: string[];
  entrySymbol: string;
  segments: string[];
  loadCommands: string[];
}

export interface CheckOptions {
  arch: 'amd64' | 'arm64';
  signed: boolean;
  chained: boolean;
  /** The symbols every call site in __text must reach through a stub. */
  expectImports: string[];
  /** Who wrote it: ld64.lld writes no LC_SOURCE_VERSION. */
  producer?: 'asmlink' | 'lld';
}

/** The dylib path for each 1-based ordinal. */
function dylibs(cmds: Block[]): string[] {
  return cmds.filter((c) => c.kv.get('cmd') === 'LC_LOAD_DYLIB').map((c) => c.kv.get('name')!.split(' ')[0]!);
}

/** Decodes LC_DYLD_CHAINED_FIXUPS binds per fixup-chains.h: "address symbol ordinal". */
function chainedBinds(file: Buffer, cmds: Block[], segs: Block[], page: number): string[] {
  const fc = cmds.find((c) => c.kv.get('cmd') === 'LC_DYLD_CHAINED_FIXUPS')!;
  const base = num(fc.kv.get('dataoff'));
  const d = file.subarray(base, base + num(fc.kv.get('datasize')));
  const startsOff = d.readUInt32LE(4), importsOff = d.readUInt32LE(8), symsOff = d.readUInt32LE(12), fmt = d.readUInt32LE(20);
  assert.equal(fmt, 1, 'imports format DYLD_CHAINED_IMPORT');
  const segCount = d.readUInt32LE(startsOff);
  assert.equal(segCount, segs.length, 'starts_in_image covers every segment');
  const out: string[] = [];
  for (let s = 0; s < segCount; s++) {
    const info = d.readUInt32LE(startsOff + 4 + 4 * s);
    if (!info) continue;
    const at = startsOff + info;
    assert.equal(d.readUInt16LE(at + 4), page);
    const segFileoff = num(segs[s]!.kv.get('fileoff'));
    const segVm = num(segs[s]!.kv.get('vmaddr'));
    const pages = d.readUInt16LE(at + 20);
    for (let p = 0; p < pages; p++) {
      const start = d.readUInt16LE(at + 22 + 2 * p);
      if (start === 0xffff) continue;
      let off = p * page + start;
      for (;;) {
        const v = file.readBigUInt64LE(segFileoff + off);
        if (v >> 63n) {
          const imp = d.readUInt32LE(importsOff + 4 * Number(v & 0xffffffn));
          const no = imp >>> 9;
          const name = d.toString('latin1', symsOff + no, d.indexOf(0, symsOff + no));
          out.push(`0x${(segVm + off).toString(16)} ${name} ${imp & 0xff}`);
        }
        const next = Number((v >> 51n) & 0xfffn);
        if (!next) break;
        off += 4 * next;
      }
    }
  }
  return out;
}

export function checkExecutable(path: string, o: CheckOptions): ExecFacts {
  const tool = objdump()!;
  const file = readFileSync(path);
  const r = run(tool, ['--macho', '--private-headers', '--bind', '--lazy-bind', '--rebase', '--exports-trie', '--indirect-symbols', '-d', path]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', `llvm-objdump warnings:\n${r.stderr}`);
  const { flags, cmds } = parsePrivateHeaders(r.stdout);
  for (const f of ['NOUNDEFS', 'DYLDLINK', 'TWOLEVEL', 'PIE']) assert.match(flags, new RegExp(`\\b${f}\\b`), `header flag ${f}`);
  assert.match(flags, /EXECUTE/);

  // The second reader.
  const macho = require('macho') as { parse(b: Buffer): { ncmds: number; filetype: string; cmds: { type: string; name?: string; sections?: { sectname: string; addr: number }[] }[] } };
  const parsed = macho.parse(file);
  assert.equal(parsed.filetype, 'execute');
  assert.equal(parsed.ncmds, cmds.length);

  const names = cmds.map((c) => c.kv.get('cmd')!);
  const need = ['LC_SEGMENT_64', 'LC_SYMTAB', 'LC_DYSYMTAB', 'LC_LOAD_DYLINKER', 'LC_UUID', 'LC_BUILD_VERSION', 'LC_MAIN', 'LC_LOAD_DYLIB', 'LC_FUNCTION_STARTS', 'LC_DATA_IN_CODE'];
  if (o.producer !== 'lld') need.push('LC_SOURCE_VERSION');
  need.push(...(o.chained ? ['LC_DYLD_CHAINED_FIXUPS', 'LC_DYLD_EXPORTS_TRIE'] : ['LC_DYLD_INFO_ONLY']));
  if (o.signed) need.push('LC_CODE_SIGNATURE');
  for (const n of need) assert.ok(names.includes(n), `load command ${n} present`);
  if (!o.signed) assert.ok(!names.includes('LC_CODE_SIGNATURE'));
  const dl = cmds.find((c) => c.kv.get('cmd') === 'LC_LOAD_DYLINKER')!;
  assert.match(dl.kv.get('name')!, /^\/usr\/lib\/dyld /);

  // Segments: page-aligned, __TEXT at file offset 0 and r-x, nothing writable and executable.
  const page = o.arch === 'arm64' ? 0x4000 : 0x1000;
  const segs = cmds.filter((c) => c.kv.get('cmd') === 'LC_SEGMENT_64');
  const segNames = segs.map((s) => s.kv.get('segname')!);
  assert.equal(segNames[0], '__PAGEZERO');
  assert.equal(num(segs[0]!.kv.get('vmsize')), 0x100000000);
  assert.equal(segNames[segNames.length - 1], '__LINKEDIT');
  let prevEnd = 0;
  for (const s of segs) {
    const name = s.kv.get('segname')!;
    const vm = num(s.kv.get('vmaddr'));
    const vmsize = num(s.kv.get('vmsize'));
    const fileoff = num(s.kv.get('fileoff'));
    const filesize = num(s.kv.get('filesize'));
    assert.equal(vm % page, 0, `${name} vmaddr aligned`);
    assert.equal(fileoff % page, 0, `${name} fileoff aligned`);
    assert.ok(filesize <= vmsize || name === '__LINKEDIT', `${name} filesize <= vmsize`);
    assert.ok(vm >= prevEnd, `${name} does not overlap`);
    prevEnd = vm + vmsize;
    const prot = s.kv.get('initprot')!;
    assert.equal(s.kv.get('maxprot'), prot);
    assert.ok(!(prot.includes('w') && prot.includes('x')), `${name} is not writable and executable`);
    if (name === '__TEXT') {
      assert.equal(fileoff, 0);
      assert.equal(prot, 'r-x');
    }
    if (name === '__DATA_CONST') {
      assert.equal(prot, 'rw-');
      if (o.producer !== 'lld') assert.equal(num(s.kv.get('flags')) & 0x10, 0x10, '__DATA_CONST is SG_READ_ONLY');
    }
    if (name === '__LINKEDIT') assert.equal(prot, 'r--');
    for (const sec of s.sections) {
      const addr = num(sec.get('addr'));
      const size = num(sec.get('size'));
      assert.equal(sec.get('segname'), name);
      assert.ok(addr >= vm && addr + size <= vm + vmsize, `${sec.get('sectname')} inside ${name}`);
      if (sec.get('type') !== 'S_ZEROFILL') assert.equal(num(sec.get('offset')), fileoff + (addr - vm), `${sec.get('sectname')} file offset`);
    }
  }
  // The macho package sees the same sections at the same addresses.
  const pSects = parsed.cmds.flatMap((c) => c.sections ?? []).map((s) => `${s.sectname}@${s.addr.toString(16)}`);
  assert.deepEqual(pSects, segs.flatMap((s) => s.sections.map((x) => `${x.get('sectname')}@${num(x.get('addr')).toString(16)}`)));

  // Entry inside __text; the symbol there.
  const text = segs.flatMap((s) => s.sections).find((s) => s.get('sectname') === '__text')!;
  const textOff = num(text.get('offset'));
  const entryoff = num(cmds.find((c) => c.kv.get('cmd') === 'LC_MAIN')!.kv.get('entryoff'));
  assert.ok(entryoff >= textOff && entryoff < textOff + num(text.get('size')), 'entry inside __text');
  const textSeg = segs.find((s) => s.kv.get('segname') === '__TEXT')!;
  const entryAddr = num(textSeg.kv.get('vmaddr')) + entryoff;
  const entryLabel = new RegExp(`^(\\S+):\\n${entryAddr.toString(16)}:`, 'm').exec(r.stdout);
  assert.ok(entryLabel, 'a symbol labels the entry');

  // Exports: the header and the entry; function starts: the entry.
  const exports = o.chained ? chainedExports(file, cmds) : exportsFromObjdump(r.stdout);
  assert.equal(exports.get('__mh_execute_header'), num(textSeg.kv.get('vmaddr')));
  if (o.producer !== 'lld') assert.equal(exports.get(entryLabel![1]!), entryAddr, 'entry exported');
  const fs = run(tool, ['--macho', '--function-starts', path]);
  assert.equal(fs.stderr, '');
  assert.ok(fs.stdout.split('\n').some((l) => l.trim() !== '' && parseInt(l.trim(), 16) === entryAddr), 'function starts list the entry');

  // Imports: bound to the libSystem ordinal.
  const libs = dylibs(cmds);
  assert.ok(libs.includes('/usr/lib/libSystem.B.dylib'));
  let binds: string[];
  if (o.chained) {
    binds = chainedBinds(file, cmds, segs, page).map((b) => {
      const [addr, sym, ord] = b.split(' ');
      return `${addr} ${sym} ${libs[Number(ord) - 1]}`;
    });
  } else {
    binds = [];
    const bt = /Bind table:\n.*\n([\s\S]*?)\n\n/.exec(r.stdout + '\n\n');
    for (const line of (bt?.[1] ?? '').split('\n')) {
      const m = /^\S+\s+\S+\s+(0x[0-9a-f]+)\s+pointer\s+-?\d+\s+(\S+)\s+(\S+)/i.exec(line.trim());
      if (m) binds.push(`0x${Number(m[1]).toString(16)} ${m[3]} ${m[2] === 'libSystem' ? '/usr/lib/libSystem.B.dylib' : m[2]}`);
    }
    const lazy = /Lazy bind table:\n.*\n([\s\S]*?)\n(?:\n|Indirect|$)/.exec(r.stdout);
    for (const line of (lazy?.[1] ?? '').split('\n')) {
      const m = /^\S+\s+\S+\s+(0x[0-9a-f]+)\s+(\S+)\s+(\S+)/i.exec(line.trim());
      if (m) binds.push(`0x${Number(m[1]).toString(16)} ${m[3]} ${m[2] === 'libSystem' ? '/usr/lib/libSystem.B.dylib' : m[2]}`);
    }
  }
  for (const b of binds) assert.match(b, / \/usr\/lib\/libSystem\.B\.dylib$/, `bound from libSystem: ${b}`);
  const imports = [...new Set(binds.map((b) => b.split(' ')[1]!).filter((s) => s !== 'dyld_stub_binder'))].sort();
  for (const e of o.expectImports) assert.ok(imports.includes(e), `${e} is bound`);

  // Indirect symbols of __stubs and the pointer sections.
  const indirect = new Map<number, string>();
  const indRe = /Indirect symbols for \((\S+)\) \d+ entries\naddress\s+index name\n((?:0x[0-9a-f]+\s+\S+\s+\S+\n?)*)/g;
  const stubs = new Map<number, string>();
  for (let m; (m = indRe.exec(r.stdout)); ) {
    for (const line of m[2]!.trim().split('\n')) {
      const [addr, , name] = line.trim().split(/\s+/);
      if (!addr) continue;
      if (m[1] === '__TEXT,__stubs') stubs.set(Number(addr), name!);
      else indirect.set(Number(addr), name!);
    }
  }
  // Every stub jumps through a slot that stands for the same symbol.
  const stubSect = segs.flatMap((s) => s.sections).find((s) => s.get('sectname') === '__stubs');
  if (stubSect) {
    const stubSize = num(stubSect.get('reserved2'));
    const sAddr = num(stubSect.get('addr'));
    const sOff = num(stubSect.get('offset'));
    for (const [addr, name] of stubs) {
      const at = sOff + (addr - sAddr);
      let slot: number;
      if (o.arch === 'amd64') {
        assert.equal(stubSize, 6);
        assert.deepEqual([file[at], file[at + 1]], [0xff, 0x25], 'stub is jmp *rel32(%rip)');
        slot = addr + 6 + file.readInt32LE(at + 2);
      } else {
        assert.equal(stubSize, 12);
        const adrpW = file.readUInt32LE(at), ldrW = file.readUInt32LE(at + 4), brW = file.readUInt32LE(at + 8);
        assert.equal((adrpW & 0x9f00001f) >>> 0, 0x90000010, 'adrp x16');
        assert.equal((ldrW & 0xffc003ff) >>> 0, 0xf9400210, 'ldr x16, [x16, #off]');
        assert.equal(brW, 0xd61f0200, 'br x16');
        let pages = ((adrpW >>> 29) & 3) | (((adrpW >>> 5) & 0x7ffff) << 2);
        if (pages & (1 << 20)) pages -= 1 << 21;
        slot = (Math.floor(addr / 4096) + pages) * 4096 + ((ldrW >>> 10) & 0xfff) * 8;
      }
      assert.equal(indirect.get(slot), name, `stub for ${name} jumps through its slot (0x${slot.toString(16)})`);
      assert.ok(binds.some((b) => b.startsWith(`0x${slot.toString(16)} ${name} `)) || lazyOk(r.stdout, slot, name), `slot of ${name} is bound`);
    }
  }
  // Every call site to an import reaches a stub.
  const callRe = o.arch === 'amd64' ? /callq\s+0x([0-9a-f]+) ## symbol stub for: (\S+)/g : /\bbl\s+0x([0-9a-f]+) ; symbol stub for: (\S+)/g;
  const called = new Set<string>();
  for (let m; (m = callRe.exec(r.stdout)); ) {
    assert.equal(stubs.get(parseInt(m[1]!, 16)), m[2], `call to ${m[2]} reaches its stub`);
    called.add(m[2]!);
  }

  // The signature: recompute every page hash with node:crypto.
  if (o.signed) {
    const cs = cmds.find((c) => c.kv.get('cmd') === 'LC_CODE_SIGNATURE')!;
    const sigOff = num(cs.kv.get('dataoff'));
    assert.equal(sigOff + num(cs.kv.get('datasize')), file.length, 'signature ends the file');
    assert.equal(file.readUInt32BE(sigOff), 0xfade0cc0);
    const count = file.readUInt32BE(sigOff + 8);
    let cd = -1;
    for (let i = 0; i < count; i++) if (file.readUInt32BE(sigOff + 12 + 8 * i) === 0) cd = sigOff + file.readUInt32BE(sigOff + 16 + 8 * i);
    assert.ok(cd > 0, 'a CodeDirectory');
    assert.equal(file.readUInt32BE(cd), 0xfade0c02);
    assert.equal(file.readUInt32BE(cd + 12) & 0x2, 0x2, 'adhoc');
    const hashOffset = file.readUInt32BE(cd + 16);
    const nSlots = file.readUInt32BE(cd + 28);
    const codeLimit = file.readUInt32BE(cd + 32);
    assert.equal(codeLimit, sigOff);
    assert.equal(file[cd + 37], 2, 'SHA-256');
    const pageSize = 1 << file[cd + 39]!;
    assert.equal(nSlots, Math.ceil(codeLimit / pageSize));
    for (let i = 0; i < nSlots; i++) {
      const h = createHash('sha256').update(new Uint8Array(file.subarray(i * pageSize, Math.min((i + 1) * pageSize, codeLimit)))).digest('hex');
      assert.equal(file.toString('hex', cd + hashOffset + 32 * i, cd + hashOffset + 32 * (i + 1)), h, `page ${i} hash`);
    }
    assert.equal(Number(file.readBigUInt64BE(cd + 64)), 0, 'execSegBase = __TEXT');
    assert.equal(Number(file.readBigUInt64BE(cd + 72)), num(textSeg.kv.get('filesize')), 'execSegLimit = __TEXT size');
  }
  return { imports, entrySymbol: entryLabel![1]!, segments: segNames, loadCommands: names };
}

/** lld binds stub pointers lazily: accept a lazy bind of the slot. */
function lazyOk(out: string, slot: number, name: string): boolean {
  return new RegExp(`0x0*${slot.toString(16)}\\s+\\S+\\s+${name.replace(/[.$]/g, '\\$&')}`, 'i').test(out);
}

function exportsFromObjdump(out: string): Map<string, number> {
  const m = new Map<string, number>();
  const sect = /Exports trie:\n((?:0x[0-9a-fA-F]+\s+\S+.*\n?)*)/.exec(out);
  for (const line of (sect?.[1] ?? '').split('\n')) {
    const x = /^(0x[0-9a-fA-F]+)\s+(\S+)/.exec(line.trim());
    if (x) m.set(x[2]!, Number(x[1]));
  }
  return m;
}

/** Walks LC_DYLD_EXPORTS_TRIE (llvm-objdump 14 does not read it): name -> address (header-relative + __TEXT base). */
function chainedExports(file: Buffer, cmds: Block[]): Map<string, number> {
  const c = cmds.find((x) => x.kv.get('cmd') === 'LC_DYLD_EXPORTS_TRIE')!;
  const start = num(c.kv.get('dataoff'));
  const out = new Map<string, number>();
  for (const [name, e] of walkExportTrie(file.subarray(start, start + num(c.kv.get('datasize'))))) out.set(name, 0x100000000 + e.address);
  return out;
}

/** The exports an export trie's bytes hold, walked here (not with asmlink's decoder): name -> flags and header-relative address. */
export function walkExportTrie(b: Buffer): Map<string, { flags: number; address: number }> {
  const out = new Map<string, { flags: number; address: number }>();
  const uleb = (p: { i: number }): number => {
    let v = 0, sh = 0, x: number;
    do {
      x = b[p.i++]!;
      v += (x & 0x7f) * 2 ** sh;
      sh += 7;
    } while (x & 0x80);
    return v;
  };
  const walk = (off: number, prefix: string): void => {
    const p = { i: off };
    const size = uleb(p);
    if (size) {
      const q = { i: p.i };
      const flags = uleb(q);
      out.set(prefix, { flags, address: uleb(q) });
    }
    p.i += size;
    const n = b[p.i++]!;
    for (let k = 0; k < n; k++) {
      const e = b.indexOf(0, p.i);
      const label = b.toString('latin1', p.i, e);
      p.i = e + 1;
      walk(uleb(p), prefix + label);
    }
  };
  walk(0, '');
  return out;
}
