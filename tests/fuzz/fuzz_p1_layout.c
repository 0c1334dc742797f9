// SPDX-License-Identifier: Apache-2.0
/* libFuzzer: P1 judges of the root's layout, the pid namespace, inherited
 * descriptors and env values (pure). The input is split at NUL bytes into
 * mountinfo, the /, /etc, /run and /sys/fs/cgroup listings; the same text
 * also serves as the /proc pid list, the fd lists and env entries. */
#include "text.h"
#include "tki/selfcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *text = fuzz_text(data, len), *obs = NULL;
	if (!text)
		return 0;
	const char *part[5] = { "", "", "", "", "" };
	size_t k = 0;
	part[0] = text;
	for (size_t i = 0; i < len && k < 4; i++)
		if (text[i] == '\0')
			part[++k] = text + i + 1;
	struct tki_p1_layout l = { part[1], part[2], part[3], part[4], "tki-inspector" };
	(void)tki_p1_judge_root(part[0], &l, &obs);
	free(obs);
	(void)tki_p1_judge_pidns(part[1], 1, &(struct tki_p1_procfs){part[2], part[3], part[0], part[4], part[1]}, &obs);
	free(obs);
	(void)tki_p1_judge_fds(part[2], part[3], &obs);
	free(obs);
	const char *env[4] = { part[0], part[1], part[2], part[3] };
	(void)tki_p1_judge_env(env, 4, &obs);
	free(obs);
	free(text);
	return 0;
}
