// SPDX-License-Identifier: Apache-2.0
/* Unit tests: DSSE PAE and verification on the DSSE project's own test
 * vectors (secure-systems-lab/dsse testvectors/vectors.json, Ed25519 keys
 * A and B; protocol.md's ECDSA P-256 example), PEM/SPKI parsing, ECDSA DER
 * signatures made by `openssl pkeyutl`, the in-toto Statement rules, and
 * the signed-bundle gate on a real fixture bundle (signed here with
 * nettle and vector key A's seed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <nettle/bignum.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>
#include <nettle/eddsa.h>
#include <nettle/sha2.h>

#include "tki/dsse.h"

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = strlen(h) / 2;
	assert_true(n <= cap);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

/* vectors.json keys A and B (RFC 8032 test keys 1 and 2). */
static const char *SEED_A = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char *PUB_A = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
static const char *PUB_B = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";

static void ed_key(struct tki_pubkey *k, const char *hex, const char *id)
{
	memset(k, 0, sizeof(*k));
	k->alg = TKI_KEY_ED25519;
	unhex(hex, k->pub, 32);
	snprintf(k->id, sizeof(k->id), "%s", id);
}

static void ring_ab(struct tki_keyring *kr)
{
	memset(kr, 0, sizeof(*kr));
	ed_key(&kr->k[0], PUB_A, "A");
	ed_key(&kr->k[1], PUB_B, "B");
	kr->n = 2;
}

#define STMT_B64 "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ=="
#define SIG_A "2WAfaHm5jluo0w+0rk8uVkluELJYWjSmU9x7EUzx+AyteDGJ4/nqyJXfmAUVFIAoQafWm7AxBZNw5M9ixNHiCA=="
#define SIG_B "c1+67/aT0yqEpwx8PsVY3MLHsj9D0CZ014/Fv/QlG59P+9CobUZ7xECJ/V3USG0Ob9CiE5LjReEZUzNF2l7eBw=="
#define ENV(payload, type, sigs) "{\"payload\":\"" payload "\",\"payloadType\":\"" type "\",\"signatures\":[" sigs "]}"
#define SIG(s, k) "{\"sig\":\"" s "\",\"keyid\":\"" k "\"}"

static void open_env(const char *env, const struct tki_keyring *kr, struct tki_dsse *d)
{
	tki_dsse_open(env, strlen(env), kr, d);
}

static void test_vector_pae(void **s)
{
	(void)s;
	static const struct {
		const char *type, *payload_b64, *pae_hex;
	} v[] = {
		{"application/vnd.in-toto+json", STMT_B64,
		 "445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203433207b225f7479706522"
		 "3a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d"},
		{"application/vnd.in-toto+json", "-_-_Pj8=",
		 "445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203520fbffbf3e3f"},
		{"application/vnd.ex\xc3\xa4mple+json", STMT_B64,
		 "445353457631203239206170706c69636174696f6e2f766e642e6578c3a46d706c652b6a736f6e203433207b225f747970"
		 "65223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d"},
		{"application/vnd.in-toto+json", "",
		 "445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203020"},
		{"", STMT_B64,
		 "445353457631203020203433207b225f74797065223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e"
		 "742f7631227d"},
	};
	for (size_t i = 0; i < TKI_ARRAY_LEN(v); i++) {
		uint8_t *body, want[256];
		size_t blen, n, wl = unhex(v[i].pae_hex, want, sizeof(want));
		assert_true(tki_b64_decode(v[i].payload_b64, strlen(v[i].payload_b64), &body, &blen));
		uint8_t *pae = tki_dsse_pae(v[i].type, strlen(v[i].type), body, blen, &n);
		assert_int_equal(n, wl);
		assert_memory_equal(pae, want, n);
		free(pae);
		free(body);
	}
}

