// SPDX-License-Identifier: Apache-2.0
/* --format vsa: the verdict as an in-toto Statement v1 with the SLSA
 * Verification Summary Attestation v1 predicate
 * (slsa-framework/slsa docs/spec/v1.0/verification_summary.md), about the
 * packet (subject: packet.json and its sha256), so that policy engines can
 * consume it. Deterministic like the other reports: timeVerified is the
 * run date at 00:00:00Z, never the wall clock. Unsigned: the inspector
 * holds no key; sign it outside like a bundle (docs/reports.md). */
#include <string.h>

#include "tki/dsse.h"
#include "report_out.h"
#include "tki/report.h"

#define VSA_PREDICATE "https://slsa.dev/verification_summary/v1"
#define VSA_VERIFIER "https://tki-inspector.dev/verifier"
#define VSA_POLICY "https://tki-inspector.dev/policy/adequacy/v1"

/* RFC 3986 unreserved characters as is, every other byte %XX. */
static char *pct_encode(const char *s)
{
	size_t n = strlen(s);
	char *out = tki_xmalloc(3 * n + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			*o++ = (char)*p;
		else
			o += sprintf(o, "%%%02X", *p);
	}
	*o = '\0';
	return out;
}

static json_t *digest_set(const char *hex)
{
	return json_pack("{s:s}", "sha256", hex);
}

/* Input i: evidence item i if the inspector verified its digest (the
 * inputs it used), else NULL. The name is the packet's relative path (a
 * JSON string, escaped by jansson like every other report string). */
static json_t *input_at(const void *ctx, size_t i)
{
	const struct tki_evidence *ev = &((const struct tki_packet *)ctx)->evidence[i];
	if (ev->state != TKI_EV_VERIFIED || strlen(ev->actual_sha256) != 64)
		return NULL;
	json_t *name = json_string(ev->path ? ev->path : "");
	return json_pack("{s:o, s:o, s:{s:s}}", "name", name ? name : json_string("?"), "digest",
			 digest_set(ev->actual_sha256), "annotations", "tki-inspector.dev/kind", tki_kind_name(ev->kind));
}

/* An ATTESTED bundle counts for the level only when an ADEQUATE claim
 * cites it: an uncited item (a replayed signed bundle dropped into the
 * packet beside unrelated claims) supports nothing in the packet. */
static bool any_attested(const struct tki_packet *p)
{
	for (size_t c = 0; p && c < p->n_claims; c++) {
		const struct tki_claim *cl = &p->claims[c];
		if (cl->cls != TKI_CLASS_ADEQUATE)
			continue;
		for (size_t k = 0; k < cl->n_cites; k++) {
			const struct tki_evidence *ev = &p->evidence[cl->cites[k]];
			if (ev->b4_prime && !strcmp(ev->b4_prime, "ATTESTED"))
				return true;
		}
	}
	return false;
}

bool tki_report_vsa_possible(const struct tki_report_in *in)
{
	/* A Statement needs a subject digest: without the manifest's bytes
	 * there is nothing to name, and no VSA is written. */
	return in->manifest_sha256 && strlen(in->manifest_sha256) == 64;
}

/* A member at depth; the Statement's fixed parts are never NULL but for
 * out of memory (json_pack). */
static void member(struct tki_jout *o, const char *key, json_t *v, bool first, int depth)
{
	if (!v)
		tki_die(TKI_EXIT_BLOCKED, "report.vsa.json: cannot build the Statement (out of memory)");
	tki_jout_key(o, key, first, depth);
	tki_jout_value(o, v, depth);
}

/* Written a value at a time (report_out.h): the inputs of a 250,000-item
 * packet never exist as one tree nor, with a sink, as one text. NULL (and
 * nothing written) when the manifest digest is unknown. */
static char *render(const struct tki_report_in *in, const struct tki_sink *sink, size_t *len, bool *written)
{
	*written = false;
	if (!tki_report_vsa_possible(in))
		return NULL;
	*written = true;
	bool passed = in->verdict == TKI_VERDICT_ADEQUATE;
	json_t *levels = json_array();
	if (passed) {
		/* Custom tracks (the spec reserves SLSA_*): one level each. */
		json_array_append_new(levels, json_string("TKI_ADEQUACY_ADEQUATE"));
		if (any_attested(in->p))
			json_array_append_new(levels, json_string("TKI_SANDBOX_B4_ATTESTED"));
	} else {
		json_array_append_new(levels, json_string("FAILED"));
	}
	tki_autofree char *id = pct_encode(in->packet_id && *in->packet_id ? in->packet_id : in->manifest_sha256);
	tki_autofree char *uri = tki_xasprintf("urn:tki-packet:%s", id);
	tki_autofree char *when = tki_xasprintf("%sT00:00:00Z", in->run_date ? in->run_date : "1970-01-01");
	struct tki_jout o = {.sink = sink, .what = "report.vsa.json"};
	tki_jout_put(&o, "{", 1);
	member(&o, "_type", json_string(TKI_INTOTO_STATEMENT_V1), true, 1);
	member(&o, "subject", json_pack("[{s:s, s:o}]", "name", "packet.json", "digest", digest_set(in->manifest_sha256)),
	       false, 1);
	member(&o, "predicateType", json_string(VSA_PREDICATE), false, 1);
	tki_jout_key(&o, "predicate", false, 1);
	tki_jout_put(&o, "{", 1);
	member(&o, "verifier", json_pack("{s:s, s:{s:s}}", "id", VSA_VERIFIER, "version", "tki-inspector", TKI_VERSION),
	       true, 2);
	member(&o, "timeVerified", json_string(when), false, 2);
	member(&o, "resourceUri", json_string(uri), false, 2);
	member(&o, "policy", json_pack("{s:s}", "uri", VSA_POLICY), false, 2);
	tki_jout_key(&o, "inputAttestations", false, 2);
	tki_jout_array(&o, in->p, in->p ? in->p->n_evidence : 0, input_at, 2);
	member(&o, "verificationResult", json_string(passed ? "PASSED" : "FAILED"), false, 2);
	member(&o, "verifiedLevels", levels, false, 2);
	member(&o, "slsaVersion", json_string("1.0"), false, 2);
	tki_jout_close(&o, 1, '}');
	tki_jout_close(&o, 0, '}');
	return tki_jout_end(&o, len);
}

bool tki_report_stream_vsa(const struct tki_report_in *in, const struct tki_sink *sink)
{
	size_t len;
	bool written;
	render(in, sink, &len, &written);
	return written;
}

char *tki_report_render_vsa(const struct tki_report_in *in, size_t *len)
{
	bool written;
	return render(in, NULL, len, &written);
}
