// SPDX-License-Identifier: Apache-2.0
/* P1 pid_namespace invariant: a pure judge over the numeric entries of
 * /proc, getpid() and the /proc/self link; when /proc is an outer pid
 * namespace's procfs bound in (--self-sandbox in a pod, src/sandbox_ns.c),
 * also over mountinfo (the bind's flags and the runtime's masks), which
 * masked entries exist, and whether the pod's other processes are
 * reachable. docs/selfcheck.md and docs/self-sandbox.md, "/proc in a pod". */
#include <stdlib.h>
#include <string.h>

#include "tki/common.h"
#include "tki/selfcheck.h"
#include "selfcheck_int.h"

static bool is(const char *a, const char *b) { return strcmp(a, b) == 0; }

/* p strictly beneath dir ("/proc/kcore" beneath "/proc"). */
static bool beneath(const char *p, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(p, dir, n) && p[n] == '/' && p[n + 1] != '\0';
}

/* A runtime's mask: a bind of a null device (root "/null" on a devtmpfs
 * or on its own /dev tmpfs), as in selfcheck_mounts.c. */
static bool null_bind(const struct tki_mountinfo_line *m)
{
	return is(m->root, "/null") && (is(m->fstype, "devtmpfs") || is(m->fstype, "tmpfs"));
}

/* A bind of an outer /proc (--self-sandbox in a pod, src/sandbox_ns.c):
 * the entries the OCI runtimes (runc, crun; Docker, containerd and cri-o's
 * defaults) mask or make read-only, when the kernel has them. The bind
 * must keep every mask of an entry that exists: a procfs whose masks were
 * lost would show more than the runtime allowed (the kernel refuses a
 * non-recursive clone that drops them, but only a judge of the result can
 * say it did not happen). */
const char *const tki_p1_proc_masked[] = {
	"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
	"/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats", NULL,
};
const char *const tki_p1_proc_readonly[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

/* Is name a line of the list text? */
static bool listed(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *l = text ? text : ""; *l;) {
		size_t len = strcspn(l, "\n");
		if (len == n && !strncmp(l, name, n))
			return true;
		l += len;
		if (*l == '\n')
			l++;
	}
	return false;
}

/* The runtime's mask of an entry: a null device or a read-only tmpfs
 * over it; or, for the read-only ones, the entry bound over itself. */
static bool masks(const struct tki_mountinfo_line *m, const char *point, bool readonly)
{
	if (!is(m->point, point))
		return false;
	if (null_bind(m) || (is(m->fstype, "tmpfs") && m->ro))
		return true;
	return readonly && m->ro && is(m->fstype, "proc") && is(m->root, point + strlen("/proc"));
}

void tki_p1_proc_bind_problems(const char *mountinfo, const char *present, struct tki_strlist *bad)
{
	size_t n_proc = 0;
	bool masked[TKI_ARRAY_LEN(tki_p1_proc_masked)] = {0}, ro[TKI_ARRAY_LEN(tki_p1_proc_readonly)] = {0};
	for (const char *l = mountinfo ? mountinfo : ""; *l;) {
		size_t len = strcspn(l, "\n");
		struct tki_mountinfo_line m;
		if (len > 0 && tki_mountinfo_parse_line(l, len, &m)) {
			tki_autofree char *pt = tki_p1_sanitize(m.point, strlen(m.point));
			if (is(m.point, "/proc")) {
				n_proc++;
				if (!is(m.fstype, "proc"))
					tki_strlist_addf(bad, "/proc: not procfs");
				static const char *const need[] = {"ro", "nosuid", "nodev", "noexec"};
				for (size_t i = 0; i < TKI_ARRAY_LEN(need); i++)
					if (!tki_mount_has_opt(m.opts, need[i]))
						tki_strlist_addf(bad, "/proc: bound without %s", need[i]);
			} else if (beneath(m.point, "/proc")) {
				if (!m.ro)
					tki_strlist_addf(bad, "%s: writable mount beneath the bound /proc", pt);
				for (size_t i = 0; tki_p1_proc_masked[i]; i++)
					masked[i] = masked[i] || masks(&m, tki_p1_proc_masked[i], false);
				for (size_t i = 0; tki_p1_proc_readonly[i]; i++)
					ro[i] = ro[i] || masks(&m, tki_p1_proc_readonly[i], true);
			}
		}
		l += len;
		if (*l == '\n')
			l++;
	}
	if (n_proc == 0)
		tki_strlist_add(bad, "no mount at /proc");
	if (!present) {
		tki_strlist_add(bad, "which runtime-masked /proc entries exist was not captured");
		return;
	}
	for (size_t i = 0; tki_p1_proc_masked[i]; i++)
		if (!masked[i] && listed(present, tki_p1_proc_masked[i]))
			tki_strlist_addf(bad, "%s exists and is not masked (the runtime masks it)", tki_p1_proc_masked[i]);
	for (size_t i = 0; tki_p1_proc_readonly[i]; i++)
		if (!ro[i] && listed(present, tki_p1_proc_readonly[i]))
			tki_strlist_addf(bad, "%s exists and is not bound read-only over itself (the runtime does)",
					 tki_p1_proc_readonly[i]);
}

