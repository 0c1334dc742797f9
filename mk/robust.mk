# SPDX-License-Identifier: Apache-2.0
# Robustness suites run by make check (issue 8: fuzzing, sanitizers,
# JSONTestSuite, hostile inputs; docs/security.md).
.PHONY: jsonsuite hostile hostile-reports robust-shipped
# 318 files of tests/data/JSONTestSuite through the real binary.
jsonsuite: $(BIN)
	TKI=$(abspath $(BIN)) tests/jsonsuite/run

# The hostile-input battery, in every venue that can start (self, docker,
# bwrap). The docker and bwrap venues run the static binary. Then the
# hostile packets against the verdict (issue 13: fixtures/hostile/verdict).
hostile: $(BIN) $(STATIC_BIN)
	TKI=$(abspath $(BIN)) tests/hostile/run
	TKI=$(abspath $(BIN)) TKI_NO_IMAGE_BUILD=1 tests/hostile/verdict

# Reports a packet author cannot spoof, checked against each other and by
# Microsoft's SARIF multitool when installed (scripts/sarif-validate
# --install; SKIP otherwise), in every venue (docs/reports.md).
hostile-reports: $(BIN) $(STATIC_BIN)
	TKI=$(abspath $(BIN)) tests/hostile/reports

# The sanitizer-only RLIMIT_AS waiver must never reach a shipped binary.
robust-shipped: $(BIN) $(STATIC_BIN)
	@! grep -l 'AS not set: sanitizer build' $(BIN) $(STATIC_BIN) || \
		{ echo "a shipped binary carries the sanitizer rlimit waiver" >&2; exit 1; }

# Seeds and tests/fuzz/regress/ replayed through every fuzz target (needs
# clang; about 40 s to build the first time, seconds to replay). Without
# clang, check prints a SKIP line instead (FUZZ_REGRESS on the check line).
ifneq ($(shell command -v $(FUZZ_CC) 2>/dev/null),)
FUZZ_REGRESS := fuzz-regress
else
FUZZ_REGRESS := fuzz-regress-skip
.PHONY: fuzz-regress-skip
fuzz-regress-skip:
	@echo "ok - fuzz-regress # SKIP $(FUZZ_CC) not installed (scripts/deps installs clang)"
endif
