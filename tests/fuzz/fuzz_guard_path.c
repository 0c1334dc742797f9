// SPDX-License-Identifier: Apache-2.0
/* libFuzzer: the guard's pure path policy (.., absolute, NUL, UTF-8). */
#include <stddef.h>
#include <stdint.h>

#include "tki/guard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct tki_guard_err e;
	(void)tki_guard_path_ok((const char *)data, len, &e);
	return 0;
}
