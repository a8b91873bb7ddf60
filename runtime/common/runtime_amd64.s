// The part of the runtime that does not depend on how threads are made:
// start-up bookkeeping, printing, arguments, and the thread body. Both
// variants (libc and raw) provide write, exit, sysAlloc, gettid, newosproc and
// notes; everything here is written against those.
//
// Calling convention: Go's ABI0 — arguments and results on the stack at
// name+off(FP), every register clobbered by a call.

#include "runtime.h"
#include "runtime_amd64.h"

GLOBL runtime·argc(SB), NOPTR, $8
GLOBL runtime·argv(SB), NOPTR, $8
GLOBL runtime·m0(SB), NOPTR, $m__size

DATA runtime·newline<>+0(SB)/1, $"\n"
GLOBL runtime·newline<>(SB), RODATA, $1

// func initm0(argc int64, argv **byte, sp uintptr)
// Records the program arguments and makes m0 and its g0 the current thread's.
TEXT runtime·initm0(SB),NOSPLIT,$0-24
	MOVQ	argc+0(FP), AX
	MOVQ	AX, runtime·argc(SB)
	MOVQ	argv+8(FP), AX
	MOVQ	AX, runtime·argv(SB)
	LEAQ	runtime·m0(SB), BX
	LEAQ	m_gstorage(BX), AX
	MOVQ	AX, m_g0(BX)
	MOVQ	BX, g_m(AX)
	MOVQ	sp+16(FP), CX
	MOVQ	CX, g_stackhi(AX)
	SUBQ	$(64*1024), CX
	MOVQ	CX, g_stacklo(AX)
	set_g(AX)
	RET

// Standard output (fd 1) is buffered as C's stdio buffers it: line-buffered
// when it is a terminal, fully buffered otherwise (a pipe or a file).
// printstring_fd appends to runtime·outbuf and writes the buffered bytes out
// (one write) when the next string would not fit (a string larger than the
// buffer is then written directly), in printflush, in runtime·exit before the
// process ends, and — on a terminal only — when a string ending in a newline
// has been appended. Whether fd 1 is a terminal is asked once, at the first
// newline (runtime·isatty), and kept in outmode: 0 not asked yet, 1 no, 2 yes.
// Every other fd, standard error included, is written immediately and
// unbuffered. Writes to fd 2 do NOT flush fd 1: buffered stdout text may
// appear after stderr text printed later.
// Threads may print concurrently: the spin lock outlock (the pattern of
// persistentalloc) guards the buffer and is held across the write system call,
// so lines from different threads never interleave within the buffer.
#define OUTBUFSIZE	4096
GLOBL runtime·outbuf(SB), NOPTR, $OUTBUFSIZE
GLOBL runtime·outlen(SB), NOPTR, $8
GLOBL runtime·outlock(SB), NOPTR, $4
GLOBL runtime·outmode(SB), NOPTR, $4

// func printstring_fd(fd int64, p *byte, n int64)
TEXT runtime·printstring_fd(SB),NOSPLIT,$32-24
	MOVQ	fd+0(FP), AX
	CMPQ	AX, $1
	JEQ	buffered
	MOVQ	AX, 0(SP)
	MOVQ	p+8(FP), AX
	MOVQ	AX, 8(SP)
	MOVQ	n+16(FP), AX
	MOVQ	AX, 16(SP)
	CALL	runtime·write(SB)
	RET
buffered:
	MOVQ	n+16(FP), CX
	TESTQ	CX, CX
	JLE	done
lock:
	MOVL	$1, AX
	XCHGL	AX, runtime·outlock(SB)
	TESTL	AX, AX
	JEQ	locked
	PAUSE
	JMP	lock
locked:
	MOVQ	n+16(FP), CX
	MOVQ	runtime·outlen(SB), AX
	ADDQ	CX, AX
	CMPQ	AX, $OUTBUFSIZE
	JLE	copy
	CALL	runtime·flushlocked(SB)
	MOVQ	n+16(FP), CX
	CMPQ	CX, $OUTBUFSIZE
	JLE	copy
	// Larger than the buffer (now empty): written directly.
	MOVQ	$1, 0(SP)
	MOVQ	p+8(FP), AX
	MOVQ	AX, 8(SP)
	MOVQ	CX, 16(SP)
	CALL	runtime·write(SB)
	JMP	unlock
copy:
	MOVQ	p+8(FP), SI
	MOVQ	runtime·outlen(SB), DI
	LEAQ	runtime·outbuf(SB), DX
	ADDQ	DI, DX
	ADDQ	CX, DI
	MOVQ	DI, runtime·outlen(SB)
