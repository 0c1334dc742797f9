# SPDX-License-Identifier: Apache-2.0
# make valgrind: memcheck over the pipeline on every fixture packet (and the
# hostile manifests), through tests/valgrind/pipeline.c (no sandbox: see
# there why). About a minute; not part of make check.
.PHONY: valgrind
valgrind: $(BUILD)/tests/valgrind_pipeline
	tests/valgrind/run $(BUILD)/tests/valgrind_pipeline
$(BUILD)/tests/valgrind_pipeline: tests/valgrind/pipeline.c $(LIB_OBJS) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -Wl,--wrap=syscall -o $@ $< $(LIB_OBJS) $(LDLIBS)
