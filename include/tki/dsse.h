// SPDX-License-Identifier: Apache-2.0
/* Signed attestations: trusted public keys (--trust-key, read before the
 * sandbox closes), DSSE envelopes (secure-systems-lab/dsse protocol.md,
 * envelope.md) verified offline with nettle, and the in-toto Statement v1
 * around the tki-attestation/v1 bundle (docs/attestation.md, "Signed
 * bundles"). ECDSA P-256 + SHA-256 and Ed25519 only; no OpenSSL. */
#ifndef TKI_DSSE_H
#define TKI_DSSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "tki/attest.h"
#include "tki/common.h"

#define TKI_DSSE_PAYLOAD_TYPE "application/vnd.in-toto+json"
#define TKI_INTOTO_STATEMENT_V1 "https://in-toto.io/Statement/v1"
/* Our predicate: today's tki-attestation/v1 bundle, as is. */
#define TKI_PREDICATE_SANDBOX_V1 "https://tki-inspector.dev/attestation/sandbox/v1"

#define TKI_MAX_TRUST_KEYS 16
#define TKI_MAX_KEY_FILE (64 * 1024)
/* Signatures tried per envelope (Ed25519 rehashes the message per key and
 * signature: keys x signatures bounds the work on a 16 MiB bundle). */
#define TKI_MAX_DSSE_SIGS 4
#define TKI_STR_(x) #x
#define TKI_STR(x) TKI_STR_(x)

enum tki_key_alg { TKI_KEY_ECDSA_P256 = 1, TKI_KEY_ED25519 = 2 };

struct tki_pubkey {
	enum tki_key_alg alg;
	uint8_t pub[65];  /* P-256: 04 || X || Y; Ed25519: the 32 bytes */
	char id[72];      /* "SHA256:" + hex of the SubjectPublicKeyInfo DER */
	char source[128]; /* where it came from ("--trust-key PATH", block n) */
};

struct tki_keyring {
	size_t n;
	struct tki_pubkey k[TKI_MAX_TRUST_KEYS];
};

const char *tki_key_alg_name(enum tki_key_alg a);

/* Pure: one SubjectPublicKeyInfo (DER) -> key (P-256 uncompressed or
 * Ed25519), parsed with nettle's DER iterator. false + err otherwise. */
bool tki_spki_parse(const uint8_t *der, size_t len, struct tki_pubkey *k, char *err, size_t errlen);

/* Pure: an Ed25519 public key nobody can be held to: a point of small
 * order (anyone can sign for it: R = identity, S = 0 verifies under the
 * identity key) or a y >= p (not canonical). Refused when a key is read
 * and again before a verification. */
bool tki_ed25519_key_weak(const uint8_t pub[32]);

/* Pure: every "PUBLIC KEY" PEM block of text into kr. A private key
 * block, no block at all, or an unsupported key is an error (err says
 * which block and why). */
bool tki_keyring_add_pem(struct tki_keyring *kr, const char *text, size_t len, const char *source, char *err,
			 size_t errlen);

/* Read PATH ("-": standard input, once) and add its keys. Called by main
 * before the sandbox is entered; refuses a key that lives under in_dir
 * (the packet author's directory cannot name whom to trust), a file that
 * is not regular, and one larger than TKI_MAX_KEY_FILE. */
bool tki_keyring_load(struct tki_keyring *kr, const char *path, const char *in_dir, char *err, size_t errlen);

/* Pure: standard or URL-safe base64 (either alphabet, padding optional:
 * DSSE requires verifiers to accept both). Whitespace is an error. */
bool tki_b64_decode(const char *s, size_t len, uint8_t **out, size_t *outlen);

/* Pure: PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body.
 * malloc'd, length in *outlen. */
uint8_t *tki_dsse_pae(const char *type, size_t tlen, const uint8_t *body, size_t blen, size_t *outlen);

/* Pure: sig over msg by k. ECDSA: DER (openssl, cosign) or raw r||s (64
 * bytes), SHA-256 of msg; Ed25519: pure, 64 bytes. */
bool tki_sig_verify(const struct tki_pubkey *k, const uint8_t *msg, size_t len, const uint8_t *sig, size_t siglen);

enum tki_sig_state {
	TKI_SIG_NOT_ENVELOPE, /* not a DSSE envelope (a bare bundle) */
	TKI_SIG_MALFORMED,    /* looks like an envelope, does not decode */
	TKI_SIG_UNSIGNED,     /* a well-formed envelope without signatures */
	TKI_SIG_NO_KEYS,      /* signed, but no --trust-key was given */
	TKI_SIG_UNTRUSTED,    /* no signature verifies under a trusted key */
	TKI_SIG_WRONG_TYPE,   /* signed by a trusted key, payloadType not ours */
	TKI_SIG_TRUSTED,      /* a trusted key signed the PAE, payloadType ours */
};

/* A DSSE envelope, opened. payload is set for every state but
 * NOT_ENVELOPE and MALFORMED (shown to the re-judge even when untrusted:
 * it may contradict, never support). */
struct tki_dsse {
	enum tki_sig_state state;
	char *payload_type;
	uint8_t *payload;
	size_t payload_len;
	unsigned n_sigs;
	unsigned trusted_mask; /* bit i: kr->k[i] verified a signature */
	char signer[72];       /* id of the first trusted key that verified */
	char why[512];         /* one sentence for the report */
};

/* Pure: parse (duplicate keys rejected) and verify against kr (may be
 * NULL or empty). Always fills d. */
void tki_dsse_open(const char *buf, size_t len, const struct tki_keyring *kr, struct tki_dsse *d);
void tki_dsse_free(struct tki_dsse *d);
const char *tki_sig_state_name(enum tki_sig_state s);

/* ---- The in-toto Statement v1 around the bundle (src/attest_statement.c) ---- */

/* Pure: in-toto Statement v1 rules (in-toto/attestation spec/v1
 * statement.md, resource_descriptor.md, digest_set.md): _type is
 * TKI_INTOTO_STATEMENT_V1; subject a non-empty array, each element with a
 * non-empty digest set of lowercase hex strings (sha256: 64 of them), name
 * a string if present; predicateType a string (equal to want unless
 * want is NULL); predicate an object if present. */
bool tki_statement_check(const json_t *st, const char *want_predicate_type, char *why, size_t whylen);

/* How a bundle came: its signature, and the Statement around it. */
struct tki_attest_signed {
	enum tki_sig_state sig;
	bool statement;  /* an in-toto Statement v1 with our predicateType, bound to image_digest */
	bool ok;         /* sig TRUSTED and statement: the bundle may count */
	char signer[72]; /* key id when sig is TRUSTED */
	char why[640];   /* why it does not count ("" when ok) */
};

/* The whole judgement of attestation evidence: DSSE envelope (verified
 * against kr) -> Statement -> predicate -> tki_attest_rejudge. A bare
 * bundle or an unsigned, untrusted or unbound one is still re-judged (it
 * may contradict a claim) but v->attested is false, and the first reason
 * says "not signed by a trusted key: sign it in the venue and pass
 * --trust-key" and why. Pure. */
void tki_attest_judge_signed(const char *buf, size_t len, const struct tki_keyring *kr,
			     struct tki_attest_verdict *v, struct tki_attest_signed *s);
/* Into the evidence item's attestation object (report.json):
 * "signature" (state name), "signed_by" (key id or null),
 * "in_toto_statement" (bool), "signature_why" (null when it counts). */
void tki_attest_signed_json(json_t *att, const struct tki_attest_signed *s);

#endif
