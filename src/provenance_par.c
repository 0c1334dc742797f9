// SPDX-License-Identifier: Apache-2.0
/* The provenance stage's driver: a small pool of hashing threads, the
 * progress line, then the uncited-files warning.
 *
 * Why threads, and why this is safe: by the time this runs the own layer
 * is complete (no_new_privs, capabilities, rlimits, Landlock, seccomp).
 * Seccomp filters and Landlock domains are inherited by every thread
 * created later, and the filter allows clone() for threads only, so a
 * worker has exactly the main thread's walls. docs/performance.md says why
 * threads rather than pre-opened fds.
 *
 * Determinism: a worker writes only into the items it took (their evidence
 * structs) and into its own scratch; the items citing one path form a group
 * (hashed once, issue 14), groups are taken in the order of their first
 * item from one atomic counter; a guard refusal stops the groups after it,
 * and only the lowest refused group is reported, which is exactly what one
 * thread going through the items in order would report. Nothing is
 * appended to a shared list from a thread. A work limit stops every group
 * and is reported alone, whichever thread met it. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "tki/common.h"
#include "tki/progress.h"
#include "tki/provenance.h"

/* Stack of a hashing thread: jansson's recursive parser (json_equals,
 * attestation bundles) is bounded at depth 2048, far below this. */
#define HASH_STACK_BYTES (2u << 20)

char *tki_prov_buf_new(void)
{
	void *p = aligned_alloc(4096, TKI_CHUNK_BYTES);
	if (!p)
		tki_die(TKI_EXIT_BLOCKED, "out of memory (%u KiB read buffer)", TKI_CHUNK_BYTES >> 10);
	return p;
}

unsigned tki_prov_threads(size_t n_items)
{
	unsigned cpus = tki_cpus();
	if (cpus > TKI_MAX_HASH_THREADS)
		cpus = TKI_MAX_HASH_THREADS;
	if (n_items < cpus)
		cpus = n_items ? (unsigned)n_items : 1;
	return cpus;
}

/* The items citing one path, in index order (evs[0] is the lowest). */
struct group {
	struct tki_evidence **evs;
	size_t n;
};

struct pool {
	struct tki_guard *g;
	struct tki_packet *p;
	const char *run_date;
	struct group *groups;
	size_t n_groups;
	struct tki_work work;
	_Atomic size_t next; /* the next item to take */
	_Atomic size_t stop; /* lowest refused item so far, SIZE_MAX if none */
	struct tki_prov_progress prog;
};

struct worker {
	pthread_t t;
	bool started;
	struct pool *pl;
	struct tki_prov_scratch sc;
	size_t blocked_at; /* lowest item this worker saw refused, SIZE_MAX if none */
	struct tki_strlist blocked_msg;
};

