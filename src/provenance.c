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
					 (unsigned long long)d.g.size, strerror(errno));
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
	return tki_provenance_verify_group(g, &ev, 1, run_date, sc, blocked_msg);
}
