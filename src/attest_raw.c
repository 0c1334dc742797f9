// SPDX-License-Identifier: Apache-2.0
/* Judges of the raw observations in an attestation bundle: /proc/net/dev
 * and /proc/self/mountinfo. They judge text that came from somewhere else
 * (P1's snapshot, or a bundle someone handed us), so they never touch the
 * live system. The parsing and the classification are P1's own
 * (src/selfcheck_judge.c, src/selfcheck_mounts.c): one definition of a
 * correct sandbox. What the probes ask beyond P1 is stated here, explicitly:
 *   PR-NET-1/2  lo must be there and be the only interface (P1 also
 *               accepts a namespace with no interface at all);
 *   PR-MOUNT-1  /tmp, where there is one, must be a noexec tmpfs (P1 only
 *               asks for a tmpfs; the own layer's seccomp denies execve
 *               anyway, the probe checks the wall below it). */
#include <string.h>

#include "tki/attest.h"

bool tki_netdev_lo_only(const char *text, char *why, size_t whylen)
{
	struct tki_strlist l = {0};
	int n = tki_netdev_ifaces(text, &l);
	bool ok = false;
	if (n < 0) {
		snprintf(why, whylen, "raw.proc_net_dev is missing or not /proc/net/dev text");
	} else if (n == 0) {
		snprintf(why, whylen, "no interface at all (not even lo)");
	} else if (n == 1 && strcmp(l.v[0], "lo") == 0) {
		snprintf(why, whylen, "interfaces: lo");
		ok = true;
	} else {
		size_t off = (size_t)snprintf(why, whylen, "interfaces:");
		for (size_t i = 0; i < l.n && off < whylen; i++)
			off += (size_t)snprintf(why + off, whylen - off, " %s", l.v[i]);
	}
	tki_strlist_free(&l);
	return ok;
}

/* PR-MOUNT-1's own rule on top of P1's: a /tmp must be a noexec tmpfs. */
static void judge_tmp(const char *text, struct tki_strlist *bad)
{
	struct tki_mountinfo_line m, top;
	bool seen = false;
	for (const char *l = text; *l;) {
		size_t len = strcspn(l, "\n");
		/* Stacked mounts: the last one at /tmp is the one in use. */
		if (len > 0 && tki_mountinfo_parse_line(l, len, &m) && strcmp(m.point, "/tmp") == 0) {
			top = m;
			seen = true;
		}
		l += len;
		if (*l == '\n')
			l++;
	}
	if (seen && (strcmp(top.fstype, "tmpfs") != 0 || !tki_mount_has_opt(top.opts, "noexec")))
		tki_strlist_addf(bad, "/tmp is %s %s, not tmpfs noexec", top.fstype, top.opts);
}

bool tki_mountinfo_judge(const char *text, const struct tki_attest_layout *lay, struct tki_strlist *bad)
{
	size_t before = bad->n;
	if (!text || !*text) {
		tki_strlist_add(bad, "raw.mountinfo is missing or empty");
		return false;
	}
	tki_autofree char *obs = NULL;
	if (!tki_p1_judge_mounts(text, lay->in_dir, lay->out_dir, &obs))
		tki_strlist_add(bad, obs);
	judge_tmp(text, bad);
	return bad->n == before;
}
