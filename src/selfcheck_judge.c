// SPDX-License-Identifier: Apache-2.0
/* P1 invariants other than mounts: pure judges over captured values.
 * No I/O here; src/selfcheck.c feeds them from the live system and
 * tests/unit/test_selfcheck*.c from fixtures/p1/. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tki/common.h"
#include "tki/selfcheck.h"
#include "selfcheck_int.h"

char *tki_p1_sanitize(const char *s, size_t len)
{
	return tki_escape(s, len, TKI_ESC_ASCII);
}

char *tki_p1_join(const struct tki_strlist *l, const char *sep)
{
	size_t n = 1;
	for (size_t i = 0; i < l->n; i++)
		n += strlen(l->v[i]) + strlen(sep);
	char *o = tki_xmalloc(n);
	o[0] = '\0';
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			strcat(o, sep);
		strcat(o, l->v[i]);
	}
	return o;
}

/* ---- network ---- */

int tki_netdev_ifaces(const char *text, struct tki_strlist *out)
{
	if (!text)
		return -1;
	/* Two header lines ("Inter-|", " face |"), then "  name: counters".
	 * Anything else is not /proc/net/dev: fail closed, never "no interface". */
	int line = 0, n = 0;
	for (const char *l = text; *l;) {
		size_t len = strcspn(l, "\n");
		line++;
		if (line == 1 && (len < 6 || strncmp(l, "Inter-", 6) != 0))
			return -1;
		if (line > 2 && len > 0) {
			const char *colon = memchr(l, ':', len);
			if (!colon)
				return -1;
			const char *a = l;
			while (a < colon && isspace((unsigned char)*a))
				a++;
			if (a == colon)
				return -1;
			tki_autofree char *name = tki_p1_sanitize(a, (size_t)(colon - a));
			tki_strlist_add(out, name);
			n++;
		}
		l += len;
		if (*l == '\n')
			l++;
	}
	return line >= 2 ? n : -1;
}

bool tki_p1_judge_network(const char *net_dev, char **observed)
{
	if (!net_dev) {
		*observed = tki_xstrdup("cannot read /proc/net/dev");
		return false;
	}
	struct tki_strlist all = {0}, others = {0};
	if (tki_netdev_ifaces(net_dev, &all) < 0) {
		*observed = tki_xstrdup("/proc/net/dev is not in the expected format");
		tki_strlist_free(&all);
		return false;
	}
	bool lo = false;
	for (size_t i = 0; i < all.n; i++) {
		if (!strcmp(all.v[i], "lo"))
			lo = true;
		else
			tki_strlist_add(&others, all.v[i]);
	}
	bool ok = others.n == 0;
	if (ok) {
		*observed = tki_xstrdup(lo ? "interfaces: lo" : "interfaces: none");
	} else {
		tki_autofree char *j = tki_p1_join(&others, ", ");
		*observed = tki_xasprintf("non-loopback interface%s visible: %s", others.n > 1 ? "s" : "", j);
	}
	tki_strlist_free(&all);
	tki_strlist_free(&others);
	return ok;
}

/* ---- env ---- */

/* Harmless keys a runtime sets by itself (Docker: PATH, HOSTNAME, HOME;
 * bwrap: PWD; Podman: container). docs/selfcheck.md lists the same set. */
static const char *const env_allow[] = {
	"PATH", "HOSTNAME", "HOME", "TERM", "LANG", "LANGUAGE", "TZ", "PWD", "container",
};

static const char *const lc_categories[13];

/* One list for P1 and the attestation re-judge (PR-ENV-1), fail-closed: a
 * harmless key that happens to match (KEYBOARD) is reported, never waved
 * through. Secret-like: a fragment anywhere in the key (case-insensitive)... */
