// Differential test input: assembled by asmlink and by `go tool asm -S` at
// test time; bytes and relocations must agree per function.
#include "textflag.h"

DATA ·table+0(SB)/8, $1
DATA ·table+8(SB)/8, $2
GLOBL ·table(SB), RODATA, $16

// Frame with arguments, FP and pseudo-SP references, data refs.
TEXT ·frame(SB), NOSPLIT, $24-32
	MOVQ a+0(FP), AX
	MOVQ b+8(FP), BX
	MOVQ AX, x-8(SP)
	MOVQ BX, y-16(SP)
	LEAQ ·table(SB), CX
	MOVQ ·table+8(SB), DX
	MOVQ $·table(SB), SI
	ADDQ $7, R11
	MOVQ $-1, AX
	MOVQ $0x100000000, AX
	MOVQ $0xffffffff, AX
	MOVL $1, AX
	MOVQ $1, ·table+8(SB)
	CMPB ·table+3(SB), $7
	MOVQ 8(SP), R8
	PUSHQ AX
	MOVQ a+0(FP), R9
	MOVQ x-8(SP), R10
	POPQ AX
	ADDQ AX, BX
	MOVQ BX, ret+16(FP)
	RET

// Forward and backward branches, short and long, conditional and not.
TEXT ·branches(SB), NOSPLIT, $0-8
	MOVQ n+0(FP), CX
	XORL AX, AX
loop:
	ADDQ CX, AX
	DECQ CX
	JNE loop
	CMPQ AX, $100
	JGT big
	JMP done
big:
	MOVQ AX, BX
	SHLQ $3, BX
	IMUL3Q $7, BX, DX
	MOVQ DX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	MOVQ AX, AX
	JEQ loop
	JCS done
	JMP 2(PC)
	NOP
	JLS big
done:
	MOVQ AX, ret+8(FP)
	RET

// Calls: direct, through a register and memory; the frame saves BP.
TEXT ·calls(SB), NOSPLIT, $16-0
	CALL ·frame(SB)
	CALL AX
	CALL (AX)
	CALL 8(BX)(CX*8)
	MOVQ ·table(SB), AX
	CALL AX
	JMP ·branches(SB)

// A frame of more than 127 bytes: 32-bit immediates and displacements.
TEXT ·bigframe(SB), NOSPLIT, $256-16
	MOVQ a+0(FP), AX
	MOVQ AX, buf-256(SP)
	LEAQ buf-256(SP), DI
	MOVQ $32, CX
	XORL AX, AX
	REP
	STOSQ
	MOVQ buf-8(SP), AX
	MOVQ AX, r+8(FP)
	RET

// Non-NOSPLIT leaf with no frame: no BP slot.
TEXT ·leaf(SB), $0-16
	MOVQ x+0(FP), AX
	MOVQ AX, r+8(FP)
	RET

// Thread-local g access in Go's runtime style.
TEXT ·tls(SB), NOSPLIT, $0-8
	MOVQ TLS, CX
	MOVQ 0(CX)(TLS*1), AX
	MOVQ (TLS), BX
	MOVQ AX, (TLS)
	MOVQ DI, 0x30(GS)
	MOVQ AX, ret+0(FP)
	RET

// Atomics and string operations.
TEXT ·atomics(SB), NOSPLIT, $0-24
	MOVQ ptr+0(FP), BX
	MOVQ old+8(FP), AX
	MOVQ new+16(FP), CX
	LOCK
	CMPXCHGQ CX, 0(BX)
	SETEQ ret+24(FP)
	LOCK
	XADDQ AX, 0(BX)
	XCHGL AX, 0(BX)
	LOCK
	CMPXCHG16B (BX)
	CLD
	MOVQ $8, CX
	REP
	MOVSB
	MFENCE
	PAUSE
	CPUID
	RDTSC
	SYSCALL
	INT $3
	RET

// SSE and AVX as used by memmove/memclr.
TEXT ·vector(SB), NOSPLIT, $0-0
	PXOR X0, X0
	MOVOU (SI), X1
	MOVOU X1, (DI)
	MOVOU X15, -16(DI)(BX*1)
	MOVQ X0, AX
	MOVQ AX, X0
	MOVSD X0, X1
	ADDSD (AX), X2
	CVTSQ2SD AX, X3
	CVTTSD2SQ X3, AX
	PCMPEQB X1, X0
	PMOVMSKB X0, DX
	PSHUFD $0, X0, X0
	VMOVDQU (SI), Y0
	VMOVDQU Y0, (DI)
	VPCMPEQB Y1, Y0, Y2
	VPMOVMSKB Y2, AX
	VPBROADCASTB X0, Y1
	VPTEST Y1, Y1
	VZEROUPPER
	VPXOR Y3, Y3, Y3
	VMOVNTDQ Y0, (DI)
	PREFETCHNTA 64(SI)
	SFENCE
	RET

