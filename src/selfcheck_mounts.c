// SPDX-License-Identifier: Apache-2.0
/* P1 mounts invariant: a pure judge over /proc/self/mountinfo text.
 *
 * A real container is not "exactly two mounts": Docker, bwrap and our own
 * --self-sandbox all add runtime-standard mounts (/proc, /dev, masked /proc
 * entries, cgroups...). Each line is classified; only the root (must be
 * read-only), the input dir (ro), the output dir (rw) and the documented
 * runtime-standard mounts are allowed. The table lives in docs/selfcheck.md;
 * keep the two in step. */
#include <ctype.h>
#include <string.h>

#include "tki/common.h"
#include "tki/selfcheck.h"
#include "selfcheck_int.h"

/* The parsed line (struct tki_mountinfo_line, include/tki/selfcheck.h) and
 * its parser serve P1 and the attestation re-judge (src/attest_raw.c). */

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *dst, size_t cap, const char *src, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < len && o + 1 < cap; i++) {
		if (src[i] == '\\' && i + 3 < len &&
		    src[i + 1] >= '0' && src[i + 1] <= '3' &&
		    src[i + 2] >= '0' && src[i + 2] <= '7' &&
		    src[i + 3] >= '0' && src[i + 3] <= '7') {
			dst[o++] = (char)((src[i + 1] - '0') * 64 + (src[i + 2] - '0') * 8 + (src[i + 3] - '0'));
			i += 3;
		} else {
			dst[o++] = src[i];
		}
	}
	dst[o] = '\0';
}

bool tki_mount_has_opt(const char *opts, const char *opt)
{
	size_t n = strlen(opt);
	for (const char *p = opts ? opts : ""; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && !strncmp(p, opt, n))
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

/* Split one line into whitespace-separated fields; false if malformed. */
bool tki_mountinfo_parse_line(const char *line, size_t len, struct tki_mountinfo_line *m)
{
	const char *f[64];
	size_t fl[64];
	size_t n = 0;
	size_t i = 0;
	while (i < len && n < TKI_ARRAY_LEN(f)) {
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i >= len)
			break;
		f[n] = line + i;
		while (i < len && line[i] != ' ' && line[i] != '\t')
			i++;
		fl[n] = (size_t)(line + i - f[n]);
		n++;
	}
	/* id parent maj:min root point opts [optional...] - fstype source super */
	if (n < 10)
		return false;
	size_t sep = 0;
	for (size_t k = 6; k < n; k++)
		if (fl[k] == 1 && f[k][0] == '-') {
			sep = k;
			break;
		}
	if (!sep || sep + 1 >= n)
		return false;
	unescape(m->root, sizeof(m->root), f[3], fl[3]);
	unescape(m->point, sizeof(m->point), f[4], fl[4]);
	snprintf(m->fstype, sizeof(m->fstype), "%.*s", (int)fl[sep + 1], f[sep + 1]);
	/* Cut super options (a long overlay lowerdir) are left empty: only a
	 * tmpfs's size= and a devpts's ptmxmode= are read, and their absence
	 * fails closed. */
	m->super[0] = '\0';
	if (sep + 3 < n && fl[sep + 3] < sizeof(m->super))
		snprintf(m->super, sizeof(m->super), "%.*s", (int)fl[sep + 3], f[sep + 3]);
	if (fl[5] >= sizeof(m->opts))
		return false; /* a truncated option list could hide "rw" or "ro" */
	snprintf(m->opts, sizeof(m->opts), "%.*s", (int)fl[5], f[5]);
	m->ro = tki_mount_has_opt(m->opts, "ro");
	return true;
}

static bool is(const char *a, const char *b) { return strcmp(a, b) == 0; }

/* p strictly beneath dir ("/proc/kcore" beneath "/proc"). */
static bool beneath(const char *p, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(p, dir, n) && p[n] == '/' && p[n + 1] != '\0';
}

/* Device nodes a runtime binds into its /dev tmpfs (bwrap --dev, Docker). */
static bool std_dev_node(const char *name)
{
	static const char *const nodes[] = {
		"null", "zero", "full", "random", "urandom", "tty", "console", "ptmx",
	};
	for (size_t i = 0; i < TKI_ARRAY_LEN(nodes); i++)
		if (is(name, nodes[i]))
			return true;
	return false;
}

