// SPDX-License-Identifier: Apache-2.0
/* libFuzzer: P1 parser of /proc/self/status lines (pure). */
#include "text.h"
#include "tki/selfcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *text = fuzz_text(data, len), *obs = NULL;
	if (!text)
		return 0;
	unsigned long long m;
	char *v = tki_p1_status_field(text, "CapEff");
	if (v)
		(void)tki_p1_parse_capmask(v, &m);
	free(v);
	free(obs);
	free(text);
	return 0;
}
