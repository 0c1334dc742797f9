// SPDX-License-Identifier: Apache-2.0
/* Provenance stage: open each evidence item through the guard, stream it
 * once through SHA-256 and the byte asserts, compare the digest, judge the
 * provenance. The asserts see exactly the bytes that were hashed: one open,
 * one pass, no second look at the file (no TOCTOU). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <string.h>

#include "tki/adequacy.h"
#include "tki/common.h"
#include "tki/provenance.h"

bool tki_provenance_digest_fd(int fd, struct tki_evidence *ev, struct tki_prov_scratch *sc)
{
	struct tki_digest d;
	tki_digest_begin(&d, ev);
	bool ok = true;
	/* A hint only: doubles the readahead window; failure changes nothing. */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
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
		if (sc->prog)
			atomic_fetch_add_explicit(&sc->prog->hashed, (uint64_t)n, memory_order_relaxed);
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
	if (sc->prog) {
		if (fd >= 0)
			atomic_fetch_add_explicit(&sc->prog->known, (uint64_t)st.st_size, memory_order_relaxed);
		atomic_fetch_add_explicit(&sc->prog->opened, 1, memory_order_relaxed);
	}
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
		case TKI_GUARD_OK:      /* fd < 0 with OK cannot happen: fail closed */
		case TKI_GUARD_BLOCKED:
		default: /* a policy refusal, or a status this code does not know: fail closed */
			ev->state = TKI_EV_BLOCKED;
			tki_strlist_addf(&ev->reasons, "guard refused the path: %s", ge.msg);
			tki_strlist_addf(blocked_msg, "evidence %s (path \"%s\"): %s", ev->id, ev->path, ge.msg);
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
