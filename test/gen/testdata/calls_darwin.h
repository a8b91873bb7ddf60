// C library functions the darwin test calls (under macho-run, the emulated
// dyld and libSystem of the shared tools).
pid_t getpid(void);
size_t strlen(const char *s);
void *memcpy(void *dst, const void *src, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int abs(int x);
long long llabs(long long x);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
//asmlink:varargs int
int open(const char *path, int flags, ...);
//asmlink:varargs int, long long, const char *, int, unsigned int
int snprintf(char *buf, size_t n, const char *fmt, ...);
int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg);
int pthread_join(pthread_t thread, void **ret);
// The new thread's start routine: C calls libc·start_cb, which calls main·start.
//asmlink:callback
void *start(void *arg);
// snprintf again, instantiated for doubles (the __asm__ label names the C symbol).
//asmlink:varargs double, int, double
int snprintf_d(char *buf, size_t n, const char *fmt, ...) __asm__("snprintf");
