// SPDX-License-Identifier: Apache-2.0
/* Trusted public keys for signed bundles (--trust-key): PEM "PUBLIC KEY"
 * blocks, SubjectPublicKeyInfo parsed with nettle's DER iterator. The
 * file is read by main before the sandbox is entered; only the parsed key
 * bytes cross into it, so the sandboxed process never gains a path. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include <nettle/asn1.h>
#include <nettle/bignum.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/sha2.h>

#include "tki/dsse.h"

/* DER contents of the object identifiers we accept (RFC 5480, RFC 8410). */
static const uint8_t OID_EC_PUBLIC_KEY[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const uint8_t OID_P256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t OID_ED25519[] = {0x2b, 0x65, 0x70};

const char *tki_key_alg_name(enum tki_key_alg a)
{
	switch (a) {
	case TKI_KEY_ECDSA_P256: return "ecdsa-p256";
	case TKI_KEY_ED25519: return "ed25519";
	}
	return "unknown";
}

static bool oid_is(const struct asn1_der_iterator *i, const uint8_t *oid, size_t n)
{
	return i->type == ASN1_IDENTIFIER && i->length == n && memcmp(i->data, oid, n) == 0;
}

#define SPKI_FAIL(...)                                \
	do {                                          \
		snprintf(err, errlen, __VA_ARGS__);   \
		return false;                         \
	} while (0)

/* The point must lie on the curve: nettle refuses it otherwise. */
static bool p256_point_ok(const uint8_t pub[65])
{
	struct ecc_point p;
	mpz_t x, y;
	ecc_point_init(&p, nettle_get_secp_256r1());
	nettle_mpz_init_set_str_256_u(x, 32, pub + 1);
	nettle_mpz_init_set_str_256_u(y, 32, pub + 33);
	int ok = ecc_point_set(&p, x, y);
	mpz_clear(x);
	mpz_clear(y);
	ecc_point_clear(&p);
	return ok == 1;
}

bool tki_spki_parse(const uint8_t *der, size_t len, struct tki_pubkey *k, char *err, size_t errlen)
{
	struct asn1_der_iterator i, alg;
	memset(k, 0, sizeof(*k));
	/* SEQUENCE { SEQUENCE { OID, params OPTIONAL }, BIT STRING }, nothing after. */
	if (asn1_der_iterator_first(&i, len, der) != ASN1_ITERATOR_CONSTRUCTED || i.type != ASN1_SEQUENCE)
		SPKI_FAIL("not a SubjectPublicKeyInfo (DER SEQUENCE)");
	if (asn1_der_decode_constructed_last(&i) != ASN1_ITERATOR_CONSTRUCTED || i.type != ASN1_SEQUENCE)
		SPKI_FAIL("SubjectPublicKeyInfo: no AlgorithmIdentifier, or bytes after the key");
	if (asn1_der_decode_constructed(&i, &alg) != ASN1_ITERATOR_PRIMITIVE || alg.type != ASN1_IDENTIFIER)
		SPKI_FAIL("SubjectPublicKeyInfo: AlgorithmIdentifier has no algorithm OID");
	size_t want;
	if (oid_is(&alg, OID_EC_PUBLIC_KEY, sizeof(OID_EC_PUBLIC_KEY))) {
		if (asn1_der_iterator_next(&alg) != ASN1_ITERATOR_PRIMITIVE || !oid_is(&alg, OID_P256, sizeof(OID_P256)))
			SPKI_FAIL("EC key on a curve other than P-256 (prime256v1): not supported");
		k->alg = TKI_KEY_ECDSA_P256;
		want = 65;
	} else if (oid_is(&alg, OID_ED25519, sizeof(OID_ED25519))) {
		k->alg = TKI_KEY_ED25519;
		want = 32;
	} else {
		SPKI_FAIL("key algorithm is neither ECDSA P-256 nor Ed25519 (RSA and others are not supported)");
	}
	if (asn1_der_iterator_next(&alg) != ASN1_ITERATOR_END)
		SPKI_FAIL("AlgorithmIdentifier has unexpected parameters");
	if (asn1_der_iterator_next(&i) != ASN1_ITERATOR_PRIMITIVE || i.type != ASN1_BITSTRING)
		SPKI_FAIL("SubjectPublicKeyInfo: no subjectPublicKey BIT STRING");
	if (i.length != want + 1 || i.data[0] != 0)
		SPKI_FAIL("%s public key has %zu bytes, expected %zu%s", tki_key_alg_name(k->alg),
			  i.length ? i.length - 1 : 0, want,
			  k->alg == TKI_KEY_ECDSA_P256 ? " (an uncompressed point 04||X||Y)" : "");
	if (asn1_der_iterator_next(&i) != ASN1_ITERATOR_END)
		SPKI_FAIL("SubjectPublicKeyInfo: bytes after the key");
	memcpy(k->pub, i.data + 1, want);
	if (k->alg == TKI_KEY_ECDSA_P256 && (k->pub[0] != 0x04 || !p256_point_ok(k->pub)))
		SPKI_FAIL("P-256 public key is not an uncompressed point on the curve");
	if (k->alg == TKI_KEY_ED25519 && tki_ed25519_key_weak(k->pub))
		SPKI_FAIL("Ed25519 public key is a point of small order or not canonically encoded: anyone can "
			  "forge a signature under it");

	struct sha256_ctx c;
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_init(&c);
	sha256_update(&c, len, der);
	sha256_digest(&c, sizeof(d), d);
	int o = snprintf(k->id, sizeof(k->id), "SHA256:");
	for (size_t b = 0; b < sizeof(d); b++)
		o += snprintf(k->id + o, sizeof(k->id) - (size_t)o, "%02x", d[b]);
	return true;
}

/* One line of text: [*p, eol) without its "\n" and a "\r" or blanks
 * before it; *p moves past the "\n". */
static size_t next_line(const char **p, const char *end, const char **line)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	const char *e = nl ? nl : end;
	*line = *p;
	*p = nl ? nl + 1 : end;
	while (e > *line && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return (size_t)(e - *line);
}

static bool is_line(const char *l, size_t n, const char *want)
{
	return n == strlen(want) && memcmp(l, want, n) == 0;
}

/* PEM's alphabet (RFC 7468: standard base64, never URL-safe). */
static bool pem_b64_line(const char *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((l[i] >= 'A' && l[i] <= 'Z') || (l[i] >= 'a' && l[i] <= 'z') || (l[i] >= '0' && l[i] <= '9') ||
		      l[i] == '+' || l[i] == '/' || l[i] == '='))
			return false;
	return n > 0;
}

