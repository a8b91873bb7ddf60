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
	LEAL	runtime·initarray(SB), AX
	PUSHL	AX
	PUSHL	CX
	PUSHL	SI
	LEAL	main(SB), AX
	PUSHL	AX
	CALL	libc___libc_start_main(SB)
	INT	$3

// C: void initarray(int argc, char **argv, char **envp): runs the program's
// static constructors for the C library's start-up (see rt0_linux_amd64.s).
TEXT runtime·initarray(SB),NOSPLIT|NOFRAME,$0
	PUSHL	BP
	MOVL	SP, BP
	PUSHL	BX
	PUSHL	SI
	PUSHL	DI
	// The constructors' arguments, below a 16-byte aligned SP (i386 SysV).
	ANDL	$~15, SP
	SUBL	$16, SP
	LEAL	__init_array_start(SB), BX
	LEAL	__init_array_end(SB), SI
next:
	CMPL	BX, SI
	JEQ	done
	// Each call may clobber its argument slots: set them every time.
	MOVL	8(BP), AX
	MOVL	AX, 0(SP)
	MOVL	12(BP), AX
	MOVL	AX, 4(SP)
	MOVL	16(BP), AX
	MOVL	AX, 8(SP)
	CALL	(BX)
	ADDL	$4, BX
	JMP	next
done:
	LEAL	-12(BP), SP
	POPL	DI
	POPL	SI
	POPL	BX
	POPL	BP
	RET
