// SPDX-License-Identifier: Apache-2.0
/* TEST-ONLY hooks of src/batch.c, compiled in by -DTKI_TEST_HOOKS into
 * build/tests/tki-inspector-hooks only (mk/batch.mk); the product binary
 * holds none of this (tests/acceptance/cases/46-batch-isolation.sh checks
 * that its strings are absent). A packet that "took over its worker" is
 * simulated by a file tki-test-hook in the packet:
 *   escape SIBLING   try to read SIBLING's packet.json and to create a file
 *                    in SIBLING's report dir; record the errno of each
 *   kill             the worker dies by SIGKILL
 *   partial          the worker writes a line without its newline to
 *                    stderr and exits (exit(), as tki_die does)
 *   procfd SIBLING   try to open SIBLING's packet.json through the batch
 *                    parent's descriptors (/proc/PPID/fd/N/SIBLING/...)
 * The result goes to tki-test-hook.txt in the worker's own report dir,
 * with the fds open in the worker. A regular file tki-test-stop in the
 * batch dir stops the parent (SIGSTOP) after the listing, before any
 * worker: a test swaps a packet dir for a symlink meanwhile. */
#include <fcntl.h>

static void test_hook_parent(const struct listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, "tki-test-stop"))
			raise(SIGSTOP);
}

static const char *errname(int r)
{
	return r >= 0 ? "OPENED" : strerrorname_np(errno) ? strerrorname_np(errno) : "?";
}

static void test_hook_worker(const struct tki_opts *wo, struct tki_guard *sub)
{
	struct tki_guard_err e;
	int fd = tki_guard_read_item(sub, "tki-test-hook", strlen("tki-test-hook"), NULL, &e);
	if (fd < 0)
		return;
	char cmd[256] = {0};
	ssize_t n = read(fd, cmd, sizeof(cmd) - 1);
	close(fd);
	if (n <= 0)
		return;
	cmd[strcspn(cmd, "\n")] = '\0';
	if (!strcmp(cmd, "kill"))
		raise(SIGKILL);
	if (!strcmp(cmd, "partial")) { /* a message without its newline, then exit() as tki_die does */
		fputs("tki-test-hook: a last line without its newline", stderr);
		exit(TKI_EXIT_BLOCKED);
	}
	char out[2048];
	size_t k = 0;
	if (!strncmp(cmd, "escape ", 7)) {
		const char *sib = cmd + 7;
		tki_autofree char *rp = tki_xasprintf("%s/%s/packet.json", wo->in_dir, sib);
		int r = open(rp, O_RDONLY | O_CLOEXEC);
		k += (size_t)snprintf(out + k, sizeof(out) - k, "read %s\n", errname(r));
		if (r >= 0)
			close(r);
		tki_autofree char *wp = tki_xasprintf("%s/packets/%s/pwned", wo->out_dir, sib);
		int w = open(wp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		k += (size_t)snprintf(out + k, sizeof(out) - k, "write %s\n", errname(w));
		if (w >= 0)
			close(w);
	}
	if (!strncmp(cmd, "procfd ", 7)) {
		/* through the batch parent's descriptors (its batch dir, its
		 * output dir) by /proc/PID/fd/N, magic links; getppid() may be
		 * refused by seccomp, so every small pid. Refused, never opened;
		 * the errno of the first refusal other than ENOENT is kept. */
		const char *sib = cmd + 7;
		int opened = 0, err = ENOENT;
		for (int pid = 1; pid <= 64; pid++)
			for (int i = 0; i < 16; i++) {
				tki_autofree char *pp = tki_xasprintf("/proc/%d/fd/%d/%s/packet.json", pid, i, sib);
				int r = open(pp, O_RDONLY | O_CLOEXEC);
				if (r >= 0) {
					opened++;
					close(r);
				} else if (errno != ENOENT && err == ENOENT) {
					err = errno;
				}
			}
		k += (size_t)snprintf(out + k, sizeof(out) - k, "procfd %s\n",
				      opened ? "OPENED" : strerrorname_np(err) ? strerrorname_np(err) : "?");
	}
	k += (size_t)snprintf(out + k, sizeof(out) - k, "fds");
	for (int i = 0; i < 1024 && k < sizeof(out) - 8; i++)
		if (fcntl(i, F_GETFD) >= 0)
			k += (size_t)snprintf(out + k, sizeof(out) - k, " %d", i);
	k += (size_t)snprintf(out + k, sizeof(out) - k, "\n");
	tki_guard_write_report(sub, "tki-test-hook.txt", out, k, &e);
}
