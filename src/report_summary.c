// SPDX-License-Identifier: Apache-2.0
/* The batch summary: summary.json, summary.md and summary.sarif are pure
 * renderings of one struct tki_summary, so a merge of shard summaries,
 * parsed back and re-rendered, is byte-identical to one run over all the
 * packets. The parser is the merge's gate: a shard summary is input from a
 * process the merge may not fully trust (docs/tki-inspector.1, "merge"). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tki/batch.h"
#include "tki/common.h"
#include "tki/report.h"
#include "report_out.h"

#define SUMMARY_SCHEMA "tki-inspector/batch-summary/v1"
#define PARTITION "sha256(name)[0..8] big-endian mod count"
#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#ifndef TKI_INFORMATION_URI
#define TKI_INFORMATION_URI "https://github.com/tki-inspector/tki-inspector"
#endif
#define SUMMARY_HELP_URI TKI_INFORMATION_URI "/blob/main/docs/tki-inspector.1"
/* A reason is one of our own sentences; bound what a shard may claim. */
#define MAX_REASON 512
#define MAX_NAME 2048

static const char *const verdicts[] = {"ADEQUATE", "INADEQUATE", "REJECTED", "BLOCKED"};

static const char *verdict_of(int code)
{
	return verdicts[code < 0 || code > 3 ? 3 : code];
}

void tki_summary_entry_init(struct tki_summary_entry *e, const char *name, size_t len)
{
	memset(e, 0, sizeof(*e));
	uint8_t d[32];
	tki_shard_digest(name, len, d);
	tki_hex_lower(d, sizeof(d), e->sha256);
	e->name_ok = tki_batch_name_ok(name, len);
	e->name = e->name_ok ? tki_xstrdup(name) : tki_escape(name, len, TKI_ESC_TEXT);
}

static int cmp_entry(const void *a, const void *b)
{
	const struct tki_summary_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->sha256, y->sha256);
}

void tki_summary_finish(struct tki_summary *s)
{
	if (s->n)
		qsort(s->e, s->n, sizeof(*s->e), cmp_entry);
	tki_autofree int *codes = tki_xcalloc(s->n + 1, sizeof(int));
	for (size_t i = 0; i < s->n; i++)
		codes[i] = s->e[i].exit_code;
	s->exit_code = tki_batch_worst(codes, s->n, s->batch_entries);
}

void tki_summary_free(struct tki_summary *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->e[i].name);
		free(s->e[i].reason);
	}
	free(s->e);
	s->e = NULL;
	s->n = 0;
}

static void counts(const struct tki_summary *s, size_t c[4])
{
	memset(c, 0, 4 * sizeof(size_t));
	for (size_t i = 0; i < s->n; i++)
		c[s->e[i].exit_code < 0 || s->e[i].exit_code > 3 ? 3 : s->e[i].exit_code]++;
}

static char *reports_dir(const struct tki_summary_entry *e)
{
	return tki_xasprintf("packets/%s/", e->name);
}

/* ---- summary.json ---- */

