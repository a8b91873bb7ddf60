// Process entry on linux/386 with libc: hand control to the C library the
// way crt1's _start does, so libc is fully initialised (TLS, stdio, atexit)
// before the runtime runs and before any thread exists. libc then calls main.

#include "textflag.h"

//go:cgo_import_dynamic libc___libc_start_main __libc_start_main "libc.so.6"
//go:cgo_import_dynamic _ _ "libc.so.6"

// The kernel leaves argc at 0(SP) and argv above it; the loader passes its
// finalizer in DX. i386's __libc_start_main takes the same seven arguments as
// x86-64's, all on the stack: main, argc, argv, init, fini, rtld_fini,
// stack_end — pushed in reverse below a 16-byte aligned SP.
TEXT _rt0_386_linux(SB),NOSPLIT|NOFRAME,$0
	XORL	BP, BP
	POPL	SI
	MOVL	SP, CX
	ANDL	$~15, SP
	PUSHL	AX
	PUSHL	SP
	PUSHL	DX
	PUSHL	$0
	PUSHL	$0
	PUSHL	CX
	PUSHL	SI
	LEAL	main(SB), AX
	PUSHL	AX
	CALL	libc___libc_start_main(SB)
	INT	$3
