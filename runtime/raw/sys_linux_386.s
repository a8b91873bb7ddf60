// The raw runtime for linux/386: a static program without libc whose threads
// are made with clone(2) and synchronised with futex(2) — the port of
// sys_linux_amd64.s. It provides the same functions as the libc runtime
// (write, exit, sysAlloc, gettid, newosproc, notes). System calls: INT $0x80
// with the number in AX, arguments in BX, CX, DX, SI, DI, BP, result (or
// -errno) in AX.
//
// TLS: get_g/set_g (runtime_386.h) read the thread pointer at 0(GS) and the g
// slot at the linker's offset from it (-8). With no libc, each m carries its
// own block in m_tls: the g slot at m_tls, the thread pointer (pointing to
// itself) at m_tls+8, and the user_desc that describes the GS segment at
// m_tls+16 (16 bytes). m0's segment comes from set_thread_area, which picks
// the GDT entry; new threads reuse that entry through CLONE_SETTLS.

#include "runtime.h"
#include "runtime_386.h"

#define SYS_exit	1
#define SYS_write	4
#define SYS_ioctl	54
#define SYS_clone	120
#define SYS_mprotect	125
#define SYS_mmap2	192
#define SYS_gettid	224
#define SYS_futex	240
#define SYS_set_thread_area	243
#define SYS_exit_group	252
#define FUTEX_WAIT_PRIVATE	128
#define FUTEX_WAKE_PRIVATE	129
#define TCGETS	0x5401
// CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS
#define CLONE_FLAGS	0xd0f00
// user_desc flags: seg_32bit | limit_in_pages | useable.
#define DESC_FLAGS	0x51

// The GDT entry that set_thread_area gave m0's TLS segment.
GLOBL runtime·tlsentry(SB), NOPTR, $4

// Fills the user_desc at m_tls+16 of the m in r for a TLS segment based at
// m_tls+8, the thread pointer, which points to itself; clobbers AX.
#define TLSDESC(r, entry)	\
	LEAL	(m_tls+8)(r), AX; \
	MOVL	AX, 0(AX); \
	MOVL	entry, (m_tls+16)(r); \
	MOVL	AX, (m_tls+20)(r); \
	MOVL	$0xfffff, (m_tls+24)(r); \
	MOVL	$DESC_FLAGS, (m_tls+28)(r)

// The kernel starts the process with argc at 0(SP) and argv above it.
TEXT _rt0_386_linux(SB),NOSPLIT|NOFRAME,$0
	MOVL	0(SP), SI
	LEAL	4(SP), DI
	MOVL	SP, BP
	LEAL	runtime·m0(SB), DX
	TLSDESC(DX, $-1)
	LEAL	(m_tls+16)(DX), BX
	MOVL	$SYS_set_thread_area, AX
	INT	$0x80
	CMPL	AX, $0
	JNE	crash
	MOVL	(m_tls+16)(DX), AX
	MOVL	AX, runtime·tlsentry(SB)
	SHLL	$3, AX
	ORL	$3, AX
	MOVW	AX, GS
	ANDL	$~15, SP
	SUBL	$16, SP
	MOVL	SI, 0(SP)
	MOVL	DI, 4(SP)
	MOVL	BP, 8(SP)
	CALL	runtime·initm0(SB)
	CALL	main·main(SB)
	MOVL	$0, 0(SP)
	CALL	runtime·exit(SB)
crash:
	INT	$3

// func write(fd int32, p *byte, n int32) (ret int32)
TEXT runtime·write(SB),NOSPLIT,$0-16
	MOVL	fd+0(FP), BX
	MOVL	p+4(FP), CX
	MOVL	n+8(FP), DX
	MOVL	$SYS_write, AX
	INT	$0x80
	MOVL	AX, ret+12(FP)
	RET

// func isatty(fd int32) (ret int32): 1 if fd is a terminal, else 0 — what the C
// library's isatty asks: whether the TCGETS ioctl succeeds. The kernel's
// struct termios (36 bytes) is read into the frame.
TEXT runtime·isatty(SB),NOSPLIT,$48-8
	MOVL	fd+0(FP), BX
	MOVL	$TCGETS, CX
	MOVL	SP, DX
	MOVL	$SYS_ioctl, AX
	INT	$0x80
	XORL	CX, CX
	TESTL	AX, AX
	SETEQ	CX
	MOVL	CX, ret+4(FP)
	RET

// func exit(code int32): flushes buffered standard output, then ends the process.
TEXT runtime·exit(SB),NOSPLIT,$0-4
	CALL	runtime·printflush(SB)
	MOVL	code+0(FP), BX
	MOVL	$SYS_exit_group, AX
	INT	$0x80
	INT	$3

// func gettid() (tid int32)
TEXT runtime·gettid(SB),NOSPLIT,$0-4
	MOVL	$SYS_gettid, AX
	INT	$0x80
	MOVL	AX, tid+0(FP)
	RET