char *tki_summary_render_json(const struct tki_summary *s, size_t *len)
{
	json_t *root = json_object();
	json_object_set_new(root, "schema", json_string(SUMMARY_SCHEMA));
	json_object_set_new(root, "tool", json_string("tki-inspector"));
	json_object_set_new(root, "version", json_string(TKI_VERSION));
	json_object_set_new(root, "run_date", json_string(s->run_date));
	json_t *sh = json_object();
	json_object_set_new(sh, "index", json_integer(s->shard_index));
	json_object_set_new(sh, "count", json_integer(s->shard_count));
	json_object_set_new(sh, "partition", json_string(PARTITION));
	json_object_set_new(root, "shard", sh);
	json_object_set_new(root, "batch_entries", json_integer((json_int_t)s->batch_entries));
	json_object_set_new(root, "listing_sha256", json_string(s->listing_sha256));
	json_object_set_new(root, "exit_code", json_integer(s->exit_code));
	size_t c[4];
	counts(s, c);
	json_t *co = json_object();
	for (int i = 0; i < 4; i++)
		json_object_set_new(co, verdicts[i], json_integer((json_int_t)c[i]));
	json_object_set_new(root, "counts", co);
	json_t *arr = json_array();
	for (size_t i = 0; i < s->n; i++) {
		const struct tki_summary_entry *e = &s->e[i];
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(e->name));
		json_object_set_new(o, "name_sha256", json_string(e->sha256));
		json_object_set_new(o, "name_ok", json_boolean(e->name_ok));
		json_object_set_new(o, "exit_code", json_integer(e->exit_code));
		json_object_set_new(o, "verdict", json_string(verdict_of(e->exit_code)));
		tki_autofree char *rd = reports_dir(e);
		json_object_set_new(o, "reports", e->has_reports ? json_string(rd) : json_null());
		json_object_set_new(o, "reason", e->reason ? json_string(e->reason) : json_null());
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "packets", arr);
	return tki_report_dump(root, "summary.json", len);
}

/* ---- summary.md ---- */

struct buf {
	char *s;
	size_t n, cap;
};

__attribute__((format(printf, 2, 3)))
static void bput(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *t;
	int k = vasprintf(&t, fmt, ap);
	va_end(ap);
	if (k < 0)
		tki_oom();
	if (b->n + (size_t)k + 1 > b->cap) {
		b->cap = (b->n + (size_t)k + 1) * 2;
		b->s = tki_xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->n, t, (size_t)k + 1);
	b->n += (size_t)k;
	free(t);
}

char *tki_summary_render_md(const struct tki_summary *s, size_t *len)
{
	struct buf b = {0};
	size_t c[4];
	counts(s, c);
	bput(&b, "# tki-inspector batch summary\n\n");
	bput(&b, "Run date %s. ", s->run_date);
	if (s->shard_count > 1)
		bput(&b, "Shard %u of %u (0-based) of a batch of %zu entries: %zu here.\n\n", s->shard_index,
		     s->shard_count, s->batch_entries, s->n);
	else
		bput(&b, "%zu entries in the batch.\n\n", s->batch_entries);
	bput(&b, "Listing SHA-256 %s (the batch dir's entry names, docs/reports.md).\n\n", s->listing_sha256);
	bput(&b, "Exit code %d: the worst of the packets' (3 BLOCKED > 2 REJECTED > 1 INADEQUATE > 0 ADEQUATE%s).\n\n",
	     s->exit_code, s->batch_entries ? "" : "; an empty batch is 1");
	bput(&b, "%zu ADEQUATE, %zu INADEQUATE, %zu REJECTED, %zu BLOCKED.\n\n", c[0], c[1], c[2], c[3]);
	bput(&b, "Each verdict is about its own packet only, scoped as its report says; this summary adds "
		 "no verdict of its own.\n\n");
	if (s->n) {
		bput(&b, "| Packet directory | Verdict | Exit | Reports | Note |\n|---|---|---|---|---|\n");
		for (size_t i = 0; i < s->n; i++) {
			const struct tki_summary_entry *e = &s->e[i];
			tki_autofree char *name = tki_escape_str(e->name, TKI_ESC_MD);
			tki_autofree char *rd = reports_dir(e);
			tki_autofree char *rde = tki_escape_str(rd, TKI_ESC_MD);
			tki_autofree char *why = tki_escape_str(e->reason, TKI_ESC_MD);
			bput(&b, "| %s | %s | %d | %s | %s |\n", name, verdict_of(e->exit_code), e->exit_code,
			     e->has_reports ? rde : "(none)", why);
		}
	}
	*len = b.n;
	return b.s;
}

/* ---- summary.sarif: one run per packet ---- */

