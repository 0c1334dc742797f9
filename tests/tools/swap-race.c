// SPDX-License-Identifier: Apache-2.0
/* swap-race A B [MAX]: the packet owner's half of a symlink race. Exchanges
 * the names A and B (a directory and a symlink to somewhere outside, say)
 * with renameat2(RENAME_EXCHANGE) in a loop, as fast as it can, until
 * SIGTERM/SIGINT or MAX exchanges; then makes the count even (the names are
 * back as they started) and prints it on stdout. Exit 1 if no exchange
 * could be made at all. Used by tests/acceptance/cases/30-venue-race.sh
 * and 31-dir-race.sh (issue 14). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int exchange(const char *a, const char *b)
{
	return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: swap-race A B [MAX]\n");
		return 2;
	}
	unsigned long max = argc == 4 ? strtoul(argv[3], NULL, 10) : 0;
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	unsigned long n = 0;
	while (!stop && (!max || n < max)) {
		if (exchange(argv[1], argv[2]) == 0)
			n++;
		else if (n == 0) {
			perror("swap-race: renameat2(RENAME_EXCHANGE)");
			return 1;
		}
	}
	/* An odd count leaves the two swapped: put them back. */
	while (n % 2 && exchange(argv[1], argv[2]) != 0)
		;
	n += n % 2;
	printf("%lu\n", n);
	return 0;
}
