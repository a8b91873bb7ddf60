// The part of the runtime that does not depend on how threads are made, for
// arm64: start-up bookkeeping, printing, arguments, and the thread body. The
// same functions as runtime_amd64.s with the same 8-byte slots, in Go's arm64
// ABI0: the caller stores the first argument at 8(RSP) of its own frame
// (0(RSP) holds its saved LR), which is 0(FP) in the callee; every register
// is clobbered by a call. R27 is the assembler's temporary and R18 the
// platform register: neither is used here.

#include "runtime.h"
#include "runtime_arm64.h"

GLOBL runtime·argc(SB), NOPTR, $8
GLOBL runtime·argv(SB), NOPTR, $8
GLOBL runtime·m0(SB), NOPTR, $m__size
// darwin: the byte offset of g's TSD slot (see runtime_arm64.h).
GLOBL runtime·tlsoff(SB), NOPTR, $8

DATA runtime·newline<>+0(SB)/1, $"\n"
GLOBL runtime·newline<>(SB), RODATA, $1

// func initm0(argc int64, argv **byte, sp uintptr)
// Records the program arguments and makes m0 and its g0 the current thread's.
TEXT runtime·initm0(SB),NOSPLIT,$16-24
	MOVD	argc+0(FP), R0
	MOVD	R0, runtime·argc(SB)
	MOVD	argv+8(FP), R0
	MOVD	R0, runtime·argv(SB)
#ifdef GOOS_darwin
	CALL	runtime·tlsinit(SB)
#endif
	MOVD	$runtime·m0(SB), R1
	ADD	$m_gstorage, R1, R0
	MOVD	R0, m_g0(R1)
	MOVD	R1, g_m(R0)
	MOVD	sp+16(FP), R2
	MOVD	R2, g_stackhi(R0)
	SUB	$(64*1024), R2
	MOVD	R2, g_stacklo(R0)
	set_g(R0, R3)
	RET

// Standard output (fd 1) is buffered as C's stdio buffers it — at each
// newline on a terminal, in OUTBUFSIZE blocks otherwise; outmode caches
// runtime·isatty(1) — exactly as runtime_amd64.s describes.
// Threads may print concurrently: the spin lock outlock (the pattern of
// persistentalloc: load-acquire exclusive / store exclusive to take it, a
// store-release to free it) guards the buffer and is held across the write
// system call, so lines from different threads never interleave within it.
#define OUTBUFSIZE	4096
GLOBL runtime·outbuf(SB), NOPTR, $OUTBUFSIZE
GLOBL runtime·outlen(SB), NOPTR, $8
GLOBL runtime·outlock(SB), NOPTR, $4
GLOBL runtime·outmode(SB), NOPTR, $4

// func printstring_fd(fd int64, p *byte, n int64)
TEXT runtime·printstring_fd(SB),NOSPLIT,$32-24
	MOVD	fd+0(FP), R0
	CMP	$1, R0
	BEQ	buffered
	MOVD	R0, 8(RSP)
	MOVD	p+8(FP), R0
	MOVD	R0, 16(RSP)
	MOVD	n+16(FP), R0
	MOVD	R0, 24(RSP)
	CALL	runtime·write(SB)
	RET
buffered:
	MOVD	n+16(FP), R2
	CMP	$0, R2
	BLE	done
	MOVD	$runtime·outlock(SB), R4
	MOVD	$1, R1
lock:
	LDAXRW	(R4), R3
	CBNZ	R3, lock
	STXRW	R1, (R4), R3
	CBNZ	R3, lock
	MOVD	n+16(FP), R2
	MOVD	runtime·outlen(SB), R0
	ADD	R2, R0, R0
	CMP	$OUTBUFSIZE, R0
	BLE	copy
	CALL	runtime·flushlocked(SB)
	MOVD	n+16(FP), R2
	CMP	$OUTBUFSIZE, R2
	BLE	copy
	// Larger than the buffer (now empty): written directly.
	MOVD	$1, R0
	MOVD	R0, 8(RSP)
	MOVD	p+8(FP), R0
	MOVD	R0, 16(RSP)
	MOVD	R2, 24(RSP)
	CALL	runtime·write(SB)
	B	unlock
