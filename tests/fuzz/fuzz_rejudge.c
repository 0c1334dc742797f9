// SPDX-License-Identifier: Apache-2.0
/* libFuzzer: the attestation re-judger on arbitrary bundle bytes. */
#include <stddef.h>
#include <stdint.h>

#include "tki/attest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct tki_attest_verdict v;
	tki_attest_rejudge((const char *)data, len, &v);
	tki_attest_verdict_free(&v);
	return 0;
}
