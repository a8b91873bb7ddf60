// linux/arm64 specifics of the libc runtime.
#include "runtime.h"

// func gettid() (tid int64): the kernel's id of the calling thread (glibc 2.30+ gettid).
TEXT runtime·gettid(SB),NOSPLIT,$8-8
	CALL	libc·gettid(SB)
	MOVW	8(RSP), R0
	MOVD	R0, tid+0(FP)
	RET