#define PEM_FAIL(...)                                 \
	do {                                          \
		snprintf(err, errlen, __VA_ARGS__);   \
		return false;                         \
	} while (0)

/* One block's base64 -> SubjectPublicKeyInfo -> kr. */
static bool add_block(struct tki_keyring *kr, const char *b64, size_t n, const char *source, unsigned block,
		      char *err, size_t errlen)
{
	tki_autofree uint8_t *der = NULL;
	size_t dlen = 0;
	char why[200];
	struct tki_pubkey k;
	if (!tki_b64_decode(b64, n, &der, &dlen))
		PEM_FAIL("%s: block %u: the base64 does not decode", source, block);
	if (!tki_spki_parse(der, dlen, &k, why, sizeof(why)))
		PEM_FAIL("%s: block %u: %s", source, block, why);
	/* The same key twice (two files, a block pasted twice) is one key:
	 * not twice the verifications, not two "keys" in a threshold. */
	for (size_t i = 0; i < kr->n; i++)
		if (kr->k[i].alg == k.alg && !strcmp(kr->k[i].id, k.id))
			return true;
	if (kr->n >= TKI_MAX_TRUST_KEYS)
		PEM_FAIL("%s: more than %d trusted keys", source, TKI_MAX_TRUST_KEYS);
	snprintf(k.source, sizeof(k.source), "%.100s#%u", source, block);
	kr->k[kr->n++] = k;
	return true;
}

