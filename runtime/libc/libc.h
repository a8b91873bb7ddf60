// The C library functions the asmlink runtime calls, on every target.
// `asmlink gen` turns these prototypes into the trampolines libc·NAME in
// zlibc_<os>_<arch>.s (regenerate with `npm run gen:runtime`); the per-OS
// headers libc_linux.h and libc_darwin.h include this file and add what only
// one OS has. Types are resolved per target by the generator's typedef table
// (off_t is 32-bit on linux/386, pthread_t a pointer on darwin, ...).
#pragma once

struct timespec;

// Output, exit and memory.
ssize_t write(int fd, const void *buf, size_t n);
int isatty(int fd);
void exit(int status);
// mmap's offset is passed as 64 bits on every target: off_t is 64-bit on
// darwin and in musl everywhere, while glibc's i386 mmap takes a 32-bit off_t
// and ignores the extra word (cdecl). The runtime maps with offset 0.
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long long off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
void *malloc(size_t n);
void free(void *p);

// The full signal set, blocked around pthread_create.
int sigfillset(sigset_t *set);

// Before glibc 2.34 the pthread functions lived in libpthread.so.0 (libc.so.6
// had forwarders for some, and no pthread_create); since 2.34 they are in
// libc.so.6 and libpthread.so.0 is an empty library that still defines the
// old version names. Importing them from libpthread.so.0, as `cc -pthread`
// did, makes programs run on both: the loader finds a symbol in whichever
// loaded library defines it, matching versions by name. musl's loader takes
// libpthread.so.0 as a name of its own libc.
//asmlink:library libpthread.so.0 linux

// Threads: the seed's pthread_create recipe, the stack allocated by the C
// library as later Go versions do (pthread_attr_setstacksize).
// i386 glibc keeps the 2.0-era pthread_create and pthread_attr_init as the
// symbols' oldest versions, and an unversioned reference binds to those;
// pthread_create@GLIBC_2.0 ignores the stack set by pthread_attr_setstack.
// Import the GLIBC_2.1 versions, the ones gcc -m32 programs use.
//asmlink:version GLIBC_2.1 linux/386
int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size);
int pthread_attr_setdetachstate(pthread_attr_t *attr, int state);
//asmlink:version GLIBC_2.1 linux/386
int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg);
pthread_t pthread_self(void);
int pthread_sigmask(int how, const sigset_t *set, sigset_t *old);

// Locks and condition variables (notes). On amd64 and 386 an unversioned
// reference binds glibc's oldest version, the pre-2.3.2 condition variables:
// ask for the current ones.
int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr);
int pthread_mutex_lock(pthread_mutex_t *mutex);
int pthread_mutex_unlock(pthread_mutex_t *mutex);
//asmlink:version GLIBC_2.3.2 linux/386 linux/amd64
int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr);
//asmlink:version GLIBC_2.3.2 linux/386 linux/amd64
int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex);
//asmlink:version GLIBC_2.3.2 linux/386 linux/amd64
int pthread_cond_signal(pthread_cond_t *cond);
//asmlink:version GLIBC_2.3.2 linux/386 linux/amd64
int pthread_cond_broadcast(pthread_cond_t *cond);
//asmlink:library

// Time and identity.
int nanosleep(const struct timespec *req, struct timespec *rem);
int sched_yield(void);
int clock_gettime(clockid_t clock, struct timespec *tp);
pid_t getpid(void);