static void lower_stop(_Atomic size_t *stop, size_t i)
{
	size_t cur = atomic_load(stop);
	while (i < cur && !atomic_compare_exchange_weak(stop, &cur, i))
		;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct pool *pl = w->pl;
	for (;;) {
		size_t i = atomic_fetch_add(&pl->next, 1);
		if (i >= pl->n_groups || i > atomic_load(&pl->stop))
			break;
		struct tki_strlist msg = {0};
		const struct group *gr = &pl->groups[i];
		if (tki_provenance_verify_group(pl->g, gr->evs, gr->n, pl->run_date, &w->sc, &msg)) {
			tki_strlist_free(&msg);
			continue;
		}
		if (!msg.n) { /* a work limit: everybody stops, the pool reports it */
			lower_stop(&pl->stop, 0);
			continue;
		}
		lower_stop(&pl->stop, i);
		if (i < w->blocked_at) {
			tki_strlist_free(&w->blocked_msg);
			w->blocked_msg = msg;
			w->blocked_at = i;
		} else {
			tki_strlist_free(&msg);
		}
	}
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One line, rewritten in place; erased when done. Only ever on a TTY. */
static void show(const struct pool *pl, double t0, bool *shown)
{
	char line[160];
	size_t opened = atomic_load(&pl->prog.opened);
	uint64_t total = tki_progress_estimate(atomic_load(&pl->prog.known), opened, pl->p->n_evidence);
	tki_progress_format(line, sizeof(line), atomic_load(&pl->prog.hashed), total, opened >= pl->p->n_evidence,
			    now_s() - t0);
	fprintf(stderr, "\r%s\033[K", line);
	*shown = true;
}

/* Wait for the workers, drawing the progress line every tick once the
 * hashing has taken longer than the delay. */
static void join_all(struct worker *w, unsigned n, struct pool *pl, bool progress)
{
	double t0 = now_s();
	bool shown = false;
	struct timespec next;
	clock_gettime(CLOCK_REALTIME, &next);
	for (unsigned k = 0; k < n; k++) {
		if (!w[k].started)
			continue;
		for (;;) {
			if (!progress) {
				pthread_join(w[k].t, NULL);
				break;
			}
			next.tv_nsec += TKI_PROGRESS_TICK_MS * 1000000L;
			if (next.tv_nsec >= 1000000000L) {
				next.tv_sec++;
				next.tv_nsec -= 1000000000L;
			}
			if (pthread_timedjoin_np(w[k].t, NULL, &next) != ETIMEDOUT)
				break;
			if (now_s() - t0 >= TKI_PROGRESS_DELAY_MS / 1000.0)
				show(pl, t0, &shown);
		}
	}
	if (shown)
		fputs("\r\033[K", stderr);
}

/* fileno, not STDERR_FILENO: a batch worker's stderr is a stream of its
 * own that names the packet on each line (src/batch_out.c), which has no
 * descriptor; the batch parent draws the batch's progress instead. */
static bool progress_wanted(void)
{
	int fd = fileno(stderr);
	return fd >= 0 && isatty(fd) == 1;
}

static void run_pool(struct pool *pl, struct worker *w, unsigned n, bool progress)
{
	for (unsigned k = 0; k < n; k++)
		w[k] = (struct worker){.pl = pl,
				       .sc = {.buf = tki_prov_buf_new(), .prog = progress ? &pl->prog : NULL,
					      .work = &pl->work},
				       .blocked_at = SIZE_MAX};
	/* One worker and nothing to draw: no thread at all (a tiny packet,
	 * a single artifact). */
	if (n == 1 && !progress) {
		work(&w[0]);
		return;
	}
	pthread_attr_t attr;
	if (pthread_attr_init(&attr) != 0 || pthread_attr_setstacksize(&attr, HASH_STACK_BYTES) != 0)
		tki_die(TKI_EXIT_BLOCKED, "cannot set up the hashing threads");
	unsigned started = 0;
	for (unsigned k = 0; k < n; k++) {
		w[k].started = pthread_create(&w[k].t, &attr, work, &w[k]) == 0;
		started += w[k].started;
	}
	pthread_attr_destroy(&attr);
	/* No thread could be made (RLIMIT_NPROC reached by another process
	 * of this uid, say): do the work here rather than fail. */
	if (!started)
		work(&w[0]);
	join_all(w, n, pl, progress);
}

/* Uncited files: collect, sort (readdir order is not stable), warn. */
struct listing {
	const char **paths; /* sorted evidence paths */
	size_t n;
	struct tki_strlist found;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void on_item(const char *relpath, bool is_regular, void *ctx)
{
	struct listing *l = ctx;
	if (!strcmp(relpath, "packet.json"))
		return;
	if (bsearch(&relpath, l->paths, l->n, sizeof(*l->paths), cmp_str))
		return;
	if (is_regular)
		tki_strlist_addf(&l->found, "file %s is cited by no evidence", relpath);
	else
		tki_strlist_addf(&l->found, "entry %s is not a regular file and is cited by no evidence (not read)",
				 relpath);
}

static void warn_uncited(struct tki_guard *g, struct tki_packet *p)
{
	struct listing l = {0};
	l.paths = tki_xcalloc(p->n_evidence, sizeof(*l.paths));
	for (size_t i = 0; i < p->n_evidence; i++)
		l.paths[l.n++] = p->evidence[i].path;
	qsort(l.paths, l.n, sizeof(*l.paths), cmp_str);
	struct tki_guard_err ge = {0};
	if (tki_guard_list_items(g, on_item, &l, &ge) < 0)
		tki_strlist_addf(&p->warnings, "the packet could not be listed, uncited files not checked: %s", ge.msg);
	if (l.found.n) /* v is NULL when nothing was found: qsort's args are nonnull */
		qsort(l.found.v, l.found.n, sizeof(*l.found.v), cmp_str);
	for (size_t i = 0; i < l.found.n; i++)
		tki_strlist_add(&p->warnings, l.found.v[i]);
	tki_strlist_free(&l.found);
	free(l.paths);
}

/* Items ordered by path (then index): equal paths are neighbours. */
static int cmp_path(const void *a, const void *b, void *base)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct tki_evidence *x = (const struct tki_evidence *)base + i, *y = (const struct tki_evidence *)base + j;
	size_t n = x->path_len < y->path_len ? x->path_len : y->path_len;
	int c = memcmp(x->path, y->path, n);
	if (!c)
		c = (x->path_len > y->path_len) - (x->path_len < y->path_len);
	if (!c)
		c = (i > j) - (i < j);
	return c;
}

static int cmp_group(const void *a, const void *b)
{
	const struct tki_evidence *x = ((const struct group *)a)->evs[0], *y = ((const struct group *)b)->evs[0];
	return (x > y) - (x < y); /* both in packet->evidence[]: index order */
}

static bool same_path(const struct tki_evidence *x, const struct tki_evidence *y)
{
	return x->path_len == y->path_len && !memcmp(x->path, y->path, x->path_len);
}

/* One group per distinct path. The guard accepts only normalised relative
 * paths (no ".", "..", "//"), so equal bytes are exactly the same name; a
 * hard link under another name is another group, and its bytes count
 * against the budget again (docs/tki-inspector.1, "Work limits"). */
static void make_groups(struct pool *pl, struct tki_evidence ***slots)
{
	struct tki_packet *p = pl->p;
	size_t *ix = tki_xcalloc(p->n_evidence ? p->n_evidence : 1, sizeof(*ix));
	for (size_t i = 0; i < p->n_evidence; i++)
		ix[i] = i;
	qsort_r(ix, p->n_evidence, sizeof(*ix), cmp_path, p->evidence);
	*slots = tki_xcalloc(p->n_evidence ? p->n_evidence : 1, sizeof(**slots));
	pl->groups = tki_xcalloc(p->n_evidence ? p->n_evidence : 1, sizeof(*pl->groups));
	for (size_t i = 0; i < p->n_evidence; i++) {
		(*slots)[i] = &p->evidence[ix[i]];
		if (!i || !same_path((*slots)[i - 1], (*slots)[i]))
			pl->groups[pl->n_groups++] = (struct group){.evs = &(*slots)[i]};
		pl->groups[pl->n_groups - 1].n++;
	}
	qsort(pl->groups, pl->n_groups, sizeof(*pl->groups), cmp_group);
	free(ix);
}

bool tki_provenance_validate(struct tki_guard *g, struct tki_packet *p, const char *run_date,
			     struct tki_strlist *blocked_msg)
{
	return tki_provenance_validate_limited(g, p, run_date, 0, blocked_msg);
}

bool tki_provenance_validate_limited(struct tki_guard *g, struct tki_packet *p, const char *run_date,
				     uint64_t max_bytes, struct tki_strlist *blocked_msg)
{
	struct pool pl = {.g = g, .p = p, .run_date = run_date, .stop = SIZE_MAX, .work = {.max_bytes = max_bytes}};
	tki_autofree struct tki_evidence **slots = NULL;
	make_groups(&pl, &slots);
	unsigned n = tki_prov_threads(pl.n_groups);
	struct worker w[TKI_MAX_HASH_THREADS];
	run_pool(&pl, w, n, p->n_evidence > 0 && progress_wanted());
	free(pl.groups);
	if (atomic_load(&pl.work.over_bytes) || atomic_load(&pl.work.over_cpu)) {
		tki_autofree char *m = atomic_load(&pl.work.over_bytes) ? tki_work_bytes_msg(max_bytes) : tki_work_cpu_msg();
		fprintf(stderr, "tki-inspector: BLOCKED: %s\n", m);
		tki_strlist_add(blocked_msg, m);
		for (unsigned k = 0; k < n; k++) {
			free(w[k].sc.buf);
			tki_strlist_free(&w[k].blocked_msg);
		}
		return false;
	}

	size_t first = SIZE_MAX;
	struct worker *by = NULL;
	for (unsigned k = 0; k < n; k++) {
		if (w[k].blocked_at < first) {
			first = w[k].blocked_at;
			by = &w[k];
		}
		free(w[k].sc.buf);
	}
	if (by) {
		for (size_t i = 0; i < by->blocked_msg.n; i++) {
			/* Said here, where it is found, so it shows even when no
			 * report can be written (as the reader does). */
			fputs("tki-inspector: BLOCKED: ", stderr);
			tki_fput_text(stderr, by->blocked_msg.v[i]);
			fputc('\n', stderr);
			tki_strlist_add(blocked_msg, by->blocked_msg.v[i]);
		}
	}
	for (unsigned k = 0; k < n; k++)
		tki_strlist_free(&w[k].blocked_msg);
	if (by)
		return false;
	warn_uncited(g, p);
	return true;
}