static const char *const friendly[] = {"PacketAdequate", "PacketInadequate", "PacketRejected", "PacketBlocked"};
static const char *const rule_text[] = {
	"every claim of the packet is adequately evidenced (its report says which)",
	"the packet was inspected; at least one claim is not adequately evidenced",
	"the packet manifest is invalid (REJECTED)",
	"the packet's run was stopped fail closed (guard, sandbox, work limit, refused entry or worker ended)",
};

static json_t *driver(void)
{
	json_t *rules = json_array();
	for (int i = 0; i < 4; i++) {
		json_t *r = json_object();
		json_object_set_new(r, "id", json_string(verdicts[i]));
		json_object_set_new(r, "name", json_string(friendly[i]));
		json_object_set_new(r, "shortDescription", tki_sarif_text(rule_text[i]));
		json_object_set_new(r, "fullDescription", tki_sarif_text(rule_text[i]));
		json_object_set_new(r, "helpUri", json_string(SUMMARY_HELP_URI));
		json_object_set_new(r, "help", tki_sarif_text("Open the packet's own reports (packets/NAME/report.md) for the "
						    "claims and the reasons."));
		json_t *cfg = json_object();
		json_object_set_new(cfg, "level", json_string(i == 0 ? "note" : "error"));
		json_object_set_new(r, "defaultConfiguration", cfg);
		json_array_append_new(rules, r);
	}
	return tki_sarif_tool(rules);
}

static json_t *entry_run(const struct tki_summary *s, const struct tki_summary_entry *e)
{
	tki_autofree char *rd = reports_dir(e);
	tki_autofree char *where = tki_xasprintf("%sreport.sarif", rd);
	tki_autofree char *uri = tki_uri_encode(e->has_reports ? where : "summary.json");
	tki_autofree char *msg = tki_xasprintf("Packet directory \"%s\": %s (exit %d)%s%s. %s", e->name,
					       verdict_of(e->exit_code), e->exit_code, e->reason ? ": " : "",
					       e->reason ? e->reason : "",
					       e->has_reports ? "Its reports say why, claim by claim."
							      : "It was not inspected.");
	tki_autofree char *emsg = tki_escape_str(msg, TKI_ESC_SARIF);

	json_t *al = json_object();
	json_object_set_new(al, "uri", json_string(uri));
	json_object_set_new(al, "uriBaseId", json_string("BATCHOUT"));
	json_t *region = json_object();
	json_object_set_new(region, "startLine", json_integer(1));
	json_t *phys = json_object();
	json_object_set_new(phys, "artifactLocation", al);
	json_object_set_new(phys, "region", region);
	json_t *loc = json_object();
	json_object_set_new(loc, "physicalLocation", phys);
	json_t *locs = json_array();
	json_array_append_new(locs, loc);

	json_t *res = json_object();
	json_object_set_new(res, "ruleId", json_string(verdict_of(e->exit_code)));
	json_object_set_new(res, "ruleIndex", json_integer(e->exit_code));
	json_object_set_new(res, "level", json_string(e->exit_code ? "error" : "note"));
	json_object_set_new(res, "message", tki_sarif_text(emsg));
	json_object_set_new(res, "locations", locs);
	json_t *pfp = json_object();
	json_object_set_new(pfp, "packetDirSha256/v1", json_string(e->sha256));
	json_object_set_new(res, "partialFingerprints", pfp);
	json_t *results = json_array();
	json_array_append_new(results, res);

	json_t *base = json_object();
	json_object_set_new(base, "description", tki_sarif_text("the batch output directory (--out)"));
	json_t *bases = json_object();
	json_object_set_new(bases, "BATCHOUT", base);

	/* One category per packet directory: a code-scanning UI keeps each
	 * packet's latest run, whatever shard inspected it. */
	tki_autofree char *cat = tki_xasprintf("tki-inspector/batch/%.16s/", e->sha256);
	json_t *auto_d = json_object();
	json_object_set_new(auto_d, "id", json_string(cat));
	json_object_set_new(auto_d, "description", tki_sarif_text("tki-inspector verdict on one packet of a batch"));

	json_t *props = json_object();
	json_object_set_new(props, "packet_dir", json_string(e->name));
	json_object_set_new(props, "name_sha256", json_string(e->sha256));
	json_object_set_new(props, "run_date", json_string(s->run_date));
	json_object_set_new(props, "verdict", json_string(verdict_of(e->exit_code)));
	json_object_set_new(props, "exit_code", json_integer(e->exit_code));
	json_object_set_new(props, "reports", e->has_reports ? json_string(rd) : json_null());

	json_t *run = json_object();
	json_object_set_new(run, "tool", driver());
	json_object_set_new(run, "automationDetails", auto_d);
	json_object_set_new(run, "originalUriBaseIds", bases);
	json_object_set_new(run, "results", results);
	json_object_set_new(run, "properties", props);
	return run;
}

