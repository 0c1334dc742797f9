/* TEMPORARY: main's guard stub does not define tki_guard_write_report yet.
 * This weak fallback lets attest link until branch reader's guard lands on
 * main (its strong definition then wins); delete this file at that merge. */
#include "tki/common.h"
#include "tki/guard.h"

__attribute__((weak)) int tki_guard_write_report(struct tki_guard *g, const char *name, const void *buf,
						 size_t len, struct tki_guard_err *e)
{
	(void)g; (void)name; (void)buf; (void)len; (void)e;
	tki_die(TKI_EXIT_USAGE, "guard: not implemented yet");
}
