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
	XORL	CX, CX
	LEAQ	main(SB), DI
	CALL	libc___libc_start_main(SB)
	INT	$3