char *tki_summary_render_sarif(const struct tki_summary *s, size_t *len)
{
	return tki_summary_render_sarif_part(s, 0, s->n, len);
}

char *tki_summary_render_sarif_part(const struct tki_summary *s, size_t from, size_t to, size_t *len)
{
	json_t *runs = json_array();
	for (size_t i = from; i < to && i < s->n; i++)
		json_array_append_new(runs, entry_run(s, &s->e[i]));
	json_t *root = json_object();
	json_object_set_new(root, "$schema", json_string(SARIF_SCHEMA));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_object_set_new(root, "runs", runs);
	return tki_report_dump(root, "summary.sarif", len);
}

/* ---- the merge's gate ---- */

__attribute__((format(printf, 3, 4)))
static bool bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return false;
}

/* Exactly these keys, no other. */
static bool keys_are(json_t *o, const char *const *keys, size_t n)
{
	if (!json_is_object(o) || json_object_size(o) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!json_object_get(o, keys[i]))
			return false;
	return true;
}

static bool int_in(json_t *v, json_int_t lo, json_int_t hi, json_int_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return false;
	*out = json_integer_value(v);
	return true;
}

static bool is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

static bool hex_digest(const char *h, uint8_t d[32])
{
	for (int i = 0; i < 32; i++) {
		unsigned v;
		if (sscanf(h + 2 * i, "%2x", &v) != 1)
			return false;
		d[i] = (uint8_t)v;
	}
	return true;
}

