// Mach-O: relocatable objects (write and read back), and the pieces the
// executable writer (src/link/macho-exec.ts) assembles.
export { writeMachOObject, type MachOObjectOptions } from './object.js';
export { readMachOObject, machoUndefinedSymbols } from './read-object.js';
export { writeTbd, type TbdOptions } from './tbd.js';
export { writeCodeSignature, codeSignatureSize, type CodeSignOptions } from './codesign.js';
export { encodeExportTrie, decodeExportTrie, type Export } from './trie.js';
export { encodeRebases, encodeBinds, type Rebase, type Bind } from './dyld-info.js';
export { buildChainedFixups, type ChainedInput, type ChainedOutput, type ChainFixup } from './chained.js';
export { encodeFunctionStarts, decodeFunctionStarts } from './function-starts.js';
export { parseMacosVersion, formatMacosVersion, defaultMacosMin } from './version.js';
export { sha256 } from '../sha256.js';
