// SPDX-License-Identifier: Apache-2.0
/* Hand-built packets for the L4 unit tests (no reader involved). */
#ifndef TKI_TEST_PACKET_H
#define TKI_TEST_PACKET_H

#include <string.h>

#include "tki/common.h"
#include "tki/packet.h"

static inline struct tki_packet *tp_new(size_t n_claims, size_t n_evidence)
{
	struct tki_packet *p = tki_xcalloc(1, sizeof(*p));
	p->packet_id = tki_xstrdup("UNIT1");
	memset(p->manifest_sha256, 'a', 64);
	p->claims = tki_xcalloc(n_claims, sizeof(*p->claims));
	p->evidence = tki_xcalloc(n_evidence, sizeof(*p->evidence));
	p->n_claims = n_claims;
	p->n_evidence = n_evidence;
	for (size_t i = 0; i < n_claims; i++) {
		p->claims[i].id = tki_xasprintf("C%zu", i + 1);
		p->claims[i].category = tki_xstrdup("build");
		p->claims[i].statement = tki_xstrdup("a statement");
		p->claims[i].index = i;
	}
	for (size_t i = 0; i < n_evidence; i++) {
		struct tki_evidence *ev = &p->evidence[i];
		ev->id = tki_xasprintf("E%zu", i + 1);
		ev->path = tki_xasprintf("artifacts/e%zu.txt", i + 1);
		ev->path_len = strlen(ev->path);
		ev->kind = TKI_KIND_ARTIFACT;
		ev->state = TKI_EV_VERIFIED;
		ev->index = i;
		ev->cited = true;
		memset(ev->sha256, 'b', 64);
		memset(ev->actual_sha256, 'b', 64);
		ev->prov.venue = tki_xstrdup("CI");
		ev->prov.captured_at = tki_xstrdup("2026-06-10T10:00:00Z");
	}
	return p;
}

static inline void tp_cite(struct tki_packet *p, size_t claim, size_t ev)
{
	struct tki_claim *c = &p->claims[claim];
	c->cites = tki_xrealloc(c->cites, (c->n_cites + 1) * sizeof(*c->cites));
	c->cites[c->n_cites++] = ev;
}

static inline void tp_assert(struct tki_evidence *ev, enum tki_assert_op op, bool evaluated, bool holds)
{
	ev->asserts = tki_xrealloc(ev->asserts, (ev->n_asserts + 1) * sizeof(*ev->asserts));
	struct tki_assert *a = &ev->asserts[ev->n_asserts++];
	memset(a, 0, sizeof(*a));
	a->op = op;
	a->needle = tki_xstrdup("needle");
	a->needle_len = 6;
	a->evaluated = evaluated;
	a->holds = holds;
	snprintf(a->detail, sizeof(a->detail), "%s", holds ? "found" : "not found");
}

static inline void tp_command(struct tki_evidence *ev, long long code)
{
	ev->kind = TKI_KIND_COMMAND_OUTPUT;
	ev->prov.command = tki_xstrdup("make test");
	ev->prov.has_exit_code = true;
	ev->prov.exit_code = code;
}

static inline void tp_free(struct tki_packet *p)
{
	for (size_t i = 0; i < p->n_claims; i++) {
		struct tki_claim *c = &p->claims[i];
		free(c->id); free(c->category); free(c->statement); free(c->cites);
		tki_strlist_free(&c->reasons);
		free(c->support);
	}
	for (size_t i = 0; i < p->n_evidence; i++) {
		struct tki_evidence *ev = &p->evidence[i];
		free(ev->id); free(ev->path); free(ev->prov.venue); free(ev->prov.captured_at);
		free(ev->prov.command); free(ev->prov.producer);
		for (size_t k = 0; k < ev->n_asserts; k++) {
			free(ev->asserts[k].needle);
			free(ev->asserts[k].pointer);
			json_decref(ev->asserts[k].value);
		}
		free(ev->asserts);
		free(ev->content);
		json_decref(ev->attestation);
		tki_strlist_free(&ev->reasons);
	}
	free(p->claims); free(p->evidence); free(p->packet_id);
	tki_strlist_free(&p->warnings);
	free(p);
}

#endif
