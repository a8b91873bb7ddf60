// The linker: objects in, an executable (internal mode) or one relocatable
// object plus a library list (external mode) out, written by the format
// writers it is handed (link.ts hands it every format's; the command line
// loads only the target's, see load-writers.ts). No I/O.
//
//   resolve    global table, per-object `<>` locals, DUPOK, duplicates, imports
//   deadcode   reachability from the entry through relocations
//   dynimport  route relocations to imports through PLT / GOT / dynamic relocs
//   sections   live symbols grouped by kind, offsets
//   layout     the FORMAT assigns addresses (ExecWriter.layout)
//   contents   symbols copied into the sections (where the format wants them)
//   relocate   arch hooks patch the contents in place
//   write      the FORMAT writes the file (ExecWriter.write)
//
// THE FORMAT SEAM (for Mach-O and any other executable format):
// an ExecWriter (program.ts) is registered per OS in writers.ts and
// load-writers.ts. The core hands it a Program: the target, the live symbols (LSym: name, section,
// offset; `addr` filled by the core after layout), five format-neutral
// sections (text, rodata, data, bss, tls — placed; contents are filled after layout), the
// imports with their PLT/stub index (`plt`) and GOT slot index (`got`), the
// GOT entries (imports or defined symbols), the dynamic relocations (an
// import's address stored in data), the libraries and the entry symbol.
//   1. layout(prog): assign every OutSection.addr and its own structures
//      (PLT or __stubs, GOT or __got, headers, load commands), and return a
//      Layout answering pltAddr(i) (ELF PLT entry / Mach-O stub i),
//      gotAddr(i) and tlsOffset(sym) (the value R_TLS_LE stores). Every
//      address the core holds is the virtual address less Layout.bias
//      (0 for ELF; the image base for Mach-O, to keep the numbers small).
//   2. the core sets each LSym.addr = section.addr + off and applies every
//      relocation with the arch hook (arch.ts; R_ADDR, the absolute one,
//      gets the bias added back): calls to imports go to
//      pltAddr, GOT loads to gotAddr; HOW_DYN relocations are left for the
//      writer to express (ELF R_X86_64_64 in .rela.dyn, Mach-O a bind).
//   3. write(prog, layout): the file's bytes, using the relocated section
//      contents (OutSection.data) and Import.dynIndex it assigned.
// The arch hooks (arch-*.ts) are format-neutral except for the `elf` block;
// Mach-O-specific stub code belongs to the Mach-O writer (macho-*.ts).
// External mode uses the object writer (FormatWriters.object) on the merged ObjectFile.

import type { DynImport, ObjectFile, SharedLibrary } from '../obj/symbol.js';
import { DiagnosticError, DiagnosticSink, plainError } from '../diag.js';
import { targetName } from '../target.js';
import { archHooks } from './arch.js';
import { selectArchiveMembers } from './archives.js';
import { refuseImportsWithoutLibc } from '../runtime/select.js';
import { losingGroups } from './comdat.js';
import { deadcode } from './deadcode.js';
import { planDebugInfo } from './debug-info.js';
import { planDynamic } from './dynimport.js';
import { externalObject } from './external.js';
import { linkerDefinedObject, linkerObjectIndex, orderArrays } from './init-arrays.js';
import { orderNamedSections } from './named-sections.js';
import type { FormatWriters, Import, LinkOptions, LinkResult, LSym, Program } from './program.js';
import { libraryCopyFacts, libraryFunction } from './copy-data.js';
import { relocate } from './relocate.js';
import { resolve } from './resolve.js';
import { fillSections, planSections } from './sections.js';
import { staticUndefinedDiagnostics, undefinedDiagnostics } from './undefined.js';
import { placeWeakUndefined, weakOnlyNames, weakUndefinedObject } from './weak-undefined.js';
import { placeImageSymbols } from './image-symbols.js';

