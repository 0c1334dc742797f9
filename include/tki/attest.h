/* The 12 boundary probes of seed 001 §3, run inside the sandbox after P1. */
#ifndef TKI_ATTEST_H
#define TKI_ATTEST_H

#include "tki/cli.h"
#include "tki/guard.h"
#include "tki/selfcheck.h"

/* Run the probes, write attest.jsonl and sandbox-attestation-inside.json
 * into the output dir. Returns the exit code (0: all probes PASS). */
int tki_attest_run(const struct tki_opts *o, struct tki_guard *g, const struct tki_p1 *p1);

#endif
