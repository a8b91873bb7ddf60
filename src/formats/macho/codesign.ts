// The ad-hoc, linker-signed code signature (cs_blobs.h; every field
// big-endian): an embedded-signature SuperBlob holding one CodeDirectory
// with the SHA-256 of every 4 KiB page of the file up to the signature.
// This is what ld64 and lld write when they sign: flags adhoc|linker-signed,
// no requirements blob, no special slots, the identifier being the output's
// name, and the executable segment (__TEXT) named so the kernel knows which
// pages hold code. Apple silicon refuses to run arm64 code without it.

import * as C from './consts.js';
import { ByteWriter } from './bytes.js';
import { sha256 } from '../sha256.js';

export const CS_PAGE_SIZE = 4096;
const SUPERBLOB_HEADER = 12;
const BLOB_INDEX = 8;
/** The SuperBlob header with its one index, padded to 8 bytes. */
const BLOBS_START = 24;
/** Size of a version 0x20400 CodeDirectory header (through execSegFlags). */
const CD_HEADER = 88;

export interface CodeSignOptions {
  identifier: string;
  /** File offset and size of the executable segment (__TEXT). */
  execSegBase: number;
  execSegLimit: number;
  /** Set for a main executable (CS_EXECSEG_MAIN_BINARY). */
  mainBinary: boolean;
}

function identBytes(id: string): Uint8Array {
  return new TextEncoder().encode(id + '\0');
}

/** Bytes the signature occupies for a file whose signed part is `codeLimit` bytes. */
export function codeSignatureSize(codeLimit: number, identifier: string): number {
  const slots = Math.ceil(codeLimit / CS_PAGE_SIZE);
  return BLOBS_START + CD_HEADER + identBytes(identifier).length + slots * C.CS_SHA256_LEN;
}

/** Signs `file[0, codeLimit)`; the result is to be placed at file offset codeLimit. */
export function writeCodeSignature(file: Uint8Array, codeLimit: number, o: CodeSignOptions): Uint8Array {
  const ident = identBytes(o.identifier);
  const slots = Math.ceil(codeLimit / CS_PAGE_SIZE);
  const hashOffset = CD_HEADER + ident.length;
  const cdLength = hashOffset + slots * C.CS_SHA256_LEN;
  const total = BLOBS_START + cdLength;
  const w = new ByteWriter(false, total);
  w.u32(C.CSMAGIC_EMBEDDED_SIGNATURE).u32(total).u32(1);
  w.u32(C.CSSLOT_CODEDIRECTORY).u32(BLOBS_START);
  w.zeros(BLOBS_START - SUPERBLOB_HEADER - BLOB_INDEX);
  w.u32(C.CSMAGIC_CODEDIRECTORY).u32(cdLength).u32(C.CS_CODEDIRECTORY_VERSION).u32(C.CS_ADHOC | C.CS_LINKER_SIGNED);
  w.u32(hashOffset).u32(CD_HEADER).u32(0 /* special slots */).u32(slots).u32(codeLimit);
  w.u8(C.CS_SHA256_LEN).u8(C.CS_HASHTYPE_SHA256).u8(0 /* platform */).u8(Math.log2(CS_PAGE_SIZE));
  w.u32(0 /* spare2 */).u32(0 /* scatterOffset */).u32(0 /* teamOffset */).u32(0 /* spare3 */);
  w.u64(0 /* codeLimit64: codeLimit fits 32 bits */);
  w.u64(o.execSegBase).u64(o.execSegLimit).u64(o.mainBinary ? C.CS_EXECSEG_MAIN_BINARY : 0);
  w.bytes(ident);
  for (let i = 0; i < slots; i++) {
    const start = i * CS_PAGE_SIZE;
    w.bytes(sha256(file.subarray(start, Math.min(start + CS_PAGE_SIZE, codeLimit))));
  }
  return w.finish();
}
