// SPDX-License-Identifier: Apache-2.0
/* P1 re-judged from an attestation bundle's raw data. A bundle is the
 * venue's own account of itself: its verdicts, and the probes' errno
 * strings, are whatever its author typed. What the inspector can judge
 * itself is the raw observations, so each goes through the very function
 * P1 applies to the same observation live (src/selfcheck_judge.c,
 * src/selfcheck_mounts.c). One definition of a correct sandbox, two
 * callers; tests/unit/test_attest_p1.c checks that they agree on every
 * captured venue of fixtures/p1. Pure. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tki/attest.h"
#include "tki/selfcheck.h"

const char *const tki_raw_inv_names[TKI_RI__COUNT] = {
	[TKI_RI_MOUNTS] = "mounts",         [TKI_RI_NETWORK] = "network",
	[TKI_RI_ENV] = "env",               [TKI_RI_UID] = "uid",
	[TKI_RI_SOCKETS] = "engine_sockets", [TKI_RI_SECCOMP] = "seccomp",
	[TKI_RI_NNP] = "no_new_privs",      [TKI_RI_CAPS] = "capabilities",
	[TKI_RI_FDS] = "fds",               [TKI_RI_PIDNS] = "pid_namespace",
	[TKI_RI_ROOT] = "root",
};

static const char *raw_str(const json_t *raw, const char *key)
{
	const json_t *v = raw ? json_object_get(raw, key) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* An array of strings as a NULL-terminated vector of borrowed pointers;
 * NULL when the member is missing or anything in it is not a string. */
static const char **raw_strv(const json_t *raw, const char *key, size_t *n)
{
	const json_t *a = raw ? json_object_get(raw, key) : NULL;
	if (!json_is_array(a))
		return NULL;
	const char **v = tki_xcalloc(json_array_size(a) + 1, sizeof(*v));
	size_t i;
	const json_t *s;
	json_array_foreach(a, i, s) {
		if (!json_is_string(s) || memchr(json_string_value(s), '\0', json_string_length(s))) {
			free(v);
			return NULL;
		}
		v[i] = json_string_value(s);
	}
	*n = json_array_size(a);
	return v;
}

/* A status field, as /proc writes it: once. A second "CapEff:" line is a
 * bundle edited to show the judge one value and the reader another. */
static char *status_field(const char *status, const char *key)
{
	size_t kn = strlen(key), seen = 0;
	for (const char *l = status ? status : ""; *l;) {
		size_t len = strcspn(l, "\n");
		if (len > kn && !strncmp(l, key, kn) && l[kn] == ':')
			seen++;
		l += len;
		if (*l == '\n')
			l++;
	}
	return seen == 1 ? tki_p1_status_field(status, key) : NULL;
}

/* A decimal status field ("Seccomp:\t2") as a number; false when absent
 * or not a plain number. */
static bool status_num(const char *status, const char *key, long long *out)
{
	tki_autofree char *v = status_field(status, key);
	if (!v || !*v)
		return false;
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno || *end)
		return false;
	*out = n;
	return true;
}

static bool fail(char **observed, const char *what)
{
	*observed = tki_xstrdup(what);
	return false;
}

static bool judge_env(const json_t *raw, char **observed)
{
	size_t n = 0;
	tki_autofree const char **keys = raw_strv(raw, "env_keyset", &n);
	if (!keys)
		return fail(observed, "raw.env_keyset is missing or not an array of strings");
	return tki_p1_judge_env(keys, n, observed);
}

static bool judge_sockets(const json_t *raw, char **observed)
{
	size_t n = 0;
	tki_autofree const char **present = raw_strv(raw, "engine_sockets", &n);
	if (!present)
		return fail(observed, "raw.engine_sockets is missing or not an array of strings");
	return tki_p1_judge_sockets(present, n, observed);
}

/* "Uid:\treal\teffective\tsaved\tfs": P1 judges the effective uid. */
static bool judge_uid(const json_t *raw, char **observed)
{
	const char *status = raw_str(raw, "status");
	tki_autofree char *uid = status_field(status, "Uid");
	unsigned long r, e;
	if (!uid || sscanf(uid, "%lu %lu", &r, &e) != 2)
		return fail(observed, "raw.status has no single \"Uid:\" line with an effective uid");
	const char *map = raw_str(raw, "uid_map");
	if (!map)
		return fail(observed, "raw.uid_map is missing");
	return tki_p1_judge_uid(map, e, observed);
}

