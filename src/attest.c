// SPDX-License-Identifier: Apache-2.0
/* attest: the 12 boundary probes of seed 001 §3, run from inside the
 * sandbox after P1 passed and the own layer (seccomp, Landlock, no caps) is
 * in force. Each probe attempts the forbidden thing for real and records
 * what the kernel said; the verdict comes from the shared expected table
 * (src/attest_table.c), the same one `inspect` uses to re-judge a bundle.
 *
 * The refused operations go through raw syscall(2): the project's objects
 * must not reference the libc entry points socket, connect, execve (#35). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tki/attest.h"
#include "tki/common.h"
#include "tki/guard.h"

extern char **environ;

struct obs {
	char eoe[128];   /* errno_or_exit */
	char *actual;    /* actual_stderr_or_value (owned) */
};

static void obs_errno(struct obs *r, int e, const char *what)
{
	tki_errno_fmt(e, r->eoe, sizeof(r->eoe));
	r->actual = e ? tki_xasprintf("%s: %s", what, strerror(e)) : tki_xasprintf("%s: succeeded", what);
}

/* Append ", " + one more errno observation (multi-operation probes). */
static void obs_more(struct obs *r, int e, const char *what)
{
	char one[64];
	tki_errno_fmt(e, one, sizeof(one));
	size_t n = strlen(r->eoe);
	snprintf(r->eoe + n, sizeof(r->eoe) - n, ", %s", one);
	char *a = tki_xasprintf("%s; %s: %s", r->actual, what, e ? strerror(e) : "succeeded");
	free(r->actual);
	r->actual = a;
}

/* Try to create a file where nothing may be written. If the wall is
 * missing, leave no trace: close and remove what was created. (unlinkat,
 * not unlink: the seccomp allowlist has only the *at form.) */
static int try_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;
	close(fd);
	unlinkat(AT_FDCWD, path, 0);
	return 0;
}

static void pr_net_1(struct obs *r, const json_t *raw)
{
	const json_t *nd = json_object_get(raw, "proc_net_dev");
	char why[160];
	/* Check P1's snapshot ourselves: never send a packet from a venue that
	 * has a route out, whatever P1 concluded. */
	if (!tki_netdev_lo_only(json_is_string(nd) ? json_string_value(nd) : NULL, why, sizeof(why))) {
		snprintf(r->eoe, sizeof(r->eoe), "not attempted");
		r->actual = tki_xasprintf("not attempted: non-loopback interface (%s)", why);
		return;
	}
	long fd = syscall(SYS_socket, AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		obs_errno(r, errno, "socket(AF_INET, SOCK_STREAM)");
		return;
	}
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(53) };
	sa.sin_addr.s_addr = htonl(0x01010101); /* 1.1.1.1 */
	int e = syscall(SYS_connect, (int)fd, &sa, sizeof(sa)) == 0 ? 0 : errno;
	close((int)fd);
	obs_errno(r, e, "connect(1.1.1.1:53)");
}

static void pr_net_2(struct obs *r, const json_t *raw)
{
	const json_t *nd = json_object_get(raw, "proc_net_dev");
	struct tki_strlist l = {0};
	if (tki_netdev_ifaces(json_is_string(nd) ? json_string_value(nd) : NULL, &l) < 0) {
		snprintf(r->eoe, sizeof(r->eoe), "ENODATA(%d)", ENODATA);
		r->actual = tki_xstrdup("P1 captured no /proc/net/dev");
		return;
	}
	snprintf(r->eoe, sizeof(r->eoe), "0");
	r->actual = tki_xstrdup("interfaces:");
	for (size_t i = 0; i < l.n; i++) {
		char *a = tki_xasprintf("%s %s", r->actual, l.v[i]);
		free(r->actual);
		r->actual = a;
	}
	tki_strlist_free(&l);
}

