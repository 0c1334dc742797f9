/* L4 stage 1: is each cited evidence item really there, unaltered, and of
 * valid provenance? Streams every artifact through SHA-256 (nettle) and the
 * byte asserts, in fixed-size chunks. */
#ifndef TKI_PROVENANCE_H
#define TKI_PROVENANCE_H

#include <stdbool.h>

#include "tki/guard.h"
#include "tki/packet.h"

/* Pure: is the provenance valid for this run date? Reasons appended. */
bool tki_provenance_valid(const struct tki_evidence *ev, const char *run_date, struct tki_strlist *reasons);

/* Verify every evidence item (state, actual_sha256, reasons, assert results)
 * and add a warning for each file in the packet that no evidence cites.
 * Returns false when the guard refused an item (the run is BLOCKED; the
 * refused item is named in blocked_msg). */
bool tki_provenance_validate(struct tki_guard *g, struct tki_packet *p, const char *run_date,
			     struct tki_strlist *blocked_msg);

#endif
