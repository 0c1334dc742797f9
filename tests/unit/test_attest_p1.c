// SPDX-License-Identifier: Apache-2.0
/* The differential test of issue 13: every venue captured in fixtures/p1
 * is judged as P1 judges it live (each observation through its judge) and
 * re-judged from a bundle's raw object built from the same capture
 * (tki_p1_rejudge_raw, what `inspect` does to a bundle). Same verdict per
 * invariant, same observation, on every venue; and a raw object that
 * P1's live capture produced (tki_p1_raw_json) re-judges as P1 judged. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tki/attest.h"
#include "tki/common.h"
#include "tki/selfcheck.h"

#include "tki_test_p1.h"

static long status_long(const char *st, const char *key)
{
	char *v = tki_p1_status_field(st, key);
	assert_non_null(v);
	long n = strtol(v, NULL, 10);
	free(v);
	return n;
}

static const char own[] = "allowlist from seccomp/syscalls.txt (fixture)";
/* Listings of /, /etc, /run, /sys/fs/cgroup, and their raw.root_layout keys. */
static const char *const ls_files[4] = { "root", "etc", "run", "cgroup_dir" };
static const char *const ls_keys[4] = { "root", "etc", "run", "sys_fs_cgroup" };

/* P1 live: each observation through its judge, as src/selfcheck.c feeds
 * them (the seccomp mode and no_new_privs are prctl results there; the
 * captured status lines are the same values). */
static void judge_live(const char *venue, bool ok[TKI_RI__COUNT], char *obs[TKI_RI__COUNT])
{
	char *mi = slurp(venue, "mountinfo"), *nd = slurp(venue, "net_dev"), *st = slurp(venue, "status");
	char *um = slurp(venue, "uid_map");
	struct tki_strlist env = {0}, socks = {0};
	lines(venue, "env_keys", &env);
	lines(venue, "sockets", &socks);
	ok[TKI_RI_MOUNTS] = tki_p1_judge_mounts(mi, "/in", "/out", &obs[TKI_RI_MOUNTS]);
	ok[TKI_RI_NETWORK] = tki_p1_judge_network(nd, &obs[TKI_RI_NETWORK]);
	ok[TKI_RI_ENV] = tki_p1_judge_env((const char *const *)env.v, env.n, &obs[TKI_RI_ENV]);
	char *uid = tki_p1_status_field(st, "Uid");
	unsigned long r, e;
	assert_int_equal(sscanf(uid, "%lu %lu", &r, &e), 2);
	free(uid);
	ok[TKI_RI_UID] = tki_p1_judge_uid(um, e, &obs[TKI_RI_UID]);
	ok[TKI_RI_SOCKETS] = tki_p1_judge_sockets((const char *const *)socks.v, socks.n, &obs[TKI_RI_SOCKETS]);
	ok[TKI_RI_SECCOMP] = tki_p1_judge_seccomp((int)status_long(st, "Seccomp"), true, own, &obs[TKI_RI_SECCOMP]);
	ok[TKI_RI_NNP] = tki_p1_judge_nnp((int)status_long(st, "NoNewPrivs"), &obs[TKI_RI_NNP]);
	static const char *const capkeys[TKI_CAP_NSETS] = {
		[TKI_CAP_EFF] = "CapEff", [TKI_CAP_PRM] = "CapPrm", [TKI_CAP_INH] = "CapInh",
		[TKI_CAP_BND] = "CapBnd", [TKI_CAP_AMB] = "CapAmb",
	};
	unsigned long long sets[TKI_CAP_NSETS];
	for (int i = 0; i < TKI_CAP_NSETS; i++) {
		char *v = tki_p1_status_field(st, capkeys[i]);
		assert_true(tki_p1_parse_capmask(v, &sets[i]));
		free(v);
	}
	ok[TKI_RI_CAPS] = tki_p1_judge_caps(sets, &obs[TKI_RI_CAPS]);
	/* P1 closes what it finds: nothing is left in any captured venue */
	char *fds = slurp(venue, "fds"), *pids = slurp(venue, "pids"), *pid = slurp(venue, "pid");
	ok[TKI_RI_FDS] = tki_p1_judge_fds(fds, "", &obs[TKI_RI_FDS]);
	ok[TKI_RI_PIDNS] = tki_p1_judge_pidns(pids, atol(pid), procfs_of(venue, mi), &obs[TKI_RI_PIDNS]);
	char *ls[4];
	for (int i = 0; i < 4; i++)
		ls[i] = slurp(venue, ls_files[i]);
	struct tki_p1_layout lay = { ls[0], ls[1], ls[2], ls[3], "p1-capture" };
	ok[TKI_RI_ROOT] = tki_p1_judge_root(mi, &lay, &obs[TKI_RI_ROOT]);
	for (int i = 0; i < 4; i++)
		free(ls[i]);
	free(fds), free(pids), free(pid);
	free(mi), free(nd), free(st), free(um);
	tki_strlist_free(&env);
	tki_strlist_free(&socks);
}