/** The imports, from the first library that exports each, of the names given (`weak`: those only weak references name); null when there is none. */
function libraryImports(target: ObjectFile['target'], names: Iterable<string>, libraries: readonly SharedLibrary[], weak: ReadonlySet<string>): ObjectFile | null {
  const dynimports: DynImport[] = [];
  for (const name of names) {
    for (const lib of libraries) {
      const e = lib.exports.get(name);
      if (e === undefined) continue;
      dynimports.push({ local: name, remote: name, library: lib.soname, file: `-l ${lib.soname}`, line: 0, ...(e.version !== undefined ? { version: e.version } : {}), ...(weak.has(name) ? { weak: true } : {}) });
      break;
    }
  }
  return dynimports.length ? { target, name: '<imports from -l libraries>', symbols: [], dynimports } : null;
}

export function linkWith(inputs: ObjectFile[], opts: LinkOptions, writers: FormatWriters): LinkResult {
  const t = opts.target;
  // The bounds of the static constructor and destructor arrays, and __dso_handle (init-arrays.ts);
  // of static libraries' members, those the program needs (archives.ts).
  // An internal --static link takes the C library's definitions from its archive (libc.a): imports name them.
  const staticImports = opts.staticLibc === true && opts.linkmode === 'internal';
  const selected = selectArchiveMembers(inputs, [opts.entry, ...(opts.keep ?? [])], staticImports);
  if (opts.withoutLibc) refuseImportsWithoutLibc(selected);
  const objects = t.os === 'linux' ? [...selected, linkerDefinedObject(t, selected)] : selected;
  for (const o of objects)
    if (o.target.os !== t.os || o.target.arch !== t.arch)
      throw plainError(`object is for ${targetName(o.target)}, linking for ${targetName(t)}`, o.name);
  if (opts.libc !== undefined && t.os !== 'linux') throw plainError(`the C library (libc: ${opts.libc}) is chosen for linux targets only; ${targetName(t)} programs use libSystem`);
  const hooks = archHooks(t.arch);
  const limit = opts.maxErrors ?? 50;
  const diag = new DiagnosticSink(limit);

  const phase = opts.onPhase ?? (() => {});
  const walk = () => {
    const res = resolve(objects, diag, staticImports);
    diag.check();
    // musl's C library and static archives have no symbol versions: a `remote#VERSION` import binds the plain name.
    if (opts.libc === 'musl' || opts.staticLibc) for (const imp of res.imports) delete imp.version;
    phase('resolve');
    const entryId = res.lookup(opts.entry);
    if (entryId < 0) throw plainError(`entry symbol ${opts.entry} is not defined${opts.entryHint ? ` (${opts.entryHint})` : ''}`);
    const roots: number[] = [entryId];
    // Another assembler's objects are linked whole (ObjectFile.indivisible), but for the COMDAT groups whose copy lost.
    const discarded = losingGroups(res, objects);
    for (let oi = 0; oi < objects.length; oi++) {
      if (!objects[oi]!.indivisible) continue;
      for (let g = res.base[oi]; g < res.base[oi] + res.objs[oi].count; g++) if (discarded === null || discarded.groupOf[g] < 0) roots.push(g);
    }
    for (const name of opts.keep ?? []) {
      const k = res.lookup(name);
      if (k < 0) throw plainError(`symbol ${name} to keep is not defined`);
      roots.push(k);
    }
    return { res, entryId, ...deadcode(res, roots, discarded) };
  };
  let walked = walk();
  // Names still undefined that a library given to the link (`-l`) exports
  // become its imports, as a system linker binds them; then again.
  const imported = walked.undefs.size && opts.sharedLibraries?.length ? libraryImports(t, walked.undefs.keys(), opts.sharedLibraries, new Set(weakOnlyNames(walked.undefs, objects))) : null;
  if (imported) {
    const at = linkerObjectIndex({ objects });
    objects.splice(at >= 0 ? at : objects.length, 0, imported);
    walked = walk();
  }
  // Names only weak references name, and nothing defines, are 0 (weak-undefined.ts); then again.
  const weakNames = t.os === 'linux' && walked.undefs.size ? weakOnlyNames(walked.undefs, objects) : [];
  if (weakNames.length) {
    const at = linkerObjectIndex({ objects });
    objects.splice(at >= 0 ? at : objects.length, 0, weakUndefinedObject(t, weakNames, objects));
    walked = walk();
  }
  const { res, entryId, live, undefs, relocs, importRefs } = walked;
  const weakStandIns = weakNames.map((name) => res.sym(res.lookup(name)));
  if (undefs.size && staticImports) throw new DiagnosticError(staticUndefinedDiagnostics(undefs, objects, () => res.globalNames(), limit));
  if (undefs.size) throw new DiagnosticError(undefinedDiagnostics(undefs, () => res.globalNames(), limit, (s) => !!objects[s.obj]?.indivisible, t.os));
  const entry = res.sym(entryId);
  const arrayEntry = orderArrays(live, objects);
  orderNamedSections(live, objects, linkerObjectIndex({ objects }));
  if (arrayEntry !== null && res.libraries.length === 0 && !staticImports)
    throw plainError(`static constructors and destructors (${arrayEntry.name.replace(/<>$/, '')}) are run by the C library, and this program imports nothing from it (a static executable): import a C library function, or call the initialisation from the program`, arrayEntry.file);
  phase('deadcode');

  const external = opts.linkmode === 'external';
  if (!external && hooks.unsupported) throw plainError(hooks.unsupported);
  const libraryOf = (imp: Import) => opts.sharedLibraries?.find((l) => l.soname === imp.library);
  const libraryFacts = (imp: Import) => {
    const lib = libraryOf(imp);
    return lib && libraryCopyFacts(lib, imp.remote);
  };
  const isFunction = (imp: Import) => {
    const lib = libraryOf(imp);
    return lib !== undefined && libraryFunction(lib, imp.remote);
  };
  const plan = planDynamic(live, relocs, hooks, opts.linkmode, diag, t.os === 'linux' ? { refs: importRefs, sym: (g) => res.sym(g), library: libraryFacts, isFunction } : undefined, res.ifuncOf, t.os === 'linux');
  diag.check();
  phase('dynamic imports');

  const prog: Program = {
    target: t,
    opts,
    hooks,
    objects,
    // Planned in external mode too, which writes symbols, not sections: its
    // sections are limited as an internal link's are (planSections diagnoses
    // an oversized one), and finding that out here spares writing gigabytes.
    sections: planSections(live, (s) => !!objects[s.obj]?.indivisible),
    syms: live,
    // Only other tools' objects keep a shadowed definition live (they are linked whole).
    shadowed: new Set(res.shadowed.map((g) => res.defs()[g]).filter((s): s is LSym => s !== undefined)),
    relocs,
    imports: res.imports,
    plt: plan.plt,
    got: plan.got,
    copies: plan.copies,
    dynRelocs: plan.dynRelocs,
    libraries: res.libraries,
    entry,
    extraSections: [],
  };
  phase('sections');
  const debug = opts.debug && !opts.strip && !external ? planDebugInfo(prog) : null;
  if (debug) {
    prog.extraSections = debug.sections;
    phase('debug info');
  }

  if (external) {
    const write = writers.object;
    if (!write) throw plainError(`external linking for ${targetName(t)} is not supported yet`);
    return { kind: 'object', bytes: write(externalObject(prog, diag)), libraries: res.libraries };
  }

  const writer = writers.exec;
  if (!writer) throw plainError(`writing executables for ${targetName(t)} is not supported yet`);
  const layout = writer.layout(prog);
  for (let i = 0; i < live.length; i++) {
    const s = live[i];
    if (s.section) s.addr = s.section.addr + s.off;
  }
  placeWeakUndefined(weakStandIns);
  placeImageSymbols(live, layout);
  phase('layout');
  fillSections(prog.sections, hooks.elf?.textFill ?? 0, (k) => layout.sectionBuffer?.(k) ?? null);
  phase('contents');
  relocate(prog, layout, diag);
  diag.check();
  phase('relocate');
  if (debug) {
    debug.place(layout.bias);
    phase('debug addresses');
  }
  const bytes = writer.write(prog, layout);
  phase('write');
  return { kind: 'executable', bytes };
}
