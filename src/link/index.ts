export { link } from './link.js';
export type { LinkOptions, LinkResult, LinkMode, ExecWriter, Layout, Program, LSym, Import, OutSection, SectionKind, GotEntry, DynReloc } from './program.js';
export { HOW_DIRECT, HOW_PLT, HOW_GOT, HOW_DYN, HOW_SKIP } from './program.js';
export type { ArchHooks, ElfExecArch } from './arch.js';
export { archHooks } from './arch.js';
