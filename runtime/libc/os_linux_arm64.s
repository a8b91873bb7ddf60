// linux/arm64 specifics of the libc runtime.
#include "runtime.h"

#define SYS_gettid	178

// func gettid() (tid int64): the kernel's id of the calling thread, by
// syscall(SYS_gettid) (glibc has gettid() only from 2.30 on).
TEXT runtime·gettid(SB),NOSPLIT,$16-8
	MOVD	$SYS_gettid, R0
	MOVD	R0, 8(RSP)
	CALL	libc·syscall(SB)
	MOVD	16(RSP), R0
	MOVD	R0, tid+0(FP)
	RET
