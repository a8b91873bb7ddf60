// linux/386 specifics of the libc runtime.
//
// Symbol versions. i386 glibc still exports the 2.0-era ABI of a few pthread
// functions as compat versions (pthread_create@GLIBC_2.0,
// pthread_attr_init@GLIBC_2.0), and the dynamic loader binds an
// *unversioned* reference — which is all an asmlink executable has, since it
// writes no .gnu.version tables — to the GLIBC_2.0 version when there is one.
// pthread_create@GLIBC_2.0 rebuilds the attributes from their 2.0 layout and
// drops the stack set with pthread_attr_setstack (the thread then starts on a
// NULL stack). So on linux/386 the runtime calls these two through pointers
// resolved once with dlvsym(RTLD_DEFAULT, name, "GLIBC_2.1"), the versions a
// C program built with gcc -m32 binds to; if dlvsym finds nothing it falls
// back to the plain import.

#include "runtime.h"

// dlvsym moved from libdl into libc in glibc 2.34; naming libdl.so.2 (still
// shipped, as a stub, by newer glibc) finds it in either.
//go:cgo_import_dynamic libc_dlvsym dlvsym "libdl.so.2"
//go:cgo_import_dynamic libc_pthread_create pthread_create "libc.so.6"
//go:cgo_import_dynamic libc_pthread_attr_init pthread_attr_init "libc.so.6"

GLOBL runtime·pthread_create_fn(SB), NOPTR, $4
GLOBL runtime·pthread_attr_init_fn(SB), NOPTR, $4

DATA name_pthread_create<>+0(SB)/8, $"pthread_"
DATA name_pthread_create<>+8(SB)/7, $"create\x00"
GLOBL name_pthread_create<>(SB), RODATA, $15
DATA name_pthread_attr_init<>+0(SB)/8, $"pthread_"
DATA name_pthread_attr_init<>+8(SB)/10, $"attr_init\x00"
GLOBL name_pthread_attr_init<>(SB), RODATA, $18
DATA glibc_2_1<>+0(SB)/8, $"GLIBC_2."
DATA glibc_2_1<>+8(SB)/2, $"1\x00"
GLOBL glibc_2_1<>(SB), RODATA, $10

// func vsym(name *byte, fallback uintptr) (fn uintptr)
// dlvsym(RTLD_DEFAULT, name, "GLIBC_2.1"), or fallback when it is not found.
TEXT runtime·vsym(SB),NOSPLIT,$0-12
	PUSHL	BP
	MOVL	SP, BP
	SUBL	$16, SP
	ANDL	$~15, SP
	MOVL	$0, 0(SP)
	MOVL	8(BP), AX
	MOVL	AX, 4(SP)
	LEAL	glibc_2_1<>(SB), AX
	MOVL	AX, 8(SP)
	CALL	libc_dlvsym(SB)
	MOVL	BP, SP
	POPL	BP
	TESTL	AX, AX
	JNE	found
	MOVL	fallback+4(FP), AX
found:
	MOVL	AX, fn+8(FP)
	RET

// func pthread_create(t *pthread_t, attr *pthread_attr_t, fn, arg unsafe.Pointer) (ret int32)
TEXT runtime·pthread_create(SB),NOSPLIT,$0-20
	MOVL	runtime·pthread_create_fn(SB), AX
	TESTL	AX, AX
	JNE	ready
	SUBL	$12, SP
	LEAL	name_pthread_create<>(SB), AX
	MOVL	AX, 0(SP)
	LEAL	libc_pthread_create(SB), AX
	MOVL	AX, 4(SP)
	CALL	runtime·vsym(SB)
	MOVL	8(SP), AX
	ADDL	$12, SP
	MOVL	AX, runtime·pthread_create_fn(SB)
ready:
	// cdecl through the pointer, as a generated trampoline does.
	PUSHL	BP
	MOVL	SP, BP
	SUBL	$16, SP
	ANDL	$~15, SP
	MOVL	8(BP), CX
	MOVL	CX, 0(SP)
	MOVL	12(BP), CX
	MOVL	CX, 4(SP)
	MOVL	16(BP), CX
	MOVL	CX, 8(SP)
	MOVL	20(BP), CX
	MOVL	CX, 12(SP)
	CALL	AX
	MOVL	BP, SP
	POPL	BP
	MOVL	AX, ret+16(FP)
	RET

// func pthread_attr_init(attr *pthread_attr_t) (ret int32)
TEXT runtime·pthread_attr_init(SB),NOSPLIT,$0-8
	MOVL	runtime·pthread_attr_init_fn(SB), AX
	TESTL	AX, AX
	JNE	ready
	SUBL	$12, SP
	LEAL	name_pthread_attr_init<>(SB), AX
	MOVL	AX, 0(SP)
	LEAL	libc_pthread_attr_init(SB), AX
	MOVL	AX, 4(SP)
	CALL	runtime·vsym(SB)
	MOVL	8(SP), AX
	ADDL	$12, SP
	MOVL	AX, runtime·pthread_attr_init_fn(SB)
ready:
	PUSHL	BP
	MOVL	SP, BP
	SUBL	$16, SP
	ANDL	$~15, SP
	MOVL	8(BP), CX
	MOVL	CX, 0(SP)
	CALL	AX
	MOVL	BP, SP
	POPL	BP
	MOVL	AX, ret+4(FP)
	RET

// func gettid() (tid int32): the kernel's id of the calling thread (glibc 2.30+ gettid).
TEXT runtime·gettid(SB),NOSPLIT,$4-4
	CALL	libc·gettid(SB)
	MOVL	0(SP), AX
	MOVL	AX, tid+0(FP)
	RET
