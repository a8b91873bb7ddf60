// Threads, notes and system services through the C library on arm64 (linux
// and darwin alike; the OS facts come from os_$GOOS.h): the port of
// thread_amd64.s. The runtime never makes a system call itself. Each libc
// function is reached through its generated trampoline libc·NAME
// (runtime/libc/zlibc_*_arm64.s), which loads the Go-convention stack
// arguments into R0-R7 (AAPCS64) and keeps RSP 16-byte aligned. Every runtime
// thread runs on its g0 (system) stack, so no systemstack switch is needed:
// the trampolines run on the stack that pthread gave the thread.
// Outgoing arguments start at 8(RSP); the assembler's prologue keeps RSP
// 16-byte aligned.

#include "runtime.h"
#include "runtime_arm64.h"

// func write(fd int64, p *byte, n int64) (ret int64)
TEXT runtime·write(SB),NOSPLIT,$32-32
	MOVD	fd+0(FP), R0
	MOVW	R0, 8(RSP)
	MOVD	p+8(FP), R0
	MOVD	R0, 16(RSP)
	MOVD	n+16(FP), R0
	MOVD	R0, 24(RSP)
	CALL	libc·write(SB)
	MOVD	32(RSP), R0
	MOVD	R0, ret+24(FP)
	RET

// func isatty(fd int64) (ret int64): 1 if fd is a terminal, else 0. The libc
// trampoline has the same frame, so this is a tail jump to it.
TEXT runtime·isatty(SB),NOSPLIT|NOFRAME,$0-16
	B	libc·isatty(SB)

// func exit(code int64): flushes buffered standard output, then exits
// through libc (which runs atexit handlers).
TEXT runtime·exit(SB),NOSPLIT,$8-8
	CALL	runtime·printflush(SB)
	MOVD	code+0(FP), R0
	MOVW	R0, 8(RSP)
	CALL	libc·exit(SB)
	BRK

// func sysAlloc(n int64) (p *byte): zeroed anonymous memory; exits the program when there is none.
TEXT runtime·sysAlloc(SB),NOSPLIT,$48-16
	MOVD	ZR, 8(RSP)
	MOVD	n+0(FP), R0
	CBNZ	R0, sized
	MOVD	$1, R0	// mmap refuses 0 bytes; a page is as good a pointer as any
sized:
	MOVD	R0, 16(RSP)
	MOVD	$(PROT_READ|PROT_WRITE), R0
	MOVW	R0, 24(RSP)
	MOVD	$(MAP_PRIVATE|MAP_ANON), R0
	MOVW	R0, 28(RSP)
	MOVD	$-1, R0
	MOVW	R0, 32(RSP)
	MOVD	ZR, 40(RSP)
	CALL	libc·mmap(SB)
	MOVD	48(RSP), R0
	CMN	$1, R0
	BEQ	fail
	MOVD	R0, p+8(FP)
	RET
fail:
	MOVD	$ENOMEM, R0
	MOVD	R0, 8(RSP)
	CALL	runtime·memfail(SB)
	RET

// func newosproc(mp *m)
// The seed's pthread_create recipe with the stack allocated and cached by the
// C library, as on amd64 (see thread_amd64.s for why): pthread_attr_init,
// pthread_attr_setstacksize, pthread_attr_setdetachstate(DETACHED), and
// pthread_create with every signal blocked; the old mask is restored
// afterwards. The thread starts at mstart_stub with mp as argument.
//
// Frame: 8-47 outgoing arguments, 48 attr (64 bytes: glibc's arm64
// pthread_attr_t is 64), 112 new sigset (128), 240 old sigset (128),
// 368 pthread_t, 376 mp, 384 err.
TEXT runtime·newosproc(SB),NOSPLIT,$392-8
	MOVD	mp+0(FP), R1
	MOVD	R1, 376(RSP)
	ADD	$48, RSP, R0
	MOVD	R0, 8(RSP)
	CALL	libc·pthread_attr_init(SB)
	MOVD	16(RSP), R0
	CBNZ	R0, fail

	ADD	$48, RSP, R0
	MOVD	R0, 8(RSP)
	MOVD	376(RSP), R1
	MOVD	m_stacksize(R1), R0
	MOVD	R0, 16(RSP)
	CALL	libc·pthread_attr_setstacksize(SB)
	MOVD	24(RSP), R0
	CBNZ	R0, fail

	ADD	$48, RSP, R0
	MOVD	R0, 8(RSP)
	MOVD	$PTHREAD_CREATE_DETACHED, R0
	MOVW	R0, 16(RSP)
	CALL	libc·pthread_attr_setdetachstate(SB)
	MOVD	24(RSP), R0
	CBNZ	R0, fail

	ADD	$112, RSP, R0	// sigfillset, inline: every bit set
	MOVW	$-1, R1
	MOVD	$(SIGSET_SIZE/4), R2
fill:
	MOVW.P	R1, 4(R0)
	SUB	$1, R2
	CBNZ	R2, fill
	MOVD	$SIG_SETMASK, R0
	MOVW	R0, 8(RSP)
	ADD	$112, RSP, R0
	MOVD	R0, 16(RSP)
	ADD	$240, RSP, R0
	MOVD	R0, 24(RSP)
	CALL	libc·pthread_sigmask(SB)

	ADD	$368, RSP, R0
	MOVD	R0, 8(RSP)
	ADD	$48, RSP, R0
	MOVD	R0, 16(RSP)
	MOVD	$runtime·mstart_stub(SB), R0
	MOVD	R0, 24(RSP)
	MOVD	376(RSP), R0
	MOVD	R0, 32(RSP)
	CALL	libc·pthread_create(SB)
	MOVD	40(RSP), R0
	MOVD	R0, 384(RSP)

	MOVD	$SIG_SETMASK, R0
	MOVW	R0, 8(RSP)
	ADD	$240, RSP, R0
	MOVD	R0, 16(RSP)
	MOVD	ZR, 24(RSP)
	CALL	libc·pthread_sigmask(SB)
	ADD	$48, RSP, R0
	MOVD	R0, 8(RSP)
	CALL	libc·pthread_attr_destroy(SB)
	MOVD	384(RSP), R0
	CBNZ	R0, fail
	RET