copy:
	MOVD	p+8(FP), R1
	MOVD	runtime·outlen(SB), R0
	MOVD	$runtime·outbuf(SB), R3
	ADD	R0, R3, R3
	ADD	R2, R0, R0
	MOVD	R0, runtime·outlen(SB)
next:
	MOVBU	(R1), R5
	MOVB	R5, (R3)
	ADD	$1, R1
	ADD	$1, R3
	SUB	$1, R2
	CBNZ	R2, next
	// R5 holds the last byte appended.
	CMP	$10, R5
	BNE	unlock
	MOVWU	runtime·outmode(SB), R0
	CBNZ	R0, known
	MOVD	$1, R0
	MOVD	R0, 8(RSP)
	CALL	runtime·isatty(SB)
	MOVD	16(RSP), R0
	ADD	$1, R0
	MOVW	R0, runtime·outmode(SB)
known:
	CMP	$2, R0
	BNE	unlock
	CALL	runtime·flushlocked(SB)
unlock:
	MOVD	$runtime·outlock(SB), R4
	STLRW	ZR, (R4)
done:
	RET

// func flushlocked(): writes the buffered standard output, if any, in one
// write and empties the buffer. The caller holds outlock.
TEXT runtime·flushlocked(SB),NOSPLIT,$32-0
	MOVD	runtime·outlen(SB), R0
	CBZ	R0, empty
	MOVD	R0, 24(RSP)
	MOVD	ZR, runtime·outlen(SB)
	MOVD	$1, R0
	MOVD	R0, 8(RSP)
	MOVD	$runtime·outbuf(SB), R0
	MOVD	R0, 16(RSP)
	CALL	runtime·write(SB)
empty:
	RET

// func printflush(): writes out whatever standard output holds buffered.
TEXT runtime·printflush(SB),NOSPLIT,$8-0
	MOVD	$runtime·outlock(SB), R4
	MOVD	$1, R1
lock:
	LDAXRW	(R4), R3
	CBNZ	R3, lock
	STXRW	R1, (R4), R3
	CBNZ	R3, lock
	CALL	runtime·flushlocked(SB)
	MOVD	$runtime·outlock(SB), R4
	STLRW	ZR, (R4)
	RET

// func printstring(p *byte, n int64): to standard output.
TEXT runtime·printstring(SB),NOSPLIT,$24-16
	MOVD	$1, R0
	MOVD	R0, 8(RSP)
	MOVD	p+0(FP), R0
	MOVD	R0, 16(RSP)
	MOVD	n+8(FP), R0
	MOVD	R0, 24(RSP)
	CALL	runtime·printstring_fd(SB)
	RET

// func printnl(): a newline to standard output.
TEXT runtime·printnl(SB),NOSPLIT,$24-0
	MOVD	$1, R0
	MOVD	R0, 8(RSP)
	MOVD	$runtime·newline<>(SB), R0
	MOVD	R0, 16(RSP)
	MOVD	$1, R0
	MOVD	R0, 24(RSP)
	CALL	runtime·printstring_fd(SB)
	RET

// func printint_fd(fd int64, v int64): v in decimal, through printstring_fd
// (so fd 1 is buffered).
// The digits are built backwards in a 32-byte buffer at 48(RSP), ending at 80(RSP).
TEXT runtime·printint_fd(SB),NOSPLIT,$80-16
	MOVD	v+8(FP), R0
	MOVD	R0, R4
	ADD	$80, RSP, R1
	CMP	$0, R0
	BGE	digits
	NEG	R0, R0
digits:
	MOVD	$10, R2
