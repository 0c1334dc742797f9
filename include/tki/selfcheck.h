/* L3: the P1 runtime self-check. Pure invariant functions over captured
 * text (tested on fixtures), plus a thin layer reading the live system. */
#ifndef TKI_SELFCHECK_H
#define TKI_SELFCHECK_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "tki/cli.h"
#include "tki/sandbox.h"

struct tki_p1;

/* Snapshot of what P1 judges: /proc/self/mountinfo, /proc/net/dev,
 * /proc/self/status, /proc/self/uid_map, the env keyset, engine sockets.
 * Taken before the own layer locks the filesystem; never touches the
 * input dir. */
struct tki_p1 *tki_p1_capture(const struct tki_opts *o);

/* The invariants decidable from the snapshot alone (mounts, network, env,
 * uid, engine sockets). Decides whether the own layer opens the data dirs. */
bool tki_p1_static_ok(const struct tki_p1 *p);

/* Add the live invariants (seccomp filter mode, no_new_privs, capability
 * sets, rlimits, Landlock) after the own layer; true when all hold. */
bool tki_p1_finish(struct tki_p1 *p, const struct tki_sandbox_state *sb);

/* "BLOCKED: <invariant>: <observed>" for each failed invariant. */
void tki_p1_print_blocked(const struct tki_p1 *p, FILE *f);
/* {"verdict": "OK"|"BLOCKED", "invariants": [{"name","ok","observed"}...]} */
void tki_p1_print_json(const struct tki_p1 *p, FILE *f);
/* Raw observations for an attestation bundle (new reference). */
json_t *tki_p1_raw_json(const struct tki_p1 *p);

void tki_p1_free(struct tki_p1 *p);

#endif
