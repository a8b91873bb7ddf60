// The programmatic API. Everything here is free of file and process I/O.
export { assemble, type AssembleOptions, type SourcePieces } from './asm/assemble.js';
export { jsonListing, textListing, type JsonListing } from './asm/listing.js';
export { assembleAll, defaultEntry, predefinedMacros, type SourceInput, type AssembleAllOptions } from './build.js';
export { link } from './link/link.js';
export type { LinkOptions, LinkResult } from './link/program.js';
export { writeObject, readObject, readArchive, isArchive } from './formats/objects.js';
export { DiagnosticError, formatDiagnostic, type Diagnostic, type SourcePos } from './diag.js';
export type { Target, OS, ArchName, Libc } from './target.js';
export type { ObjectFile, Symbol, SymKind, DynImport, Reloc, RelocType } from './obj/index.js';
export { generateBindings, bindingsFor, parseDeclarations, emitTrampoline } from './gen/index.js';
export type { Binding, FuncDecl, GenerateOptions } from './gen/index.js';
export { build, runtimeSourcesFor, runtimeObjectsFor, type BuildOptions, type ThreadsVariant } from './build-program.js';
