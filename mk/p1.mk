# SPDX-License-Identifier: Apache-2.0
# P1 self-check: re-capture fixtures/p1/ from real venues (root, bwrap,
# dockerd); see fixtures/p1/README.md. Not part of `make check`.
.PHONY: p1-fixtures
p1-fixtures:
	tests/tools/p1-capture.sh