/* A prctl result recorded twice (the integer, and the status line P1
 * kept): both must be there and agree, or the bundle contradicts itself. */
static bool raw_prctl(const json_t *raw, const char *key, const char *status_key, int *out, char **observed)
{
	const json_t *v = raw ? json_object_get(raw, key) : NULL;
	if (!json_is_integer(v))
		return fail(observed, key[0] == 's' ? "raw.seccomp_mode is missing or not an integer"
						    : "raw.no_new_privs is missing or not an integer");
	long long st;
	if (!status_num(raw_str(raw, "status"), status_key, &st) || st != json_integer_value(v)) {
		*observed = tki_xasprintf("raw.%s is %lld but raw.status \"%s:\" says otherwise", key,
					  (long long)json_integer_value(v), status_key);
		return false;
	}
	*out = (int)json_integer_value(v);
	return true;
}

static bool judge_seccomp(const json_t *raw, char **observed)
{
	int mode;
	if (!raw_prctl(raw, "seccomp_mode", "Seccomp", &mode, observed))
		return false;
	/* seccomp_own: the own layer's record of the allowlist it loaded
	 * (absent or null: none), as P1 is told live by the sandbox state. */
	const char *own = raw_str(raw, "seccomp_own");
	return tki_p1_judge_seccomp(mode, own && *own, own, observed);
}

static bool judge_nnp(const json_t *raw, char **observed)
{
	int nnp;
	if (!raw_prctl(raw, "no_new_privs", "NoNewPrivs", &nnp, observed))
		return false;
	return tki_p1_judge_nnp(nnp, observed);
}

static bool judge_caps(const json_t *raw, char **observed)
{
	static const char *const keys[TKI_CAP_NSETS] = {
		[TKI_CAP_EFF] = "CapEff", [TKI_CAP_PRM] = "CapPrm", [TKI_CAP_INH] = "CapInh",
		[TKI_CAP_BND] = "CapBnd", [TKI_CAP_AMB] = "CapAmb",
	};
	const char *status = raw_str(raw, "status");
	unsigned long long sets[TKI_CAP_NSETS];
	for (int i = 0; i < TKI_CAP_NSETS; i++) {
		tki_autofree char *v = status_field(status, keys[i]);
		if (!tki_p1_parse_capmask(v, &sets[i])) {
			*observed = tki_xasprintf("raw.status has no single hexadecimal \"%s:\" line", keys[i]);
			return false;
		}
	}
	return tki_p1_judge_caps(sets, observed);
}

/* Text members are the listings P1 took: a missing member fails closed,
 * a null one is "could not list", which the judges fail on as live. */
static bool raw_text(const json_t *raw, const char *key, const char **out, char **observed)
{
	const json_t *v = raw ? json_object_get(raw, key) : NULL;
	if (json_is_string(v) && !memchr(json_string_value(v), '\0', json_string_length(v))) {
		*out = json_string_value(v);
		return true;
	}
	*out = NULL;
	if (json_is_null(v))
		return true;
	*observed = tki_xasprintf("raw.%s is missing or not a string", key);
	return false;
}

/* fds_inherited: what P1 found above 2 (and closed); fds_left: what was
 * still open after. P1 holds when nothing is left, as live. */
static bool judge_fds(const json_t *raw, char **observed)
{
	const char *found, *left;
	if (!raw_text(raw, "fds_inherited", &found, observed) || !raw_text(raw, "fds_left", &left, observed))
		return false;
	return tki_p1_judge_fds(found, left, observed);
}

