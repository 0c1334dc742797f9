/* L4 stage 2: the Article-14 adequacy classifier. Pure. */
#ifndef TKI_ADEQUACY_H
#define TKI_ADEQUACY_H

#include <stdbool.h>

#include <jansson.h>

#include "tki/packet.h"

/* The governed category taxonomy (docs/packet-format.md). */
bool tki_category_governed(const char *category);

/* RFC 6901: resolve pointer in doc (borrowed reference) or NULL. */
json_t *tki_json_pointer(json_t *doc, const char *pointer);

/* Class and reasons for every claim. Returns the exit code the packet earns:
 * 0 when every claim is ADEQUATE, 1 otherwise. */
int tki_adequacy_classify(struct tki_packet *p);

#endif
