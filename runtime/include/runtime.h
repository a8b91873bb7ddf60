// Layouts and constants shared by every runtime source. Fields are 8 bytes
// wide on every architecture (386 uses the low half), so one set of offsets
// serves all of them.

#include "textflag.h"

#ifdef GOOS_linux
#include "os_linux.h"
#endif
#ifdef GOOS_darwin
#include "os_darwin.h"
#endif

// g: what a thread knows about itself; found through thread-local storage.
#define g_stacklo	0
#define g_stackhi	8
#define g_m		16
#define g_id		24

// m: one OS thread. Its g0 lives inside the same allocation.
#define m_g0		0
#define m_fn		8
#define m_arg		16
#define m_tid		24
#define m_procid	32
#define m_stack		40
#define m_stacksize	48
#define m_next		56
#define m_gstorage	64
// The raw runtime keeps the thread's TLS block here: the g slot at 96 and the
// thread pointer (which points to itself) at 104.
#define m_tls		96
#define m__size		128

// note: a one-shot sleep/wakeup between threads. The key is 0 (clear) or 1
// (woken); the libc variant guards it with a pthread mutex and condition
// variable, the raw variant waits on it with futex. Where the mutex and
// condition variable lie depends on their sizes in the C library, so
// os_*.h defines note_cond and note__size.
#define note_key	0
#define note_mutex	8

// Page size: the raw runtime maps each thread stack itself with a guard page
// of this size below it.
#define PAGESIZE	4096
// The libc runtime's g0 stacks come from the C library, which keeps its guard
// page and thread control block inside the requested size: this much of it is
// counted as not usable below the new thread's first stack pointer (a
// conservative allowance; the bounds are informational, nothing checks them).
#define STACKSLACK	(2*PAGESIZE)
