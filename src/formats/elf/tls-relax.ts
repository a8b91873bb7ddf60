// Thread-local variables that C compilers reach through the dynamic TLS models
// (general and local dynamic, initial exec, TLS descriptors: what -fPIC and
// -fPIE code uses for variables that may live in another module) are
// rewritten here, as the objects are read, to the local-exec model. The
// linker makes executables only, whose variables sit at offsets from the
// thread pointer that are known at link time, so each access sequence can
// load that offset instead of asking the GOT or __tls_get_addr; the psABIs
// define these rewrites and GNU ld and lld make the same ones. What is left is
// an R_TLS_LE on the instruction that now holds the offset.
//
// Each rewrite checks the bytes it replaces: a sequence other than the one the
// psABI fixes is refused, never patched blindly.

import * as C from './consts.js';
import type { ArchName } from '../../target.js';

/** The relocation that follows a TLS one, for the sequences that end with a call to __tls_get_addr. */
export interface NextEntry {
  type: number;
  off: number;
  sym: number;
}

/**
 * What a rewritten sequence leaves: an R_TLS_LE on the 4-byte field at `at`
 * (an offset in the section) with addend `add`, or nothing (`at` -1), and how
 * many relocation entries the sequence used up.
 */
export interface TlsRewrite {
  at: number;
  add: number;
  consumed: number;
}

const X86_64_TYPES = new Set([C.R_X86_64_GOTTPOFF, C.R_X86_64_TLSGD, C.R_X86_64_TLSLD, C.R_X86_64_DTPOFF32, C.R_X86_64_GOTPC32_TLSDESC, C.R_X86_64_TLSDESC_CALL]);
const I386_TYPES = new Set([C.R_386_TLS_IE, C.R_386_TLS_GOTIE, C.R_386_TLS_GD, C.R_386_TLS_LDM, C.R_386_TLS_LDO_32, C.R_386_TLS_GOTDESC, C.R_386_TLS_DESC_CALL]);
const AARCH64_TYPES = new Set([
  C.R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21,
  C.R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC,
  C.R_AARCH64_TLSDESC_ADR_PAGE21,
  C.R_AARCH64_TLSDESC_LD64_LO12,
  C.R_AARCH64_TLSDESC_ADD_LO12,
  C.R_AARCH64_TLSDESC_CALL,
]);

/** Whether an ELF relocation type belongs to a TLS access sequence this file rewrites. */
export function isTlsRewrite(arch: ArchName, type: number): boolean {
  return (arch === 'amd64' ? X86_64_TYPES : arch === '386' ? I386_TYPES : AARCH64_TYPES).has(type);
}

/** The section being read: its bytes (writable), where they start and end in `buf`, and whether it holds code. */
export interface TlsSection {
  buf: Uint8Array;
  start: number;
  size: number;
  code: boolean;
}

/**
 * Rewrites the access sequence whose relocation of `type` is at offset `off`
 * of the section (addend `add`), to local exec. `next` is the entry after it
 * and `nameOf` names a symbol (the call to __tls_get_addr a general- or
 * local-dynamic sequence ends with is part of it). Returns what is left to
 * relocate, or why the sequence cannot be rewritten.
 */
export function rewriteTls(
  arch: ArchName,
  type: number,
  sec: TlsSection,
  off: number,
  add: number,
  next: NextEntry | undefined,
  nameOf: (sym: number) => string,
): TlsRewrite | string {
  const b = new Bytes(sec, off);
  try {
    if (arch === 'amd64') return x86_64(type, b, off, add, next, nameOf, sec.code);
    if (arch === '386') return i386(type, b, off, add, next, nameOf, sec.code);
    return aarch64(type, b, off, add);
  } catch (e) {
    if (e instanceof PastTheEnd) return 'the thread-local access sequence runs past the end of its section';
    throw e;
  }
}

/** A rewrite would write outside the section (a damaged object: the sequence's bytes are checked, its last field not). */
class PastTheEnd extends Error {}

