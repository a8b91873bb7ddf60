// Threads, notes and system services through the C library (amd64, linux and
// darwin alike; the OS facts come from os_$GOOS.h). This is the seed's design:
// the runtime never makes a system call itself. Each libc function is reached
// through its generated trampoline libc·NAME (runtime/libc/zlibc_*.s), which
// takes Go-convention stack arguments, switches to the C convention and
// aligns the stack. Every runtime thread runs on its g0 (system) stack, so
// the seed's systemstack switch is never needed here: the trampolines run on
// the stack that pthread gave the thread.

#include "runtime.h"
#include "runtime_amd64.h"

// func write(fd int64, p *byte, n int64) (ret int64)
TEXT runtime·write(SB),NOSPLIT,$32-32
	MOVQ	fd+0(FP), AX
	MOVL	AX, 0(SP)
	MOVQ	p+8(FP), AX
	MOVQ	AX, 8(SP)
	MOVQ	n+16(FP), AX
	MOVQ	AX, 16(SP)
	CALL	libc·write(SB)
	MOVQ	24(SP), AX
	MOVQ	AX, ret+24(FP)
	RET

// func isatty(fd int64) (ret int64): 1 if fd is a terminal, else 0. The libc
// trampoline has the same frame, so this is a tail jump to it.
TEXT runtime·isatty(SB),NOSPLIT,$0-16
	JMP	libc·isatty(SB)

// func exit(code int64): flushes buffered standard output, then exits
// through libc (which runs atexit handlers).
TEXT runtime·exit(SB),NOSPLIT,$8-8
	CALL	runtime·printflush(SB)
	MOVQ	code+0(FP), AX
	MOVL	AX, 0(SP)
	CALL	libc·exit(SB)
	INT	$3

// func sysAlloc(n int64) (p *byte): zeroed anonymous memory; exits the program when there is none.
TEXT runtime·sysAlloc(SB),NOSPLIT,$48-16
	MOVQ	$0, 0(SP)
	MOVQ	n+0(FP), AX
	TESTQ	AX, AX
	JNE	sized
	MOVQ	$1, AX	// mmap refuses 0 bytes; a page is as good a pointer as any
sized:
	MOVQ	AX, 8(SP)
	MOVL	$(PROT_READ|PROT_WRITE), 16(SP)
	MOVL	$(MAP_PRIVATE|MAP_ANON), 20(SP)
	MOVL	$-1, 24(SP)
	MOVQ	$0, 32(SP)
	CALL	libc·mmap(SB)
	MOVQ	40(SP), AX
	CMPQ	AX, $-1
	JEQ	fail
	MOVQ	AX, p+8(FP)
	RET
fail:
	MOVQ	$ENOMEM, 0(SP)
	CALL	runtime·memfail(SB)
	RET

// func newosproc(mp *m)
// The seed's pthread_create recipe, with the stack handled as later Go
// versions handle it: pthread_attr_init, pthread_attr_setstacksize (the C
// library allocates the stack, with its guard page, and caches the stacks of
// exited detached threads, so a new thread usually gets a stack whose pages
// are already mapped; a fresh mmap'd stack per thread costs about twice as
// much), pthread_attr_setdetachstate(DETACHED), and pthread_create with
// every signal blocked, so the new thread starts with all signals blocked;
// the old mask is restored afterwards. The thread starts at mstart_stub with
// mp as argument. A stack size the C library refuses (below its minimum;
// on darwin also one that is not a multiple of the page size) makes
// pthread_attr_setstacksize fail with EINVAL, and the runtime says so.
//
// Frame: 0-39 outgoing arguments, 40 attr (64 bytes), 104 new sigset
// (128), 232 old sigset (128), 360 pthread_t, 368 mp, 376 err.
TEXT runtime·newosproc(SB),NOSPLIT,$384-8
	MOVQ	mp+0(FP), BX
	MOVQ	BX, 368(SP)
	LEAQ	40(SP), AX
	MOVQ	AX, 0(SP)
	CALL	libc·pthread_attr_init(SB)
	MOVL	8(SP), AX
	TESTL	AX, AX
	JNE	fail

	LEAQ	40(SP), AX
	MOVQ	AX, 0(SP)
	MOVQ	368(SP), BX
	MOVQ	m_stacksize(BX), AX
	MOVQ	AX, 8(SP)
	CALL	libc·pthread_attr_setstacksize(SB)
	MOVL	16(SP), AX
	TESTL	AX, AX
	JNE	fail

	LEAQ	40(SP), AX
	MOVQ	AX, 0(SP)
	MOVL	$PTHREAD_CREATE_DETACHED, 8(SP)
	CALL	libc·pthread_attr_setdetachstate(SB)
	MOVL	16(SP), AX
	TESTL	AX, AX
	JNE	fail

	LEAQ	104(SP), DI	// sigfillset, inline: every bit set
	MOVL	$-1, AX
	MOVL	$(SIGSET_SIZE/4), CX
	REP;	STOSL
	MOVL	$SIG_SETMASK, 0(SP)
	LEAQ	104(SP), AX
	MOVQ	AX, 8(SP)
	LEAQ	232(SP), AX
	MOVQ	AX, 16(SP)
	CALL	libc·pthread_sigmask(SB)

	LEAQ	360(SP), AX
	MOVQ	AX, 0(SP)
	LEAQ	40(SP), AX
	MOVQ	AX, 8(SP)
	LEAQ	runtime·mstart_stub(SB), AX
	MOVQ	AX, 16(SP)
	MOVQ	368(SP), AX
	MOVQ	AX, 24(SP)
	CALL	libc·pthread_create(SB)
	MOVL	32(SP), AX
	MOVL	AX, 376(SP)

	MOVL	$SIG_SETMASK, 0(SP)
	LEAQ	232(SP), AX
	MOVQ	AX, 8(SP)
	MOVQ	$0, 16(SP)
	CALL	libc·pthread_sigmask(SB)
	LEAQ	40(SP), AX
	MOVQ	AX, 0(SP)
	CALL	libc·pthread_attr_destroy(SB)
	MOVL	376(SP), AX
	TESTL	AX, AX
	JNE	fail
	RET
