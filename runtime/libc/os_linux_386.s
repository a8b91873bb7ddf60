// linux/386 specifics of the libc runtime.
//
// Symbol versions. i386 glibc still exports the 2.0-era ABI of a few pthread
// functions as the oldest versions (pthread_create@GLIBC_2.0,
// pthread_attr_init@GLIBC_2.0), and the dynamic loader binds an unversioned
// reference to those. pthread_create@GLIBC_2.0 reads the 2.0 attribute
// layout and drops the stack attributes (address and size). The
// generated bindings (zlibc_linux_386.s, from the `//asmlink:version` lines
// in libc.h) therefore import pthread_create#GLIBC_2.1 and
// pthread_attr_init#GLIBC_2.1, the versions a gcc -m32 program binds to, and
// the runtime's wrappers are their trampolines, as on darwin/386.

#include "runtime.h"

// func pthread_create(t *pthread_t, attr *pthread_attr_t, fn, arg unsafe.Pointer) (ret int32)
TEXT runtime·pthread_create(SB),NOSPLIT,$0-20
	JMP	libc·pthread_create(SB)

// func pthread_attr_init(attr *pthread_attr_t) (ret int32)
TEXT runtime·pthread_attr_init(SB),NOSPLIT,$0-8
	JMP	libc·pthread_attr_init(SB)

#define SYS_gettid	224

// func gettid() (tid int32): the kernel's id of the calling thread, by
// syscall(SYS_gettid) (glibc has gettid() only from 2.30 on).
TEXT runtime·gettid(SB),NOSPLIT,$8-4
	MOVL	$SYS_gettid, 0(SP)
	CALL	libc·syscall(SB)
	MOVL	4(SP), AX
	MOVL	AX, tid+0(FP)
	RET
