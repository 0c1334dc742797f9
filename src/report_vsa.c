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

/* Every evidence item whose digest the inspector verified: the inputs it
 * used. The name is the packet's relative path (a JSON string, escaped by
 * jansson like every other report string). */
static json_t *inputs(const struct tki_packet *p)
{
	json_t *a = json_array();
	for (size_t i = 0; p && i < p->n_evidence; i++) {
		const struct tki_evidence *ev = &p->evidence[i];
		if (ev->state != TKI_EV_VERIFIED || strlen(ev->actual_sha256) != 64)
			continue;
		json_t *name = json_string(ev->path ? ev->path : "");
		json_array_append_new(a, json_pack("{s:o, s:o, s:{s:s}}", "name", name ? name : json_string("?"),
						   "digest", digest_set(ev->actual_sha256), "annotations",
						   "tki-inspector.dev/kind", tki_kind_name(ev->kind)));
	}
	return a;
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

char *tki_report_render_vsa(const struct tki_report_in *in, size_t *len)
{
	/* A Statement needs a subject digest: without the manifest's bytes
	 * there is nothing to name, and no VSA is written. */
	if (!in->manifest_sha256 || strlen(in->manifest_sha256) != 64)
		return NULL;
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
	json_t *subject = json_pack("[{s:s, s:o}]", "name", "packet.json", "digest", digest_set(in->manifest_sha256));
	json_t *pred = json_pack("{s:{s:s, s:{s:s}}, s:s, s:s, s:{s:s}, s:o, s:s, s:o, s:s}", "verifier", "id",
				 VSA_VERIFIER, "version", "tki-inspector", TKI_VERSION, "timeVerified", when,
				 "resourceUri", uri, "policy", "uri", VSA_POLICY, "inputAttestations", inputs(in->p),
				 "verificationResult", passed ? "PASSED" : "FAILED", "verifiedLevels", levels,
				 "slsaVersion", "1.0");
	json_t *st = json_pack("{s:s, s:o, s:s, s:o}", "_type", TKI_INTOTO_STATEMENT_V1, "subject", subject,
			       "predicateType", VSA_PREDICATE, "predicate", pred);
	if (!st)
		tki_die(TKI_EXIT_BLOCKED, "report.vsa.json: cannot build the Statement (out of memory)");
	return tki_report_dump(st, "report.vsa.json", len);
}
