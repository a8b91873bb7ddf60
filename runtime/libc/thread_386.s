// Threads, notes and system services through the C library on 386 (linux and
// darwin alike; the OS facts come from os_$GOOS.h): the port of
// thread_amd64.s. The runtime never makes a system call itself. Each libc
// function is reached through its generated trampoline libc·NAME
// (runtime/libc/zlibc_*_386.s), which copies the Go-convention stack
// arguments into a 16-byte aligned cdecl area — the seed's sys_darwin_386.s
// shape. Every runtime thread runs on its g0 (system) stack, so no
// systemstack switch is needed: the trampolines run on the stack that pthread
// gave the thread. Frames: arguments at 0(SP), 4(SP), ... of the caller,
// results right after them.

#include "runtime.h"
#include "runtime_386.h"

// func write(fd int32, p *byte, n int32) (ret int32)
TEXT runtime·write(SB),NOSPLIT,$16-16
	MOVL	fd+0(FP), AX
	MOVL	AX, 0(SP)
	MOVL	p+4(FP), AX
	MOVL	AX, 4(SP)
	MOVL	n+8(FP), AX
	MOVL	AX, 8(SP)
	CALL	libc·write(SB)
	MOVL	12(SP), AX
	MOVL	AX, ret+12(FP)
	RET

// func isatty(fd int32) (ret int32): 1 if fd is a terminal, else 0. The libc
// trampoline has the same frame, so this is a tail jump to it.
TEXT runtime·isatty(SB),NOSPLIT,$0-8
	JMP	libc·isatty(SB)

// func exit(code int32): flushes buffered standard output, then exits
// through libc (which runs atexit handlers).
TEXT runtime·exit(SB),NOSPLIT,$4-4
	CALL	runtime·printflush(SB)
	MOVL	code+0(FP), AX
	MOVL	AX, 0(SP)
	CALL	libc·exit(SB)
	INT	$3

// func sysAlloc(n uintptr) (p *byte): zeroed anonymous memory; exits the program when there is none.
// mmap's offset is 64 bits, two slots (libc.h says why).
TEXT runtime·sysAlloc(SB),NOSPLIT,$32-8
	MOVL	$0, 0(SP)
	MOVL	n+0(FP), AX
	TESTL	AX, AX
	JNE	sized
	MOVL	$1, AX	// mmap refuses 0 bytes; a page is as good a pointer as any
sized:
	MOVL	AX, 4(SP)
	MOVL	$(PROT_READ|PROT_WRITE), 8(SP)
	MOVL	$(MAP_PRIVATE|MAP_ANON), 12(SP)
	MOVL	$-1, 16(SP)
	MOVL	$0, 20(SP)
	MOVL	$0, 24(SP)
	CALL	libc·mmap(SB)
	MOVL	28(SP), AX
	CMPL	AX, $-1
	JEQ	fail
	MOVL	AX, p+4(FP)
	RET
fail:
	MOVL	$ENOMEM, 0(SP)
	CALL	runtime·memfail(SB)
	RET

// func newosproc(mp *m)
// The seed's pthread_create recipe with the stack allocated and cached by the
// C library, as on amd64 (see thread_amd64.s for why): pthread_attr_init,
// pthread_attr_setstacksize, pthread_attr_setdetachstate(DETACHED), and
// pthread_create with every signal blocked; the old mask is restored
// afterwards. The thread starts at mstart_stub with mp as argument.
//
// Frame: 0-23 outgoing arguments, 24 attr (64 bytes), 88 new sigset (128),
// 216 old sigset (128), 344 pthread_t, 352 mp, 356 err.
TEXT runtime·newosproc(SB),NOSPLIT,$360-4
	MOVL	mp+0(FP), BX
	MOVL	BX, 352(SP)
	LEAL	24(SP), AX
	MOVL	AX, 0(SP)
	CALL	runtime·pthread_attr_init(SB)
	MOVL	4(SP), AX
	TESTL	AX, AX
	JNE	fail

	LEAL	24(SP), AX
	MOVL	AX, 0(SP)
	MOVL	352(SP), BX
	MOVL	m_stacksize(BX), AX
	MOVL	AX, 4(SP)
	CALL	libc·pthread_attr_setstacksize(SB)
	MOVL	8(SP), AX
	TESTL	AX, AX
	JNE	fail

	LEAL	24(SP), AX
	MOVL	AX, 0(SP)
	MOVL	$PTHREAD_CREATE_DETACHED, 4(SP)
	CALL	libc·pthread_attr_setdetachstate(SB)
	MOVL	8(SP), AX
	TESTL	AX, AX
	JNE	fail

	LEAL	88(SP), DI	// sigfillset, inline: every bit set
	MOVL	$-1, AX
	MOVL	$(SIGSET_SIZE/4), CX
	REP;	STOSL
	MOVL	$SIG_SETMASK, 0(SP)
	LEAL	88(SP), AX
	MOVL	AX, 4(SP)
	LEAL	216(SP), AX
	MOVL	AX, 8(SP)
	CALL	libc·pthread_sigmask(SB)

	LEAL	344(SP), AX
	MOVL	AX, 0(SP)
	LEAL	24(SP), AX
	MOVL	AX, 4(SP)
	LEAL	runtime·mstart_stub(SB), AX
	MOVL	AX, 8(SP)
	MOVL	352(SP), AX
	MOVL	AX, 12(SP)
	CALL	runtime·pthread_create(SB)
	MOVL	16(SP), AX
	MOVL	AX, 356(SP)

	MOVL	$SIG_SETMASK, 0(SP)
	LEAL	216(SP), AX
	MOVL	AX, 4(SP)
	MOVL	$0, 8(SP)
	CALL	libc·pthread_sigmask(SB)
	LEAL	24(SP), AX
	MOVL	AX, 0(SP)
	CALL	libc·pthread_attr_destroy(SB)
	MOVL	356(SP), AX
	TESTL	AX, AX
	JNE	fail
	RET
