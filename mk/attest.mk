# SPDX-License-Identifier: Apache-2.0
# make attest VENUE=self|docker|podman|bwrap: the 12 boundary probes in that
# venue, merged from outside into attest-out/$(VENUE)/bundle.json, wrapped as
# a packet and inspected (docs/attestation.md). A venue that cannot start
# here is reported as SKIP with its reason (scripts/attest exits 77), never
# as a pass; ATTEST_REQUIRE=1 turns a SKIP into a failure (CI).
# ATTEST_KEY=key.pem: the operator's PEM private key (ECDSA P-256 or
# Ed25519) that signs the DSSE envelope here, outside the sandbox, after the
# run (scripts/attest-sign); without it the bundle stays NOT_ATTESTED.
VENUE ?= self
ATTEST_REQUIRE ?=
ATTEST_KEY ?=

.PHONY: attest
attest: $(BIN) $(if $(filter bwrap,$(VENUE)),$(BUILD)/static/tki-inspector)
	@rc=0; TKI=$(abspath $(BIN)) IMAGE="$(IMAGE)" ATTEST_KEY="$(ATTEST_KEY)" scripts/attest $(VENUE) || rc=$$?; \
	if [ $$rc -eq 77 ]; then \
		echo "attest: $(VENUE) SKIPPED: $$(cat attest-out/$(VENUE)/SKIP)"; \
		[ -z "$(ATTEST_REQUIRE)" ] || exit 1; \
	else exit $$rc; fi