static bool parse_entry(json_t *o, size_t i, const struct tki_summary *s, struct tki_summary_entry *e, char *err,
			size_t errlen)
{
	static const char *const keys[] = {"name", "name_sha256", "name_ok", "exit_code", "verdict", "reports", "reason"};
	if (!keys_are(o, keys, TKI_ARRAY_LEN(keys)))
		return bad(err, errlen, "$.packets[%zu]: not an object with exactly the keys name, name_sha256, "
			   "name_ok, exit_code, verdict, reports, reason", i);
	const char *name = json_string_value(json_object_get(o, "name"));
	const char *sha = json_string_value(json_object_get(o, "name_sha256"));
	json_t *ok = json_object_get(o, "name_ok");
	json_int_t code;
	if (!name || !*name || json_string_length(json_object_get(o, "name")) > MAX_NAME ||
	    strlen(name) != json_string_length(json_object_get(o, "name")))
		return bad(err, errlen, "$.packets[%zu].name: not a non-empty string without NUL (at most %d bytes)", i,
			   MAX_NAME);
	if (!sha || !is_hex64(sha))
		return bad(err, errlen, "$.packets[%zu].name_sha256: not 64 lowercase hex digits", i);
	if (!json_is_boolean(ok))
		return bad(err, errlen, "$.packets[%zu].name_ok: not a boolean", i);
	if (!int_in(json_object_get(o, "exit_code"), 0, 3, &code))
		return bad(err, errlen, "$.packets[%zu].exit_code: not 0, 1, 2 or 3", i);
	const char *v = json_string_value(json_object_get(o, "verdict"));
	if (!v || strcmp(v, verdict_of((int)code)))
		return bad(err, errlen, "$.packets[%zu].verdict: not %s, the verdict of exit code %d", i,
			   verdict_of((int)code), (int)code);
	e->name_ok = json_is_true(ok);
	e->name = tki_xstrdup(name);
	snprintf(e->sha256, sizeof(e->sha256), "%s", sha);
	e->exit_code = (int)code;
	if (e->name_ok) {
		struct tki_summary_entry chk;
		tki_summary_entry_init(&chk, name, strlen(name));
		bool same = chk.name_ok && !strcmp(chk.sha256, sha);
		free(chk.name);
		if (!same)
			return bad(err, errlen, "$.packets[%zu]: name_ok is true but the name is not an acceptable "
				   "directory name, or name_sha256 is not its SHA-256", i);
	} else {
		/* The escaped form of a refused name: printable text. */
		bool printable = tki_utf8_invalid_at(name, strlen(name)) == strlen(name);
		for (const char *p = name; printable && *p; p++)
			printable = (unsigned char)*p >= 0x20 && *p != 0x7f;
		if (!printable)
			return bad(err, errlen, "$.packets[%zu].name: name_ok is false but the name is not the escaped "
				   "(printable) form of a refused name", i);
	}
	uint8_t d[32];
	if (!hex_digest(sha, d) || tki_shard_of_digest(d, s->shard_count) != s->shard_index)
		return bad(err, errlen, "$.packets[%zu]: the name belongs to shard %u of %u, not to this shard %u", i,
			   tki_shard_of_digest(d, s->shard_count), s->shard_count, s->shard_index);
	json_t *rep = json_object_get(o, "reports");
	tki_autofree char *rd = reports_dir(e);
	if (json_is_null(rep))
		e->has_reports = false;
	else if (json_is_string(rep) && e->name_ok && !strcmp(json_string_value(rep), rd))
		e->has_reports = true;
	else
		return bad(err, errlen, "$.packets[%zu].reports: neither null nor \"packets/NAME/\" of an acceptable name",
			   i);
	if (!e->has_reports && e->exit_code != TKI_EXIT_BLOCKED)
		return bad(err, errlen, "$.packets[%zu]: not inspected (reports null) yet not BLOCKED", i);
	json_t *why = json_object_get(o, "reason");
	if (json_is_string(why) && json_string_length(why) <= MAX_REASON &&
	    strlen(json_string_value(why)) == json_string_length(why))
		e->reason = tki_xstrdup(json_string_value(why));
	else if (!json_is_null(why))
		return bad(err, errlen, "$.packets[%zu].reason: neither null nor a string of at most %d bytes", i,
			   MAX_REASON);
	return true;
}

