// SPDX-License-Identifier: Apache-2.0
/* libFuzzer: a schema error's JSON path located in any bytes
 * (src/packet_locate.c): the first line is the path, the rest the
 * document. The offset stays within the document. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', len);
	if (!nl)
		return 0;
	size_t pl = (size_t)(nl - s);
	char *path = malloc(pl + 1);
	memcpy(path, s, pl);
	path[pl] = '\0';
	const char *doc = nl + 1;
	size_t dl = len - pl - 1;
	if (tki_json_locate(doc, dl, path) > dl)
		abort();
	free(path);
	return 0;
}
