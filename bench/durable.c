// SPDX-License-Identifier: Apache-2.0
/* bench/durable DIR [N]: what one durable report write costs on DIR's
 * filesystem, the way the guard writes a report (issue 5): a temp file
 * created O_EXCL, written, fsync'd, renamed over the final name, then the
 * directory fsync'd. Prints the median of N (default 21) on stdout as
 * "durable_write_ms=M" so that `make bench` can show how much of the
 * startup measure is the disk's flush rather than the sandbox; then
 * "durable_set_ms=M", the default run's three reports as one set. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

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

/* The default run's three reports committed as one set, the way the guard
 * does it (src/guard_write.c, issue 16): every temp written, writeback
 * started, each fsync'd, then the renames (RENAME_EXCHANGE over the
 * previous report, which is then unlinked), then one directory fsync.
 * Sizes: the tiny packet's report.json, report.md, report.sarif. Median of
 * n in ms, -1 on failure. */
static double durable_set(int dir, int n, double *t)
{
	static const char *const name[3] = {"bench-durable.json", "bench-durable.md", "bench-durable.sarif"};
	static const char *const tmp[3] = {".bench-durable.json.tmp", ".bench-durable.md.tmp", ".bench-durable.sarif.tmp"};
	static const size_t size[3] = {1571, 1552, 10147};
	static char body[10147];
	memset(body, 'x', sizeof(body));
	for (int k = 0; k < 3; k++) {
		unlinkat(dir, tmp[k], 0);
		int fd = openat(dir, name[k], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644); /* an old report */
		if (fd < 0 || write(fd, body, 100) != 100) {
			perror("durable set: old report");
			return -1;
		}
		close(fd);
	}
	for (int i = 0; i < n; i++) {
		int fd[3];
		double t0 = now_ms();
		for (int k = 0; k < 3; k++) {
			fd[k] = openat(dir, tmp[k], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
			if (fd[k] < 0 || write(fd[k], body, size[k]) != (ssize_t)size[k]) {
				perror("durable set: temp");
				return -1;
			}
			sync_file_range(fd[k], 0, 0, SYNC_FILE_RANGE_WRITE);
		}
		for (int k = 0; k < 3; k++)
			if (fsync(fd[k]) < 0 || close(fd[k]) < 0) {
				perror("durable set: fsync");
				return -1;
			}
		for (int k = 0; k < 3; k++)
			if (renameat2(dir, tmp[k], dir, name[k], RENAME_EXCHANGE) < 0) {
				perror("durable set: rename");
				return -1;
			}
		for (int k = 0; k < 3; k++)
			unlinkat(dir, tmp[k], 0);
		if (fsync(dir) < 0) {
			perror("durable set: dir fsync");
			return -1;
		}
		t[i] = now_ms() - t0;
	}
	for (int k = 0; k < 3; k++)
		unlinkat(dir, name[k], 0);
	qsort(t, (size_t)n, sizeof(*t), cmp);
	return t[n / 2];
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
	double set_ms = durable_set(dir, n, t);
	if (set_ms < 0)
		return 1;
	printf("durable_set_ms=%.2f\n", set_ms);
	return 0;
}
