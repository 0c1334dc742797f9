/* Weak stand-ins for symbols the reader/guard module defines (branch
 * reader), so this branch links and its unit tests run before that module
 * lands on main. Every real definition overrides these; delete this file
 * once main has src/guard.c and src/packet.c in full. The guard stand-ins
 * refuse everything: fail closed. */
#include <stdio.h>

#include "tki/common.h"
#include "tki/guard.h"
#include "tki/packet.h"

static int refuse(struct tki_guard_err *e)
{
	e->status = TKI_GUARD_BLOCKED;
	e->err = 0;
	snprintf(e->msg, sizeof(e->msg), "the I/O guard is not linked into this build");
	return -1;
}

__attribute__((weak)) int tki_guard_read_item(struct tki_guard *g, const char *path, size_t pathlen,
					       struct stat *st, struct tki_guard_err *e)
{
	(void)g; (void)path; (void)pathlen; (void)st;
	return refuse(e);
}

__attribute__((weak)) int tki_guard_list_items(struct tki_guard *g, tki_guard_list_fn fn, void *ctx,
						struct tki_guard_err *e)
{
	(void)g; (void)fn; (void)ctx;
	return refuse(e);
}

__attribute__((weak)) int tki_guard_write_report(struct tki_guard *g, const char *name, const void *buf,
						  size_t len, struct tki_guard_err *e)
{
	(void)g; (void)name; (void)buf; (void)len;
	return refuse(e);
}

__attribute__((weak)) const char *tki_status_name(enum tki_status s)
{
	static const char *const n[] = {"PASS", "FAIL", "PARTIAL", "BLOCKED"};
	return (unsigned)s < TKI_ARRAY_LEN(n) ? n[s] : "?";
}

__attribute__((weak)) const char *tki_kind_name(enum tki_kind k)
{
	static const char *const n[] = {"command_output", "artifact", "attestation", "prose"};
	return (unsigned)k < TKI_ARRAY_LEN(n) ? n[k] : "?";
}

__attribute__((weak)) const char *tki_class_name(enum tki_class c)
{
	static const char *const n[] = {"ADEQUATE",   "CONTRADICTED",     "PROSE_ONLY", "UNCHECKED",
					"UNVERIFIED", "MISSING_EVIDENCE", "TRIAGE_ONLY"};
	return (unsigned)c < TKI_ARRAY_LEN(n) ? n[c] : "?";
}
