// SPDX-License-Identifier: Apache-2.0
/* bench/rss CMD...: run CMD, print its peak RSS in KiB (wait4's ru_maxrss)
 * on stderr as "maxrss_kib=N", exit with its exit code. A small C parent
 * rather than Python's: ru_maxrss keeps the high-water mark of the forked
 * child from before its exec, which is the parent's size (about 10 MiB for
 * Python, under 2 MiB here). */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: rss CMD [ARGS...]\n", stderr);
		return 2;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	int st;
	struct rusage ru;
	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("wait4");
		return 2;
	}
	fprintf(stderr, "maxrss_kib=%ld\n", ru.ru_maxrss);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
