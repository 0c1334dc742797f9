// SPDX-License-Identifier: Apache-2.0
/* L4 stage 2: the Article-14 adequacy classifier. Pure. */
#ifndef TKI_ADEQUACY_H
#define TKI_ADEQUACY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "tki/packet.h"

#define TKI_BINDING_MAX_PROBES 12

/* The governed category taxonomy (docs/packet-format.md). */
bool tki_category_governed(const char *category);
/* The taxonomy itself, for the docs and the report's hints. */
size_t tki_taxonomy(const char *const **out);

/* Evidence binding (docs/packet-format.md, "Evidence binding"): for each
 * governed category, the only evidence that can support its claims. Any
 * verified evidence may contradict a claim; support outside this table
 * leaves the claim UNCHECKED, with `counts` saying what would count. */
struct tki_binding {
	const char *category;
	bool by_asserts;  /* command_output, artifact: asserts that hold on verified bytes */
	const char *probes[TKI_BINDING_MAX_PROBES + 1]; /* attestation: these probes... (NULL-ended) */
	unsigned invariants; /* ...and these P1 invariants (bits of enum tki_raw_inv), re-judged from raw */
};
/* NULL for a category outside the taxonomy. */
const struct tki_binding *tki_binding_for(const char *category);
size_t tki_bindings(const struct tki_binding **out);
/* Bits of tki_probe_table for b->probes. */
uint32_t tki_binding_probe_mask(const struct tki_binding *b);
/* What would count for b, in words (new string). */
char *tki_binding_counts(const struct tki_binding *b);
/* report.json's "supported_by" of a claim: [{evidence, kind, asserts |
 * probes + p1_invariants}] (new reference; [] unless ADEQUATE). */
json_t *tki_support_json(const struct tki_claim *c);

/* RFC 6901: resolve pointer in doc (borrowed reference) or NULL. */
json_t *tki_json_pointer(json_t *doc, const char *pointer);

/* Class and reasons for every claim. Returns the exit code the packet earns:
 * 0 when every claim is ADEQUATE, 1 otherwise. */
int tki_adequacy_classify(struct tki_packet *p);

/* What one verified evidence item says about a claimed status. */
enum tki_support { TKI_SUPPORT_NONE, TKI_SUPPORT_YES, TKI_SUPPORT_CONTRADICTS };

#endif
