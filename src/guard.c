/* STUB: guard is not implemented yet; see the issues. */
#include "tki/common.h"
#include "tki/guard.h"

#include <sys/stat.h>
struct tki_guard *tki_guard_open(const char *in_dir, const char *out_dir, struct tki_guard_err *e) { (void)in_dir; (void)out_dir; (void)e; tki_die(TKI_EXIT_USAGE, "guard: not implemented yet"); }
void tki_guard_close(struct tki_guard *g) { (void)g; }
