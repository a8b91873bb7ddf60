// Process entry on linux/arm64 with libc: hand control to the C library the
// way crt1's _start does, so libc is fully initialised (TLS, stdio, atexit)
// before the runtime runs and before any thread exists. libc then calls main.

#include "textflag.h"

//go:cgo_import_dynamic libc___libc_start_main __libc_start_main "libc.so.6"
//go:cgo_import_dynamic _ _ "libc.so.6"

// The kernel leaves argc at 0(RSP) and argv above it (RSP 16-byte aligned);
// the loader passes its finalizer in R0. __libc_start_main(main, argc, argv,
// init, fini, rtld_fini, stack_end) takes its arguments in R0-R6 (AAPCS64).
// The frame pointer and link register are zeroed to end backtraces here.
TEXT _rt0_arm64_linux(SB),NOSPLIT|NOFRAME,$0
	MOVD	ZR, R29
	MOVD	ZR, R30
	MOVD	R0, R5
	MOVD	0(RSP), R1
	ADD	$8, RSP, R2
	MOVD	RSP, R6
	MOVD	$runtime·initarray(SB), R3
	MOVD	ZR, R4
	MOVD	$main(SB), R0
	BL	libc___libc_start_main(SB)
	BRK

// C: void initarray(int argc, char **argv, char **envp): runs the program's
// static constructors for the C library's start-up (see rt0_linux_amd64.s).
TEXT runtime·initarray(SB),NOSPLIT|NOFRAME,$0
	SUB	$48, RSP
	STP	(R29, R30), 0(RSP)
	MOVD	RSP, R29
	STP	(R19, R20), 16(RSP)
	STP	(R21, R22), 32(RSP)
	MOVD	R0, R19
	MOVD	R1, R20
	MOVD	R2, R21
	MOVD	$__init_array_start(SB), R22
next:
	MOVD	$__init_array_end(SB), R3
	CMP	R3, R22
	BEQ	done
	MOVD	(R22), R3
	MOVD	R19, R0
	MOVD	R20, R1
	MOVD	R21, R2
	CALL	(R3)
	ADD	$8, R22
	B	next
done:
	LDP	32(RSP), (R21, R22)
	LDP	16(RSP), (R19, R20)
	LDP	0(RSP), (R29, R30)
	ADD	$48, RSP
	RET