static void pr_sock_1(struct obs *r)
{
	long fd = syscall(SYS_socket, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int e = fd < 0 ? errno : 0;
	if (fd >= 0)
		close((int)fd);
	obs_errno(r, e, "socket(AF_INET, SOCK_STREAM)");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void pr_env_1(struct obs *r)
{
	size_t n = 0;
	while (environ && environ[n])
		n++;
	tki_autofree char **keys = tki_xcalloc(n + 1, sizeof(*keys));
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		keys[i] = eq ? strndup(environ[i], (size_t)(eq - environ[i])) : tki_xstrdup(environ[i]);
		if (!keys[i])
			tki_die(TKI_EXIT_BLOCKED, "attest: out of memory");
	}
	qsort(keys, n, sizeof(*keys), cmp_str);
	/* Keys only: a value is never copied anywhere. */
	r->actual = tki_xstrdup("");
	for (size_t i = 0; i < n; i++) {
		char *a = tki_xasprintf("%s%s%s", r->actual, i ? ", " : "", keys[i]);
		free(r->actual);
		free(keys[i]);
		r->actual = a;
	}
	snprintf(r->eoe, sizeof(r->eoe), "0");
}

static void pr_fs_create(struct obs *r, const char *path)
{
	obs_errno(r, try_create(path), path);
}

static void pr_fs_out_ok(struct obs *r, const char *out_dir)
{
	tki_autofree char *path = tki_xasprintf("%s/__probe_ok", out_dir);
	unlinkat(AT_FDCWD, path, 0); /* a leftover from an interrupted run */
	tki_autoclose int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		obs_errno(r, errno, path);
		return;
	}
	int e = write(fd, "ok", 2) == 2 ? 0 : (errno ? errno : EIO);
	int ue = unlinkat(AT_FDCWD, path, 0) == 0 ? 0 : errno;
	tki_errno_fmt(e, r->eoe, sizeof(r->eoe));
	r->actual = tki_xasprintf("%s: %s; unlink: %s", path, e ? strerror(e) : "wrote 2 bytes",
				  ue ? strerror(ue) : "removed");
}

static void pr_exec_1(struct obs *r)
{
	/* argv is an unmapped pointer: where no wall stops execve, the kernel
	 * still opens /bin/ls and then fails with EFAULT copying argv, before
	 * the point of no return. So the probe proves the wall without ever
	 * being able to replace this process. */
	long rc = syscall(SYS_execve, "/bin/ls", (char *const *)1, (char *const *)NULL);
	obs_errno(r, rc < 0 ? errno : 0, "execve(\"/bin/ls\")");
}

static void pr_mount_1(struct obs *r, const json_t *raw, const struct tki_attest_layout *lay)
{
	const json_t *mi = json_object_get(raw, "mountinfo");
	struct tki_strlist bad = {0};
	bool ok = tki_mountinfo_judge(json_is_string(mi) ? json_string_value(mi) : NULL, lay, &bad);
	snprintf(r->eoe, sizeof(r->eoe), "0");
	r->actual = tki_xstrdup(ok ? "mount table classified as documented" : "");
	for (size_t i = 0; i < bad.n; i++) {
		char *a = tki_xasprintf("%s%s%s", r->actual, i ? "; " : "", bad.v[i]);
		free(r->actual);
		r->actual = a;
	}
	tki_strlist_free(&bad);
}

static void pr_sock_docker(struct obs *r)
{
	static const char *const socks[] = {
		"/var/run/docker.sock", "/run/podman/podman.sock", "/run/containerd/containerd.sock",
	};
	for (size_t i = 0; i < TKI_ARRAY_LEN(socks); i++) {
		struct stat st;
		int e = stat(socks[i], &st) == 0 ? 0 : errno;
		if (i == 0)
			obs_errno(r, e, socks[i]);
		else
			obs_more(r, e, socks[i]);
	}
}

static void pr_ptrace_1(struct obs *r)
{
	long rc = syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
	obs_errno(r, rc < 0 ? errno : 0, "ptrace(PTRACE_TRACEME)");
}

static void pr_fs_esc_2(struct obs *r)
{
	obs_errno(r, try_create("/root/__probe"), "/root/__probe");
	obs_more(r, try_create("/app/__probe"), "/app/__probe");
}

/* Run probe k of the table; the order of the table is the order of the file. */
static void observe(size_t k, struct obs *r, const json_t *raw, const struct tki_attest_layout *lay)
{
	tki_autofree char *in_probe = tki_xasprintf("%s/__probe", lay->in_dir);
	const char *id = tki_probe_table[k].id;
	if (!strcmp(id, "PR-NET-1")) pr_net_1(r, raw);
	else if (!strcmp(id, "PR-NET-2")) pr_net_2(r, raw);
	else if (!strcmp(id, "PR-SOCK-1")) pr_sock_1(r);
	else if (!strcmp(id, "PR-ENV-1")) pr_env_1(r);
	else if (!strcmp(id, "PR-FS-RO-IN")) pr_fs_create(r, in_probe);
	else if (!strcmp(id, "PR-FS-ESC-1")) pr_fs_create(r, "/etc/__probe");
	else if (!strcmp(id, "PR-FS-ESC-2")) pr_fs_esc_2(r);
	else if (!strcmp(id, "PR-FS-OUT-OK")) pr_fs_out_ok(r, lay->out_dir);
	else if (!strcmp(id, "PR-EXEC-1")) pr_exec_1(r);
	else if (!strcmp(id, "PR-MOUNT-1")) pr_mount_1(r, raw, lay);
	else if (!strcmp(id, "PR-SOCK-DOCKER")) pr_sock_docker(r);
	else if (!strcmp(id, "PR-PTRACE-1")) pr_ptrace_1(r);
	else tki_die(TKI_EXIT_BLOCKED, "attest: no runner for probe %s (table and runner disagree)", id);
}