static bool parse_root(json_t *root, const char *version, struct tki_summary *s, char *err, size_t errlen)
{
	static const char *const keys[] = {"schema", "tool", "version", "run_date", "shard",
					   "batch_entries", "listing_sha256", "exit_code", "counts", "packets"};
	static const char *const shard_keys[] = {"index", "count", "partition"};
	if (!keys_are(root, keys, TKI_ARRAY_LEN(keys)))
		return bad(err, errlen, "$: not an object with exactly the keys of a %s summary", SUMMARY_SCHEMA);
	const char *sv = json_string_value(json_object_get(root, "schema"));
	if (!sv || strcmp(sv, SUMMARY_SCHEMA))
		return bad(err, errlen, "$.schema: not \"%s\"", SUMMARY_SCHEMA);
	const char *tool = json_string_value(json_object_get(root, "tool"));
	if (!tool || strcmp(tool, "tki-inspector"))
		return bad(err, errlen, "$.tool: not \"tki-inspector\"");
	const char *ver = json_string_value(json_object_get(root, "version"));
	if (!ver || strcmp(ver, version))
		return bad(err, errlen, "$.version: written by another version than this merge (%s); merge with the "
			   "version that ran the shards", version);
	const char *rd = json_string_value(json_object_get(root, "run_date"));
	if (!rd || !tki_date_valid(rd))
		return bad(err, errlen, "$.run_date: not a date YYYY-MM-DD");
	snprintf(s->run_date, sizeof(s->run_date), "%s", rd);
	json_t *sh = json_object_get(root, "shard");
	json_int_t idx, cnt, be, ec;
	if (!keys_are(sh, shard_keys, 3) || !int_in(json_object_get(sh, "count"), 1, 4096, &cnt) ||
	    !int_in(json_object_get(sh, "index"), 0, cnt - 1, &idx) ||
	    !json_is_string(json_object_get(sh, "partition")) ||
	    strcmp(json_string_value(json_object_get(sh, "partition")), PARTITION))
		return bad(err, errlen, "$.shard: not {index, count, partition} with 0 <= index < count <= 4096 and "
			   "partition \"%s\"", PARTITION);
	s->shard_index = (unsigned)idx;
	s->shard_count = (unsigned)cnt;
	if (!int_in(json_object_get(root, "batch_entries"), 0, TKI_BATCH_MAX_ENTRIES, &be))
		return bad(err, errlen, "$.batch_entries: not an integer from 0 to %d", TKI_BATCH_MAX_ENTRIES);
	s->batch_entries = (size_t)be;
	const char *ls = json_string_value(json_object_get(root, "listing_sha256"));
	if (!ls || !is_hex64(ls))
		return bad(err, errlen, "$.listing_sha256: not 64 lowercase hex digits");
	snprintf(s->listing_sha256, sizeof(s->listing_sha256), "%s", ls);
	json_t *arr = json_object_get(root, "packets");
	if (!json_is_array(arr) || json_array_size(arr) > s->batch_entries)
		return bad(err, errlen, "$.packets: not an array of at most batch_entries (%zu) entries", s->batch_entries);
	s->e = tki_xcalloc(json_array_size(arr) + 1, sizeof(*s->e));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		s->n = i + 1;
		if (!parse_entry(json_array_get(arr, i), i, s, &s->e[i], err, errlen))
			return false;
		if (i && cmp_entry(&s->e[i - 1], &s->e[i]) >= 0)
			return bad(err, errlen, "$.packets[%zu]: not after the entry before it (sorted by name, no "
				   "duplicates)", i);
	}
	if (!int_in(json_object_get(root, "exit_code"), 0, 3, &ec))
		return bad(err, errlen, "$.exit_code: not 0, 1, 2 or 3");
	tki_summary_finish(s);
	if (ec != s->exit_code)
		return bad(err, errlen, "$.exit_code: %d, but the worst of the packets' is %d", (int)ec, s->exit_code);
	size_t c[4];
	counts(s, c);
	json_t *co = json_object_get(root, "counts");
	if (!keys_are(co, verdicts, 4))
		return bad(err, errlen, "$.counts: not an object with exactly the four verdicts");
	for (int i = 0; i < 4; i++) {
		json_int_t k;
		if (!int_in(json_object_get(co, verdicts[i]), 0, TKI_BATCH_MAX_ENTRIES, &k) || (size_t)k != c[i])
			return bad(err, errlen, "$.counts.%s: not the %zu entries the packets give", verdicts[i], c[i]);
	}
	return true;
}

