// threads [N [STACK]]: N threads (default 8), each on its own OS thread made
// by the runtime with a STACK-byte g0 stack (default 65536; 131072 on arm64,
// where glibc's minimum thread stack is 128 KiB). Thread i sums the
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
#ifndef CHUNK
#define CHUNK	1000000
#endif

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

#ifdef GOARCH_386
// 386: pointers and counts are 32-bit, sums are int64 (two words, low first,
// added with ADCL). Locals: 16 n, 20 stack size, 24 records, 28 i,
// 32 total (int64), 40 argc.
TEXT ·main(SB),NOSPLIT,$44-0
	MOVL	$8, 16(SP)
	MOVL	$65536, 20(SP)
	CALL	runtime·nargs(SB)
	MOVL	0(SP), AX
	MOVL	AX, 40(SP)
	CMPL	AX, $2
	JLT	spawnall
	MOVL	$1, 0(SP)
	CALL	·argint(SB)
	MOVL	4(SP), AX
	MOVL	AX, 16(SP)
	CMPL	40(SP), $3
	JLT	spawnall
	MOVL	$2, 0(SP)
	CALL	·argint(SB)
	MOVL	4(SP), AX
	MOVL	AX, 20(SP)

spawnall:
	MOVL	16(SP), AX
	SHLL	$5, AX
	MOVL	AX, 0(SP)
	CALL	runtime·sysAlloc(SB)
	MOVL	4(SP), AX
	MOVL	AX, 24(SP)
	MOVL	$0, 28(SP)
spawn:
	MOVL	28(SP), CX
	CMPL	CX, 16(SP)
	JGE	waitall
	CALL	runtime·newnote(SB)
	MOVL	0(SP), DX
	MOVL	28(SP), CX
	MOVL	CX, AX
	SHLL	$5, AX
	ADDL	24(SP), AX
	MOVL	CX, rec_i(AX)
	MOVL	DX, rec_note(AX)
	LEAL	·worker(SB), CX
	MOVL	CX, 0(SP)
	MOVL	AX, 4(SP)
	MOVL	20(SP), CX
	MOVL	CX, 8(SP)
	CALL	runtime·newthread(SB)
	INCL	28(SP)
	JMP	spawn

waitall:
	MOVL	$0, 28(SP)
wait:
	MOVL	28(SP), CX
	CMPL	CX, 16(SP)
	JGE	report
	SHLL	$5, CX
	ADDL	24(SP), CX
	MOVL	rec_note(CX), AX
	MOVL	AX, 0(SP)
	CALL	runtime·notesleep(SB)
	INCL	28(SP)
	JMP	wait

report:
	MOVL	$0, 28(SP)
	MOVL	$0, 32(SP)
	MOVL	$0, 36(SP)
line:
	MOVL	28(SP), CX
	CMPL	CX, 16(SP)
	JGE	total
	LEAL	msg_thread<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$7, 4(SP)
	CALL	runtime·printstring(SB)
	MOVL	28(SP), AX
	MOVL	AX, 0(SP)
	MOVL	$0, 4(SP)
	CALL	runtime·printint(SB)
	LEAL	msg_sum<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$6, 4(SP)
	CALL	runtime·printstring(SB)
	MOVL	28(SP), CX
	SHLL	$5, CX
	ADDL	24(SP), CX
	MOVL	rec_sum(CX), AX
	MOVL	rec_sum+4(CX), DX
	ADDL	AX, 32(SP)
	ADCL	DX, 36(SP)
	MOVL	AX, 0(SP)
	MOVL	DX, 4(SP)
	CALL	runtime·printint(SB)
	LEAL	msg_tid<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$5, 4(SP)
	CALL	runtime·printstring(SB)
	MOVL	28(SP), CX
	SHLL	$5, CX
	ADDL	24(SP), CX
	MOVL	rec_tid(CX), AX
	MOVL	AX, 0(SP)
	MOVL	$0, 4(SP)
	CALL	runtime·printint(SB)
	CALL	runtime·printnl(SB)
	INCL	28(SP)
	JMP	line
