/* STUB: --self-sandbox is not implemented yet; owned by the ns engineer (issue 4). */
#include "tki/common.h"
#include "tki/sandbox.h"

void tki_sandbox_enter(struct tki_opts *o) { (void)o; tki_die(TKI_EXIT_BLOCKED, "--self-sandbox: not implemented yet"); }