next:
	MOVB	(SI), AX
	MOVB	AX, (DX)
	INCQ	SI
	INCQ	DX
	DECQ	CX
	JNE	next
	// AX holds the last byte appended.
	CMPB	AX, $10
	JNE	unlock
	MOVL	runtime·outmode(SB), AX
	TESTL	AX, AX
	JNE	known
	MOVQ	$1, 0(SP)
	CALL	runtime·isatty(SB)
	MOVQ	8(SP), AX
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
TEXT runtime·flushlocked(SB),NOSPLIT,$32-0
	MOVQ	runtime·outlen(SB), AX
	TESTQ	AX, AX
	JEQ	empty
	MOVQ	$0, runtime·outlen(SB)
	MOVQ	$1, 0(SP)
	LEAQ	runtime·outbuf(SB), CX
	MOVQ	CX, 8(SP)
	MOVQ	AX, 16(SP)
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

// func printstring(p *byte, n int64): to standard output.
TEXT runtime·printstring(SB),NOSPLIT,$24-16
	MOVQ	$1, 0(SP)
	MOVQ	p+0(FP), AX
	MOVQ	AX, 8(SP)
	MOVQ	n+8(FP), AX
	MOVQ	AX, 16(SP)
	CALL	runtime·printstring_fd(SB)
	RET

// func printnl(): a newline to standard output.
TEXT runtime·printnl(SB),NOSPLIT,$24-0
	MOVQ	$1, 0(SP)
	LEAQ	runtime·newline<>(SB), AX
	MOVQ	AX, 8(SP)
	MOVQ	$1, 16(SP)
	CALL	runtime·printstring_fd(SB)
	RET

// func printint_fd(fd int64, v int64): v in decimal, through printstring_fd
// (so fd 1 is buffered). The digits are built backwards in a 32-byte buffer at 32(SP).
TEXT runtime·printint_fd(SB),NOSPLIT,$64-16
	MOVQ	v+8(FP), AX
	MOVQ	AX, R8
	LEAQ	64(SP), DI
	TESTQ	AX, AX
	JGE	digits
	NEGQ	AX
digits:
	MOVQ	$10, CX
loop:
	XORL	DX, DX
	DIVQ	CX
	ADDL	$48, DX
	DECQ	DI
	MOVB	DX, 0(DI)
	TESTQ	AX, AX
	JNE	loop
	TESTQ	R8, R8
	JGE	out
	DECQ	DI
	MOVB	$45, 0(DI)
out:
	MOVQ	fd+0(FP), AX
	MOVQ	AX, 0(SP)
	MOVQ	DI, 8(SP)
	LEAQ	64(SP), AX
	SUBQ	DI, AX
	MOVQ	AX, 16(SP)
	CALL	runtime·printstring_fd(SB)
	RET

// func printint(v int64): to standard output.
TEXT runtime·printint(SB),NOSPLIT,$16-8
	MOVQ	$1, 0(SP)
	MOVQ	v+0(FP), AX
	MOVQ	AX, 8(SP)
	CALL	runtime·printint_fd(SB)
	RET

// func nargs() (n int64)
TEXT runtime·nargs(SB),NOSPLIT,$0-8
	MOVQ	runtime·argc(SB), AX
	MOVQ	AX, n+0(FP)
	RET

// func arg(i int64) (p *byte, n int64): argv[i] and its length; nil, 0 when out of range.
TEXT runtime·arg(SB),NOSPLIT,$0-24
	MOVQ	i+0(FP), CX
	XORL	AX, AX
	XORL	DX, DX
	CMPQ	CX, runtime·argc(SB)
	JCC	done
	MOVQ	runtime·argv(SB), BX
	MOVQ	(BX)(CX*8), AX
	MOVQ	AX, SI
scan:
	CMPB	(SI), $0
	JEQ	found
	INCQ	SI
	JMP	scan
found:
	MOVQ	SI, DX
	SUBQ	AX, DX
done:
	MOVQ	AX, p+8(FP)
	MOVQ	DX, n+16(FP)
	RET

// func atoi(p *byte, n int64) (v int64, ok int64): a non-empty string of decimal digits.
TEXT runtime·atoi(SB),NOSPLIT,$0-32
	MOVQ	p+0(FP), SI
	MOVQ	n+8(FP), CX
	XORL	AX, AX
	MOVQ	$0, ok+24(FP)
	TESTQ	CX, CX
	JEQ	bad
next:
	MOVBQZX	(SI), DX
	SUBQ	$48, DX
	CMPQ	DX, $9
	JHI	bad
	LEAQ	(AX)(AX*4), AX
	ADDQ	AX, AX
	ADDQ	DX, AX
	INCQ	SI
	DECQ	CX
	JNE	next
	MOVQ	$1, ok+24(FP)
bad:
	MOVQ	AX, v+16(FP)
	RET

GLOBL runtime·palloc_lock(SB), NOPTR, $4
GLOBL runtime·palloc_next(SB), NOPTR, $8
GLOBL runtime·palloc_end(SB), NOPTR, $8