static json_t *strv_json(const struct tki_strlist *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

/* The bundle's raw object for the same capture, as tki_p1_raw_json
 * writes it. */
static json_t *raw_of(const char *venue)
{
	char *st = slurp(venue, "status");
	struct tki_strlist env = {0}, socks = {0};
	lines(venue, "env_keys", &env);
	lines(venue, "sockets", &socks);
	json_t *raw = json_object();
	static const char *const text[][2] = {
		{ "mountinfo", "mountinfo" }, { "proc_net_dev", "net_dev" }, { "uid_map", "uid_map" },
	};
	for (size_t i = 0; i < TKI_ARRAY_LEN(text); i++) {
		char *t = slurp(venue, text[i][1]);
		json_object_set_new(raw, text[i][0], json_string(t));
		free(t);
	}
	json_object_set_new(raw, "status", json_string(st));
	json_object_set_new(raw, "env_keyset", strv_json(&env));
	json_object_set_new(raw, "engine_sockets", strv_json(&socks));
	json_object_set_new(raw, "seccomp_mode", json_integer(status_long(st, "Seccomp")));
	json_object_set_new(raw, "no_new_privs", json_integer(status_long(st, "NoNewPrivs")));
	json_object_set_new(raw, "seccomp_own", json_string(own));
	char *fds = slurp(venue, "fds"), *pids = slurp(venue, "pids"), *pid = slurp(venue, "pid");
	json_object_set_new(raw, "fds_inherited", json_string(fds));
	json_object_set_new(raw, "fds_left", json_string(""));
	json_object_set_new(raw, "proc_pids", json_string(pids));
	json_object_set_new(raw, "pid", json_integer(atol(pid)));
	/* the /proc facts a venue captured since issue 18 (a pod's bound /proc) */
	const struct tki_p1_procfs *pf = procfs_of(venue, NULL);
	if (pf->self)
		json_object_set_new(raw, "proc_self", json_string(pf->self));
	if (pf->present)
		json_object_set_new(raw, "proc_present", json_string(pf->present));
	if (pf->reach)
		json_object_set_new(raw, "proc_reach", json_string(pf->reach));
	if (pf->chain)
		json_object_set_new(raw, "proc_chain", json_string(pf->chain));
	json_t *lay = json_object();
	for (int i = 0; i < 4; i++) {
		char *t = slurp(venue, ls_files[i]);
		json_object_set_new(lay, ls_keys[i], json_string(t));
		free(t);
	}
	json_object_set_new(raw, "root_layout", lay);
	json_object_set_new(raw, "self_name", json_string("p1-capture"));
	free(fds), free(pids), free(pid);
	free(st);
	tki_strlist_free(&env);
	tki_strlist_free(&socks);
	return raw;
}

static void every_venue_same_verdict(void **s)
{
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/p1", TKI_FIXTURES);
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t venues = 0, failing = 0, fails[TKI_RI__COUNT] = {0};
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		venues++;
		bool live[TKI_RI__COUNT];
		char *lobs[TKI_RI__COUNT] = {0};
		judge_live(de->d_name, live, lobs);
		json_t *raw = raw_of(de->d_name);
		/* through a bundle's bytes, as inspect reads them */
		char *bytes = json_dumps(raw, JSON_COMPACT);
		json_t *back = json_loads(bytes, 0, NULL);
		struct tki_raw_judged j;
		static const struct tki_attest_layout lay = { "/in", "/out", NULL };
		tki_p1_rejudge_raw(back, &lay, &j);
		for (int i = 0; i < TKI_RI__COUNT; i++) {
			if (j.ok[i] != live[i])
				fail_msg("%s: %s: live %s, re-judged %s (%s / %s)", de->d_name, tki_raw_inv_names[i],
					 live[i] ? "PASS" : "FAIL", j.ok[i] ? "PASS" : "FAIL", lobs[i], j.observed[i]);
			if (strcmp(j.observed[i], lobs[i]) != 0)
				fail_msg("%s: %s observed \"%s\" live, \"%s\" re-judged", de->d_name,
					 tki_raw_inv_names[i], lobs[i], j.observed[i]);
			failing += !live[i];
			fails[i] += !live[i];
			free(lobs[i]);
		}
		tki_raw_judged_free(&j);
		json_decref(back);
		free(bytes);
		json_decref(raw);
	}
	closedir(d);
	assert_true(venues >= 22);  /* every captured venue */
	assert_true(failing >= 20); /* and the broken ones do fail */
	/* each invariant fails somewhere, so agreeing is no agreement on PASS
	 * alone; fds excepted: no venue leaves a descriptor open after P1 */
	for (int i = 0; i < TKI_RI__COUNT; i++)
		if (i != TKI_RI_FDS && !fails[i])
			fail_msg("no captured venue fails %s", tki_raw_inv_names[i]);
}

