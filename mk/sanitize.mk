# make sanitize: ASan + UBSan (-fno-sanitize-recover=all) build in build/san,
# then the unit tests and the pipeline acceptance cases under it.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
.PHONY: sanitize
sanitize:
	$(MAKE) BUILD=$(BUILD)/san BIN=$(BUILD)/san/tki-inspector OPT="$(SAN_FLAGS)" \
		HARDEN_CFLAGS="-fPIE" $(BUILD)/san/tki-inspector
	$(MAKE) BUILD=$(BUILD)/san BIN=$(BUILD)/san/tki-inspector OPT="$(SAN_FLAGS)" HARDEN_CFLAGS="-fPIE" unit
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 TKI_NO_IMAGE_BUILD=1 CASES='$(SAN_CASES)' \
		TKI=$(abspath $(BUILD)/san/tki-inspector) tests/acceptance/run
# The pipeline cases (L2/L4). Leaks are checked by the unit tests (LSan
# needs ptrace, which the sandbox refuses) and by valgrind.
SAN_CASES ?= ^(0[89]|1[0-9]|2[0-2]|3[89]|4[0-5])-
