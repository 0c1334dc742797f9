/* STUB: attest is not implemented yet; see the issues. */
#include <string.h>

#include "tki/attest.h"
#include "tki/common.h"

int tki_attest_run(const struct tki_opts *o, struct tki_guard *g, const struct tki_p1 *p1)
{
	(void)o; (void)g; (void)p1;
	tki_die(TKI_EXIT_USAGE, "attest: not implemented yet");
}

void tki_attest_rejudge(const char *buf, size_t len, struct tki_attest_verdict *v)
{
	(void)buf; (void)len;
	memset(v, 0, sizeof(*v));
	tki_strlist_add(&v->reasons, "attestation re-judge not implemented yet");
}

void tki_attest_verdict_free(struct tki_attest_verdict *v)
{
	tki_strlist_free(&v->reasons);
	json_decref(v->probes);
	v->probes = NULL;
}
