// SPDX-License-Identifier: Apache-2.0
/* The pure parts of a batch: the shard of a name, --shard I/N, the worst
 * exit code, which directory names may name a packet. */
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>

#include "tki/batch.h"
#include "tki/common.h"

void tki_shard_digest(const char *name, size_t len, uint8_t digest[32])
{
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, len, (const uint8_t *)name);
	sha256_digest(&c, SHA256_DIGEST_SIZE, digest);
}

unsigned tki_shard_of_digest(const uint8_t digest[32], unsigned count)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | digest[i];
	return count ? (unsigned)(v % count) : 0;
}

static int cmp_digest(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

/* Over the name digests, not the names: a refused name is kept in a
 * summary only escaped (lossy), its digest exactly, so merge can rebuild
 * this from the entries. Fixed-size items and the count in front: no two
 * listings give the same input. */
void tki_batch_listing_digest(uint8_t (*names)[32], size_t n, char hex[65])
{
	static const char tag[] = TKI_BATCH_LISTING_TAG;
	static const char hx[] = "0123456789abcdef";
	uint8_t cnt[8], d[32];
	for (int i = 0; i < 8; i++)
		cnt[i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
	if (n)
		qsort(names, n, 32, cmp_digest);
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, sizeof(tag) - 1, (const uint8_t *)tag);
	sha256_update(&c, sizeof(cnt), cnt);
	for (size_t i = 0; i < n; i++)
		sha256_update(&c, 32, names[i]);
	sha256_digest(&c, SHA256_DIGEST_SIZE, d);
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = hx[d[i] >> 4];
		hex[2 * i + 1] = hx[d[i] & 15];
	}
	hex[64] = '\0';
}

static bool parse_uint(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;
	if (n == 0 || n > 4 || (n > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

bool tki_shard_parse(const char *s, unsigned *index, unsigned *count)
{
	const char *slash = strchr(s, '/');
	unsigned i, n;
	if (!slash || !parse_uint(s, (size_t)(slash - s), &i) || !parse_uint(slash + 1, strlen(slash + 1), &n))
		return false;
	if (n == 0 || n > 4096 || i >= n)
		return false;
	*index = i;
	*count = n;
	return true;
}

int tki_batch_worst(const int *codes, size_t n, size_t batch_entries)
{
	if (batch_entries == 0)
		return TKI_EXIT_INADEQUATE;
	int w = TKI_EXIT_ADEQUATE;
	for (size_t i = 0; i < n; i++) {
		int c = codes[i] < 0 || codes[i] > TKI_EXIT_BLOCKED ? TKI_EXIT_BLOCKED : codes[i];
		if (c > w)
			w = c;
	}
	return w;
}

/* A name that can be shown and used as a report dir as it is: valid
 * UTF-8, no C0/C1 control or DEL (a newline would split summary lines and
 * terminal output), not "." or "..", at most 255 bytes. Anything else is
 * listed, escaped, as BLOCKED, never inspected. */
bool tki_batch_name_ok(const char *name, size_t len)
{
	if (len == 0 || len > 255 || !strcmp(name, ".") || !strcmp(name, "..") || memchr(name, '/', len))
		return false;
	if (tki_utf8_invalid_at(name, len) != len)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7f)
			return false;
		/* C1 controls: U+0080-U+009F are C2 80 - C2 9F */
		if (c == 0xc2 && i + 1 < len && (unsigned char)name[i + 1] <= 0x9f)
			return false;
	}
	return true;
}
