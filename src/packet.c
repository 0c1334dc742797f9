// SPDX-License-Identifier: Apache-2.0
/* Manifest reader: packet.json through the guard, then the pure parse:
 * digest of the exact bytes, byte checks, jansson with duplicate keys
 * refused, GCC-style syntax errors (#9), then the schema (#10-#12). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "packet_int.h"
#include "tki/packet.h"

static void sha256_hex(const char *buf, size_t len, char out[65])
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)buf);
	sha256_digest(&ctx, sizeof(d), d);
	for (size_t i = 0; i < sizeof(d); i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* jansson's text ends in "near 'TOKEN'": the token starts that many bytes
 * before the error position, which is where an editor should point. */
static size_t token_start(const json_error_t *je, size_t len)
{
	size_t pos = je->position < 0 ? 0 : (size_t)je->position;
	const char *near = strstr(je->text, " near '");
	size_t tl = strlen(je->text);
	if (pos > len)
		pos = len;
	if (!near || tl + 1 >= JSON_ERROR_TEXT_LENGTH || je->text[tl - 1] != '\'')
		return pos;
	size_t tok = tl - (size_t)(near + 7 - je->text) - 1;
	return tok <= pos ? pos - tok : pos;
}

/* Valid JSON that a packet may not contain (RFC 8259 leaves duplicate keys
 * to the reader; jansson cannot hold a \u0000 in a key): schema errors,
 * named by JSON path, never syntax errors. */
