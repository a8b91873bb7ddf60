// hello: prints "hello, world" through the runtime, which writes with libc's
// write (or with the write system call under --threads raw).
//
//	npx asmlink run examples/hello.s

#include "textflag.h"

DATA hello<>+0(SB)/8, $"hello, w"
DATA hello<>+8(SB)/5, $"orld\n"
GLOBL hello<>(SB), RODATA, $13

#ifdef GOARCH_amd64
TEXT ·main(SB),NOSPLIT,$16-0
	LEAQ	hello<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$13, 8(SP)
	CALL	runtime·printstring(SB)
	RET
#endif

#ifdef GOARCH_386
TEXT ·main(SB),NOSPLIT,$8-0
	LEAL	hello<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$13, 4(SP)
	CALL	runtime·printstring(SB)
	RET
#endif

#ifdef GOARCH_arm64
TEXT ·main(SB),NOSPLIT,$16-0
	MOVD	$hello<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$13, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	RET
#endif
