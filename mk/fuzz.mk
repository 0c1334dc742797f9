# SPDX-License-Identifier: Apache-2.0
# Fuzzing (libFuzzer, clang) and sanitizers.
#   make fuzz FUZZ_SECONDS=N   run every target N seconds; fail on crash, leak or timeout
#   make fuzz-regress           replay tests/fuzz/regress/<target>/ (part of make check)
#   make sanitize               ASan+UBSan build; unit tests + pipeline acceptance under it
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_SRCS    := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS    := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_DIR)/%)
FUZZ_OBJS    := $(LIB_OBJS:$(BUILD)/obj/%.o=$(FUZZ_DIR)/obj/%.o)

$(FUZZ_DIR)/obj/%.o: src/%.c $(GEN_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -std=gnu11 $(FUZZ_FLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<
# Not intermediates: keep them between runs (make would delete them).
.SECONDARY: $(FUZZ_OBJS)
-include $(FUZZ_OBJS:.o=.d)
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(CPPFLAGS) -std=gnu11 $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS) -lgmp -lpthread

.PHONY: fuzz fuzz-regress
fuzz: $(FUZZ_BINS)
	tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_BINS)
fuzz-regress: $(FUZZ_BINS)
	tests/fuzz/run regress $(FUZZ_BINS)