static void test_vector_accept_reject(void **s)
{
	(void)s;
	struct tki_keyring kr;
	struct tki_dsse d;
	ring_ab(&kr);

	/* single-signature: accept */
	open_env(ENV(STMT_B64, TKI_DSSE_PAYLOAD_TYPE, SIG(SIG_A, "A")), &kr, &d);
	assert_int_equal(d.state, TKI_SIG_TRUSTED);
	assert_int_equal(d.trusted_mask, 1);
	assert_string_equal(d.signer, "A");
	tki_dsse_free(&d);

	/* url-safe-base64: accept */
	open_env(ENV("-_-_Pj8=", TKI_DSSE_PAYLOAD_TYPE,
		     SIG("P-_KHICeR7tI6S_YyejJTRtrXhcQyQ2LYPaL8h90KjC9qN8HU_svOQ6TuDOT1HIrsGW886DbWNWcCmX5twLrAw==", "A")),
		 &kr, &d);
	assert_int_equal(d.state, TKI_SIG_TRUSTED);
	assert_int_equal(d.payload_len, 5);
	tki_dsse_free(&d);

	/* payload-type-swapped: reject, and the reason says how */
	open_env(ENV(STMT_B64, "application/vnd.example.other+json", SIG(SIG_A, "A")), &kr, &d);
	assert_int_equal(d.state, TKI_SIG_UNTRUSTED);
	assert_non_null(strstr(d.why, "payloadType was changed"));
	tki_dsse_free(&d);

	/* non-ascii-payload-type: the signature verifies (LEN counts bytes);
	 * the type is not ours, so it does not count here */
	open_env(ENV(STMT_B64, "application/vnd.ex\xc3\xa4mple+json",
		     SIG("xmSk/ug66ysT7ayhkCIjhAq42zgZXSsEWuzUaNL7w2eGAdF/NU6/fRXPtmfN+5DNSAs5/i2lUnHjbbjPsu0tAw==", "A")),
		 &kr, &d);
	assert_int_equal(d.trusted_mask, 1);
	assert_int_equal(d.state, TKI_SIG_WRONG_TYPE);
	tki_dsse_free(&d);

	/* empty-payload: accept */
	open_env(ENV("", TKI_DSSE_PAYLOAD_TYPE,
		     SIG("gSggCAaTLTYyRH6FIDBem6meyIynsYy8RTHVzwx9tnTb7Bg/1jMWnuVgI/gffqmbsC2VX5/jHfkkDqsj7CDbDg==", "A")),
		 &kr, &d);
	assert_int_equal(d.state, TKI_SIG_TRUSTED);
	assert_int_equal(d.payload_len, 0);
	tki_dsse_free(&d);

	/* empty-payload-type: verifies, but no verifier supports "" */
	open_env(ENV(STMT_B64, "",
		     SIG("iC3q/+3Rm0+lpAJRueDmDh15PnwCfxKmS0NAfKsbv+zgulXQC/WM9trc+j1XEqlwDIg/vf/uNfebeD6sxInrDg==", "A")),
		 &kr, &d);
	assert_int_equal(d.state, TKI_SIG_WRONG_TYPE);
	tki_dsse_free(&d);

	/* threshold vectors: unique keys that verified */
	open_env(ENV(STMT_B64, TKI_DSSE_PAYLOAD_TYPE, SIG(SIG_A, "A") "," SIG(SIG_B, "B")), &kr, &d);
	assert_int_equal(__builtin_popcount(d.trusted_mask), 2);
	tki_dsse_free(&d);
	open_env(ENV(STMT_B64, TKI_DSSE_PAYLOAD_TYPE, SIG(SIG_A, "A") "," SIG(SIG_A, "A")), &kr, &d);
	assert_int_equal(__builtin_popcount(d.trusted_mask), 1);
	tki_dsse_free(&d);
	open_env(ENV(STMT_B64, TKI_DSSE_PAYLOAD_TYPE, "{\"sig\":\"" SIG_A "\"},{\"sig\":\"" SIG_B "\"}"), &kr, &d);
	assert_int_equal(__builtin_popcount(d.trusted_mask), 2);
	tki_dsse_free(&d);

	/* the keyid is a hint: a lying keyid changes nothing */
	open_env(ENV(STMT_B64, TKI_DSSE_PAYLOAD_TYPE, SIG(SIG_A, "B")), &kr, &d);
	assert_int_equal(d.trusted_mask, 1);
	tki_dsse_free(&d);
}

static void test_untrusted_and_malformed(void **s)
{
	(void)s;
	struct tki_keyring kr, only_b;
	struct tki_dsse d;
	ring_ab(&kr);
	only_b = kr;
	only_b.k[0] = kr.k[1];
	only_b.n = 1;

	/* signed by A, only B trusted: wrong key */
	open_env(ENV(STMT_B64, TKI_DSSE_PAYLOAD_TYPE, SIG(SIG_A, "A")), &only_b, &d);
	assert_int_equal(d.state, TKI_SIG_UNTRUSTED);
	tki_dsse_free(&d);
	/* no keys at all */
	open_env(ENV(STMT_B64, TKI_DSSE_PAYLOAD_TYPE, SIG(SIG_A, "A")), NULL, &d);
	assert_int_equal(d.state, TKI_SIG_NO_KEYS);
	assert_non_null(strstr(d.why, "--trust-key"));
	tki_dsse_free(&d);
	/* a flipped payload byte (the last base64 char before padding) */
	open_env(ENV("eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifR==", TKI_DSSE_PAYLOAD_TYPE,
		     SIG(SIG_A, "A")),
		 &kr, &d);
	assert_int_not_equal(d.state, TKI_SIG_TRUSTED);
	tki_dsse_free(&d);
	/* Only the first TKI_MAX_DSSE_SIGS signatures are tried (work bound). */
	open_env(ENV(STMT_B64, TKI_DSSE_PAYLOAD_TYPE,
		     SIG(SIG_A, "x") "," SIG(SIG_A, "x") "," SIG(SIG_A, "x") "," SIG(SIG_A, "x") "," SIG(SIG_B, "B")),
		 &only_b, &d);
	assert_int_equal(d.state, TKI_SIG_UNTRUSTED);
	assert_non_null(strstr(d.why, "the first 4 tried"));
	tki_dsse_free(&d);
	/* 10,000 signatures: counted, 4 tried (the one that would verify is last). */
	{
		size_t cap = 10001 * 120, o = 0;
		char *big = tki_xmalloc(cap);
		o += (size_t)snprintf(big + o, cap - o, "{\"payload\":\"%s\",\"payloadType\":\"%s\",\"signatures\":[",
				      STMT_B64, TKI_DSSE_PAYLOAD_TYPE);
		for (int i = 0; i < 9999; i++)
			o += (size_t)snprintf(big + o, cap - o, "{\"sig\":\"%s\"},", SIG_B);
		o += (size_t)snprintf(big + o, cap - o, "{\"sig\":\"%s\"}]}", SIG_A);
		tki_dsse_open(big, o, &kr, &d);
		assert_int_equal(d.n_sigs, 10000);
		assert_int_equal(d.state, TKI_SIG_TRUSTED); /* B signed too, and B is trusted */
		tki_dsse_free(&d);
		tki_dsse_open(big, o, &only_b, &d);
		assert_int_equal(d.state, TKI_SIG_TRUSTED);
		tki_dsse_free(&d);
		struct tki_keyring only_a = kr;
		only_a.n = 1;
		tki_dsse_open(big, o, &only_a, &d);
		assert_int_equal(d.state, TKI_SIG_UNTRUSTED);
		assert_non_null(strstr(d.why, "none of the 10000 signature(s) (the first 4 tried)"));
		tki_dsse_free(&d);
		free(big);
	}
	/* no signatures */
	open_env(ENV(STMT_B64, TKI_DSSE_PAYLOAD_TYPE, ""), &kr, &d);
	assert_int_equal(d.state, TKI_SIG_UNSIGNED);
	tki_dsse_free(&d);
	/* not base64; missing fields; duplicate keys */
	open_env(ENV("***", TKI_DSSE_PAYLOAD_TYPE, SIG(SIG_A, "A")), &kr, &d);
	assert_int_equal(d.state, TKI_SIG_MALFORMED);
	tki_dsse_free(&d);
	open_env("{\"payload\":\"\"}", &kr, &d);
	assert_int_equal(d.state, TKI_SIG_MALFORMED);
	tki_dsse_free(&d);
	open_env("{\"payload\":\"\",\"payload\":\"\",\"payloadType\":\"x\",\"signatures\":[]}", &kr, &d);
	assert_int_equal(d.state, TKI_SIG_NOT_ENVELOPE);
	tki_dsse_free(&d);
	/* a bare bundle is no envelope */
	open_env("{\"schema\":\"tki-attestation/v1\",\"probes\":[]}", &kr, &d);
	assert_int_equal(d.state, TKI_SIG_NOT_ENVELOPE);
	tki_dsse_free(&d);
}