/* A bind of a null device, as runtimes use to mask a file: the source
 * root is "/null" on a devtmpfs or on the runtime's own /dev tmpfs. */
static bool null_bind(const struct tki_mountinfo_line *m)
{
	return is(m->root, "/null") && (is(m->fstype, "devtmpfs") || is(m->fstype, "tmpfs"));
}

/* The value of "name=" in a comma-separated option list, or NULL. */
static const char *opt_value(const char *opts, const char *name, size_t *len)
{
	size_t n = strlen(name);
	for (const char *p = opts; *p;) {
		size_t l = strcspn(p, ",");
		if (l > n && !strncmp(p, name, n) && p[n] == '=') {
			*len = l - n - 1;
			return p + n + 1;
		}
		p += l;
		if (*p == ',')
			p++;
	}
	return NULL;
}

/* A writable tmpfs the venue made for itself: its size is set and small.
 * A host tmpfs bound in (/dev/shm: half the RAM, /run: a tenth) is not. */
#define VENUE_TMPFS_MAX_KIB (64ULL * 1024)
static bool small_tmpfs(const struct tki_mountinfo_line *m)
{
	size_t len;
	const char *v = opt_value(m->super, "size", &len);
	if (!v || len == 0 || len > 20)
		return false;
	unsigned long long n = 0;
	size_t i = 0;
	for (; i < len && isdigit((unsigned char)v[i]); i++)
		n = n * 10 + (unsigned long long)(v[i] - '0');
	if (i == 0 || len - i > 1)
		return false;
	switch (i < len ? v[i] : 'b') { /* the kernel prints k; be exact for the others */
	case 'b': n = (n + 1023) / 1024; break;
	case 'k': break;
	case 'm': n *= 1024; break;
	default: return false;
	}
	return n <= VENUE_TMPFS_MAX_KIB;
}

/* Runtime-standard mounts; why == NULL when allowed, else a reason.
 * Writable: only the output dir (judged by the caller), a small noexec
 * /tmp, the runtime's small /dev and /dev/shm, a fresh devpts, mqueue,
 * and the runtime's parent tmpfs of the cgroup v1 mounts (whose content
 * tki_p1_judge_root checks). */