/** The section's bytes around a relocation's field, by offset from the field; reading outside the section gives -1. */
class Bytes {
  constructor(
    readonly sec: TlsSection,
    readonly field: number,
  ) {}
  at(d: number): number {
    const o = this.field + d;
    return o >= 0 && o < this.sec.size ? this.sec.buf[this.sec.start + o] : -1;
  }
  is(d: number, bytes: readonly number[]): boolean {
    return bytes.every((v, i) => this.at(d + i) === v);
  }
  put(d: number, bytes: readonly number[]): void {
    const o = this.field + d;
    if (o < 0 || o + bytes.length > this.sec.size) throw new PastTheEnd();
    this.sec.buf.set(bytes, this.sec.start + o);
  }
  word(d: number): number {
    const o = this.sec.start + this.field + d;
    const u = this.sec.buf;
    return (u[o] | (u[o + 1] << 8) | (u[o + 2] << 16) | (u[o + 3] << 24)) >>> 0;
  }
  putWord(d: number, w: number): void {
    this.put(d, [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24]);
  }
}

const keep = (at: number, add = 0, consumed = 1): TlsRewrite => ({ at, add, consumed });
const gone = (consumed: number): TlsRewrite => ({ at: -1, add: 0, consumed });

/** The call to __tls_get_addr (`name`) that ends a dynamic sequence, `at` bytes after its first field, by one of `types`. */
function callsTlsGetAddr(next: NextEntry | undefined, off: number, at: number, types: readonly number[], name: string, nameOf: (sym: number) => string): boolean {
  return next !== undefined && next.off === off + at && types.includes(next.type) && nameOf(next.sym) === name;
}

const X86_64_DIRECT_CALL = [C.R_X86_64_PLT32, C.R_X86_64_PC32];
const X86_64_GOT_CALL = [C.R_X86_64_GOTPCRELX, C.R_X86_64_GOTPCREL, C.R_X86_64_REX_GOTPCRELX];
// movq %fs:0, %rax: the thread pointer, which the x86-64 TCB holds at its own address.
const MOV_FS0_RAX = [0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0];

