/* STUB: report is not implemented yet; see the issues. */
#include "tki/common.h"
#include "tki/report.h"

int tki_report_write(struct tki_guard *g, const struct tki_packet *p, const char *run_date, unsigned formats, int exit_code) { (void)g; (void)p; (void)run_date; (void)formats; (void)exit_code; tki_die(TKI_EXIT_USAGE, "report: not implemented yet"); }
int tki_report_write_failure(struct tki_guard *g, enum tki_verdict v, const struct tki_reject *r, const char *run_date, unsigned formats) { (void)g; (void)v; (void)r; (void)run_date; (void)formats; tki_die(TKI_EXIT_USAGE, "report: not implemented yet"); }
