// External link mode: the whole live program becomes ONE relocatable object
// for the host linker (cc/ld on Linux, ld64 on macOS), plus the list of
// libraries its imports name. Relocations to imports name the import's remote
// symbol and keep the type that makes the host linker build the PLT/GOT:
// calls stay R_CALL (R_X86_64_PLT32), address loads become R_GOTPCREL
// (the LEAQ was already turned into a MOVQ by the planning step), data
// addresses stay R_ADDR. File-local symbols that repeat across objects get a
// `.N` suffix (N the object's index), since the object writer names them.

import { heldInsts } from '../obj/line-tables.js';
import type { DiagnosticSink } from '../diag.js';
import type { DynImport, ObjectFile, Symbol } from '../obj/symbol.js';
import type { Reloc } from '../obj/reloc.js';
import { relocAt, routedType, scratchReloc } from './reloc-cols.js';
import { objectFrames, zeroLengths } from './eh-frame.js';
import { HOW_GOT, HOW_SKIP, isImport, type Import, type LSym, type Program } from './program.js';

/**
 * GCC's i386 pc thunks (__x86.get_pc_thunk.bx and kin) are hidden and
 * COMDAT in every object, glibc's crt files included. The object asmlink
 * writes has no COMDAT groups, so its copy would be a second definition
 * beside crt1.o's: GNU ld keeps the first and then cannot tie this object's
 * .eh_frame entry for the thunk to this object ("error in .eh_frame", and
 * no .eh_frame_hdr, so no exception unwinds). Hidden, each is the
 * program's own: it is file-local in the object.
 */
function isPcThunk(prog: Program, s: LSym): boolean {
  return prog.target.arch === '386' && s.flags.dupok === true && !!prog.objects[s.obj]?.indivisible && s.name.startsWith('__x86.get_pc_thunk.');
}

export function externalObject(prog: Program, diag: DiagnosticSink): ObjectFile {
  // A versioned import is an undefined `name@VERSION` in the object: the
  // name gas gives a `.symver name, name@VERSION` reference, which GNU ld
  // binds to that version of the library's symbol. Mach-O has no versions.
  const hostName = (imp: Import): string => (imp.version !== undefined && prog.target.os !== 'darwin' ? `${imp.remote}@${imp.version}` : imp.remote);
  const outName = new Map<LSym, string>();
  const usedLocal = new Set<string>();
  for (const s of prog.syms) {
    let name = s.name;
    if (s.local) {
      if (usedLocal.has(name)) name = `${name}.${s.obj}`;
      usedLocal.add(name);
    } else if (prog.shadowed?.has(s)) {
      // A definition another took the place of (a weak one, a common, a
      // COMDAT copy) stays, as its object is linked whole, but file-local
      // and renamed: the name is the winner's, which relocations mean.
      name = `${name}.${s.obj}`;
    }
    outName.set(s, name);
  }
  const symbols: Symbol[] = [];
  // The stand-ins for weak references to nothing (weak-undefined.ts) are not
  // defined here: the object refers to them weakly, as its inputs did.
  const weakRefs: string[] = [];
  // The imports relocations name, by the name they get in the object.
  const referenced = new Map<string, Import>();
  const cols = prog.relocs;
  const hows = cols.how;
  const r = scratchReloc();
  for (const s of prog.syms) {
    if (s.flags.undefinedWeak === true) {
      weakRefs.push(s.name);
      continue;
    }
    const relocs: Reloc[] = [];
    for (let i = 0; i < s.rn; i++) {
      const t = cols.target(s.r0 + i);
      const how = hows[s.r0 + i];
      if (t === null || how === HOW_SKIP) continue;
      relocAt(s, i, r);
      let sym: string;
      if (isImport(t)) {
        sym = hostName(t);
        if (!referenced.has(sym)) {
          referenced.set(sym, t);
          if (t.weak) weakRefs.push(sym);
        }
      } else sym = outName.get(t)!;
      const nr: Reloc = { off: r.off, size: r.size, type: routedType(r.type, how), sym, add: r.add, line: r.line };
      if (isImport(t) && how === HOW_GOT) {
        if (r.type === 'R_PCREL') nr.type = prog.target.arch === 'arm64' ? 'R_ARM64_GOTPCREL' : 'R_GOTPCREL';
        if (r.type === 'R_ADDRARM64') nr.type = 'R_ARM64_GOTPCREL';
        if (r.type === 'R_ARM64_PAGE') nr.type = 'R_ARM64_GOTPAGE';
        if (r.type === 'R_ARM64_PAGEOFF') nr.type = 'R_ARM64_GOTPAGEOFF';
      }
      relocs.push(nr);
    }
    const sym: Symbol = { ...s.sym, name: outName.get(s)!, data: s.data, relocs };
    // Frames of code another object's copy replaced describe nothing here (eh-frame.ts).
    if (s.kind === 'eh_frame') {
      const { dropped } = objectFrames(prog, s);
      if (dropped.length) zeroLengths((sym.data = s.data.slice()), dropped);
    }
    if (isPcThunk(prog, s) || prog.shadowed?.has(s)) sym.flags = { ...sym.flags, local: true };
    if (prog.opts.debug && s.kind === 'text') {
      const insts = s.insts;
      if (insts) sym.insts = heldInsts(insts);
    }
    symbols.push(sym);
  }
  // A symbol of the program named as an import's library symbol would be
  // what the system linker binds the import's references to.
  for (const s of prog.syms) {
    const name = outName.get(s)!;
    const imp = referenced.get(name);
    if (imp === undefined) continue;
    diag.error(
      { file: imp.file, line: imp.line, col: 0 },
      `import ${imp.local} names ${imp.remote} in "${imp.library}", and the program defines ${name} too: in the object for the system linker both are named ${name}, so it would bind the import's references to that definition`,
      [`${s.file}:${s.line}: definition of ${name}`],
    );
  }
  diag.check();
  // The object stays self-describing: its imports, now named by their remote
  // names, travel in .asmlink.dynimport (the host linker ignores that
  // section), so asmlink itself can link it again.
  // Library-only entries first keep the libraries' order.
  const dynimports: DynImport[] = prog.libraries.map((library) => ({ local: '_', remote: '_', library, file: '', line: 0 }));
  const seen = new Set<string>();
  for (const imp of prog.imports) {
    // The program's indirect functions are its own definitions (SymFlags.ifunc), which the object writes as such.
    if (imp.ifunc !== undefined) continue;
    const name = hostName(imp);
    if (seen.has(name)) continue;
    seen.add(name);
    const d: DynImport = { local: name, remote: imp.remote, library: imp.library, file: imp.file, line: imp.line };
    if (name !== imp.remote) d.version = imp.version;
    dynimports.push(d);
  }
  return { target: prog.target, name: 'go.o', symbols, dynimports, ...(weakRefs.length ? { weakRefs } : {}), ...(prog.opts.debug ? { debug: { compDir: prog.opts.debug.compDir } } : {}) };
}
