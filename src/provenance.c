/* STUB: provenance is not implemented yet; see the issues. */
#include "tki/common.h"
#include "tki/provenance.h"

bool tki_provenance_validate(struct tki_guard *g, struct tki_packet *p, const char *run_date, struct tki_strlist *blocked_msg) { (void)g; (void)p; (void)run_date; (void)blocked_msg; tki_die(TKI_EXIT_USAGE, "provenance: not implemented yet"); }
