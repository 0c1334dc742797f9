/* STUB: sandbox is not implemented yet; see the issues. */
#include "tki/common.h"
#include "tki/sandbox.h"

#include <string.h>
void tki_sandbox_restrict(const struct tki_opts *o, bool data_dirs, struct tki_sandbox_state *st) { (void)o; (void)data_dirs; memset(st, 0, sizeof(*st)); }