total:
	LEAL	msg_total<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$6, 4(SP)
	CALL	runtime·printstring(SB)
	MOVL	32(SP), AX
	MOVL	AX, 0(SP)
	MOVL	36(SP), AX
	MOVL	AX, 4(SP)
	CALL	runtime·printint(SB)
	CALL	runtime·printnl(SB)
	RET

// func argint(i int32) (v int32): the i'th argument as a number; exits with
// a usage message when it is not one.
TEXT ·argint(SB),NOSPLIT,$16-8
	MOVL	i+0(FP), AX
	MOVL	AX, 0(SP)
	CALL	runtime·arg(SB)
	MOVL	4(SP), AX
	MOVL	8(SP), CX
	MOVL	AX, 0(SP)
	MOVL	CX, 4(SP)
	CALL	runtime·atoi(SB)
	MOVL	12(SP), AX
	TESTL	AX, AX
	JEQ	usage
	MOVL	8(SP), AX
	MOVL	AX, v+4(FP)
	RET
usage:
	MOVL	$2, 0(SP)
	LEAL	msg_usage<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$27, 8(SP)
	CALL	runtime·printstring_fd(SB)
	MOVL	$2, 0(SP)
	CALL	runtime·exit(SB)
	RET

// func worker(r *rec): runs on its own thread. The sum is kept in DX:AX.
TEXT ·worker(SB),NOSPLIT,$4-4
	MOVL	r+0(FP), BX
	MOVL	rec_i(BX), AX
	IMULL	$CHUNK, AX
	MOVL	AX, SI
	LEAL	CHUNK(AX), CX
	XORL	AX, AX
	XORL	DX, DX
sum:
	ADDL	SI, AX
	ADCL	$0, DX
	INCL	SI
	CMPL	SI, CX
	JCS	sum
	MOVL	AX, rec_sum(BX)
	MOVL	DX, rec_sum+4(BX)
	CALL	runtime·gettid(SB)
	MOVL	0(SP), AX
	MOVL	r+0(FP), BX
	MOVL	AX, rec_tid(BX)
	MOVL	rec_note(BX), AX
	MOVL	AX, 0(SP)
	CALL	runtime·notewakeup(SB)
	RET
#endif

#ifdef GOARCH_arm64
// arm64: the default STACK is 131072, not 65536: glibc's PTHREAD_STACK_MIN on
// arm64 is 128 KiB (for 64 KiB-page kernels), and a stack below the C
// library's minimum runs the runtime's error path. Locals: 40 n, 48 stack
// size, 56 records, 64 i, 72 total, 80 argc.
TEXT ·main(SB),NOSPLIT,$80-0
	MOVD	$8, R0
	MOVD	R0, 40(RSP)
	MOVD	$131072, R0
	MOVD	R0, 48(RSP)
	CALL	runtime·nargs(SB)
	MOVD	8(RSP), R0
	MOVD	R0, 80(RSP)
	CMP	$2, R0
	BLT	spawnall
	MOVD	$1, R0
	MOVD	R0, 8(RSP)
	CALL	·argint(SB)
	MOVD	16(RSP), R0
	MOVD	R0, 40(RSP)
	MOVD	80(RSP), R0
	CMP	$3, R0
	BLT	spawnall
	MOVD	$2, R0
	MOVD	R0, 8(RSP)
	CALL	·argint(SB)
	MOVD	16(RSP), R0
	MOVD	R0, 48(RSP)

spawnall:
	MOVD	40(RSP), R0
	LSL	$5, R0
	MOVD	R0, 8(RSP)
	CALL	runtime·sysAlloc(SB)
	MOVD	16(RSP), R0
	MOVD	R0, 56(RSP)
	MOVD	ZR, 64(RSP)
spawn:
	MOVD	64(RSP), R1
	MOVD	40(RSP), R2
	CMP	R2, R1
	BGE	waitall
	CALL	runtime·newnote(SB)
	MOVD	8(RSP), R3
	MOVD	64(RSP), R1
	MOVD	56(RSP), R0
	ADD	R1<<5, R0, R0
	MOVD	R1, rec_i(R0)
	MOVD	R3, rec_note(R0)
	MOVD	$·worker(SB), R1
	MOVD	R1, 8(RSP)
	MOVD	R0, 16(RSP)
	MOVD	48(RSP), R1
	MOVD	R1, 24(RSP)
	CALL	runtime·newthread(SB)
	MOVD	64(RSP), R1
	ADD	$1, R1
	MOVD	R1, 64(RSP)
	B	spawn