static const char *const env_secret_sub[] = {
	"TOKEN", "SECRET", "PASS", /* PASSWORD, PASSWD, PASSPHRASE, DB_PASS */ "KEY", "CREDENTIAL", "AUTH", "COOKIE",
	"SESSION", "PRIVATE", "DATABASE_URL", "DSN", "CONN", "CERT",
};
/* ...or a prefix naming a credential-bearing service or tool. */
static const char *const env_secret_prefix[] = {
	"PG", "AWS_", "GITHUB_", "GH_", "GITLAB_", "CI_JOB_", "AZURE_", "GOOGLE_", "GCP_",
	"GCLOUD_", "DOCKER_", "KUBE", "VAULT_", "NPM_", "SSH_", "MYSQL_", "REDIS_", "MONGO",
	"OPENAI_", "ANTHROPIC_", "SLACK_", "HF_", "TWINE_", "CARGO_REGISTRY", "GPG_", "PYPI_",
};

static bool has_sub_ci(const char *s, const char *sub)
{
	size_t n = strlen(sub);
	for (; *s; s++)
		if (!strncasecmp(s, sub, n))
			return true;
	return false;
}

bool tki_p1_env_key_secret(const char *key)
{
	for (size_t i = 0; i < TKI_ARRAY_LEN(env_secret_sub); i++)
		if (has_sub_ci(key, env_secret_sub[i]))
			return true;
	for (size_t i = 0; i < TKI_ARRAY_LEN(env_secret_prefix); i++)
		if (!strncasecmp(key, env_secret_prefix[i], strlen(env_secret_prefix[i])))
			return true;
	return false;
}

bool tki_p1_env_key_allowed(const char *key)
{
	if (tki_p1_env_key_secret(key))
		return false;
	for (size_t i = 0; i < TKI_ARRAY_LEN(env_allow); i++)
		if (!strcmp(key, env_allow[i]))
			return true;
	for (size_t i = 0; i < TKI_ARRAY_LEN(lc_categories); i++)
		if (!strcmp(key, lc_categories[i]))
			return true;
	return false;
}

/* ---- env values: shaped like what the key means ---- */

static bool all_in(const char *v, const char *set)
{
	return v[strspn(v, set)] == '\0';
}

#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#define LOWER_ALNUM "abcdefghijklmnopqrstuvwxyz0123456789"
/* A plain directory: absolute, made of ordinary name characters, no "."
 * or ".." component, no "//" (which a URL needs). */
static bool plain_dir(const char *v, size_t len)
{
	if (len == 0 || len > 256 || v[0] != '/')
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = v[i];
		if (!strchr(ALNUM "/._+-", ch) || ch == '\0')
			return false;
		if (ch == '/' && i + 1 < len && v[i + 1] == '/')
			return false;
		if (ch == '/' && v[i + 1] == '.' && (i + 2 >= len || v[i + 2] == '/' ||
						     (v[i + 2] == '.' && (i + 3 >= len || v[i + 3] == '/'))))
			return false;
	}
	return true;
}

static bool path_list(const char *v)
{
	if (strlen(v) > 1024)
		return false;
	for (const char *p = v;;) {
		size_t len = strcspn(p, ":");
		if (!plain_dir(p, len))
			return false;
		if (!p[len])
			return true;
		p += len + 1;
	}
}

