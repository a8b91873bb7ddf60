// Linux (glibc) facts the runtime needs.
#define PTHREAD_CREATE_DETACHED	1
#define SIG_SETMASK		2
#define SIGSET_SIZE		128
#define PTHREAD_ATTR_SIZE	56
#define PROT_NONE	0
#define PROT_READ	1
#define PROT_WRITE	2
#define MAP_PRIVATE	0x2
#define MAP_ANON	0x20
#define MAP_STACK	0x20000
// What mmap fails with when there is no memory (libc variants do not read errno).
#define ENOMEM	12
// PTHREAD_MUTEX_INITIALIZER and PTHREAD_COND_INITIALIZER are all zeros in
// glibc, which persistentalloc's memory already is: notes need no init call.
// glibc's pthread_cond_t is 48 bytes everywhere; its pthread_mutex_t is 40 on
// amd64, 24 on 386 and 48 on arm64. Every thread allocates a note, so a note
// is no larger than the C library's types make it: memory a new thread does
// not have to fault in.
#ifdef GOARCH_arm64
#define note_cond	56
#define note__size	104
#else
#define note_cond	48
#define note__size	96
#endif
