// linux/amd64 specifics of the libc runtime.
#include "runtime.h"

#define SYS_gettid	186

// func gettid() (tid int64): the kernel's id of the calling thread, by
// syscall(SYS_gettid) (glibc has gettid() only from 2.30 on).
TEXT runtime·gettid(SB),NOSPLIT,$16-8
	MOVQ	$SYS_gettid, 0(SP)
	CALL	libc·syscall(SB)
	MOVQ	8(SP), AX
	MOVQ	AX, tid+0(FP)
	RET
