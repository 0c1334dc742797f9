// SPDX-License-Identifier: Apache-2.0
/* Pure helpers of the classifier: the governed taxonomy and RFC 6901. */
#include <string.h>

#include "tki/adequacy.h"
#include "tki/common.h"

/* The governed category taxonomy (docs/packet-format.md). Anything else is
 * TRIAGE_ONLY: no governed authority defines it, so it can never be green. */
static const char *const taxonomy[] = {
	"sandbox.network", "sandbox.filesystem", "sandbox.env",
	"sandbox.syscall", "sandbox.capability", "sandbox.attestation",
	"build",           "test",               "provenance",
};

bool tki_category_governed(const char *category)
{
	if (!category)
		return false;
	for (size_t i = 0; i < TKI_ARRAY_LEN(taxonomy); i++)
		if (!strcmp(category, taxonomy[i]))
			return true;
	return false;
}

size_t tki_taxonomy(const char *const **out)
{
	*out = taxonomy;
	return TKI_ARRAY_LEN(taxonomy);
}

/* Unescape one reference token (~1 -> '/', ~0 -> '~'); any other '~' makes
 * the pointer invalid. */
static char *unescape_token(const char *s, size_t n)
{
	char *out = tki_xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '~') {
			out[o++] = s[i];
			continue;
		}
		if (i + 1 < n && (s[i + 1] == '0' || s[i + 1] == '1')) {
			out[o++] = s[i + 1] == '0' ? '~' : '/';
			i++;
			continue;
		}
		free(out);
		return NULL;
	}
	out[o] = '\0';
	return out;
}

/* array-index = %x30 / ( %x31-39 *%x30-39 ); "-" names the element after
 * the last one, which never exists for a read. */
static bool array_index(const char *t, size_t arrlen, size_t *idx)
{
	size_t n = strlen(t);
	if (n == 0 || (n > 1 && t[0] == '0') || n > 19)
		return false;
	size_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (t[i] < '0' || t[i] > '9')
			return false;
		v = v * 10 + (size_t)(t[i] - '0');
	}
	if (v >= arrlen)
		return false;
	*idx = v;
	return true;
}

json_t *tki_json_pointer(json_t *doc, const char *pointer)
{
	if (!doc || !pointer)
		return NULL;
	if (!*pointer)
		return doc; /* "" is the whole document */
	if (*pointer != '/')
		return NULL;
	json_t *cur = doc;
	const char *p = pointer;
	while (cur && *p == '/') {
		p++;
		size_t n = strcspn(p, "/");
		tki_autofree char *tok = unescape_token(p, n);
		p += n;
		if (!tok)
			return NULL;
		if (json_is_object(cur)) {
			/* Object keys may hold NUL in jansson; RFC 6901 compares whole
			 * keys, and a C token cannot name such a key: never matches. */
			cur = json_object_get(cur, tok);
		} else if (json_is_array(cur)) {
			size_t idx;
			cur = array_index(tok, json_array_size(cur), &idx) ? json_array_get(cur, idx) : NULL;
		} else {
			cur = NULL;
		}
	}
	return cur;
}