/* Every other process of the outer /proc refused our ptrace access check
 * (EACCES) or was gone (ENOENT); anything else is a way out. */
static void reach_problems(const char *reach, struct tki_strlist *bad)
{
	if (!reach) {
		tki_strlist_add(bad, "whether the other processes are reachable was not captured");
		return;
	}
	for (const char *l = reach; *l;) {
		size_t len = strcspn(l, "\n");
		const char *sp = memchr(l, ' ', len);
		const char *res = sp ? sp + 1 : l + len;
		size_t rlen = (size_t)(l + len - res);
		bool refused = rlen == 6 && (!strncmp(res, "EACCES", 6) || !strncmp(res, "ENOENT", 6));
		if (len && !refused) {
			size_t plen = sp ? (size_t)(sp - l) : len;
			tki_autofree char *pid = tki_p1_sanitize(l, plen < 20 ? plen : 20);
			tki_autofree char *r = tki_p1_sanitize(res, rlen < 20 ? rlen : 20);
			tki_strlist_addf(bad, "/proc/%s/root: %s (want EACCES: another process reachable)", pid, r);
		}
		l += len;
		if (*l == '\n')
			l++;
	}
}

/* The next non-empty line of a list of pids (the /proc listing, our
 * ancestry), *line and *len naming it: 1 with *pid set, -1 when the line is
 * not a positive decimal pid, 0 at the end. */
static int next_pid(const char **cur, long *pid, const char **line, size_t *len)
{
	for (const char *p = *cur; *p;) {
		size_t n = strcspn(p, "\n");
		const char *next = p + n + (p[n] == '\n');
		if (n) {
			char *end;
			long v = strtol(p, &end, 10);
			*cur = next;
			*line = p;
			*len = n;
			*pid = v;
			return end == p + n && v > 0 ? 1 : -1;
		}
		p = next;
	}
	return 0;
}

/* Is pid a line of the text (lines of decimal pids)? */
static bool has_pid(const char *text, long pid)
{
	const char *cur = text ? text : "", *line;
	size_t len;
	long v;
	for (int r; (r = next_pid(&cur, &v, &line, &len)) != 0;)
		if (r > 0 && v == pid)
			return true;
	return false;
}

/* /proc belongs to an outer pid namespace (a bind of the pod's /proc):
 * we appear there as seen_as. */