static const char *classify_std(const struct tki_mountinfo_line *m)
{
	const char *p = m->point;
	if (is(p, "/proc"))
		return is(m->fstype, "proc") ? NULL : "/proc is not procfs";
	if (beneath(p, "/proc")) { /* masked or read-only proc entries */
		if (null_bind(m))
			return NULL;
		/* a procfs entry bound read-only over itself (/proc/sys from
		 * "/sys"): another procfs's root there would show its pids */
		if (is(m->fstype, "proc") && m->ro)
			return is(m->root, p + strlen("/proc")) ? NULL : "a procfs entry bound from elsewhere";
		if (is(m->fstype, "tmpfs") && m->ro)
			return NULL;
		return "not a masked /proc entry";
	}
	if (is(p, "/dev") || is(p, "/dev/shm")) {
		if (!is(m->fstype, "tmpfs"))
			return is(p, "/dev") ? "/dev is not a tmpfs" : "/dev/shm is not a tmpfs";
		return m->ro || small_tmpfs(m) ? NULL : "writable tmpfs without a size of at most 64 MiB (a host tmpfs?)";
	}
	if (is(p, "/dev/pts")) {
		if (!is(m->fstype, "devpts"))
			return "/dev/pts is not devpts";
		/* A fresh instance has ptmxmode=666; the host's has 000. */
		size_t len;
		const char *v = opt_value(m->super, "ptmxmode", &len);
		return m->ro || (v && len == 3 && !strncmp(v, "666", 3)) ? NULL : "writable devpts that is not a fresh instance (ptmxmode is not 666)";
	}
	if (is(p, "/dev/mqueue"))
		return is(m->fstype, "mqueue") ? NULL : "/dev/mqueue is not mqueue";
	if (beneath(p, "/dev")) {
		const char *name = p + strlen("/dev/");
		if (is(m->fstype, "devtmpfs") && std_dev_node(name) && m->root[0] == '/' &&
		    is(m->root + 1, name))
			return NULL;
		if (is(name, "console") && is(m->fstype, "devpts"))
			return NULL;
		return "not a standard device node";
	}
	if (is(p, "/sys"))
		return !is(m->fstype, "sysfs") ? "/sys is not sysfs" : m->ro ? NULL : "/sys is writable";
	/* cgroup v1: the runtime's own parent tmpfs (rw, no size: runc's
	 * "mode=755"; what it holds is judged by tki_p1_judge_root), then one
	 * read-only cgroup mount per controller. cgroup v2: one read-only
	 * cgroup2 mount. A writable cgroup mount can reach release_agent or
	 * the host's hierarchy. */
	if (is(p, "/sys/fs/cgroup")) {
		if (is(m->fstype, "tmpfs"))
			return m->ro || !opt_value(m->super, "size", &(size_t){0}) ? NULL : "writable tmpfs with a size (a host tmpfs?)";
		if (!is(m->fstype, "cgroup2"))
			return "not a cgroup mount";
		return m->ro ? NULL : "writable cgroup mount";
	}
	if (beneath(p, "/sys/fs/cgroup")) {
		if (!is(m->fstype, "cgroup") && !is(m->fstype, "cgroup2"))
			return "not a cgroup mount";
		return m->ro ? NULL : "writable cgroup mount";
	}
	if (beneath(p, "/sys")) { /* masked sysfs entries (/sys/firmware) */
		if (null_bind(m) || (is(m->fstype, "tmpfs") && m->ro) || (is(m->fstype, "sysfs") && m->ro))
			return NULL;
		return "not a masked /sys entry";
	}
	if (is(p, "/etc/hosts") || is(p, "/etc/hostname") || is(p, "/etc/resolv.conf"))
		return m->ro ? NULL : "writable";
	/* Podman's metadata file, its counterpart of /etc/hostname: bound
	 * read-only from the container's own userdata dir (empty unless the
	 * container is --privileged). A host file bound over it is not. */
	if (is(p, "/run/.containerenv")) {
		size_t n = strlen(m->root), k = strlen("/userdata/.containerenv");
		if (n <= k || strcmp(m->root + n - k, "/userdata/.containerenv") != 0)
			return "not podman's own metadata file";
		return m->ro ? NULL : "writable";
	}
	if (is(p, "/tmp")) {
		if (!is(m->fstype, "tmpfs"))
			return "/tmp is not a tmpfs";
		if (m->ro)
			return NULL;
		if (!tki_mount_has_opt(m->opts, "noexec"))
			return "writable /tmp without noexec";
		return small_tmpfs(m) ? NULL : "writable /tmp without a size of at most 64 MiB";
	}
	return "extra mount";
}

/* "/in/" -> "/in"; the mount table never has trailing slashes. */
static void normalise(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
	size_t n = strlen(dst);
	while (n > 1 && dst[n - 1] == '/')
		dst[--n] = '\0';
}

#define MAX_PROBLEMS 12

