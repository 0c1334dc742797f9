// SPDX-License-Identifier: Apache-2.0
/* libFuzzer: the manifest reader + schema (tki_packet_parse), pure. */
#include <stddef.h>
#include <stdint.h>

#include "tki/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct tki_reject r = {0};
	struct tki_packet *p = tki_packet_parse((const char *)data, len, &r);
	tki_packet_free(p);
	tki_reject_free(&r);
	return 0;
}
