/* STUB: selfcheck is not implemented yet; see the issues. */
#include "tki/common.h"
#include "tki/selfcheck.h"

#include <stdlib.h>
struct tki_p1 { int unused; };
struct tki_p1 *tki_p1_capture(const struct tki_opts *o) { (void)o; return tki_xcalloc(1, sizeof(struct tki_p1)); }
bool tki_p1_static_ok(const struct tki_p1 *p) { (void)p; return false; }
bool tki_p1_finish(struct tki_p1 *p, const struct tki_sandbox_state *sb) { (void)p; (void)sb; return false; }
void tki_p1_print_blocked(const struct tki_p1 *p, FILE *f) { (void)p; fputs("BLOCKED: selfcheck: not implemented yet\n", f); }
void tki_p1_print_json(const struct tki_p1 *p, FILE *f) { (void)p; fputs("{\"verdict\": \"BLOCKED\", \"invariants\": []}\n", f); }
json_t *tki_p1_raw_json(const struct tki_p1 *p) { (void)p; return json_object(); }
void tki_p1_free(struct tki_p1 *p) { free(p); }