static void test_b64(void **s)
{
	(void)s;
	uint8_t *o;
	size_t n;
	assert_true(tki_b64_decode("aGk=", 4, &o, &n));
	assert_int_equal(n, 2);
	free(o);
	assert_true(tki_b64_decode("aGk", 3, &o, &n)); /* unpadded */
	assert_int_equal(n, 2);
	free(o);
	assert_false(tki_b64_decode("aG k=", 5, &o, &n)); /* whitespace */
	assert_false(tki_b64_decode("a+-b", 4, &o, &n));  /* mixed alphabets */
	assert_false(tki_b64_decode("aGk=aGk=", 8, &o, &n));
	assert_false(tki_b64_decode("a", 1, &o, &n));
	assert_false(tki_b64_decode("aGk==", 5, &o, &n));
	/* Non-canonical trailing bits (another string for the same bytes),
	 * padded or not, in either alphabet: refused, so the bytes verified
	 * have one spelling per alphabet and padding. */
	static const char *const noncanon[] = {"QR", "QR==", "QUJ", "QUJ=", "-_9", "Q===", "QQ=", "QUI\n"};
	for (size_t i = 0; i < TKI_ARRAY_LEN(noncanon); i++)
		if (tki_b64_decode(noncanon[i], strlen(noncanon[i]), &o, &n))
			fail_msg("%s accepted", noncanon[i]);
	assert_true(tki_b64_decode("-_8", 3, &o, &n));
	assert_int_equal(n, 2);
	assert_int_equal(o[0], 0xfb);
	free(o);
}

/* protocol.md's example: ECDSA P-256, raw r||s, PAE of "hello world". */
static void test_protocol_ecdsa_example(void **s)
{
	(void)s;
	struct tki_pubkey k = {.alg = TKI_KEY_ECDSA_P256};
	mpz_t x, y;
	mpz_init_set_str(x, "46950820868899156662930047687818585632848591499744589407958293238635476079160", 10);
	mpz_init_set_str(y, "5640078356564379163099075877009565129882514886557779369047442380624545832820", 10);
	k.pub[0] = 4;
	nettle_mpz_get_str_256(32, k.pub + 1, x);
	nettle_mpz_get_str_256(32, k.pub + 33, y);
	mpz_clear(x);
	mpz_clear(y);
	const char *t = "http://example.com/HelloWorld";
	size_t n, sl;
	uint8_t *pae = tki_dsse_pae(t, strlen(t), (const uint8_t *)"hello world", 11, &n);
	assert_int_equal(n, strlen("DSSEv1 29 http://example.com/HelloWorld 11 hello world"));
	assert_memory_equal(pae, "DSSEv1 29 http://example.com/HelloWorld 11 hello world", n);
	uint8_t *sig;
	const char *b = "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==";
	assert_true(tki_b64_decode(b, strlen(b), &sig, &sl));
	assert_true(tki_sig_verify(&k, pae, n, sig, sl));
	pae[n - 1] ^= 1;
	assert_false(tki_sig_verify(&k, pae, n, sig, sl));
	free(sig);
	free(pae);
}

/* A deterministic "random" source for nettle's ECDSA signer (tests only). */
static void counter_random(void *ctx, size_t n, uint8_t *dst)
{
	unsigned *c = ctx;
	for (size_t i = 0; i < n; i++)
		dst[i] = (uint8_t)(++*c * 2654435761u >> 24);
}

/* A raw r||s signature (DSSE's own ECDSA example is one) whose r begins
 * with 0x30 looks like the start of a DER SEQUENCE: one valid signature
 * in 256 was refused. Found by signing until r[0] is 0x30. */