static bool judge_pidns(const json_t *raw, const char *mountinfo, char **observed)
{
	const char *pids;
	/* absent: a bundle from before the link was captured (a fresh procfs
	 * was the only one then); null or not a string: could not be read */
	const json_t *ps = raw ? json_object_get(raw, "proc_self") : NULL;
	const char *proc_self = !ps ? NULL : json_is_string(ps) ? json_string_value(ps) : "";
	if (ps && json_is_string(ps) && memchr(proc_self, '\0', json_string_length(ps)))
		proc_self = "";
	const json_t *pid = raw ? json_object_get(raw, "pid") : NULL;
	if (!raw_text(raw, "proc_pids", &pids, observed))
		return false;
	if (!json_is_integer(pid) || json_integer_value(pid) <= 0 || json_integer_value(pid) > INT32_MAX)
		return fail(observed, "raw.pid is missing or not a positive integer");
	const json_t *pr = raw ? json_object_get(raw, "proc_present") : NULL;
	const json_t *rc = raw ? json_object_get(raw, "proc_reach") : NULL;
	const json_t *ch = raw ? json_object_get(raw, "proc_chain") : NULL;
	struct tki_p1_procfs proc = {proc_self, json_is_string(pr) ? json_string_value(pr) : NULL, mountinfo,
				     json_is_string(rc) ? json_string_value(rc) : NULL,
				     json_is_string(ch) ? json_string_value(ch) : NULL};
	return tki_p1_judge_pidns(pids, (long)json_integer_value(pid), &proc, observed);
}

static bool judge_root(const json_t *raw, const char *mountinfo, char **observed)
{
	const json_t *ls = raw ? json_object_get(raw, "root_layout") : NULL;
	if (!json_is_object(ls))
		return fail(observed, "raw.root_layout is missing or not an object");
	struct tki_p1_layout l = {0};
	static const char *const keys[] = { "root", "etc", "run", "sys_fs_cgroup" };
	const char **dst[] = { &l.root, &l.etc, &l.run, &l.cgroup };
	for (size_t i = 0; i < TKI_ARRAY_LEN(keys); i++) {
		tki_autofree char *key = tki_xasprintf("root_layout.%s", keys[i]);
		if (!raw_text(ls, keys[i], dst[i], observed)) {
			free(*observed);
			*observed = tki_xasprintf("raw.%s is missing or not a string", key);
			return false;
		}
	}
	if (!raw_text(raw, "self_name", &l.self_name, observed))
		return false;
	return tki_p1_judge_root(mountinfo, &l, observed);
}

bool tki_p1_rejudge_raw(const json_t *raw, const struct tki_attest_layout *lay, struct tki_raw_judged *j)
{
	memset(j, 0, sizeof(*j));
	if (!json_is_object(raw))
		raw = NULL; /* every judge below then fails closed */
	const char *mi = raw_str(raw, "mountinfo");
	if (mi)
		j->ok[TKI_RI_MOUNTS] = tki_p1_judge_mounts(mi, lay->in_dir, lay->out_dir, &j->observed[TKI_RI_MOUNTS]);
	else
		j->ok[TKI_RI_MOUNTS] = fail(&j->observed[TKI_RI_MOUNTS], "raw.mountinfo is missing");
	const char *nd = raw_str(raw, "proc_net_dev");
	if (nd)
		j->ok[TKI_RI_NETWORK] = tki_p1_judge_network(nd, &j->observed[TKI_RI_NETWORK]);
	else
		j->ok[TKI_RI_NETWORK] = fail(&j->observed[TKI_RI_NETWORK], "raw.proc_net_dev is missing");
	j->ok[TKI_RI_ENV] = judge_env(raw, &j->observed[TKI_RI_ENV]);
	j->ok[TKI_RI_UID] = judge_uid(raw, &j->observed[TKI_RI_UID]);
	j->ok[TKI_RI_SOCKETS] = judge_sockets(raw, &j->observed[TKI_RI_SOCKETS]);
	j->ok[TKI_RI_SECCOMP] = judge_seccomp(raw, &j->observed[TKI_RI_SECCOMP]);
	j->ok[TKI_RI_NNP] = judge_nnp(raw, &j->observed[TKI_RI_NNP]);
	j->ok[TKI_RI_CAPS] = judge_caps(raw, &j->observed[TKI_RI_CAPS]);
	j->ok[TKI_RI_FDS] = judge_fds(raw, &j->observed[TKI_RI_FDS]);
	j->ok[TKI_RI_PIDNS] = judge_pidns(raw, mi, &j->observed[TKI_RI_PIDNS]);
	j->ok[TKI_RI_ROOT] = judge_root(raw, mi, &j->observed[TKI_RI_ROOT]);
	bool all = true;
	for (int i = 0; i < TKI_RI__COUNT; i++)
		all = all && j->ok[i];
	return all;
}

void tki_raw_judged_free(struct tki_raw_judged *j)
{
	for (int i = 0; i < TKI_RI__COUNT; i++) {
		free(j->observed[i]);
		j->observed[i] = NULL;
	}
}
