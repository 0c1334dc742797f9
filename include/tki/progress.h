// SPDX-License-Identifier: Apache-2.0
/* The hashing progress line on stderr (only on a TTY, only past about a
 * second of hashing; never in a report). The formatter is pure. */
#ifndef TKI_PROGRESS_H
#define TKI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Show the line only after this long: a run that hashes for less than
 * about a second prints nothing. */
#define TKI_PROGRESS_DELAY_MS 1000
#define TKI_PROGRESS_TICK_MS 250

/* Pure: "hashed 512.0 MiB of 1.0 GiB (50%), 1.3 GiB/s, ETA 0:01".
 * total is an estimate ("of ~...") unless exact; secs is the time spent
 * so far. Rate and ETA read "-" and "?" while they cannot be known. */
void tki_progress_format(char *buf, size_t n, uint64_t done, uint64_t total, bool exact, double secs);

/* Pure: "999 B", "1.5 KiB", "12.0 MiB", "2.0 GiB". */
void tki_human_bytes(char *buf, size_t n, double bytes);

/* Pure: estimate of the total bytes from the sizes of the items opened so
 * far: known + (items - opened) * known / opened. */
uint64_t tki_progress_estimate(uint64_t known, size_t opened, size_t items);

/* Pure: "batch: 12 of 100 packets, 3.4/s, ETA 0:26" (inspect --batch, on
 * a TTY only; rate "-" and ETA "?" until one packet is done). */
void tki_progress_batch_format(char *buf, size_t n, size_t done, size_t total, double secs);

#endif
