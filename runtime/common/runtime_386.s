// The part of the runtime that does not depend on how threads are made, for
// 386: start-up bookkeeping, printing, arguments, and the thread body. The
// same functions as runtime_amd64.s, with 386's Go ABI0 frames: arguments and
// results on the stack at name+off(FP) (4(SP) at entry), one 4-byte slot for
// each pointer or int, two (low word first) for an int64. Every register is
// clobbered by a call.
//
// Widths on 386: printint and printint_fd print an int64 (the threads
// example's sums do not fit 32 bits); everything else takes 32-bit ints. The
// m, g and note layouts are those of runtime.h (8-byte fields, low half used).

#include "runtime.h"
#include "runtime_386.h"

GLOBL runtime·argc(SB), NOPTR, $4
GLOBL runtime·argv(SB), NOPTR, $4
GLOBL runtime·m0(SB), NOPTR, $m__size

DATA runtime·newline<>+0(SB)/1, $"\n"
GLOBL runtime·newline<>(SB), RODATA, $1

// func initm0(argc int32, argv **byte, sp uintptr)
// Records the program arguments and makes m0 and its g0 the current thread's.
TEXT runtime·initm0(SB),NOSPLIT,$0-12
	MOVL	argc+0(FP), AX
	MOVL	AX, runtime·argc(SB)
	MOVL	argv+4(FP), AX
	MOVL	AX, runtime·argv(SB)
	LEAL	runtime·m0(SB), BX
	LEAL	m_gstorage(BX), AX
	MOVL	AX, m_g0(BX)
	MOVL	BX, g_m(AX)
	MOVL	sp+8(FP), CX
	MOVL	CX, g_stackhi(AX)
	SUBL	$(64*1024), CX
	MOVL	CX, g_stacklo(AX)
	set_g(AX, CX)
	RET

// Standard output (fd 1) is buffered as C's stdio buffers it — at each
// newline on a terminal, in OUTBUFSIZE blocks otherwise; outmode caches
// runtime·isatty(1) — exactly as runtime_amd64.s describes.
// Threads may print concurrently: the spin lock outlock (the pattern of
// persistentalloc) guards the buffer and is held across the write system call,
// so lines from different threads never interleave within the buffer.
#define OUTBUFSIZE	4096
GLOBL runtime·outbuf(SB), NOPTR, $OUTBUFSIZE
GLOBL runtime·outlen(SB), NOPTR, $4
GLOBL runtime·outlock(SB), NOPTR, $4
GLOBL runtime·outmode(SB), NOPTR, $4

// func printstring_fd(fd int32, p *byte, n int32)
TEXT runtime·printstring_fd(SB),NOSPLIT,$16-12
	MOVL	fd+0(FP), AX
	CMPL	AX, $1
	JEQ	buffered
	MOVL	AX, 0(SP)
	MOVL	p+4(FP), AX
	MOVL	AX, 4(SP)
	MOVL	n+8(FP), AX
	MOVL	AX, 8(SP)
	CALL	runtime·write(SB)
	RET
buffered:
	MOVL	n+8(FP), CX
	TESTL	CX, CX
	JLE	done
lock:
	MOVL	$1, AX
	XCHGL	AX, runtime·outlock(SB)
	TESTL	AX, AX
	JEQ	locked
	PAUSE
	JMP	lock
locked:
	MOVL	n+8(FP), CX
	MOVL	runtime·outlen(SB), AX
	ADDL	CX, AX
	CMPL	AX, $OUTBUFSIZE
	JLE	copy
	CALL	runtime·flushlocked(SB)
	MOVL	n+8(FP), CX
	CMPL	CX, $OUTBUFSIZE
	JLE	copy
	// Larger than the buffer (now empty): written directly.
	MOVL	$1, 0(SP)
	MOVL	p+4(FP), AX
	MOVL	AX, 4(SP)
	MOVL	CX, 8(SP)
	CALL	runtime·write(SB)
	JMP	unlock