static void test_ecdsa_raw_sig_starting_0x30(void **s)
{
	(void)s;
	const struct ecc_curve *c = nettle_get_secp_256r1();
	struct ecc_scalar key;
	struct ecc_point pub;
	mpz_t z, x, y;
	ecc_scalar_init(&key, c);
	ecc_point_init(&pub, c);
	mpz_init_set_ui(z, 123456789);
	assert_true(ecc_scalar_set(&key, z));
	ecc_point_mul_g(&pub, &key);
	mpz_inits(x, y, NULL);
	ecc_point_get(&pub, x, y);
	struct tki_pubkey k = {.alg = TKI_KEY_ECDSA_P256};
	k.pub[0] = 4;
	nettle_mpz_get_str_256(32, k.pub + 1, x);
	nettle_mpz_get_str_256(32, k.pub + 33, y);
	unsigned ctr = 0, tries = 0;
	uint8_t raw[64], d[32], msg[4] = {0};
	struct dsa_signature sig;
	dsa_signature_init(&sig);
	do {
		memcpy(msg, &tries, sizeof(tries));
		struct sha256_ctx h;
		sha256_init(&h);
		sha256_update(&h, sizeof(msg), msg);
		sha256_digest(&h, sizeof(d), d);
		ecdsa_sign(&key, &ctr, counter_random, sizeof(d), d, &sig);
		nettle_mpz_get_str_256(32, raw, sig.r);
		nettle_mpz_get_str_256(32, raw + 32, sig.s);
	} while (raw[0] != 0x30 && ++tries < 100000);
	assert_int_equal(raw[0], 0x30);
	assert_true(tki_sig_verify(&k, msg, sizeof(msg), raw, sizeof(raw)));
	raw[63] ^= 1;
	assert_false(tki_sig_verify(&k, msg, sizeof(msg), raw, sizeof(raw)));
	raw[63] ^= 1;

	/* Out of range: r or s = 0, s + n (same residue, >= n): refused by
	 * nettle's range check. (r, n - s) is valid ECDSA (malleable): it
	 * verifies, and nothing keys on the signature bytes (trusted_mask
	 * counts keys), so it changes no decision. */
	mpz_t n, t;
	mpz_init(t);
	mpz_init_set_str(n, "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
	uint8_t bad[64];
	memcpy(bad, raw, 64);
	memset(bad, 0, 32);
	assert_false(tki_sig_verify(&k, msg, sizeof(msg), bad, sizeof(bad)));
	memcpy(bad, raw, 64);
	memset(bad + 32, 0, 32);
	assert_false(tki_sig_verify(&k, msg, sizeof(msg), bad, sizeof(bad)));
	mpz_add(t, sig.s, n);
	if (mpz_sizeinbase(t, 2) <= 256) {
		memcpy(bad, raw, 32);
		nettle_mpz_get_str_256(32, bad + 32, t);
		assert_false(tki_sig_verify(&k, msg, sizeof(msg), bad, sizeof(bad)));
	}
	mpz_sub(t, n, sig.s);
	memcpy(bad, raw, 32);
	nettle_mpz_get_str_256(32, bad + 32, t);
	assert_true(tki_sig_verify(&k, msg, sizeof(msg), bad, sizeof(bad)));
	mpz_clears(n, t, NULL);
	dsa_signature_clear(&sig);
	mpz_clears(z, x, y, NULL);
	ecc_point_clear(&pub);
	ecc_scalar_clear(&key);
}

/* Made with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256;
 * printf hello | openssl pkeyutl -sign -rawin -digest sha256 (DER). */
static const char EC_PEM[] = "-----BEGIN PUBLIC KEY-----\n"
			     "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEABkz0MDst1WDaEGOlFBzVigwQdBk\n"
			     "PFJJtHFeWgbJMN/X0hRs6dcxrpDT6hlUx/AzOc6qTpIBjRgLcENJwAknFA==\n"
			     "-----END PUBLIC KEY-----\n";
static const char EC_SIG_HELLO[] =
	"MEUCIBlCNT59mMUifCltNtAJgPGSpmFSkFeB5ShvCpbshgnsAiEA9Qf37eFXHxeY4AlHH+p3otemnlwAi5/MIKxJ+e2aAh0=";
static const char ED_PEM[] = "-----BEGIN PUBLIC KEY-----\n"
			     "MCowBQYDK2VwAyEAmpjJDooMVqdfwQvfFH/68YrNk7XnMhnuR6RIPoVRuqc=\n"
			     "-----END PUBLIC KEY-----\n";

static void test_pem_keys(void **s)
{
	(void)s;
	struct tki_keyring kr = {0};
	char err[300];
	assert_true(tki_keyring_add_pem(&kr, EC_PEM, strlen(EC_PEM), "ec", err, sizeof(err)));
	assert_true(tki_keyring_add_pem(&kr, ED_PEM, strlen(ED_PEM), "ed", err, sizeof(err)));
	assert_int_equal(kr.n, 2);
	assert_int_equal(kr.k[0].alg, TKI_KEY_ECDSA_P256);
	assert_int_equal(kr.k[1].alg, TKI_KEY_ED25519);
	assert_string_equal(kr.k[1].id, "SHA256:9be6adfb1e7b09a78b94e28b9492d3e1182cc7f149ae9f1c91ec5983f25ac00c");

	uint8_t *sig;
	size_t sl;
	assert_true(tki_b64_decode(EC_SIG_HELLO, strlen(EC_SIG_HELLO), &sig, &sl));
	assert_true(tki_sig_verify(&kr.k[0], (const uint8_t *)"hello", 5, sig, sl));
	assert_false(tki_sig_verify(&kr.k[0], (const uint8_t *)"hellp", 5, sig, sl));
	assert_false(tki_sig_verify(&kr.k[1], (const uint8_t *)"hello", 5, sig, sl)); /* wrong key */
	sig[sl - 1] ^= 1;
	assert_false(tki_sig_verify(&kr.k[0], (const uint8_t *)"hello", 5, sig, sl));
	/* DER with bytes after the SEQUENCE */
	uint8_t longer[80];
	sig[sl - 1] ^= 1;
	memcpy(longer, sig, sl);
	longer[sl] = 0;
	assert_false(tki_sig_verify(&kr.k[0], (const uint8_t *)"hello", 5, longer, sl + 1));
	/* Non-DER BER: r with a needless leading zero; a long-form length. */
	uint8_t ber[80];
	size_t bn = 0;
	ber[bn++] = 0x30, ber[bn++] = (uint8_t)(sig[1] + 1), ber[bn++] = 2, ber[bn++] = 0x21, ber[bn++] = 0;
	memcpy(ber + bn, sig + 4, sl - 4);
	bn += sl - 4;
	assert_false(tki_sig_verify(&kr.k[0], (const uint8_t *)"hello", 5, ber, bn));
	bn = 0;
	ber[bn++] = 0x30, ber[bn++] = 0x81, ber[bn++] = sig[1];
	memcpy(ber + bn, sig + 2, sl - 2);
	bn += sl - 2;
	assert_false(tki_sig_verify(&kr.k[0], (const uint8_t *)"hello", 5, ber, bn));
	free(sig);

	static const char priv[] = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
	assert_false(tki_keyring_add_pem(&kr, priv, strlen(priv), "priv", err, sizeof(err)));
	assert_non_null(strstr(err, "-pubout"));
	assert_false(tki_keyring_add_pem(&kr, "hello", 5, "junk", err, sizeof(err)));
	assert_non_null(strstr(err, "no -----BEGIN PUBLIC KEY"));
	static const char cert[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
	assert_false(tki_keyring_add_pem(&kr, cert, strlen(cert), "cert", err, sizeof(err)));
	static const char trunc[] = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAmpjJ\n";
	assert_false(tki_keyring_add_pem(&kr, trunc, strlen(trunc), "trunc", err, sizeof(err)));
	assert_int_equal(kr.n, 2);
}

/* A key file is PUBLIC KEY blocks and blank lines, nothing else: a file
 * that merely contains a block (a log, a report echoing an author's text,
 * a note with a key pasted in) is not a key file, and PEM is standard
 * base64 only. */
static void test_pem_strict(void **s)
{
	(void)s;
	static const char B[] = "-----BEGIN PUBLIC KEY-----\n";
	static const char BODY[] = "MCowBQYDK2VwAyEAmpjJDooMVqdfwQvfFH/68YrNk7XnMhnuR6RIPoVRuqc=\n";
	static const char E[] = "-----END PUBLIC KEY-----\n";
	static const struct {
		const char *pre, *body, *post, *why;
	} bad[] = {
		{"report: the author wrote\n", BODY, "", "line 1"},
		{"", BODY, "trailing words\n", "line 4"},
		{"", "MCowBQYDK2VwAyEAmpjJDooMVqdfwQvfFH/68YrNk7XnMhnuR6RIPoVRuqc= junk\n", "", "line 2"},
		/* URL-safe alphabet inside PEM (the same key, '/' -> '_') */
		{"", "MCowBQYDK2VwAyEAmpjJDooMVqdfwQvfFH_68YrNk7XnMhnuR6RIPoVRuqc=\n", "", "line 2"},
		/* a BEGIN line inside the block */
		{"", "-----BEGIN PRIVATE KEY-----\nMCowBQYDK2VwAyEAmpjJDooMVqdfwQvfFH/68YrNk7XnMhnuR6RIPoVRuqc=\n", "", "line 2"},
		/* a short label is still a label, and refused as one */
		{"-----BEGIN X-----\n", BODY, "", "\"X\", not a PUBLIC KEY"},
		/* the label line with more after it */
		{"-----BEGIN PUBLIC KEY-----x\n", BODY, "", "line 1"},
	};
	char err[300], text[600];
	for (size_t i = 0; i < TKI_ARRAY_LEN(bad); i++) {
		struct tki_keyring kr = {0};
		if (i >= 5)
			snprintf(text, sizeof(text), "%s%s%s%s", bad[i].pre, bad[i].body, E, bad[i].post);
		else
			snprintf(text, sizeof(text), "%s%s%s%s%s", bad[i].pre, B, bad[i].body, E, bad[i].post);
		if (tki_keyring_add_pem(&kr, text, strlen(text), "k", err, sizeof(err)))
			fail_msg("case %zu accepted", i);
		if (!strstr(err, bad[i].why))
			fail_msg("case %zu: \"%s\" does not name %s", i, err, bad[i].why);
		assert_int_equal(kr.n, 0);
	}
	/* Still fine: CRLF, blank lines, two blocks, 64-column lines. */
	struct tki_keyring kr = {0};
	snprintf(text, sizeof(text), "\r\n-----BEGIN PUBLIC KEY-----\r\n%.60s\r\n-----END PUBLIC KEY-----\r\n\n%s%s%s", BODY, B,
		 BODY, E);
	assert_true(tki_keyring_add_pem(&kr, text, strlen(text), "k", err, sizeof(err)));
	/* the same key twice is one key (no double work, no double count) */
	assert_int_equal(kr.n, 1);
	assert_true(tki_keyring_add_pem(&kr, ED_PEM, strlen(ED_PEM), "again", err, sizeof(err)));
	assert_int_equal(kr.n, 1);
	assert_true(tki_keyring_add_pem(&kr, EC_PEM, strlen(EC_PEM), "ec", err, sizeof(err)));
	assert_int_equal(kr.n, 2);
	/* an OpenSSH key line: refused, and told how to convert it */
	static const char ssh[] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJqYyQ6KDFanX8EL3xR/+vGKzZO15zIZ7kekSD6FUbqn op\n";
	assert_false(tki_keyring_add_pem(&kr, ssh, strlen(ssh), "ssh", err, sizeof(err)));
	assert_non_null(strstr(err, "ssh-keygen -e -m PKCS8"));
	/* a certificate: refused, and told how to take its key */
	static const char cert[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
	assert_false(tki_keyring_add_pem(&kr, cert, strlen(cert), "cert", err, sizeof(err)));
	assert_non_null(strstr(err, "-pubkey"));
}

static void test_spki_refusals(void **s)
{
	(void)s;
	struct tki_pubkey k;
	char err[200];
	uint8_t der[128];
	size_t n;
	/* The EC key with one coordinate byte changed: not on the curve. */
	uint8_t *d;
	const char *b = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEABkz0MDst1WDaEGOlFBzVigwQdBkPFJJtHFeWgbJMN/X0hRs6dcxrpDT6hlUx/"
			"AzOc6qTpIBjRgLcENJwAknFA==";
	assert_true(tki_b64_decode(b, strlen(b), &d, &n));
	assert_true(tki_spki_parse(d, n, &k, err, sizeof(err)));
	d[n - 1] ^= 1;
	assert_false(tki_spki_parse(d, n, &k, err, sizeof(err)));
	assert_non_null(strstr(err, "curve"));
	free(d);
	/* RSA OID (1.2.840.113549.1.1.1) */
	n = unhex("301a300d06092a864886f70d01010105000309003006020103020101", der, sizeof(der));
	assert_false(tki_spki_parse(der, n, &k, err, sizeof(err)));
	/* Ed25519 with 31 key bytes */
	n = unhex("3029300506032b657003200000000000000000000000000000000000000000000000000000000000000000", der,
		  sizeof(der));
	assert_false(tki_spki_parse(der, n, &k, err, sizeof(err)));
	/* Ed25519 with a trailing byte after the SEQUENCE */
	n = unhex("302a300506032b65700321009a98c90e8a0c56a75fc10bdf147ffaf18acd93b5e73219ee47a4483e8551baa700", der,
		  sizeof(der));
	assert_false(tki_spki_parse(der, n, &k, err, sizeof(err)));
	assert_true(tki_spki_parse(der, n - 1, &k, err, sizeof(err)));
}

/* Ed25519 keys of small order: nobody holds their private key, yet
 * anyone can sign for them (R = identity, S = 0 verifies every message
 * under the identity key; nettle does not refuse it). A careless
 * operator's "venue.pub" must not let every packet author forge ATTESTED. */
static const char *const WEAK_ED[] = {
	"0000000000000000000000000000000000000000000000000000000000000000", /* y = 0, order 4 */
	"0100000000000000000000000000000000000000000000000000000000000000", /* identity */
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", /* order 8 */
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", /* order 8 */
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* y = -1, order 2 */
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* y = p (0), non-canonical */
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* y = p + 1 (1), non-canonical */
	"0100000000000000000000000000000000000000000000000000000000000080", /* identity, sign bit set */
};

static void test_ed25519_small_order_keys(void **s)
{
	(void)s;
	char err[200];
	for (size_t i = 0; i < TKI_ARRAY_LEN(WEAK_ED); i++) {
		/* SubjectPublicKeyInfo: 302a300506032b6570032100 || key */
		uint8_t der[44];
		struct tki_pubkey k;
		unhex("302a300506032b6570032100", der, 12);
		unhex(WEAK_ED[i], der + 12, 32);
		if (tki_spki_parse(der, sizeof(der), &k, err, sizeof(err)))
			fail_msg("weak key %zu accepted", i);
		assert_non_null(strstr(err, "small order"));
	}
	/* The forgery itself, under a key given by hand: refused too. */
	struct tki_keyring kr = {.n = 1};
	ed_key(&kr.k[0], WEAK_ED[1], "identity");
	uint8_t forged[64] = {1}; /* R = identity, S = 0 */
	assert_false(tki_sig_verify(&kr.k[0], (const uint8_t *)"anything", 8, forged, sizeof(forged)));
	struct tki_dsse d;
	open_env(ENV(STMT_B64, TKI_DSSE_PAYLOAD_TYPE,
		     SIG("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", "x")),
		 &kr, &d);
	assert_int_equal(d.state, TKI_SIG_UNTRUSTED);
	tki_dsse_free(&d);
	/* Non-canonical S (S + L, same residue): refused (nettle checks S < L). */
	uint8_t seed[32], sig[64];
	static const uint8_t L[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
				      0xa2, 0xde, 0xf9, 0xde, 0x14, [31] = 0x10};
	ed_key(&kr.k[0], PUB_A, "A");
	unhex(SEED_A, seed, 32);
	ed25519_sha512_sign(kr.k[0].pub, seed, 5, (const uint8_t *)"hello", sig);
	assert_true(tki_sig_verify(&kr.k[0], (const uint8_t *)"hello", 5, sig, 64));
	unsigned carry = 0;
	for (size_t i = 0; i < 32; i++) {
		carry += sig[32 + i] + L[i];
		sig[32 + i] = (uint8_t)carry;
		carry >>= 8;
	}
	assert_int_equal(carry, 0);
	assert_false(tki_sig_verify(&kr.k[0], (const uint8_t *)"hello", 5, sig, 64));
	/* A real key still loads. */
	uint8_t der[44];
	struct tki_pubkey k;
	unhex("302a300506032b6570032100", der, 12);
	unhex(PUB_A, der + 12, 32);
	assert_true(tki_spki_parse(der, sizeof(der), &k, err, sizeof(err)));
}

/* ---- in-toto Statement rules and the signed-bundle gate ---- */

static void test_statement_rules(void **s)
{
	(void)s;
	char why[256];
	static const struct {
		const char *json;
		bool ok;
	} c[] = {
		{"{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":"
		 "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}}],\"predicateType\":\"x\"}",
		 true},
		{"{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"subject\":[{\"digest\":{\"sha1\":\"aa\"}}],"
		 "\"predicateType\":\"x\"}",
		 false},
		{"{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],\"predicateType\":\"x\"}", false},
		{"{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\"}],\"predicateType\":\"x\"}",
		 false},
		{"{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{}}],\"predicateType\":\"x\"}",
		 false},
		{"{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"AA\"}}],"
		 "\"predicateType\":\"x\"}",
		 false},
		{"{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"aa\"}}],"
		 "\"predicateType\":\"x\"}",
		 false},
		{"{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha512\":\"ab\"}}]}", false},
		{"{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha512\":\"ab\"}}],"
		 "\"predicateType\":\"x\",\"predicate\":[]}",
		 false},
	};
	for (size_t i = 0; i < TKI_ARRAY_LEN(c); i++) {
		json_t *j = json_loads(c[i].json, 0, NULL);
		assert_non_null(j);
		bool ok = tki_statement_check(j, NULL, why, sizeof(why));
		if (ok != c[i].ok)
			fail_msg("case %zu: %s (%s)", i, ok ? "accepted" : "refused", why);
		json_decref(j);
	}
}

static char *slurp(const char *rel, size_t *len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", TKI_FIXTURES, rel);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = tki_xmalloc(1 << 20);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/* A Statement around fixtures/attest/all-pass/bundle.json whose subject
 * carries the bundle's image digest (or another one). */
static char *statement(bool bind)
{
	size_t len;
	char *b = slurp("attest/all-pass/bundle.json", &len);
	json_t *bundle = json_loadb(b, len, 0, NULL);
	free(b);
	assert_non_null(bundle);
	const char *img = json_string_value(json_object_get(bundle, "image_digest"));
	json_t *st = json_pack("{s:s, s:[{s:s, s:{s:s}}], s:s, s:o}", "_type", TKI_INTOTO_STATEMENT_V1, "subject",
			       "name", "image", "digest", "sha256",
			       bind ? img + 7 : "1111111111111111111111111111111111111111111111111111111111111111",
			       "predicateType", TKI_PREDICATE_SANDBOX_V1, "predicate", bundle);
	char *out = json_dumps(st, JSON_COMPACT);
	json_decref(st);
	return out;
}

/* Sign like scripts/attest-sign would, with vector key A (nettle). */
static char *envelope(const char *stmt, const char *type, bool over_pae)
{
	uint8_t seed[32], pub[32], sig[64];
	unhex(SEED_A, seed, 32);
	unhex(PUB_A, pub, 32);
	size_t n, slen = strlen(stmt);
	uint8_t *pae = tki_dsse_pae(type, strlen(type), (const uint8_t *)stmt, slen, &n);
	if (over_pae)
		ed25519_sha512_sign(pub, seed, n, pae, sig);
	else
		ed25519_sha512_sign(pub, seed, slen, (const uint8_t *)stmt, sig);
	free(pae);
	/* base64 through jansson-free nettle would do; a tiny encoder keeps it short */
	static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *pb = tki_xmalloc(slen * 2 + 8), sb[100];
	struct {
		const uint8_t *in;
		size_t n;
		char *out;
	} jobs[] = {{(const uint8_t *)stmt, slen, pb}, {sig, 64, sb}};
	for (size_t j = 0; j < 2; j++) {
		size_t o = 0;
		for (size_t i = 0; i < jobs[j].n; i += 3) {
			uint32_t v = (uint32_t)jobs[j].in[i] << 16;
			if (i + 1 < jobs[j].n)
				v |= (uint32_t)jobs[j].in[i + 1] << 8;
			if (i + 2 < jobs[j].n)
				v |= jobs[j].in[i + 2];
			jobs[j].out[o++] = A[v >> 18 & 63];
			jobs[j].out[o++] = A[v >> 12 & 63];
			jobs[j].out[o++] = i + 1 < jobs[j].n ? A[v >> 6 & 63] : '=';
			jobs[j].out[o++] = i + 2 < jobs[j].n ? A[v & 63] : '=';
		}
		jobs[j].out[o] = '\0';
	}
	char *env = tki_xasprintf("{\"payloadType\":\"%s\",\"payload\":\"%s\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"%s\"}]}",
				  type, pb, sb);
	free(pb);
	return env;
}

static bool first_reason_has(const struct tki_attest_verdict *v, const char *needle)
{
	return v->reasons.n && strstr(v->reasons.v[0], needle);
}

static void judge(const char *buf, const struct tki_keyring *kr, struct tki_attest_verdict *v,
		  struct tki_attest_signed *sg)
{
	tki_attest_judge_signed(buf, strlen(buf), kr, v, sg);
}

static void test_signed_gate(void **s)
{
	(void)s;
	struct tki_keyring kr, only_b;
	struct tki_attest_verdict v;
	struct tki_attest_signed sg;
	ring_ab(&kr);
	only_b = kr;
	only_b.k[0] = kr.k[1];
	only_b.n = 1;
	char *st = statement(true);
	char *env = envelope(st, TKI_DSSE_PAYLOAD_TYPE, true);

	/* Trusted, bound, all 12 re-judge PASS: ATTESTED. */
	judge(env, &kr, &v, &sg);
	assert_true(sg.ok);
	assert_true(v.attested);
	assert_string_equal(sg.signer, "A");
	tki_attest_verdict_free(&v);

	/* The same envelope, no --trust-key / another key: never attested. */
	judge(env, NULL, &v, &sg);
	assert_false(v.attested);
	assert_true(v.is_bundle); /* still re-judged: it may contradict */
	assert_true(first_reason_has(&v, "not signed by a trusted key: sign it in the venue and pass --trust-key"));
	tki_attest_verdict_free(&v);
	judge(env, &only_b, &v, &sg);
	assert_false(v.attested);
	assert_int_equal(sg.sig, TKI_SIG_UNTRUSTED);
	tki_attest_verdict_free(&v);

	/* The bare bundle (today's format before signing): not attested. */
	size_t len;
	char *bare = slurp("attest/all-pass/bundle.json", &len);
	judge(bare, &kr, &v, &sg);
	assert_false(v.attested);
	assert_true(v.is_bundle);
	assert_true(first_reason_has(&v, "not a DSSE envelope"));
	tki_attest_verdict_free(&v);
	free(bare);

	/* A valid Statement without its envelope: unsigned, said so. */
	judge(st, &kr, &v, &sg);
	assert_false(v.attested);
	assert_true(v.is_bundle);
	assert_true(first_reason_has(&v, "a bare in-toto Statement, unsigned"));
	tki_attest_verdict_free(&v);

	/* Signature over the payload, not the PAE. */
	char *raw = envelope(st, TKI_DSSE_PAYLOAD_TYPE, false);
	judge(raw, &kr, &v, &sg);
	assert_false(v.attested);
	assert_true(first_reason_has(&v, "raw payload instead of the DSSE PAE"));
	tki_attest_verdict_free(&v);
	free(raw);

	/* Signed with another payloadType (consistently): verifies, wrong type. */
	char *other = envelope(st, "application/json", true);
	judge(other, &kr, &v, &sg);
	assert_false(v.attested);
	assert_int_equal(sg.sig, TKI_SIG_WRONG_TYPE);
	assert_true(first_reason_has(&v, "payloadType"));
	tki_attest_verdict_free(&v);
	free(other);

	/* Duplicate keys: in the envelope (two payloads: which one was
	 * verified?) and in the signed Statement (two predicates): neither
	 * counts, and the reason says the JSON does not parse, and where. */
	char *dup_env = tki_xstrdup(env);
	char *pl = strstr(dup_env, "\"payload\":");
	assert_non_null(pl);
	char *dup2 = tki_xasprintf("%.*s\"payload\":\"e30=\",%s", (int)(pl - dup_env), dup_env, pl);
	judge(dup2, &kr, &v, &sg);
	assert_false(v.attested);
	assert_int_equal(sg.sig, TKI_SIG_NOT_ENVELOPE);
	assert_true(first_reason_has(&v, "not JSON (line 1"));
	assert_true(first_reason_has(&v, "duplicate"));
	tki_attest_verdict_free(&v);
	free(dup2);
	free(dup_env);
	char *dup_st = tki_xasprintf("{\"predicate\":{},%s", st + 1);
	char *dup_st_env = envelope(dup_st, TKI_DSSE_PAYLOAD_TYPE, true);
	judge(dup_st_env, &kr, &v, &sg);
	assert_false(v.attested);
	assert_int_equal(sg.sig, TKI_SIG_TRUSTED);
	assert_false(sg.ok);
	assert_true(first_reason_has(&v, "signed, but not an in-toto Statement"));
	assert_true(first_reason_has(&v, "duplicate"));
	tki_attest_verdict_free(&v);
	free(dup_st_env);
	free(dup_st);

	/* The outer object is never read: an envelope that also carries the
	 * all-pass bundle's fields beside a payload that is no bundle. */
	{
		size_t blen;
		char *bb = slurp("attest/all-pass/bundle.json", &blen);
		json_t *outer = json_loadb(bb, blen, 0, NULL), *e = json_loads(env, 0, NULL);
		json_object_update(outer, e);
		json_object_set_new(outer, "payload", json_string("e30=")); /* {} */
		char *mixed = json_dumps(outer, JSON_COMPACT);
		judge(mixed, &kr, &v, &sg);
		assert_false(v.attested);
		assert_false(v.is_bundle);
		assert_int_equal(sg.sig, TKI_SIG_UNTRUSTED);
		tki_attest_verdict_free(&v);
		free(mixed);
		json_decref(outer);
		json_decref(e);
		free(bb);
	}

	/* payloadType compared byte for byte: another case is another type. */
	char *upper = envelope(st, "application/vnd.in-toto+JSON", true);
	judge(upper, &kr, &v, &sg);
	assert_false(v.attested);
	assert_int_equal(sg.sig, TKI_SIG_WRONG_TYPE);
	tki_attest_verdict_free(&v);
	free(upper);

	/* A Statement whose subject is not the bundle's image: not bound. */
	char *unbound_st = statement(false);
	char *unbound = envelope(unbound_st, TKI_DSSE_PAYLOAD_TYPE, true);
	judge(unbound, &kr, &v, &sg);
	assert_false(v.attested);
	assert_true(first_reason_has(&v, "not among the Statement's subjects"));
	tki_attest_verdict_free(&v);
	free(unbound);
	free(unbound_st);

	/* A flipped payload byte: re-encode a changed Statement under the old signature. */
	char *flip_st = tki_xstrdup(st);
	char *pos = strstr(flip_st, "\"CI\"");
	assert_non_null(pos);
	pos[1] = 'X'; /* venue "XI" */
	char *flip_env = envelope(flip_st, TKI_DSSE_PAYLOAD_TYPE, true);
	json_t *fe = json_loads(flip_env, 0, NULL), *oe = json_loads(env, 0, NULL);
	json_object_set(fe, "signatures", json_object_get(oe, "signatures"));
	char *flipped = json_dumps(fe, JSON_COMPACT);
	judge(flipped, &kr, &v, &sg);
	assert_false(v.attested);
	assert_int_equal(sg.sig, TKI_SIG_UNTRUSTED);
	tki_attest_verdict_free(&v);
	free(flipped);
	json_decref(fe);
	json_decref(oe);
	free(flip_env);
	free(flip_st);

	free(env);
	free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_pae),
		cmocka_unit_test(test_vector_accept_reject),
		cmocka_unit_test(test_untrusted_and_malformed),
		cmocka_unit_test(test_b64),
		cmocka_unit_test(test_protocol_ecdsa_example),
		cmocka_unit_test(test_ecdsa_raw_sig_starting_0x30),
		cmocka_unit_test(test_pem_keys),
		cmocka_unit_test(test_spki_refusals),
		cmocka_unit_test(test_pem_strict),
		cmocka_unit_test(test_ed25519_small_order_keys),
		cmocka_unit_test(test_statement_rules),
		cmocka_unit_test(test_signed_gate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
