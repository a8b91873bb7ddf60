// C's main(argc, argv, envp) for the libc runtime on arm64: called by
// __libc_start_main on linux and by dyld (LC_MAIN) on darwin, with the C
// calling convention (argc in R0, argv in R1). It saves what AAPCS64 says a
// callee keeps (R19-R28, R29, R30), sets up m0/g0, runs the program's
// main.main, and exits with status 0 through libc's exit.
//
// Frame (RSP 16-byte aligned throughout): 0-31 the Go-convention call area
// (0 for the callee's use, arguments from 8), 32 saved R29/R30, 48-127 the
// other callee-saved registers.

#include "runtime.h"
#include "runtime_arm64.h"

TEXT main(SB),NOSPLIT|NOFRAME,$0
	SUB	$128, RSP
	STP	(R29, R30), 32(RSP)
	ADD	$32, RSP, R29
	STP	(R19, R20), 48(RSP)
	STP	(R21, R22), 64(RSP)
	STP	(R23, R24), 80(RSP)
	STP	(R25, R26), 96(RSP)
	STP	(R27, R28), 112(RSP)
	MOVW	R0, R0
	MOVD	R0, 8(RSP)
	MOVD	R1, 16(RSP)
	ADD	$128, RSP, R0
	MOVD	R0, 24(RSP)
	CALL	runtime·initm0(SB)
	CALL	main·main(SB)
	MOVD	ZR, 8(RSP)
	CALL	runtime·exit(SB)
	BRK