/* A raw field missing or of the wrong type fails its invariant closed. */
static void malformed_raw_fails_closed(void **s)
{
	json_t *raw = raw_of("docker");
	static const struct tki_attest_layout lay = { "/in", "/out", NULL };
	struct tki_raw_judged j;
	assert_true(tki_p1_rejudge_raw(raw, &lay, &j));
	tki_raw_judged_free(&j);
	struct {
		const char *key;
		json_t *val; /* NULL: removed */
		enum tki_raw_inv inv;
	} t[] = {
		{ "mountinfo", NULL, TKI_RI_MOUNTS },
		{ "proc_net_dev", json_integer(1), TKI_RI_NETWORK },
		{ "env_keyset", json_pack("[s, i]", "PATH", 1), TKI_RI_ENV },
		{ "env_keyset", NULL, TKI_RI_ENV },
		{ "uid_map", NULL, TKI_RI_UID },
		{ "engine_sockets", json_string("none"), TKI_RI_SOCKETS },
		{ "seccomp_mode", json_string("2"), TKI_RI_SECCOMP },
		{ "seccomp_own", json_null(), TKI_RI_SECCOMP },
		{ "no_new_privs", json_true(), TKI_RI_NNP },
		{ "fds_left", NULL, TKI_RI_FDS },
		{ "fds_left", json_string("5 /etc\n"), TKI_RI_FDS },
		{ "fds_inherited", json_integer(5), TKI_RI_FDS },
		{ "proc_pids", NULL, TKI_RI_PIDNS },
		{ "proc_pids", json_null(), TKI_RI_PIDNS },
		{ "pid", json_string("1"), TKI_RI_PIDNS },
		{ "pid", json_integer(0), TKI_RI_PIDNS },
		{ "pid", json_integer(2), TKI_RI_PIDNS }, /* not among proc_pids */
		/* /proc/self names another pid: an outer /proc, whose masks,
		 * flags and reachability this venue's raw data cannot show */
		{ "proc_self", json_string("99"), TKI_RI_PIDNS },
		{ "proc_self", json_null(), TKI_RI_PIDNS },
		{ "proc_self", json_integer(1), TKI_RI_PIDNS },
		{ "proc_self", json_string("self"), TKI_RI_PIDNS },
		{ "root_layout", NULL, TKI_RI_ROOT },
		{ "root_layout", json_pack("{s:n, s:s, s:s, s:s}", "root", "etc", "", "run", "", "sys_fs_cgroup", ""),
		  TKI_RI_ROOT },
		{ "root_layout", json_pack("{s:s, s:i}", "root", "d in\n", "etc", 1), TKI_RI_ROOT },
		{ "self_name", NULL, TKI_RI_ROOT },
		{ "self_name", json_string("other"), TKI_RI_ROOT }, /* then p1-capture in / is unknown */
		{ "status", json_string("Uid:\t65532\t65532\t65532\t65532\n"), TKI_RI_CAPS },
		/* a second line for the judge to read first */
		{ "status", json_pack("s++", "CapEff:\t0000000000000000\n",
				      json_string_value(json_object_get(raw, "status")), ""), TKI_RI_CAPS },
		{ "status", json_pack("s++", "Uid:\t65532\t65532\t65532\t65532\n",
				      json_string_value(json_object_get(raw, "status")), ""), TKI_RI_UID },
	};
	/* the pod's bound /proc: each fact it needs, dropped, fails */
	json_t *pod = raw_of("pod-self");
	static const char *const pod_keys[] = { "proc_present", "proc_reach", "proc_chain", "mountinfo" };
	for (size_t i = 0; i < TKI_ARRAY_LEN(pod_keys); i++) {
		json_t *c = json_deep_copy(pod);
		json_object_del(c, pod_keys[i]);
		assert_false(tki_p1_rejudge_raw(c, &lay, &j));
		if (j.ok[TKI_RI_PIDNS])
			fail_msg("pod-self without %s: pid_namespace still PASS", pod_keys[i]);
		tki_raw_judged_free(&j);
		json_decref(c);
	}
	json_object_set_new(pod, "proc_reach", json_string("1 reachable\n7 EACCES\n"));
	assert_false(tki_p1_rejudge_raw(pod, &lay, &j));
	assert_false(j.ok[TKI_RI_PIDNS]);
	tki_raw_judged_free(&j);
	json_decref(pod);
	for (size_t i = 0; i < TKI_ARRAY_LEN(t); i++) {
		json_t *c = json_deep_copy(raw);
		if (t[i].val)
			json_object_set_new(c, t[i].key, t[i].val);
		else
			json_object_del(c, t[i].key);
		assert_false(tki_p1_rejudge_raw(c, &lay, &j));
		if (j.ok[t[i].inv])
			fail_msg("case %zu (%s): %s still PASS", i, t[i].key, tki_raw_inv_names[t[i].inv]);
		tki_raw_judged_free(&j);
		json_decref(c);
	}
	assert_false(tki_p1_rejudge_raw(NULL, &lay, &j));
	for (int i = 0; i < TKI_RI__COUNT; i++)
		assert_false(j.ok[i]);
	tki_raw_judged_free(&j);
	json_decref(raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_venue_same_verdict),
		cmocka_unit_test(malformed_raw_fails_closed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