bool tki_p1_judge_mounts(const char *mountinfo, const char *in_dir,
			 const char *out_dir, char **observed)
{
	char in[512], out[512];
	normalise(in, sizeof(in), in_dir);
	normalise(out, sizeof(out), out_dir);
	if (!mountinfo) {
		*observed = tki_xstrdup("cannot read /proc/self/mountinfo");
		return false;
	}
	struct tki_strlist bad = {0};
	size_t n_in = 0, n_out = 0, n_root = 0, n_std = 0, n_lines = 0, extra = 0;
	char root_fs[64] = "?", in_fs[64] = "?", out_fs[64] = "?";
	for (const char *l = mountinfo; *l;) {
		size_t len = strcspn(l, "\n");
		struct tki_mountinfo_line m;
		if (len > 0) {
			n_lines++;
			if (!tki_mountinfo_parse_line(l, len, &m)) {
				tki_autofree char *s = tki_p1_sanitize(l, len < 80 ? len : 80);
				tki_strlist_addf(&bad, "unparsable mountinfo line \"%s\"", s);
			} else {
				tki_autofree char *pt = tki_p1_sanitize(m.point, strlen(m.point));
				const char *why = NULL;
				if (is(m.point, "/")) {
					n_root++;
					snprintf(root_fs, sizeof(root_fs), "%s", m.fstype);
					if (!m.ro)
						why = "root is writable";
				} else if (is(m.point, in)) {
					n_in++;
					snprintf(in_fs, sizeof(in_fs), "%s", m.fstype);
					if (!m.ro)
						why = "input dir is writable";
				} else if (is(m.point, out)) {
					n_out++;
					snprintf(out_fs, sizeof(out_fs), "%s", m.fstype);
					if (m.ro)
						why = "output dir is read-only";
				} else if (beneath(m.point, in) || beneath(m.point, out)) {
					why = "mount inside a data dir";
				} else if (!(why = classify_std(&m))) {
					n_std++;
				}
				if (why) {
					if (bad.n < MAX_PROBLEMS)
						tki_strlist_addf(&bad, "%s: %s (%s, %s)", pt, why, m.fstype, m.ro ? "ro" : "rw");
					else
						extra++;
				}
			}
		}
		l += len;
		if (*l == '\n')
			l++;
	}
	tki_autofree char *ins = tki_p1_sanitize(in, strlen(in));
	tki_autofree char *outs = tki_p1_sanitize(out, strlen(out));
	if (n_root == 0)
		tki_strlist_add(&bad, "/: no root mount");
	if (n_in == 0)
		tki_strlist_addf(&bad, "%s: no mount (want one read-only bind)", ins);
	else if (n_in > 1)
		tki_strlist_addf(&bad, "%s: %zu mounts (want one read-only bind)", ins, n_in);
	if (n_out == 0)
		tki_strlist_addf(&bad, "%s: no mount (want one read-write bind)", outs);
	else if (n_out > 1)
		tki_strlist_addf(&bad, "%s: %zu mounts (want one read-write bind)", outs, n_out);
	if (extra)
		tki_strlist_addf(&bad, "... and %zu more", extra);
	if (bad.n == 0) {
		*observed = tki_xasprintf("root ro (%s); %s ro (%s); %s rw (%s); %zu runtime-standard mounts",
					  root_fs, ins, in_fs, outs, out_fs, n_std);
		return true;
	}
	*observed = tki_p1_join(&bad, "; ");
	tki_strlist_free(&bad);
	return false;
}

/* ---- root: nothing in / beyond what the venue needs ---- */

/* The mount at point in mountinfo text (the last one, as the kernel
 * stacks them), or false. */
static bool mount_at(const char *mountinfo, const char *point, struct tki_mountinfo_line *out)
{
	bool found = false;
	for (const char *l = mountinfo ? mountinfo : ""; *l;) {
		size_t len = strcspn(l, "\n");
		struct tki_mountinfo_line m;
		if (len > 0 && tki_mountinfo_parse_line(l, len, &m) && is(m.point, point)) {
			*out = m;
			found = true;
		}
		l += len;
		if (*l == '\n')
			l++;
	}
	return found;
}

/* Calls fn for each "<type> <name>" line of a listing. */
typedef void (*entry_fn)(char type, const char *name, void *ctx);
static void each_entry(const char *listing, entry_fn fn, void *ctx)
{
	for (const char *l = listing; *l;) {
		size_t len = strcspn(l, "\n");
		if (len > 0) {
			char name[512];
			char type = len >= 2 && l[1] == ' ' ? l[0] : '?';
			size_t nl = type == '?' ? len : len - 2;
			snprintf(name, sizeof(name), "%.*s", (int)(nl < sizeof(name) ? nl : sizeof(name) - 1),
				 type == '?' ? l : l + 2);
			fn(type, name, ctx);
		}
		l += len;
		if (*l == '\n')
			l++;
	}
}

struct root_ctx {
	const char *mountinfo;
	const struct tki_p1_layout *lay;
	const char *dir; /* "" for /, "/etc", "/run", "/sys/fs/cgroup" */
	struct tki_strlist bad, seen;
	size_t extra;
	bool etc, run; /* judged after the entries of / */
};

