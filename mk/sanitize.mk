# SPDX-License-Identifier: Apache-2.0
# make sanitize: ASan + UBSan (-fno-sanitize-recover=all) build in build/san,
# then the unit tests (LeakSanitizer on), a check that a sanitizer report
# still gets out under the shipped own layer (tests/sanitize/run), and the
# pipeline acceptance cases with the sanitized binary.
# The sanitized binary leaves RLIMIT_AS unset (ASan's shadow memory needs
# terabytes of address space) and P1 says so: docs/security.md.
SAN_DIR   := $(BUILD)/san
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_BIN   := $(SAN_DIR)/$(notdir $(BIN))
SAN_MAKE   = $(MAKE) --no-print-directory BUILD=$(SAN_DIR) BIN=$(SAN_BIN) OPT="$(SAN_FLAGS)" HARDEN_CFLAGS="-fPIE"
# The pipeline cases (L2/L4: #8-#22, #38-#45).
SAN_CASES ?= ^(0[89]|1[0-9]|2[0-2]|3[89]|4[0-5])-

.PHONY: sanitize sanitize-bins
# The docker and bwrap venues of the pipeline cases run the shipped static
# binary (there is no static ASan).
sanitize: $(STATIC_BIN)
	$(SAN_MAKE) sanitize-bins
	$(SAN_MAKE) unit
	tests/sanitize/run $(SAN_DIR)
	TKI_NO_IMAGE_BUILD=1 CASES='$(SAN_CASES)' TKI=$(abspath $(SAN_BIN)) TKI_UNIT_DIR=$(abspath $(SAN_DIR)/tests) \
		TKI_STATIC=$(abspath $(STATIC_BIN)) tests/sanitize/acceptance

# Run inside the recursive make, where BUILD is already build/san.
sanitize-bins: $(BIN) $(BUILD)/tests/san_report
$(BUILD)/tests/san_report: tests/sanitize/report_under_layer.c $(LIB_OBJS) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(LDLIBS)
