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
	MOVD	ZR, R3
	MOVD	ZR, R4
	MOVD	$main(SB), R0
	BL	libc___libc_start_main(SB)
	BRK
