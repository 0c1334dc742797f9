// SPDX-License-Identifier: Apache-2.0
/* DSSE (secure-systems-lab/dsse protocol.md, envelope.md): the PAE, the
 * JSON envelope, and signature verification with nettle (ECDSA P-256 +
 * SHA-256, Ed25519). Pure: bytes and keys in, a state and one sentence out.
 * The keyid is an unauthenticated hint: every signature is tried against
 * every trusted key. */
#include <string.h>

#include <jansson.h>
#include <nettle/asn1.h>
#include <nettle/base64.h>
#include <nettle/bignum.h>
#include <nettle/dsa.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>
#include <nettle/eddsa.h>
#include <nettle/sha2.h>

#include "tki/dsse.h"

bool tki_b64_decode(const char *s, size_t len, uint8_t **out, size_t *outlen)
{
	bool std = false, url = false;
	size_t pad = 0;
	*out = NULL;
	*outlen = 0;
	/* Our own check first: nettle skips whitespace, DSSE has none. */
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad)
			return false; /* data after padding */
		if (c == '+' || c == '/')
			std = true;
		else if (c == '-' || c == '_')
			url = true;
		else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			return false;
	}
	if ((std && url) || pad > 2 || (len - pad) % 4 == 1 || (pad && len % 4))
		return false;
	/* Unpadded input (URL-safe usually is) gets its padding back. */
	size_t plen = len + (pad ? 0 : (4 - len % 4) % 4);
	tki_autofree char *p = tki_xmalloc(plen + 1);
	memcpy(p, s, len);
	memset(p + len, '=', plen - len);
	uint8_t *buf = tki_xmalloc(BASE64_DECODE_LENGTH(plen) + 1);
	struct base64_decode_ctx ctx;
	if (url)
		base64url_decode_init(&ctx);
	else
		base64_decode_init(&ctx);
	size_t n = BASE64_DECODE_LENGTH(plen) + 1;
	if (!base64_decode_update(&ctx, &n, buf, plen, p) || !base64_decode_final(&ctx)) {
		free(buf);
		return false;
	}
	*out = buf;
	*outlen = n;
	return true;
}

uint8_t *tki_dsse_pae(const char *type, size_t tlen, const uint8_t *body, size_t blen, size_t *outlen)
{
	char head[64];
	int h = snprintf(head, sizeof(head), "DSSEv1 %zu ", tlen);
	char mid[32];
	int m = snprintf(mid, sizeof(mid), " %zu ", blen);
	size_t n = (size_t)h + tlen + (size_t)m + blen;
	uint8_t *out = tki_xmalloc(n + 1);
	memcpy(out, head, (size_t)h);
	memcpy(out + h, type, tlen);
	memcpy(out + (size_t)h + tlen, mid, (size_t)m);
	if (blen)
		memcpy(out + (size_t)h + tlen + (size_t)m, body, blen);
	*outlen = n;
	return out;
}

/* ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } and nothing else
 * (openssl pkeyutl, cosign). */
static bool ecdsa_sig_der(const uint8_t *sig, size_t len, struct dsa_signature *s)
{
	struct asn1_der_iterator i;
	if (asn1_der_iterator_first(&i, len, sig) != ASN1_ITERATOR_CONSTRUCTED || i.type != ASN1_SEQUENCE)
		return false;
	if (asn1_der_decode_constructed_last(&i) != ASN1_ITERATOR_PRIMITIVE || i.type != ASN1_INTEGER ||
	    !asn1_der_get_bignum(&i, s->r, 256))
		return false;
	if (asn1_der_iterator_next(&i) != ASN1_ITERATOR_PRIMITIVE || i.type != ASN1_INTEGER ||
	    !asn1_der_get_bignum(&i, s->s, 256))
		return false;
	return asn1_der_iterator_next(&i) == ASN1_ITERATOR_END && mpz_sgn(s->r) > 0 && mpz_sgn(s->s) > 0;
}

/* Or the raw 32+32 bytes (DSSE's own example). */
static bool ecdsa_sig_raw(const uint8_t *sig, size_t len, struct dsa_signature *s)
{
	if (len != 64)
		return false;
	nettle_mpz_set_str_256_u(s->r, 32, sig);
	nettle_mpz_set_str_256_u(s->s, 32, sig + 32);
	return true;
}

static void sha256_of(const uint8_t *msg, size_t len, uint8_t d[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, len, msg);
	sha256_digest(&c, SHA256_DIGEST_SIZE, d);
}

