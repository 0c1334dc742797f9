// SPDX-License-Identifier: Apache-2.0
/* report-reader FILE: the reader that races the report writer (issue 14,
 * #22). Opens, reads whole and closes FILE in a loop until SIGTERM/SIGINT,
 * and prints one line per distinct content seen, "LEN HASH COUNT", then
 * "reads N missing M". A missing file (ENOENT) is counted apart: a writer
 * that renames never leaves the name empty. HASH is FNV-1a 64 of the bytes.
 * report-reader --hash FILE prints "LEN HASH" of FILE once, for comparing.
 * The test passes when every content seen is the old or the new report. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SEEN 4096

struct seen {
	size_t len;
	uint64_t hash;
	unsigned long count;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* -1: missing; 0: read (len, hash set); 1: another error. */
static int read_whole(const char *path, size_t *len, uint64_t *hash)
{
	static char buf[1 << 16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -1 : 1;
	uint64_t h = 1469598103934665603ull;
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		for (ssize_t i = 0; i < r; i++)
			h = (h ^ (unsigned char)buf[i]) * 1099511628211ull;
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	*hash = h;
	return 0;
}

int main(int argc, char **argv)
{
	size_t len;
	uint64_t hash;
	if (argc == 3 && !strcmp(argv[1], "--hash")) {
		if (read_whole(argv[2], &len, &hash) != 0)
			return 1;
		printf("%zu %016" PRIx64 "\n", len, hash);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: report-reader FILE | report-reader --hash FILE\n");
		return 2;
	}
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	static struct seen seen[MAX_SEEN];
	size_t nseen = 0;
	unsigned long reads = 0, missing = 0, errors = 0;
	while (!stop) {
		int r = read_whole(argv[1], &len, &hash);
		reads++;
		if (r < 0) {
			missing++;
			continue;
		}
		if (r > 0) {
			errors++;
			continue;
		}
		size_t i = 0;
		while (i < nseen && !(seen[i].len == len && seen[i].hash == hash))
			i++;
		if (i == nseen && nseen < MAX_SEEN)
			seen[nseen++] = (struct seen){len, hash, 0};
		if (i < nseen)
			seen[i].count++;
	}
	for (size_t i = 0; i < nseen; i++)
		printf("%zu %016" PRIx64 " %lu\n", seen[i].len, seen[i].hash, seen[i].count);
	printf("reads %lu missing %lu errors %lu\n", reads, missing, errors);
	return 0;
}
