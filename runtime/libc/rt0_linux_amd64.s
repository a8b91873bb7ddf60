// Process entry on linux/amd64 with libc: hand control to the C library the
// way crt1's _start does, so libc is fully initialised (TLS, stdio, atexit)
// before the runtime runs and before any thread exists. libc then calls main.

#include "textflag.h"

//go:cgo_import_dynamic libc___libc_start_main __libc_start_main "libc.so.6"
//go:cgo_import_dynamic _ _ "libc.so.6"

// The kernel leaves argc at 0(SP), argv above it, and the loader's
// finalizer in DX.
TEXT _rt0_amd64_linux(SB),NOSPLIT|NOFRAME,$0
	XORL	BP, BP
	MOVQ	DX, R9
	MOVQ	0(SP), SI
	LEAQ	8(SP), DX
	ANDQ	$~15, SP
	PUSHQ	AX
	PUSHQ	SP
	XORL	R8, R8
	LEAQ	runtime·initarray(SB), CX
	LEAQ	main(SB), DI
	CALL	libc___libc_start_main(SB)
	INT	$3

// C: void initarray(int argc, char **argv, char **envp), the init function
// handed to __libc_start_main (crt1 hands it __libc_csu_init): runs the
// program's static constructors, [__init_array_start, __init_array_end)
// (the linker's bounds of .init_array, in order), each with argc, argv and
// envp. glibc before 2.34 runs nothing else of the program before main, and
// 2.34+ calls this instead of walking DT_INIT_ARRAY itself; musl ignores it
// and walks DT_INIT_ARRAY. The loader runs .preinit_array, and .fini_array at
// exit.
TEXT runtime·initarray(SB),NOSPLIT|NOFRAME,$0
	// Five callee-saved registers over the return address: SP is 16-byte aligned for the calls.
	PUSHQ	BX
	PUSHQ	R12
	PUSHQ	R13
	PUSHQ	R14
	PUSHQ	R15
	MOVL	DI, R12
	MOVQ	SI, R13
	MOVQ	DX, R14
	LEAQ	__init_array_start(SB), BX
	LEAQ	__init_array_end(SB), R15
next:
	CMPQ	BX, R15
	JEQ	done
	MOVL	R12, DI
	MOVQ	R13, SI
	MOVQ	R14, DX
	CALL	(BX)
	ADDQ	$8, BX
	JMP	next
done:
	POPQ	R15
	POPQ	R14
	POPQ	R13
	POPQ	R12
	POPQ	BX
	RET