function x86_64(type: number, b: Bytes, off: number, add: number, next: NextEntry | undefined, nameOf: (sym: number) => string, code: boolean): TlsRewrite | string {
  switch (type) {
    case C.R_X86_64_GOTTPOFF: {
      // movq x@gottpoff(%rip), %reg → movq $x@tpoff, %reg; addq … → addq $x@tpoff, %reg.
      const rex = b.at(-3);
      const op = b.at(-2);
      const modrm = b.at(-1);
      if ((rex !== 0x48 && rex !== 0x4c) || (op !== 0x8b && op !== 0x03) || (modrm & 0xc7) !== 0x05)
        return 'R_X86_64_GOTTPOFF is not on a movq or addq x@gottpoff(%rip), %reg';
      b.put(-3, [rex === 0x4c ? 0x49 : 0x48, op === 0x8b ? 0xc7 : 0x81, 0xc0 | ((modrm >> 3) & 7)]);
      return keep(off);
    }
    case C.R_X86_64_TLSGD: {
      // .byte 0x66; leaq x@tlsgd(%rip), %rdi; .word 0x6666; rex64 call __tls_get_addr (or 0x66; rex64; call *__tls_get_addr@GOTPCREL(%rip)):
      // 16 bytes → movq %fs:0, %rax; leaq x@tpoff(%rax), %rax.
      const call = b.is(4, [0x66, 0x66, 0x48, 0xe8]) ? X86_64_DIRECT_CALL : b.is(4, [0x66, 0x48, 0xff, 0x15]) ? X86_64_GOT_CALL : null;
      if (!b.is(-4, [0x66, 0x48, 0x8d, 0x3d]) || call === null || !callsTlsGetAddr(next, off, 8, call, '__tls_get_addr', nameOf))
        return 'R_X86_64_TLSGD is not in the general-dynamic sequence of the psABI (leaq x@tlsgd(%rip), %rdi, then a call to __tls_get_addr)';
      b.put(-4, [...MOV_FS0_RAX, 0x48, 0x8d, 0x80, 0, 0, 0, 0]);
      return keep(off + 8, 0, 2);
    }
    case C.R_X86_64_TLSLD: {
      // leaq x@tlsld(%rip), %rdi; call __tls_get_addr (12 bytes, or 13 through the GOT) → movq %fs:0, %rax and a nop:
      // the module's block starts at the thread pointer's offset 0, so the R_X86_64_DTPOFF32 that follow hold offsets from it.
      const direct = b.at(4) === 0xe8 && callsTlsGetAddr(next, off, 5, X86_64_DIRECT_CALL, '__tls_get_addr', nameOf);
      const viaGot = b.is(4, [0xff, 0x15]) && callsTlsGetAddr(next, off, 6, X86_64_GOT_CALL, '__tls_get_addr', nameOf);
      if (!b.is(-3, [0x48, 0x8d, 0x3d]) || !(direct || viaGot))
        return 'R_X86_64_TLSLD is not in the local-dynamic sequence of the psABI (leaq x@tlsld(%rip), %rdi, then a call to __tls_get_addr)';
      b.put(-3, [...MOV_FS0_RAX, ...(direct ? [0x0f, 0x1f, 0x00] : [0x0f, 0x1f, 0x40, 0x00])]);
      return gone(2);
    }
    case C.R_X86_64_DTPOFF32:
      // In code, after the local-dynamic sequence above: an offset from the thread pointer now.
      if (!code) return 'R_X86_64_DTPOFF32 outside code (a thread-local offset in data) is not supported';
      return keep(off, add);
    case C.R_X86_64_GOTPC32_TLSDESC: {
      // leaq x@tlsdesc(%rip), %reg → movq $x@tpoff, %reg; the call through the descriptor below becomes a nop.
      const rex = b.at(-3);
      const modrm = b.at(-1);
      if ((rex !== 0x48 && rex !== 0x4c) || b.at(-2) !== 0x8d || (modrm & 0xc7) !== 0x05) return 'R_X86_64_GOTPC32_TLSDESC is not on a leaq x@tlsdesc(%rip), %reg';
      b.put(-3, [rex === 0x4c ? 0x49 : 0x48, 0xc7, 0xc0 | ((modrm >> 3) & 7)]);
      return keep(off);
    }
    case C.R_X86_64_TLSDESC_CALL:
      return descriptorCall(b, 'R_X86_64_TLSDESC_CALL is not on a call *(%rax)');
  }
  return `relocation type ${type} is not a TLS access`;
}

/** call *x@tlscall(%rax) (or %eax) → xchg %ax, %ax, a 2-byte nop: the offset is in the register already. */
function descriptorCall(b: Bytes, refused: string): TlsRewrite | string {
  if (!b.is(0, [0xff, 0x10])) return refused;
  b.put(0, [0x66, 0x90]);
  return gone(1);
}

const I386_DIRECT_CALL = [C.R_386_PLT32, C.R_386_PC32];
const I386_GOT_CALL = [C.R_386_GOT32X, C.R_386_GOT32];
// movl %gs:0, %eax: the thread pointer, which the i386 TCB holds at its own address.
const MOV_GS0_EAX = [0x65, 0xa1, 0, 0, 0, 0];

