// The runtime's C library functions on darwin (all in libSystem). See libc.h.
#include "libc.h"

// The system-wide id of a thread (0: the calling one).
int pthread_threadid_np(pthread_t thread, uint64_t *id);
// The calling thread's errno.
int *__error(void);
