# SPDX-License-Identifier: Apache-2.0
# Reproducible builds (docs/reproducible.md). The flags are in the Makefile
# (REPRO_CFLAGS, REPRO_LDFLAGS, SOURCE_DATE_EPOCH); the checks are here.
#   repro-fast   two builds of the working tree in two directories (umask,
#                TZ, locale, user, SOURCE_DATE_EPOCH varied), static and
#                dynamic binary and image archive compared. Part of make check.
#   repro-check  the same with faketime, then Debian's reprotest.
#   reprotest    reprotest alone (scripts/reprotest-static shows the command).
#   image-check  the written image keeps the hardened image's properties
#                (user 65532, entrypoint, one root-owned 0755 file), and
#                scripts/image-tar refuses a Dockerfile it cannot honour.
.PHONY: repro-fast repro-check reprotest image-check
repro-fast:
	scripts/repro-check --fast
repro-check:
	scripts/repro-check
	scripts/reprotest-static
reprotest:
	scripts/reprotest-static
image-check: $(BUILD)/static/tki-inspector
	tests/repro/check-image $<
check: repro-fast image-check
