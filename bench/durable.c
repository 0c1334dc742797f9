// SPDX-License-Identifier: Apache-2.0
/* bench/durable DIR [N]: what one durable report write costs on DIR's
 * filesystem, the way the guard writes a report (issue 5): a temp file
 * created O_EXCL, written, fsync'd, renamed over the final name, then the
 * directory fsync'd. Prints the median of N (default 21) on stdout as
 * "durable_write_ms=M" so that `make bench` can show how much of the
 * startup measure is the disk's flush rather than the sandbox. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: durable DIR [N]\n", stderr);
		return 2;
	}
	int n = argc > 2 ? atoi(argv[2]) : 21;
	if (n < 1 || n > 1000)
		n = 21;
	int dir = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		perror(argv[1]);
		return 2;
	}
	char body[1271]; /* the tiny packet's report.json */
	memset(body, 'x', sizeof(body));
	double *t = calloc((size_t)n, sizeof(*t));
	unlinkat(dir, ".bench-durable.tmp", 0); /* left by an interrupted run */
	for (int i = 0; t && i < n; i++) {
		double t0 = now_ms();
		int fd = openat(dir, ".bench-durable.tmp", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 || write(fd, body, sizeof(body)) != (ssize_t)sizeof(body) || fsync(fd) < 0 ||
		    renameat(dir, ".bench-durable.tmp", dir, "bench-durable.json") < 0 || fsync(dir) < 0) {
			perror("durable write");
			if (fd >= 0)
				close(fd);
			unlinkat(dir, ".bench-durable.tmp", 0);
			return 1;
		}
		close(fd);
		t[i] = now_ms() - t0;
	}
	unlinkat(dir, "bench-durable.json", 0);
	if (!t)
		return 1;
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("durable_write_ms=%.2f\n", t[n / 2]);
	return 0;
}
