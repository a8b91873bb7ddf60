// macOS (libSystem) facts the runtime needs; several differ from Linux.
#define PTHREAD_CREATE_DETACHED	2
#define SIG_SETMASK		3
#define SIGSET_SIZE		4
#define PTHREAD_ATTR_SIZE	64
#define PROT_NONE	0
#define PROT_READ	1
#define PROT_WRITE	2
#define MAP_PRIVATE	0x2
#define MAP_ANON	0x1000
#define MAP_STACK	0
// What mmap fails with when there is no memory (libc variants do not read errno).
#define ENOMEM	12
// libSystem's PTHREAD_MUTEX_INITIALIZER and PTHREAD_COND_INITIALIZER: a
// signature in the first word (a long), the rest zero. Storing the signature
// into zeroed memory initialises a mutex or condition variable statically.
#define PTHREAD_STATIC_SIGNATURES
#define PTHREAD_MUTEX_SIG_INIT	0x32AAABA7
#define PTHREAD_COND_SIG_INIT	0x3CB0B1BB
// libSystem's pthread_mutex_t is 64 bytes and pthread_cond_t 48 (44 and 28 on 386).
#define note_cond	80
#define note__size	136
