// SPDX-License-Identifier: Apache-2.0
/* Evidence binding: which evidence can support a claim of each governed
 * category. A field the packet author writes is a claim, not evidence: an
 * SBOM whose assert holds says nothing about the network wall, and an
 * exit code says nothing at all. So support is bound to what the evidence
 * is about: a sandbox wall by the attestation probes that observe it (and
 * P1's invariant over the same wall), re-judged from the bundle's raw data;
 * build, test and provenance by asserts on verified bytes. The same table
 * is in docs/packet-format.md. Pure. */
#include <string.h>

#include "tki/adequacy.h"
#include "tki/attest.h"
#include "tki/common.h"

#define INV(x) (1u << TKI_RI_##x)

static const struct tki_binding bindings[] = {
	{ "sandbox.network", false, { "PR-NET-1", "PR-NET-2", "PR-SOCK-1" }, INV(NETWORK) },
	{ "sandbox.filesystem", false,
	  { "PR-FS-RO-IN", "PR-FS-ESC-1", "PR-FS-ESC-2", "PR-FS-OUT-OK", "PR-MOUNT-1" }, INV(MOUNTS) },
	{ "sandbox.env", false, { "PR-ENV-1" }, INV(ENV) },
	{ "sandbox.syscall", false, { "PR-SOCK-1", "PR-EXEC-1", "PR-PTRACE-1" }, INV(SECCOMP) | INV(NNP) },
	{ "sandbox.capability", false, { "PR-SOCK-DOCKER" }, INV(CAPS) | INV(UID) | INV(SOCKETS) | INV(NNP) },
	{ "sandbox.attestation", false,
	  { "PR-NET-1", "PR-NET-2", "PR-SOCK-1", "PR-ENV-1", "PR-FS-RO-IN", "PR-FS-ESC-1", "PR-FS-ESC-2",
	    "PR-FS-OUT-OK", "PR-EXEC-1", "PR-MOUNT-1", "PR-SOCK-DOCKER", "PR-PTRACE-1" },
	  (1u << TKI_RI__COUNT) - 1 },
	{ "build", true, { NULL }, 0 },
	{ "test", true, { NULL }, 0 },
	{ "provenance", true, { NULL }, 0 },
};

const struct tki_binding *tki_binding_for(const char *category)
{
	for (size_t i = 0; category && i < TKI_ARRAY_LEN(bindings); i++)
		if (!strcmp(category, bindings[i].category))
			return &bindings[i];
	return NULL;
}

size_t tki_bindings(const struct tki_binding **out)
{
	*out = bindings;
	return TKI_ARRAY_LEN(bindings);
}

uint32_t tki_binding_probe_mask(const struct tki_binding *b)
{
	uint32_t m = 0;
	for (size_t i = 0; b && b->probes[i]; i++) {
		const struct tki_probe_def *d = tki_probe_find(b->probes[i]);
		if (!d) /* the table names a probe seed 001 §3 does not have */
			tki_die(TKI_EXIT_BLOCKED, "adequacy: binding of %s names unknown probe %s", b->category,
				b->probes[i]);
		m |= 1u << (d - tki_probe_table);
	}
	return m;
}

/* "a, b and c" */
static char *join_and(const char *const *v, size_t n)
{
	char *s = tki_xstrdup("");
	for (size_t i = 0; i < n; i++) {
		char *t = tki_xasprintf("%s%s%s", s, i == 0 ? "" : i + 1 == n ? " and " : ", ", v[i]);
		free(s);
		s = t;
	}
	return s;
}

char *tki_binding_counts(const struct tki_binding *b)
{
	if (b->by_asserts)
		return tki_xasprintf("a command_output or artifact whose asserts hold on its verified bytes");
	size_t np = 0;
	while (b->probes[np])
		np++;
	const char *inv[TKI_RI__COUNT];
	size_t ni = 0;
	for (int i = 0; i < TKI_RI__COUNT; i++)
		if (b->invariants & (1u << i))
			inv[ni++] = tki_raw_inv_names[i];
	tki_autofree char *pj = join_and(b->probes, np);
	tki_autofree char *ij = join_and(inv, ni);
	return tki_xasprintf("an attestation bundle whose probe%s %s and P1 invariant%s %s re-judge from its raw data",
			     np > 1 ? "s" : "", pj, ni > 1 ? "s" : "", ij);
}

json_t *tki_support_json(const struct tki_claim *c)
{
	json_t *a = json_array();
	for (size_t i = 0; i < c->n_support; i++) {
		const struct tki_support_rec *s = &c->support[i];
		json_t *o = json_object();
		json_object_set_new(o, "evidence", json_string(s->ev_id));
		json_object_set_new(o, "kind", json_string(tki_kind_name(s->kind)));
		if (s->kind == TKI_KIND_ATTESTATION) {
			json_t *pr = json_array(), *inv = json_array();
			for (size_t k = 0; k < TKI_PROBE_COUNT; k++)
				if (s->probes & (1u << k))
					json_array_append_new(pr, json_string(tki_probe_table[k].id));
			for (int k = 0; k < TKI_RI__COUNT; k++)
				if (s->invariants & (1u << k))
					json_array_append_new(inv, json_string(tki_raw_inv_names[k]));
			json_object_set_new(o, "probes", pr);
			json_object_set_new(o, "p1_invariants", inv);
		} else {
			json_t *as = json_array();
			for (size_t k = 0; k < 64; k++)
				if (s->asserts & (1ull << k))
					json_array_append_new(as, json_integer((json_int_t)k));
			json_object_set_new(o, "asserts", as);
		}
		json_array_append_new(a, o);
	}
	return a;
}
