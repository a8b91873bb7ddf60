// The test library for arm64 (no aarch64 C compiler here: GNU as + ld -shared).
// Same functions as testlib.c: ret_* leave garbage above the C width of the
// result; sum9 takes its ninth argument from the stack; the callee extends
// narrow arguments itself, as AAPCS64 requires.
	.text
	.macro garbage name, value
	.globl \name
	.type \name, %function
\name:
	ldr	x0, =\value
	ret
	.endm

	garbage ret_schar, 0x77777777123456ff
	garbage ret_uchar, 0x77777777123456ff
	garbage ret_short, 0x777777771234fffe
	garbage ret_ushort, 0x777777771234fffe
	garbage ret_bool, 0x7777777712345601
	garbage ret_int, 0x77777777fffffffd
	garbage ret_uint, 0x77777777fffffffd

// long sum9(signed char a, short b, int c, long d, unsigned char e,
//           unsigned short f, unsigned int g, long long h, int i)
	.globl sum9
	.type sum9, %function
sum9:
	sxtb	x9, w0
	sxth	x10, w1
	mov	x11, #3
	madd	x9, x10, x11, x9
	sxtw	x10, w2
	mov	x11, #7
	madd	x9, x10, x11, x9
	mov	x11, #11
	madd	x9, x3, x11, x9
	and	x10, x4, #0xff
	mov	x11, #13
	madd	x9, x10, x11, x9
	and	x10, x5, #0xffff
	mov	x11, #17
	madd	x9, x10, x11, x9
	mov	w10, w6
	mov	x11, #19
	madd	x9, x10, x11, x9
	mov	x11, #23
	madd	x9, x7, x11, x9
	ldrsw	x10, [sp]
	mov	x11, #29
	madd	x0, x10, x11, x9
	ret

// long long mix64(int a, long long b, int c, long long d)
	.globl mix64
	.type mix64, %function
mix64:
	sxtw	x9, w0
	mov	x11, #3
	mul	x9, x9, x11
	mov	x11, #5
	madd	x9, x1, x11, x9
	sxtw	x10, w2
	mov	x11, #7
	madd	x9, x10, x11, x9
	mov	x11, #11
	madd	x0, x3, x11, x9
	ret

// double dmix(int a, double b, float c, long d, double e)
	.globl dmix
	.type dmix, %function
dmix:
	scvtf	d16, w0
	fmov	d17, #2.0
	fmul	d0, d0, d17
	fadd	d16, d16, d0
	fcvt	d1, s1
	fmov	d17, #3.0
	fmul	d1, d1, d17
	fadd	d16, d16, d1
	scvtf	d18, x1
	fmov	d17, #4.0
	fmul	d18, d18, d17
	fadd	d16, d16, d18
	fmov	d17, #5.0
	fmul	d2, d2, d17
	fadd	d0, d16, d2
	ret

// float fhalf(float x)
	.globl fhalf
	.type fhalf, %function
fhalf:
	fmov	s1, #0.5
	fmul	s0, s0, s1
	ret

// double dsum10(double x0..x8, float x9): x8 and x9 come on the stack.
	.globl dsum10
	.type dsum10, %function
dsum10:
	fmov	d16, #2.0
	fmul	d1, d1, d16
	fadd	d0, d0, d1
	fmov	d16, #3.0
	fmul	d2, d2, d16
	fadd	d0, d0, d2
	fmov	d16, #4.0
	fmul	d3, d3, d16
	fadd	d0, d0, d3
	fmov	d16, #5.0
	fmul	d4, d4, d16
	fadd	d0, d0, d4
	fmov	d16, #6.0
	fmul	d5, d5, d16
	fadd	d0, d0, d5
	fmov	d16, #7.0
	fmul	d6, d6, d16
	fadd	d0, d0, d6
	fmov	d16, #8.0
	fmul	d7, d7, d16
	fadd	d0, d0, d7
	ldr	d17, [sp]
	fmov	d16, #9.0
	fmul	d17, d17, d16
	fadd	d0, d0, d17
	ldr	s18, [sp, #8]
	fcvt	d18, s18
	fmov	d16, #10.0
	fmul	d18, d18, d16
	fadd	d0, d0, d18
	ret

// double call_fcb(double (*f)(float, double, int)): f(1.5f, 2.25, 3)
	.globl call_fcb
	.type call_fcb, %function
call_fcb:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	mov	x16, x0
	fmov	s0, #1.5
	fmov	d1, #2.25
	mov	w0, #3
	blr	x16
	ldp	x29, x30, [sp], #16
	ret

// long long call_cb9(long long (*f)(int, long long, signed char, short, int, int, int, int, int, long long))
	.globl call_cb9
	.type call_cb9, %function
call_cb9:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	sub	sp, sp, #16
	mov	x16, x0
	mov	x9, #9
	str	x9, [sp]
	mov	x9, #-10
	str	x9, [sp, #8]
	mov	w0, #1
	mov	x1, #-2
	mov	w2, #-3
	mov	w3, #-4
	mov	w4, #5
	mov	w5, #-6
	mov	w6, #7
	mov	w7, #-8
	blr	x16
	add	x0, x0, #1
	add	sp, sp, #16
	ldp	x29, x30, [sp], #16
	ret
	.ltorg
