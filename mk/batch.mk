# SPDX-License-Identifier: Apache-2.0
# The batch's TEST-ONLY hooks (tests/hooks/batch_hooks.c): a second binary,
# build/tests/tki-inspector-hooks, whose src/batch.c is compiled with
# -DTKI_TEST_HOOKS; every other object is the product's. The product binary
# never holds the hooks (cases/30-batch-isolation.sh checks their strings
# are absent from it). Used by the batch isolation, race and signal cases.
HOOKS_BIN := $(BUILD)/tests/tki-inspector-hooks
HOOKS_OBJS := $(filter-out $(BUILD)/obj/batch.o $(BUILD)/obj/guard_batch.o,$(OBJS)) $(BUILD)/hooks/batch.o \
	$(BUILD)/hooks/guard_batch.o

.PHONY: hooks
hooks: $(HOOKS_BIN)

$(BUILD)/hooks/batch.o: src/batch.c tests/hooks/batch_hooks.c $(GEN_HDRS)
	@mkdir -p $(BUILD)/hooks
	$(CC) $(CPPFLAGS) -iquote tests/hooks -DTKI_TEST_HOOKS $(CFLAGS) -c -o $@ $<

$(BUILD)/hooks/guard_batch.o: src/guard_batch.c tests/hooks/guard_batch_hooks.c $(GEN_HDRS)
	@mkdir -p $(BUILD)/hooks
	$(CC) $(CPPFLAGS) -iquote tests/hooks -DTKI_TEST_HOOKS $(CFLAGS) -c -o $@ $<

$(HOOKS_BIN): $(HOOKS_OBJS) | $(BUILD)/tests
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(HOOKS_OBJS) $(BIN_LIBS)