fail:
	MOVD	R0, 8(RSP)
	CALL	runtime·threadfail(SB)
	RET

// void *mstart_stub(void *mp), the pthread start routine, entered with the
// C calling convention (mp in R0): save the registers AAPCS64 says a callee
// keeps (R19-R28, and R29/R30 for the return; the runtime never touches
// V8-V15), install the thread's g in TLS and record its g0 stack (ending
// just above the stack pointer; see thread_amd64.s), run mstart, and return
// 0 to pthread, which ends the (detached) thread. The call area for mstart
// is at 0-15, the saved registers above it.
TEXT runtime·mstart_stub(SB),NOSPLIT|NOFRAME,$0
	SUB	$112, RSP
	STP	(R29, R30), 16(RSP)
	ADD	$16, RSP, R29
	STP	(R19, R20), 32(RSP)
	STP	(R21, R22), 48(RSP)
	STP	(R23, R24), 64(RSP)
	STP	(R25, R26), 80(RSP)
	STP	(R27, R28), 96(RSP)
	MOVD	R0, R3
	MOVD	m_g0(R3), R1
	set_g(R1, R2)
	MOVD	RSP, R0
	MOVD	R0, g_stackhi(R1)
	MOVD	m_stacksize(R3), R2
	SUB	R2, R0
	ADD	$STACKSLACK, R0
	MOVD	R0, g_stacklo(R1)
	CALL	runtime·mstart(SB)
	LDP	32(RSP), (R19, R20)
	LDP	48(RSP), (R21, R22)
	LDP	64(RSP), (R23, R24)
	LDP	80(RSP), (R25, R26)
	LDP	96(RSP), (R27, R28)
	LDP	16(RSP), (R29, R30)
	ADD	$112, RSP
	MOVD	ZR, R0
	RET

// func newnote() (n *note): a cleared note. Its mutex and condition variable
// are initialised statically (os_$GOOS.h): persistentalloc's memory is zeroed,
// and darwin's initialisers add a signature word.
TEXT runtime·newnote(SB),NOSPLIT,$16-8
	MOVD	$note__size, R0
	MOVD	R0, 8(RSP)
	CALL	runtime·persistentalloc(SB)
	MOVD	16(RSP), R0
#ifdef PTHREAD_STATIC_SIGNATURES
	MOVD	$PTHREAD_MUTEX_SIG_INIT, R1
	MOVD	R1, note_mutex(R0)
	MOVD	$PTHREAD_COND_SIG_INIT, R1
	MOVD	R1, note_cond(R0)
#endif
	MOVD	R0, n+0(FP)
	RET

// func noteclear(n *note)
TEXT runtime·noteclear(SB),NOSPLIT,$0-8
	MOVD	n+0(FP), R0
	MOVW	ZR, note_key(R0)
	RET

// func notesleep(n *note): waits until the note is woken.
TEXT runtime·notesleep(SB),NOSPLIT,$24-8
	MOVD	n+0(FP), R1
	ADD	$note_mutex, R1, R0
	MOVD	R0, 8(RSP)
	CALL	libc·pthread_mutex_lock(SB)
check:
	MOVD	n+0(FP), R1
	MOVW	note_key(R1), R0
	CBNZ	R0, woken
	ADD	$note_cond, R1, R0
	MOVD	R0, 8(RSP)
	ADD	$note_mutex, R1, R0
	MOVD	R0, 16(RSP)
	CALL	libc·pthread_cond_wait(SB)
	B	check
woken:
	ADD	$note_mutex, R1, R0
	MOVD	R0, 8(RSP)
	CALL	libc·pthread_mutex_unlock(SB)
	RET

// func notewakeup(n *note): wakes the note's sleeper (once).
TEXT runtime·notewakeup(SB),NOSPLIT,$16-8
	MOVD	n+0(FP), R1
	ADD	$note_mutex, R1, R0
	MOVD	R0, 8(RSP)
	CALL	libc·pthread_mutex_lock(SB)
	MOVD	n+0(FP), R1
	MOVD	$1, R0
	MOVW	R0, note_key(R1)
	ADD	$note_cond, R1, R0
	MOVD	R0, 8(RSP)
	CALL	libc·pthread_cond_signal(SB)
	MOVD	n+0(FP), R1
	ADD	$note_mutex, R1, R0
	MOVD	R0, 8(RSP)
	CALL	libc·pthread_mutex_unlock(SB)
	RET

// func newosproc0(stacksize int64, fn func(arg unsafe.Pointer), arg unsafe.Pointer)
// Creates a thread before the runtime is initialised (no m0 needed): it only
// uses sysAlloc and newosproc, which need nothing but libc.
TEXT runtime·newosproc0(SB),NOSPLIT,$24-24
	MOVD	fn+8(FP), R0
	MOVD	R0, 8(RSP)
	MOVD	arg+16(FP), R0
	MOVD	R0, 16(RSP)
	MOVD	stacksize+0(FP), R0
	MOVD	R0, 24(RSP)
	CALL	runtime·newthread(SB)
	RET