copy:
	MOVL	p+4(FP), SI
	MOVL	runtime·outlen(SB), DI
	LEAL	runtime·outbuf(SB), DX
	ADDL	DI, DX
	ADDL	CX, DI
	MOVL	DI, runtime·outlen(SB)
next:
	MOVB	(SI), AX
	MOVB	AX, (DX)
	INCL	SI
	INCL	DX
	DECL	CX
	JNE	next
	// AX holds the last byte appended.
	CMPB	AX, $10
	JNE	unlock
	MOVL	runtime·outmode(SB), AX
	TESTL	AX, AX
	JNE	known
	MOVL	$1, 0(SP)
	CALL	runtime·isatty(SB)
	MOVL	4(SP), AX
	INCL	AX
	MOVL	AX, runtime·outmode(SB)
known:
	CMPL	AX, $2
	JNE	unlock
	CALL	runtime·flushlocked(SB)
unlock:
	MOVL	$0, runtime·outlock(SB)
done:
	RET

// func flushlocked(): writes the buffered standard output, if any, in one
// write and empties the buffer. The caller holds outlock.
TEXT runtime·flushlocked(SB),NOSPLIT,$16-0
	MOVL	runtime·outlen(SB), AX
	TESTL	AX, AX
	JEQ	empty
	MOVL	$0, runtime·outlen(SB)
	MOVL	$1, 0(SP)
	LEAL	runtime·outbuf(SB), CX
	MOVL	CX, 4(SP)
	MOVL	AX, 8(SP)
	CALL	runtime·write(SB)
empty:
	RET

// func printflush(): writes out whatever standard output holds buffered.
TEXT runtime·printflush(SB),NOSPLIT,$0-0
lock:
	MOVL	$1, AX
	XCHGL	AX, runtime·outlock(SB)
	TESTL	AX, AX
	JEQ	locked
	PAUSE
	JMP	lock
locked:
	CALL	runtime·flushlocked(SB)
	MOVL	$0, runtime·outlock(SB)
	RET

// func printstring(p *byte, n int32): to standard output.
TEXT runtime·printstring(SB),NOSPLIT,$12-8
	MOVL	$1, 0(SP)
	MOVL	p+0(FP), AX
	MOVL	AX, 4(SP)
	MOVL	n+4(FP), AX
	MOVL	AX, 8(SP)
	CALL	runtime·printstring_fd(SB)
	RET

// func printnl(): a newline to standard output.
TEXT runtime·printnl(SB),NOSPLIT,$12-0
	MOVL	$1, 0(SP)
	LEAL	runtime·newline<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$1, 8(SP)
	CALL	runtime·printstring_fd(SB)
	RET

// func printint_fd(fd int32, v int64): v in decimal, through printstring_fd
// (so fd 1 is buffered).
// The digits are built backwards in a 32-byte buffer at 16(SP). 386 has no
// 64-bit division, so each digit takes two 32-bit DIVLs: the high word by
// 10, then the remainder and the low word by 10.
TEXT runtime·printint_fd(SB),NOSPLIT,$48-12
	MOVL	v_lo+4(FP), SI
	MOVL	v_hi+8(FP), BX
	LEAL	48(SP), DI
	TESTL	BX, BX
	JGE	digits
	NEGL	SI
	ADCL	$0, BX
	NEGL	BX
digits:
	MOVL	$10, CX
loop:
	XORL	DX, DX
	MOVL	BX, AX
	DIVL	CX
	MOVL	AX, BX
	MOVL	SI, AX
	DIVL	CX
	MOVL	AX, SI
	ADDL	$48, DX
	DECL	DI
	MOVB	DX, 0(DI)
	MOVL	SI, AX
	ORL	BX, AX
	JNE	loop
	MOVL	v_hi+8(FP), AX
	TESTL	AX, AX
	JGE	out
	DECL	DI
	MOVB	$45, 0(DI)
out:
	MOVL	fd+0(FP), AX
	MOVL	AX, 0(SP)
	MOVL	DI, 4(SP)
	LEAL	48(SP), AX
	SUBL	DI, AX
	MOVL	AX, 8(SP)
	CALL	runtime·printstring_fd(SB)
	RET

