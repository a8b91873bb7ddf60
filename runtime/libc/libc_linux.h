// The runtime's C library functions on linux (glibc 2.34+: pthread is in
// libc.so.6). See libc.h.
#include "libc.h"

// The kernel's id of the calling thread (glibc 2.30+).
pid_t gettid(void);
// The calling thread's errno.
int *__errno_location(void);
// What crt1's _start calls: runs libc's initialisation, then main.
int __libc_start_main(void *main, int argc, char **argv, void *init, void *fini, void *rtld_fini, void *stack_end);