// func persistentalloc(n int64) (p *byte): zeroed, 16-byte aligned memory that
// is never freed, carved from 64 KiB chunks. The runtime's small objects (an m
// per thread, a note per wait) would otherwise cost a system call and a page
// fault each. A spin lock guards the chunk: holders never block for long.
TEXT runtime·persistentalloc(SB),NOSPLIT,$16-16
	MOVQ	n+0(FP), CX
	CMPQ	CX, $4096
	JLE	lock
	MOVQ	CX, 0(SP)
	CALL	runtime·sysAlloc(SB)
	MOVQ	8(SP), AX
	MOVQ	AX, p+8(FP)
	RET
lock:
	MOVL	$1, AX
	XCHGL	AX, runtime·palloc_lock(SB)
	TESTL	AX, AX
	JEQ	locked
	PAUSE
	JMP	lock
locked:
	MOVQ	n+0(FP), CX
	ADDQ	$15, CX
	ANDQ	$~15, CX
	MOVQ	runtime·palloc_next(SB), AX
	LEAQ	(AX)(CX*1), DX
	TESTQ	AX, AX
	JEQ	refill
	CMPQ	DX, runtime·palloc_end(SB)
	JHI	refill
	MOVQ	DX, runtime·palloc_next(SB)
	MOVL	$0, runtime·palloc_lock(SB)
	MOVQ	AX, p+8(FP)
	RET
refill:
	MOVQ	$65536, 0(SP)
	CALL	runtime·sysAlloc(SB)
	MOVQ	8(SP), AX
	MOVQ	AX, runtime·palloc_next(SB)
	ADDQ	$65536, AX
	MOVQ	AX, runtime·palloc_end(SB)
	JMP	locked

// func newthread(fn func(arg unsafe.Pointer), arg unsafe.Pointer, stacksize int64)
// Makes a new m whose OS thread runs fn(arg) on a g0 stack of stacksize bytes.
TEXT runtime·newthread(SB),NOSPLIT,$16-24
	MOVQ	$m__size, 0(SP)
	CALL	runtime·persistentalloc(SB)
	MOVQ	8(SP), BX
	LEAQ	m_gstorage(BX), AX
	MOVQ	AX, m_g0(BX)
	MOVQ	BX, g_m(AX)
	MOVQ	fn+0(FP), AX
	MOVQ	AX, m_fn(BX)
	MOVQ	arg+8(FP), AX
	MOVQ	AX, m_arg(BX)
	MOVQ	stacksize+16(FP), AX
	MOVQ	AX, m_stacksize(BX)
	MOVQ	BX, 0(SP)
	CALL	runtime·newosproc(SB)
	RET

// func mstart(): the first Go-convention code on a new thread, already on its g0 stack.
TEXT runtime·mstart(SB),NOSPLIT,$8-0
	get_g(AX)
	MOVQ	g_m(AX), BX
	MOVQ	m_arg(BX), CX
	MOVQ	CX, 0(SP)
	MOVQ	m_fn(BX), AX
	CALL	AX
	RET

// func threadfail(err int64): the runtime could not make a thread; says so and exits with status 1.
TEXT runtime·threadfail(SB),NOSPLIT,$24-8
	LEAQ	runtime·threadfailmsg<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$47, 8(SP)
	MOVQ	err+0(FP), AX
	MOVQ	AX, 16(SP)
	CALL	runtime·fatalerrno(SB)
	RET

// func memfail(err int64): the system gave the runtime no memory; says so and exits with status 1.
TEXT runtime·memfail(SB),NOSPLIT,$24-8
	LEAQ	runtime·memfailmsg<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$30, 8(SP)
	MOVQ	err+0(FP), AX
	MOVQ	AX, 16(SP)
	CALL	runtime·fatalerrno(SB)
	RET

// func fatalerrno(msg *byte, n int64, err int64): writes msg[:n], err and ")\n" to
// standard error and exits with status 1.
TEXT runtime·fatalerrno(SB),NOSPLIT,$24-24
	MOVQ	$2, 0(SP)
	MOVQ	msg+0(FP), AX
	MOVQ	AX, 8(SP)
	MOVQ	n+8(FP), AX
	MOVQ	AX, 16(SP)
	CALL	runtime·printstring_fd(SB)
	MOVQ	$2, 0(SP)
	MOVQ	err+16(FP), AX
	MOVQ	AX, 8(SP)
	CALL	runtime·printint_fd(SB)
	MOVQ	$2, 0(SP)
	LEAQ	runtime·errnoend<>(SB), AX
	MOVQ	AX, 8(SP)
	MOVQ	$2, 16(SP)
	CALL	runtime·printstring_fd(SB)
	MOVQ	$1, 0(SP)
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
