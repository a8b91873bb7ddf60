// threads [N [STACK]]: N threads (default 8), each on its own OS thread made
// by the runtime with a STACK-byte g0 stack (default 65536). Thread i sums the
// integers in [i*1000000, (i+1)*1000000); the main thread waits for each
// through a note, then prints one line per thread, in order,
//
//	thread I: sum=S tid=T
//
// (T the OS thread id the thread saw) and finally total=X. It calls only the
// runtime, never libc, so it builds unchanged for either runtime variant.
//
//	npx asmlink run examples/threads.s 8 65536

#include "textflag.h"

// A record per thread: 0 index, 8 sum, 16 tid, 24 note.
#define rec_i	0
#define rec_sum	8
#define rec_tid	16
#define rec_note	24
#define rec__size	32
#define CHUNK	1000000

DATA msg_thread<>+0(SB)/7, $"thread "
GLOBL msg_thread<>(SB), RODATA, $7
DATA msg_sum<>+0(SB)/6, $": sum="
GLOBL msg_sum<>(SB), RODATA, $6
DATA msg_tid<>+0(SB)/5, $" tid="
GLOBL msg_tid<>(SB), RODATA, $5
DATA msg_total<>+0(SB)/6, $"total="
GLOBL msg_total<>(SB), RODATA, $6
DATA msg_usage<>+0(SB)/8, $"usage: t"
DATA msg_usage<>+8(SB)/8, $"hreads ["
DATA msg_usage<>+16(SB)/8, $"N [STACK"
DATA msg_usage<>+24(SB)/3, $"]]\n"
GLOBL msg_usage<>(SB), RODATA, $27

#ifdef GOARCH_amd64
// Locals: 32 n, 40 stack size, 48 records, 56 i, 64 total, 72 argc.
TEXT ·main(SB),NOSPLIT,$80-0
	MOVQ	$8, 32(SP)
	MOVQ	$65536, 40(SP)
	CALL	runtime·nargs(SB)
	MOVQ	0(SP), AX
	MOVQ	AX, 72(SP)
	CMPQ	AX, $2
	JLT	spawnall
	MOVQ	$1, 0(SP)
	CALL	·argint(SB)
	MOVQ	8(SP), AX
	MOVQ	AX, 32(SP)
	CMPQ	72(SP), $3
	JLT	spawnall
	MOVQ	$2, 0(SP)
	CALL	·argint(SB)
	MOVQ	8(SP), AX
	MOVQ	AX, 40(SP)

spawnall:
	MOVQ	32(SP), AX
	SHLQ	$5, AX
	MOVQ	AX, 0(SP)
	CALL	runtime·sysAlloc(SB)
	MOVQ	8(SP), AX
	MOVQ	AX, 48(SP)
	MOVQ	$0, 56(SP)
spawn:
	MOVQ	56(SP), CX
	CMPQ	CX, 32(SP)
	JGE	waitall
	CALL	runtime·newnote(SB)
	MOVQ	0(SP), DX
	MOVQ	56(SP), CX
	MOVQ	CX, AX
	SHLQ	$5, AX
	ADDQ	48(SP), AX
	MOVQ	CX, rec_i(AX)
	MOVQ	DX, rec_note(AX)
	LEAQ	·worker(SB), CX
	MOVQ	CX, 0(SP)
	MOVQ	AX, 8(SP)
	MOVQ	40(SP), CX
	MOVQ	CX, 16(SP)
	CALL	runtime·newthread(SB)
	INCQ	56(SP)
	JMP	spawn

waitall:
	MOVQ	$0, 56(SP)
wait:
	MOVQ	56(SP), CX
	CMPQ	CX, 32(SP)
	JGE	report
	SHLQ	$5, CX
	ADDQ	48(SP), CX
	MOVQ	rec_note(CX), AX
	MOVQ	AX, 0(SP)
	CALL	runtime·notesleep(SB)
	INCQ	56(SP)
	JMP	wait

report:
	MOVQ	$0, 56(SP)
	MOVQ	$0, 64(SP)
line:
	MOVQ	56(SP), CX
	CMPQ	CX, 32(SP)
	JGE	total
	LEAQ	msg_thread<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$7, 8(SP)
	CALL	runtime·printstring(SB)
	MOVQ	56(SP), AX
	MOVQ	AX, 0(SP)
	CALL	runtime·printint(SB)
	LEAQ	msg_sum<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$6, 8(SP)
	CALL	runtime·printstring(SB)
	MOVQ	56(SP), CX
	SHLQ	$5, CX
	ADDQ	48(SP), CX
	MOVQ	rec_sum(CX), AX
	ADDQ	AX, 64(SP)
	MOVQ	AX, 0(SP)
	CALL	runtime·printint(SB)
	LEAQ	msg_tid<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$5, 8(SP)
	CALL	runtime·printstring(SB)
	MOVQ	56(SP), CX
	SHLQ	$5, CX
	ADDQ	48(SP), CX
	MOVQ	rec_tid(CX), AX
	MOVQ	AX, 0(SP)
	CALL	runtime·printint(SB)
	CALL	runtime·printnl(SB)
	INCQ	56(SP)
	JMP	line
total:
	LEAQ	msg_total<>(SB), AX
	MOVQ	AX, 0(SP)
	MOVQ	$6, 8(SP)
	CALL	runtime·printstring(SB)
	MOVQ	64(SP), AX
	MOVQ	AX, 0(SP)
	CALL	runtime·printint(SB)
	CALL	runtime·printnl(SB)
	RET

// func argint(i int64) (v int64): the i'th argument as a number; exits with
// a usage message when it is not one.
TEXT ·argint(SB),NOSPLIT,$32-16
	MOVQ	i+0(FP), AX
	MOVQ	AX, 0(SP)
	CALL	runtime·arg(SB)
	MOVQ	8(SP), AX
	MOVQ	16(SP), CX
	MOVQ	AX, 0(SP)
	MOVQ	CX, 8(SP)
	CALL	runtime·atoi(SB)
	MOVQ	24(SP), AX
	TESTQ	AX, AX
	JEQ	usage
	MOVQ	16(SP), AX
	MOVQ	AX, v+8(FP)
	RET
usage:
	MOVQ	$2, 0(SP)
	LEAQ	msg_usage<>(SB), AX
	MOVQ	AX, 8(SP)
	MOVQ	$27, 16(SP)
	CALL	runtime·printstring_fd(SB)
	MOVQ	$2, 0(SP)
	CALL	runtime·exit(SB)
	RET

// func worker(r *rec): runs on its own thread.
TEXT ·worker(SB),NOSPLIT,$8-8
	MOVQ	r+0(FP), BX
	MOVQ	rec_i(BX), AX
	MOVQ	$CHUNK, CX
	IMULQ	CX, AX
	MOVQ	AX, SI
	LEAQ	CHUNK(AX), DI
	XORL	DX, DX
sum:
	ADDQ	SI, DX
	INCQ	SI
	CMPQ	SI, DI
	JLT	sum
	MOVQ	DX, rec_sum(BX)
	CALL	runtime·gettid(SB)
	MOVQ	0(SP), AX
	MOVQ	r+0(FP), BX
	MOVQ	AX, rec_tid(BX)
	MOVQ	rec_note(BX), AX
	MOVQ	AX, 0(SP)
	CALL	runtime·notewakeup(SB)
	RET
#endif
