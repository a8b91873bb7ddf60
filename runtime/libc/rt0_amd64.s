// C's main(argc, argv, envp) for the libc runtime on amd64: called by
// __libc_start_main on linux and by dyld (LC_MAIN) on darwin, with the C
// calling convention. It sets up m0/g0, runs the program's main.main, and
// exits with status 0 through libc's exit.

#include "runtime.h"
#include "runtime_amd64.h"

TEXT main(SB),NOSPLIT|NOFRAME,$0
	PUSHQ	BP
	MOVQ	SP, BP
	PUSHQ	BX
	PUSHQ	R12
	PUSHQ	R13
	PUSHQ	R14
	PUSHQ	R15
	SUBQ	$24, SP
	MOVLQSX	DI, DI
	MOVQ	DI, 0(SP)
	MOVQ	SI, 8(SP)
	MOVQ	BP, 16(SP)
	CALL	runtime·initm0(SB)
	CLD
	CALL	main·main(SB)
	MOVQ	$0, 0(SP)
	CALL	runtime·exit(SB)
	INT	$3