static bool judge_proc_bind(const char *pids, long self_pid, long seen_as, const struct tki_p1_procfs *proc,
			    char **observed)
{
	size_t n = 0, n_other = 0;
	bool listed = false;
	char others[96] = "";
	const char *cur = pids, *line;
	size_t len;
	long v;
	for (int r; (r = next_pid(&cur, &v, &line, &len)) != 0;) {
		if (r < 0) {
			*observed = tki_xasprintf("pid %ld; a /proc entry is not a pid", self_pid);
			return false;
		}
		n++;
		listed = listed || v == seen_as;
		/* not us and not one of our ancestors (PID 1 of the sandbox,
		 * the outer process, its runtime's init): a process of
		 * someone else sharing the pod's pid namespace */
		if (v != seen_as && proc->chain && !has_pid(proc->chain, v) && n_other++ < 4) {
			size_t k = strlen(others);
			snprintf(others + k, sizeof(others) - k, "%s%ld", k ? ", " : "", v);
		}
	}
	struct tki_strlist bad = {0};
	if (!listed)
		tki_strlist_addf(&bad, "pid %ld (/proc/self) is not among the %zu processes of /proc", seen_as, n);
	if (n > TKI_P1_MAX_PROCS)
		tki_strlist_addf(&bad, "%zu processes visible in /proc (at most %d): the pid namespace is shared", n,
				 TKI_P1_MAX_PROCS);
	if (!proc->chain || !has_pid(proc->chain, seen_as))
		tki_strlist_add(&bad, "our ancestry in /proc was not captured");
	else if (n_other)
		tki_strlist_addf(&bad, "%zu process%s not ours nor our ancestors' share the pod's pid namespace (%s%s)",
				 n_other, n_other == 1 ? "" : "es", others, n_other > 4 ? ", ..." : "");
	reach_problems(proc->reach, &bad);
	if (!proc->mountinfo)
		tki_strlist_add(&bad, "cannot read /proc/self/mountinfo");
	else
		tki_p1_proc_bind_problems(proc->mountinfo, proc->present, &bad);
	tki_autofree char *j = tki_p1_join(&bad, "; ");
	bool ok = bad.n == 0;
	tki_strlist_free(&bad);
	if (!ok) {
		*observed = tki_xasprintf("pid %ld, pid %ld in the procfs of an outer pid namespace bound at /proc: %s",
					  self_pid, seen_as, j);
		return false;
	}
	*observed = tki_xasprintf("pid %ld, pid %ld in the procfs of an outer pid namespace, bound at /proc "
				  "read-only, nosuid, nodev, noexec with the runtime's masks; %zu process%s visible in /proc, "
				  "all ours or our ancestors, none but ours reachable",
				  self_pid, seen_as, n, n == 1 ? "" : "es");
	return true;
}

/* The pid the /proc/self link names: -1 when it is not a positive pid. */
static long proc_self_pid(const char *link)
{
	char *end;
	long v = strtol(link, &end, 10);
	return end != link && *end == '\0' && v > 0 && link[0] != '+' && link[0] != '-' ? v : -1;
}

bool tki_p1_judge_pidns(const char *pids, long self_pid, const struct tki_p1_procfs *proc, char **observed)
{
	const char *proc_self = proc ? proc->self : NULL;
	if (!pids) {
		*observed = tki_xasprintf("pid %ld; cannot list /proc", self_pid);
		return false;
	}
	long seen_as = proc_self ? proc_self_pid(proc_self) : self_pid;
	if (seen_as < 0) {
		tki_autofree char *s = tki_p1_sanitize(proc_self, strnlen(proc_self, 40));
		*observed = tki_xasprintf("pid %ld; /proc/self is \"%s\", not a pid", self_pid, s);
		return false;
	}
	if (seen_as != self_pid)
		return judge_proc_bind(pids, self_pid, seen_as, proc, observed);
	size_t n = 0;
	bool self = false;
	struct tki_strlist l = {0};
	const char *cur = pids, *line;
	size_t len;
	long v;
	for (int r; (r = next_pid(&cur, &v, &line, &len)) != 0;) {
		if (r < 0) {
			tki_autofree char *s = tki_p1_sanitize(line, len < 40 ? len : 40);
			*observed = tki_xasprintf("pid %ld; /proc entry \"%s\" is not a pid", self_pid, s);
			tki_strlist_free(&l);
			return false;
		}
		n++;
		self = self || v == self_pid;
		if (l.n < TKI_P1_MAX_PROCS)
			tki_strlist_addf(&l, "%ld", v);
	}
	tki_autofree char *j = tki_p1_join(&l, ", ");
	tki_strlist_free(&l);
	if (!self) {
		*observed = tki_xasprintf("pid %ld is not among the %zu processes of /proc (not our pid namespace's procfs)",
					  self_pid, n);
		return false;
	}
	if (n > TKI_P1_MAX_PROCS) {
		*observed = tki_xasprintf("pid %ld; %zu processes visible in /proc (at most %d in a private pid namespace): "
					  "the pid namespace is shared", self_pid, n, TKI_P1_MAX_PROCS);
		return false;
	}
	*observed = tki_xasprintf("pid %ld; %zu process%s visible in /proc: %s", self_pid, n, n == 1 ? "" : "es", j);
	return true;
}
