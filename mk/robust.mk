# Robustness suites run by make check (issue: fuzzing, sanitizers, JSONTestSuite).
.PHONY: jsonsuite
check: jsonsuite
jsonsuite: tki-inspector
	tests/jsonsuite/run
