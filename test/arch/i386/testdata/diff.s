// Differential test input for GOARCH=386: assembled by asmlink and by
// `go tool asm -S` at test time; bytes and relocations must agree per function.
#include "textflag.h"

DATA ·table+0(SB)/4, $1
DATA ·table+4(SB)/4, $2
GLOBL ·table(SB), RODATA, $8

TEXT ·frame(SB), NOSPLIT, $24-16
	MOVL a+0(FP), AX
	MOVL b+4(FP), BX
	MOVL AX, x-4(SP)
	MOVL BX, y-8(SP)
	LEAL ·table(SB), CX
	MOVL ·table+4(SB), DX
	MOVL $·table(SB), SI
	PUSHL $·table(SB)
	PUSHL AX
	MOVL a+0(FP), BP
	POPL AX
	POPL CX
	ADDL $7, AX
	MOVL $-1, AX
	MOVL $1, ·table+4(SB)
	CMPB ·table+3(SB), $7
	MOVB AH, BL
	MOVBLZX AL, DX
	MOVL AX, ret+8(FP)
	RET

TEXT ·branches(SB), NOSPLIT, $0-8
	MOVL n+0(FP), CX
	XORL AX, AX
loop:
	ADDL CX, AX
	DECL CX
	JNE loop
	CMPL AX, $100
	JGT big
	JMP done
big:
	SHLL $3, AX
	IMUL3L $7, AX, DX
	INCL DX
	JCS done
	JMP 2(PC)
	NOP
	JLS big
done:
	MOVL AX, ret+4(FP)
	RET

TEXT ·calls(SB), NOSPLIT, $8-0
	CALL ·frame(SB)
	CALL AX
	CALL (AX)
	CALL 4(BX)(CX*4)
	JMP ·branches(SB)

TEXT ·tls(SB), NOSPLIT, $0-4
	MOVL TLS, CX
	MOVL 0(CX)(TLS*1), AX
	MOVL (TLS), BX
	MOVL AX, ret+0(FP)
	RET

TEXT ·misc(SB), NOSPLIT, $0-0
	LOCK
	CMPXCHGL CX, 0(BX)
	LOCK
	XADDL AX, 0(BX)
	CMPXCHG8B (SI)
	CLD
	REP
	MOVSL
	CPUID
	RDTSC
	INT $0x80
	MOVSD X0, X1
	PXOR X1, X1
	MOVOU (SI), X2
	CVTSL2SD AX, X3
	CVTTSD2SL X3, AX
	EMMS
	FLDCW (SP)
	RET

// Balanced pushes and pops of every form, with an FP reference in between.
TEXT ·stack(SB), NOSPLIT, $8-4
	PUSHFL
	PUSHAL
	PUSHL $7
	PUSHL $0x12345
	PUSHL 8(BX)
	PUSHW AX
	MOVL x+0(FP), AX
	POPW AX
	POPL (BX)
	POPL AX
	POPL CX
	POPAL
	POPFL
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

// SP, BP, SI and DI have no byte form on 386: Go exchanges them with a byte
// register around the instruction (and does so for NOT and NEG of any width).
TEXT ·byteswap(SB), NOSPLIT, $0-0
	CMPB SI, $0xfc
	NOTL BP
	NOTL SI
	NEGL BP
	NOTW BP
	NEGB DI
	MOVB SI, AX
	MOVB AX, SI
	MOVB SI, (DI)
	SETEQ BP
	MOVBLZX BP, AX
	MOVBLSX DI, CX
	ADDB $1, SI
	INCL BP
	NOTL AX
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