/* d: SHA-256 of the message, computed once per envelope by the caller. */
static bool ecdsa_p256_verify(const uint8_t pub[65], const uint8_t d[SHA256_DIGEST_SIZE], const uint8_t *sig,
			      size_t siglen)
{
	struct ecc_point p;
	struct dsa_signature s;
	mpz_t x, y;
	ecc_point_init(&p, nettle_get_secp_256r1());
	dsa_signature_init(&s);
	nettle_mpz_init_set_str_256_u(x, 32, pub + 1);
	nettle_mpz_init_set_str_256_u(y, 32, pub + 33);
	/* Both forms are tried: a raw r||s whose r begins with 0x30 looks like
	 * a DER SEQUENCE (one valid signature in 256). Either is the same (r, s). */
	bool ok = ecc_point_set(&p, x, y) &&
		  ((ecdsa_sig_der(sig, siglen, &s) && ecdsa_verify(&p, SHA256_DIGEST_SIZE, d, &s) == 1) ||
		   (ecdsa_sig_raw(sig, siglen, &s) && ecdsa_verify(&p, SHA256_DIGEST_SIZE, d, &s) == 1));
	mpz_clear(x);
	mpz_clear(y);
	dsa_signature_clear(&s);
	ecc_point_clear(&p);
	return ok;
}

