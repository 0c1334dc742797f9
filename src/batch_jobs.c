// SPDX-License-Identifier: Apache-2.0
/* How many workers a batch runs at once: the CPUs of the affinity mask,
 * at most TKI_BATCH_MAX_JOBS, at most what the cgroup v2 limits the
 * process sees allow (memory.max / TKI_BATCH_JOB_MEMORY, cpu.max quota /
 * period rounded up, the tightest level from the process's own cgroup up
 * to the root; cgroup v1's memory.limit_in_bytes and cfs quota at the
 * controllers' roots where v1 is mounted), at most --jobs. In a pod or a container the affinity mask
 * shows the node's CPUs while the cgroup holds the real limits. The
 * parsers are pure (tests/unit/test_batch.c); the reader runs before any
 * wall, since a sandbox's own mount and cgroup namespaces hide
 * /sys/fs/cgroup, and gives up silently (CPUs only) where /sys is not
 * there. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tki/batch.h"
#include "tki/common.h"

/* A decimal without sign, at most 19 digits, then optional spaces or a
 * newline: the cgroup files' numbers. */
static bool num(const char *s, const char **end, unsigned long long *v)
{
	size_t k = 0;
	*v = 0;
	while (s[k] >= '0' && s[k] <= '9' && k < 19)
		*v = *v * 10 + (unsigned long long)(s[k++] - '0');
	*end = s + k;
	return k > 0 && !(s[k] >= '0' && s[k] <= '9');
}

static bool rest_blank(const char *s)
{
	return s[strspn(s, " \n")] == '\0';
}

unsigned tki_cgroup_mem_jobs(const char *memory_max)
{
	const char *e;
	unsigned long long v;
	if (!memory_max || !num(memory_max, &e, &v) || !rest_blank(e))
		return 0; /* "max" or unreadable: no limit here */
	unsigned long long j = v / TKI_BATCH_JOB_MEMORY;
	return j < 1 ? 1 : j > 4096 ? 4096 : (unsigned)j;
}

unsigned tki_cgroup_cpu_jobs(const char *cpu_max)
{
	const char *e;
	unsigned long long q, p;
	if (!cpu_max || !num(cpu_max, &e, &q) || *e != ' ' || !num(e + 1, &e, &p) || !rest_blank(e) || p == 0)
		return 0; /* "max PERIOD" or unreadable: no limit here */
	unsigned long long j = (q + p - 1) / p;
	return j < 1 ? 1 : j > 4096 ? 4096 : (unsigned)j;
}

unsigned tki_cgroup_v1_cpu_jobs(const char *quota_us, const char *period_us)
{
	char both[160];
	if (!quota_us || !period_us || quota_us[0] == '-')
		return 0; /* -1: no quota */
	int ql = (int)strcspn(quota_us, "\n");
	snprintf(both, sizeof(both), "%.*s %.63s", ql > 63 ? 63 : ql, quota_us, period_us);
	return tki_cgroup_cpu_jobs(both);
}

bool tki_cgroup_self_path(const char *proc_self_cgroup, char *out, size_t n)
{
	/* cgroup v2: the one line "0::/PATH" */
	for (const char *l = proc_self_cgroup; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		if (len >= 4 && !strncmp(l, "0::/", 4) && len - 3 < n && !memchr(l, '\0', len)) {
			memcpy(out, l + 3, len - 3);
			out[len - 3] = '\0';
			return !strstr(out, "/..") && !strstr(out, "/./");
		}
		l = nl ? nl + 1 : NULL;
	}
	return false;
}

static unsigned min_nz(unsigned a, unsigned b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

unsigned tki_batch_jobs(unsigned cpus, unsigned cgroup_cap, unsigned asked)
{
	unsigned j = cpus < 1 ? 1 : cpus > TKI_BATCH_MAX_JOBS ? TKI_BATCH_MAX_JOBS : cpus;
	return min_nz(min_nz(j, cgroup_cap), asked);
}

static bool slurp_small(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return false;
	ssize_t r;
	do
		r = read(fd, buf, n - 1);
	while (r < 0 && errno == EINTR);
	close(fd);
	if (r < 0)
		return false;
	buf[r] = '\0';
	return true;
}

unsigned tki_cgroup_jobs_cap(void)
{
	char text[4096], path[2048], file[2200], v[64];
	if (!slurp_small("/proc/self/cgroup", text, sizeof(text)) || !tki_cgroup_self_path(text, path, sizeof(path)))
		snprintf(path, sizeof(path), "/");
	unsigned cap = 0;
	/* the own cgroup, then each parent up to the root: the tightest wins */
	for (;;) {
		const char *p = !strcmp(path, "/") ? "" : path;
		snprintf(file, sizeof(file), "/sys/fs/cgroup%s/memory.max", p);
		if (slurp_small(file, v, sizeof(v)))
			cap = min_nz(cap, tki_cgroup_mem_jobs(v));
		snprintf(file, sizeof(file), "/sys/fs/cgroup%s/cpu.max", p);
		if (slurp_small(file, v, sizeof(v)))
			cap = min_nz(cap, tki_cgroup_cpu_jobs(v));
		char *slash = strrchr(path, '/');
		if (!slash || !strcmp(path, "/"))
			break;
		if (slash == path)
			path[1] = '\0';
		else
			*slash = '\0';
	}
	/* cgroup v1 (a Docker host of cgroup v1, as this one): a container's
	 * own cgroups are mounted at each controller's root. */
	char q[64];
	if (slurp_small("/sys/fs/cgroup/memory/memory.limit_in_bytes", v, sizeof(v)))
		cap = min_nz(cap, tki_cgroup_mem_jobs(v));
	if (slurp_small("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", q, sizeof(q)) &&
	    slurp_small("/sys/fs/cgroup/cpu/cpu.cfs_period_us", v, sizeof(v)))
		cap = min_nz(cap, tki_cgroup_v1_cpu_jobs(q, v));
	return cap;
}