// func sysAlloc(n uintptr) (p *byte): zeroed anonymous memory; exits the program when there is none.
TEXT runtime·sysAlloc(SB),NOSPLIT,$4-8
	XORL	BX, BX
	MOVL	n+0(FP), CX
	TESTL	CX, CX
	JNE	sized
	MOVL	$1, CX	// mmap refuses 0 bytes; a page is as good a pointer as any
sized:
	MOVL	$(PROT_READ|PROT_WRITE), DX
	MOVL	$(MAP_PRIVATE|MAP_ANON), SI
	MOVL	$-1, DI
	XORL	BP, BP
	MOVL	$SYS_mmap2, AX
	INT	$0x80
	CMPL	AX, $-4095
	JCC	fail
	MOVL	AX, p+4(FP)
	RET
fail:
	NEGL	AX
	MOVL	AX, 0(SP)
	CALL	runtime·memfail(SB)
	RET

// func newosproc(mp *m): a thread made with clone, on a runtime-allocated
// stack with a guard page, its GS segment based at the TLS block inside mp.
// The child starts with the parent's registers (AX = 0) on the new stack, so
// mp travels in BP, which clone does not read.
TEXT runtime·newosproc(SB),NOSPLIT,$8-4
	MOVL	mp+0(FP), BX
	MOVL	m_stacksize(BX), AX
	ADDL	$PAGESIZE, AX
	MOVL	AX, 0(SP)
	CALL	runtime·sysAlloc(SB)
	MOVL	4(SP), BX
	MOVL	mp+0(FP), BP
	MOVL	BX, m_stack(BP)
	MOVL	$PAGESIZE, CX
	MOVL	$PROT_NONE, DX
	MOVL	$SYS_mprotect, AX
	INT	$0x80
	MOVL	mp+0(FP), BP
	MOVL	m_stack(BP), CX
	ADDL	$PAGESIZE, CX
	MOVL	m_g0(BP), DX
	MOVL	CX, g_stacklo(DX)
	ADDL	m_stacksize(BP), CX
	ANDL	$~15, CX
	MOVL	CX, g_stackhi(DX)
	MOVL	runtime·tlsentry(SB), DX
	TLSDESC(BP, DX)
	MOVL	$CLONE_FLAGS, BX
	XORL	DX, DX
	LEAL	(m_tls+16)(BP), SI
	XORL	DI, DI
	MOVL	$SYS_clone, AX
	INT	$0x80
	CMPL	AX, $0
	JEQ	child
	JLT	fail
	RET
fail:
	NEGL	AX
	MOVL	AX, 0(SP)
	CALL	runtime·threadfail(SB)
	RET
child:
	// The new thread: on its own stack, with GS (the inherited selector)
	// already based at mp's block: CLONE_SETTLS installs the descriptor
	// for the child and loads it. GS is not reloaded here, as glibc does
	// not either: under qemu-user the GDT is one table shared by all
	// threads, and a reload could pick up a later thread's base. mp in BP.
	MOVL	m_g0(BP), AX
	set_g(AX, CX)
	CALL	runtime·mstart(SB)
	XORL	BX, BX
	MOVL	$SYS_exit, AX
	INT	$0x80
	INT	$3

// func newnote() (n *note)
TEXT runtime·newnote(SB),NOSPLIT,$8-4
	MOVL	$note__size, 0(SP)
	CALL	runtime·persistentalloc(SB)
	MOVL	4(SP), AX
	MOVL	AX, n+0(FP)
	RET

// func noteclear(n *note)
TEXT runtime·noteclear(SB),NOSPLIT,$0-4
	MOVL	n+0(FP), AX
	MOVL	$0, note_key(AX)
	RET

// func notesleep(n *note): futex-waits while the key is 0.
TEXT runtime·notesleep(SB),NOSPLIT,$0-4
again:
	MOVL	n+0(FP), BX
	MOVL	note_key(BX), AX
	TESTL	AX, AX
	JNE	woken
	MOVL	$FUTEX_WAIT_PRIVATE, CX
	XORL	DX, DX
	XORL	SI, SI
	MOVL	$SYS_futex, AX
	INT	$0x80
	JMP	again
woken:
	RET

// func notewakeup(n *note): sets the key (a locked exchange is a full fence) and wakes the sleeper.
TEXT runtime·notewakeup(SB),NOSPLIT,$0-4
	MOVL	n+0(FP), BX
	MOVL	$1, AX
	XCHGL	AX, note_key(BX)
	MOVL	$FUTEX_WAKE_PRIVATE, CX
	MOVL	$1, DX
	MOVL	$SYS_futex, AX
	INT	$0x80
	RET

// func newosproc0(stacksize int32, fn func(arg unsafe.Pointer), arg unsafe.Pointer)
TEXT runtime·newosproc0(SB),NOSPLIT,$12-12
	MOVL	fn+4(FP), AX
	MOVL	AX, 0(SP)
	MOVL	arg+8(FP), AX
	MOVL	AX, 4(SP)
	MOVL	stacksize+0(FP), AX
	MOVL	AX, 8(SP)
	CALL	runtime·newthread(SB)
	RET