bool tki_summary_parse(const char *text_in, size_t len, const char *version, struct tki_summary *s, char *err,
		       size_t errlen)
{
	memset(s, 0, sizeof(*s));
	json_error_t je;
	json_t *root = json_loadb(text_in, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return bad(err, errlen, "line %d, column %d: %s", je.line, je.column, je.text);
	bool ok = parse_root(root, version, s, err, errlen);
	json_decref(root);
	if (!ok)
		tki_summary_free(s);
	return ok;
}

/* The entries, all shards together, are exactly the listing every shard
 * recorded: a packet missing from every shard (the dir changed while the
 * shards ran, or a shard dropped one) fails here even when the counts add
 * up. */
static bool listing_matches(const struct tki_summary *m, char *err, size_t errlen)
{
	tki_autofree uint8_t(*d)[32] = tki_xcalloc(m->n + 1, 32);
	for (size_t i = 0; i < m->n; i++)
		if (!hex_digest(m->e[i].sha256, d[i]))
			return bad(err, errlen, "packet directory \"%s\": name_sha256 unreadable", m->e[i].name);
	char hex[65];
	tki_batch_listing_digest(d, m->n, hex);
	if (strcmp(hex, m->listing_sha256))
		return bad(err, errlen, "the merged entries' names give listing digest %.16s..., not the %.16s... "
			   "every shard recorded: a packet directory is missing from every shard, or one is not of "
			   "that listing", hex, m->listing_sha256);
	return true;
}

bool tki_summary_merge(struct tki_summary *shards, size_t n, struct tki_summary *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return bad(err, errlen, "no shard summary given");
	unsigned count = shards[0].shard_count;
	tki_autofree bool *seen = tki_xcalloc(count, sizeof(bool));
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		const struct tki_summary *s = &shards[i];
		if (strcmp(s->run_date, shards[0].run_date))
			return bad(err, errlen, "summary %zu: run date %s, but summary 1 has %s", i + 1, s->run_date,
				   shards[0].run_date);
		if (s->shard_count != count)
			return bad(err, errlen, "summary %zu: shard %u of %u, but summary 1 is of %u shards", i + 1,
				   s->shard_index, s->shard_count, count);
		if (s->batch_entries != shards[0].batch_entries)
			return bad(err, errlen, "summary %zu: a batch of %zu entries, but summary 1 saw %zu", i + 1,
				   s->batch_entries, shards[0].batch_entries);
		if (strcmp(s->listing_sha256, shards[0].listing_sha256))
			return bad(err, errlen, "summary %zu: listing digest %.16s..., but summary 1 has %.16s...: the "
				   "shards listed different batch dirs (or the dir changed between them)", i + 1,
				   s->listing_sha256, shards[0].listing_sha256);
		if (seen[s->shard_index])
			return bad(err, errlen, "summary %zu: shard %u/%u given twice (overlapping shards)", i + 1,
				   s->shard_index, count);
		seen[s->shard_index] = true;
		total += s->n;
	}
	for (unsigned k = 0; k < count; k++)
		if (!seen[k])
			return bad(err, errlen, "shard %u/%u is missing: merge needs the summary of every shard", k, count);
	if (total != shards[0].batch_entries)
		return bad(err, errlen, "the shards list %zu entries, but the batch had %zu", total,
			   shards[0].batch_entries);
	snprintf(out->run_date, sizeof(out->run_date), "%s", shards[0].run_date);
	snprintf(out->listing_sha256, sizeof(out->listing_sha256), "%s", shards[0].listing_sha256);
	out->shard_index = 0;
	out->shard_count = 1;
	out->batch_entries = total;
	out->e = tki_xcalloc(total + 1, sizeof(*out->e));
	for (size_t i = 0; i < n; i++) {
		memcpy(out->e + out->n, shards[i].e, shards[i].n * sizeof(*out->e));
		out->n += shards[i].n;
		free(shards[i].e);
		shards[i].e = NULL;
		shards[i].n = 0;
	}
	tki_summary_finish(out);
	for (size_t i = 1; i < out->n; i++)
		if (!strcmp(out->e[i - 1].sha256, out->e[i].sha256))
			return bad(err, errlen, "packet directory \"%s\" is listed twice", out->e[i].name);
	return listing_matches(out, err, errlen);
}
