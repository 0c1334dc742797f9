// SPDX-License-Identifier: Apache-2.0
/* The packet model and its reader (manifest parse + schema). */
#ifndef TKI_PACKET_H
#define TKI_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "tki/common.h"
#include "tki/guard.h"

/* Caps, each named in its error message (acceptance #12). */
#define TKI_MAX_MANIFEST_BYTES (64u << 20)
#define TKI_MAX_DEPTH 32
#define TKI_MAX_CLAIMS 250000
#define TKI_MAX_EVIDENCE 250000
#define TKI_MAX_ASSERTS 64
#define TKI_MAX_CITES 256
#define TKI_MAX_STRING 65536
/* Memory is bounded by what jansson builds, not by bytes alone: 64 MiB of
 * "[{},{},...]" would be 20M objects and several GiB. Every JSON value
 * (keys included) and every object is counted in the byte pre-scan, so the
 * largest admissible manifest stays within ~700 MB (docs/packet-format.md). */
#define TKI_MAX_JSON_VALUES 5000000u
#define TKI_MAX_JSON_OBJECTS 1000000u

enum tki_status { TKI_ST_PASS, TKI_ST_FAIL, TKI_ST_PARTIAL, TKI_ST_BLOCKED };
enum tki_kind { TKI_KIND_COMMAND_OUTPUT, TKI_KIND_ARTIFACT, TKI_KIND_ATTESTATION, TKI_KIND_PROSE };
enum tki_assert_op { TKI_OP_CONTAINS, TKI_OP_NOT_CONTAINS, TKI_OP_JSON_EQUALS };

/* Article-14 adequacy classes, in report order. */
enum tki_class {
	TKI_CLASS_ADEQUATE,
	TKI_CLASS_CONTRADICTED,
	TKI_CLASS_PROSE_ONLY,
	TKI_CLASS_UNCHECKED,
	TKI_CLASS_UNVERIFIED,
	TKI_CLASS_MISSING_EVIDENCE,
	TKI_CLASS_TRIAGE_ONLY,
	TKI_CLASS__COUNT
};

struct tki_assert {
	enum tki_assert_op op;
	char *needle; /* contains / not_contains: the bytes */
	size_t needle_len;
	char *pointer; /* json_equals: RFC 6901 pointer */
	json_t *value; /* json_equals: expected value (owned reference) */
	/* filled by the provenance stage, on the verified bytes */
	bool evaluated;
	bool holds;
	char detail[200];
};

struct tki_provenance {
	char *producer, *venue, *captured_at, *command; /* NULL when absent */
	bool has_exit_code;
	long long exit_code;
};

/* Evidence verification state, filled by the provenance stage. */
enum tki_ev_state {
	TKI_EV_UNCHECKED = 0, /* not yet looked at */
	TKI_EV_VERIFIED,      /* bytes present, digest matches, provenance valid */
	TKI_EV_MISSING,       /* cited file not in the packet */
	TKI_EV_MISMATCH,      /* digest differs */
	TKI_EV_BAD_PROVENANCE,
	TKI_EV_BLOCKED, /* the guard refused the path: the whole run is BLOCKED */
};

struct tki_evidence {
	char *id;
	enum tki_kind kind;
	char *path;
	size_t path_len; /* bytes: a JSON "\u0000" can put a NUL inside, the guard must see it */
	char sha256[65]; /* as declared, lowercase hex */
	struct tki_provenance prov;
	struct tki_assert *asserts;
	size_t n_asserts;
	size_t index; /* position in evidence[] (for JSON paths) */

	bool cited;
	enum tki_ev_state state;
	char actual_sha256[65]; /* as computed, "" if never hashed */
	uint64_t size;
	struct tki_strlist reasons;
	/* attestation evidence: bytes kept (up to a cap) for the re-judge,
	 * and its result, filled by the adequacy stage */
	char *content;
	size_t content_len;
	char *b4_prime; /* "ATTESTED" | "NOT_ATTESTED" | NULL */
	json_t *attestation; /* re-judged probe table for the report (owned) */
};

/* What one evidence item carried an ADEQUATE claim on: the asserts that
 * held on its verified bytes, or the attestation probes and P1 invariants
 * re-judged from its raw data that observe the claim's wall. */
struct tki_support_rec {
	size_t ev;          /* index into packet->evidence */
	const char *ev_id;  /* that item's id (borrowed from the packet) */
	enum tki_kind kind; /* and its kind */
	uint64_t asserts;   /* bit i: assert[i] (TKI_MAX_ASSERTS is 64) */
	uint32_t probes;    /* bit k: tki_probe_table[k] */
	uint32_t invariants; /* bit i: enum tki_raw_inv */
};

struct tki_claim {
	char *id, *category, *statement;
	enum tki_status status;
	size_t *cites; /* indexes into packet->evidence */
	size_t n_cites;
	size_t index;
	/* filled by the adequacy stage */
	enum tki_class cls;
	struct tki_strlist reasons;
	struct tki_support_rec *support; /* ADEQUATE only: what carried it (owned) */
	size_t n_support;
};

struct tki_packet {
	char *packet_id, *created_at;
	char manifest_sha256[65];
	struct tki_claim *claims;
	size_t n_claims;
	struct tki_evidence *evidence;
	size_t n_evidence;
	struct tki_strlist warnings;
	/* --trust-key keys (main sets it; never from the packet): who may
	 * sign an attestation bundle (tki/dsse.h). NULL: nobody. */
	const struct tki_keyring *trust;
};

/* Why a manifest was REJECTED (exit 2), GCC-style: "packet.json:3:7: error:
 * ..." for syntax, "packet.json: claims[0].status: error: ..." for schema.
 * Each message is complete on its own. */
/* Most errors collected before a rejection stops adding more. */
#define TKI_MAX_ERRORS 50

struct tki_reject {
	struct tki_strlist errors;
	/* Per error, its line and column in packet.json when the reader
	 * located it (0: unknown, or GCC-style in the text already): the
	 * SARIF regions of a REJECTED report. */
	unsigned line[TKI_MAX_ERRORS + 1], col[TKI_MAX_ERRORS + 1];
	char manifest_sha256[65]; /* "" when the bytes could not be read */
	char packet_id[128];      /* best effort, "" when unknown */
};

/* Seed jansson's hash function from getrandom(2) before any JSON value is
 * created: its own source, /dev/urandom, does not exist in the sandbox, and
 * a predictable seed invites crafted colliding keys. Exits 3 on failure. */
void tki_packet_seed_hash(void);

/* Pure: parse and validate manifest bytes. NULL and r filled on rejection. */
struct tki_packet *tki_packet_parse(const char *buf, size_t len, struct tki_reject *r);

/* Read packet.json through the guard, then parse. On a guard refusal,
 * *blocked is set and r names it. */
struct tki_packet *tki_packet_read(struct tki_guard *g, struct tki_reject *r, bool *blocked);

void tki_packet_free(struct tki_packet *p);
void tki_reject_free(struct tki_reject *r);

const char *tki_status_name(enum tki_status s);
const char *tki_kind_name(enum tki_kind k);
const char *tki_class_name(enum tki_class c);

#endif
