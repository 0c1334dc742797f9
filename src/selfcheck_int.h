// SPDX-License-Identifier: Apache-2.0
/* Private helpers shared by the selfcheck files. */
#ifndef TKI_SELFCHECK_INT_H
#define TKI_SELFCHECK_INT_H

#include <stddef.h>

#include "tki/common.h"

/* Copy of s[0..len) with every byte outside printable ASCII (and '\\')
 * as \xNN, so that captured text can never drive a terminal. */
char *tki_p1_sanitize(const char *s, size_t len);
/* The list's strings joined with sep (new string; "" for an empty list). */
char *tki_p1_join(const struct tki_strlist *l, const char *sep);

#endif
