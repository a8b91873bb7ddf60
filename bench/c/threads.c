/*
 * threads [N [STACK [WORK]]]: the C peer of examples/threads.s, for the
 * thread-creation and size benchmarks. N threads (default 8); thread i sums
 * the integers in [i*WORK, (i+1)*WORK) (WORK defaults to 1000000, as in the
 * example), records its OS thread id and wakes the main thread through a
 * one-shot note; the main thread waits for each note in order, then prints
 *
 *     thread I: sum=S tid=T
 *
 * per thread and total=X. One of three ways to make the threads is chosen
 * at compile time:
 *
 *   -DVARIANT_SEED     the seed's recipe (Go's newosproc on darwin): a fresh
 *                      mmap'd STACK-byte stack with a guard page per thread,
 *                      pthread_attr_setstack, PTHREAD_CREATE_DETACHED, all
 *                      signals blocked around pthread_create; notes are a
 *                      mutex and a condition variable.
 *   -DVARIANT_STACKSIZE what asmlink's libc runtime does (later Go versions'
 *                      newosproc): pthread_attr_setstacksize(STACK), so the
 *                      C library allocates and caches the stacks;
 *                      PTHREAD_CREATE_DETACHED; all signals blocked around
 *                      pthread_create. Notes as above.
 *   -DVARIANT_DEFAULT  pthread_create with default attributes (the C library
 *                      allocates and caches the stacks), then pthread_detach;
 *                      STACK is ignored. Notes as above.
 *   -DVARIANT_CLONE    raw clone(2) on a fresh mmap'd stack, no C library
 *                      thread set-up at all; notes are futex words. The
 *                      thread body makes system calls directly, since it has
 *                      no thread pointer of its own.
 *
 * Build: gcc -O2 -o threads_seed -DVARIANT_SEED threads.c -lpthread
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/futex.h>

#if !defined(VARIANT_SEED) && !defined(VARIANT_STACKSIZE) && !defined(VARIANT_DEFAULT) && !defined(VARIANT_CLONE)
#error "define one of VARIANT_SEED, VARIANT_STACKSIZE, VARIANT_DEFAULT, VARIANT_CLONE"
#endif

struct rec {
	int64_t i, work, sum, tid;
#ifdef VARIANT_CLONE
	int done; /* futex word */
#else
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
#endif
};

static void die(int err) {
	char buf[96];
	int n = snprintf(buf, sizeof buf, "runtime: failed to create new OS thread (errno=%d)\n", err);
	if (write(2, buf, (size_t)n) < 0) _exit(1);
	_exit(1);
}

static int64_t sum_range(int64_t lo, int64_t hi) {
	int64_t s = 0;
	for (int64_t x = lo; x < hi; x++) {
		s += x;
		/* Keep the loop a loop (one add per integer), as the assembly does. */
		__asm__ volatile("" : "+r"(s));
	}
	return s;
}

#ifdef VARIANT_CLONE
/* Raw system calls: the cloned thread has no TLS of its own, so it must not
 * touch errno or anything else in the C library. */
static long raw3(long n, long a, long b, long c) {
	long r;
#if defined(__x86_64__)
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
#elif defined(__i386__)
	__asm__ volatile("push %%ebx; mov %2, %%ebx; int $0x80; pop %%ebx" : "=a"(r) : "a"(n), "r"(a), "c"(b), "d"(c) : "memory");
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b, x2 __asm__("x2") = c;
	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	r = x0;
#else
#error "no raw system calls for this architecture"
#endif
	return r;
}

static int worker(void *arg) {
	struct rec *r = arg;
	r->sum = sum_range(r->i * r->work, (r->i + 1) * r->work);
	r->tid = raw3(SYS_gettid, 0, 0, 0);
	__atomic_store_n(&r->done, 1, __ATOMIC_SEQ_CST);
	raw3(SYS_futex, (long)&r->done, FUTEX_WAKE_PRIVATE, 1);
	return 0;
}

