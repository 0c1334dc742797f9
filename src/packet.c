/* STUB: packet is not implemented yet; see the issues. */
#include "tki/common.h"
#include "tki/packet.h"

#include <stdlib.h>
struct tki_packet *tki_packet_read(struct tki_guard *g, struct tki_reject *r, bool *blocked) { (void)g; (void)r; (void)blocked; tki_die(TKI_EXIT_USAGE, "packet reader: not implemented yet"); }
void tki_packet_free(struct tki_packet *p) { (void)p; }
void tki_reject_free(struct tki_reject *r) { tki_strlist_free(&r->errors); }
