// SPDX-License-Identifier: Apache-2.0
/* The guard's batch side (src/guard_batch.c), for src/batch.c only. */
#ifndef TKI_GUARD_BATCH_H
#define TKI_GUARD_BATCH_H

#include "tki/guard.h"

/* Where the per-packet report dirs go, beneath the output dir: apart from
 * summary.*, so no packet name can collide with a summary file. */
#define TKI_BATCH_REPORTS "packets"

#include <sys/types.h>

/* Which directory a report dir is (st_dev, st_ino): two names must never
 * share one (a case-insensitive --out folds "A" and "a" together). */
struct tki_batch_dirid {
	dev_t dev;
	ino_t ino;
};

enum tki_batch_kind { TKI_BATCH_DIR, TKI_BATCH_SYMLINK, TKI_BATCH_OTHER };
typedef void (*tki_guard_batch_fn)(const char *name, enum tki_batch_kind kind, void *ctx);

/* Each entry of the input root (not "." or ".."), unsorted, symlinks not
 * followed; at most TKI_BATCH_MAX_ENTRIES. */
int tki_guard_batch_list(struct tki_guard *g, tki_guard_batch_fn fn, void *ctx, struct tki_guard_err *e);
/* Make packets/ and packets/NAME/ in the output root (existing ones are
 * kept if they are directories reached without a symlink); id: which
 * directory packets/NAME/ is. */
int tki_guard_batch_mkdir(struct tki_guard *g, const char *name, struct tki_batch_dirid *id,
			  struct tki_guard_err *e);
/* A guard anchored at NAME in the input root and packets/NAME in the
 * output root, both opened beneath g's (TKI_GUARD_RESOLVE); refused unless
 * packets/NAME is still the directory id the parent checked. */
struct tki_guard *tki_guard_batch_sub(const struct tki_guard *g, const char *name, const struct tki_batch_dirid *id,
				      struct tki_guard_err *e);
/* Whether NAME (one component, ours) exists in the output root, whatever
 * it is (a symlink not followed): a summary part of an earlier run. */
bool tki_guard_batch_out_has(const struct tki_guard *g, const char *name);
/* The two roots' fds, for the worker's Landlock rules and fd hygiene. */
void tki_guard_batch_fds(const struct tki_guard *g, int *in_fd, int *out_fd);

#endif