bool tki_ed25519_key_weak(const uint8_t pub[32])
{
	/* The y coordinates (little-endian, sign bit of x masked) of the eight
	 * points of order 1, 2, 4 and 8 (tests/unit/test_dsse.c lists them). */
	static const uint8_t small[][32] = {
		{0},
		{1},
		{0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
		 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
		{0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
		 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
		{0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
	};
	uint8_t y[32];
	memcpy(y, pub, 32);
	y[31] &= 0x7f;
	for (size_t i = 0; i < TKI_ARRAY_LEN(small); i++)
		if (!memcmp(y, small[i], 32))
			return true;
	/* y >= p = 2^255 - 19: ed ff .. ff 7f and above. */
	if (y[31] != 0x7f || y[0] < 0xed)
		return false;
	for (size_t i = 1; i < 31; i++)
		if (y[i] != 0xff)
			return false;
	return true;
}

/* A message and, for ECDSA, its SHA-256, hashed once however many keys
 * and signatures are tried (a bundle may be 16 MiB). Ed25519 hashes the
 * message itself, per key: hence the caps on keys and signatures. */
struct msg {
	const uint8_t *p;
	size_t n;
	uint8_t sha256[SHA256_DIGEST_SIZE];
};

static void msg_init(struct msg *m, const uint8_t *p, size_t n)
{
	m->p = p;
	m->n = n;
	sha256_of(p, n, m->sha256);
}

static bool verify_msg(const struct tki_pubkey *k, const struct msg *m, const uint8_t *sig, size_t siglen)
{
	switch (k->alg) {
	case TKI_KEY_ECDSA_P256:
		return ecdsa_p256_verify(k->pub, m->sha256, sig, siglen);
	case TKI_KEY_ED25519:
		return siglen == ED25519_SIGNATURE_SIZE && !tki_ed25519_key_weak(k->pub) &&
		       ed25519_sha512_verify(k->pub, m->n, m->p, sig) == 1;
	}
	return false;
}

bool tki_sig_verify(const struct tki_pubkey *k, const uint8_t *msg, size_t len, const uint8_t *sig, size_t siglen)
{
	struct msg m;
	msg_init(&m, msg, len);
	return verify_msg(k, &m, sig, siglen);
}

const char *tki_sig_state_name(enum tki_sig_state s)
{
	switch (s) {
	case TKI_SIG_NOT_ENVELOPE: return "NOT_ENVELOPE";
	case TKI_SIG_MALFORMED: return "MALFORMED";
	case TKI_SIG_UNSIGNED: return "UNSIGNED";
	case TKI_SIG_NO_KEYS: return "NO_TRUST_KEY";
	case TKI_SIG_UNTRUSTED: return "UNTRUSTED";
	case TKI_SIG_WRONG_TYPE: return "WRONG_PAYLOAD_TYPE";
	case TKI_SIG_TRUSTED: return "TRUSTED";
	}
	return "UNKNOWN";
}

/* Bitmask of the keys under which sig verifies over m. */
static unsigned verifies(const struct tki_keyring *kr, const struct msg *m, const uint8_t *sig, size_t siglen)
{
	unsigned mask = 0;
	for (size_t j = 0; kr && j < kr->n; j++)
		if (verify_msg(&kr->k[j], m, sig, siglen))
			mask |= 1u << j;
	return mask;
}

/* Why no signature verified, beyond "none did": the two mistakes a signer
 * makes (signing the payload, not its PAE; changing payloadType after
 * signing) are told apart by trying them. */
static void diagnose(const struct tki_keyring *kr, const struct tki_dsse *d, const uint8_t *sig, size_t siglen,
		     char *hint, size_t hintlen)
{
	struct msg raw;
	msg_init(&raw, d->payload, d->payload_len);
	if (verifies(kr, &raw, sig, siglen)) {
		snprintf(hint, hintlen, "; a signature verifies over the raw payload instead of the DSSE PAE "
					"(sign PAE(payloadType, payload), e.g. scripts/attest-sign)");
		return;
	}
	if (strcmp(d->payload_type, TKI_DSSE_PAYLOAD_TYPE) != 0) {
		size_t n;
		tki_autofree uint8_t *pae = tki_dsse_pae(TKI_DSSE_PAYLOAD_TYPE, strlen(TKI_DSSE_PAYLOAD_TYPE),
							 d->payload, d->payload_len, &n);
		struct msg alt;
		msg_init(&alt, pae, n);
		if (verifies(kr, &alt, sig, siglen))
			snprintf(hint, hintlen, "; it was signed with payloadType " TKI_DSSE_PAYLOAD_TYPE
						" and the envelope's payloadType was changed since");
	}
}

static void verify_all(const json_t *sigs, const struct tki_keyring *kr, struct tki_dsse *d)
{
	size_t pae_len, i;
	tki_autofree uint8_t *pae =
		tki_dsse_pae(d->payload_type, strlen(d->payload_type), d->payload, d->payload_len, &pae_len);
	struct msg m;
	msg_init(&m, pae, pae_len);
	char hint[200] = "";
	unsigned undecodable = 0;
	bool diagnosed = false; /* once: it costs verifications too */
	const json_t *s;
	json_array_foreach(sigs, i, s) {
		if (i >= TKI_MAX_DSSE_SIGS)
			break;
		const json_t *sv = json_object_get(s, "sig");
		tki_autofree uint8_t *sig = NULL;
		size_t siglen = 0;
		if (!json_is_string(sv) ||
		    !tki_b64_decode(json_string_value(sv), json_string_length(sv), &sig, &siglen)) {
			undecodable++;
			continue;
		}
		unsigned ok = verifies(kr, &m, sig, siglen);
		if (ok && !d->trusted_mask)
			snprintf(d->signer, sizeof(d->signer), "%s", kr->k[__builtin_ctz(ok)].id);
		d->trusted_mask |= ok;
		if (!ok && !diagnosed) {
			diagnosed = true;
			diagnose(kr, d, sig, siglen, hint, sizeof(hint));
		}
	}
	if (d->trusted_mask && strcmp(d->payload_type, TKI_DSSE_PAYLOAD_TYPE) != 0) {
		d->state = TKI_SIG_WRONG_TYPE;
		snprintf(d->why, sizeof(d->why),
			 "signed by trusted key %s, but payloadType is \"%.80s\", not " TKI_DSSE_PAYLOAD_TYPE, d->signer,
			 d->payload_type);
	} else if (d->trusted_mask) {
		d->state = TKI_SIG_TRUSTED;
		snprintf(d->why, sizeof(d->why), "signed by trusted key %s", d->signer);
	} else {
		d->state = TKI_SIG_UNTRUSTED;
		snprintf(d->why, sizeof(d->why),
			 "none of the %u signature(s)%s verifies under the %zu trusted key(s)%s%s (a flipped byte, "
			 "another key, or a signature not over the DSSE PAE)",
			 d->n_sigs, d->n_sigs > TKI_MAX_DSSE_SIGS ? " (the first " TKI_STR(TKI_MAX_DSSE_SIGS) " tried)" : "",
			 kr->n, undecodable ? "; some are not base64" : "", hint);
	}
}

void tki_dsse_open(const char *buf, size_t len, const struct tki_keyring *kr, struct tki_dsse *d)
{
	memset(d, 0, sizeof(*d));
	d->state = TKI_SIG_NOT_ENVELOPE;
	if (!buf || memchr(buf, '\0', len))
		return;
	json_error_t jerr;
	json_t *e = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(e) || (!json_object_get(e, "payload") && !json_object_get(e, "payloadType") &&
				   !json_object_get(e, "signatures"))) {
		json_decref(e);
		return; /* a bare bundle or Statement: the caller says it is unsigned */
	}
	const json_t *pl = json_object_get(e, "payload"), *pt = json_object_get(e, "payloadType"),
		     *sigs = json_object_get(e, "signatures");
	d->state = TKI_SIG_MALFORMED;
	if (!json_is_string(pl) || !json_is_string(pt) || !json_is_array(sigs)) {
		snprintf(d->why, sizeof(d->why), "DSSE envelope: payload, payloadType (strings) and signatures (array) "
						 "are required");
	} else if (strlen(json_string_value(pt)) != json_string_length(pt)) {
		snprintf(d->why, sizeof(d->why), "DSSE envelope: payloadType contains a NUL");
	} else if (!tki_b64_decode(json_string_value(pl), json_string_length(pl), &d->payload, &d->payload_len)) {
		snprintf(d->why, sizeof(d->why), "DSSE envelope: payload is not base64 (standard or URL-safe)");
	} else {
		d->payload_type = tki_xstrdup(json_string_value(pt));
		d->n_sigs = (unsigned)json_array_size(sigs);
		if (d->n_sigs == 0) {
			d->state = TKI_SIG_UNSIGNED;
			snprintf(d->why, sizeof(d->why), "the DSSE envelope has no signature");
		} else if (!kr || kr->n == 0) {
			d->state = TKI_SIG_NO_KEYS;
			snprintf(d->why, sizeof(d->why), "the envelope has %u signature(s) but no --trust-key was given",
				 d->n_sigs);
		} else {
			verify_all(sigs, kr, d);
		}
	}
	json_decref(e);
}

void tki_dsse_free(struct tki_dsse *d)
{
	free(d->payload);
	free(d->payload_type);
	d->payload = NULL;
	d->payload_type = NULL;
}