// A non-NOSPLIT function with a call gets a BP slot even with a $0 frame.
TEXT ·caller(SB), NOSPLIT, $0-0
	CALL ·leaf(SB)
	RET

// Balanced pushes and pops of every form, with an FP reference in between.
TEXT ·stack(SB), NOSPLIT, $8-8
	PUSHFQ
	PUSHQ $7
	PUSHQ $0x12345
	PUSHQ 8(BX)
	PUSHQ R11
	PUSHW AX
	MOVQ x+0(FP), AX
	POPW AX
	POPQ R11
	POPQ (BX)
	POPQ AX
	POPQ CX
	POPFQ
	RET

// NOFRAME: the frame is allocated but BP is not saved.
TEXT ·noframe(SB), NOSPLIT|NOFRAME, $16-8
	MOVQ x+0(FP), AX
	MOVQ AX, t-8(SP)
	RET

// XBEGIN to a label or n(PC): always the 6-byte c7 f8 rel32 form.
TEXT ·xbegin(SB), NOSPLIT, $0-0
back:
	XBEGIN fwd
	CLD
	XBEGIN back
	XBEGIN 0(PC)
	XBEGIN 2(PC)
	XEND
fwd:
	RET

// Float immediates: loads from $f64./$f32. symbols (XORPS for MOVSD/MOVSS $0.0).
TEXT ·floatconst(SB), NOSPLIT, $0-0
	MOVSD $1.5, X1
	ADDSD $1.0, X1
	SUBSD $3.25, X2
	MULSD $0.1, X3
	DIVSD $7.0, X3
	MOVSS $0.3, X2
	ADDSS $2.5, X2
	COMISS $1.0, X2
	MOVSD $0.0, X3
	MOVSS $0.0, X5
	MOVSD $-0.0, X4
	UCOMISD $2.0, X1
	RET

// SSE compares: a bare number is the predicate, as Go reads it.
TEXT ·cmppred(SB), NOSPLIT, $0-0
	CMPSD X1, X0, 1
	CMPSS X2, X3, 5
	CMPPD X1, X0, 2
	CMPPS X1, X0, 4
	CMPSD X1, X0, $1
	RET

// x87: Go writes FUCOMI F0, Fi (FCOMI Fi, F0); FSTSW to AX or memory.
TEXT ·x87(SB), NOSPLIT, $0-0
	FUCOMI F0, F1
	FUCOMIP F0, F7
	FCOMI F2, F0
	FCOMIP F3, F0
	FSTSW AX
	FSTSW (BX)
	FXCHD F0, F1
	RET

// Calls through a pointer in memory: `CALL *sym(SB)`.
TEXT ·callind(SB), NOSPLIT, $0-0
	CALL *·table(SB)
	CALL (AX)
	CALL AX
	RET

// An argument slot or a local indexed by a register (avo's generated code).
TEXT ·indexedargs(SB), NOSPLIT, $16-24
	LEAQ dst_base+0(FP)(SI*1), SI
	MOVQ x+8(FP)(R9*8), R12
	LEAQ a-8(SP)(AX*1), BX
	MOVL b+4(SP)(AX*2), BX
	RET

// A 64-bit operation's 32-bit immediate may be written unsigned: the CPU
// sign-extends it, as Go's assembler encodes it (ANDQ $0xffffffe0 is ANDQ $-32).
// MOVQ to a register takes such a constant as a MOVL.
TEXT ·unsigned32(SB), NOSPLIT, $0-0
	ANDQ $0xffffffe0, BX
	ADDQ $0x80000000, AX
	SUBQ $0xffffffff, (BX)
	CMPQ R9, $0xfffffff0
	CMPQ AX, $0x80000000
	TESTQ $0x80000000, 8(SP)
	IMUL3Q $0xffffff00, R8, CX
	MOVQ $0xffffffe0, BX
	MOVQ $0x80000000, R10
	MOVQ $0xffffffe0, (BX)
	MOVQ $-1, BX
	MOVQ $0x100000000, BX
	RET

// A continued #define line whose backslash comes before a comment, or
// between block comments that hold backslashes (minio's blake2b-simd).
#define TWOADDS \
	ADDQ $1, AX  \ // first
	ADDQ $2, BX  \ /* second;\ */
	/* ;\ */ ADDQ $3, CX /* third */

TEXT ·continued(SB), NOSPLIT, $0-0
	TWOADDS
	RET
