/* Provenance stage: open each evidence item through the guard, stream it
 * once through SHA-256 and the byte asserts, compare the digest, judge the
 * provenance. The asserts see exactly the bytes that were hashed: one open,
 * one pass, no second look at the file (no TOCTOU). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <string.h>

#include <nettle/sha2.h>

#include "tki/adequacy.h"
#include "tki/common.h"
#include "tki/provenance.h"

static bool wants_content(const struct tki_evidence *ev)
{
	if (ev->kind == TKI_KIND_ATTESTATION)
		return true;
	for (size_t i = 0; i < ev->n_asserts; i++)
		if (ev->asserts[i].op == TKI_OP_JSON_EQUALS)
			return true;
	return false;
}

static void hex_lower(const uint8_t *d, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static void eval_json_equals(struct tki_evidence *ev, bool over_cap)
{
	json_t *doc = NULL;
	json_error_t jerr;
	bool parsed = false;
	if (!over_cap && ev->content && !memchr(ev->content, '\0', ev->content_len)) {
		doc = json_loadb(ev->content, ev->content_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
		parsed = doc != NULL;
	}
	for (size_t i = 0; i < ev->n_asserts; i++) {
		struct tki_assert *a = &ev->asserts[i];
		if (a->op != TKI_OP_JSON_EQUALS)
			continue;
		if (over_cap) {
			snprintf(a->detail, sizeof(a->detail),
				 "not evaluated: artifact is larger than the %u MiB kept for json_equals "
				 "(TKI_MAX_KEPT_BYTES)",
				 TKI_MAX_KEPT_BYTES >> 20);
			continue;
		}
		if (!parsed) {
			snprintf(a->detail, sizeof(a->detail), "not evaluated: artifact is not JSON (%d:%d: %.100s)",
				 ev->content ? jerr.line : 0, ev->content ? jerr.column : 0,
				 ev->content ? jerr.text : "NUL byte or empty");
			continue;
		}
		a->evaluated = true;
		json_t *got = tki_json_pointer(doc, a->pointer);
		if (!got) {
			a->holds = false;
			snprintf(a->detail, sizeof(a->detail), "pointer \"%.100s\" resolves to nothing", a->pointer);
		} else if (json_equal(got, a->value)) {
			a->holds = true;
			snprintf(a->detail, sizeof(a->detail), "value at \"%.100s\" is as expected", a->pointer);
		} else {
			tki_autofree char *s = json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY);
			a->holds = false;
			snprintf(a->detail, sizeof(a->detail), "value at \"%.60s\" is %.100s", a->pointer,
				 s ? s : "(unprintable)");
		}
	}
	json_decref(doc);
}

bool tki_provenance_digest_fd(int fd, struct tki_evidence *ev, struct tki_prov_scratch *sc)
{
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	size_t nscan = 0;
	struct tki_scan *scans = tki_xcalloc(ev->n_asserts, sizeof(*scans));
	for (size_t i = 0; i < ev->n_asserts; i++) {
		struct tki_assert *a = &ev->asserts[i];
		if (a->op != TKI_OP_JSON_EQUALS)
			tki_scan_init(&scans[nscan++], a->needle, a->needle_len);
	}
	bool keep = wants_content(ev), over_cap = false, ok = true;
	/* A hint only: doubles the readahead window; failure changes nothing. */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	size_t kept_cap = 0;
	ev->size = 0;
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
		sha256_update(&ctx, (size_t)n, (const uint8_t *)sc->buf);
		for (size_t i = 0; i < nscan; i++)
			tki_scan_feed(&scans[i], sc->buf, (size_t)n);
		if (keep && !over_cap) {
			if (ev->content_len + (size_t)n > TKI_MAX_KEPT_BYTES) {
				over_cap = true;
				free(ev->content);
				ev->content = NULL;
				ev->content_len = 0;
			} else {
				if (ev->content_len + (size_t)n > kept_cap) {
					kept_cap = kept_cap ? kept_cap : TKI_CHUNK_BYTES;
					while (kept_cap < ev->content_len + (size_t)n)
						kept_cap *= 2;
					ev->content = tki_xrealloc(ev->content, kept_cap);
				}
				memcpy(ev->content + ev->content_len, sc->buf, (size_t)n);
				ev->content_len += (size_t)n;
			}
		}
		ev->size += (uint64_t)n;
	}
	if (ok) {
		uint8_t d[SHA256_DIGEST_SIZE];
		sha256_digest(&ctx, sizeof(d), d);
		hex_lower(d, sizeof(d), ev->actual_sha256);
		size_t k = 0;
		for (size_t i = 0; i < ev->n_asserts; i++) {
			struct tki_assert *a = &ev->asserts[i];
			if (a->op == TKI_OP_JSON_EQUALS)
				continue;
			bool found = scans[k++].found;
			a->evaluated = true;
			a->holds = a->op == TKI_OP_CONTAINS ? found : !found;
			snprintf(a->detail, sizeof(a->detail), "%s", found ? "found in the artifact" : "not found in the artifact");
		}
		if (keep)
			eval_json_equals(ev, over_cap);
		if (over_cap && ev->kind == TKI_KIND_ATTESTATION)
			tki_strlist_addf(&ev->reasons,
					 "attestation bundle is larger than %u MiB (TKI_MAX_KEPT_BYTES): not re-judged",
					 TKI_MAX_KEPT_BYTES >> 20);
	}
	for (size_t i = 0; i < nscan; i++)
		tki_scan_free(&scans[i]);
	free(scans);
	/* Only the re-judge of an attestation needs the bytes after this. */
	if (!ok || ev->kind != TKI_KIND_ATTESTATION) {
		free(ev->content);
		ev->content = NULL;
		ev->content_len = 0;
	}
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
