// darwin/386 specifics of the libc runtime.
#include "runtime.h"

// func gettid() (tid int32): pthread_threadid_np(0, &tid), the system-wide
// thread id (a uint64; its low word is the id on every macOS so far).
TEXT runtime·gettid(SB),NOSPLIT,$20-4
	MOVL	$0, 0(SP)
	LEAL	12(SP), AX
	MOVL	AX, 4(SP)
	CALL	libc·pthread_threadid_np(SB)
	MOVL	12(SP), AX
	MOVL	AX, tid+0(FP)
	RET

// libSystem has one version of each: the runtime's wrappers are the imports' trampolines.
TEXT runtime·pthread_create(SB),NOSPLIT,$0-20
	JMP	libc·pthread_create(SB)

TEXT runtime·pthread_attr_init(SB),NOSPLIT,$0-8
	JMP	libc·pthread_attr_init(SB)