/* Strict: blank lines and PUBLIC KEY blocks, nothing else. A file that
 * merely contains a block (a log, a report quoting an author's text) is
 * not a key file; keys are added only when the whole file is read. */
bool tki_keyring_add_pem(struct tki_keyring *kr, const char *text, size_t len, const char *source, char *err,
			 size_t errlen)
{
	static const char BEGIN[] = "-----BEGIN ", END[] = "-----END PUBLIC KEY-----";
	const char *p = text, *end = text + len, *l;
	unsigned block = 0, lineno = 0;
	if (memchr(text, '\0', len))
		PEM_FAIL("%s: contains a NUL byte: not a PEM file", source);
	if (!memmem(text, len, BEGIN, sizeof(BEGIN) - 1))
		PEM_FAIL("%s: no -----BEGIN PUBLIC KEY----- block%s", source,
			 (len > 12 && !memcmp(text, "ssh-ed25519 ", 12)) ||
					 (len > 20 && !memcmp(text, "ecdsa-sha2-nistp256 ", 20))
				 ? " (an OpenSSH public key line: give the PEM public key, openssl pkey -pubout; "
				   "ssh-keygen -e -m PKCS8 -f KEY.pub converts an ECDSA one)"
				 : "");
	struct tki_keyring out = *kr;
	tki_autofree char *b64 = tki_xmalloc(len + 1);
	size_t n = 0;
	bool in = false;
	while (p < end) {
		size_t ll = next_line(&p, end, &l);
		lineno++;
		if (!in && ll == 0)
			continue;
		if (!in && ll > sizeof(BEGIN) - 1 + 5 && !memcmp(l, BEGIN, sizeof(BEGIN) - 1) &&
		    !memcmp(l + ll - 5, "-----", 5)) {
			const char *lab = l + sizeof(BEGIN) - 1;
			int labn = (int)(ll - (sizeof(BEGIN) - 1) - 5);
			block++;
			if (memmem(lab, (size_t)labn, "PRIVATE", 7))
				PEM_FAIL("%s: block %u is a %.*s: give the public key (openssl pkey -in KEY -pubout); no "
					 "private key ever enters the sandbox",
					 source, block, labn > 40 ? 40 : labn, lab);
			if (!is_line(lab, (size_t)labn, "PUBLIC KEY"))
				PEM_FAIL("%s: block %u is \"%.*s\", not a PUBLIC KEY (SubjectPublicKeyInfo)%s", source,
					 block, labn > 40 ? 40 : labn, lab,
					 is_line(lab, (size_t)labn, "CERTIFICATE")
						 ? ": no chain is checked here; if you trust it, give its key (openssl x509 "
						   "-in CERT -pubkey -noout)"
						 : "");
			in = true;
			n = 0;
		} else if (!in) {
			PEM_FAIL("%s: line %u: text outside a -----BEGIN PUBLIC KEY----- block: a key file holds PEM "
				 "PUBLIC KEY blocks only",
				 source, lineno);
		} else if (is_line(l, ll, END)) {
			if (!add_block(&out, b64, n, source, block, err, errlen))
				return false;
			in = false;
		} else if (pem_b64_line(l, ll)) {
			memcpy(b64 + n, l, ll);
			n += ll;
		} else {
			PEM_FAIL("%s: line %u (block %u): neither standard base64 nor -----END PUBLIC KEY-----", source,
				 lineno, block);
		}
	}
	if (in)
		PEM_FAIL("%s: block %u has no -----END PUBLIC KEY----- line", source, block);
	if (!block)
		PEM_FAIL("%s: no -----BEGIN PUBLIC KEY----- block", source);
	*kr = out;
	return true;
}