loop:
	UDIV	R2, R0, R3
	MUL	R2, R3, R5
	SUB	R5, R0, R5
	ADD	$48, R5
	SUB	$1, R1
	MOVB	R5, (R1)
	MOVD	R3, R0
	CBNZ	R0, loop
	CMP	$0, R4
	BGE	out
	MOVD	$45, R5
	SUB	$1, R1
	MOVB	R5, (R1)
out:
	MOVD	fd+0(FP), R0
	MOVD	R0, 8(RSP)
	MOVD	R1, 16(RSP)
	ADD	$80, RSP, R0
	SUB	R1, R0, R0
	MOVD	R0, 24(RSP)
	CALL	runtime·printstring_fd(SB)
	RET

// func printint(v int64): to standard output.
TEXT runtime·printint(SB),NOSPLIT,$16-8
	MOVD	$1, R0
	MOVD	R0, 8(RSP)
	MOVD	v+0(FP), R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printint_fd(SB)
	RET

// func nargs() (n int64)
TEXT runtime·nargs(SB),NOSPLIT,$0-8
	MOVD	runtime·argc(SB), R0
	MOVD	R0, n+0(FP)
	RET

// func arg(i int64) (p *byte, n int64): argv[i] and its length; nil, 0 when out of range.
TEXT runtime·arg(SB),NOSPLIT,$0-24
	MOVD	i+0(FP), R2
	MOVD	ZR, R0
	MOVD	ZR, R1
	MOVD	runtime·argc(SB), R3
	CMP	R3, R2
	BHS	done
	MOVD	runtime·argv(SB), R4
	LSL	$3, R2, R6
	ADD	R6, R4, R6
	MOVD	(R6), R0
	MOVD	R0, R5
scan:
	MOVBU	(R5), R6
	CBZ	R6, found
	ADD	$1, R5
	B	scan
found:
	SUB	R0, R5, R1
done:
	MOVD	R0, p+8(FP)
	MOVD	R1, n+16(FP)
	RET

// func atoi(p *byte, n int64) (v int64, ok int64): a non-empty string of decimal digits.
TEXT runtime·atoi(SB),NOSPLIT,$0-32
	MOVD	p+0(FP), R1
	MOVD	n+8(FP), R2
	MOVD	ZR, R0
	MOVD	ZR, R5
	CBZ	R2, bad
	MOVD	$10, R4
next:
	MOVBU	(R1), R3
	SUB	$48, R3
	CMP	$9, R3
	BHI	bad
	MUL	R4, R0, R0
	ADD	R3, R0, R0
	ADD	$1, R1
	SUB	$1, R2
	CBNZ	R2, next
	MOVD	$1, R5
bad:
	MOVD	R0, v+16(FP)
	MOVD	R5, ok+24(FP)
	RET

GLOBL runtime·palloc_lock(SB), NOPTR, $4
GLOBL runtime·palloc_next(SB), NOPTR, $8
GLOBL runtime·palloc_end(SB), NOPTR, $8

// func persistentalloc(n int64) (p *byte): zeroed, 16-byte aligned memory
// that is never freed, carved from 64 KiB chunks. The runtime's small objects
// (an m per thread, a note per wait) would otherwise cost a system call and a
// page fault each. A spin lock (load-acquire exclusive / store exclusive, so
// it needs no ARMv8.1 atomics) guards the chunk; a store-release frees it.
TEXT runtime·persistentalloc(SB),NOSPLIT,$16-16
	MOVD	n+0(FP), R0
	CMP	$4096, R0
	BLE	lock
	MOVD	R0, 8(RSP)
	CALL	runtime·sysAlloc(SB)
	MOVD	16(RSP), R0
	MOVD	R0, p+8(FP)
	RET
lock:
	MOVD	$runtime·palloc_lock(SB), R4
	MOVD	$1, R1
retry:
	LDAXRW	(R4), R2
	CBNZ	R2, retry
	STXRW	R1, (R4), R3
	CBNZ	R3, retry