// func printint(v int64): to standard output.
TEXT runtime·printint(SB),NOSPLIT,$12-8
	MOVL	$1, 0(SP)
	MOVL	v_lo+0(FP), AX
	MOVL	AX, 4(SP)
	MOVL	v_hi+4(FP), AX
	MOVL	AX, 8(SP)
	CALL	runtime·printint_fd(SB)
	RET

// func nargs() (n int32)
TEXT runtime·nargs(SB),NOSPLIT,$0-4
	MOVL	runtime·argc(SB), AX
	MOVL	AX, n+0(FP)
	RET

// func arg(i int32) (p *byte, n int32): argv[i] and its length; nil, 0 when out of range.
TEXT runtime·arg(SB),NOSPLIT,$0-12
	MOVL	i+0(FP), CX
	XORL	AX, AX
	XORL	DX, DX
	CMPL	CX, runtime·argc(SB)
	JCC	done
	MOVL	runtime·argv(SB), BX
	MOVL	(BX)(CX*4), AX
	MOVL	AX, SI
scan:
	CMPB	(SI), $0
	JEQ	found
	INCL	SI
	JMP	scan
found:
	MOVL	SI, DX
	SUBL	AX, DX
done:
	MOVL	AX, p+4(FP)
	MOVL	DX, n+8(FP)
	RET

// func atoi(p *byte, n int32) (v int32, ok int32): a non-empty string of decimal digits.
TEXT runtime·atoi(SB),NOSPLIT,$0-16
	MOVL	p+0(FP), SI
	MOVL	n+4(FP), CX
	XORL	AX, AX
	MOVL	$0, ok+12(FP)
	TESTL	CX, CX
	JEQ	bad
next:
	MOVBLZX	(SI), DX
	SUBL	$48, DX
	CMPL	DX, $9
	JHI	bad
	LEAL	(AX)(AX*4), AX
	ADDL	AX, AX
	ADDL	DX, AX
	INCL	SI
	DECL	CX
	JNE	next
	MOVL	$1, ok+12(FP)
bad:
	MOVL	AX, v+8(FP)
	RET

GLOBL runtime·palloc_lock(SB), NOPTR, $4
GLOBL runtime·palloc_next(SB), NOPTR, $4
GLOBL runtime·palloc_end(SB), NOPTR, $4

// func persistentalloc(n uintptr) (p *byte): zeroed, 16-byte aligned memory
// that is never freed, carved from 64 KiB chunks. The runtime's small objects
// (an m per thread, a note per wait) would otherwise cost a system call and a
// page fault each. A spin lock guards the chunk: holders never block for long.
TEXT runtime·persistentalloc(SB),NOSPLIT,$8-8
	MOVL	n+0(FP), CX
	CMPL	CX, $4096
	JLE	lock
	MOVL	CX, 0(SP)
	CALL	runtime·sysAlloc(SB)
	MOVL	4(SP), AX
	MOVL	AX, p+4(FP)
	RET
lock:
	MOVL	$1, AX
	XCHGL	AX, runtime·palloc_lock(SB)
	TESTL	AX, AX
	JEQ	locked
	PAUSE
	JMP	lock
locked:
	MOVL	n+0(FP), CX
	ADDL	$15, CX
	ANDL	$~15, CX
	MOVL	runtime·palloc_next(SB), AX
	LEAL	(AX)(CX*1), DX
	TESTL	AX, AX
	JEQ	refill
	CMPL	DX, runtime·palloc_end(SB)
	JHI	refill
	MOVL	DX, runtime·palloc_next(SB)
	MOVL	$0, runtime·palloc_lock(SB)
	MOVL	AX, p+4(FP)
	RET
refill:
	MOVL	$65536, 0(SP)
	CALL	runtime·sysAlloc(SB)
	MOVL	4(SP), AX
	MOVL	AX, runtime·palloc_next(SB)
	ADDL	$65536, AX
	MOVL	AX, runtime·palloc_end(SB)
	JMP	locked

