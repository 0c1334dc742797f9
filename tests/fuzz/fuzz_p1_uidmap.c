/* libFuzzer: P1 parser of /proc/self/uid_map (pure). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tki/selfcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *text = malloc(len + 1);
	if (!text)
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	char *obs = NULL;
	(void)tki_p1_judge_uid(text, 65532, &obs);
	free(obs);
	free(text);
	return 0;
}
