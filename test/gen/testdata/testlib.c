// The test library for x86 (gcc -shared, -m32 for 386). The ret_* functions
// leave garbage above the C width of their result, as the ABIs allow, so a
// trampoline that does not extend the result is caught.
#if defined(__x86_64__)
#define GARBAGE(name, type, v64, v32) \
	__attribute__((naked)) type name(void) { __asm__("movabsq $" #v64 ", %rax\n\tret"); }
#else
#define GARBAGE(name, type, v64, v32) \
	__attribute__((naked)) type name(void) { __asm__("movl $" #v32 ", %eax\n\tret"); }
#endif

GARBAGE(ret_schar, signed char, 0x77777777123456ff, 0x123456ff)
GARBAGE(ret_uchar, unsigned char, 0x77777777123456ff, 0x123456ff)
GARBAGE(ret_short, short, 0x777777771234fffe, 0x1234fffe)
GARBAGE(ret_ushort, unsigned short, 0x777777771234fffe, 0x1234fffe)
GARBAGE(ret_bool, _Bool, 0x7777777712345601, 0x12345601)
GARBAGE(ret_int, int, 0x77777777fffffffd, 0xfffffffd)
GARBAGE(ret_uint, unsigned int, 0x77777777fffffffd, 0xfffffffd)

long sum9(signed char a, short b, int c, long d, unsigned char e, unsigned short f, unsigned int g, long long h, int i) {
	return (long)(a * 1LL + b * 3LL + c * 7LL + d * 11LL + e * 13LL + f * 17LL + g * 19LL + h * 23LL + i * 29LL);
}

long long mix64(int a, long long b, int c, long long d) {
	return a * 3LL + b * 5 + c * 7LL + d * 11;
}

double dmix(int a, double b, float c, long d, double e) {
	return a + b * 2 + c * 3.0 + d * 4.0 + e * 5;
}

float fhalf(float x) {
	return x * 0.5f;
}

double dsum10(double x0, double x1, double x2, double x3, double x4, double x5, double x6, double x7, double x8, float x9) {
	return x0 + x1 * 2 + x2 * 3 + x3 * 4 + x4 * 5 + x5 * 6 + x6 * 7 + x7 * 8 + x8 * 9 + x9 * 10.0;
}

double call_fcb(double (*f)(float, double, int)) {
	return f(1.5f, 2.25, 3);
}

long long call_cb9(long long (*f)(int, long long, signed char, short, int, int, int, int, int, long long)) {
	return f(1, -2, -3, -4, 5, -6, 7, -8, 9, -10) + 1;
}
