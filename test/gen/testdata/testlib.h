// Functions of the test library (testlib.c / testlib_arm64.S): results whose
// register holds garbage above the C width, and many mixed-width arguments.
signed char ret_schar(void);
unsigned char ret_uchar(void);
short ret_short(void);
unsigned short ret_ushort(void);
_Bool ret_bool(void);
int ret_int(void);
unsigned int ret_uint(void);
long sum9(signed char a, short b, int c, long d, unsigned char e, unsigned short f, unsigned int g, long long h, int i);
long long mix64(int a, long long b, int c, long long d);
double dmix(int a, double b, float c, long d, double e);
float fhalf(float x);
double dsum10(double x0, double x1, double x2, double x3, double x4, double x5, double x6, double x7, double x8, float x9);
double call_fcb(double (*f)(float, double, int));
// Called back by call_fcb: C calls libc·fcb_cb, which calls main·fcb.
//asmlink:callback
double fcb(float a, double b, int c);
long long call_cb9(long long (*f)(int, long long, signed char, short, int, int, int, int, int, long long));
// Called back by call_cb9 with ten arguments (some on the C stack).
//asmlink:callback
long long cb9(int a, long long b, signed char c, short d, int e, int f, int g, int h, int i, long long j);
