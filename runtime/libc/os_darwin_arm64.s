// darwin/arm64 specifics of the libc runtime.
#include "runtime.h"
#include "runtime_arm64.h"

//go:cgo_import_dynamic libc_pthread_key_create pthread_key_create "/usr/lib/libSystem.B.dylib"

// func gettid() (tid int64): pthread_threadid_np(0, &tid), the system-wide thread id.
TEXT runtime·gettid(SB),NOSPLIT,$32-8
	MOVD	ZR, 8(RSP)
	ADD	$32, RSP, R0
	MOVD	R0, 16(RSP)
	CALL	libc·pthread_threadid_np(SB)
	MOVD	32(RSP), R0
	MOVD	R0, tid+0(FP)
	RET

// func tlsinit(): called once by initm0 before the first set_g. Creates the
// pthread key whose TSD slot holds each thread's g (TPIDRRO_EL0 points at the
// TSD array, so the slot is key*8 bytes in) and records that offset in
// runtime·tlsoff — Go's own darwin/arm64 scheme. It calls pthread_key_create
// directly: the prologue has saved LR and RSP is 16-byte aligned, and the
// arguments are already in R0/R1 (AAPCS64).
TEXT runtime·tlsinit(SB),NOSPLIT,$16-0
	MOVD	$runtime·tlsoff(SB), R0
	MOVD	ZR, R1
	BL	libc_pthread_key_create(SB)
	CBNZ	R0, fail
	MOVD	runtime·tlsoff(SB), R0
	LSL	$3, R0
	MOVD	R0, runtime·tlsoff(SB)
	RET
fail:
	MOVD	R0, 8(RSP)
	CALL	runtime·threadfail(SB)
	RET