waitall:
	MOVD	ZR, 64(RSP)
wait:
	MOVD	64(RSP), R1
	MOVD	40(RSP), R2
	CMP	R2, R1
	BGE	report
	MOVD	56(RSP), R0
	ADD	R1<<5, R0, R0
	MOVD	rec_note(R0), R3
	MOVD	R3, 8(RSP)
	CALL	runtime·notesleep(SB)
	MOVD	64(RSP), R1
	ADD	$1, R1
	MOVD	R1, 64(RSP)
	B	wait

report:
	MOVD	ZR, 64(RSP)
	MOVD	ZR, 72(RSP)
line:
	MOVD	64(RSP), R1
	MOVD	40(RSP), R2
	CMP	R2, R1
	BGE	total
	MOVD	$msg_thread<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$7, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	MOVD	64(RSP), R0
	MOVD	R0, 8(RSP)
	CALL	runtime·printint(SB)
	MOVD	$msg_sum<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$6, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	MOVD	64(RSP), R1
	MOVD	56(RSP), R0
	ADD	R1<<5, R0, R0
	MOVD	rec_sum(R0), R2
	MOVD	72(RSP), R3
	ADD	R2, R3
	MOVD	R3, 72(RSP)
	MOVD	R2, 8(RSP)
	CALL	runtime·printint(SB)
	MOVD	$msg_tid<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$5, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	MOVD	64(RSP), R1
	MOVD	56(RSP), R0
	ADD	R1<<5, R0, R0
	MOVD	rec_tid(R0), R2
	MOVD	R2, 8(RSP)
	CALL	runtime·printint(SB)
	CALL	runtime·printnl(SB)
	MOVD	64(RSP), R1
	ADD	$1, R1
	MOVD	R1, 64(RSP)
	B	line
total:
	MOVD	$msg_total<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$6, R0
	MOVD	R0, 16(RSP)
	CALL	runtime·printstring(SB)
	MOVD	72(RSP), R0
	MOVD	R0, 8(RSP)
	CALL	runtime·printint(SB)
	CALL	runtime·printnl(SB)
	RET

// func argint(i int64) (v int64): the i'th argument as a number; exits with
// a usage message when it is not one.
TEXT ·argint(SB),NOSPLIT,$32-16
	MOVD	i+0(FP), R0
	MOVD	R0, 8(RSP)
	CALL	runtime·arg(SB)
	MOVD	16(RSP), R0
	MOVD	24(RSP), R1
	MOVD	R0, 8(RSP)
	MOVD	R1, 16(RSP)
	CALL	runtime·atoi(SB)
	MOVD	32(RSP), R0
	CBZ	R0, usage
	MOVD	24(RSP), R0
	MOVD	R0, v+8(FP)
	RET
usage:
	MOVD	$2, R0
	MOVD	R0, 8(RSP)
	MOVD	$msg_usage<>(SB), R0
	MOVD	R0, 16(RSP)
	MOVD	$27, R0
	MOVD	R0, 24(RSP)
	CALL	runtime·printstring_fd(SB)
	MOVD	$2, R0
	MOVD	R0, 8(RSP)
	CALL	runtime·exit(SB)
	RET

// func worker(r *rec): runs on its own thread.
TEXT ·worker(SB),NOSPLIT,$8-8
	MOVD	r+0(FP), R5
	MOVD	rec_i(R5), R0
	MOVD	$CHUNK, R1
	MUL	R1, R0, R2
	ADD	R1, R2, R3
	MOVD	ZR, R4
sum:
	ADD	R2, R4
	ADD	$1, R2
	CMP	R3, R2
	BLT	sum
	MOVD	R4, rec_sum(R5)
	CALL	runtime·gettid(SB)
	MOVD	8(RSP), R0
	MOVD	r+0(FP), R5
	MOVD	R0, rec_tid(R5)
	MOVD	rec_note(R5), R0
	MOVD	R0, 8(RSP)
	CALL	runtime·notewakeup(SB)
	RET
#endif
