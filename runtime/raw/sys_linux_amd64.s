// The raw runtime for linux/amd64: a static program without libc whose
// threads are made with clone(2) and synchronised with futex(2) — the design
// the seed moved away from, kept so the two can be compared. It provides the
// same functions as the libc runtime (write, exit, sysAlloc, gettid,
// newosproc, notes), so programs that call only the runtime build with either.

#include "runtime.h"
#include "runtime_amd64.h"

#define SYS_write	1
#define SYS_mmap	9
#define SYS_mprotect	10
#define SYS_ioctl	16
#define SYS_clone	56
#define SYS_exit	60
#define SYS_arch_prctl	158
#define SYS_gettid	186
#define SYS_futex	202
#define SYS_exit_group	231
#define ARCH_SET_FS	0x1002
#define FUTEX_WAIT_PRIVATE	128
#define FUTEX_WAKE_PRIVATE	129
#define TCGETS	0x5401
// CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS
#define CLONE_FLAGS	0xd0f00

// The kernel starts the process with argc at 0(SP) and argv above it.
// There is no libc, so the runtime points FS at m0's TLS block itself.
TEXT _rt0_amd64_linux(SB),NOSPLIT|NOFRAME,$0
	LEAQ	runtime·m0(SB), AX
	LEAQ	m_tls+8(AX), SI
	MOVQ	SI, 0(SI)
	MOVQ	$ARCH_SET_FS, DI
	MOVL	$SYS_arch_prctl, AX
	SYSCALL
	MOVQ	0(SP), DI
	LEAQ	8(SP), SI
	MOVQ	SP, BX
	ANDQ	$~15, SP
	SUBQ	$32, SP
	MOVQ	DI, 0(SP)
	MOVQ	SI, 8(SP)
	MOVQ	BX, 16(SP)
	CALL	runtime·initm0(SB)
	CALL	main·main(SB)
	MOVQ	$0, 0(SP)
	CALL	runtime·exit(SB)
	INT	$3

// func write(fd int64, p *byte, n int64) (ret int64)
TEXT runtime·write(SB),NOSPLIT,$0-32
	MOVQ	fd+0(FP), DI
	MOVQ	p+8(FP), SI
	MOVQ	n+16(FP), DX
	MOVL	$SYS_write, AX
	SYSCALL
	MOVQ	AX, ret+24(FP)
	RET

// func isatty(fd int64) (ret int64): 1 if fd is a terminal, else 0 — what the C
// library's isatty asks: whether the TCGETS ioctl succeeds. The kernel's
// struct termios (36 bytes) is read into the frame.
TEXT runtime·isatty(SB),NOSPLIT,$64-16
	MOVQ	fd+0(FP), DI
	MOVL	$TCGETS, SI
	MOVQ	SP, DX
	MOVL	$SYS_ioctl, AX
	SYSCALL
	XORL	CX, CX
	TESTQ	AX, AX
	SETEQ	CX
	MOVQ	CX, ret+8(FP)
	RET

// func exit(code int64): flushes buffered standard output, then ends the process.
TEXT runtime·exit(SB),NOSPLIT,$0-8
	CALL	runtime·printflush(SB)
	MOVQ	code+0(FP), DI
	MOVL	$SYS_exit_group, AX
	SYSCALL
	INT	$3

// func gettid() (tid int64)
TEXT runtime·gettid(SB),NOSPLIT,$0-8
	MOVL	$SYS_gettid, AX
	SYSCALL
	MOVQ	AX, tid+0(FP)
	RET

// func sysAlloc(n int64) (p *byte): zeroed anonymous memory; exits the program when there is none.
TEXT runtime·sysAlloc(SB),NOSPLIT,$8-16
	XORL	DI, DI
	MOVQ	n+0(FP), SI
	TESTQ	SI, SI
	JNE	sized
	MOVL	$1, SI	// mmap refuses 0 bytes; a page is as good a pointer as any
sized:
	MOVL	$(PROT_READ|PROT_WRITE), DX
	MOVL	$(MAP_PRIVATE|MAP_ANON), R10
	MOVQ	$-1, R8
	XORL	R9, R9
	MOVL	$SYS_mmap, AX
	SYSCALL
	CMPQ	AX, $-4095
	JCC	fail
	MOVQ	AX, p+8(FP)
	RET
