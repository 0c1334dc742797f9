// SPDX-License-Identifier: Apache-2.0
/* A guard refusal's record (struct tki_guard_err), below both the reader
 * (guard.c) and the report writer (guard_write.c): each fills it, neither
 * needs the other to (make cycles). */
#include <stdarg.h>
#include <stdio.h>

#include "tki/guard.h"
#include "guard_int.h"

int tki_guard_fail(struct tki_guard_err *e, enum tki_guard_status st, int err, const char *fmt, ...)
{
	va_list ap;
	e->status = st;
	e->err = err;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void tki_guard_ok(struct tki_guard_err *e)
{
	e->status = TKI_GUARD_OK;
	e->err = 0;
	e->msg[0] = '\0';
}
