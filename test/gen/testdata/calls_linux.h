// C library functions the end-to-end test calls through generated trampolines.
pid_t getpid(void);
size_t strlen(const char *s);
void *memcpy(void *dst, const void *src, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int abs(int x);
int toupper(int c);
long long llabs(long long x);
off64_t lseek64(int fd, off64_t off, int whence);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
//asmlink:varargs int
int open(const char *path, int flags, ...);
//asmlink:varargs int, long long, const char *, int, unsigned int
int snprintf(char *buf, size_t n, const char *fmt, ...);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
// qsort's comparator: C calls libc·cmp_cb, which calls main·cmp (Go convention).
//asmlink:callback
int cmp(const void *a, const void *b);
double strtod(const char *s, char **end);
// snprintf again, instantiated for doubles (the __asm__ label names the C symbol).
//asmlink:varargs double, int, double
int snprintf_d(char *buf, size_t n, const char *fmt, ...) __asm__("snprintf");
