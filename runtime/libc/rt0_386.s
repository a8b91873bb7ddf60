// C's main(argc, argv, envp) for the libc runtime on 386: called by
// __libc_start_main on linux (and by dyld on darwin), with the cdecl
// convention (arguments at 4(SP), 8(SP), ...). It sets up m0/g0, runs the
// program's main.main, and exits with status 0 through libc's exit.

#include "runtime.h"
#include "runtime_386.h"

TEXT main(SB),NOSPLIT|NOFRAME,$0
	PUSHL	BP
	MOVL	SP, BP
	PUSHL	BX
	PUSHL	SI
	PUSHL	DI
	SUBL	$12, SP
	MOVL	8(BP), AX
	MOVL	AX, 0(SP)
	MOVL	12(BP), AX
	MOVL	AX, 4(SP)
	MOVL	BP, 8(SP)
	CALL	runtime·initm0(SB)
	CLD
	CALL	main·main(SB)
	MOVL	$0, 0(SP)
	CALL	runtime·exit(SB)
	INT	$3
