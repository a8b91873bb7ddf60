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
