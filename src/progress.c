// SPDX-License-Identifier: Apache-2.0
/* The progress line's text. Pure: tested in tests/unit/test_progress.c. */
#include "tki/progress.h"

#include <stdio.h>

void tki_human_bytes(char *buf, size_t n, double bytes)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
	if (bytes < 1024) {
		snprintf(buf, n, "%.0f B", bytes);
		return;
	}
	size_t u = 0;
	bytes /= 1024;
	while (bytes >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, n, "%.1f %s", bytes, units[u]);
}

uint64_t tki_progress_estimate(uint64_t known, size_t opened, size_t items)
{
	if (opened == 0 || opened >= items)
		return known;
	return known + (uint64_t)((double)known / (double)opened * (double)(items - opened));
}

void tki_progress_format(char *buf, size_t n, uint64_t done, uint64_t total, bool exact, double secs)
{
	char d[24], t[24], r[24] = "-", eta[24] = "?";
	if (total < done)
		total = done; /* a file that grew while it was read */
	tki_human_bytes(d, sizeof(d), (double)done);
	tki_human_bytes(t, sizeof(t), (double)total);
	unsigned pct = total ? (unsigned)((double)done * 100.0 / (double)total) : 100;
	if (secs > 0 && done > 0) {
		double rate = (double)done / secs;
		tki_human_bytes(r, sizeof(r), rate);
		double left = (double)(total - done) / rate + 0.999; /* round up */
		unsigned long long s = left > 359999 ? 359999 : (unsigned long long)left;
		if (s >= 3600)
			snprintf(eta, sizeof(eta), "%llu:%02llu:%02llu", s / 3600, s / 60 % 60, s % 60);
		else
			snprintf(eta, sizeof(eta), "%llu:%02llu", s / 60, s % 60);
	}
	snprintf(buf, n, "hashed %s of %s%s (%u%%), %s%s, ETA %s", d, exact ? "" : "~", t, pct, r,
		 secs > 0 && done > 0 ? "/s" : "", eta);
}

void tki_progress_batch_format(char *buf, size_t n, size_t done, size_t total, double secs)
{
	char rate[24] = "-", eta[24] = "?";
	if (secs > 0 && done > 0) {
		double r = (double)done / secs;
		snprintf(rate, sizeof(rate), "%.1f/s", r);
		double left = (double)(total > done ? total - done : 0) / r + 0.999;
		unsigned long long s = left > 359999 ? 359999 : (unsigned long long)left;
		if (s >= 3600)
			snprintf(eta, sizeof(eta), "%llu:%02llu:%02llu", s / 3600, s / 60 % 60, s % 60);
		else
			snprintf(eta, sizeof(eta), "%llu:%02llu", s / 60, s % 60);
	}
	snprintf(buf, n, "batch: %zu of %zu packets, %s, ETA %s", done, total, rate, eta);
}