static bool schema_level_error(const char *buf, size_t len, const json_error_t *je, struct tki_reject *r)
{
	char path[512];
	unsigned line, col;
	if (json_error_code(je) == json_error_duplicate_key) {
		size_t first, second, klen;
		if (!tki_dup_key_find(buf, len, (size_t)je->position, &first, &second, &klen))
			return false;
		unsigned l1, c1;
		char q[160];
		tki_json_linecol(buf, len, first, &l1, &c1);
		tki_json_linecol(buf, len, second, &line, &col);
		tki_json_path_at(buf, len, second + klen, path, sizeof(path));
		json_t *k = json_loadb(buf + second, klen, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
		if (json_is_string(k))
			tki_quote(q, sizeof(q), json_string_value(k), json_string_length(k));
		else
			tki_quote(q, sizeof(q), buf + second, klen);
		json_decref(k);
		tki_reject_add(r, "packet.json: %s: error: duplicate key %s at packet.json:%u:%u (first at packet.json:%u:%u)",
			       path, q, line, col, l1, c1);
		return true;
	}
	if (json_error_code(je) == json_error_null_byte_in_key) {
		size_t at = token_start(je, len);
		tki_json_linecol(buf, len, at, &line, &col);
		tki_json_path_at(buf, len, at, path, sizeof(path));
		tki_reject_add(r, "packet.json: %s: error: object key containing \\u0000 at packet.json:%u:%u is not allowed",
			       path, line, col);
		return true;
	}
	return false;
}

static void syntax_error(const char *buf, size_t len, const json_error_t *je, struct tki_reject *r)
{
	unsigned line, col;
	char text[JSON_ERROR_TEXT_LENGTH * 4 + 8];
	if (schema_level_error(buf, len, je, r))
		return;
	tki_json_linecol(buf, len, token_start(je, len), &line, &col);
	/* jansson quotes the raw token: the one escaper makes it safe */
	tki_escape_to(text, sizeof(text), je->text, strlen(je->text), TKI_ESC_TEXT);
	tki_reject_add(r, "packet.json:%u:%u: error: %s", line, col, text);
}

#define LOAD_FLAGS TKI_LOAD_FLAGS

/* The manifest one item at a time: the skeleton (the root with its claims
 * and evidence arrays emptied) and then each item, parsed by jansson with
 * the same flags and freed once modelled, so that memory follows the
 * largest item and the model, not the manifest. Why the result is the
 * whole parse's: every byte of the manifest is in the skeleton or in
 * exactly one item, but for the separators and whitespace between items,
 * which the scan checked are exactly "ws , ws"; each object lies entirely
 * in one piece, so duplicate keys are seen as in the whole; on valid
 * pieces the lexical scan's strings are jansson's, so the pieces joined
 * are the manifest and it is valid JSON exactly when they all are. False
 * when a piece does not parse or the scan found no such arrays: then the
 * whole is parsed as it always was, for its errors and their positions. */
static bool load_items(const char *buf, size_t len, struct tki_reject *r, struct tki_packet **p, char **masked)
{
	struct tki_manifest_items m;
	*masked = NULL;
	if (!tki_manifest_items(buf, len, &m))
		return false;
	json_error_t je;
	json_t *skel = tki_manifest_load_skel(&m, &je);
	enum tki_stream_rc rc = skel ? tki_packet_from_items(skel, buf, &m, r, p) : TKI_STREAM_FALLBACK;
	/* Not valid JSON (or not what the scan said): the whole is parsed for
	 * the error, the valid items before it masked out of jansson's way. */
	if (rc == TKI_STREAM_FALLBACK)
		*masked = tki_manifest_mask(buf, len, &m,
					    skel ? len : tki_manifest_skel_offset(&m, (size_t)(je.position < 0 ? 0 : je.position)));
	json_decref(skel);
	tki_manifest_items_free(&m);
	return rc == TKI_STREAM_OK;
}

static struct tki_packet *parse(const char *buf, size_t len, struct tki_reject *r)
{
	if (len > TKI_MAX_MANIFEST_BYTES) {
		tki_reject_add(r, "packet.json: error: manifest is %zu bytes, over the limit of %u bytes (TKI_MAX_MANIFEST_BYTES)",
			       len, TKI_MAX_MANIFEST_BYTES);
		return NULL;
	}
	if (len == 0) {
		tki_reject_add(r, "packet.json:1:1: error: empty manifest");
		return NULL;
	}
	if (!tki_manifest_prescan(buf, len, r))
		return NULL;
	struct tki_packet *p = NULL;
	tki_autofree char *masked = NULL;
	if (load_items(buf, len, r, &p, &masked))
		goto done;
	json_error_t je;
	json_t *root = NULL;
	if (masked) {
		/* jansson stops at the first error: the same error, at the same
		 * byte, as on buf (tki_manifest_mask); if the masked text parses
		 * after all, its tree is not the manifest's: parse buf below. */
		root = json_loadb(masked, len, LOAD_FLAGS, &je);
		if (!root) {
			syntax_error(buf, len, &je, r);
			return NULL;
		}
		json_decref(root);
		root = NULL;
	}
	if (!root)
		root = json_loadb(buf, len, LOAD_FLAGS, &je);
	if (!root) {
		syntax_error(buf, len, &je, r);
		return NULL;
	}
	p = tki_packet_from_json(root, r);
	json_decref(root);
done:
	if (!p)
		tki_reject_locate(buf, len, r);
	return p;
}

struct digest {
	const char *buf;
	size_t len;
	char *out;
};

static void *digest_run(void *arg)
{
	struct digest *d = arg;
	sha256_hex(d->buf, d->len, d->out);
	return NULL;
}

/* Below this a second thread for the digest costs more than it saves. */
#define DIGEST_PAR_MIN (1u << 20)

struct tki_packet *tki_packet_parse(const char *buf, size_t len, struct tki_reject *r)
{
	/* A large manifest's digest is taken beside its scans and parse (a
	 * thread created now, long after the sandbox is complete): nothing
	 * reads it before the join. */
	struct digest d = {buf, len, r->manifest_sha256};
	pthread_t t;
	bool split = len >= DIGEST_PAR_MIN && tki_cpus() > 1 && pthread_create(&t, NULL, digest_run, &d) == 0;
	if (!split)
		digest_run(&d);
	struct tki_packet *p = parse(buf, len, r);
	if (split && pthread_join(t, NULL) != 0)
		tki_die(TKI_EXIT_BLOCKED, "packet.json: cannot join the digest thread");
	if (p)
		memcpy(p->manifest_sha256, r->manifest_sha256, sizeof(p->manifest_sha256));
	return p;
}

static bool read_fd(int fd, size_t size_hint, char **out, size_t *outlen, struct tki_reject *r)
{
	size_t cap = size_hint + 1, n = 0;
	char *buf = tki_xmalloc(cap);
	for (;;) {
		if (n == cap) {
			if (cap > TKI_MAX_MANIFEST_BYTES) /* the file grew past the cap */
				break;
			cap = cap * 2 > TKI_MAX_MANIFEST_BYTES + 1 ? TKI_MAX_MANIFEST_BYTES + 1 : cap * 2;
			buf = tki_xrealloc(buf, cap);
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			tki_reject_add(r, "packet.json: error: read: %s", strerror(errno));
			free(buf);
			return false;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	*out = buf;
	*outlen = n;
	return true;
}

struct tki_packet *tki_packet_read(struct tki_guard *g, struct tki_reject *r, bool *blocked)
{
	struct tki_guard_err ge;
	struct stat st;
	struct tki_packet *p = NULL;
	*blocked = false;
	tki_autoclose int fd = tki_guard_read_item(g, "packet.json", 11, &st, &ge);
	if (fd < 0 && ge.status == TKI_GUARD_MISSING) {
		tki_reject_add(r, "packet.json: error: no manifest in the input directory. "
				  "Hint: --in must name the packet directory, the one holding packet.json");
	} else if (fd < 0) {
		*blocked = true;
		tki_reject_add(r, "packet.json: BLOCKED: %s", ge.msg);
	} else if ((uintmax_t)st.st_size > TKI_MAX_MANIFEST_BYTES) {
		tki_reject_add(r,
			       "packet.json: error: manifest is %jd bytes, over the limit of %u bytes "
			       "(TKI_MAX_MANIFEST_BYTES)",
			       (intmax_t)st.st_size, TKI_MAX_MANIFEST_BYTES);
	} else {
		tki_autofree char *buf = NULL;
		size_t len = 0;
		if (read_fd(fd, (size_t)st.st_size, &buf, &len, r))
			p = tki_packet_parse(buf, len, r);
	}
	/* Printed here, not by the report writer, so they show even when no
	 * report can be written. Each line is complete and GCC-style. */
	for (size_t i = 0; !p && i < r->errors.n; i++) {
		tki_fput_text(stderr, r->errors.v[i]);
		fputc('\n', stderr);
	}
	if (p)
		for (size_t i = 0; i < p->warnings.n; i++) {
			fputs("packet.json: warning: ", stderr);
			tki_fput_text(stderr, p->warnings.v[i]);
			fputc('\n', stderr);
		}
	return p;
}

const char *tki_status_name(enum tki_status s)
{
	static const char *const n[] = {"PASS", "FAIL", "PARTIAL", "BLOCKED"};
	return (unsigned)s < TKI_ARRAY_LEN(n) ? n[s] : "?";
}

const char *tki_kind_name(enum tki_kind k)
{
	static const char *const n[] = {"command_output", "artifact", "attestation", "prose"};
	return (unsigned)k < TKI_ARRAY_LEN(n) ? n[k] : "?";
}

const char *tki_class_name(enum tki_class c)
{
	static const char *const n[] = {"ADEQUATE",   "CONTRADICTED",     "PROSE_ONLY", "UNCHECKED",
					"UNVERIFIED", "MISSING_EVIDENCE", "TRIAGE_ONLY"};
	return (unsigned)c < TKI_ARRAY_LEN(n) ? n[c] : "?";
}

void tki_packet_seed_hash(void)
{
	uint32_t seed = 0;
	if (getrandom(&seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
		tki_die_errno(TKI_EXIT_BLOCKED, "getrandom");
	json_object_seed(seed ? seed : 1);
}
