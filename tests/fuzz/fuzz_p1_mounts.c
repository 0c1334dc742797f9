// SPDX-License-Identifier: Apache-2.0
/* libFuzzer: P1 parser of /proc/self/mountinfo (pure). */
#include "text.h"
#include "tki/selfcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *text = fuzz_text(data, len), *obs = NULL;
	if (!text)
		return 0;
	(void)tki_p1_judge_mounts(text, "/in", "/out", &obs);
	free(obs);
	free(text);
	return 0;
}