// func newthread(fn func(arg unsafe.Pointer), arg unsafe.Pointer, stacksize int32)
// Makes a new m whose OS thread runs fn(arg) on a g0 stack of stacksize bytes.
TEXT runtime·newthread(SB),NOSPLIT,$8-12
	MOVL	$m__size, 0(SP)
	CALL	runtime·persistentalloc(SB)
	MOVL	4(SP), BX
	LEAL	m_gstorage(BX), AX
	MOVL	AX, m_g0(BX)
	MOVL	BX, g_m(AX)
	MOVL	fn+0(FP), AX
	MOVL	AX, m_fn(BX)
	MOVL	arg+4(FP), AX
	MOVL	AX, m_arg(BX)
	MOVL	stacksize+8(FP), AX
	MOVL	AX, m_stacksize(BX)
	MOVL	BX, 0(SP)
	CALL	runtime·newosproc(SB)
	RET

// func mstart(): the first Go-convention code on a new thread, already on its g0 stack.
TEXT runtime·mstart(SB),NOSPLIT,$4-0
	get_g(AX)
	MOVL	g_m(AX), BX
	MOVL	m_arg(BX), CX
	MOVL	CX, 0(SP)
	MOVL	m_fn(BX), AX
	CALL	AX
	RET

// func threadfail(err int32): the runtime could not make a thread; says so and exits with status 1.
TEXT runtime·threadfail(SB),NOSPLIT,$12-4
	LEAL	runtime·threadfailmsg<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$47, 4(SP)
	MOVL	err+0(FP), AX
	MOVL	AX, 8(SP)
	CALL	runtime·fatalerrno(SB)
	RET

// func memfail(err int32): the system gave the runtime no memory; says so and exits with status 1.
TEXT runtime·memfail(SB),NOSPLIT,$12-4
	LEAL	runtime·memfailmsg<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$30, 4(SP)
	MOVL	err+0(FP), AX
	MOVL	AX, 8(SP)
	CALL	runtime·fatalerrno(SB)
	RET

// func fatalerrno(msg *byte, n int32, err int32): writes msg[:n], err and ")\n" to
// standard error and exits with status 1.
TEXT runtime·fatalerrno(SB),NOSPLIT,$12-12
	MOVL	$2, 0(SP)
	MOVL	msg+0(FP), AX
	MOVL	AX, 4(SP)
	MOVL	n+4(FP), AX
	MOVL	AX, 8(SP)
	CALL	runtime·printstring_fd(SB)
	MOVL	$2, 0(SP)
	MOVL	err+8(FP), AX
	MOVL	AX, 4(SP)
	SARL	$31, AX
	MOVL	AX, 8(SP)
	CALL	runtime·printint_fd(SB)
	MOVL	$2, 0(SP)
	LEAL	runtime·errnoend<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$2, 8(SP)
	CALL	runtime·printstring_fd(SB)
	MOVL	$1, 0(SP)
	CALL	runtime·exit(SB)
	RET

// "runtime: failed to create new OS thread (errno " — 47 bytes; "runtime: out of memory (errno " — 30.
DATA runtime·threadfailmsg<>+0(SB)/8, $"runtime:"
DATA runtime·threadfailmsg<>+8(SB)/8, $" failed "
DATA runtime·threadfailmsg<>+16(SB)/8, $"to creat"
DATA runtime·threadfailmsg<>+24(SB)/8, $"e new OS"
DATA runtime·threadfailmsg<>+32(SB)/8, $" thread "
DATA runtime·threadfailmsg<>+40(SB)/7, $"(errno "
GLOBL runtime·threadfailmsg<>(SB), RODATA, $47
DATA runtime·memfailmsg<>+0(SB)/8, $"runtime:"
DATA runtime·memfailmsg<>+8(SB)/8, $" out of "
DATA runtime·memfailmsg<>+16(SB)/8, $"memory ("
DATA runtime·memfailmsg<>+24(SB)/6, $"errno "
GLOBL runtime·memfailmsg<>(SB), RODATA, $30
DATA runtime·errnoend<>+0(SB)/2, $")\n"
GLOBL runtime·errnoend<>(SB), RODATA, $2
