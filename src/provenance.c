/* Provenance stage: open each evidence item through the guard, stream it
 * once through SHA-256 and the byte asserts, compare the digest, judge the
 * provenance. The asserts see exactly the bytes that were hashed: one open,
 * one pass, no second look at the file (no TOCTOU). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "tki/adequacy.h"
#include "tki/common.h"
#include "tki/provenance.h"

bool tki_provenance_digest_fd(int fd, struct tki_evidence *ev, struct tki_prov_scratch *sc)
{
	struct tki_digest d;
	tki_digest_begin(&d, ev);
	bool ok = true;
	for (;;) {
		ssize_t n = read(fd, sc->buf, TKI_CHUNK_BYTES);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tki_strlist_addf(&ev->reasons, "artifact could not be read after %llu bytes: %s",
					 (unsigned long long)ev->size, strerror(errno));
			ok = false;
			break;
		}
		if (n == 0)
			break;
		tki_digest_feed(&d, sc->buf, (size_t)n);
	}
	tki_digest_end(&d, ok);
	return ok;
}

bool tki_provenance_verify_item(struct tki_guard *g, struct tki_evidence *ev, const char *run_date,
				struct tki_prov_scratch *sc, struct tki_strlist *blocked_msg)
{
	struct tki_guard_err ge = {0};
	struct stat st;
	tki_autoclose int fd = tki_guard_read_item(g, ev->path, ev->path_len, &st, &ge);
	if (fd < 0) {
		switch (ge.status) {
		case TKI_GUARD_MISSING:
			ev->state = TKI_EV_MISSING;
			tki_strlist_add(&ev->reasons, "artifact not found");
			break;
		case TKI_GUARD_IOERR:
			ev->state = TKI_EV_MISSING;
			tki_strlist_addf(&ev->reasons, "artifact could not be opened: %s", ge.msg);
			break;
		default: /* a policy refusal, or a status this code does not know: fail closed */
			ev->state = TKI_EV_BLOCKED;
			tki_strlist_addf(&ev->reasons, "guard refused the path: %s", ge.msg);
			tki_strlist_addf(blocked_msg, "evidence %s (path \"%s\"): %s", ev->id, ev->path, ge.msg);
			/* Said here, where it is found, so it shows even when no
			 * report can be written (as the reader does). */
			fprintf(stderr, "tki-inspector: BLOCKED: %s\n", blocked_msg->v[blocked_msg->n - 1]);
			return false;
		}
		tki_provenance_valid(ev, run_date, &ev->reasons);
		return true;
	}
	if (!tki_provenance_digest_fd(fd, ev, sc)) {
		ev->state = TKI_EV_MISSING;
		tki_provenance_valid(ev, run_date, &ev->reasons);
		return true;
	}
	char declared[65];
	for (size_t i = 0; i < sizeof(declared); i++)
		declared[i] = (char)tolower((unsigned char)ev->sha256[i]);
	bool digest_ok = !strcmp(declared, ev->actual_sha256);
	if (!digest_ok)
		tki_strlist_addf(&ev->reasons, "digest differs: declared sha256 %s, actual %s", declared,
				 ev->actual_sha256);
	bool prov_ok = tki_provenance_valid(ev, run_date, &ev->reasons);
	ev->state = !digest_ok ? TKI_EV_MISMATCH : !prov_ok ? TKI_EV_BAD_PROVENANCE : TKI_EV_VERIFIED;
	return true;
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

bool tki_provenance_validate(struct tki_guard *g, struct tki_packet *p, const char *run_date,
			     struct tki_strlist *blocked_msg)
{
	struct tki_prov_scratch sc = {.buf = tki_xmalloc(TKI_CHUNK_BYTES)};
	bool ok = true;
	for (size_t i = 0; i < p->n_evidence && ok; i++)
		ok = tki_provenance_verify_item(g, &p->evidence[i], run_date, &sc, blocked_msg);
	free(sc.buf);
	if (!ok)
		return false;
	warn_uncited(g, p);
	return true;
}
