// Differential test input: assembled by asmlink and by `go tool asm`
// (GOARCH=arm64) at test time; every function's bytes and relocations must agree.
#include "textflag.h"

DATA ·counter+0(SB)/8, $0
GLOBL ·counter(SB), NOPTR, $8
DATA ·table<>+0(SB)/8, $1
DATA ·table<>+8(SB)/8, $2
GLOBL ·table<>(SB), RODATA, $16

// A leaf with no frame: arguments at 8(RSP) and up.
TEXT ·add(SB), NOSPLIT, $0-24
	MOVD a+0(FP), R0
	MOVD b+8(FP), R1
	ADD R1, R0
	MOVD R0, ret+16(FP)
	RET

// A frame with locals and a call: prologue, FP and SP pseudo-registers.
TEXT ·caller(SB), NOSPLIT, $32-16
	MOVD x+0(FP), R2
	MOVD R2, local-8(SP)
	MOVD R2, 8(RSP)
	MOVD $3, R3
	MOVD R3, 16(RSP)
	BL ·add(SB)
	MOVD 24(RSP), R4
	MOVD local-8(SP), R5
	ADD R5, R4
	MOVD R4, ret+8(FP)
	RET

// Loops, conditional branches, labels both ways.
TEXT ·loop(SB), NOSPLIT, $0-16
	MOVD n+0(FP), R0
	MOVD $0, R1
	CBZ R0, done
again:
	ADD R0, R1
	SUBS $1, R0
	BNE again
	TBZ $0, R1, even
	ADD $1, R1
even:
	CMP $100, R1
	BLT done
	BGE done
	CSET HI, R2
done:
	MOVD R1, ret+8(FP)
	RET

// Data references: addresses, loads, stores, through REGTMP.
TEXT ·data(SB), NOSPLIT, $0-8
	MOVD $·counter(SB), R0
	MOVD ·counter(SB), R1
	ADD $1, R1
	MOVD R1, ·counter(SB)
	MOVW R1, ·counter+4(SB)
	MOVD $·table<>+8(SB), R2
	MOVD ·table<>+8(SB), R3
	LDP ·table<>(SB), (R4, R5)
	STP (R4, R5), ·table<>(SB)
	MOVBU ·counter(SB), R6
	FMOVD ·counter(SB), F1
	MOVD R3, ret+0(FP)
	RET

// Big constants and long offsets (literal pool).
TEXT ·consts(SB), NOSPLIT, $0-0
	MOVD $0x1234567890abcdef, R0
	MOVD $-2, R1
	MOVD $0xffffffff00000000, R2
	MOVW $0x80000000, R3
	ADD $0x123456789, R0
	AND $0xff00ff00, R1
	ORR $0x3f, R2
	CMP $0x10000, R0
	MOVD 0x44332211(R1), R2
	MOVD R2, -1000(R1)
	MOVD $0x1234567(R1), R4
	RET

// A large frame: the SUB/STP/MOVD prologue.
TEXT ·bigframe(SB), NOSPLIT, $1024-8
	MOVD $buf-1024(SP), R0
	MOVD R0, ret+0(FP)
	BL ·add(SB)
	RET

// Frame in a leaf function: ADD/SUB epilogue; tail call through RET sym.
TEXT ·leafframe(SB), NOSPLIT, $16-0
	MOVD $1, R0
	MOVD R0, tmp-8(SP)
	RET

TEXT ·tail(SB), NOSPLIT, $0-0
	B ·add(SB)

TEXT ·calls(SB), NOSPLIT, $16-0
	CALL ·tail(SB)
	CALL (R1)
	BL (R2)
	JMP (R3)

// Not NOSPLIT, but a leaf with a small frame: Go needs no stack check either.
TEXT ·splittable(SB), $16-0
	MOVD $7, R0
	RET

// Atomics and system instructions as the runtime uses them.
TEXT ·atomics(SB), NOSPLIT|NOFRAME, $0-0
	MOVD $·counter(SB), R0
loop:
	LDAXR (R0), R1
	ADD $1, R1
	STLXR R1, (R0), R2
	CBNZ R2, loop
	LDADDALD R3, (R0), R4
	SWPALD R3, (R0), R4
	CASALD R3, (R0), R4
	DMB $0xb
	ISB $15
	MRS TPIDR_EL0, R5
	MOVD 16(R5), R6
	SVC $0
	YIELD
	RET

// PCALIGN pads with NOOPs.
TEXT ·aligned(SB), NOSPLIT|NOFRAME, $0-0
	MOVD $1, R0
	PCALIGN $16
	MOVD $2, R0
	PCALIGN $8
	RET

// A frame beyond 4KiB: the SUB of the prologue takes two instructions and
// locals need long offsets.
TEXT ·hugeframe(SB), NOSPLIT, $0x12340-16
	MOVD a+0(FP), R0
	MOVD R0, big-0x10000(SP)
	MOVD big-0x10000(SP), R1
	MOVD $big-0x10000(SP), R2
	MOVD R1, ret+8(FP)
	BL ·add(SB)
	RET

// Argument-only frames and NOFRAME with calls.
TEXT ·noframe(SB), NOSPLIT|NOFRAME, $0-8
	MOVD R30, R19
	BL ·add(SB)
	MOVD R19, R30
	RET

TEXT ·minus8(SB), NOSPLIT, $-8-0
	RET

// Data words in text: DWORDs are 8-aligned, addresses become R_ADDR.
TEXT ·words(SB), NOSPLIT|NOFRAME, $0-0
	MOVD $1, R0
	DWORD ·counter(SB)
	WORD $0x12345678
	DWORD $0x1122334455667788
	RET