function i386(type: number, b: Bytes, off: number, add: number, next: NextEntry | undefined, nameOf: (sym: number) => string, code: boolean): TlsRewrite | string {
  switch (type) {
    case C.R_386_TLS_IE: {
      // Position-dependent: movl x@indntpoff, %eax (a1) or movl/addl x@indntpoff, %reg → movl/addl $x@ntpoff.
      if (b.at(-1) === 0xa1) {
        b.put(-1, [0xb8]);
        return keep(off);
      }
      return movOrAddImmediate(b, off, 0x05, 'R_386_TLS_IE is not on a movl or addl x@indntpoff, %reg');
    }
    case C.R_386_TLS_GOTIE:
      // Position-independent: movl/addl x@gotntpoff(%base), %reg → movl/addl $x@ntpoff, %reg.
      return movOrAddImmediate(b, off, 0x80, 'R_386_TLS_GOTIE is not on a movl or addl x@gotntpoff(%reg), %reg');
    case C.R_386_TLS_GD: {
      // leal x@tlsgd(,%ebx,1), %eax; call ___tls_get_addr — or leal x@tlsgd(%reg), %eax; call ___tls_get_addr; nop,
      // or leal x@tlsgd(%reg), %eax; call *___tls_get_addr@GOT(%reg): 12 bytes → movl %gs:0, %eax; addl $x@ntpoff, %eax.
      let start: number;
      if (b.is(-3, [0x8d, 0x04, 0x1d]) && b.at(4) === 0xe8 && callsTlsGetAddr(next, off, 5, I386_DIRECT_CALL, '___tls_get_addr', nameOf)) start = -3;
      else if (b.at(-2) === 0x8d && leaEaxDisp32(b.at(-1))) {
        const direct = b.at(4) === 0xe8 && b.at(9) === 0x90 && callsTlsGetAddr(next, off, 5, I386_DIRECT_CALL, '___tls_get_addr', nameOf);
        const viaGot = b.at(4) === 0xff && (b.at(5) & 0xf8) === 0x90 && callsTlsGetAddr(next, off, 6, I386_GOT_CALL, '___tls_get_addr', nameOf);
        if (!direct && !viaGot) return gdRefused;
        start = -2;
      } else return gdRefused;
      b.put(start, [...MOV_GS0_EAX, 0x81, 0xc0, 0, 0, 0, 0]);
      return keep(off + start + 8, 0, 2);
    }
    case C.R_386_TLS_LDM: {
      // leal x@tlsldm(%reg), %eax; call ___tls_get_addr (11 bytes, or 12 through the GOT) → movl %gs:0, %eax and a nop.
      if (b.at(-2) !== 0x8d || !leaEaxDisp32(b.at(-1))) return ldRefused;
      const direct = b.at(4) === 0xe8 && callsTlsGetAddr(next, off, 5, I386_DIRECT_CALL, '___tls_get_addr', nameOf);
      const viaGot = b.at(4) === 0xff && (b.at(5) & 0xf8) === 0x90 && callsTlsGetAddr(next, off, 6, I386_GOT_CALL, '___tls_get_addr', nameOf);
      if (!direct && !viaGot) return ldRefused;
      b.put(-2, [...MOV_GS0_EAX, ...(direct ? [0x0f, 0x1f, 0x44, 0x00, 0x00] : [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00])]);
      return gone(2);
    }
    case C.R_386_TLS_LDO_32:
      if (!code) return 'R_386_TLS_LDO_32 outside code (a thread-local offset in data) is not supported';
      return keep(off, add);
    case C.R_386_TLS_GOTDESC: {
      // leal x@tlsdesc(%ebx), %eax → leal x@ntpoff, %eax (an absolute disp32); the call below becomes a nop.
      if (b.at(-2) !== 0x8d || !leaEaxDisp32(b.at(-1))) return 'R_386_TLS_GOTDESC is not on a leal x@tlsdesc(%reg), %eax';
      b.put(-1, [0x05]);
      return keep(off);
    }
    case C.R_386_TLS_DESC_CALL:
      return descriptorCall(b, 'R_386_TLS_DESC_CALL is not on a call *(%eax)');
  }
  return `relocation type ${type} is not a TLS access`;
}

const gdRefused = 'R_386_TLS_GD is not in a general-dynamic sequence of the psABI (leal x@tlsgd(…), %eax, then a call to ___tls_get_addr)';
const ldRefused = 'R_386_TLS_LDM is not in the local-dynamic sequence of the psABI (leal x@tlsldm(%reg), %eax, then a call to ___tls_get_addr)';

