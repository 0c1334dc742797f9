# SPDX-License-Identifier: Apache-2.0
# make schema-check: the JSON Schemas in schemas/ against every fixture
# packet and bundle, the report.json of a real run of each fixture, and the
# differential test schema vs reader over fixtures/hostile
# (tests/schema/run, docs/packet-format.md "JSON Schema"). Debian's
# python3-jsonschema (>= 4.0 for draft 2020-12; Debian 12 has 4.10).
.PHONY: schema-check
check: schema-check
schema-check: $(BIN)
	TKI=$(abspath $(BIN)) tests/schema/run
