/* STUB: adequacy is not implemented yet; see the issues. */
#include "tki/common.h"
#include "tki/adequacy.h"

int tki_adequacy_classify(struct tki_packet *p) { (void)p; tki_die(TKI_EXIT_USAGE, "adequacy: not implemented yet"); }