locked:
	MOVD	n+0(FP), R0
	ADD	$15, R0
	AND	$~15, R0
	MOVD	runtime·palloc_next(SB), R1
	ADD	R0, R1, R2
	CBZ	R1, refill
	MOVD	runtime·palloc_end(SB), R3
	CMP	R3, R2
	BHI	refill
	MOVD	R2, runtime·palloc_next(SB)
	MOVD	$runtime·palloc_lock(SB), R4
	STLRW	ZR, (R4)
	MOVD	R1, p+8(FP)
	RET
refill:
	MOVD	$65536, R0
	MOVD	R0, 8(RSP)
	CALL	runtime·sysAlloc(SB)
	MOVD	16(RSP), R0
	MOVD	R0, runtime·palloc_next(SB)
	ADD	$65536, R0
	MOVD	R0, runtime·palloc_end(SB)
	B	locked

// func newthread(fn func(arg unsafe.Pointer), arg unsafe.Pointer, stacksize int64)
// Makes a new m whose OS thread runs fn(arg) on a g0 stack of stacksize bytes.
TEXT runtime·newthread(SB),NOSPLIT,$16-24
	MOVD	$m__size, R0
	MOVD	R0, 8(RSP)
	CALL	runtime·persistentalloc(SB)
	MOVD	16(RSP), R1
	ADD	$m_gstorage, R1, R0
	MOVD	R0, m_g0(R1)
	MOVD	R1, g_m(R0)
	MOVD	fn+0(FP), R0
	MOVD	R0, m_fn(R1)
	MOVD	arg+8(FP), R0
	MOVD	R0, m_arg(R1)
	MOVD	stacksize+16(FP), R0
	MOVD	R0, m_stacksize(R1)
	MOVD	R1, 8(RSP)
	CALL	runtime·newosproc(SB)
	RET

// func mstart(): the first Go-convention code on a new thread, already on its g0 stack.
TEXT runtime·mstart(SB),NOSPLIT,$8-0
	get_g(R0)
	MOVD	g_m(R0), R1
	MOVD	m_arg(R1), R2
	MOVD	R2, 8(RSP)
	MOVD	m_fn(R1), R3
	CALL	(R3)
	RET

// func threadfail(err int64): the runtime could not make a thread; says so and exits with status 1.
TEXT runtime·threadfail(SB),NOSPLIT,$32-8
	MOVD	$runtime·threadfailmsg<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$47, R0
	MOVD	R0, 16(RSP)
	MOVD	err+0(FP), R0
	MOVD	R0, 24(RSP)
	CALL	runtime·fatalerrno(SB)
	RET

// func memfail(err int64): the system gave the runtime no memory; says so and exits with status 1.
TEXT runtime·memfail(SB),NOSPLIT,$32-8
	MOVD	$runtime·memfailmsg<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$30, R0
	MOVD	R0, 16(RSP)
	MOVD	err+0(FP), R0
	MOVD	R0, 24(RSP)
	CALL	runtime·fatalerrno(SB)
	RET

// func fatalerrno(msg *byte, n int64, err int64): writes msg[:n], err and ")\n" to
// standard error and exits with status 1.
TEXT runtime·fatalerrno(SB),NOSPLIT,$32-24
	MOVD	$2, R0
	MOVD	R0, 8(RSP)
	MOVD	msg+0(FP), R0
	MOVD	R0, 16(RSP)
	MOVD	n+8(FP), R0
	MOVD	R0, 24(RSP)
	CALL	runtime·printstring_fd(SB)
	MOVD	$2, R0
	MOVD	R0, 8(RSP)
	MOVD	err+16(FP), R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printint_fd(SB)
	MOVD	$2, R0
	MOVD	R0, 8(RSP)
	MOVD	$runtime·errnoend<>(SB), R0
	MOVD	R0, 16(RSP)
	MOVD	$2, R0
	MOVD	R0, 24(RSP)
	CALL	runtime·printstring_fd(SB)
	MOVD	$1, R0
	MOVD	R0, 8(RSP)
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