/* language[_territory][.codeset][@modifier], or C / POSIX; empty = unset. */
static bool locale_name(const char *v, size_t len)
{
	if (len > 64)
		return false;
	char b[65];
	memcpy(b, v, len);
	b[len] = '\0';
	if (!*b || !strcmp(b, "C") || !strcmp(b, "POSIX"))
		return true;
	size_t i = strspn(b, "abcdefghijklmnopqrstuvwxyz");
	if (i < 2 || i > 3)
		return !strcmp(b, "C.UTF-8") || !strcmp(b, "C.utf8");
	if (b[i] == '_') {
		size_t t = strspn(b + i + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
		if (t < 2 || t > 3)
			return false;
		i += 1 + t;
	}
	if (b[i] == '.') {
		size_t c = strspn(b + i + 1, ALNUM "-");
		if (c < 1 || c > 16)
			return false;
		i += 1 + c;
	}
	if (b[i] == '@') {
		size_t m = strspn(b + i + 1, "abcdefghijklmnopqrstuvwxyz");
		if (m < 1 || m > 16)
			return false;
		i += 1 + m;
	}
	return b[i] == '\0';
}

static bool locale_list(const char *v)
{
	for (const char *p = v;;) {
		size_t len = strcspn(p, ":");
		if (!locale_name(p, len) || (len == 0 && *v))
			return false;
		if (!p[len])
			return true;
		p += len + 1;
	}
}

/* Real LC_ categories only: LC_DATABASE is no locale category. */
static const char *const lc_categories[13] = {
	"LC_ALL", "LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_COLLATE", "LC_MONETARY", "LC_MESSAGES",
	"LC_PAPER", "LC_NAME", "LC_ADDRESS", "LC_TELEPHONE", "LC_MEASUREMENT", "LC_IDENTIFICATION",
};

bool tki_p1_env_value_ok(const char *key, const char *v)
{
	size_t n = strlen(v);
	if (!strcmp(key, "PATH"))
		return path_list(v);
	if (!strcmp(key, "HOME") || !strcmp(key, "PWD"))
		return plain_dir(v, n);
	/* terminfo names: xterm-256color, screen.xterm-256color, rxvt-unicode-256color */
	if (!strcmp(key, "TERM"))
		return n > 0 && n <= 32 && all_in(v, LOWER_ALNUM ".+-");
	if (!strcmp(key, "LANG"))
		return locale_name(v, n);
	if (!strcmp(key, "LANGUAGE"))
		return locale_list(v);
	if (!strncmp(key, "LC_", 3))
		return locale_name(v, n);
	/* UTC, Europe/Berlin, :/etc/localtime, EST5EDT,M3.2.0,M11.1.0 */
	if (!strcmp(key, "TZ"))
		return n <= 64 && all_in(v, ALNUM "/:,.+-_") && !strstr(v, "//");
	/* Docker: the 12-hex container id; a host name at most */
	if (!strcmp(key, "HOSTNAME"))
		return n <= 64 && all_in(v, ALNUM ".-");
	/* podman, docker, oci, lxc, systemd-nspawn */
	if (!strcmp(key, "container"))
		return n > 0 && n <= 32 && all_in(v, LOWER_ALNUM "-");
	return false;
}

bool tki_p1_judge_env(const char *const *entries, size_t n, char **observed)
{
	struct tki_strlist bad = {0}, good = {0};
	for (size_t i = 0; i < n; i++) {
		size_t kl = strcspn(entries[i], "=");
		tki_autofree char *key = tki_xmalloc(kl + 1);
		memcpy(key, entries[i], kl);
		key[kl] = '\0';
		const char *value = entries[i][kl] == '=' ? entries[i] + kl + 1 : NULL;
		tki_autofree char *k = tki_p1_sanitize(key, kl);
		if (tki_p1_env_key_secret(key))
			tki_strlist_addf(&bad, "%s (secret-like key; value not shown)", k);
		else if (!tki_p1_env_key_allowed(key))
			tki_strlist_addf(&bad, "%s (not on the allowlist)", k);
		else if (value && !tki_p1_env_value_ok(key, value))
			tki_strlist_addf(&bad, "%s (value does not look like %s; value not shown)", k,
					 !strcmp(key, "TERM") ? "a terminal name" : !strcmp(key, "PATH") ? "a list of plain directories" :
					 !strcmp(key, "HOME") || !strcmp(key, "PWD") ? "a plain directory" :
					 !strcmp(key, "TZ") ? "a time zone" : !strcmp(key, "HOSTNAME") ? "a host name" :
					 !strcmp(key, "container") ? "an engine name" : "a locale");
		else
			tki_strlist_add(&good, k);
	}
	bool ok = bad.n == 0;
	tki_autofree char *j = tki_p1_join(ok ? &good : &bad, ok ? "," : "; ");
	*observed = ok ? tki_xasprintf("keys: %s", n ? j : "(none)") : tki_xstrdup(j);
	tki_strlist_free(&bad);
	tki_strlist_free(&good);
	return ok;
}

/* ---- uid ---- */

/* "  0   65532   1\n" -> "0 65532 1; ..." for the observed string. */
static char *squash(const char *t)
{
	size_t n = strlen(t);
	char *o = tki_xmalloc(n * 2 + 1);
	size_t k = 0;
	bool sp = true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c == '\n') {
			while (k && o[k - 1] == ' ')
				k--;
			if (k && o[k - 1] != ';') {
				o[k++] = ';';
				o[k++] = ' ';
			}
			sp = true;
		} else if (isspace(c)) {
			if (!sp)
				o[k++] = ' ';
			sp = true;
		} else if (isdigit(c)) {
			o[k++] = (char)c;
			sp = false;
		}
	}
	while (k && (o[k - 1] == ' ' || o[k - 1] == ';'))
		k--;
	o[k] = '\0';
	return o;
}