/* Read at most TKI_MAX_KEY_FILE bytes; false (errno set) beyond it. */
static char *read_small(int fd, size_t *len)
{
	char *buf = tki_xmalloc(TKI_MAX_KEY_FILE + 1);
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, buf + n, TKI_MAX_KEY_FILE + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > TKI_MAX_KEY_FILE) {
			free(buf);
			errno = EFBIG;
			return NULL;
		}
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Is dir, or one of its subdirectories, where the opened file sits?
 * Walked up from the file's directory with "..", compared by device and
 * inode: a bind mount or any other second name of the packet directory
 * leads to the same inode. */
static bool dir_is_ancestor(const char *file, const struct stat *d)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(file, '/');
	if (file[0] != '/' || !slash)
		return false; /* a pipe, a socket: no directory */
	snprintf(parent, sizeof(parent), "%.*s", slash == file ? 1 : (int)(slash - file), file);
	int cur = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (int depth = 0; cur >= 0 && depth < PATH_MAX / 2; depth++) {
		struct stat st, up;
		int next = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		bool hit = fstat(cur, &st) == 0 && st.st_dev == d->st_dev && st.st_ino == d->st_ino;
		bool top = next < 0 || (fstat(next, &up) == 0 && up.st_dev == st.st_dev && up.st_ino == st.st_ino);
		close(cur);
		cur = next;
		if (hit || top) {
			if (cur >= 0)
				close(cur);
			return hit;
		}
	}
	if (cur >= 0)
		close(cur);
	return false;
}

/* Is what fd refers to inside dir? Decided on the opened file (its
 * /proc/self/fd link), not on the name, so no link swap can dodge it. */
static bool fd_under(int fd, const char *dir)
{
	char lnk[64], got[PATH_MAX], base[PATH_MAX];
	struct stat d;
	snprintf(lnk, sizeof(lnk), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(lnk, got, sizeof(got) - 1);
	if (n <= 0 || !dir || !realpath(dir, base) || stat(base, &d) < 0)
		return false;
	got[n] = '\0';
	size_t bl = strlen(base);
	if (strncmp(got, base, bl) == 0 && (got[bl] == '/' || bl == 1))
		return true;
	return dir_is_ancestor(got, &d);
}

bool tki_keyring_load(struct tki_keyring *kr, const char *path, const char *in_dir, char *err, size_t errlen)
{
	size_t len = 0;
	tki_autofree char *text = NULL;
	if (!strcmp(path, "-")) {
		/* `--trust-key - <packet/key.pub` is the same mistake as naming it. */
		if (fd_under(STDIN_FILENO, in_dir)) {
			snprintf(err, errlen,
				 "--trust-key -: standard input is a file inside the packet directory %s: the packet's "
				 "author cannot choose whom to trust",
				 in_dir);
			return false;
		}
		text = read_small(STDIN_FILENO, &len);
		if (!text) {
			snprintf(err, errlen, "--trust-key -: cannot read standard input: %s", strerror(errno));
			return false;
		}
	} else {
		tki_autoclose int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0) {
			snprintf(err, errlen, "--trust-key %s: %s", path, strerror(errno));
			return false;
		}
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, errlen, "--trust-key %s: not a regular file", path);
			return false;
		}
		if (fd_under(fd, in_dir)) {
			snprintf(err, errlen,
				 "--trust-key %s: lies inside the packet directory %s: the packet's author cannot "
				 "choose whom to trust",
				 path, in_dir);
			return false;
		}
		text = read_small(fd, &len);
		if (!text) {
			snprintf(err, errlen, "--trust-key %s: %s", path,
				 errno == EFBIG ? "larger than 64 KiB: not a public key file" : strerror(errno));
			return false;
		}
	}
	char src[160];
	snprintf(src, sizeof(src), "--trust-key %.140s", path);
	return tki_keyring_add_pem(kr, text, len, src, err, errlen);
}
