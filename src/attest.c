/* STUB: attest is not implemented yet; see the issues. */
#include "tki/common.h"
#include "tki/attest.h"

int tki_attest_run(const struct tki_opts *o, struct tki_guard *g, const struct tki_p1 *p1) { (void)o; (void)g; (void)p1; tki_die(TKI_EXIT_USAGE, "attest: not implemented yet"); }