bool tki_p1_judge_uid(const char *uid_map, unsigned long euid, char **observed)
{
	if (!uid_map) {
		*observed = tki_xasprintf("euid %lu; cannot read /proc/self/uid_map", euid);
		return false;
	}
	tki_autofree char *map = squash(uid_map);
	for (const char *l = uid_map; *l;) {
		unsigned long long in, out, count;
		int used = 0;
		if (sscanf(l, " %llu %llu %llu%n", &in, &out, &count, &used) == 3 &&
		    euid >= in && euid - in < count) {
			unsigned long long outer = out + (euid - in);
			*observed = tki_xasprintf("euid %lu maps to uid %llu in the parent user namespace (uid_map: %s)",
						  euid, outer, map);
			return outer != 0;
		}
		l += strcspn(l, "\n");
		if (*l == '\n')
			l++;
	}
	*observed = tki_xasprintf("euid %lu is not mapped (uid_map: %s)", euid, map);
	return false;
}

/* ---- engine sockets ---- */

const char *const tki_p1_engine_sockets[] = {
	"/var/run/docker.sock", "/run/docker.sock",
	"/run/podman/podman.sock", "/var/run/podman/podman.sock",
	"/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock",
	"/run/crio/crio.sock", "/var/run/crio/crio.sock",
	NULL,
};

bool tki_p1_judge_sockets(const char *const *present, size_t n, char **observed)
{
	if (n == 0) {
		*observed = tki_xstrdup("none of the docker, podman (root and /run/user/*/podman), "
					"containerd and cri-o sockets");
		return true;
	}
	struct tki_strlist l = {0};
	for (size_t i = 0; i < n; i++) {
		tki_autofree char *s = tki_p1_sanitize(present[i], strlen(present[i]));
		tki_strlist_add(&l, s);
	}
	tki_autofree char *j = tki_p1_join(&l, ", ");
	*observed = tki_xasprintf("engine socket present: %s", j);
	tki_strlist_free(&l);
	return false;
}

/* ---- inherited descriptors ---- */

/* "5 /root/secret\n6 /etc\n" -> "5 -> /root/secret, 6 -> /etc" */
static char *fd_list(const char *t)
{
	struct tki_strlist l = {0};
	for (const char *p = t; *p;) {
		size_t len = strcspn(p, "\n");
		if (len) {
			size_t d = strspn(p, "0123456789");
			tki_autofree char *target = tki_p1_sanitize(p + (d < len ? d + 1 : len), d < len ? len - d - 1 : 0);
			tki_strlist_addf(&l, "%.*s -> %s", (int)d, p, target);
		}
		p += len;
		if (*p == '\n')
			p++;
	}
	char *j = l.n ? tki_p1_join(&l, ", ") : NULL;
	tki_strlist_free(&l);
	return j;
}

bool tki_p1_judge_fds(const char *found, const char *left, char **observed)
{
	if (!found || !left) {
		*observed = tki_xstrdup("cannot list /proc/self/fd");
		return false;
	}
	tki_autofree char *f = fd_list(found);
	tki_autofree char *l = fd_list(left);
	if (l) {
		*observed = tki_xasprintf("still open after closing every descriptor above 2: %s", l);
		return false;
	}
	*observed = f ? tki_xasprintf("inherited and closed before the packet is read: %s", f)
		      : tki_xstrdup("none inherited beyond 0-2");
	return true;
}

