/* L4: the reports (report.json, report.md, report.sarif), written through
 * the guard atomically. Deterministic: same packet and run date, same bytes. */
#ifndef TKI_REPORT_H
#define TKI_REPORT_H

#include "tki/guard.h"
#include "tki/packet.h"

enum tki_verdict { TKI_VERDICT_ADEQUATE, TKI_VERDICT_INADEQUATE, TKI_VERDICT_REJECTED, TKI_VERDICT_BLOCKED };

/* Write the reports for an inspected packet. Returns the exit code to use:
 * exit_code unchanged on success, 3 if the guard refused a write. */
int tki_report_write(struct tki_guard *g, const struct tki_packet *p, const char *run_date,
		     unsigned formats, int exit_code);

/* Write REJECTED (exit 2) or BLOCKED (exit 3) reports that say why. */
int tki_report_write_failure(struct tki_guard *g, enum tki_verdict v, const struct tki_reject *r,
			     const char *run_date, unsigned formats);

#endif
