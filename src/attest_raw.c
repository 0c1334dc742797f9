/* Pure parsers of the raw observations in an attestation bundle:
 * /proc/net/dev, the env keyset, /proc/self/mountinfo. They judge text that
 * came from somewhere else (P1's snapshot, or a bundle someone handed us),
 * so they never touch the live system. Local copies of what P1 also does:
 * to be deduplicated once the P1 parsers are on main. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "tki/attest.h"

int tki_netdev_ifaces(const char *text, struct tki_strlist *out)
{
	if (!text)
		return -1;
	/* Two header lines ("Inter-|", " face |"), then "  name: counters". */
	const char *p = text;
	int line = 0, n = 0;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		line++;
		if (line == 1 && (len < 6 || strncmp(p, "Inter-", 6) != 0))
			return -1;
		if (line > 2 && len > 0) {
			const char *colon = memchr(p, ':', len);
			if (!colon)
				return -1;
			const char *s = p;
			while (s < colon && isspace((unsigned char)*s))
				s++;
			if (s == colon)
				return -1;
			char name[64];
			size_t nl = (size_t)(colon - s);
			if (nl >= sizeof(name))
				return -1;
			memcpy(name, s, nl);
			name[nl] = '\0';
			tki_strlist_add(out, name);
			n++;
		}
		if (!eol)
			break;
		p = eol + 1;
	}
	return line >= 2 ? n : -1;
}

bool tki_netdev_lo_only(const char *text, char *why, size_t whylen)
{
	struct tki_strlist l = {0};
	int n = tki_netdev_ifaces(text, &l);
	bool ok = false;
	if (n < 0) {
		snprintf(why, whylen, "raw.proc_net_dev is missing or not /proc/net/dev text");
	} else if (n == 1 && strcmp(l.v[0], "lo") == 0) {
		snprintf(why, whylen, "interfaces: lo");
		ok = true;
	} else {
		size_t off = (size_t)snprintf(why, whylen, "interfaces:");
		for (size_t i = 0; i < l.n && off < whylen; i++)
			off += (size_t)snprintf(why + off, whylen - off, " %s", l.v[i]);
		if (n == 0)
			snprintf(why, whylen, "no interface at all (not even lo)");
	}
	tki_strlist_free(&l);
	return ok;
}