static void root_bad(struct root_ctx *c, const char *name, const char *why)
{
	if (c->bad.n >= MAX_PROBLEMS) {
		c->extra++;
		return;
	}
	tki_autofree char *n = tki_p1_sanitize(name, strlen(name));
	tki_strlist_addf(&c->bad, "%s/%s: %s", c->dir, n, why);
}

static bool is_mount_point(const struct root_ctx *c, const char *name)
{
	char point[600];
	struct tki_mountinfo_line m;
	snprintf(point, sizeof(point), "%s/%s", c->dir, name);
	return mount_at(c->mountinfo, point, &m);
}

/* The engine's per-container files: Docker's and Podman's hosts,
 * hostname, resolv.conf (bind mounts) and the image's mtab symlink. */
static void etc_entry(char type, const char *name, void *ctx)
{
	struct root_ctx *c = ctx;
	if (type == 'f' && (is(name, "hosts") || is(name, "hostname") || is(name, "resolv.conf")))
		return;
	if (type == 'l' && is(name, "mtab"))
		return;
	root_bad(c, name, "not an engine's per-container file");
}

static void run_entry(char type, const char *name, void *ctx)
{
	if (type == 'f' && is(name, ".containerenv"))
		return;
	root_bad(ctx, name, "not podman's metadata file");
}

static void cgroup_entry(char type, const char *name, void *ctx)
{
	struct root_ctx *c = ctx;
	if (type == 'l' || (type == 'd' && is_mount_point(c, name)))
		return;
	root_bad(c, name, "not a cgroup mount point (a host tmpfs?)");
}

static bool sub_listing(struct root_ctx *c, const char *dir, const char *listing, entry_fn fn)
{
	if (!listing) {
		root_bad(c, dir + 1, "cannot list it");
		return false;
	}
	const char *save = c->dir;
	c->dir = dir;
	each_entry(listing, fn, c);
	c->dir = save;
	return true;
}

static void root_entry(char type, const char *name, void *ctx)
{
	struct root_ctx *c = ctx;
	tki_strlist_add(&c->seen, name);
	if (type == 'd' && is_mount_point(c, name))
		return;
	if (type == 'd' && (is(name, "etc") || is(name, "run"))) {
		*(is(name, "etc") ? &c->etc : &c->run) = true;
		return;
	}
	if (type == 'f' && (is(name, ".dockerenv") || (c->lay->self_name && is(name, c->lay->self_name))))
		return;
	root_bad(c, name, type == 'd' ? "directory that is not a mount point" : type == 'l' ? "symlink" :
			  type == 'f' ? "file that is not our binary" : "not a file or directory");
}

bool tki_p1_judge_root(const char *mountinfo, const struct tki_p1_layout *lay, char **observed)
{
	if (!lay->root) {
		*observed = tki_xstrdup("cannot list /");
		return false;
	}
	struct root_ctx c = { .mountinfo = mountinfo, .lay = lay, .dir = "" };
	each_entry(lay->root, root_entry, &c);
	if (c.etc)
		sub_listing(&c, "/etc", lay->etc, etc_entry);
	if (c.run)
		sub_listing(&c, "/run", lay->run, run_entry);
	struct tki_mountinfo_line cg;
	if (mount_at(mountinfo, "/sys/fs/cgroup", &cg) && is(cg.fstype, "tmpfs"))
		sub_listing(&c, "/sys/fs/cgroup", lay->cgroup, cgroup_entry);
	if (c.extra)
		tki_strlist_addf(&c.bad, "... and %zu more", c.extra);
	bool ok = c.bad.n == 0;
	tki_autofree char *j = tki_p1_join(ok ? &c.seen : &c.bad, ok ? " " : "; ");
	tki_autofree char *js = ok ? tki_p1_sanitize(j, strlen(j)) : NULL;
	*observed = ok ? tki_xasprintf("/ holds: %s", c.seen.n ? js : "(nothing)") : tki_xstrdup(j);
	tki_strlist_free(&c.bad);
	tki_strlist_free(&c.seen);
	return ok;
}