/** A ModRM byte of `leal disp32(%reg), %eax` (mod 10, reg eax, no SIB). */
function leaEaxDisp32(modrm: number): boolean {
  return (modrm & 0xf8) === 0x80 && (modrm & 7) !== 4;
}

/** movl (8b) or addl (03) with a 4-byte memory operand of ModRM `mod` (00 absolute, 10 based) → the same with an immediate. */
function movOrAddImmediate(b: Bytes, off: number, mod: number, refused: string): TlsRewrite | string {
  const op = b.at(-2);
  const modrm = b.at(-1);
  const memory = mod === 0x05 ? (modrm & 0xc7) === 0x05 : (modrm & 0xc0) === 0x80 && (modrm & 7) !== 4;
  if ((op !== 0x8b && op !== 0x03) || !memory) return refused;
  b.put(-2, [op === 0x8b ? 0xc7 : 0x81, 0xc0 | ((modrm >> 3) & 7)]);
  return keep(off);
}

// MOVZ Xd, #0, LSL #16 and MOVK Xd, #0: the offset's two halves (the R_TLS_LE fills each by its instruction), and NOP.
export const MOVZ_X_LSL16 = 0xd2a00000;
export const MOVK_X = 0xf2800000;
const NOP = 0xd503201f;

/** Whether an AArch64 instruction is an ADRP. */
export function isAdrp(ins: number): boolean {
  return (ins & 0x9f000000) >>> 0 === 0x90000000;
}

function aarch64(type: number, b: Bytes, off: number, add: number): TlsRewrite | string {
  const ins = b.word(0);
  const adrp = isAdrp(ins);
  const isLdrX = (ins & 0xffc00000) >>> 0 === 0xf9400000;
  const rd = ins & 31;
  const rn = (ins >>> 5) & 31;
  switch (type) {
    case C.R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21:
    case C.R_AARCH64_TLSDESC_ADR_PAGE21:
      // adrp xN, :gottprel:x (or :tlsdesc:x) → movz xN, #:tprel_g1:x.
      if (!adrp) return `${aarch64Name(type)} is not on an ADRP`;
      b.putWord(0, MOVZ_X_LSL16 | rd);
      return keep(off, add);
    case C.R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC:
      // ldr xN, [xN, :gottprel_lo12:x] → movk xN, #:tprel_g0_nc:x (the ADRP above wrote xN's upper half).
      if (!isLdrX || rd !== rn) return 'R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC is not on an LDR Xn, [Xn, …] (the same register)';
      b.putWord(0, MOVK_X | rd);
      return keep(off, add);
    case C.R_AARCH64_TLSDESC_LD64_LO12:
      // ldr x1, [x0, :tlsdesc_lo12:x] → movk x0, #:tprel_g0_nc:x (the result register the ADRP above wrote).
      if (!isLdrX) return 'R_AARCH64_TLSDESC_LD64_LO12 is not on a 64-bit LDR';
      b.putWord(0, MOVK_X | rn);
      return keep(off, add);
    case C.R_AARCH64_TLSDESC_ADD_LO12:
      // add x0, x0, :tlsdesc_lo12:x → nop.
      if ((ins & 0xffc00000) >>> 0 !== 0x91000000) return 'R_AARCH64_TLSDESC_ADD_LO12 is not on a 64-bit ADD (immediate)';
      b.putWord(0, NOP);
      return gone(1);
    case C.R_AARCH64_TLSDESC_CALL:
      // blr x1 → nop.
      if ((ins & 0xfffffc1f) >>> 0 !== 0xd63f0000) return 'R_AARCH64_TLSDESC_CALL is not on a BLR';
      b.putWord(0, NOP);
      return gone(1);
  }
  return `relocation type ${type} is not a TLS access`;
}

function aarch64Name(type: number): string {
  return type === C.R_AARCH64_TLSDESC_ADR_PAGE21 ? 'R_AARCH64_TLSDESC_ADR_PAGE21' : 'R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21';
}