bool tki_env_key_secret_like(const char *key)
{
	/* Case-insensitive substrings, then prefixes. Fail-closed: a harmless
	 * key that happens to match (KEYBOARD) is reported, never waved through. */
	static const char *const sub[] = {
		"TOKEN", "SECRET", "PASSW", "PASSPHRASE", "KEY", "CREDENTIAL", "AUTH",
		"COOKIE", "SESSION", "PRIVATE", "DATABASE_URL", "DSN", "CERT",
	};
	static const char *const pre[] = {
		"PG", "AWS_", "AZURE_", "GOOGLE_", "GCP_", "GCLOUD_", "VAULT_", "DOCKER_",
		"KUBE", "SSH_", "GPG_", "NPM_", "PYPI_", "TWINE_",
	};
	for (size_t i = 0; i < TKI_ARRAY_LEN(sub); i++)
		if (strcasestr(key, sub[i]))
			return true;
	for (size_t i = 0; i < TKI_ARRAY_LEN(pre); i++)
		if (strncasecmp(key, pre[i], strlen(pre[i])) == 0)
			return true;
	return false;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

static bool has_opt(const char *opts, const char *opt)
{
	size_t n = strlen(opt);
	for (const char *p = opts; p && *p;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		if (len == n && strncmp(p, opt, n) == 0)
			return true;
		p = c ? c + 1 : NULL;
	}
	return false;
}

static bool under(const char *mp, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(mp, dir, n) == 0 && (mp[n] == '/' || mp[n] == '\0');
}

static bool one_of(const char *s, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return true;
	return false;
}

struct mnt {
	char *point, *opts, *fstype;
};

/* Split one mountinfo line in place. false when malformed. */
static bool parse_line(char *line, struct mnt *m)
{
	char *f[7] = {0};
	char *save = NULL, *tok = strtok_r(line, " ", &save);
	int i = 0;
	for (; tok && i < 6; i++, tok = strtok_r(NULL, " ", &save))
		f[i] = tok;
	if (i < 6)
		return false;
	/* optional fields until the lone "-" */
	while (tok && strcmp(tok, "-") != 0)
		tok = strtok_r(NULL, " ", &save);
	if (!tok || !(tok = strtok_r(NULL, " ", &save)))
		return false;
	m->point = f[4];
	m->opts = f[5];
	m->fstype = tok;
	unescape(m->point);
	return m->point[0] == '/';
}

static const char *const pseudo_fs[] = {
	"proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "mqueue", "cgroup", "cgroup2",
	"securityfs", "debugfs", "tracefs", "bpf", "pstore", "configfs", "fusectl", "binfmt_misc",
	"hugetlbfs", "efivarfs", "autofs", "nsfs", "selinuxfs", "rpc_pipefs",
};
/* Files the runtime itself binds in (docker, podman), read-only. */
static const char *const runtime_files[] = { "/etc/hosts", "/etc/hostname", "/etc/resolv.conf",
					     "/run/.containerenv" };

/* Classify the topmost mount at one mount point. */
static void judge_mount(const struct mnt *m, const struct tki_attest_layout *lay, bool *seen_root,
			bool *seen_in, bool *seen_out, struct tki_strlist *bad)
{
	bool ro = has_opt(m->opts, "ro");
	bool pseudo = one_of(m->fstype, pseudo_fs, TKI_ARRAY_LEN(pseudo_fs));
	const char *mp = m->point;

	if (strcmp(mp, "/") == 0) {
		*seen_root = true;
		if (!ro)
			tki_strlist_addf(bad, "root / is writable (%s)", m->opts);
	} else if (strcmp(mp, lay->in_dir) == 0) {
		*seen_in = true;
		if (!ro)
			tki_strlist_addf(bad, "input %s is writable (%s)", mp, m->opts);
	} else if (strcmp(mp, lay->out_dir) == 0) {
		*seen_out = true;
		if (ro)
			tki_strlist_addf(bad, "output %s is read-only (%s)", mp, m->opts);
	} else if (strcmp(mp, "/tmp") == 0) {
		if (strcmp(m->fstype, "tmpfs") != 0 || !has_opt(m->opts, "noexec"))
			tki_strlist_addf(bad, "/tmp is %s %s, not tmpfs noexec", m->fstype, m->opts);
	} else if (under(mp, "/proc") || under(mp, "/dev")) {
		/* proc itself, masked entries (tmpfs or /dev/null binds), device
		 * nodes, pts, mqueue, shm: kernel objects, not host data. */
		if (!pseudo)
			tki_strlist_addf(bad, "data mount at %s (%s)", mp, m->fstype);
	} else if (under(mp, "/sys")) {
		if (!pseudo)
			tki_strlist_addf(bad, "data mount at %s (%s)", mp, m->fstype);
		else if (!ro && strcmp(m->fstype, "tmpfs") != 0)
			tki_strlist_addf(bad, "%s (%s) is writable", mp, m->fstype);
	} else if (one_of(mp, runtime_files, TKI_ARRAY_LEN(runtime_files))) {
		if (!ro)
			tki_strlist_addf(bad, "%s is writable", mp);
	} else if (lay->exe && strcmp(mp, lay->exe) == 0 && ro) {
		/* bwrap binds the inspector's own binary read-only */
	} else {
		tki_strlist_addf(bad, "unexpected mount %s (%s, %s)", mp, m->fstype, ro ? "ro" : "rw");
	}
}

bool tki_mountinfo_judge(const char *text, const struct tki_attest_layout *lay, struct tki_strlist *bad)
{
	size_t before = bad->n;
	if (!text || !*text) {
		tki_strlist_add(bad, "raw.mountinfo is missing or empty");
		return false;
	}
	tki_autofree char *copy = tki_xstrdup(text);
	/* Mounts stacked on one point: only the last (topmost) is visible. */
	size_t cap = 16, n = 0;
	tki_autofree struct mnt *v = tki_xcalloc(cap, sizeof(*v));
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct mnt m;
		if (!parse_line(line, &m)) {
			tki_strlist_add(bad, "raw.mountinfo has a malformed line");
			return false;
		}
		size_t i = 0;
		while (i < n && strcmp(v[i].point, m.point) != 0)
			i++;
		if (i == n) {
			if (n == cap)
				v = tki_xrealloc(v, (cap *= 2) * sizeof(*v));
			n++;
		}
		v[i] = m;
	}
	bool seen_root = false, seen_in = false, seen_out = false;
	for (size_t i = 0; i < n; i++)
		judge_mount(&v[i], lay, &seen_root, &seen_in, &seen_out, bad);
	if (!seen_root)
		tki_strlist_add(bad, "no root mount in mountinfo");
	if (!seen_in)
		tki_strlist_addf(bad, "no read-only mount at %s", lay->in_dir);
	if (!seen_out)
		tki_strlist_addf(bad, "no read-write mount at %s", lay->out_dir);
	return bad->n == before;
}
