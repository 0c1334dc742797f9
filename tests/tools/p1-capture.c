// SPDX-License-Identifier: Apache-2.0
/* p1-capture: dump what the P1 self-check reads, for fixtures.
 *
 * Static and dependency-free so that it runs as the only file of a
 * FROM scratch image and inside a bwrap tmpfs root. Prints sections
 * "@@ <name>" on stdout: mountinfo, net_dev, status, uid_map, env_keys
 * (names only, never values), sockets (engine sockets that exist),
 * cgroup (pids and memory limits as seen from inside).
 * tests/tools/p1-capture.sh splits them into fixtures/p1/<venue>/. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static void dump(const char *section, const char *path)
{
	char buf[4096];
	printf("@@ %s\n", section);
	fflush(stdout);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
}

static void one_line(const char *label, const char *path)
{
	char buf[256] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("%s=%s\n", label, buf);
}

int main(void)
{
	static const char *const socks[] = {
		"/var/run/docker.sock", "/run/docker.sock",
		"/run/podman/podman.sock", "/run/containerd/containerd.sock",
	};
	dump("mountinfo", "/proc/self/mountinfo");
	dump("net_dev", "/proc/net/dev");
	dump("status", "/proc/self/status");
	dump("uid_map", "/proc/self/uid_map");
	printf("@@ env_keys\n");
	for (char **e = environ; *e; e++)
		printf("%.*s\n", (int)strcspn(*e, "="), *e);
	printf("@@ sockets\n");
	for (size_t i = 0; i < sizeof(socks) / sizeof(socks[0]); i++) {
		struct stat st;
		if (stat(socks[i], &st) == 0)
			printf("%s\n", socks[i]);
	}
	printf("@@ cgroup\n");
	one_line("pids.max", "/sys/fs/cgroup/pids/pids.max");
	one_line("pids.max", "/sys/fs/cgroup/pids.max");
	one_line("memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.limit_in_bytes");
	one_line("memory.max", "/sys/fs/cgroup/memory.max");
	return fflush(stdout) == 0 ? 0 : 1;
}