/* The table's operation with <in>/<out> replaced by the venue's dirs. */
static char *operation(const char *tmpl, const struct tki_attest_layout *lay)
{
	char *s = tki_xstrdup(tmpl);
	const char *keys[] = { "<in>", "<out>" }, *vals[] = { lay->in_dir, lay->out_dir };
	for (size_t i = 0; i < 2; i++) {
		char *at = strstr(s, keys[i]);
		if (!at)
			continue;
		char *t = tki_xasprintf("%.*s%s%s", (int)(at - s), s, vals[i], at + strlen(keys[i]));
		free(s);
		s = t;
	}
	return s;
}

static void write_out(struct tki_guard *g, const char *name, const char *buf)
{
	struct tki_guard_err e;
	if (tki_guard_write_report(g, name, buf, strlen(buf), &e) != 0)
		tki_die(TKI_EXIT_BLOCKED, "BLOCKED: attest: writing %s: %s\nHint: the output dir must be writable "
					  "for the sandbox user (uid 65532 in the container).", name, e.msg);
}

int tki_attest_run(const struct tki_opts *o, struct tki_guard *g, const struct tki_p1 *p1)
{
	json_t *raw = tki_p1_raw_json(p1);
	if (!json_is_object(raw))
		tki_die(TKI_EXIT_BLOCKED, "BLOCKED: attest: P1 gave no raw snapshot");
	unsigned long execfn = getauxval(AT_EXECFN);
	const char *exe = execfn ? (const char *)execfn : NULL;
	struct tki_attest_layout lay = { o->in_dir, o->out_dir, exe && exe[0] == '/' ? exe : NULL };

	json_t *probes = json_array();
	tki_autofree char *jsonl = tki_xstrdup("");
	unsigned passed = 0;
	for (size_t k = 0; k < TKI_PROBE_COUNT; k++) {
		const struct tki_probe_def *d = &tki_probe_table[k];
		struct obs r = {0};
		observe(k, &r, raw, &lay);
		char why[512];
		bool pass = tki_probe_judge(d, r.eoe, r.actual, raw, &lay, why, sizeof(why));
		passed += pass;
		tki_autofree char *op = operation(d->operation, &lay);
		tki_autofree char *art = tki_xasprintf("attest.jsonl#%zu", k + 1);
		json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "probe_id", d->id,
					"operation", op, "expected", d->expected, "actual_stderr_or_value",
					r.actual, "errno_or_exit", r.eoe, "verdict", pass ? "PASS" : "FAIL",
					"artifact_path", art, "l1_test", d->l1_test, "why", why);
		if (!rec)
			tki_die(TKI_EXIT_BLOCKED, "attest: cannot build the record of %s (invalid UTF-8?)", d->id);
		tki_autofree char *line = json_dumps(rec, JSON_COMPACT | JSON_ENSURE_ASCII);
		if (!line)
			tki_die(TKI_EXIT_BLOCKED, "attest: out of memory");
		char *j = tki_xasprintf("%s%s\n", jsonl, line);
		free(jsonl);
		jsonl = j;
		json_array_append_new(probes, rec);
		printf("%s %s: ", d->id, pass ? "PASS" : "FAIL");
		tki_fput_text(stdout, why);
		putchar('\n');
		free(r.actual);
	}

	json_t *inside = json_pack("{s:s, s:s, s:{s:s, s:s, s:s?}, s:o, s:o}", "schema", TKI_ATTEST_SCHEMA,
				   "run_date", o->run_date, "layout", "in_dir", lay.in_dir, "out_dir", lay.out_dir,
				   "exe", lay.exe, "probes", probes, "raw", raw);
	if (!inside)
		tki_die(TKI_EXIT_BLOCKED, "attest: cannot build sandbox-attestation-inside.json");
	tki_autofree char *doc = json_dumps(inside, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(inside);
	if (!doc)
		tki_die(TKI_EXIT_BLOCKED, "attest: out of memory");
	tki_autofree char *docnl = tki_xasprintf("%s\n", doc);
	write_out(g, "attest.jsonl", jsonl);
	write_out(g, "sandbox-attestation-inside.json", docnl);
	printf("attest: %u of %d probes PASS (this venue only; outputs attest.jsonl, "
	       "sandbox-attestation-inside.json)\n", passed, TKI_PROBE_COUNT);
	fflush(stdout);
	return passed == TKI_PROBE_COUNT ? TKI_EXIT_ADEQUATE : TKI_EXIT_INADEQUATE;
}
