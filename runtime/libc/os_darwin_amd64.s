// darwin/amd64 specifics of the libc runtime.
#include "runtime.h"

// func gettid() (tid int64): pthread_threadid_np(0, &tid), the system-wide thread id.
TEXT runtime·gettid(SB),NOSPLIT,$32-8
	MOVQ	$0, 0(SP)
	LEAQ	24(SP), AX
	MOVQ	AX, 8(SP)
	CALL	libc·pthread_threadid_np(SB)
	MOVQ	24(SP), AX
	MOVQ	AX, tid+0(FP)
	RET
