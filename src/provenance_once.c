// SPDX-License-Identifier: Apache-2.0
/* The hashing path under work limits (issue 14): every item citing one path
 * is verified from one open and one pass over the file; the bytes charged
 * (st_size at open, sparse files at full size, plus anything read past it)
 * stay within the run's budget; SIGXCPU (RLIMIT_CPU) stops the pass. A stop
 * is reported by the pool as a BLOCKED report naming the limit. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/resource.h>

#include "tki/adequacy.h"
#include "tki/common.h"
#include "tki/provenance.h"

static volatile sig_atomic_t cpu_over;
/* As armed: the kernel raises the soft limit by a second at every SIGXCPU. */
static unsigned long cpu_armed;

static void on_sigxcpu(int sig)
{
	(void)sig;
	cpu_over = 1;
}

void tki_work_limits_arm(unsigned long cpu_seconds)
{
	struct sigaction sa = {.sa_handler = on_sigxcpu, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGXCPU, &sa, NULL) < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "work limits: sigaction(SIGXCPU)");
	struct rlimit cur, want = {cpu_seconds, cpu_seconds + TKI_CPU_GRACE_SECONDS};
	if (getrlimit(RLIMIT_CPU, &cur) < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "work limits: getrlimit(RLIMIT_CPU)");
	/* Never raise what someone else set lower; keep a grace below it. */
	if (cur.rlim_max != RLIM_INFINITY && cur.rlim_max < want.rlim_max) {
		want.rlim_max = cur.rlim_max;
		want.rlim_cur = cur.rlim_max > TKI_CPU_GRACE_SECONDS ? cur.rlim_max - TKI_CPU_GRACE_SECONDS : 1;
		if (want.rlim_cur > cpu_seconds)
			want.rlim_cur = cpu_seconds;
	}
	if (setrlimit(RLIMIT_CPU, &want) < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "work limits: setrlimit(RLIMIT_CPU, %lu)", cpu_seconds);
	cpu_armed = (unsigned long)want.rlim_cur;
}

bool tki_work_cpu_over(void)
{
	return cpu_over != 0;
}

char *tki_work_bytes_msg(uint64_t max_bytes)
{
	return tki_xasprintf("work limit: the distinct files the packet cites total more than %llu bytes "
			     "(--max-hash-bytes; a sparse file counts at its full size). "
			     "Hint: raise --max-hash-bytes if this packet really is that large",
			     (unsigned long long)max_bytes);
}

char *tki_work_cpu_msg(void)
{
	return tki_xasprintf("work limit: the run used more than %lu s of CPU time (--max-cpu-seconds). "
			     "Hint: raise --max-cpu-seconds if this packet really needs it", cpu_armed);
}

bool tki_work_charge(struct tki_work *w, uint64_t n)
{
	if (!w || !w->max_bytes)
		return true;
	uint64_t before = atomic_fetch_add(&w->charged, n);
	if (before + n < before || before + n > w->max_bytes) {
		atomic_store(&w->over_bytes, true);
		return false;
	}
	return true;
}

enum pass { PASS_OK, PASS_IOERR, PASS_LIMIT };

/* One pass over fd for the whole group. st_size was charged at open; bytes
 * past it (a file growing, a filesystem that lies about sizes) are charged
 * as they come. */
static enum pass read_once(int fd, uint64_t st_size, struct tki_digest_group *dg, struct tki_evidence *lead,
			   struct tki_prov_scratch *sc)
{
	uint64_t done = 0;
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	for (;;) {
		if (sc->work && cpu_over) {
			atomic_store(&sc->work->over_cpu, true);
			return PASS_LIMIT;
		}
		ssize_t n = read(fd, sc->buf, TKI_CHUNK_BYTES);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tki_strlist_addf(&lead->reasons, "artifact could not be read after %llu bytes: %s",
					 (unsigned long long)dg->size, strerror(errno));
			return PASS_IOERR;
		}
		if (n == 0)
			return PASS_OK;
		uint64_t before = done;
		done += (uint64_t)n;
		uint64_t past = done > st_size ? done - (before > st_size ? before : st_size) : 0;
		if (past && !tki_work_charge(sc->work, past))
			return PASS_LIMIT;
		if (sc->prog)
			atomic_fetch_add_explicit(&sc->prog->hashed, (uint64_t)n, memory_order_relaxed);
		tki_digest_group_feed(dg, sc->buf, (size_t)n);
	}
}