fail:
	NEGQ	AX
	MOVQ	AX, 0(SP)
	CALL	runtime·memfail(SB)
	RET

// func newosproc(mp *m): a thread made with clone, on a runtime-allocated
// stack with a guard page, its FS pointing at the TLS block inside mp.
TEXT runtime·newosproc(SB),NOSPLIT,$24-8
	MOVQ	mp+0(FP), BX
	MOVQ	m_stacksize(BX), AX
	ADDQ	$PAGESIZE, AX
	MOVQ	AX, 0(SP)
	CALL	runtime·sysAlloc(SB)
	MOVQ	8(SP), DI
	MOVQ	mp+0(FP), BX
	MOVQ	DI, m_stack(BX)
	MOVQ	$PAGESIZE, SI
	MOVL	$PROT_NONE, DX
	MOVL	$SYS_mprotect, AX
	SYSCALL
	MOVQ	mp+0(FP), R13
	MOVQ	m_stack(R13), SI
	ADDQ	$PAGESIZE, SI
	MOVQ	m_g0(R13), CX
	MOVQ	SI, g_stacklo(CX)
	ADDQ	m_stacksize(R13), SI
	ANDQ	$~15, SI
	MOVQ	SI, g_stackhi(CX)
	LEAQ	m_tls+8(R13), R8
	MOVQ	R8, 0(R8)
	MOVQ	$CLONE_FLAGS, DI
	XORL	DX, DX
	XORL	R10, R10
	MOVL	$SYS_clone, AX
	SYSCALL
	CMPQ	AX, $0
	JEQ	child
	JLT	fail
	RET
fail:
	NEGQ	AX
	MOVQ	AX, 0(SP)
	CALL	runtime·threadfail(SB)
	RET
child:
	// The new thread: on its own stack, FS already set by CLONE_SETTLS, mp in R13.
	MOVQ	m_g0(R13), AX
	set_g(AX)
	CALL	runtime·mstart(SB)
	XORL	DI, DI
	MOVL	$SYS_exit, AX
	SYSCALL
	INT	$3

// func newnote() (n *note)
TEXT runtime·newnote(SB),NOSPLIT,$16-8
	MOVQ	$note__size, 0(SP)
	CALL	runtime·persistentalloc(SB)
	MOVQ	8(SP), AX
	MOVQ	AX, n+0(FP)
	RET

// func noteclear(n *note)
TEXT runtime·noteclear(SB),NOSPLIT,$0-8
	MOVQ	n+0(FP), AX
	MOVL	$0, note_key(AX)
	RET

// func notesleep(n *note): futex-waits while the key is 0.
TEXT runtime·notesleep(SB),NOSPLIT,$0-8
again:
	MOVQ	n+0(FP), DI
	MOVL	note_key(DI), AX
	TESTL	AX, AX
	JNE	woken
	MOVL	$FUTEX_WAIT_PRIVATE, SI
	XORL	DX, DX
	XORL	R10, R10
	MOVL	$SYS_futex, AX
	SYSCALL
	JMP	again
woken:
	RET

// func notewakeup(n *note): sets the key (a locked exchange is a full fence) and wakes the sleeper.
TEXT runtime·notewakeup(SB),NOSPLIT,$0-8
	MOVQ	n+0(FP), DI
	MOVL	$1, AX
	XCHGL	AX, note_key(DI)
	MOVL	$FUTEX_WAKE_PRIVATE, SI
	MOVL	$1, DX
	MOVL	$SYS_futex, AX
	SYSCALL
	RET

// func newosproc0(stacksize int64, fn func(arg unsafe.Pointer), arg unsafe.Pointer)
TEXT runtime·newosproc0(SB),NOSPLIT,$32-24
	MOVQ	fn+8(FP), AX
	MOVQ	AX, 0(SP)
	MOVQ	arg+16(FP), AX
	MOVQ	AX, 8(SP)
	MOVQ	stacksize+0(FP), AX
	MOVQ	AX, 16(SP)
	CALL	runtime·newthread(SB)
	RET