fail:
	MOVLQSX	AX, AX
	MOVQ	AX, 0(SP)
	CALL	runtime·threadfail(SB)
	RET

// void *mstart_stub(void *mp), the pthread start routine, entered with the C
// calling convention: save the callee-saved registers C expects kept,
// install the thread's g in TLS and record its g0 stack (the one the C
// library gave this thread: it ends just above the stack pointer, and its
// m_stacksize bytes also hold the library's guard page and thread control
// block, hence STACKSLACK), clear the direction flag, run mstart, and return
// 0 to pthread, which ends the (detached) thread.
TEXT runtime·mstart_stub(SB),NOSPLIT|NOFRAME,$0
	PUSHQ	BP
	MOVQ	SP, BP
	PUSHQ	BX
	PUSHQ	R12
	PUSHQ	R13
	PUSHQ	R14
	PUSHQ	R15
	MOVQ	m_g0(DI), AX
	set_g(AX)
	MOVQ	SP, CX
	MOVQ	CX, g_stackhi(AX)
	SUBQ	m_stacksize(DI), CX
	ADDQ	$STACKSLACK, CX
	MOVQ	CX, g_stacklo(AX)
	CLD
	CALL	runtime·mstart(SB)
	POPQ	R15
	POPQ	R14
	POPQ	R13
	POPQ	R12
	POPQ	BX
	POPQ	BP
	XORL	AX, AX
	RET

// func newnote() (n *note): a cleared note. Its mutex and condition variable
// are initialised statically (os_$GOOS.h): persistentalloc's memory is zeroed,
// and darwin's initialisers add a signature word.
TEXT runtime·newnote(SB),NOSPLIT,$16-8
	MOVQ	$note__size, 0(SP)
	CALL	runtime·persistentalloc(SB)
	MOVQ	8(SP), AX
#ifdef PTHREAD_STATIC_SIGNATURES
	MOVQ	$PTHREAD_MUTEX_SIG_INIT, note_mutex(AX)
	MOVQ	$PTHREAD_COND_SIG_INIT, note_cond(AX)
#endif
	MOVQ	AX, n+0(FP)
	RET

// func noteclear(n *note)
TEXT runtime·noteclear(SB),NOSPLIT,$0-8
	MOVQ	n+0(FP), AX
	MOVL	$0, note_key(AX)
	RET

// func notesleep(n *note): waits until the note is woken.
TEXT runtime·notesleep(SB),NOSPLIT,$24-8
	MOVQ	n+0(FP), BX
	LEAQ	note_mutex(BX), AX
	MOVQ	AX, 0(SP)
	CALL	libc·pthread_mutex_lock(SB)
check:
	MOVQ	n+0(FP), BX
	MOVL	note_key(BX), AX
	TESTL	AX, AX
	JNE	woken
	LEAQ	note_cond(BX), AX
	MOVQ	AX, 0(SP)
	LEAQ	note_mutex(BX), AX
	MOVQ	AX, 8(SP)
	CALL	libc·pthread_cond_wait(SB)
	JMP	check
woken:
	LEAQ	note_mutex(BX), AX
	MOVQ	AX, 0(SP)
	CALL	libc·pthread_mutex_unlock(SB)
	RET

// func notewakeup(n *note): wakes the note's sleeper (once).
TEXT runtime·notewakeup(SB),NOSPLIT,$16-8
	MOVQ	n+0(FP), BX
	LEAQ	note_mutex(BX), AX
	MOVQ	AX, 0(SP)
	CALL	libc·pthread_mutex_lock(SB)
	MOVQ	n+0(FP), BX
	MOVL	$1, note_key(BX)
	LEAQ	note_cond(BX), AX
	MOVQ	AX, 0(SP)
	CALL	libc·pthread_cond_signal(SB)
	MOVQ	n+0(FP), BX
	LEAQ	note_mutex(BX), AX
	MOVQ	AX, 0(SP)
	CALL	libc·pthread_mutex_unlock(SB)
	RET

// func newosproc0(stacksize int64, fn func(arg unsafe.Pointer), arg unsafe.Pointer)
// Creates a thread before the runtime is initialised (no m0 needed): it only
// uses sysAlloc and newosproc, which need nothing but libc.
TEXT runtime·newosproc0(SB),NOSPLIT,$32-24
	MOVQ	fn+8(FP), AX
	MOVQ	AX, 0(SP)
	MOVQ	arg+16(FP), AX
	MOVQ	AX, 8(SP)
	MOVQ	stacksize+0(FP), AX
	MOVQ	AX, 16(SP)
	CALL	runtime·newthread(SB)
	RET
