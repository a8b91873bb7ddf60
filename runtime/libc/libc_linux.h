// The runtime's C library functions on linux. See libc.h.
#include "libc.h"

// The kernel's id of the calling thread: syscall(SYS_gettid), since glibc
// has gettid() only from 2.30 on.
//asmlink:varargs 0
long syscall(long number, ...);
// The calling thread's errno.
int *__errno_location(void);
// What crt1's _start calls: runs libc's initialisation, then main.
int __libc_start_main(void *main, int argc, char **argv, void *init, void *fini, void *rtld_fini, void *stack_end);
