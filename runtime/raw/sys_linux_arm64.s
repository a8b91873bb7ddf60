// The raw runtime for linux/arm64: a static program without libc whose
// threads are made with clone(2) and synchronised with futex(2) — the port of
// sys_linux_amd64.s. It provides the same functions as the libc runtime
// (write, exit, sysAlloc, gettid, newosproc, notes). System calls: SVC $0
// with the number in R8, arguments in R0-R5, result (or -errno) in R0.
//
// TLS: get_g/set_g use TPIDR_EL0+16 (runtime_arm64.h). With no libc to set
// TPIDR_EL0, the runtime points it 16 bytes below the g slot inside each m
// (m_tls), for m0 with MSR and for new threads through CLONE_SETTLS.

#include "runtime.h"
#include "runtime_arm64.h"

#define SYS_futex	98
#define SYS_exit	93
#define SYS_exit_group	94
#define SYS_gettid	178
#define SYS_clone	220
#define SYS_mmap	222
#define SYS_mprotect	226
#define SYS_write	64
#define SYS_ioctl	29
#define FUTEX_WAIT_PRIVATE	128
#define FUTEX_WAKE_PRIVATE	129
#define TCGETS	0x5401
// CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS
#define CLONE_FLAGS	0xd0f00

// The kernel starts the process with argc at 0(RSP), argv above it, RSP
// 16-byte aligned. The Go-convention call area for initm0 is 0-31.
TEXT _rt0_arm64_linux(SB),NOSPLIT|NOFRAME,$0
	MOVD	$runtime·m0(SB), R0
	ADD	$(m_tls-TLSG_OFFSET), R0
	MSR	R0, TPIDR_EL0
	MOVD	0(RSP), R1
	ADD	$8, RSP, R2
	MOVD	RSP, R3
	SUB	$32, RSP
	MOVD	R1, 8(RSP)
	MOVD	R2, 16(RSP)
	MOVD	R3, 24(RSP)
	CALL	runtime·initm0(SB)
	CALL	main·main(SB)
	MOVD	ZR, 8(RSP)
	CALL	runtime·exit(SB)
	BRK

// func write(fd int64, p *byte, n int64) (ret int64)
TEXT runtime·write(SB),NOSPLIT,$0-32
	MOVD	fd+0(FP), R0
	MOVD	p+8(FP), R1
	MOVD	n+16(FP), R2
	MOVD	$SYS_write, R8
	SVC	$0
	MOVD	R0, ret+24(FP)
	RET

// func isatty(fd int64) (ret int64): 1 if fd is a terminal, else 0 — what the C
// library's isatty asks: whether the TCGETS ioctl succeeds. The kernel's
// struct termios (36 bytes) is read into the frame.
TEXT runtime·isatty(SB),NOSPLIT,$48-16
	MOVD	fd+0(FP), R0
	MOVD	$TCGETS, R1
	ADD	$8, RSP, R2
	MOVD	$SYS_ioctl, R8
	SVC	$0
	CMP	$0, R0
	CSET	EQ, R0
	MOVD	R0, ret+8(FP)
	RET

// func exit(code int64): flushes buffered standard output, then ends the process.
TEXT runtime·exit(SB),NOSPLIT,$8-8
	CALL	runtime·printflush(SB)
	MOVD	code+0(FP), R0
	MOVD	$SYS_exit_group, R8
	SVC	$0
	BRK

// func gettid() (tid int64)
TEXT runtime·gettid(SB),NOSPLIT,$0-8
	MOVD	$SYS_gettid, R8
	SVC	$0
	MOVD	R0, tid+0(FP)
	RET

// func sysAlloc(n int64) (p *byte): zeroed anonymous memory; exits the program when there is none.
TEXT runtime·sysAlloc(SB),NOSPLIT,$8-16
	MOVD	ZR, R0
	MOVD	n+0(FP), R1
	CBNZ	R1, sized
	MOVD	$1, R1	// mmap refuses 0 bytes; a page is as good a pointer as any
sized:
	MOVD	$(PROT_READ|PROT_WRITE), R2
	MOVD	$(MAP_PRIVATE|MAP_ANON), R3
	MOVD	$-1, R4
	MOVD	ZR, R5
	MOVD	$SYS_mmap, R8
	SVC	$0
	CMN	$4095, R0
	BHS	fail
	MOVD	R0, p+8(FP)
	RET
