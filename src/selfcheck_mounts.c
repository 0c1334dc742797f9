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

/* Runtime-standard mounts; why == NULL when allowed, else a reason. */
static const char *classify_std(const struct tki_mountinfo_line *m)
{
	const char *p = m->point;
	if (is(p, "/proc"))
		return is(m->fstype, "proc") ? NULL : "/proc is not procfs";
	if (beneath(p, "/proc")) { /* masked or read-only proc entries */
		if (null_bind(m))
			return NULL;
		if ((is(m->fstype, "proc") || is(m->fstype, "tmpfs")) && m->ro)
			return NULL;
		return "not a masked /proc entry";
	}
	if (is(p, "/dev"))
		return is(m->fstype, "tmpfs") ? NULL : "/dev is not a tmpfs";
	if (is(p, "/dev/pts"))
		return is(m->fstype, "devpts") ? NULL : "/dev/pts is not devpts";
	if (is(p, "/dev/mqueue"))
		return is(m->fstype, "mqueue") ? NULL : "/dev/mqueue is not mqueue";
	if (is(p, "/dev/shm"))
		return is(m->fstype, "tmpfs") ? NULL : "/dev/shm is not a tmpfs";
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
	if (is(p, "/sys/fs/cgroup"))
		return is(m->fstype, "tmpfs") || is(m->fstype, "cgroup2") ? NULL : "not a cgroup mount";
	if (beneath(p, "/sys/fs/cgroup"))
		return is(m->fstype, "cgroup") || is(m->fstype, "cgroup2") ? NULL : "not a cgroup mount";
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
	if (is(p, "/tmp"))
		return is(m->fstype, "tmpfs") ? NULL : "/tmp is not a tmpfs";
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