static void spawn(struct rec *r, size_t stack) {
	char *stk = mmap(NULL, stack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stk == MAP_FAILED) die(errno);
	int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;
	if (clone(worker, stk + stack, flags, r) < 0) die(errno);
}

static void wait_rec(struct rec *r) {
	while (!__atomic_load_n(&r->done, __ATOMIC_SEQ_CST))
		syscall(SYS_futex, &r->done, FUTEX_WAIT_PRIVATE, 0, NULL);
}
#else
static void *worker(void *arg) {
	struct rec *r = arg;
	r->sum = sum_range(r->i * r->work, (r->i + 1) * r->work);
	r->tid = gettid();
	pthread_mutex_lock(&r->mu);
	r->done = 1;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

static void wait_rec(struct rec *r) {
	pthread_mutex_lock(&r->mu);
	while (!r->done) pthread_cond_wait(&r->cv, &r->mu);
	pthread_mutex_unlock(&r->mu);
}

#if defined(VARIANT_SEED) || defined(VARIANT_STACKSIZE)
/* The part both recipes share: detached, every signal blocked while the
 * thread is created, so it starts with all signals blocked. */
static void create_detached(pthread_attr_t *attr, struct rec *r) {
	int err = pthread_attr_setdetachstate(attr, PTHREAD_CREATE_DETACHED);
	if (err) die(err);
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_t t;
	err = pthread_create(&t, attr, worker, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) die(err);
	pthread_attr_destroy(attr);
}
#endif

#ifdef VARIANT_SEED
static void spawn(struct rec *r, size_t stack) {
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t size = (stack + page - 1) & ~(page - 1);
	char *mem = mmap(NULL, size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) die(errno);
	if (mprotect(mem, page, PROT_NONE) != 0) die(errno); /* guard page below the stack */
	pthread_attr_t attr;
	int err = pthread_attr_init(&attr);
	if (err) die(err);
	if ((err = pthread_attr_setstack(&attr, mem + page, size))) die(err);
	create_detached(&attr, r);
}
#elif defined(VARIANT_STACKSIZE)
static void spawn(struct rec *r, size_t stack) {
	pthread_attr_t attr;
	int err = pthread_attr_init(&attr);
	if (err) die(err);
	if ((err = pthread_attr_setstacksize(&attr, stack))) die(err);
	create_detached(&attr, r);
}
#else
static void spawn(struct rec *r, size_t stack) {
	(void)stack;
	pthread_t t;
	int err = pthread_create(&t, NULL, worker, r);
	if (err) die(err);
	pthread_detach(t);
}
#endif
#endif

static int64_t arg(char **argv, int i, int64_t def) {
	if (!argv[i]) return def;
	char *end;
	long long v = strtoll(argv[i], &end, 10);
	if (*end || end == argv[i]) {
		fputs("usage: threads [N [STACK [WORK]]]\n", stderr);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv) {
	(void)argc;
	int64_t n = arg(argv, 1, 8);
	int64_t stack = arg(argv, 2, 65536);
	int64_t work = argc > 2 ? arg(argv, 3, 1000000) : 1000000;
	struct rec *recs = calloc((size_t)n, sizeof *recs);
	if (!recs && n) die(errno);
	for (int64_t i = 0; i < n; i++) {
		recs[i].i = i;
		recs[i].work = work;
#ifndef VARIANT_CLONE
		pthread_mutex_init(&recs[i].mu, NULL);
		pthread_cond_init(&recs[i].cv, NULL);
#endif
		spawn(&recs[i], (size_t)stack);
	}
	for (int64_t i = 0; i < n; i++) wait_rec(&recs[i]);
	int64_t total = 0;
	for (int64_t i = 0; i < n; i++) {
		printf("thread %" PRId64 ": sum=%" PRId64 " tid=%" PRId64 "\n", i, recs[i].sum, recs[i].tid);
		total += recs[i].sum;
	}
	printf("total=%" PRId64 "\n", total);
	return 0;
}
