/* The 12 boundary probes of seed 001 §3, run inside the sandbox after P1,
 * and the re-judge of an attestation bundle from its raw observations. */
#ifndef TKI_ATTEST_H
#define TKI_ATTEST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "tki/cli.h"
#include "tki/common.h"
#include "tki/guard.h"
#include "tki/selfcheck.h"

/* Run the probes, write attest.jsonl and sandbox-attestation-inside.json
 * into the output dir. Returns the exit code (0: all probes PASS). */
int tki_attest_run(const struct tki_opts *o, struct tki_guard *g, const struct tki_p1 *p1);

/* What the inspector concludes from a bundle (tki-attestation/v1), judged
 * from errno_or_exit, actual_stderr_or_value and raw against our own copy of
 * the expected table; the bundle's own verdicts only count as disagreement. */
struct tki_attest_verdict {
	bool is_bundle;     /* parsed as tki-attestation/v1 */
	bool attested;      /* B4': all 12 probes re-judge PASS, none missing, venue accepted */
	bool any_fail;      /* at least one probe re-judges FAIL */
	bool contradicted;  /* a probe claims PASS but its observation says otherwise */
	char venue[128];
	char image_digest[160];
	struct tki_strlist reasons; /* why NOT_ATTESTED / CONTRADICTED */
	json_t *probes;     /* [{probe_id, l1_test, claimed, rejudged, errno_or_exit, why}] (owned) */
};

/* Pure. Always fills v (is_bundle=false with reasons when buf is not a bundle). */
void tki_attest_rejudge(const char *buf, size_t len, struct tki_attest_verdict *v);
void tki_attest_verdict_free(struct tki_attest_verdict *v);

#endif
