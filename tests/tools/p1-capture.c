// SPDX-License-Identifier: Apache-2.0
/* p1-capture: dump what the P1 self-check reads, for fixtures.
 *
 * Static and dependency-free so that it runs as the only file of a
 * FROM scratch image and inside a bwrap tmpfs root. Prints sections
 * "@@ <name>" on stdout: mountinfo, net_dev, status, uid_map, env_keys
 * (names only, never values), sockets (engine sockets that exist),
 * cgroup (pids and memory limits as seen from inside), root / etc / run /
 * cgroup_dir (entries of /, /etc, /run, /sys/fs/cgroup: "<type> <name>"),
 * pids (numeric entries of /proc) and pid (getpid), fds (open descriptors
 * but 0-2 and the listing's own: "<fd> <target>"), env_values (KEY=VALUE of
 * the allowlisted keys only: PATH, HOME, TERM, LANG..., never another key).
 * tests/tools/p1-capture.sh splits them into fixtures/p1/<venue>/. */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

/* d directory, f regular, l symlink, o other; lstat, never followed. */
static void list_dir(const char *section, const char *path)
{
	printf("@@ %s\n", section);
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char full[4096];
		struct stat st;
		snprintf(full, sizeof(full), "%s/%s", strcmp(path, "/") ? path : "", e->d_name);
		char t = 'o';
		if (lstat(full, &st) == 0)
			t = S_ISDIR(st.st_mode) ? 'd' : S_ISREG(st.st_mode) ? 'f' : S_ISLNK(st.st_mode) ? 'l' : 'o';
		printf("%c %s\n", t, e->d_name);
	}
	closedir(d);
}

static int numeric(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static void list_pids(void)
{
	printf("@@ pids\n");
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (numeric(e->d_name))
			printf("%s\n", e->d_name);
	if (d)
		closedir(d);
	printf("@@ pid\n%d\n", (int)getpid());
}

static void list_fds(void)
{
	printf("@@ fds\n");
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!numeric(e->d_name))
			continue;
		int fd = atoi(e->d_name);
		if (fd <= 2 || fd == dirfd(d))
			continue;
		char link[64], t[4096];
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		ssize_t n = readlink(link, t, sizeof(t) - 1);
		t[n > 0 ? n : 0] = '\0';
		printf("%d %s\n", fd, t);
	}
	if (d)
		closedir(d);
}

/* The keys whose values P1 judges by shape; a secret-like or unknown
 * key's value is never written. */
static int value_key(const char *e, size_t k)
{
	static const char *const keys[] = { "PATH", "HOME", "HOSTNAME", "TERM", "LANG", "LANGUAGE",
					     "TZ", "PWD", "container" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i]) == k && !strncmp(e, keys[i], k))
			return 1;
	return k > 3 && !strncmp(e, "LC_", 3);
}

/* "--pivot DIR": make DIR the root as --self-sandbox does (pivot_root(".",
 * "."), detach the old root, root read-only), for the emulated layout. */
static int pivot(const char *dir)
{
	if (chdir(dir) || syscall(SYS_pivot_root, ".", ".") || umount2(".", MNT_DETACH) || chdir("/") ||
	    mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL)) {
		perror("p1-capture --pivot");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--pivot") && pivot(argv[2]))
		return 1;
	/* Open before anything else: the fds section must not list these. */
	static const char *const socks[] = {
		"/var/run/docker.sock", "/run/docker.sock",
		"/run/podman/podman.sock", "/var/run/podman/podman.sock",
		"/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock",
		"/run/crio/crio.sock", "/var/run/crio/crio.sock",
	};
	list_fds();
	dump("mountinfo", "/proc/self/mountinfo");
	dump("net_dev", "/proc/net/dev");
	dump("status", "/proc/self/status");
	dump("uid_map", "/proc/self/uid_map");
	printf("@@ env_keys\n");
	for (char **e = environ; *e; e++)
		printf("%.*s\n", (int)strcspn(*e, "="), *e);
	printf("@@ env_values\n");
	for (char **e = environ; *e; e++) {
		size_t k = strcspn(*e, "=");
		if (value_key(*e, k))
			printf("%s\n", *e);
	}
	printf("@@ sockets\n");
	for (size_t i = 0; i < sizeof(socks) / sizeof(socks[0]); i++) {
		struct stat st;
		if (stat(socks[i], &st) == 0)
			printf("%s\n", socks[i]);
	}
	DIR *ru = opendir("/run/user");
	struct dirent *ue;
	while (ru && (ue = readdir(ru))) {
		char p[512];
		struct stat st;
		snprintf(p, sizeof(p), "/run/user/%s/podman/podman.sock", ue->d_name);
		if (numeric(ue->d_name) && stat(p, &st) == 0)
			printf("%s\n", p);
	}
	if (ru)
		closedir(ru);
	list_dir("root", "/");
	list_dir("etc", "/etc");
	list_dir("run", "/run");
	list_dir("cgroup_dir", "/sys/fs/cgroup");
	list_pids();
	printf("@@ cgroup\n");
	one_line("pids.max", "/sys/fs/cgroup/pids/pids.max");
	one_line("pids.max", "/sys/fs/cgroup/pids.max");
	one_line("memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.limit_in_bytes");
	one_line("memory.max", "/sys/fs/cgroup/memory.max");
	return fflush(stdout) == 0 ? 0 : 1;
}