/* What every item gets when the file could not be opened. */
static bool not_opened(struct tki_evidence **evs, size_t n, const struct tki_guard_err *ge, const char *run_date,
		       struct tki_strlist *blocked_msg)
{
	for (size_t j = 0; j < n; j++) {
		struct tki_evidence *ev = evs[j];
		switch (ge->status) {
		case TKI_GUARD_MISSING:
			ev->state = TKI_EV_MISSING;
			tki_strlist_add(&ev->reasons, "artifact not found");
			break;
		case TKI_GUARD_IOERR:
			ev->state = TKI_EV_MISSING;
			tki_strlist_addf(&ev->reasons, "artifact could not be opened: %s", ge->msg);
			break;
		case TKI_GUARD_OK:      /* fd < 0 with OK cannot happen: fail closed */
		case TKI_GUARD_BLOCKED:
		default: /* a policy refusal, or a status this code does not know */
			ev->state = TKI_EV_BLOCKED;
			tki_strlist_addf(&ev->reasons, "guard refused the path: %s", ge->msg);
			if (j == 0) /* the lowest index: what an in-order run reports */
				tki_strlist_addf(blocked_msg, "evidence %s (path \"%s\"): %s", ev->id, ev->path, ge->msg);
			continue;
		}
		tki_provenance_valid(ev, run_date, &ev->reasons);
	}
	return ge->status == TKI_GUARD_MISSING || ge->status == TKI_GUARD_IOERR;
}

static void judge_digest(struct tki_evidence *ev, const char *run_date)
{
	char declared[65];
	for (size_t i = 0; i < sizeof(declared); i++)
		declared[i] = (char)tolower((unsigned char)ev->sha256[i]);
	bool digest_ok = !strcmp(declared, ev->actual_sha256);
	if (!digest_ok)
		tki_strlist_addf(&ev->reasons, "digest differs: declared sha256 %s, actual %s", declared,
				 ev->actual_sha256);
	bool prov_ok = tki_provenance_valid(ev, run_date, &ev->reasons);
	ev->state = !digest_ok ? TKI_EV_MISMATCH : !prov_ok ? TKI_EV_BAD_PROVENANCE : TKI_EV_VERIFIED;
}

bool tki_provenance_verify_group(struct tki_guard *g, struct tki_evidence **evs, size_t n, const char *run_date,
				 struct tki_prov_scratch *sc, struct tki_strlist *blocked_msg)
{
	struct tki_evidence *lead = evs[0];
	struct tki_guard_err ge = {0};
	struct stat st;
	tki_autoclose int fd = tki_guard_read_item(g, lead->path, lead->path_len, &st, &ge);
	if (sc->prog) {
		if (fd >= 0)
			atomic_fetch_add_explicit(&sc->prog->known, (uint64_t)st.st_size, memory_order_relaxed);
		atomic_fetch_add_explicit(&sc->prog->opened, n, memory_order_relaxed);
	}
	if (fd < 0)
		return not_opened(evs, n, &ge, run_date, blocked_msg);
	/* Charged before the first read: a 64 GiB sparse file is refused
	 * without reading a byte of it. */
	if (!tki_work_charge(sc->work, (uint64_t)st.st_size))
		return false;
	struct tki_digest_group dg;
	tki_digest_group_begin(&dg, evs, n);
	enum pass r = read_once(fd, (uint64_t)st.st_size, &dg, lead, sc);
	tki_digest_group_end(&dg, r == PASS_OK);
	if (r == PASS_LIMIT)
		return false;
	for (size_t j = 0; j < n; j++) {
		if (r == PASS_IOERR) {
			if (j)
				tki_strlist_add(&evs[j]->reasons, lead->reasons.v[lead->reasons.n - 1]);
			evs[j]->state = TKI_EV_MISSING;
			tki_provenance_valid(evs[j], run_date, &evs[j]->reasons);
		} else {
			judge_digest(evs[j], run_date);
		}
	}
	return true;
}