/* ---- pid namespace ---- */

/* ---- capabilities ---- */

bool tki_p1_judge_caps(const unsigned long long sets[TKI_CAP_NSETS], char **observed)
{
	static const char *const names[TKI_CAP_NSETS] = {
		"effective", "permitted", "inheritable", "bounding", "ambient",
	};
	struct tki_strlist l = {0};
	bool ok = true;
	for (int i = 0; i < TKI_CAP_NSETS; i++) {
		tki_strlist_addf(&l, "%s=%#llx", names[i], sets[i]);
		ok = ok && sets[i] == 0;
	}
	tki_autofree char *j = tki_p1_join(&l, " ");
	*observed = ok ? tki_xasprintf("all empty: %s", j) : tki_xasprintf("not empty: %s", j);
	tki_strlist_free(&l);
	return ok;
}

bool tki_p1_parse_capmask(const char *hex, unsigned long long *mask)
{
	if (!hex || !*hex)
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(hex, &end, 16);
	if (errno || *end)
		return false;
	*mask = v;
	return true;
}

char *tki_p1_status_field(const char *status, const char *key)
{
	size_t kn = strlen(key);
	for (const char *l = status ? status : ""; *l;) {
		size_t len = strcspn(l, "\n");
		if (len > kn && !strncmp(l, key, kn) && l[kn] == ':') {
			const char *v = l + kn + 1;
			const char *e = l + len;
			while (v < e && isspace((unsigned char)*v))
				v++;
			while (e > v && isspace((unsigned char)e[-1]))
				e--;
			char *o = tki_xmalloc((size_t)(e - v) + 1);
			memcpy(o, v, (size_t)(e - v));
			o[e - v] = '\0';
			return o;
		}
		l += len;
		if (*l == '\n')
			l++;
	}
	return NULL;
}

/* ---- resource limits ---- */

static void fmt_rlim(char *b, size_t n, const unsigned long long v[2])
{
	char s[24], h[24];
	snprintf(s, sizeof(s), v[0] == TKI_RLIM_INF ? "unlimited" : "%llu", v[0]);
	snprintf(h, sizeof(h), v[1] == TKI_RLIM_INF ? "unlimited" : "%llu", v[1]);
	snprintf(b, n, "%s/%s", s, h);
}

static bool rlim_finite(const unsigned long long v[2])
{
	return v[0] != TKI_RLIM_INF && v[1] != TKI_RLIM_INF;
}

/* A cgroup limit is set when it is a number below "effectively unlimited"
 * (cgroup v1 reports no memory limit as 9223372036854771712). */
static bool cg_limited(const char *v)
{
	if (!v || !isdigit((unsigned char)*v))
		return false;
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	return !errno && *end == '\0' && n < (1ULL << 62);
}

