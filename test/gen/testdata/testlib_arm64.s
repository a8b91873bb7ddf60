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
	.ltorg