fail:
	NEG	R0, R0
	MOVD	R0, 8(RSP)
	CALL	runtime·memfail(SB)
	RET

// func newosproc(mp *m): a thread made with clone, on a runtime-allocated
// stack with a guard page, its TPIDR_EL0 pointing into mp's TLS block. The
// child starts with the parent's registers (R0 = 0) on the new stack, so mp
// travels in R19.
TEXT runtime·newosproc(SB),NOSPLIT,$24-8
	MOVD	mp+0(FP), R19
	MOVD	m_stacksize(R19), R0
	ADD	$PAGESIZE, R0
	MOVD	R0, 8(RSP)
	CALL	runtime·sysAlloc(SB)
	MOVD	mp+0(FP), R19
	MOVD	16(RSP), R0
	MOVD	R0, m_stack(R19)
	MOVD	$PAGESIZE, R1
	MOVD	$PROT_NONE, R2
	MOVD	$SYS_mprotect, R8
	SVC	$0
	MOVD	m_stack(R19), R1
	ADD	$PAGESIZE, R1
	MOVD	m_g0(R19), R2
	MOVD	R1, g_stacklo(R2)
	MOVD	m_stacksize(R19), R3
	ADD	R3, R1
	AND	$~15, R1
	MOVD	R1, g_stackhi(R2)
	MOVD	$CLONE_FLAGS, R0
	MOVD	ZR, R2
	ADD	$(m_tls-TLSG_OFFSET), R19, R3
	MOVD	ZR, R4
	MOVD	$SYS_clone, R8
	SVC	$0
	CBZ	R0, child
	CMP	$0, R0
	BLT	fail
	RET
fail:
	NEG	R0, R0
	MOVD	R0, 8(RSP)
	CALL	runtime·threadfail(SB)
	RET
child:
	// The new thread: on its own (empty, 16-byte aligned) stack, TPIDR_EL0
	// already set by CLONE_SETTLS, mp in R19. The call area is 0-15.
	SUB	$16, RSP
	MOVD	m_g0(R19), R0
	set_g(R0, R1)
	CALL	runtime·mstart(SB)
	MOVD	ZR, R0
	MOVD	$SYS_exit, R8
	SVC	$0
	BRK

// func newnote() (n *note)
TEXT runtime·newnote(SB),NOSPLIT,$16-8
	MOVD	$note__size, R0
	MOVD	R0, 8(RSP)
	CALL	runtime·persistentalloc(SB)
	MOVD	16(RSP), R0
	MOVD	R0, n+0(FP)
	RET

// func noteclear(n *note)
TEXT runtime·noteclear(SB),NOSPLIT,$0-8
	MOVD	n+0(FP), R0
	MOVW	ZR, note_key(R0)
	RET

// func notesleep(n *note): futex-waits while the key is 0.
TEXT runtime·notesleep(SB),NOSPLIT,$0-8
again:
	MOVD	n+0(FP), R0
	LDARW	(R0), R1
	CBNZ	R1, woken
	MOVD	$FUTEX_WAIT_PRIVATE, R1
	MOVD	ZR, R2
	MOVD	ZR, R3
	MOVD	$SYS_futex, R8
	SVC	$0
	B	again
woken:
	RET

// func notewakeup(n *note): sets the key with release ordering and wakes the sleeper.
TEXT runtime·notewakeup(SB),NOSPLIT,$0-8
	MOVD	n+0(FP), R0
	MOVD	$1, R1
	STLRW	R1, (R0)
	MOVD	$FUTEX_WAKE_PRIVATE, R1
	MOVD	$1, R2
	MOVD	$SYS_futex, R8
	SVC	$0
	RET

// func newosproc0(stacksize int64, fn func(arg unsafe.Pointer), arg unsafe.Pointer)
TEXT runtime·newosproc0(SB),NOSPLIT,$24-24
	MOVD	fn+8(FP), R0
	MOVD	R0, 8(RSP)
	MOVD	arg+16(FP), R0
	MOVD	R0, 16(RSP)
	MOVD	stacksize+0(FP), R0
	MOVD	R0, 24(RSP)
	CALL	runtime·newthread(SB)
	RET