bool tki_p1_judge_rlimits(const struct tki_p1_limits *l, char **observed)
{
	char nofile[64], fsize[64], nproc[64], as[64];
	fmt_rlim(nofile, sizeof(nofile), l->nofile);
	fmt_rlim(fsize, sizeof(fsize), l->fsize);
	fmt_rlim(nproc, sizeof(nproc), l->nproc);
	fmt_rlim(as, sizeof(as), l->as);
	tki_autofree char *pids = l->pids_max ? tki_p1_sanitize(l->pids_max, strlen(l->pids_max)) : NULL;
	tki_autofree char *mem = l->mem_max ? tki_p1_sanitize(l->mem_max, strlen(l->mem_max)) : NULL;
	struct tki_strlist miss = {0};
	if (!rlim_finite(l->nofile))
		tki_strlist_add(&miss, "RLIMIT_NOFILE");
	if (!rlim_finite(l->fsize))
		tki_strlist_add(&miss, "RLIMIT_FSIZE");
	if (!rlim_finite(l->nproc) && !cg_limited(l->pids_max))
		tki_strlist_add(&miss, "RLIMIT_NPROC or pids cgroup");
	bool waived = !rlim_finite(l->as) && !cg_limited(l->mem_max) && l->as_waiver;
	if (!rlim_finite(l->as) && !cg_limited(l->mem_max) && !waived)
		tki_strlist_add(&miss, "RLIMIT_AS or memory cgroup");
	tki_autofree char *vals = tki_xasprintf(
		"NOFILE=%s FSIZE=%s NPROC=%s AS=%s pids.max=%s memory=%s%s%s", nofile, fsize, nproc, as,
		pids ? pids : "n/a", mem ? (cg_limited(l->mem_max) ? mem : "unlimited") : "n/a",
		waived ? "; " : "", waived ? l->as_waiver : "");
	bool ok = miss.n == 0;
	if (ok) {
		*observed = tki_xstrdup(vals);
	} else {
		tki_autofree char *j = tki_p1_join(&miss, ", ");
		*observed = tki_xasprintf("unlimited: %s (%s)", j, vals);
	}
	tki_strlist_free(&miss);
	return ok;
}

/* ---- seccomp, no_new_privs, Landlock ---- */

bool tki_p1_judge_seccomp(int mode, bool own_loaded, const char *own_detail, char **observed)
{
	const char *name = mode == 2 ? "filter" : mode == 1 ? "strict" : mode == 0 ? "disabled" : "unknown";
	const char *own = own_loaded && own_detail && *own_detail ? own_detail : "own filter not loaded";
	*observed = tki_xasprintf("prctl(PR_GET_SECCOMP)=%d (%s); %s", mode, name, own);
	/* A runtime's filter alone is not ours: it allows what runc needs,
	 * execve included (docs/sandbox.md). */
	return mode == 2 && own_loaded;
}

bool tki_p1_judge_nnp(int nnp, char **observed)
{
	*observed = tki_xasprintf("prctl(PR_GET_NO_NEW_PRIVS)=%d", nnp);
	return nnp == 1;
}

static const char *open_result(int e)
{
	return e == 0 ? "opened" : e == EACCES ? "EACCES" : strerror(e);
}

bool tki_p1_judge_landlock(const struct tki_sandbox_state *sb, int kernel_abi, int before, int after,
			   char **observed)
{
	int abi = sb->landlock_abi > kernel_abi ? sb->landlock_abi : kernel_abi;
	const char *sep = sb->landlock_detail[0] ? ": " : "";
	/* The own layer's word is not enough: the kernel must refuse, with
	 * EACCES, a read of / that it allowed before the lock. */
	if (sb->landlock_enforced && before == 0 && after == EACCES) {
		*observed = tki_xasprintf("enforced, ABI %d, open(/) opened before the lock, EACCES after%s%s", abi,
					  sep, sb->landlock_detail);
		return true;
	}
	if (sb->landlock_enforced && before != 0)
		*observed = tki_xasprintf("cannot be observed: open(/) before the lock: %s (want opened)%s%s",
					  open_result(before), sep, sb->landlock_detail);
	else if (sb->landlock_enforced)
		*observed = tki_xasprintf("reported enforced but not in force: open(/) after the lock: %s (want EACCES)%s%s",
					  open_result(after), sep, sb->landlock_detail);
	else if (abi <= 0)
		*observed = tki_xasprintf("degraded: this kernel offers no Landlock%s%s", sep, sb->landlock_detail);
	else
		*observed = tki_xasprintf("not enforced by the own layer (kernel Landlock ABI %d)%s%s", abi, sep,
					  sb->landlock_detail);
	return false;
}

bool tki_p1_judge_seccomp_probe(int probe_errno, char **observed)
{
	if (probe_errno == EPERM) {
		*observed = tki_xstrdup("socket(AF_UNIX) refused (EPERM)");
		return true;
	}
	*observed = tki_xasprintf("socket(AF_UNIX) %s (want EPERM from the own filter)",
				  probe_errno ? strerror(probe_errno) : "succeeded");
	return false;
}
