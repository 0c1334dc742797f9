// SPDX-License-Identifier: Apache-2.0
/* L4 stage 2: the Article-14 adequacy classifier. Pure. */
#ifndef TKI_ADEQUACY_H
#define TKI_ADEQUACY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "tki/packet.h"

/* The governed category taxonomy (docs/packet-format.md). */
bool tki_category_governed(const char *category);
/* The taxonomy itself, for the docs and the report's hints. */
size_t tki_taxonomy(const char *const **out);

/* RFC 6901: resolve pointer in doc (borrowed reference) or NULL. */
json_t *tki_json_pointer(json_t *doc, const char *pointer);

/* Class and reasons for every claim. Returns the exit code the packet earns:
 * 0 when every claim is ADEQUATE, 1 otherwise. */
int tki_adequacy_classify(struct tki_packet *p);

/* What one verified evidence item says about a claimed status. */
enum tki_support { TKI_SUPPORT_NONE, TKI_SUPPORT_YES, TKI_SUPPORT_CONTRADICTS };

#endif
