/*
 * writes N: N write(2) calls of 7 bytes each to stdout. The thread benchmark
 * uses it to price one small write, because examples/threads.s prints each
 * line with several unbuffered writes while the C peers buffer through stdio.
 */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
	long n = argc > 1 ? atol(argv[1]) : 1;
	for (long i = 0; i < n; i++)
		if (write(1, "thread ", 7) != 7) return 1;
	return 0;
}