fail:
	MOVL	AX, 0(SP)
	CALL	runtime·threadfail(SB)
	RET

// void *mstart_stub(void *mp), the pthread start routine, entered with the
// cdecl convention (mp at 4(SP)): save the registers C expects kept (BX, SI,
// DI, BP), install the thread's g in TLS and record its g0 stack (ending just
// above the stack pointer; see thread_amd64.s), clear the direction flag,
// run mstart, and return 0 (in AX) to pthread, which ends the (detached)
// thread.
TEXT runtime·mstart_stub(SB),NOSPLIT|NOFRAME,$0
	PUSHL	BP
	MOVL	SP, BP
	PUSHL	BX
	PUSHL	SI
	PUSHL	DI
	MOVL	8(BP), DX
	MOVL	m_g0(DX), AX
	set_g(AX, CX)
	MOVL	SP, CX
	MOVL	CX, g_stackhi(AX)
	SUBL	m_stacksize(DX), CX
	ADDL	$STACKSLACK, CX
	MOVL	CX, g_stacklo(AX)
	CLD
	CALL	runtime·mstart(SB)
	POPL	DI
	POPL	SI
	POPL	BX
	POPL	BP
	XORL	AX, AX
	RET

// func newnote() (n *note): a cleared note. Its mutex and condition variable
// are initialised statically (os_$GOOS.h): persistentalloc's memory is zeroed,
// and darwin's initialisers add a signature word.
TEXT runtime·newnote(SB),NOSPLIT,$8-4
	MOVL	$note__size, 0(SP)
	CALL	runtime·persistentalloc(SB)
	MOVL	4(SP), AX
#ifdef PTHREAD_STATIC_SIGNATURES
	MOVL	$PTHREAD_MUTEX_SIG_INIT, note_mutex(AX)
	MOVL	$PTHREAD_COND_SIG_INIT, note_cond(AX)
#endif
	MOVL	AX, n+0(FP)
	RET

// func noteclear(n *note)
TEXT runtime·noteclear(SB),NOSPLIT,$0-4
	MOVL	n+0(FP), AX
	MOVL	$0, note_key(AX)
	RET

// func notesleep(n *note): waits until the note is woken.
TEXT runtime·notesleep(SB),NOSPLIT,$12-4
	MOVL	n+0(FP), BX
	LEAL	note_mutex(BX), AX
	MOVL	AX, 0(SP)
	CALL	libc·pthread_mutex_lock(SB)
check:
	MOVL	n+0(FP), BX
	MOVL	note_key(BX), AX
	TESTL	AX, AX
	JNE	woken
	LEAL	note_cond(BX), AX
	MOVL	AX, 0(SP)
	LEAL	note_mutex(BX), AX
	MOVL	AX, 4(SP)
	CALL	libc·pthread_cond_wait(SB)
	JMP	check
woken:
	LEAL	note_mutex(BX), AX
	MOVL	AX, 0(SP)
	CALL	libc·pthread_mutex_unlock(SB)
	RET

// func notewakeup(n *note): wakes the note's sleeper (once).
TEXT runtime·notewakeup(SB),NOSPLIT,$8-4
	MOVL	n+0(FP), BX
	LEAL	note_mutex(BX), AX
	MOVL	AX, 0(SP)
	CALL	libc·pthread_mutex_lock(SB)
	MOVL	n+0(FP), BX
	MOVL	$1, note_key(BX)
	LEAL	note_cond(BX), AX
	MOVL	AX, 0(SP)
	CALL	libc·pthread_cond_signal(SB)
	MOVL	n+0(FP), BX
	LEAL	note_mutex(BX), AX
	MOVL	AX, 0(SP)
	CALL	libc·pthread_mutex_unlock(SB)
	RET

// func newosproc0(stacksize int32, fn func(arg unsafe.Pointer), arg unsafe.Pointer)
// Creates a thread before the runtime is initialised (no m0 needed): it only
// uses sysAlloc and newosproc, which need nothing but libc.
TEXT runtime·newosproc0(SB),NOSPLIT,$12-12
	MOVL	fn+4(FP), AX
	MOVL	AX, 0(SP)
	MOVL	arg+8(FP), AX
	MOVL	AX, 4(SP)
	MOVL	stacksize+0(FP), AX
	MOVL	AX, 8(SP)
	CALL	runtime·newthread(SB)
	RET
